//! Messages off the screen: one delivery row per message, channel and address (claimed with
//! `SKIP LOCKED`, retried, acknowledged by the gateway); what the SMS centre sends back (delivery
//! receipts and replies); numbers that replied "СТОП"; each person's choices; templates as data;
//! new complaints waiting for a staff member's digest; and the once-a-day jobs already done.

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
                    .table("deliveries")
                    .col(pk_uuid("id"))
                    .col(uuid_null("complaint_id"))
                    .col(uuid_null("user_id"))
                    .col(string_len("kind", 32))
                    .col(string_len("channel", 16))
                    .col(string_len("language", 8))
                    .col(string_len("address", 320))
                    .col(string_len_null("subject", 300))
                    // What goes out; a PIN or a code is wiped once the gateway took it.
                    .col(text("body"))
                    // What the administrator sees: the same with secrets masked.
                    .col(text("shown_body"))
                    .col(string_len("state", 16))
                    .col(timestamp_with_time_zone("not_before"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(integer("attempts").default(0))
                    .col(string_len_null("gateway_id", 100))
                    .col(integer_null("segments"))
                    .col(string_len_null("receipt_status", 16))
                    .col(text_null("error"))
                    .col(boolean("is_test").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("inbound_sms")
                    .col(pk_uuid("id"))
                    // `reply` or `receipt`.
                    .col(string_len("kind", 16))
                    .col(string_len("from_number", 32))
                    .col(text("text"))
                    // A receipt: the id of the message it reports on, and its final state.
                    .col(string_len_null("receipt_for", 100))
                    .col(string_len_null("receipt_status", 16))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(timestamp_with_time_zone_null("processed_at"))
                    // A reply: `answered`, `stopped`, `shown` (to the dispatchers).
                    .col(string_len_null("outcome", 16))
                    .col(uuid_null("complaint_id"))
                    .col(integer("attempts").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sms_opt_outs")
                    .col(string_len("phone", 32).primary_key())
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("message_preferences")
                    .col(uuid("user_id"))
                    .col(string_len("kind", 32))
                    .col(string_len("channel", 16))
                    .col(boolean("enabled"))
                    .primary_key(Index::create().col("user_id").col("kind").col("channel"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("message_preferences", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("message_settings")
                    .col(uuid("user_id").primary_key())
                    .col(string_len("language", 8))
                    .col(integer_null("digest_minutes"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("message_settings", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("message_templates")
                    .col(string_len("kind", 32))
                    .col(string_len("channel", 16))
                    .col(string_len("language", 8))
                    .col(string_len_null("subject", 300))
                    .col(text("body"))
                    .col(uuid("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("kind").col("channel").col("language"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("digest_entries")
                    .col(pk_uuid("id"))
                    .col(uuid("user_id"))
                    .col(uuid("complaint_id"))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("daily_runs")
                    .col(string_len("job", 32))
                    .col(date("day"))
                    .col(timestamp_with_time_zone("at"))
                    .primary_key(Index::create().col("job").col("day"))
                    .to_owned(),
            )
            .await?;
        for statement in [
            index("ix_deliveries_due", "deliveries", &["state", "not_before"]),
            index("ix_deliveries_gateway", "deliveries", &["gateway_id"]),
            index(
                "ix_deliveries_address",
                "deliveries",
                &["address", "channel", "sent_at"],
            ),
            index("ix_deliveries_complaint", "deliveries", &["complaint_id"]),
            index("ix_deliveries_created", "deliveries", &["created_at"]),
            index(
                "ix_inbound_unprocessed",
                "inbound_sms",
                &["processed_at", "received_at"],
            ),
            index("ix_inbound_complaint", "inbound_sms", &["complaint_id"]),
            index("ix_digest_user", "digest_entries", &["user_id", "at"]),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "daily_runs",
            "digest_entries",
            "message_templates",
            "message_settings",
            "message_preferences",
            "sms_opt_outs",
            "inbound_sms",
            "deliveries",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
