//! Service accounts and the life of an API key.
//!
//! - `users.is_service`: each organisation that has API keys gets one service account, an account
//!   like a person's (so that what it files, attaches and changes is recorded like anyone's) that
//!   can never sign in.
//! - `api_keys`: an expiry, the previous hash and until when it still works after a rotation, and
//!   a per-key rate limit; the scopes get their closed names (`complaints:create` became
//!   `complaints:file`; `scorecard:read` is gone: the scorecard is public).
//! - `api_key_usage`: requests per key and minute, shared by every replica.
//! - `complaint_events.actor_kind`: `user`, `service_account` or `system`.

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let add = |table: &str, column: ColumnDef| {
            Table::alter()
                .table(table.to_owned())
                .add_column(column)
                .to_owned()
        };
        manager
            .alter_table(add(
                "users",
                boolean("is_service").default(false).to_owned(),
            ))
            .await?;
        for column in [
            timestamp_with_time_zone_null("expires_at"),
            string_len_null("previous_key_hash", 64),
            timestamp_with_time_zone_null("previous_valid_until"),
            integer_null("rate_limit_per_minute"),
        ] {
            manager.alter_table(add("api_keys", column)).await?;
        }
        manager
            .alter_table(add(
                "complaint_events",
                string_len("actor_kind", 16).default("user").to_owned(),
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_key_usage")
                    .col(uuid("key_id"))
                    .col(timestamp_with_time_zone("window_start"))
                    .col(integer("requests"))
                    .primary_key(Index::create().col("key_id").col("window_start"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE api_keys SET scopes = TRIM(REPLACE(REPLACE(scopes, 'complaints:create', 'complaints:file'), 'scorecard:read', ''))",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("api_key_usage").to_owned())
            .await?;
        let drop = |table: &str, column: &str| {
            Table::alter()
                .table(table.to_owned())
                .drop_column(column.to_owned())
                .to_owned()
        };
        manager
            .alter_table(drop("complaint_events", "actor_kind"))
            .await?;
        for column in [
            "rate_limit_per_minute",
            "previous_valid_until",
            "previous_key_hash",
            "expires_at",
        ] {
            manager.alter_table(drop("api_keys", column)).await?;
        }
        manager.alter_table(drop("users", "is_service")).await?;
        Ok(())
    }
}
