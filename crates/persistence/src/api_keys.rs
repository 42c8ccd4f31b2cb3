//! API keys of service accounts. Only the SHA-256 of a key is stored; the plaintext is shown to
//! the admin once, at creation or rotation. Every organisation with keys has one service account
//! (a `users` row that never signs in): what its keys do is recorded as done by it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::entities::{api_key, api_key_usage, organisation, user};
use crate::mapping::parse_enum;
use crate::users::{Audit, OrganisationRef, write_audit};
use crate::{Db, RepoError};

#[derive(Debug, Clone)]
pub struct ApiKeyRecord {
    pub id: Uuid,
    pub name: String,
    pub organisation: OrganisationRef,
    pub organisation_kind: domain::OrganisationKind,
    /// The organisation's service account, which the key acts as.
    pub service_account: Uuid,
    pub scopes: Vec<domain::Scope>,
    /// Hex SHA-256 of the whole key; leaves this crate only for verification.
    pub key_hash: String,
    /// After a rotation: the previous key's hash, and until when it still works.
    pub previous_key_hash: Option<(String, DateTime<Utc>)>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Requests per minute; `None` for the configured default.
    pub rate_limit_per_minute: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// Chosen by the caller, because it is part of the key's text.
    pub id: Uuid,
    pub name: String,
    pub organisation_id: Uuid,
    pub scopes: Vec<domain::Scope>,
    pub key_hash: String,
    pub created_by: Uuid,
    pub expires_at: Option<DateTime<Utc>>,
    pub rate_limit_per_minute: Option<u32>,
}

