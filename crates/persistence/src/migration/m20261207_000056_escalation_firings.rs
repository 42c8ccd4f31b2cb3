//! Each escalation rule fires at most once per threshold (issue 15): the worker inserts the
//! firing in the transaction of the rule's effect, and the unique key makes a second insert, by
//! another pass or another replica, a no-op.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("escalation_firings")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(string_len("rule", 64))
                    .col(integer("round"))
                    .col(timestamp_with_time_zone("deadline"))
                    .col(timestamp_with_time_zone("fired_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_escalation_firings")
                    .table("escalation_firings")
                    .col("complaint_id")
                    .col("rule")
                    .col("round")
                    .col("deadline")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("escalation_firings").to_owned())
            .await
    }
}
