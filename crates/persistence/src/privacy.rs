//! Erasure of personal data (152-ФЗ), as `domain::privacy` rules it: an account anonymised, a
//! person without an account (known by the phone a clerk filed with) forgotten, complaints
//! redacted while their facts stay. The one writer past the append-only history's `UPDATE`
//! rule (migration 000024).

use chrono::{DateTime, Utc};
use domain::privacy::{ERASED_EVENT_FIELDS, ErasureGround, KeptBecause};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    ExprTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::{
    attachment, audit_log, building, complaint, complaint_event, delivery, message_preference,
    notification, refresh_token, user,
};
use crate::{Db, RepoError, begin_write};

/// Whose data is erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A resident's own account and every complaint they filed.
    Account(Uuid),
    /// A person without an account: the complaints a clerk filed for this phone (E.164).
    Person { phone: String },
}

/// A complaint whose personal data is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasedComplaint {
    pub id: Uuid,
    pub number: String,
}

/// A complaint whose personal data is kept until it closes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptComplaint {
    pub id: Uuid,
    pub number: String,
    pub because: KeptBecause,
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErasureOutcome {
    pub erased: Vec<ErasedComplaint>,
    pub kept: Vec<KeptComplaint>,
    pub attachments_deleted: u64,
    pub account_anonymised: bool,
}

/// Switches erase mode on or off inside `txn` (see migration 000024).
pub(crate) async fn erase_mode_in(txn: &DatabaseTransaction, on: bool) -> Result<(), RepoError> {
    let sql = match (txn.get_database_backend(), on) {
        (DbBackend::Postgres, true) => "SELECT set_config('dispatch.erase', 'on', true)",
        (DbBackend::Postgres, false) => "SELECT set_config('dispatch.erase', 'off', true)",
        (_, true) => "INSERT INTO erase_mode (id) VALUES (1)",
        (_, false) => "DELETE FROM erase_mode",
    };
    txn.execute_unprepared(sql).await?;
    Ok(())
}

/// The personal part of an event without the applicant's fields; `None` when nothing is left.
fn redacted(personal: Option<Value>) -> Option<Value> {
    match personal {
        Some(Value::Object(mut fields)) => {
            for key in ERASED_EVENT_FIELDS {
                fields.remove(key);
            }
            (!fields.is_empty()).then_some(Value::Object(fields))
        }
        _ => None,
    }
}

/// Erases one complaint's personal data inside `txn` (erase mode on): the row keeps its number,
/// category, building, statuses, dates and outcome. Returns the attachments deleted.
pub(crate) async fn erase_complaint(
    txn: &DatabaseTransaction,
    row: &complaint::Model,
    now: DateTime<Utc>,
) -> Result<u64, RepoError> {
    let address = building::Entity::find_by_id(row.building_id)
        .one(txn)
        .await?
        .map(|b| b.address)
        .unwrap_or_default();
    complaint::Entity::update_many()
        .col_expr(complaint::Column::Flat, Expr::value(None::<String>))
        .col_expr(complaint::Column::PinHash, Expr::value(None::<String>))
        .col_expr(complaint::Column::Description, Expr::value(String::new()))
        .col_expr(
            complaint::Column::SearchText,
            Expr::value(format!("{} {address}", row.number).to_lowercase()),
        )
        .col_expr(complaint::Column::ErasedAt, Expr::value(Some(now)))
        .col_expr(
            complaint::Column::ErasureRequestedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(
            complaint::Column::Version,
            Expr::col(complaint::Column::Version).add(1),
        )
        .col_expr(complaint::Column::UpdatedAt, Expr::value(now))
        .filter(complaint::Column::Id.eq(row.id))
        .exec(txn)
        .await?;
    if let Some(person) = row.applicant_id {
        crate::persons::forget_if_unused(txn, person, now).await?;
    }
    let events = complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(row.id))
        .order_by_asc(complaint_event::Column::At)
        .all(txn)
        .await?;
    for event in events {
        let personal = redacted(event.personal.clone());
        if personal == event.personal && event.comment.is_none() {
            continue;
        }
        complaint_event::Entity::update_many()
            .col_expr(complaint_event::Column::Personal, Expr::value(personal))
            .col_expr(
                complaint_event::Column::Comment,
                Expr::value(None::<String>),
            )
            .filter(complaint_event::Column::Id.eq(event.id))
            .exec(txn)
            .await?;
    }
    let attachments = attachment::Entity::delete_many()
        .filter(attachment::Column::ComplaintId.eq(row.id))
        .exec(txn)
        .await?
        .rows_affected;
    redact_deliveries(txn, delivery::Column::ComplaintId.eq(row.id)).await?;
    Ok(attachments)
}

