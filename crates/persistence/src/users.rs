//! Accounts: look-ups by login, phone and id; creation (self-registration and by an admin),
//! keyset-paginated listing, deactivation and password changes. Every change writes an
//! `audit_log` row in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{audit_log, organisation, person, refresh_token, user};
use crate::{Db, RepoError};

/// An account as the API needs it. The password hash leaves this crate only for verification.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: Uuid,
    pub login: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: domain::Role,
    pub organisation: Option<OrganisationRef>,
    pub password_hash: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

/// A new account. `login` is the lower-cased e-mail, or the normalised phone when there is none.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: domain::Role,
    pub organisation_id: Option<Uuid>,
    pub password_hash: String,
    pub is_test: bool,
}

/// Who made a change and why, for the audit log.
#[derive(Debug, Clone)]
pub struct Audit {
    pub actor_id: Uuid,
    pub action: &'static str,
    pub details: serde_json::Value,
}

pub async fn find_by_login(db: &Db, login: &str) -> Result<Option<UserRecord>, RepoError> {
    let db = db.connection();
    let found = user::Entity::find()
        .filter(user::Column::Login.eq(login.trim().to_lowercase()))
        // A service account never signs in.
        .filter(user::Column::IsService.eq(false))
        .find_also_related(organisation::Entity)
        .one(db)
        .await?;
    Ok(with_persons(db, found.into_iter().collect()).await?.pop())
}

/// The account with this normalised phone (`+7XXXXXXXXXX`); phones are unique among accounts
/// (`ux_persons_account_phone`).
pub async fn find_by_phone(db: &Db, phone: &str) -> Result<Option<UserRecord>, RepoError> {
    let db = db.connection();
    let found = user::Entity::find()
        .filter(
            user::Column::PersonId
                .in_subquery(account_persons_where(person::Column::Phone.eq(phone))),
        )
        .filter(user::Column::IsService.eq(false))
        .find_also_related(organisation::Entity)
        .one(db)
        .await?;
    Ok(with_persons(db, found.into_iter().collect()).await?.pop())
}

pub async fn find_by_id(db: &Db, id: Uuid) -> Result<Option<UserRecord>, RepoError> {
    let db = db.connection();
    let found = user::Entity::find_by_id(id)
        .find_also_related(organisation::Entity)
        .one(db)
        .await?;
    Ok(with_persons(db, found.into_iter().collect()).await?.pop())
}

/// What decides whether an account may act now: no personal data, one primary-key read (every
/// request with a bearer token asks, at most every few seconds per account and replica).
#[derive(Debug, Clone)]
pub struct Standing {
    pub login: String,
    pub role: domain::Role,
    pub is_active: bool,
}

/// The standing of account `id`, or `None` when there is none.
pub async fn standing(db: &Db, id: Uuid) -> Result<Option<Standing>, RepoError> {
    user::Entity::find_by_id(id)
        .one(db.connection())
        .await?
        .map(|row| {
            Ok(Standing {
                role: row
                    .role
                    .parse()
                    .map_err(|_| RepoError::Fault(format!("unknown role {:?}", row.role)))?,
                login: row.login,
                is_active: row.is_active,
            })
        })
        .transpose()
}

/// Whether an account already uses this phone or e-mail (as its phone, e-mail or login).
pub async fn is_taken(
    db: &Db,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<bool, RepoError> {
    is_taken_in(db.connection(), phone, email).await
}

pub(crate) async fn is_taken_in(
    db: &impl ConnectionTrait,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<bool, RepoError> {
    let mut any = Condition::any();
    for value in [phone, email].into_iter().flatten() {
        any = any.add(user::Column::Login.eq(value)).add(
            user::Column::PersonId.in_subquery(account_persons_where(
                Condition::any()
                    .add(person::Column::Phone.eq(value))
                    .add(person::Column::Email.eq(value)),
            )),
        );
    }
    if any.is_empty() {
        return Ok(false);
    }
    Ok(user::Entity::find().filter(any).one(db).await?.is_some())
}

/// The kind of an organisation, or `None` when it does not exist.
pub async fn organisation_kind(
    db: &Db,
    id: Uuid,
) -> Result<Option<domain::OrganisationKind>, RepoError> {
    let db = db.connection();
    organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|o| crate::mapping::parse_enum(&o.kind))
        .transpose()
}

/// Creates an account. A login, phone or e-mail already in use is a [`RepoError::Conflict`].
/// `audit.actor_id` may be `Uuid::nil()` for self-registration: the new account's id is used.
pub async fn create(
    db: &Db,
    new: NewUser,
    audit: Audit,
    now: DateTime<Utc>,
) -> Result<UserRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let id = insert_in(&txn, new, audit, now).await?;
    txn.commit().await?;
    find_by_id(db, id).await?.ok_or(RepoError::NotFound)
}