fn scope_names(scopes: &[domain::Scope]) -> String {
    scopes
        .iter()
        .map(|scope| scope.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Creates a key, and the organisation's service account when it has none yet.
pub async fn create(
    db: &Db,
    new: NewApiKey,
    now: DateTime<Utc>,
) -> Result<ApiKeyRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    service_account_in(&txn, new.organisation_id, now).await?;
    let audit = Audit {
        actor_id: new.created_by,
        action: "api_key_created",
        details: serde_json::json!({
            "name": new.name,
            "organisation_id": new.organisation_id,
            "scopes": scope_names(&new.scopes),
            "expires_at": new.expires_at,
        }),
    };
    api_key::Entity::insert(api_key::ActiveModel {
        id: Set(new.id),
        name: Set(new.name),
        organisation_id: Set(new.organisation_id),
        scopes: Set(scope_names(&new.scopes)),
        key_hash: Set(new.key_hash),
        created_by: Set(new.created_by),
        created_at: Set(now),
        revoked_at: Set(None),
        expires_at: Set(new.expires_at),
        previous_key_hash: Set(None),
        previous_valid_until: Set(None),
        rate_limit_per_minute: Set(new
            .rate_limit_per_minute
            .map(|n| i32::try_from(n).unwrap_or(i32::MAX))),
    })
    .exec(&txn)
    .await?;
    write_audit(&txn, new.created_by, audit, new.id, now).await?;
    txn.commit().await?;
    find(db, new.id).await?.ok_or(RepoError::NotFound)
}

/// The organisation's service account, created on first use: an account of the role its staff
/// have, marked as a service account, with no password that could ever match.
pub(crate) async fn service_account_in(
    txn: &DatabaseTransaction,
    organisation_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(organisation_id))
        .filter(user::Column::IsService.eq(true))
        .one(txn)
        .await?
    {
        return Ok(existing.id);
    }
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let kind: domain::OrganisationKind = parse_enum(&org.kind)?;
    let id = Uuid::now_v7();
    user::Entity::insert(user::ActiveModel {
        id: Set(id),
        login: Set(format!("service:{organisation_id}")),
        role: Set(kind.staff_role().as_str().to_owned()),
        organisation_id: Set(Some(organisation_id)),
        // Not a PHC string: no password verifies against it.
        password_hash: Set("!service-account".to_owned()),
        is_active: Set(true),
        is_test: Set(org.is_test),
        is_service: Set(true),
        created_at: Set(now),
        erased_at: Set(None),
        // An organisation's system is no one: no personal data.
        person_id: Set(None),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(id)
}

/// The most characters of a person's name, as accounts show them.
const MAX_USER_NAME_CHARS: usize = 200;

/// The service account's name, made when it is shown (no one's name is stored for it): the
/// organisation's, marked "(API)", shortened with "…" to the length of a person's name (an
/// organisation's name may be 300 characters).
pub(crate) fn service_account_name(organisation: &str) -> String {
    const MARK: &str = " (API)";
    let room = MAX_USER_NAME_CHARS - MARK.chars().count();
    if organisation.chars().count() <= room {
        return format!("{organisation}{MARK}");
    }
    let short: String = organisation.chars().take(room - 1).collect();
    format!("{}…{MARK}", short.trim_end())
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<ApiKeyRecord>, RepoError> {
    let db = db.connection();
    let Some((key, org)) = api_key::Entity::find_by_id(id)
        .find_also_related(organisation::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let account = service_account_of(db, key.organisation_id).await?;
    to_record(key, org, account).map(Some)
}

/// The service accounts' names of these organisations, in one query, by organisation.
pub(crate) async fn service_account_names(
    db: &impl ConnectionTrait,
    organisations: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, RepoError> {
    let ids: Vec<Uuid> = organisations.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, service_account_name(&o.name)))
        .collect())
}

async fn service_account_of<C: ConnectionTrait>(
    conn: &C,
    organisation_id: Uuid,
) -> Result<Uuid, RepoError> {
    user::Entity::find()
        .filter(user::Column::OrganisationId.eq(organisation_id))
        .filter(user::Column::IsService.eq(true))
        .one(conn)
        .await?
        .map(|account| account.id)
        .ok_or_else(|| {
            RepoError::Fault(format!(
                "organisation {organisation_id} has API keys but no service account"
            ))
        })
}

/// Every key, newest first, revoked ones included.
pub async fn list(db: &Db) -> Result<Vec<ApiKeyRecord>, RepoError> {
    let db = db.connection();
    let rows = api_key::Entity::find()
        .order_by_desc(api_key::Column::Id)
        .find_also_related(organisation::Entity)
        .all(db)
        .await?;
    let mut records = Vec::with_capacity(rows.len());
    for (key, org) in rows {
        let account = service_account_of(db, key.organisation_id).await?;
        records.push(to_record(key, org, account)?);
    }
    Ok(records)
}

/// Revokes a key; revoking twice changes nothing. `false` when the key does not exist.
pub async fn revoke(
    db: &Db,
    id: Uuid,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    if api_key::Entity::find_by_id(id).one(&txn).await?.is_none() {
        return Ok(false);
    }
    let updated = api_key::Entity::update_many()
        .col_expr(api_key::Column::RevokedAt, Expr::value(now))
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected > 0 {
        let audit = Audit {
            actor_id,
            action: "api_key_revoked",
            details: serde_json::json!({}),
        };
        write_audit(&txn, actor_id, audit, id, now).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Gives a live key a new secret (its hash `new_hash`); the old one keeps working until
/// `grace_until`. [`RepoError::NotFound`] for an unknown key, [`RepoError::Conflict`] for a
/// revoked or expired one.
pub async fn rotate(
    db: &Db,
    id: Uuid,
    new_hash: &str,
    grace_until: DateTime<Utc>,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<ApiKeyRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let key = api_key::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    if key.revoked_at.is_some() || key.expires_at.is_some_and(|at| at <= now) {
        return Err(RepoError::Conflict(
            "A revoked or expired key cannot be rotated; create a new one.".to_owned(),
        ));
    }
    api_key::Entity::update_many()
        .col_expr(api_key::Column::PreviousKeyHash, Expr::value(key.key_hash))
        .col_expr(
            api_key::Column::PreviousValidUntil,
            Expr::value(grace_until),
        )
        .col_expr(api_key::Column::KeyHash, Expr::value(new_hash))
        .filter(api_key::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let audit = Audit {
        actor_id,
        action: "api_key_rotated",
        details: serde_json::json!({ "previous_valid_until": grace_until }),
    };
    write_audit(&txn, actor_id, audit, id, now).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(RepoError::NotFound)
}

/// Counts one request of `key` in the minute of `now` and returns how many it made in that
/// minute, this one included. One statement, so every replica counts in the same row.
pub async fn count_request(db: &Db, key: Uuid, now: DateTime<Utc>) -> Result<u32, RepoError> {
    let window = minute_of(now);
    let db = db.connection();
    let row = api_key_usage::Entity::insert(api_key_usage::ActiveModel {
        key_id: Set(key),
        window_start: Set(window),
        requests: Set(1),
    })
    .on_conflict(
        OnConflict::columns([
            api_key_usage::Column::KeyId,
            api_key_usage::Column::WindowStart,
        ])
        .value(
            api_key_usage::Column::Requests,
            Expr::col((api_key_usage::Entity, api_key_usage::Column::Requests)).add(1),
        )
        .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    Ok(u32::try_from(row.requests).unwrap_or(u32::MAX))
}

/// The start of the minute `at` falls in: the rate limit's window.
pub fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = at.timestamp();
    DateTime::from_timestamp(seconds - seconds.rem_euclid(60), 0).unwrap_or(at)
}

/// Deletes the usage counts of windows that ended before `before`.
pub async fn purge_usage(db: &Db, before: DateTime<Utc>) -> Result<u64, RepoError> {
    Ok(api_key_usage::Entity::delete_many()
        .filter(api_key_usage::Column::WindowStart.lt(before - Duration::minutes(1)))
        .exec(db.connection())
        .await?
        .rows_affected)
}

fn to_record(
    row: api_key::Model,
    org: Option<organisation::Model>,
    service_account: Uuid,
) -> Result<ApiKeyRecord, RepoError> {
    let org =
        org.ok_or_else(|| RepoError::Fault(format!("api key {} has no organisation", row.id)))?;
    Ok(ApiKeyRecord {
        id: row.id,
        name: row.name,
        organisation_kind: parse_enum(&org.kind)?,
        organisation: OrganisationRef {
            id: org.id,
            name: org.name,
        },
        service_account,
        scopes: row
            .scopes
            .split_whitespace()
            .map(parse_enum)
            .collect::<Result<_, _>>()?,
        key_hash: row.key_hash,
        previous_key_hash: row.previous_key_hash.zip(row.previous_valid_until),
        created_by: row.created_by,
        created_at: row.created_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        rate_limit_per_minute: row
            .rate_limit_per_minute
            .map(|n| {
                u32::try_from(n)
                    .map_err(|_| RepoError::Fault(format!("api key {}: rate limit {n}", row.id)))
            })
            .transpose()?,
    })
}

#[cfg(test)]
mod name_tests {
    use super::{MAX_USER_NAME_CHARS, service_account_name};

    #[test]
    fn a_service_accounts_name_always_fits_a_users_name() {
        assert_eq!(service_account_name("ООО «УК»"), "ООО «УК» (API)");
        let exact = "я".repeat(194);
        assert_eq!(service_account_name(&exact), format!("{exact} (API)"));
        for length in [195, 200, 300] {
            let name = service_account_name(&"я".repeat(length));
            assert_eq!(name.chars().count(), MAX_USER_NAME_CHARS, "{length}");
            assert!(name.ends_with("… (API)"));
        }
    }
}