/// Messages sent keep their channel, kind, state and times; the address and text go.
async fn redact_deliveries(
    txn: &DatabaseTransaction,
    which: sea_orm::sea_query::SimpleExpr,
) -> Result<(), RepoError> {
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Address, Expr::value(String::new()))
        .col_expr(delivery::Column::Body, Expr::value(String::new()))
        .col_expr(delivery::Column::ShownBody, Expr::value(String::new()))
        .col_expr(delivery::Column::Subject, Expr::value(None::<String>))
        .filter(which)
        .exec(txn)
        .await?;
    Ok(())
}

/// Erases `subject`'s personal data in one transaction, recorded in the audit log as done by
/// `actor_id` on `ground` (with the staff's `reason`). Complaints under the inspection or an
/// order are kept and marked, to be erased once they close; the answer says which and why.
/// A person without an account with no complaint: `NotFound`.
pub async fn erase(
    db: &Db,
    subject: &Subject,
    actor_id: Uuid,
    ground: ErasureGround,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ErasureOutcome, RepoError> {
    let txn = begin_write(db.connection()).await?;
    let complaints = match subject {
        Subject::Account(id) => {
            complaint::Entity::find()
                .filter(complaint::Column::AuthorId.eq(*id))
                .order_by_asc(complaint::Column::RegisteredAt)
                .all(&txn)
                .await?
        }
        Subject::Person { phone } => {
            complaint::Entity::find()
                .filter(crate::persons::filed_for_phone(phone))
                .order_by_asc(complaint::Column::RegisteredAt)
                .all(&txn)
                .await?
        }
    };
    let mut outcome = ErasureOutcome::default();
    let follows = match subject {
        Subject::Account(id) => {
            crate::complaints::duplicates::forget_follows(&txn, Some(*id), None).await?
        }
        Subject::Person { phone } => {
            crate::complaints::duplicates::forget_follows(&txn, None, Some(phone)).await?
        }
    };
    let mut account_person = None;
    if let Subject::Account(id) = subject {
        let account = user::Entity::find_by_id(*id)
            .one(&txn)
            .await?
            .filter(|u| u.erased_at.is_none())
            .ok_or(RepoError::NotFound)?;
        user::Entity::update(user::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(account.id),
            login: Set(format!("erased:{}", account.id)),
            // Not a PHC string: no password verifies against it.
            password_hash: Set("!erased".to_owned()),
            is_active: Set(false),
            erased_at: Set(Some(now)),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        refresh_token::Entity::delete_many()
            .filter(refresh_token::Column::UserId.eq(account.id))
            .exec(&txn)
            .await?;
        notification::Entity::delete_many()
            .filter(notification::Column::UserId.eq(account.id))
            .exec(&txn)
            .await?;
        message_preference::Entity::delete_many()
            .filter(message_preference::Column::UserId.eq(account.id))
            .exec(&txn)
            .await?;
        redact_deliveries(&txn, delivery::Column::UserId.eq(account.id)).await?;
        account_person = account.person_id;
        outcome.account_anonymised = true;
    } else if complaints.is_empty() && follows == 0 {
        return Err(RepoError::NotFound);
    }
    erase_mode_in(&txn, true).await?;
    for row in &complaints {
        if row.erased_at.is_some() {
            continue;
        }
        let status: domain::Status = crate::mapping::parse_enum(&row.status)?;
        match domain::privacy::erasure_decision(status, row.order_id.is_some()) {
            Ok(()) => {
                outcome.attachments_deleted += erase_complaint(&txn, row, now).await?;
                outcome.erased.push(ErasedComplaint {
                    id: row.id,
                    number: row.number.clone(),
                });
            }
            Err(because) => {
                complaint::Entity::update_many()
                    .col_expr(
                        complaint::Column::ErasureRequestedAt,
                        Expr::value(Some(now)),
                    )
                    .filter(complaint::Column::Id.eq(row.id))
                    .exec(&txn)
                    .await?;
                outcome.kept.push(KeptComplaint {
                    id: row.id,
                    number: row.number.clone(),
                    because,
                });
            }
        }
    }
    erase_mode_in(&txn, false).await?;
    if let Subject::Person { phone } = subject
        && let Some(person) = crate::persons::without_account(&txn, phone).await?
    {
        // Their complaints took them along, unless they had none (only follows, now gone).
        crate::persons::forget_if_unused(&txn, person.id, now).await?;
    }
    if let Some(person) = account_person {
        // The account's person goes with it, unless a complaint kept for the inspection or an
        // order still names them: then with the last such complaint, when it is erased. Either
        // way they are no longer an account's owner: their phone is free for a new account.
        crate::persons::no_longer_an_account(&txn, person, now).await?;
        crate::persons::forget_if_unused(&txn, person, now).await?;
    }
    let subject_json = match subject {
        Subject::Account(id) => json!({ "account": id }),
        // The log keeps no phone: the masked form names the request well enough.
        Subject::Person { phone } => json!({ "person_phone": mask(phone) }),
    };
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        action: Set("personal_data.erased".to_owned()),
        complaint_id: Set(None),
        details: Set(json!({
            "subject": subject_json,
            "ground": ground.as_str(),
            "reason": reason,
            "erased": outcome.erased.iter().map(|c| &c.number).collect::<Vec<_>>(),
            "kept": outcome.kept.iter().map(|c| json!({
                "number": c.number, "because": c.because.as_str()
            })).collect::<Vec<_>>(),
            "attachments_deleted": outcome.attachments_deleted,
            "follows_forgotten": follows,
        })),
        at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(outcome)
}

/// A phone as the audit log shows it.
fn mask(phone: &str) -> String {
    domain::PhoneNumber::parse(phone)
        .map(|p| p.masked())
        .unwrap_or_else(|_| "***".to_owned())
}

/// The complaints of `subject`, oldest first: a resident's own, or those a clerk filed for a
/// person's phone (none once erased: the phone is gone from them).
pub async fn complaints_of(db: &Db, subject: &Subject) -> Result<Vec<Uuid>, RepoError> {
    let select = complaint::Entity::find();
    let select = match subject {
        Subject::Account(id) => select.filter(complaint::Column::AuthorId.eq(*id)),
        Subject::Person { phone } => select.filter(crate::persons::filed_for_phone(phone)),
    };
    Ok(select
        .order_by_asc(complaint::Column::RegisteredAt)
        .all(db.connection())
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// One message sent to a person, as their export shows it.
#[derive(Debug, Clone)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub complaint_id: Option<Uuid>,
    pub kind: String,
    pub channel: String,
    pub address: String,
    pub subject: Option<String>,
    pub body: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// The messages sent to an account or about the given complaints, oldest first.
pub async fn deliveries_of(
    db: &Db,
    account: Option<Uuid>,
    complaints: &[Uuid],
) -> Result<Vec<DeliveryRecord>, RepoError> {
    let mut which = sea_orm::Condition::any()
        .add(delivery::Column::ComplaintId.is_in(complaints.iter().copied()));
    if let Some(account) = account {
        which = which.add(delivery::Column::UserId.eq(account));
    }
    Ok(delivery::Entity::find()
        .filter(which)
        .order_by_asc(delivery::Column::CreatedAt)
        .all(db.connection())
        .await?
        .into_iter()
        .map(|d| DeliveryRecord {
            id: d.id,
            complaint_id: d.complaint_id,
            kind: d.kind,
            channel: d.channel,
            address: d.address,
            subject: d.subject,
            body: d.shown_body,
            state: d.state,
            created_at: d.created_at,
            sent_at: d.sent_at,
        })
        .collect())
}

/// Records a staff member's export of a person's data (who, when, why; the phone masked).
pub async fn record_export(
    db: &Db,
    actor_id: Uuid,
    phone: &str,
    reason: &str,
    complaints: usize,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    crate::audit::record(
        db,
        actor_id,
        "personal_data.exported",
        None,
        json!({ "person_phone": mask(phone), "reason": reason, "complaints": complaints }),
        now,
    )
    .await
}
