//! What the SMS centre sends us: replies and delivery receipts. Stored first (the receiving task
//! only inserts), read by the worker after, so that nothing acknowledged to the SMS centre is lost.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{inbound_sms, sms_opt_out};
use crate::{Db, RepoError};

/// What came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    /// A person's text.
    Reply { from: String, text: String },
    /// The operator's word on a message we sent: `status` is `DELIVRD`, `UNDELIV`, …
    Receipt {
        from: String,
        gateway_id: String,
        status: String,
        delivered: bool,
    },
}

/// What a reply did, once read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyOutcome {
    /// Recorded as the person's answer.
    Answered,
    /// The number said "СТОП".
    Stopped,
    /// Shown to the dispatchers; nothing changed.
    Shown,
}

impl ReplyOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyOutcome::Answered => "answered",
            ReplyOutcome::Stopped => "stopped",
            ReplyOutcome::Shown => "shown",
        }
    }

    fn parse(stored: &str) -> Result<Self, RepoError> {
        [Self::Answered, Self::Stopped, Self::Shown]
            .into_iter()
            .find(|o| o.as_str() == stored)
            .ok_or_else(|| RepoError::Fault(format!("reply outcome {stored:?}")))
    }
}

/// A stored inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundRecord {
    pub id: Uuid,
    pub message: Inbound,
    pub received_at: DateTime<Utc>,
    pub attempts: u32,
    pub outcome: Option<ReplyOutcome>,
    pub complaint_id: Option<Uuid>,
}

fn to_record(row: inbound_sms::Model) -> Result<InboundRecord, RepoError> {
    let message = match (row.kind.as_str(), row.receipt_for, row.receipt_status) {
        ("reply", _, _) => Inbound::Reply {
            from: row.from_number,
            text: row.text,
        },
        ("receipt", Some(gateway_id), Some(status)) => Inbound::Receipt {
            from: row.from_number,
            delivered: status == "DELIVRD",
            gateway_id,
            status,
        },
        (kind, _, _) => {
            return Err(RepoError::Fault(format!(
                "inbound sms {}: kind {kind:?} without its fields",
                row.id
            )));
        }
    };
    Ok(InboundRecord {
        id: row.id,
        message,
        received_at: row.received_at,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        outcome: row
            .outcome
            .as_deref()
            .map(ReplyOutcome::parse)
            .transpose()?,
        complaint_id: row.complaint_id,
    })
}

/// Stores what came in; the SMS centre is acknowledged after this returns.
pub async fn store(db: &Db, message: &Inbound, at: DateTime<Utc>) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    let (kind, from, text, receipt_for, receipt_status) = match message {
        Inbound::Reply { from, text } => ("reply", from, text.clone(), None, None),
        Inbound::Receipt {
            from,
            gateway_id,
            status,
            ..
        } => (
            "receipt",
            from,
            String::new(),
            Some(gateway_id.clone()),
            Some(status.clone()),
        ),
    };
    inbound_sms::Entity::insert(inbound_sms::ActiveModel {
        id: Set(id),
        kind: Set(kind.to_owned()),
        from_number: Set(from.clone()),
        text: Set(text),
        receipt_for: Set(receipt_for),
        receipt_status: Set(receipt_status),
        received_at: Set(at),
        processed_at: Set(None),
        outcome: Set(None),
        complaint_id: Set(None),
        attempts: Set(0),
    })
    .exec_without_returning(db.connection())
    .await?;
    Ok(id)
}

