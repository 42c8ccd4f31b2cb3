//! The production calendar as data (issue 15): the years administrators uploaded, each a version
//! with its editor and time; an upload is written to the audit log in its transaction. The latest
//! upload of a year is in force; years never uploaded keep the compiled data.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::calendar_year;
use crate::users::{Audit, write_audit};
use crate::{Db, RepoError};

/// One stored upload.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarUpload {
    pub version: i32,
    pub year: i32,
    pub data: domain::YearCalendar,
    pub editor_id: Uuid,
    pub editor_login: String,
    pub created_at: DateTime<Utc>,
}

fn to_upload(m: calendar_year::Model) -> Result<CalendarUpload, RepoError> {
    let data = serde_json::from_value(m.data)
        .map_err(|e| RepoError::Fault(format!("calendar version {}: {e}", m.version)))?;
    Ok(CalendarUpload {
        version: m.version,
        year: m.year,
        data,
        editor_id: m.editor_id,
        editor_login: m.editor_login,
        created_at: m.created_at,
    })
}

/// The highest version stored (0 when nothing was uploaded): a cheap check whether a replica's
/// calendar is still current.
pub async fn latest_version(db: &Db) -> Result<i32, RepoError> {
    let found: Option<i32> = calendar_year::Entity::find()
        .select_only()
        .column(calendar_year::Column::Version)
        .order_by_desc(calendar_year::Column::Version)
        .into_tuple()
        .one(db.connection())
        .await?;
    Ok(found.unwrap_or(0))
}

/// Every upload, oldest first (a later one of a year replaces the earlier).
pub async fn all(db: &Db) -> Result<Vec<CalendarUpload>, RepoError> {
    calendar_year::Entity::find()
        .order_by_asc(calendar_year::Column::Version)
        .all(db.connection())
        .await?
        .into_iter()
        .map(to_upload)
        .collect()
}

/// Stores a checked year as the next version, with the audit entry in the same transaction. Two
/// uploads at once: one gets [`RepoError::Conflict`].
pub async fn create(
    db: &Db,
    year: i32,
    data: &domain::YearCalendar,
    editor: (Uuid, String),
    now: DateTime<Utc>,
) -> Result<CalendarUpload, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let latest: Option<i32> = calendar_year::Entity::find()
        .select_only()
        .column(calendar_year::Column::Version)
        .order_by_desc(calendar_year::Column::Version)
        .into_tuple()
        .one(&txn)
        .await?;
    let version = latest.unwrap_or(0) + 1;
    let id = Uuid::now_v7();
    let (editor_id, editor_login) = editor;
    let json = serde_json::to_value(data).map_err(|e| RepoError::Fault(e.to_string()))?;
    calendar_year::Entity::insert(calendar_year::ActiveModel {
        id: Set(id),
        version: Set(version),
        year: Set(year),
        data: Set(json),
        editor_id: Set(editor_id),
        editor_login: Set(editor_login),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    write_audit(
        &txn,
        editor_id,
        Audit {
            actor_id: editor_id,
            action: "calendar_year_uploaded",
            details: serde_json::json!({
                "version": version,
                "year": year,
                "confirmed": data.is_confirmed(),
                "days_off_weekdays": data.days_off_weekdays.len(),
                "working_weekends": data.working_weekends.len(),
            }),
        },
        id,
        now,
    )
    .await?;
    let stored = calendar_year::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    txn.commit().await?;
    to_upload(stored)
}
