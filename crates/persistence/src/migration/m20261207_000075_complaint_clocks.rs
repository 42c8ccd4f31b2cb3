//! Legal clocks (issue 15): each complaint runs several deadlines at once (localise, check,
//! answer, fix), each a row with its basis and its due time computed once when it started.
//! Rows change (met, missed, paused, stopped) but are never deleted with a live complaint.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("complaint_clocks")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(string_len("code", 32))
                    .col(integer("round"))
                    .col(text("basis"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(timestamp_with_time_zone_null("paused_at"))
                    .col(big_integer("paused_seconds").default(0))
                    .col(timestamp_with_time_zone_null("met_at"))
                    .col(timestamp_with_time_zone_null("missed_at"))
                    .col(timestamp_with_time_zone_null("stopped_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_complaint_clocks")
                    .table("complaint_clocks")
                    .col("complaint_id")
                    .col("code")
                    .col("round")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The worker's scan: clocks still running, by due time.
        manager
            .create_index(
                Index::create()
                    .name("ix_complaint_clocks_due")
                    .table("complaint_clocks")
                    .col("due_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("complaint_clocks").to_owned())
            .await
    }
}
