//! Personal data in one place (152-ФЗ, issue 14), the contract step for accounts: an account's
//! name, phone and e-mail are read from its person (`users.person_id`, migration 000095) only,
//! and the old copies, `users.name`, `phone` and `email`, go.
//!
//! - A service account is no one: its name is its organisation's, marked "(API)", made at read
//!   time (`persistence::api_keys`), so it needs no column either.
//! - Phones are unique among accounts (phone sign-in must find exactly one). The guard was the
//!   unique index on `users.phone`; `persons.phone` cannot be unique (a person a clerk filed for
//!   may share a phone with an account), so `persons.is_account` marks an account's person and a
//!   partial unique index, `ux_persons_account_phone`, keeps their phones apart. An erased
//!   account's person kept for a closed-case record stops being an account's (the phone is then
//!   free for a new account).
//!
//! `down` puts the columns back, filled from the persons (a service account's name from its
//! organisation), and the old index.

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ACCOUNT_PHONE_INDEX: &str = "ux_persons_account_phone";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("persons")
                    .add_column(boolean("is_account").default(false))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE persons SET is_account = TRUE WHERE id IN \
             (SELECT person_id FROM users WHERE person_id IS NOT NULL AND erased_at IS NULL)",
        )
        .await?;
        // Partial: both engines take the same statement.
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {ACCOUNT_PHONE_INDEX} ON persons (phone) WHERE is_account"
        ))
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_users_phone")
                    .table("users")
                    .to_owned(),
            )
            .await?;
        for column in ["name", "phone", "email"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("users")
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_len("name", 200).default("").to_owned(),
            string_len_null("phone", 16),
            string_len_null("email", 254),
        ] {
            manager
                .alter_table(Table::alter().table("users").add_column(column).to_owned())
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE users SET \
             name = COALESCE((SELECT p.name FROM persons p WHERE p.id = users.person_id), \
                             (SELECT o.name || ' (API)' FROM organisations o \
                              WHERE o.id = users.organisation_id AND users.is_service), ''), \
             phone = (SELECT p.phone FROM persons p WHERE p.id = users.person_id AND p.is_account), \
             email = (SELECT p.email FROM persons p WHERE p.id = users.person_id)",
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
            .drop_index(
                Index::drop()
                    .name(ACCOUNT_PHONE_INDEX)
                    .table("persons")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("persons")
                    .drop_column(Alias::new("is_account"))
                    .to_owned(),
            )
            .await
    }
}
