//! API keys of service accounts (third-party integrations), plus the indexes that sign-in needs:
//! a unique phone per account (phone sign-in must find exactly one) and refresh-token families.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("api_keys")
                    .col(pk_uuid("id"))
                    .col(string_len("name", 100))
                    .col(uuid("organisation_id"))
                    .col(string_len("scopes", 500))
                    .col(string_len("key_hash", 64))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("api_keys", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("api_keys", "created_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_phone")
                    .table("users")
                    .col("phone")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_family")
                    .table("refresh_tokens")
                    .col("family_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_user")
                    .table("refresh_tokens")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_refresh_tokens_user", "refresh_tokens"),
            ("ix_refresh_tokens_family", "refresh_tokens"),
            ("ux_users_phone", "users"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("api_keys").to_owned())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use sea_orm_migration::MigratorTrait;

    use crate::migration::Migrator;

    async fn down_and_up_again(url: &str) {
        let db = crate::connect(&crate::DbSettings::new(url)).await.unwrap();
        let db = db.connection();
        Migrator::up(db, None).await.unwrap();
        // Undo this migration (the third) and any after it, then redo them.
        let steps = u32::try_from(Migrator::migrations().len() - 2).unwrap();
        Migrator::down(db, Some(steps)).await.unwrap();
        Migrator::up(db, None).await.unwrap();
    }

    #[tokio::test]
    async fn goes_down_and_up_again() {
        down_and_up_again("sqlite::memory:").await;
    }
}