/// Inserts an active account and its audit row in the caller's transaction; returns its id.
pub(crate) async fn insert_in(
    txn: &impl ConnectionTrait,
    new: NewUser,
    audit: Audit,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    let actor_id = if audit.actor_id.is_nil() {
        id
    } else {
        audit.actor_id
    };
    let person = crate::persons::insert(
        txn,
        crate::persons::PersonData {
            name: Some(new.name),
            phone: new.phone,
            email: new.email,
            is_test: new.is_test,
            is_account: true,
            ..Default::default()
        },
        now,
    )
    .await?;
    user::Entity::insert(user::ActiveModel {
        id: Set(id),
        person_id: Set(Some(person)),
        login: Set(new.login),
        role: Set(new.role.as_str().to_owned()),
        organisation_id: Set(new.organisation_id),
        password_hash: Set(new.password_hash),
        is_active: Set(true),
        is_service: Set(false),
        is_test: Set(new.is_test),
        created_at: Set(now),
        erased_at: Set(None),
    })
    .exec(txn)
    .await?;
    write_audit(txn, actor_id, audit, id, now).await?;
    Ok(id)
}

/// One page of people's accounts in creation order (ids are UUIDv7), strictly after `after`.
/// Service accounts are managed through their API keys and are not listed.
pub async fn list(db: &Db, after: Option<Uuid>, limit: u64) -> Result<Vec<UserRecord>, RepoError> {
    let db = db.connection();
    let mut query = user::Entity::find().filter(user::Column::IsService.eq(false));
    if let Some(after) = after {
        query = query.filter(user::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(user::Column::Id)
        .limit(limit)
        .find_also_related(organisation::Entity)
        .all(db)
        .await?;
    with_persons(db, rows).await
}

/// The ids of the accounts' persons matching `condition` (an account's phone and e-mail live
/// there; an erased account's person kept for a case is no longer an account's).
fn account_persons_where(
    condition: impl sea_orm::sea_query::IntoCondition,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::QueryTrait;
    person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::IsAccount.eq(true))
        .filter(condition)
        .into_query()
}

/// Accounts with their persons' name, phone and e-mail (one query for all of them).
async fn with_persons(
    db: &impl ConnectionTrait,
    rows: Vec<(user::Model, Option<organisation::Model>)>,
) -> Result<Vec<UserRecord>, RepoError> {
    let mut persons =
        crate::persons::by_ids(db, rows.iter().filter_map(|(u, _)| u.person_id)).await?;
    rows.into_iter()
        .map(|(row, org)| {
            let person = row.person_id.and_then(|id| persons.remove(&id));
            to_record(row, org, person)
        })
        .collect()
}

/// Deactivates an account and revokes every refresh token it holds. `false` when it does not exist.
pub async fn deactivate(
    db: &Db,
    id: Uuid,
    audit: Audit,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::IsActive, Expr::value(false))
        .filter(user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    revoke_refresh_tokens(&txn, id, now).await?;
    write_audit(&txn, audit.actor_id, audit, id, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// Replaces the password hash and revokes every refresh token of the account.
pub async fn change_password(
    db: &Db,
    id: Uuid,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .filter(user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(RepoError::NotFound);
    }
    revoke_refresh_tokens(&txn, id, now).await?;
    let audit = Audit {
        actor_id: id,
        action: "password_changed",
        details: serde_json::json!({}),
    };
    write_audit(&txn, id, audit, id, now).await?;
    txn.commit().await?;
    Ok(())
}

pub(crate) async fn revoke_refresh_tokens(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Appends an audit row; `subject` (the account or key acted upon) is added to the details.
pub(crate) async fn write_audit(
    conn: &impl ConnectionTrait,
    actor_id: Uuid,
    audit: Audit,
    subject: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let mut details = audit.details;
    if let serde_json::Value::Object(map) = &mut details {
        map.insert("subject".to_owned(), serde_json::json!(subject));
    }
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        action: Set(audit.action.to_owned()),
        complaint_id: Set(None),
        details: Set(details),
        at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// An account as the API sees it: its owner's name, phone and e-mail from their person (an
/// erased one shows [`domain::privacy::ERASED_NAME`]); a service account, no one, is named
/// after its organisation.
fn to_record(
    row: user::Model,
    org: Option<organisation::Model>,
    person: Option<person::Model>,
) -> Result<UserRecord, RepoError> {
    let role = row
        .role
        .parse::<domain::Role>()
        .map_err(|_| RepoError::Fault(format!("unknown role {:?}", row.role)))?;
    Ok(UserRecord {
        id: row.id,
        login: row.login,
        name: match (&person, &org) {
            // An erased account shows no one, even while a kept case still names its person.
            _ if row.erased_at.is_some() => domain::privacy::ERASED_NAME.to_owned(),
            (Some(p), _) if p.erased_at.is_some() => domain::privacy::ERASED_NAME.to_owned(),
            (Some(p), _) => p.name.clone().unwrap_or_default(),
            (None, Some(org)) if row.is_service => crate::api_keys::service_account_name(&org.name),
            (None, _) => String::new(),
        },
        phone: person
            .as_ref()
            .filter(|_| row.erased_at.is_none())
            .and_then(|p| p.phone.clone()),
        email: person
            .filter(|_| row.erased_at.is_none())
            .and_then(|p| p.email),
        role,
        organisation: org.map(|o| OrganisationRef {
            id: o.id,
            name: o.name,
        }),
        password_hash: row.password_hash,
        is_active: row.is_active,
        created_at: row.created_at,
    })
}
