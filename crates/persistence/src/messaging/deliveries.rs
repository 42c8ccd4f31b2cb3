//! Deliveries: one row per message, channel and address. Written in the transaction of what
//! caused them, claimed by exactly one sender (`FOR UPDATE SKIP LOCKED`), marked sent only on the
//! gateway's acknowledgement, and moved on by delivery receipts.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::entities::delivery;
use crate::mapping::parse_enum;
use crate::sql::{placeholders, skip_locked};
use crate::{Db, RepoError};

/// A delivery to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub complaint_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub language: domain::Language,
    /// A phone number in E.164 or an e-mail address.
    pub address: String,
    pub subject: Option<String>,
    pub body: String,
    /// The body as the administrator may see it: a PIN or a code masked.
    pub shown_body: String,
    /// Not before the end of the quiet hours.
    pub not_before: DateTime<Utc>,
    pub is_test: bool,
}

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub complaint_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub language: domain::Language,
    pub address: String,
    pub subject: Option<String>,
    pub shown_body: String,
    pub state: domain::DeliveryState,
    pub not_before: DateTime<Utc>,
    pub attempts: u32,
    pub gateway_id: Option<String>,
    pub segments: Option<u32>,
    pub receipt_status: Option<String>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A delivery taken by one sender until `claimed_until`: what to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub address: String,
    pub subject: Option<String>,
    pub body: String,
    pub shown_body: String,
    pub attempts: u32,
    pub claimed_until: DateTime<Utc>,
}

fn to_record(row: delivery::Model) -> Result<DeliveryRecord, RepoError> {
    Ok(DeliveryRecord {
        id: row.id,
        complaint_id: row.complaint_id,
        user_id: row.user_id,
        kind: parse_enum(&row.kind)?,
        channel: parse_enum(&row.channel)?,
        language: parse_enum(&row.language)?,
        address: row.address,
        subject: row.subject,
        shown_body: row.shown_body,
        state: parse_enum(&row.state)?,
        not_before: row.not_before,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        gateway_id: row.gateway_id,
        segments: row.segments.and_then(|s| u32::try_from(s).ok()),
        receipt_status: row.receipt_status,
        error: row.error,
        created_at: row.created_at,
        sent_at: row.sent_at,
        delivered_at: row.delivered_at,
    })
}

/// Writes deliveries on their own.
pub async fn enqueue(
    db: &Db,
    deliveries: &[NewDelivery],
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    enqueue_in(db.connection(), deliveries, now).await
}

