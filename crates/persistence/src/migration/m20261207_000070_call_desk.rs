//! The call desk (issue 16): per complaint awaiting verification, who has taken the call and
//! until when, the attempts so far, the last unanswered one and a "call back at" time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("call_desk")
                    .col(uuid("complaint_id").primary_key())
                    .col(uuid_null("claimed_by"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone_null("last_attempt_at"))
                    .col(timestamp_with_time_zone_null("last_no_answer_at"))
                    .col(timestamp_with_time_zone_null("call_back_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_call_desk_complaint")
                            .from("call_desk", "complaint_id")
                            .to("complaints", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("call_desk").to_owned())
            .await
    }
}
