//! The subscriptions: created, changed, rotated and deleted by their keepers, and read by the
//! fan-out.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::{organisation, user, webhook_attempt, webhook_endpoint, webhook_message};
use crate::mapping::parse_enum;
use crate::users::{Audit, write_audit};
use crate::{Db, RepoError};

/// A subscription as stored (never its secrets).
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRecord {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub url: String,
    pub description: String,
    pub event_types: Vec<domain::EventType>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    /// After a rotation, until when the previous secret still signs too.
    pub previous_valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A subscription to create.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub url: String,
    pub description: String,
    pub event_types: Vec<domain::EventType>,
    pub secret: String,
    pub created_by: Uuid,
}

/// What an update changes; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct EndpointChange {
    pub url: Option<String>,
    pub description: Option<String>,
    pub event_types: Option<Vec<domain::EventType>>,
    /// `true` switches a disabled endpoint back on (and forgets its failures).
    pub enabled: Option<bool>,
}

fn encode_types(types: &[domain::EventType]) -> String {
    serde_json::to_string(&types.iter().map(|t| t.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".to_owned())
}

fn decode_types(stored: &str) -> Result<Vec<domain::EventType>, RepoError> {
    let names: Vec<String> = serde_json::from_str(stored)
        .map_err(|e| RepoError::Fault(format!("webhook event types: {e}")))?;
    names.iter().map(|name| parse_enum(name)).collect()
}

fn to_record(
    row: webhook_endpoint::Model,
    organisation_name: String,
) -> Result<EndpointRecord, RepoError> {
    Ok(EndpointRecord {
        id: row.id,
        organisation_id: row.organisation_id,
        organisation_name,
        url: row.url,
        description: row.description,
        event_types: decode_types(&row.event_types)?,
        enabled: row.enabled,
        disabled_reason: row.disabled_reason,
        failing_since: row.failing_since,
        previous_valid_until: row.previous_valid_until,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The organisation's kind, or `NotFound`.
pub async fn organisation_kind(
    db: &Db,
    organisation_id: Uuid,
) -> Result<domain::OrganisationKind, RepoError> {
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(db.connection())
        .await?
        .ok_or(RepoError::NotFound)?;
    parse_enum(&org.kind)
}

/// Creates a subscription (and the organisation's service account, through whose eyes it sees).
pub async fn create(
    db: &Db,
    new: NewEndpoint,
    now: DateTime<Utc>,
) -> Result<EndpointRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    crate::api_keys::service_account_in(&txn, new.organisation_id, now).await?;
    let audit = Audit {
        actor_id: new.created_by,
        action: "webhook_endpoint_created",
        details: serde_json::json!({
            "organisation_id": new.organisation_id,
            "url": new.url,
            "event_types": new.event_types,
        }),
    };
    webhook_endpoint::Entity::insert(webhook_endpoint::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(new.organisation_id),
        url: Set(new.url),
        description: Set(new.description),
        event_types: Set(encode_types(&new.event_types)),
        secret: Set(new.secret),
        previous_secret: Set(None),
        previous_valid_until: Set(None),
        enabled: Set(true),
        disabled_reason: Set(None),
        failing_since: Set(None),
        created_by: Set(new.created_by),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    write_audit(&txn, new.created_by, audit, new.id, now).await?;
    txn.commit().await?;
    find(db, new.id).await?.ok_or(RepoError::NotFound)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<EndpointRecord>, RepoError> {
    let found = webhook_endpoint::Entity::find_by_id(id)
        .one(db.connection())
        .await?;
    match found {
        Some(row) => {
            let name = organisation_name(db, row.organisation_id).await?;
            to_record(row, name).map(Some)
        }
        None => Ok(None),
    }
}

async fn organisation_name(db: &Db, id: Uuid) -> Result<String, RepoError> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db.connection())
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

/// Every subscription, or one organisation's, newest first.
pub async fn list(
    db: &Db,
    organisation_id: Option<Uuid>,
) -> Result<Vec<EndpointRecord>, RepoError> {
    let mut query = webhook_endpoint::Entity::find()
        .order_by(webhook_endpoint::Column::CreatedAt, Order::Desc)
        .order_by(webhook_endpoint::Column::Id, Order::Desc);
    if let Some(org) = organisation_id {
        query = query.filter(webhook_endpoint::Column::OrganisationId.eq(org));
    }
    let rows = query.all(db.connection()).await?;
    let names: std::collections::HashMap<Uuid, String> = organisation::Entity::find()
        .filter(
            organisation::Column::Id
                .is_in(rows.iter().map(|r| r.organisation_id).collect::<Vec<_>>()),
        )
        .all(db.connection())
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    rows.into_iter()
        .map(|row| {
            let name = names.get(&row.organisation_id).cloned().unwrap_or_default();
            to_record(row, name)
        })
        .collect()
}

/// Applies a change; switching an endpoint back on forgets its failures.
pub async fn update(
    db: &Db,
    id: Uuid,
    change: EndpointChange,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<EndpointRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let mut update = webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_endpoint::Column::Id.eq(id));
    if let Some(url) = &change.url {
        update = update.col_expr(webhook_endpoint::Column::Url, Expr::value(url.clone()));
    }
    if let Some(description) = &change.description {
        update = update.col_expr(
            webhook_endpoint::Column::Description,
            Expr::value(description.clone()),
        );
    }
    if let Some(types) = &change.event_types {
        update = update.col_expr(
            webhook_endpoint::Column::EventTypes,
            Expr::value(encode_types(types)),
        );
    }
    if let Some(enabled) = change.enabled {
        update = update
            .col_expr(webhook_endpoint::Column::Enabled, Expr::value(enabled))
            .col_expr(
                webhook_endpoint::Column::FailingSince,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
        update = update.col_expr(
            webhook_endpoint::Column::DisabledReason,
            Expr::value(if enabled {
                None
            } else {
                Some("switched off by its owner".to_owned())
            }),
        );
    }
    if update.exec(&txn).await?.rows_affected == 0 {
        return Err(RepoError::NotFound);
    }
    let audit = Audit {
        actor_id,
        action: "webhook_endpoint_updated",
        details: serde_json::json!({
            "url": change.url,
            "event_types": change.event_types,
            "enabled": change.enabled,
        }),
    };
    write_audit(&txn, actor_id, audit, id, now).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(RepoError::NotFound)
}

/// Deletes a subscription with its queued messages and attempts.
pub async fn delete(
    db: &Db,
    id: Uuid,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    webhook_attempt::Entity::delete_many()
        .filter(webhook_attempt::Column::EndpointId.eq(id))
        .exec(&txn)
        .await?;
    webhook_message::Entity::delete_many()
        .filter(webhook_message::Column::EndpointId.eq(id))
        .exec(&txn)
        .await?;
    let deleted = webhook_endpoint::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(RepoError::NotFound);
    }
    let audit = Audit {
        actor_id,
        action: "webhook_endpoint_deleted",
        details: serde_json::json!({}),
    };
    write_audit(&txn, actor_id, audit, id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// A new secret; the old one keeps signing beside it until `previous_valid_until`.
pub async fn rotate_secret(
    db: &Db,
    id: Uuid,
    new_secret: &str,
    previous_valid_until: DateTime<Utc>,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<EndpointRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let row = webhook_endpoint::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::Secret, Expr::value(new_secret))
        .col_expr(
            webhook_endpoint::Column::PreviousSecret,
            Expr::value(Some(row.secret)),
        )
        .col_expr(
            webhook_endpoint::Column::PreviousValidUntil,
            Expr::value(Some(previous_valid_until)),
        )
        .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_endpoint::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let audit = Audit {
        actor_id,
        action: "webhook_secret_rotated",
        details: serde_json::json!({ "previous_valid_until": previous_valid_until }),
    };
    write_audit(&txn, actor_id, audit, id, now).await?;
    txn.commit().await?;
    find(db, id).await?.ok_or(RepoError::NotFound)
}

/// An enabled subscription as the fan-out needs it: what it wants, and whose eyes it sees
/// through.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub endpoint_id: Uuid,
    pub organisation_id: Uuid,
    pub kind: domain::OrganisationKind,
    pub service_account: Uuid,
    pub event_types: Vec<domain::EventType>,
    /// Events older than the subscription are not sent to it.
    pub created_at: DateTime<Utc>,
}

/// Every enabled subscription.
pub async fn subscribers(db: &Db) -> Result<Vec<Subscriber>, RepoError> {
    let db = db.connection();
    let rows = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let orgs: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
    let kinds: std::collections::HashMap<Uuid, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(orgs.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.kind))
        .collect();
    let accounts: std::collections::HashMap<Uuid, Uuid> = user::Entity::find()
        .filter(user::Column::IsService.eq(true))
        .filter(user::Column::OrganisationId.is_in(orgs))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| u.organisation_id.map(|org| (org, u.id)))
        .collect();
    let mut subscribers = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(kind), Some(account)) = (
            kinds.get(&row.organisation_id),
            accounts.get(&row.organisation_id),
        ) else {
            continue;
        };
        subscribers.push(Subscriber {
            endpoint_id: row.id,
            organisation_id: row.organisation_id,
            kind: parse_enum(kind)?,
            service_account: *account,
            event_types: decode_types(&row.event_types)?,
            created_at: row.created_at,
        });
    }
    Ok(subscribers)
}