/// Writes deliveries in the transaction of what caused them.
pub(crate) async fn enqueue_in<C: ConnectionTrait>(
    conn: &C,
    deliveries: &[NewDelivery],
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    if deliveries.is_empty() {
        return Ok(());
    }
    delivery::Entity::insert_many(deliveries.iter().map(|d| delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        complaint_id: Set(d.complaint_id),
        user_id: Set(d.user_id),
        kind: Set(d.kind.as_str().to_owned()),
        channel: Set(d.channel.as_str().to_owned()),
        language: Set(d.language.as_str().to_owned()),
        address: Set(d.address.clone()),
        subject: Set(d.subject.clone()),
        body: Set(d.body.clone()),
        shown_body: Set(d.shown_body.clone()),
        state: Set(domain::DeliveryState::Queued.as_str().to_owned()),
        not_before: Set(d.not_before),
        claimed_until: Set(None),
        attempts: Set(0),
        gateway_id: Set(None),
        segments: Set(None),
        receipt_status: Set(None),
        error: Set(None),
        is_test: Set(d.is_test),
        created_at: Set(now),
        sent_at: Set(None),
        delivered_at: Set(None),
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct IdRow {
    id: Uuid,
}

/// Takes up to `limit` queued deliveries of `channel` that are due and that no other sender
/// holds, oldest first, for `hold`.
pub async fn claim_due(
    db: &Db,
    channel: domain::Channel,
    now: DateTime<Utc>,
    hold: Duration,
    limit: u64,
) -> Result<Vec<Claimed>, RepoError> {
    let db = db.connection();
    let backend = db.get_database_backend();
    let claimed_until = now + hold;
    let sql = format!(
        "UPDATE deliveries SET claimed_until = ?, attempts = attempts + 1 WHERE id IN (SELECT id FROM deliveries \
         WHERE state = ? AND channel = ? AND not_before <= ? AND (claimed_until IS NULL OR claimed_until < ?) \
         ORDER BY not_before, id LIMIT {limit}{}) RETURNING id",
        skip_locked(backend)
    );
    let statement = Statement::from_sql_and_values(
        backend,
        placeholders(backend, &sql),
        [
            claimed_until.into(),
            domain::DeliveryState::Queued.as_str().into(),
            channel.as_str().into(),
            now.into(),
            now.into(),
        ],
    );
    let ids: Vec<Uuid> = db
        .query_all_raw(statement)
        .await?
        .iter()
        .map(|row| IdRow::from_query_result(row, "").map(|r| r.id))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = delivery::Entity::find()
        .filter(delivery::Column::Id.is_in(ids))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (r.not_before, r.id));
    rows.into_iter()
        .map(|row| {
            Ok(Claimed {
                id: row.id,
                kind: parse_enum(&row.kind)?,
                channel: parse_enum(&row.channel)?,
                address: row.address,
                subject: row.subject,
                body: row.body,
                shown_body: row.shown_body,
                attempts: u32::try_from(row.attempts).unwrap_or(1),
                claimed_until,
            })
        })
        .collect()
}

/// Only the sender that holds the claim may settle a delivery.
fn held(claim: &Claimed) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(delivery::Column::Id.eq(claim.id))
        .add(delivery::Column::State.eq(domain::DeliveryState::Queued.as_str()))
        .add(delivery::Column::ClaimedUntil.eq(claim.claimed_until))
}

/// The gateway acknowledged the delivery: records its id and segments, and wipes the secret
/// (the body becomes the shown body). False when the claim was lost meanwhile.
pub async fn mark_sent(
    db: &Db,
    claim: &Claimed,
    gateway_id: &str,
    segments: Option<u32>,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let result = delivery::Entity::update_many()
        .col_expr(
            delivery::Column::State,
            Expr::value(domain::DeliveryState::Sent.as_str()),
        )
        .col_expr(delivery::Column::GatewayId, Expr::value(gateway_id))
        .col_expr(
            delivery::Column::Segments,
            Expr::value(segments.and_then(|s| i32::try_from(s).ok())),
        )
        .col_expr(
            delivery::Column::Body,
            Expr::value(claim.shown_body.clone()),
        )
        .col_expr(delivery::Column::SentAt, Expr::value(Some(now)))
        .col_expr(delivery::Column::Error, Expr::value(Option::<String>::None))
        .col_expr(
            delivery::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(held(claim))
        .exec(db.connection())
        .await?;
    Ok(result.rows_affected == 1)
}

/// The gateway did not take it this time: back to the queue at `retry_at`, with the error.
pub async fn mark_retry(
    db: &Db,
    claim: &Claimed,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<(), RepoError> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Error, Expr::value(Some(error.to_owned())))
        .col_expr(delivery::Column::NotBefore, Expr::value(retry_at))
        .col_expr(
            delivery::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(held(claim))
        .exec(db.connection())
        .await?;
    Ok(())
}

/// Settles a delivery that will not go: `failed` (refused for good, out of retries) or
/// `suppressed` (СТОП, a limit). The secret is wiped.
pub async fn mark_final(
    db: &Db,
    claim: &Claimed,
    state: domain::DeliveryState,
    reason: &str,
) -> Result<(), RepoError> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::State, Expr::value(state.as_str()))
        .col_expr(
            delivery::Column::Error,
            Expr::value(Some(reason.to_owned())),
        )
        .col_expr(
            delivery::Column::Body,
            Expr::value(claim.shown_body.clone()),
        )
        .col_expr(
            delivery::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(held(claim))
        .exec(db.connection())
        .await?;
    Ok(())
}

/// A delivery receipt: moves the sent delivery with this gateway id to `delivered` or `failed`.
/// False when no sent delivery has the id (yet).
pub async fn apply_receipt(
    db: &Db,
    gateway_id: &str,
    receipt_status: &str,
    delivered: bool,
    at: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let state = if delivered {
        domain::DeliveryState::Delivered
    } else {
        domain::DeliveryState::Failed
    };
    let mut update = delivery::Entity::update_many()
        .col_expr(delivery::Column::State, Expr::value(state.as_str()))
        .col_expr(
            delivery::Column::ReceiptStatus,
            Expr::value(Some(receipt_status.to_owned())),
        );
    if delivered {
        update = update.col_expr(delivery::Column::DeliveredAt, Expr::value(Some(at)));
    } else {
        update = update.col_expr(
            delivery::Column::Error,
            Expr::value(Some(format!("the operator reports {receipt_status}"))),
        );
    }
    let result = update
        .filter(delivery::Column::GatewayId.eq(gateway_id))
        .filter(delivery::Column::State.eq(domain::DeliveryState::Sent.as_str()))
        .exec(db.connection())
        .await?;
    Ok(result.rows_affected >= 1)
}

fn sms_sent_since(since: DateTime<Utc>) -> sea_orm::Select<delivery::Entity> {
    delivery::Entity::find()
        .filter(delivery::Column::Channel.eq(domain::Channel::Sms.as_str()))
        .filter(delivery::Column::SentAt.gte(since))
        .filter(delivery::Column::Kind.ne(domain::MessageKind::VerificationCode.as_str()))
}

/// How many SMS (one-time codes aside) went to `phone` since `since`: for the per-person limit,
/// the same count whichever replica asks.
pub async fn sms_sent_to(db: &Db, phone: &str, since: DateTime<Utc>) -> Result<u32, RepoError> {
    let n = sms_sent_since(since)
        .filter(delivery::Column::Address.eq(phone))
        .count(db.connection())
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// How many SMS (one-time codes aside) went in all since `since`: for the daily limit.
pub async fn sms_sent_in_all(db: &Db, since: DateTime<Utc>) -> Result<u32, RepoError> {
    let n = sms_sent_since(since).count(db.connection()).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The complaint that `phone` was last asked about by SMS ("done?" or "please answer") in the
/// last `within`: what a reply from that number refers to.
pub async fn last_question_to(
    db: &Db,
    phone: &str,
    since: DateTime<Utc>,
) -> Result<Option<Uuid>, RepoError> {
    let row = delivery::Entity::find()
        .filter(delivery::Column::Channel.eq(domain::Channel::Sms.as_str()))
        .filter(delivery::Column::Address.eq(phone))
        .filter(delivery::Column::Kind.is_in([
            domain::MessageKind::Done.as_str(),
            domain::MessageKind::ReplyRequest.as_str(),
        ]))
        .filter(delivery::Column::State.is_in([
            domain::DeliveryState::Sent.as_str(),
            domain::DeliveryState::Delivered.as_str(),
        ]))
        .filter(delivery::Column::SentAt.gte(since))
        .order_by(delivery::Column::SentAt, Order::Desc)
        .one(db.connection())
        .await?;
    Ok(row.and_then(|r| r.complaint_id))
}

/// What the administrator's delivery list is filtered by.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub state: Option<domain::DeliveryState>,
    pub channel: Option<domain::Channel>,
    pub kind: Option<domain::MessageKind>,
    pub complaint_id: Option<Uuid>,
    /// Created at or after this instant (the start of a day in the city).
    pub created_from: Option<DateTime<Utc>>,
    /// Created strictly before this instant.
    pub created_to: Option<DateTime<Utc>>,
    /// Newest first, strictly before this `(created_at, id)`.
    pub before: Option<(DateTime<Utc>, Uuid)>,
    pub limit: u64,
}

/// One page of deliveries, newest first; `limit + 1` rows tell whether more follow.
pub async fn list(db: &Db, filter: &DeliveryFilter) -> Result<Vec<DeliveryRecord>, RepoError> {
    let mut select = delivery::Entity::find();
    if let Some(state) = filter.state {
        select = select.filter(delivery::Column::State.eq(state.as_str()));
    }
    if let Some(channel) = filter.channel {
        select = select.filter(delivery::Column::Channel.eq(channel.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(delivery::Column::Kind.eq(kind.as_str()));
    }
    if let Some(complaint) = filter.complaint_id {
        select = select.filter(delivery::Column::ComplaintId.eq(complaint));
    }
    if let Some(from) = filter.created_from {
        select = select.filter(delivery::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.created_to {
        select = select.filter(delivery::Column::CreatedAt.lt(to));
    }
    if let Some((at, id)) = filter.before {
        select = select.filter(
            sea_orm::Condition::any()
                .add(delivery::Column::CreatedAt.lt(at))
                .add(
                    sea_orm::Condition::all()
                        .add(delivery::Column::CreatedAt.eq(at))
                        .add(delivery::Column::Id.lt(id)),
                ),
        );
    }
    select
        .order_by(delivery::Column::CreatedAt, Order::Desc)
        .order_by(delivery::Column::Id, Order::Desc)
        .limit(filter.limit + 1)
        .all(db.connection())
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// The deliveries of one complaint, oldest first.
pub async fn of_complaint(db: &Db, complaint_id: Uuid) -> Result<Vec<DeliveryRecord>, RepoError> {
    delivery::Entity::find()
        .filter(delivery::Column::ComplaintId.eq(complaint_id))
        .order_by(delivery::Column::CreatedAt, Order::Asc)
        .order_by(delivery::Column::Id, Order::Asc)
        .all(db.connection())
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// One day of one channel, for the administrator: what was queued, sent, delivered, failed and
/// suppressed, and how many SMS segments went (what the operator bills).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCounts {
    pub day: NaiveDate,
    pub channel: String,
    pub queued: u64,
    pub sent: u64,
    pub delivered: u64,
    pub failed: u64,
    pub suppressed: u64,
    pub segments: u64,
}

#[derive(Debug, FromQueryResult)]
struct CountRow {
    day: String,
    channel: String,
    state: String,
    n: i64,
    segments: Option<i64>,
}

/// The counts per day (in the city's time zone, `utc_offset_seconds` east of UTC) and channel
/// for the deliveries created in `[since, until)`, newest day first.
pub async fn daily_counts(
    db: &Db,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    utc_offset_seconds: i32,
) -> Result<Vec<DayCounts>, RepoError> {
    let db = db.connection();
    let backend = db.get_database_backend();
    let day = match backend {
        sea_orm::DbBackend::Postgres => {
            format!("to_char(created_at + interval '{utc_offset_seconds} seconds', 'YYYY-MM-DD')")
        }
        _ => format!("strftime('%Y-%m-%d', created_at, '{utc_offset_seconds} seconds')"),
    };
    let sql = format!(
        "SELECT {day} AS day, channel, state, COUNT(*) AS n, CAST(SUM(COALESCE(segments, 0)) AS BIGINT) AS segments \
         FROM deliveries WHERE created_at >= ? AND created_at < ? GROUP BY 1, channel, state"
    );
    let statement = Statement::from_sql_and_values(
        backend,
        placeholders(backend, &sql),
        [since.into(), until.into()],
    );
    let rows = db
        .query_all_raw(statement)
        .await?
        .iter()
        .map(|row| CountRow::from_query_result(row, ""))
        .collect::<Result<Vec<_>, _>>()?;
    let mut days: std::collections::BTreeMap<(NaiveDate, String), DayCounts> = Default::default();
    for row in rows {
        let day = NaiveDate::parse_from_str(&row.day, "%Y-%m-%d")
            .map_err(|e| RepoError::Fault(format!("delivery day {:?}: {e}", row.day)))?;
        let entry = days
            .entry((day, row.channel.clone()))
            .or_insert_with(|| DayCounts {
                day,
                channel: row.channel.clone(),
                ..DayCounts::default()
            });
        let n = u64::try_from(row.n).unwrap_or(0);
        let state: domain::DeliveryState = parse_enum(&row.state)?;
        match state {
            domain::DeliveryState::Queued => entry.queued += n,
            domain::DeliveryState::Sent => entry.sent += n,
            domain::DeliveryState::Delivered => entry.delivered += n,
            domain::DeliveryState::Failed => entry.failed += n,
            domain::DeliveryState::Suppressed => entry.suppressed += n,
        }
        entry.segments += u64::try_from(row.segments.unwrap_or(0)).unwrap_or(0);
    }
    Ok(days.into_values().rev().collect())
}
