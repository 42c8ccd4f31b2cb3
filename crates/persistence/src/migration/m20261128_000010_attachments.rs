//! Photos and PDFs attached to complaints, work reports and inspections. The bytes live in the
//! database, so that an attachment commits or fails together with its row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(string_len("kind", 32))
                    .col(string_len("filename", 200))
                    .col(string_len("content_type", 64))
                    .col(big_integer("size_bytes"))
                    .col(blob("data"))
                    .col(uuid("uploaded_by"))
                    .col(string_len("uploaded_role", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(boolean("is_test").default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from("attachments", "complaint_id")
                            .to("complaints", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attachments_complaint")
                    .table("attachments")
                    .col("complaint_id")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("attachments").to_owned())
            .await
    }
}
