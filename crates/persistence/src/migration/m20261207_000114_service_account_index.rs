//! An index for finding an organisation's service account (`users` where `is_service`, by
//! organisation): every request with an API key looks it up, and without an index that was a scan
//! of every account, 2.4 ms at 20,000 residents, which capped the company queue read with a key at
//! ~700 rps (issue 18; FINDINGS §12). Not partial (`WHERE is_service`): the API's generic plans
//! bind `is_service`, and a bound value never proves a partial index's predicate. An organisation
//! has few accounts; residents (no organisation) all share the NULL key.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ix_users_organisation";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table("users")
                    .col("organisation_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table("users").to_owned())
            .await
    }
}
