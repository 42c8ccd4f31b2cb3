//! Tamper-evident history: every complaint event gets `prev_hash` and `hash` (see
//! `domain::history_chain`), and the daily checkpoints of all chain heads get a table.
//!
//! Existing events are backfilled here, in each complaint's order (`at`, then `id`), so that a
//! chain is whole from its first event: the append-only triggers are lifted for the backfill only
//! and stand again before the migration ends (on PostgreSQL the migration is one transaction).

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};
use uuid::Uuid;

use domain::history_chain::{Digest32, EventContent, event_hash};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_NO_UPDATE: &str = "CREATE TRIGGER IF NOT EXISTS complaint_events_no_update BEFORE UPDATE ON complaint_events \
     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["prev_hash", "hash"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaint_events")
                        .add_column(string_len_null(column, 64))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("history_checkpoints")
                    // The UTC day; the checkpoint covers the events before the next midnight.
                    .col(date("day").primary_key())
                    .col(timestamp_with_time_zone("cutoff"))
                    .col(string_len("root", 64))
                    .col(big_integer("complaints"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        match backend {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER complaint_events_no_update")
                    .await?;
            }
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, complaint_id, kind, from_status, to_status, actor_kind, actor_id, \
                 round, at, payload FROM complaint_events ORDER BY complaint_id, at, id",
            ))
            .await?;
        let mut previous: Option<(Uuid, Digest32)> = None;
        for row in rows {
            let id: Uuid = row.try_get("", "id")?;
            let content = EventContent {
                complaint_id: row.try_get("", "complaint_id")?,
                kind: row.try_get("", "kind")?,
                from_status: row.try_get("", "from_status")?,
                to_status: row.try_get("", "to_status")?,
                actor_kind: row.try_get("", "actor_kind")?,
                actor_id: row.try_get("", "actor_id")?,
                round: i64::from(row.try_get::<i32>("", "round")?),
                at: row.try_get("", "at")?,
                payload: row.try_get("", "payload")?,
            };
            let prev = match previous {
                Some((complaint, hash)) if complaint == content.complaint_id => hash,
                _ => Digest32::ZERO,
            };
            let hash = event_hash(prev, &content);
            manager
                .exec_stmt(
                    Query::update()
                        .table("complaint_events")
                        .value("prev_hash", prev.to_hex())
                        .value("hash", hash.to_hex())
                        .and_where(Expr::col("id").eq(id))
                        .to_owned(),
                )
                .await?;
            previous = Some((content.complaint_id, hash));
        }
        match backend {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(SQLITE_NO_UPDATE).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("history_checkpoints").to_owned())
            .await?;
        for column in ["hash", "prev_hash"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaint_events")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
