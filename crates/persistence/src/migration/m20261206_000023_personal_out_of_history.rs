//! Personal data out of the hashed history (152-ФЗ): the free text and the names an event's
//! details hold (`domain::PERSONAL_FIELDS`: a registration's `description` and masked
//! `applicant_phone`, an assignment's `executor`) move from the hashed `payload` to a new column,
//! `complaint_events.personal`, that the hash chain does not cover, so that erasure can redact
//! them (with `comment` and `on_behalf_of`, also never hashed) and the chain still verifies.
//!
//! Existing events are rewritten once, here: each payload loses its personal fields to
//! `personal`, and every chain is recomputed in each complaint's order (`at`, then `id`), as
//! migration 000022 first computed it. The daily checkpoints are recomputed from the new heads
//! (the service was not live yet: no checkpoint had left the database). The append-only triggers
//! are lifted for this rewrite only and stand again before the migration ends (on PostgreSQL the
//! migration is one transaction, so no other session ever sees them lifted). `down` moves the
//! fields back and recomputes the chains the same way.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};
use serde_json::Value;
use uuid::Uuid;

use domain::history_chain::{Digest32, EventContent, event_hash, merkle_root};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_NO_UPDATE: &str = "CREATE TRIGGER IF NOT EXISTS complaint_events_no_update BEFORE UPDATE ON complaint_events \
     BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END";

/// Which way the personal fields move.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// From the payload to `personal`.
    Out,
    /// Back into the payload.
    Back,
}

async fn lift_triggers(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(
                "ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only",
            )
            .await?;
        }
        _ => {
            db.execute_unprepared("DROP TRIGGER IF EXISTS complaint_events_no_update")
                .await?;
        }
    }
    Ok(())
}

async fn restore_triggers(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    match db.get_database_backend() {
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

/// Moves the personal fields of every event and recomputes every chain and checkpoint.
async fn rewrite(manager: &SchemaManager<'_>, direction: Direction) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, complaint_id, kind, from_status, to_status, actor_kind, actor_id, \
             round, at, payload, personal FROM complaint_events ORDER BY complaint_id, at, id",
        ))
        .await?;
    let mut previous: Option<(Uuid, Digest32)> = None;
    // Every event's time and new hash, by complaint, for the checkpoints.
    let mut hashes: BTreeMap<Uuid, Vec<(DateTime<Utc>, Digest32)>> = BTreeMap::new();
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let payload: Value = row.try_get("", "payload")?;
        let personal: Option<Value> = row.try_get("", "personal")?;
        let (payload, personal) = match (direction, payload) {
            (Direction::Out, Value::Object(fields)) => {
                let (hashed, moved) = domain::split_personal(fields);
                let personal = match (personal, moved) {
                    (Some(Value::Object(mut old)), Some(Value::Object(new))) => {
                        old.extend(new);
                        Some(Value::Object(old))
                    }
                    (old, None) => old,
                    (_, moved) => moved,
                };
                (Value::Object(hashed), personal)
            }
            (Direction::Back, Value::Object(mut fields)) => {
                if let Some(Value::Object(moved)) = personal {
                    fields.extend(moved);
                }
                (Value::Object(fields), None)
            }
            (_, other) => {
                return Err(DbErr::Migration(format!(
                    "event {id}: the payload is not an object: {other}"
                )));
            }
        };
        let content = EventContent {
            complaint_id: row.try_get("", "complaint_id")?,
            kind: row.try_get("", "kind")?,
            from_status: row.try_get("", "from_status")?,
            to_status: row.try_get("", "to_status")?,
            actor_kind: row.try_get("", "actor_kind")?,
            actor_id: row.try_get("", "actor_id")?,
            round: i64::from(row.try_get::<i32>("", "round")?),
            at: row.try_get("", "at")?,
            payload: payload.clone(),
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
                    .value("payload", payload)
                    .value("personal", personal)
                    .value("prev_hash", prev.to_hex())
                    .value("hash", hash.to_hex())
                    .and_where(Expr::col("id").eq(id))
                    .to_owned(),
            )
            .await?;
        hashes
            .entry(content.complaint_id)
            .or_default()
            .push((content.at, hash));
        previous = Some((content.complaint_id, hash));
    }
    let checkpoints = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT day, cutoff FROM history_checkpoints",
        ))
        .await?;
    for checkpoint in checkpoints {
        let day: chrono::NaiveDate = checkpoint.try_get("", "day")?;
        let cutoff: DateTime<Utc> = checkpoint.try_get("", "cutoff")?;
        let heads: Vec<(Uuid, Digest32)> = hashes
            .iter()
            .filter_map(|(complaint, events)| {
                events
                    .iter()
                    .rfind(|(at, _)| *at < cutoff)
                    .map(|(_, hash)| (*complaint, *hash))
            })
            .collect();
        manager
            .exec_stmt(
                Query::update()
                    .table("history_checkpoints")
                    .value("root", merkle_root(&heads).to_hex())
                    .value(
                        "complaints",
                        <i64 as TryFrom<usize>>::try_from(heads.len()).unwrap_or(i64::MAX),
                    )
                    .and_where(Expr::col("day").eq(day))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("complaint_events")
                    .add_column(json_binary_null("personal"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        lift_triggers(db).await?;
        rewrite(manager, Direction::Out).await?;
        restore_triggers(db).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        lift_triggers(db).await?;
        rewrite(manager, Direction::Back).await?;
        restore_triggers(db).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("complaint_events")
                    .drop_column("personal")
                    .to_owned(),
            )
            .await
    }
}