/// Up to `limit` inbound messages not yet read, oldest first. One worker reads them at a time
/// per message: reading is idempotent (a receipt sets a state; a reply is marked read in the
/// transaction of the answer it records).
pub async fn unprocessed(db: &Db, limit: u64) -> Result<Vec<InboundRecord>, RepoError> {
    inbound_sms::Entity::find()
        .filter(inbound_sms::Column::ProcessedAt.is_null())
        .order_by(inbound_sms::Column::ReceivedAt, Order::Asc)
        .order_by(inbound_sms::Column::Id, Order::Asc)
        .limit(limit)
        .all(db.connection())
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// Marks a message read, with what it did. False when another worker read it first.
pub async fn mark_processed(
    db: &Db,
    id: Uuid,
    outcome: Option<ReplyOutcome>,
    complaint_id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<bool, RepoError> {
    mark_processed_in(db.connection(), id, outcome, complaint_id, at).await
}

/// [`mark_processed`] in the transaction of the answer a reply records.
pub(crate) async fn mark_processed_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    id: Uuid,
    outcome: Option<ReplyOutcome>,
    complaint_id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let result = inbound_sms::Entity::update_many()
        .col_expr(inbound_sms::Column::ProcessedAt, Expr::value(Some(at)))
        .col_expr(
            inbound_sms::Column::Outcome,
            Expr::value(outcome.map(|o| o.as_str().to_owned())),
        )
        .col_expr(inbound_sms::Column::ComplaintId, Expr::value(complaint_id))
        .filter(inbound_sms::Column::Id.eq(id))
        .filter(inbound_sms::Column::ProcessedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Counts one more unsuccessful read (a receipt that arrived before its delivery was marked sent).
pub async fn count_attempt(db: &Db, id: Uuid) -> Result<(), RepoError> {
    inbound_sms::Entity::update_many()
        .col_expr(
            inbound_sms::Column::Attempts,
            Expr::col(inbound_sms::Column::Attempts).add(1),
        )
        .filter(inbound_sms::Column::Id.eq(id))
        .exec(db.connection())
        .await?;
    Ok(())
}

/// The replies the dispatchers should see: about one complaint, or (with `None`) those no
/// complaint could be found for.
pub async fn replies_shown(
    db: &Db,
    complaint_id: Option<Uuid>,
    limit: u64,
) -> Result<Vec<InboundRecord>, RepoError> {
    let mut select = inbound_sms::Entity::find()
        .filter(inbound_sms::Column::Kind.eq("reply"))
        .filter(inbound_sms::Column::ProcessedAt.is_not_null());
    select = match complaint_id {
        Some(id) => select.filter(inbound_sms::Column::ComplaintId.eq(id)),
        None => select
            .filter(inbound_sms::Column::ComplaintId.is_null())
            .filter(inbound_sms::Column::Outcome.eq(ReplyOutcome::Shown.as_str())),
    };
    select
        .order_by(inbound_sms::Column::ReceivedAt, Order::Desc)
        .limit(limit)
        .all(db.connection())
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// The number said "СТОП": no more SMS to it (except the codes it asks for).
pub async fn stop(db: &Db, phone: &str, at: DateTime<Utc>) -> Result<(), RepoError> {
    let exists = sms_opt_out::Entity::find_by_id(phone.to_owned())
        .one(db.connection())
        .await?
        .is_some();
    if !exists {
        sms_opt_out::Entity::insert(sms_opt_out::ActiveModel {
            phone: Set(phone.to_owned()),
            at: Set(at),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(db.connection())
        .await?;
    }
    Ok(())
}

/// SMS again to this number: the person switched SMS back on in their profile.
pub async fn resume(db: &Db, phone: &str) -> Result<(), RepoError> {
    sms_opt_out::Entity::delete_by_id(phone.to_owned())
        .exec(db.connection())
        .await?;
    Ok(())
}

/// When the number said "СТОП", if it did.
pub async fn stopped_since(db: &Db, phone: &str) -> Result<Option<DateTime<Utc>>, RepoError> {
    Ok(sms_opt_out::Entity::find_by_id(phone.to_owned())
        .one(db.connection())
        .await?
        .map(|o| o.at))
}

/// Whether the number said "СТОП".
pub async fn is_stopped(db: &Db, phone: &str) -> Result<bool, RepoError> {
    Ok(sms_opt_out::Entity::find_by_id(phone.to_owned())
        .one(db.connection())
        .await?
        .is_some())
}
