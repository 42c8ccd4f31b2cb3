//! Finding 6 of the security review: an upload counts what its uploader stored in the last 24
//! hours; this index keeps that a short range scan.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_attachments_uploader_time")
                    .table("attachments")
                    .col("uploaded_by")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_attachments_uploader_time")
                    .table("attachments")
                    .to_owned(),
            )
            .await
    }
}
