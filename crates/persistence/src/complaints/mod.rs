//! Complaints: filing, loading, listing and transitions. Every write runs in a [`UnitOfWork`]: the
//! complaint row, its event and its outbox message commit together or not at all, and a status
//! change is guarded by the version it was read at.

pub mod call_desk;
mod clocks;
pub mod duplicates;
mod escalation;
mod idempotency;
mod list;
mod management;
mod numbering;
mod quota;
mod row;
mod score_counters;
mod scorecard;
mod sync;
mod unit_of_work;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::{complaint, complaint_event, user};
use crate::mapping::parse_enum;
use crate::{Db, RepoError};

pub(crate) use clocks::clock_counters_installed;
pub use clocks::{ClockCount, clock_counts, clocks_of, mark_missed_clocks, recompute_clock_counts};
pub use escalation::candidates as escalation_candidates;
pub use idempotency::{Claim, StoredResponse};
pub use list::{Cursor, ListQuery, Page, Sort, list};
pub(crate) use row::{ComplaintRow, base_select, fetch_one, to_record};
pub use score_counters::{rebuild_scorecard, scorecard, set_scorecard_triggers};
pub use scorecard::{CityScorecard, recompute_scorecard};
pub use sync::{changes, departures};
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
    /// The category is about one flat: the complaint stays out of every public view.
    pub category_identifies_occupant: bool,
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
    /// The service account's name, for an event done through an API key.
    pub service_account_name: Option<String>,
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<ComplaintRecord>, RepoError> {
    let db = db.connection();
    let mut select = base_select();
    select.and_where(Expr::col(("c", "id")).eq(id));
    fetch_one(db, &select).await
}

pub async fn find_by_number(db: &Db, number: &str) -> Result<Option<ComplaintRecord>, RepoError> {
    let db = db.connection();
    let mut select = base_select();
    select.and_where(Expr::col(("c", "number")).eq(number));
    fetch_one(db, &select).await
}

/// How many complaints a resident filed since `since` (the daily limit).
pub async fn count_filed_by_since(
    db: &Db,
    filer: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, RepoError> {
    let db = db.connection();
    use sea_orm::PaginatorTrait;
    Ok(complaint::Entity::find()
        .filter(complaint::Column::FiledBy.eq(filer))
        .filter(complaint::Column::RegisteredAt.gte(since))
        .count(db)
        .await?)
}

/// The history of one complaint, oldest first.
pub async fn events(db: &Db, complaint_id: Uuid) -> Result<Vec<EventRecord>, RepoError> {
    let db = db.connection();
    let rows = complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await?;
    let mut records = rows
        .into_iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let accounts: Vec<Uuid> = records
        .iter()
        .filter_map(|r| match r.event.actor {
            domain::Principal::ServiceAccount { account, .. } => Some(account),
            domain::Principal::User { .. }
            | domain::Principal::System
            | domain::Principal::Applicant { .. } => None,
        })
        .collect();
    if !accounts.is_empty() {
        let accounts = user::Entity::find()
            .filter(user::Column::Id.is_in(accounts))
            .all(db)
            .await?;
        let names = crate::persons::contacts_of(db, &accounts).await?;
        for record in &mut records {
            record.service_account_name = names
                .get(&record.event.actor.id())
                .map(|contact| contact.name.clone());
        }
    }
    Ok(records)
}

pub(crate) fn event_from_row(row: complaint_event::Model) -> Result<EventRecord, RepoError> {
    let kind: domain::EventKind = parse_enum(&row.kind)?;
    let (company_id, details) = domain::Event::decode_payload(kind, row.payload, row.personal)
        .map_err(|e| RepoError::Fault(format!("event {}: {e}", row.id)))?;
    Ok(EventRecord {
        id: row.id,
        service_account_name: None,
        event: domain::Event {
            complaint_id: row.complaint_id,
            actor: match (row.actor_kind.as_str(), row.actor_id) {
                ("user", Some(id)) => domain::Principal::User { id },
                // The key is in the audit log, not in the history.
                ("service_account", Some(account)) => domain::Principal::ServiceAccount {
                    account,
                    key: Uuid::nil(),
                },
                // Rows from before `actor_kind` have the default `user` and no actor.
                ("system" | "user", None) => domain::Principal::System,
                ("applicant", None) => domain::Principal::Applicant {
                    complaint_id: row.complaint_id,
                },
                (kind, actor) => {
                    return Err(RepoError::Fault(format!(
                        "event {}: actor {actor:?} of kind {kind:?}",
                        row.id
                    )));
                }
            },
            actor_role: parse_enum(&row.actor_role)?,
            from: row.from_status.as_deref().map(parse_enum).transpose()?,
            to: parse_enum(&row.to_status)?,
            at: row.at,
            comment: row.comment,
            company_id,
            round: count_from_column("round", row.round)?,
            details,
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

/// A stored round or count; a negative one is a fault in the data, never read as a default.
pub(crate) use crate::sql::placeholders;

pub(crate) fn count_from_column(column: &str, value: i32) -> Result<u32, RepoError> {
    u32::try_from(value).map_err(|_| RepoError::Fault(format!("{column} is {value}")))
}

fn count_column(count: u32) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}
