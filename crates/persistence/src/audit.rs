//! The audit log: who saw or did something sensitive.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::audit_log;

pub async fn record(
    db: &DatabaseConnection,
    actor_id: Uuid,
    action: &str,
    complaint_id: Option<Uuid>,
    details: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), RepoError> {
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

/// Audit entries about one complaint, oldest first: (actor, action, at).
pub async fn for_complaint(
    db: &DatabaseConnection,
    complaint_id: Uuid,
) -> Result<Vec<(Uuid, String, DateTime<Utc>)>, RepoError> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(audit_log::Column::At)
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.actor_id, row.action, row.at))
        .collect())
}
