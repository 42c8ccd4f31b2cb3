//! Duplicates (issue 16): a duplicate's link to its original (one original per complaint), and
//! the followers of a complaint — residents who joined it, people a clerk joined by phone, and
//! the authors of the duplicates merged into it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("complaint_links")
                    .col(uuid("complaint_id").primary_key())
                    .col(uuid("original_id"))
                    .col(uuid("linked_by"))
                    .col(timestamp_with_time_zone("linked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_complaint_links_complaint")
                            .from("complaint_links", "complaint_id")
                            .to("complaints", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_complaint_links_original")
                            .from("complaint_links", "original_id")
                            .to("complaints", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_complaint_links_original")
                    .table("complaint_links")
                    .col("original_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("complaint_followers")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(uuid_null("user_id"))
                    .col(string_len_null("phone", 32))
                    .col(string_len_null("consent_version", 32))
                    .col(uuid_null("via_complaint_id"))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_complaint_followers_complaint")
                            .from("complaint_followers", "complaint_id")
                            .to("complaints", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One follow per person: joining twice is one follow (NULLs never collide).
        for (name, col) in [
            ("ux_complaint_followers_user", "user_id"),
            ("ux_complaint_followers_phone", "phone"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("complaint_followers")
                        .col("complaint_id")
                        .col(col)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_complaint_followers_created_by")
                    .table("complaint_followers")
                    .col("created_by")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("complaint_followers").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("complaint_links").to_owned())
            .await
    }
}
