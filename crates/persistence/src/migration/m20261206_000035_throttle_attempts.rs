//! Throttle reservations replace `login_failures`: every throttled attempt is inserted under each
//! key it counts against *before* the password is hashed, then counted; a success deletes its rows.
//! `bucket` names the rule (`domain::throttle::Bucket`), `key` what is counted (an account, an
//! account from an address, a complaint number, an address).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("throttle_attempts")
                    .col(pk_uuid("id"))
                    .col(string_len("bucket", 32))
                    .col(string_len("key", 400))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_throttle_attempts_key")
                    .table("throttle_attempts")
                    .col("bucket")
                    .col("key")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        // The worker's purge of old rows.
        manager
            .create_index(
                Index::create()
                    .name("ix_throttle_attempts_at")
                    .table("throttle_attempts")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("login_failures").to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("login_failures")
                    .col(pk_uuid("id"))
                    .col(string_len("login", 254))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_failures")
                    .table("login_failures")
                    .col("login")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("throttle_attempts").to_owned())
            .await
    }
}
