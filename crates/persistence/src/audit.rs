//! The audit log: who saw or did something sensitive, and the administrator's reader of it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::entities::{audit_log, complaint, user};
use crate::{Db, RepoError};

pub async fn record(
    db: &Db,
    actor_id: Uuid,
    action: &str,
    complaint_id: Option<Uuid>,
    details: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), RepoError> {
    let db = db.connection();
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        complaint_id: Set(complaint_id),
        details: Set(details),
        at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A staff read of a person's full data: recorded with the reason the reader gave, under
/// `details.reason` (where the reader of the log finds it).
pub async fn record_read(
    db: &Db,
    actor_id: Uuid,
    action: &str,
    complaint_id: Option<Uuid>,
    reason: &str,
    details: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), RepoError> {
    let mut details = details;
    match &mut details {
        serde_json::Value::Object(map) => {
            map.insert("reason".to_owned(), serde_json::json!(reason));
        }
        _ => details = serde_json::json!({ "reason": reason, "details": details }),
    }
    record(db, actor_id, action, complaint_id, details, at).await
}

/// What the administrator filters the log by; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub complaint_id: Option<Uuid>,
    /// From this moment, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Up to this moment, exclusive.
    pub to: Option<DateTime<Utc>>,
}

/// One row of the log, with the actor's name and the complaint's number.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    /// `None` when the account is gone (the test accounts after the purge).
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub complaint_id: Option<Uuid>,
    pub complaint_number: Option<String>,
    /// `details.reason`, when the row records a read with a reason.
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

/// A page of the log, newest first: rows older than `before` (a row's id; UUIDv7 ids are in
/// creation order), at most `limit`.
pub async fn page(
    db: &Db,
    filter: &AuditFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<AuditEntry>, RepoError> {
    let conn = db.connection();
    let mut select = audit_log::Entity::find();
    if let Some(actor) = filter.actor_id {
        select = select.filter(audit_log::Column::ActorId.eq(actor));
    }
    if let Some(action) = &filter.action {
        select = select.filter(audit_log::Column::Action.eq(action.as_str()));
    }
    if let Some(complaint) = filter.complaint_id {
        select = select.filter(audit_log::Column::ComplaintId.eq(complaint));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_log::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(audit_log::Column::At.lt(to));
    }
    if let Some(before) = before {
        select = select.filter(audit_log::Column::Id.lt(before));
    }
    let rows = select
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;

    let mut actor_ids: Vec<Uuid> = rows.iter().map(|r| r.actor_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let actors: HashMap<Uuid, (String, String)> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        let users = user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(conn)
            .await?;
        let mut names = crate::persons::contacts_of(conn, &users).await?;
        users
            .into_iter()
            .map(|u| {
                let name = names.remove(&u.id).map(|c| c.name).unwrap_or_default();
                (u.id, (name, u.role))
            })
            .collect()
    };
    let mut complaint_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.complaint_id).collect();
    complaint_ids.sort_unstable();
    complaint_ids.dedup();
    let numbers: HashMap<Uuid, String> = if complaint_ids.is_empty() {
        HashMap::new()
    } else {
        complaint::Entity::find()
            .select_only()
            .column(complaint::Column::Id)
            .column(complaint::Column::Number)
            .filter(complaint::Column::Id.is_in(complaint_ids))
            .into_tuple::<(Uuid, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };

    Ok(rows
        .into_iter()
        .map(|r| {
            let actor = actors.get(&r.actor_id);
            AuditEntry {
                id: r.id,
                at: r.at,
                actor_id: r.actor_id,
                actor_name: actor.map(|(name, _)| name.clone()),
                actor_role: actor.map(|(_, role)| role.clone()),
                action: r.action,
                complaint_id: r.complaint_id,
                complaint_number: r.complaint_id.and_then(|id| numbers.get(&id).cloned()),
                reason: r
                    .details
                    .get("reason")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                details: r.details,
            }
        })
        .collect())
}
