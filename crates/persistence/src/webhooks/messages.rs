//! The messages on their way: written with the outbox, claimed in order, settled per attempt,
//! listed and replayed.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::entities::{notification, user, webhook_attempt, webhook_endpoint, webhook_message};
use crate::sql::{placeholders, skip_locked};
use crate::{Db, RepoError};

use super::MessageState;

/// A message to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub endpoint_id: Uuid,
    pub webhook_id: String,
    pub complaint_id: Option<Uuid>,
    pub event_type: domain::EventType,
    pub body: String,
    pub is_test: bool,
}

/// Writes messages in the transaction that takes their outbox message.
pub(crate) async fn enqueue_in<C: ConnectionTrait>(
    conn: &C,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    if messages.is_empty() {
        return Ok(());
    }
    webhook_message::Entity::insert_many(messages.iter().map(|m| webhook_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        endpoint_id: Set(m.endpoint_id),
        webhook_id: Set(m.webhook_id.clone()),
        complaint_id: Set(m.complaint_id),
        event_type: Set(m.event_type.as_str().to_owned()),
        body: Set(m.body.clone()),
        state: Set(MessageState::Pending.as_str().to_owned()),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        attempts: Set(0),
        last_status: Set(None),
        last_error: Set(None),
        is_test: Set(m.is_test),
        created_at: Set(now),
        delivered_at: Set(None),
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// A message this sender holds until `claimed_until`, with what it needs to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    pub webhook_id: String,
    pub body: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
    pub claimed_until: DateTime<Utc>,
    pub url: String,
    /// The secrets to sign with: the current one, and the previous one during its grace.
    pub secrets: Vec<String>,
    pub failing_since: Option<DateTime<Utc>>,
}

#[derive(Debug, FromQueryResult)]
struct IdRow {
    id: Uuid,
}

/// How much one claim takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimLimits {
    /// Messages in all.
    pub total: u64,
    /// Messages of one endpoint, so that a slow one cannot take every place.
    pub per_endpoint: u64,
}

/// Takes due messages that no other sender holds, oldest first: of enabled endpoints not in
/// `busy` (those already have as many in flight as they may), and never a complaint's event
/// while an earlier one to the same endpoint is still pending.
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    hold: Duration,
    limits: ClaimLimits,
    busy: &[Uuid],
) -> Result<Vec<Claimed>, RepoError> {
    let ClaimLimits {
        total: limit,
        per_endpoint,
    } = limits;
    let conn = db.connection();
    let backend = conn.get_database_backend();
    let claimed_until = now + hold;
    let busy_filter = if busy.is_empty() {
        String::new()
    } else {
        format!(
            " AND m.endpoint_id NOT IN ({})",
            vec!["?"; busy.len()].join(", ")
        )
    };
    let pending = MessageState::Pending.as_str();
    // The window keeps one endpoint from taking the whole batch; the lock is taken on the
    // plain rows, since PostgreSQL locks no rows of a windowed query.
    let sql = format!(
        "UPDATE webhook_messages SET claimed_until = ?, attempts = attempts + 1 WHERE id IN (\
         SELECT id FROM webhook_messages WHERE id IN (\
         SELECT id FROM (SELECT m.id, m.next_attempt_at, ROW_NUMBER() OVER (PARTITION BY m.endpoint_id \
         ORDER BY m.next_attempt_at, m.id) AS place FROM webhook_messages m \
         WHERE m.state = '{pending}' AND m.next_attempt_at <= ? \
         AND (m.claimed_until IS NULL OR m.claimed_until < ?){busy_filter} \
         AND m.endpoint_id IN (SELECT e.id FROM webhook_endpoints e WHERE e.enabled = ?) \
         AND NOT EXISTS (SELECT 1 FROM webhook_messages p WHERE p.endpoint_id = m.endpoint_id \
         AND p.complaint_id = m.complaint_id AND p.state = '{pending}' \
         AND (p.created_at < m.created_at OR (p.created_at = m.created_at AND p.id < m.id)))) ranked \
         WHERE place <= {per_endpoint} ORDER BY next_attempt_at, id LIMIT {limit}){}) RETURNING id",
        skip_locked(backend)
    );
    let mut values: Vec<sea_orm::Value> = vec![claimed_until.into(), now.into(), now.into()];
    values.extend(busy.iter().map(|id| sea_orm::Value::from(*id)));
    values.push(true.into());
    let statement = Statement::from_sql_and_values(backend, placeholders(backend, &sql), values);
    let ids: Vec<Uuid> = conn
        .query_all_raw(statement)
        .await?
        .iter()
        .map(|row| IdRow::from_query_result(row, "").map(|r| r.id))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = webhook_message::Entity::find()
        .filter(webhook_message::Column::Id.is_in(ids))
        .order_by(webhook_message::Column::CreatedAt, Order::Asc)
        .order_by(webhook_message::Column::Id, Order::Asc)
        .all(conn)
        .await?;
    let endpoints: std::collections::HashMap<Uuid, webhook_endpoint::Model> =
        webhook_endpoint::Entity::find()
            .filter(
                webhook_endpoint::Column::Id
                    .is_in(rows.iter().map(|r| r.endpoint_id).collect::<Vec<_>>()),
            )
            .all(conn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(endpoint) = endpoints.get(&row.endpoint_id) else {
            continue;
        };
        let mut secrets = vec![endpoint.secret.clone()];
        if let (Some(previous), Some(until)) =
            (&endpoint.previous_secret, endpoint.previous_valid_until)
            && until > now
        {
            secrets.push(previous.clone());
        }
        claimed.push(Claimed {
            id: row.id,
            endpoint_id: row.endpoint_id,
            webhook_id: row.webhook_id,
            body: row.body,
            attempts: u32::try_from(row.attempts).unwrap_or(1),
            claimed_until,
            url: endpoint.url.clone(),
            secrets,
            failing_since: endpoint.failing_since,
        });
    }
    Ok(claimed)
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    pub latency_ms: u32,
    /// Why it did not count, when it did not.
    pub error: Option<String>,
    /// The message's next state: delivered, pending (retried at `retry_at`) or failed.
    pub next: MessageState,
    pub retry_at: Option<DateTime<Utc>>,
    /// The endpoint's health after it.
    pub health: domain::Health,
}

