//! An account's e-mail is read from its person (issue 14): "is this e-mail taken?" looks
//! `persons.email` up, so it is indexed as `persons.phone` is (migration 000095).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_persons_email")
                    .table("persons")
                    .col("email")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_persons_email")
                    .table("persons")
                    .to_owned(),
            )
            .await
    }
}
