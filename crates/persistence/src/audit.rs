//! The audit log: who saw or did something sensitive.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use uuid::Uuid;

use crate::entities::audit_log;
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