/// Records an attempt, moves the message on and the endpoint's health with it, in one
/// transaction. Returns false (and writes nothing) when the claim ran out meanwhile; true with
/// `switched_off` when this attempt switched the endpoint off.
pub async fn settle(
    db: &Db,
    claim: &Claimed,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<Settled, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let mut update = webhook_message::Entity::update_many()
        .col_expr(
            webhook_message::Column::State,
            Expr::value(attempt.next.as_str()),
        )
        .col_expr(
            webhook_message::Column::LastStatus,
            Expr::value(attempt.status.map(i32::from)),
        )
        .col_expr(
            webhook_message::Column::LastError,
            Expr::value(attempt.error.clone()),
        )
        .col_expr(
            webhook_message::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    if let Some(retry_at) = attempt.retry_at {
        update = update.col_expr(
            webhook_message::Column::NextAttemptAt,
            Expr::value(retry_at),
        );
    }
    if attempt.next == MessageState::Delivered {
        update = update.col_expr(webhook_message::Column::DeliveredAt, Expr::value(Some(now)));
    }
    let updated = update
        .filter(webhook_message::Column::Id.eq(claim.id))
        .filter(webhook_message::Column::State.eq(MessageState::Pending.as_str()))
        .filter(webhook_message::Column::ClaimedUntil.eq(claim.claimed_until))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(Settled::ClaimLost);
    }
    webhook_attempt::Entity::insert(webhook_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        message_id: Set(claim.id),
        endpoint_id: Set(claim.endpoint_id),
        attempted_at: Set(now),
        status: Set(attempt.status.map(i32::from)),
        latency_ms: Set(i32::try_from(attempt.latency_ms).unwrap_or(i32::MAX)),
        error: Set(attempt.error.clone()),
    })
    .exec_without_returning(&txn)
    .await?;
    let mut endpoint = webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::FailingSince,
            Expr::value(attempt.health.failing_since),
        )
        .filter(webhook_endpoint::Column::Id.eq(claim.endpoint_id));
    if attempt.health.disable {
        endpoint = endpoint
            .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
            .col_expr(
                webhook_endpoint::Column::DisabledReason,
                Expr::value(Some(
                    "switched off after failing for a day without a success".to_owned(),
                )),
            )
            .filter(webhook_endpoint::Column::Enabled.eq(true));
    }
    let switched = endpoint.exec(&txn).await?.rows_affected == 1 && attempt.health.disable;
    if switched {
        notify_switched_off(&txn, claim, now).await?;
    }
    txn.commit().await?;
    Ok(if switched {
        Settled::SwitchedOff
    } else {
        Settled::Recorded
    })
}

/// The outcome of [`settle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Recorded,
    /// Recorded, and the endpoint is now off: its owner and the administrators were told.
    SwitchedOff,
    /// Another sender holds the message now; nothing was written.
    ClaimLost,
}

