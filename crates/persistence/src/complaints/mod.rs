//! Complaints: filing, loading, listing and transitions. Every write runs in a [`UnitOfWork`]: the
//! complaint row, its event and its outbox message commit together or not at all, and a status
//! change is guarded by the version it was read at.

mod idempotency;
mod list;
mod numbering;
mod row;
mod scorecard;
mod unit_of_work;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{complaint, complaint_event};
use crate::mapping::parse_enum;

pub use idempotency::{Claim, StoredResponse};
pub use list::{Cursor, ListQuery, Page, Scope, Sort, list};
pub(crate) use row::{ComplaintRow, base_select, fetch_one, to_record};
pub use scorecard::{CityScorecard, scorecard};
pub use unit_of_work::{Filing, UnitOfWork, begin};

/// A complaint with everything a screen shows about it.
#[derive(Debug, Clone)]
pub struct ComplaintRecord {
    pub complaint: domain::Complaint,
    pub number: String,
    pub description: String,
    pub building: BuildingSummary,
    pub flat: Option<String>,
    pub category_name_ru: String,
    pub category_name_en: String,
    pub company_name: Option<String>,
    /// Name and phone of the person who complained (a resident or the person a clerk filed for).
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub consent_version: Option<String>,
    pub pin_hash: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub is_test: bool,
}

#[derive(Debug, Clone)]
pub struct BuildingSummary {
    pub id: Uuid,
    pub address: String,
    pub district: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// One entry of a complaint's history, as stored.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: Uuid,
    pub event: domain::Event,
    pub round: u32,
}

pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<ComplaintRecord>, RepoError> {
    let mut select = base_select();
    select.and_where(Expr::col(("c", "id")).eq(id));
    fetch_one(db, &select).await
}

pub async fn find_by_number(
    db: &DatabaseConnection,
    number: &str,
) -> Result<Option<ComplaintRecord>, RepoError> {
    let mut select = base_select();
    select.and_where(Expr::col(("c", "number")).eq(number));
    fetch_one(db, &select).await
}

/// How many complaints a resident filed since `since` (the daily limit).
pub async fn count_by_author_since(
    db: &DatabaseConnection,
    author: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, RepoError> {
    use sea_orm::PaginatorTrait;
    Ok(complaint::Entity::find()
        .filter(complaint::Column::AuthorId.eq(author))
        .filter(complaint::Column::RegisteredAt.gte(since))
        .count(db)
        .await?)
}

/// The history of one complaint, oldest first.
pub async fn events(
    db: &DatabaseConnection,
    complaint_id: Uuid,
) -> Result<Vec<EventRecord>, RepoError> {
    let rows = complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(event_from_row).collect()
}

pub(crate) fn event_from_row(row: complaint_event::Model) -> Result<EventRecord, RepoError> {
    Ok(EventRecord {
        id: row.id,
        round: u32::try_from(row.round).unwrap_or(1),
        event: domain::Event {
            complaint_id: row.complaint_id,
            kind: parse_enum(&row.kind)?,
            actor_id: row.actor_id.unwrap_or_default(),
            actor_role: parse_enum(&row.actor_role)?,
            on_behalf_of: row.on_behalf_of,
            from: row.from_status.as_deref().map(parse_enum).transpose()?,
            to: parse_enum(&row.to_status)?,
            at: row.at,
            comment: row.comment,
            payload: row.payload,
        },
    })
}

/// What the list's free-text search matches: the number, the description and the address.
fn search_text(number: &str, filing: &Filing) -> String {
    format!(
        "{number} {} {}",
        filing.description, filing.building_address
    )
    .to_lowercase()
}

fn round_column(round: u32) -> i32 {
    i32::try_from(round).unwrap_or(i32::MAX)
}

fn count_column(count: u32) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}

/// `?` placeholders as the backend wants them (`$1`, `$2`, … for PostgreSQL).
pub(crate) fn placeholders(backend: DbBackend, sql: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_owned(),
    }
}
