//! The policy as data (issue 15): every version of the lifecycle numbers and the escalation
//! rules, with the moment it takes effect and its editor. The version in force at a moment is the
//! latest one whose `effective_from` has come.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("policy_versions")
                    .col(pk_uuid("id"))
                    .col(integer("version").unique_key())
                    .col(timestamp_with_time_zone("effective_from"))
                    .col(json("policy"))
                    .col(json("rules"))
                    .col(uuid_null("editor_id"))
                    .col(string_len_null("editor_login", 254))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("policy_versions").to_owned())
            .await
    }
}
