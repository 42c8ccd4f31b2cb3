//! Self-registration confirmed by a one-time SMS code. A registration waits as a row of
//! `phone_verifications` (no account exists yet, so nobody can sign in with it); the right code
//! turns it into an active account in one transaction, guarded by the row's version. Every code
//! sent is counted per number in `phone_verification_sends`; the limits are the domain's
//! ([`domain::verification::may_send`]), checked in the transaction that sends.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::entities::{phone_verification, phone_verification_send};
use crate::messaging::deliveries::{NewDelivery, enqueue_in};
use crate::users::{Audit, NewUser, UserRecord};
use crate::{Db, RepoError};

/// How long a registration nobody confirmed is kept (with its password hash) before it is purged.
const KEEP_UNCONFIRMED_HOURS: i64 = 24;

/// A registration to confirm: the account to be.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    /// Normalised, `+7XXXXXXXXXX`.
    pub phone: String,
    pub name: String,
    /// Lower-cased.
    pub email: Option<String>,
    pub password_hash: String,
    pub consent_version: String,
    pub is_test: bool,
}

/// A code on its way: what is stored of it and its SMS. No digest when no code is sent (the
/// number already has an account: its SMS says so).
#[derive(Debug, Clone)]
pub struct CodeToSend {
    pub digest: Option<[u8; 32]>,
    pub salt: Vec<u8>,
    pub sms: Option<NewDelivery>,
}

/// What sending a code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Sent (or stood in for): the registration and when the code expires.
    Sent { id: Uuid, expires_at: DateTime<Utc> },
    /// Not sent: the number must wait this many seconds.
    Wait(u64),
}

/// A pending registration as stored.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: Uuid,
    pub phone: String,
    pub version: i32,
    pub code: domain::verification::CodeState,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Result<Vec<u8>, RepoError> {
    let bad = || RepoError::Fault(format!("not hex: {text:?}"));
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}

fn to_pending(row: phone_verification::Model) -> Result<Pending, RepoError> {
    let digest = match &row.code_hash {
        Some(text) => Some(
            <[u8; 32]>::try_from(unhex(text)?)
                .map_err(|_| RepoError::Fault("a code hash is not 32 bytes".to_owned()))?,
        ),
        None => None,
    };
    Ok(Pending {
        id: row.id,
        phone: row.phone,
        version: row.version,
        code: domain::verification::CodeState {
            digest,
            salt: unhex(&row.salt)?,
            expires_at: row.expires_at,
            attempts: u32::try_from(row.attempts)
                .map_err(|_| RepoError::Fault(format!("negative attempts: {}", row.attempts)))?,
            used: row.confirmed_at.is_some(),
        },
    })
}

