//! The retention report: one row per worker pass that erased or deleted anything under the
//! retention schedule (`domain::privacy::Retention`), with its counts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("retention_runs")
                    .col(pk_uuid("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer("complaints_erased"))
                    .col(big_integer("attachments_deleted"))
                    .col(big_integer("audit_entries_deleted"))
                    .col(big_integer("idempotency_keys_deleted"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_retention_runs_at")
                    .table("retention_runs")
                    .col("at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("retention_runs").to_owned())
            .await
    }
}
