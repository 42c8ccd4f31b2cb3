//! Complaints, their append-only events, orders, fines, attachments, the outbox and in-app
//! notifications, plus the tables behind idempotency, refresh tokens, API keys and audit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn index(name: &str, table: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for col in cols {
        index.col(*col);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("counters")
                    .col(string_len("name", 64).primary_key())
                    .col(big_integer("value"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("complaints")
                    .col(pk_uuid("id"))
                    .col(string_len_uniq("number", 32))
                    .col(string_len("status", 32))
                    .col(integer("round"))
                    .col(boolean("urgent"))
                    .col(uuid_null("author_id"))
                    .col(uuid("filed_by"))
                    .col(string_len_null("applicant_name", 200))
                    .col(string_len_null("applicant_phone", 16))
                    .col(string_len_null("consent_version", 32))
                    .col(string_len_null("pin_hash", 200))
                    .col(uuid("building_id"))
                    .col(string_len_null("flat", 16))
                    .col(uuid_null("company_id"))
                    .col(uuid("category_id"))
                    .col(text("description"))
                    // Lower-cased number, description and address, for search on both backends.
                    .col(text("search_text"))
                    .col(timestamp_with_time_zone("registered_at"))
                    .col(timestamp_with_time_zone_null("due_at"))
                    .col(timestamp_with_time_zone("answer_due_at"))
                    .col(timestamp_with_time_zone_null("paused_since"))
                    .col(integer("unanswered_calls"))
                    .col(string_len_null("executor", 200))
                    .col(uuid_null("order_id"))
                    .col(boolean("overdue").default(false))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(big_integer("version"))
                    .col(boolean("is_test").default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from("complaints", "building_id")
                            .to("buildings", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("complaints", "category_id")
                            .to("categories", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("complaints", "filed_by")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for statement in [
            index(
                "ix_complaints_company_queue",
                "complaints",
                &["company_id", "status", "registered_at", "id"],
            ),
            index(
                "ix_complaints_board",
                "complaints",
                &["registered_at", "id"],
            ),
            index(
                "ix_complaints_status_due",
                "complaints",
                &["status", "due_at"],
            ),
            index(
                "ix_complaints_author",
                "complaints",
                &["author_id", "registered_at"],
            ),
            index(
                "ix_complaints_filed_by",
                "complaints",
                &["filed_by", "registered_at"],
            ),
            index(
                "ix_complaints_duplicates",
                "complaints",
                &["building_id", "category_id", "status"],
            ),
        ] {
            manager.create_index(statement).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("complaint_events")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(string_len("kind", 32))
                    .col(uuid_null("actor_id"))
                    .col(string_len("actor_role", 16))
                    .col(string_len_null("on_behalf_of", 200))
                    .col(string_len_null("from_status", 32))
                    .col(string_len("to_status", 32))
                    .col(integer("round"))
                    .col(timestamp_with_time_zone("at"))
                    .col(text_null("comment"))
                    .col(json_binary("payload"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("complaint_events", "complaint_id")
                            .to("complaints", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_events_complaint",
                "complaint_events",
                &["complaint_id", "at", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("orders")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(uuid("company_id"))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(boolean_null("complied"))
                    .col(uuid("issued_by"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(timestamp_with_time_zone_null("checked_at"))
                    .col(boolean("is_test").default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from("orders", "complaint_id")
                            .to("complaints", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("ix_orders_complaint", "orders", &["complaint_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("fines")
                    .col(pk_uuid("id"))
                    .col(uuid("complaint_id"))
                    .col(uuid_null("order_id"))
                    .col(uuid("company_id"))
                    .col(big_integer("amount_rub"))
                    .col(string_len("legal_basis", 200))
                    .col(uuid("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .col(boolean("is_test").default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from("fines", "complaint_id")
                            .to("complaints", "id"),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(pk_uuid("id"))
                    .col(string_len("topic", 64))
                    .col(uuid_null("complaint_id"))
                    .col(json_binary("payload"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    // A worker that took the message holds it until then; afterwards another may.
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(integer("attempts").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_outbox_pending",
                "outbox",
                &["delivered_at", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(pk_uuid("id"))
                    .col(uuid("user_id"))
                    .col(uuid_null("complaint_id"))
                    .col(string_len("kind", 32))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_notifications_user",
                "notifications",
                &["user_id", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(uuid("user_id"))
                    .col(string_len("key", 128))
                    .col(string_len("request_hash", 64))
                    .col(integer_null("status"))
                    .col(text_null("response"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("user_id").col("key"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("refresh_tokens")
                    .col(pk_uuid("id"))
                    .col(uuid("user_id"))
                    .col(uuid("family_id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("login_failures")
                    .col(pk_uuid("id"))
                    .col(string_len("login", 254))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_login_failures",
                "login_failures",
                &["login", "at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(pk_uuid("id"))
                    .col(uuid("actor_id"))
                    .col(string_len("action", 64))
                    .col(uuid_null("complaint_id"))
                    .col(json_binary("details"))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_log",
            "login_failures",
            "refresh_tokens",
            "idempotency_keys",
            "notifications",
            "outbox",
            "fines",
            "orders",
            "complaint_events",
            "complaints",
            "counters",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