/// Tells the owner's staff and the administrators, in the app, that an endpoint was switched off.
async fn notify_switched_off(
    txn: &DatabaseTransaction,
    claim: &Claimed,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let Some(endpoint) = webhook_endpoint::Entity::find_by_id(claim.endpoint_id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let people = user::Entity::find()
        .filter(user::Column::IsActive.eq(true))
        .filter(user::Column::IsService.eq(false))
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::OrganisationId.eq(endpoint.organisation_id))
                .add(user::Column::Role.eq(domain::Role::Admin.as_str())),
        )
        .all(txn)
        .await?;
    if people.is_empty() {
        return Ok(());
    }
    let text = format!(
        "Вебхук {} отключён: он не принимал события сутки. Исправьте приёмник и включите его снова. \
         / Webhook {} was switched off after failing for a day; fix the receiver and switch it back on.",
        endpoint.url, endpoint.url
    );
    notification::Entity::insert_many(people.into_iter().map(|person| notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(person.id),
        complaint_id: Set(None),
        kind: Set("webhook_disabled".to_owned()),
        text: Set(text.clone()),
        created_at: Set(now),
        read_at: Set(None),
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// One attempt as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    pub id: Uuid,
    pub message_id: Uuid,
    pub webhook_id: String,
    pub event_type: String,
    pub attempted_at: DateTime<Utc>,
    pub status: Option<u16>,
    pub latency_ms: u32,
    pub error: Option<String>,
}

/// The endpoint's attempts, newest first, before the attempt `before` (keyset).
pub async fn attempts(
    db: &Db,
    endpoint_id: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<AttemptRecord>, RepoError> {
    let conn = db.connection();
    let mut query = webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::EndpointId.eq(endpoint_id))
        .order_by(webhook_attempt::Column::Id, Order::Desc)
        .limit(limit);
    if let Some(before) = before {
        query = query.filter(webhook_attempt::Column::Id.lt(before));
    }
    let rows = query.all(conn).await?;
    let messages: std::collections::HashMap<Uuid, (String, String)> =
        webhook_message::Entity::find()
            .filter(
                webhook_message::Column::Id
                    .is_in(rows.iter().map(|r| r.message_id).collect::<Vec<_>>()),
            )
            .all(conn)
            .await?
            .into_iter()
            .map(|m| (m.id, (m.webhook_id, m.event_type)))
            .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let (webhook_id, event_type) =
                messages.get(&row.message_id).cloned().unwrap_or_default();
            AttemptRecord {
                id: row.id,
                message_id: row.message_id,
                webhook_id,
                event_type,
                attempted_at: row.attempted_at,
                status: row.status.and_then(|s| u16::try_from(s).ok()),
                latency_ms: u32::try_from(row.latency_ms).unwrap_or(0),
                error: row.error,
            }
        })
        .collect())
}

/// Which messages to send again.
#[derive(Debug, Clone)]
pub enum Replay {
    /// One event, by its `webhook-id`.
    Message(String),
    /// Every message created in `[from, to)`.
    Range {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
}

/// Queues messages of an endpoint again, with a fresh retry schedule and the same `webhook-id`.
/// Returns how many.
pub async fn replay(
    db: &Db,
    endpoint_id: Uuid,
    which: &Replay,
    now: DateTime<Utc>,
) -> Result<u64, RepoError> {
    let mut update = webhook_message::Entity::update_many()
        .col_expr(
            webhook_message::Column::State,
            Expr::value(MessageState::Pending.as_str()),
        )
        .col_expr(webhook_message::Column::NextAttemptAt, Expr::value(now))
        .col_expr(webhook_message::Column::Attempts, Expr::value(0))
        .col_expr(
            webhook_message::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_message::Column::EndpointId.eq(endpoint_id))
        // One a sender holds now is left to it.
        .filter(
            sea_orm::Condition::any()
                .add(webhook_message::Column::ClaimedUntil.is_null())
                .add(webhook_message::Column::ClaimedUntil.lt(now)),
        );
    update = match which {
        Replay::Message(webhook_id) => {
            update.filter(webhook_message::Column::WebhookId.eq(webhook_id.clone()))
        }
        Replay::Range { from, to } => update
            .filter(webhook_message::Column::CreatedAt.gte(*from))
            .filter(webhook_message::Column::CreatedAt.lt(*to)),
    };
    Ok(update.exec(db.connection()).await?.rows_affected)
}

/// Counts of an endpoint's messages by state.
pub async fn message_counts(db: &Db, endpoint_id: Uuid) -> Result<MessageCounts, RepoError> {
    #[derive(Debug, FromQueryResult)]
    struct CountRow {
        state: String,
        n: i64,
    }
    let rows = webhook_message::Entity::find()
        .select_only()
        .column(webhook_message::Column::State)
        .column_as(webhook_message::Column::Id.count(), "n")
        .filter(webhook_message::Column::EndpointId.eq(endpoint_id))
        .group_by(webhook_message::Column::State)
        .into_model::<CountRow>()
        .all(db.connection())
        .await?;
    let mut counts = MessageCounts::default();
    for row in rows {
        let n = u64::try_from(row.n).unwrap_or(0);
        match row.state.as_str() {
            "pending" => counts.pending = n,
            "delivered" => counts.delivered = n,
            "failed" => counts.failed = n,
            _ => {}
        }
    }
    Ok(counts)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}
