//! API keys of service accounts. Only the SHA-256 of a key is stored; the plaintext is shown to
//! the admin once, at creation. Scopes are stored as space-separated names; the API owns their
//! closed set and parses them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{api_key, organisation};
use crate::users::{Audit, OrganisationRef, write_audit};
use crate::{Db, RepoError};

#[derive(Debug, Clone)]
pub struct ApiKeyRecord {
    pub id: Uuid,
    pub name: String,
    pub organisation: OrganisationRef,
    pub organisation_kind: domain::OrganisationKind,
    pub scopes: Vec<domain::Scope>,
    /// Hex SHA-256 of the whole key; leaves this crate only for verification.
    pub key_hash: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
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
}

pub async fn create(
    db: &Db,
    new: NewApiKey,
    now: DateTime<Utc>,
) -> Result<ApiKeyRecord, RepoError> {
    let txn = db.connection().begin().await?;
    let audit = Audit {
        actor_id: new.created_by,
        action: "api_key_created",
        details: serde_json::json!({
            "name": new.name,
            "organisation_id": new.organisation_id,
            "scopes": new.scopes.iter().map(|scope| scope.as_str()).collect::<Vec<_>>(),
        }),
    };
    api_key::Entity::insert(api_key::ActiveModel {
        id: Set(new.id),
        name: Set(new.name),
        organisation_id: Set(new.organisation_id),
        scopes: Set(new
            .scopes
            .iter()
            .map(|scope| scope.as_str())
            .collect::<Vec<_>>()
            .join(" ")),
        key_hash: Set(new.key_hash),
        created_by: Set(new.created_by),
        created_at: Set(now),
        revoked_at: Set(None),
    })
    .exec(&txn)
    .await?;
    write_audit(&txn, new.created_by, audit, new.id, now).await?;
    txn.commit().await?;
    find(db, new.id).await?.ok_or(RepoError::NotFound)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<ApiKeyRecord>, RepoError> {
    let db = db.connection();
    api_key::Entity::find_by_id(id)
        .find_also_related(organisation::Entity)
        .one(db)
        .await?
        .map(to_record)
        .transpose()
}

/// Every key, newest first, revoked ones included.
pub async fn list(db: &Db) -> Result<Vec<ApiKeyRecord>, RepoError> {
    let db = db.connection();
    api_key::Entity::find()
        .order_by_desc(api_key::Column::Id)
        .find_also_related(organisation::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(to_record)
        .collect()
}

/// Revokes a key; revoking twice changes nothing. `false` when the key does not exist.
pub async fn revoke(
    db: &Db,
    id: Uuid,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let db = db.connection();
    let txn = db.begin().await?;
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

fn to_record(
    (row, org): (api_key::Model, Option<organisation::Model>),
) -> Result<ApiKeyRecord, RepoError> {
    let org =
        org.ok_or_else(|| RepoError::Fault(format!("api key {} has no organisation", row.id)))?;
    Ok(ApiKeyRecord {
        id: row.id,
        name: row.name,
        organisation_kind: crate::mapping::parse_enum(&org.kind)?,
        organisation: OrganisationRef {
            id: org.id,
            name: org.name,
        },
        scopes: row
            .scopes
            .split_whitespace()
            .map(crate::mapping::parse_enum)
            .collect::<Result<_, _>>()?,
        key_hash: row.key_hash,
        created_by: row.created_by,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
    })
}
