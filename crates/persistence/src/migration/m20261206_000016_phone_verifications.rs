//! Self-registration confirmed by a one-time SMS code: a pending registration (the account to be,
//! with its password already hashed, and the code's salted hash) and every code sent, by number,
//! for the resend limits.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("phone_verifications")
                    .col(pk_uuid("id"))
                    .col(string_len("phone", 32))
                    .col(string_len("name", 200))
                    .col(string_len_null("email", 254))
                    .col(text("password_hash"))
                    .col(string_len("consent_version", 32))
                    .col(boolean("is_test").default(false))
                    // Hex SHA-256 of salt ‖ code; NULL when no code was sent (the number already
                    // has an account: the registration answers alike and can never be confirmed).
                    .col(string_len_null("code_hash", 64))
                    .col(string_len("salt", 64))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("confirmed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("phone_verifications_phone")
                    .table("phone_verifications")
                    .col("phone")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("phone_verification_sends")
                    .col(pk_uuid("id"))
                    .col(string_len("phone", 32))
                    .col(timestamp_with_time_zone("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("phone_verification_sends_phone_sent_at")
                    .table("phone_verification_sends")
                    .col("phone")
                    .col("sent_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["phone_verification_sends", "phone_verifications"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
