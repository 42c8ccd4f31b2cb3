//! Signed webhooks: the endpoints organisations subscribe, one message row per (event, endpoint)
//! written in the transaction that reads the outbox (claimed with `SKIP LOCKED`, retried on the
//! Standard Webhooks schedule, in order per complaint), and every attempt with its answer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(name: &str, table: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("webhook_endpoints")
                    .col(pk_uuid("id"))
                    .col(uuid("organisation_id"))
                    .col(string_len("url", 2000))
                    .col(string_len("description", 200).default(""))
                    // A JSON array of event types.
                    .col(text("event_types"))
                    // `whsec_` and base64: the service signs with it, so it is kept readable.
                    .col(string_len("secret", 100))
                    .col(string_len_null("previous_secret", 100))
                    .col(timestamp_with_time_zone_null("previous_valid_until"))
                    .col(boolean("enabled").default(true))
                    .col(text_null("disabled_reason"))
                    .col(timestamp_with_time_zone_null("failing_since"))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("webhook_endpoints", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "webhook_endpoints_organisation",
                "webhook_endpoints",
                &["organisation_id"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_messages")
                    .col(pk_uuid("id"))
                    .col(uuid("endpoint_id"))
                    // `webhook-id`: the same on every attempt and every endpoint.
                    .col(string_len("webhook_id", 100))
                    .col(uuid_null("complaint_id"))
                    .col(string_len("event_type", 64))
                    // The body exactly as signed and sent.
                    .col(text("body"))
                    // `pending`, `delivered` or `failed`.
                    .col(string_len("state", 16))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(integer("attempts").default(0))
                    .col(integer_null("last_status"))
                    .col(text_null("last_error"))
                    .col(boolean("is_test").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("webhook_messages", "endpoint_id")
                            .to("webhook_endpoints", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "webhook_messages_due",
                "webhook_messages",
                &["state", "next_attempt_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "webhook_messages_order",
                "webhook_messages",
                &["endpoint_id", "complaint_id", "created_at"],
            ))
            .await?;
        manager
            .create_index(
                index(
                    "webhook_messages_once",
                    "webhook_messages",
                    &["endpoint_id", "webhook_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_attempts")
                    .col(pk_uuid("id"))
                    .col(uuid("message_id"))
                    .col(uuid("endpoint_id"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    .col(integer_null("status"))
                    .col(integer("latency_ms"))
                    .col(text_null("error"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("webhook_attempts", "message_id")
                            .to("webhook_messages", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "webhook_attempts_endpoint",
                "webhook_attempts",
                &["endpoint_id", "attempted_at"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["webhook_attempts", "webhook_messages", "webhook_endpoints"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
