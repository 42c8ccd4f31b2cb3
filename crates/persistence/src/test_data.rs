//! Leaving test mode: counting, and deleting in one transaction, every row marked as test.
//!
//! Test data is what pilot mode created: complaints with `is_test` and everything that hangs off
//! them (events, attachments with their stored bytes, orders, fines, departures, the outbox,
//! notifications, deliveries, escalation firings, inbound SMS, webhook messages and their attempts, digest entries),
//! deliveries, webhook messages and phone verifications marked `is_test` themselves, and test
//! accounts with what is theirs alone (sessions, idempotency keys, preferences). The history
//! checkpoints of the pilot go too: they fold in the chains of test complaints.
//!
//! A test account stays when a real complaint names it (as author or filer) or it created an API
//! key: deleting it would break a real row. Service accounts of real organisations are never
//! marked as test, so they stay too. Organisations and buildings are registry data and stay.
//!
//! The events are deleted past the append-only triggers by switching purge mode on inside the
//! transaction (see migration `m20261206_000021_purge_test_data`); the triggers still refuse
//! the delete of any event whose complaint is not marked as test.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use crate::entities::audit_log;
use crate::{Db, RepoError, begin_write};

/// The test complaints.
const TEST_COMPLAINTS: &str = "SELECT id FROM complaints WHERE is_test";

/// The test accounts that may go: marked as test, and named by no real complaint or API key.
const TEST_USERS: &str = "SELECT id FROM users WHERE is_test \
     AND id NOT IN (SELECT filed_by FROM complaints WHERE NOT is_test) \
     AND id NOT IN (SELECT author_id FROM complaints WHERE NOT is_test AND author_id IS NOT NULL) \
     AND id NOT IN (SELECT created_by FROM api_keys)";

/// Each table and the condition of its test rows, in the order they are deleted (what refers
/// to a row goes before it).
fn test_rows() -> Vec<(&'static str, String)> {
    let c = TEST_COMPLAINTS;
    let u = TEST_USERS;
    vec![
        (
            "webhook_attempts",
            format!(
                "message_id IN (SELECT id FROM webhook_messages WHERE is_test OR complaint_id IN ({c}))"
            ),
        ),
        (
            "webhook_messages",
            format!("is_test OR complaint_id IN ({c})"),
        ),
        (
            "digest_entries",
            format!("complaint_id IN ({c}) OR user_id IN ({u})"),
        ),
        (
            "deliveries",
            format!("is_test OR complaint_id IN ({c}) OR user_id IN ({u})"),
        ),
        ("inbound_sms", format!("complaint_id IN ({c})")),
        (
            "notifications",
            format!("complaint_id IN ({c}) OR user_id IN ({u})"),
        ),
        ("escalation_firings", format!("complaint_id IN ({c})")),
        ("complaint_clocks", format!("complaint_id IN ({c})")),
        ("outbox", format!("complaint_id IN ({c})")),
        ("attachments", format!("complaint_id IN ({c})")),
        ("inspection_visits", format!("complaint_id IN ({c})")),
        ("inspection_acts", format!("complaint_id IN ({c})")),
        ("fines", format!("complaint_id IN ({c})")),
        ("orders", format!("complaint_id IN ({c})")),
        ("complaint_departures", format!("complaint_id IN ({c})")),
        // The pilot's checkpoints fold in test complaints' chains, which are about to go: they
        // could no longer be recomputed. The next day's checkpoint covers the real history.
        ("history_checkpoints", format!("EXISTS ({c})")),
        ("complaint_events", format!("complaint_id IN ({c})")),
        ("complaints", "is_test".to_owned()),
        ("phone_verifications", "is_test".to_owned()),
        ("refresh_tokens", format!("user_id IN ({u})")),
        ("idempotency_keys", format!("user_id IN ({u})")),
        ("message_preferences", format!("user_id IN ({u})")),
        ("message_settings", format!("user_id IN ({u})")),
        ("users", format!("id IN ({u})")),
        // The pilot's people (migration 000095), once nothing that stays refers to them.
        (
            "persons",
            format!(
                "is_test \
                 AND id NOT IN (SELECT applicant_id FROM complaints \
                                WHERE NOT is_test AND applicant_id IS NOT NULL) \
                 AND id NOT IN (SELECT person_id FROM users \
                                WHERE person_id IS NOT NULL AND id NOT IN ({u})) \
                 AND id NOT IN (SELECT person_id FROM complaint_followers \
                                WHERE person_id IS NOT NULL AND complaint_id NOT IN ({c}))"
            ),
        ),
    ]
}

/// How many rows of one table are (or were) test data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: u64,
}

/// The test rows of each table, in the order of deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeCounts {
    pub tables: Vec<TableCount>,
}

impl PurgeCounts {
    pub fn total(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.tables
                .iter()
                .map(|t| (t.table.to_owned(), serde_json::Value::from(t.rows)))
                .collect(),
        )
    }
}

/// Counts the test rows of each table; changes nothing.
pub async fn count(db: &Db) -> Result<PurgeCounts, RepoError> {
    let db = db.connection();
    let backend = db.get_database_backend();
    let mut tables = Vec::new();
    for (table, condition) in test_rows() {
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table} WHERE {condition}"),
            ))
            .await?;
        let rows = match row {
            Some(row) => row.try_get::<i64>("", "n")?,
            None => 0,
        };
        tables.push(TableCount {
            table,
            rows: u64::try_from(rows).unwrap_or(0),
        });
    }
    Ok(PurgeCounts { tables })
}

/// Deletes every test row in one transaction and records it in the audit log as done by
/// `actor_id` at `now`, with the counts. With no test rows it deletes nothing and still records
/// that the purge ran.
pub async fn purge(db: &Db, actor_id: Uuid, now: DateTime<Utc>) -> Result<PurgeCounts, RepoError> {
    let conn = db.connection();
    let backend = conn.get_database_backend();
    let txn = begin_write(conn).await?;
    match backend {
        DbBackend::Postgres => {
            txn.execute_unprepared("SELECT set_config('dispatch.purge', 'on', true)")
                .await?;
        }
        _ => {
            txn.execute_unprepared("INSERT INTO purge_mode (id) VALUES (1)")
                .await?;
        }
    }
    let mut tables = Vec::new();
    for (table, condition) in test_rows() {
        let result = txn
            .execute_unprepared(&format!("DELETE FROM {table} WHERE {condition}"))
            .await?;
        tables.push(TableCount {
            table,
            rows: result.rows_affected(),
        });
    }
    match backend {
        DbBackend::Postgres => {
            txn.execute_unprepared("SELECT set_config('dispatch.purge', 'off', true)")
                .await?;
        }
        _ => {
            txn.execute_unprepared("DELETE FROM purge_mode").await?;
        }
    }
    let counts = PurgeCounts { tables };
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        action: Set("test_data.purged".to_owned()),
        complaint_id: Set(None),
        details: Set(serde_json::json!({
            "total": counts.total(),
            "tables": counts.to_json(),
        })),
        at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(counts)
}