/// Codes sent to `phone` within the last hour, for the limits.
async fn recent_sends(
    conn: &impl ConnectionTrait,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, RepoError> {
    Ok(phone_verification_send::Entity::find()
        .filter(phone_verification_send::Column::Phone.eq(phone))
        .filter(phone_verification_send::Column::SentAt.gt(now - Duration::hours(1)))
        .order_by_asc(phone_verification_send::Column::SentAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.sent_at)
        .collect())
}

/// Counts a send and queues its SMS, if any.
async fn record_send(
    conn: &impl ConnectionTrait,
    phone: &str,
    code: &CodeToSend,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    phone_verification_send::Entity::delete_many()
        .filter(phone_verification_send::Column::Phone.eq(phone))
        .filter(phone_verification_send::Column::SentAt.lt(now - Duration::hours(1)))
        .exec(conn)
        .await?;
    phone_verification_send::Entity::insert(phone_verification_send::ActiveModel {
        id: Set(Uuid::now_v7()),
        phone: Set(phone.to_owned()),
        sent_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    enqueue_in(conn, code.sms.as_slice(), now).await
}

/// Starts a registration and sends its first code, unless the number must wait.
pub async fn start(
    db: &Db,
    registration: NewRegistration,
    code: CodeToSend,
    now: DateTime<Utc>,
) -> Result<Sent, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    if let Err(wait) =
        domain::verification::may_send(&recent_sends(&txn, &registration.phone, now).await?, now)
    {
        return Ok(Sent::Wait(wait));
    }
    // Registrations nobody confirmed are not kept for long: they hold a password hash.
    phone_verification::Entity::delete_many()
        .filter(phone_verification::Column::ConfirmedAt.is_null())
        .filter(
            phone_verification::Column::CreatedAt.lt(now - Duration::hours(KEEP_UNCONFIRMED_HOURS)),
        )
        .exec(&txn)
        .await?;
    let id = Uuid::now_v7();
    let expires_at = domain::verification::expires_at(now);
    phone_verification::Entity::insert(phone_verification::ActiveModel {
        id: Set(id),
        phone: Set(registration.phone.clone()),
        name: Set(registration.name),
        email: Set(registration.email),
        password_hash: Set(registration.password_hash),
        consent_version: Set(registration.consent_version),
        is_test: Set(registration.is_test),
        code_hash: Set(code.digest.map(|d| hex(&d))),
        salt: Set(hex(&code.salt)),
        attempts: Set(0),
        expires_at: Set(expires_at),
        version: Set(1),
        created_at: Set(now),
        confirmed_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    record_send(&txn, &registration.phone, &code, now).await?;
    txn.commit().await?;
    Ok(Sent::Sent { id, expires_at })
}

/// The pending (or confirmed) registration `id`.
pub async fn find(db: &Db, id: Uuid) -> Result<Option<Pending>, RepoError> {
    phone_verification::Entity::find_by_id(id)
        .one(db.connection())
        .await?
        .map(to_pending)
        .transpose()
}

/// Replaces the code of a registration not yet confirmed with a new one (fresh tries and ten
/// minutes), unless the number must wait. [`RepoError::NotFound`] when there is no such
/// registration or it is already confirmed.
pub async fn resend(
    db: &Db,
    id: Uuid,
    code: CodeToSend,
    now: DateTime<Utc>,
) -> Result<Sent, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let row = phone_verification::Entity::find_by_id(id)
        .filter(phone_verification::Column::ConfirmedAt.is_null())
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    if let Err(wait) =
        domain::verification::may_send(&recent_sends(&txn, &row.phone, now).await?, now)
    {
        return Ok(Sent::Wait(wait));
    }
    let expires_at = domain::verification::expires_at(now);
    phone_verification::Entity::update_many()
        .col_expr(
            phone_verification::Column::CodeHash,
            Expr::value(code.digest.map(|d| hex(&d))),
        )
        .col_expr(
            phone_verification::Column::Salt,
            Expr::value(hex(&code.salt)),
        )
        .col_expr(phone_verification::Column::Attempts, Expr::value(0))
        .col_expr(
            phone_verification::Column::ExpiresAt,
            Expr::value(expires_at),
        )
        .col_expr(
            phone_verification::Column::Version,
            Expr::col(phone_verification::Column::Version).add(1),
        )
        .filter(phone_verification::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    record_send(&txn, &row.phone, &code, now).await?;
    txn.commit().await?;
    Ok(Sent::Sent { id, expires_at })
}

/// Stores the wrong tries after one more, guarded by the version the decision was made on.
/// [`RepoError::Stale`] when another try or a resend came first.
pub async fn record_wrong(db: &Db, pending: &Pending, attempts: u32) -> Result<(), RepoError> {
    let updated = phone_verification::Entity::update_many()
        .col_expr(
            phone_verification::Column::Attempts,
            Expr::value(i32::try_from(attempts).unwrap_or(i32::MAX)),
        )
        .col_expr(
            phone_verification::Column::Version,
            Expr::value(pending.version + 1),
        )
        .filter(phone_verification::Column::Id.eq(pending.id))
        .filter(phone_verification::Column::Version.eq(pending.version))
        .exec(db.connection())
        .await?;
    if updated.rows_affected == 0 {
        return Err(RepoError::Stale);
    }
    Ok(())
}

/// The right code: the registration becomes an active account, in one transaction guarded by
/// the version the decision was made on ([`RepoError::Stale`] when another try or a resend came
/// first). A phone, login or e-mail taken meanwhile is a [`RepoError::Conflict`] and changes
/// nothing. Other registrations of the number are dropped.
pub async fn confirm(
    db: &Db,
    pending: &Pending,
    now: DateTime<Utc>,
) -> Result<UserRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let row = phone_verification::Entity::find_by_id(pending.id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let updated = phone_verification::Entity::update_many()
        .col_expr(phone_verification::Column::ConfirmedAt, Expr::value(now))
        // The account has the hash now.
        .col_expr(phone_verification::Column::PasswordHash, Expr::value(""))
        .col_expr(
            phone_verification::Column::Version,
            Expr::value(pending.version + 1),
        )
        .filter(phone_verification::Column::Id.eq(pending.id))
        .filter(phone_verification::Column::Version.eq(pending.version))
        .filter(phone_verification::Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(RepoError::Stale);
    }
    // An e-mail that belongs to another account (a staff member's, say) is left out rather than
    // refused: a refusal would tell whoever owns this phone that the e-mail is registered.
    let email = match row.email {
        Some(email) if crate::users::is_taken_in(&txn, None, Some(&email)).await? => None,
        email => email,
    };
    let new = NewUser {
        login: email.clone().unwrap_or_else(|| row.phone.clone()),
        name: row.name,
        phone: Some(row.phone.clone()),
        email,
        role: domain::Role::Resident,
        organisation_id: None,
        password_hash: row.password_hash,
        is_test: row.is_test,
    };
    if crate::users::is_taken_in(&txn, new.phone.as_deref(), None).await? {
        return Err(RepoError::Conflict("the phone is taken".to_owned()));
    }
    let audit = Audit {
        actor_id: Uuid::nil(),
        action: "resident_registered",
        details: serde_json::json!({
            "consent_version": row.consent_version,
            "consent_at": row.created_at,
            "phone_confirmed_at": now,
        }),
    };
    let user_id = crate::users::insert_in(&txn, new, audit, now).await?;
    phone_verification::Entity::delete_many()
        .filter(phone_verification::Column::Phone.eq(&row.phone))
        .filter(phone_verification::Column::Id.ne(pending.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    crate::users::find_by_id(db, user_id)
        .await?
        .ok_or(RepoError::NotFound)
}
