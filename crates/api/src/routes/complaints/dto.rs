//! Wire types of complaints. Personal data is masked here, by who is looking.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use persistence::complaints::{ComplaintRecord, EventRecord};

/// A status of the lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusDto {
    Registered,
    InProgress,
    AwaitingVerification,
    NeedsRouting,
    UnderInspection,
    Closed,
    ClosedUnconfirmed,
    Withdrawn,
    Rejected,
}

impl From<domain::Status> for StatusDto {
    fn from(status: domain::Status) -> Self {
        use domain::Status as S;
        match status {
            S::Registered => Self::Registered,
            S::InProgress => Self::InProgress,
            S::AwaitingVerification => Self::AwaitingVerification,
            S::NeedsRouting => Self::NeedsRouting,
            S::UnderInspection => Self::UnderInspection,
            S::Closed => Self::Closed,
            S::ClosedUnconfirmed => Self::ClosedUnconfirmed,
            S::Withdrawn => Self::Withdrawn,
            S::Rejected => Self::Rejected,
        }
    }
}

impl From<StatusDto> for domain::Status {
    fn from(status: StatusDto) -> Self {
        use domain::Status as S;
        match status {
            StatusDto::Registered => S::Registered,
            StatusDto::InProgress => S::InProgress,
            StatusDto::AwaitingVerification => S::AwaitingVerification,
            StatusDto::NeedsRouting => S::NeedsRouting,
            StatusDto::UnderInspection => S::UnderInspection,
            StatusDto::Closed => S::Closed,
            StatusDto::ClosedUnconfirmed => S::ClosedUnconfirmed,
            StatusDto::Withdrawn => S::Withdrawn,
            StatusDto::Rejected => S::Rejected,
        }
    }
}

/// What can be done to a complaint (the `type` of a transition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKindDto {
    Accept,
    AssignExecutor,
    ReportDone,
    NotOurBuilding,
    Reroute,
    RecordCall,
    ResidentAnswer,
    SendToInspection,
    Reject,
    Withdraw,
    RecordFindings,
    IssueOrder,
    CheckCompliance,
    RecordFine,
    PauseClock,
    ResumeClock,
}

impl From<domain::ActionKind> for ActionKindDto {
    fn from(kind: domain::ActionKind) -> Self {
        use domain::ActionKind as K;
        match kind {
            K::Accept => Self::Accept,
            K::AssignExecutor => Self::AssignExecutor,
            K::ReportDone => Self::ReportDone,
            K::NotOurBuilding => Self::NotOurBuilding,
            K::Reroute => Self::Reroute,
            K::RecordCall => Self::RecordCall,
            K::ResidentAnswer => Self::ResidentAnswer,
            K::SendToInspection => Self::SendToInspection,
            K::Reject => Self::Reject,
            K::Withdraw => Self::Withdraw,
            K::RecordFindings => Self::RecordFindings,
            K::IssueOrder => Self::IssueOrder,
            K::CheckCompliance => Self::CheckCompliance,
            K::RecordFine => Self::RecordFine,
            K::PauseClock => Self::PauseClock,
            K::ResumeClock => Self::ResumeClock,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: Uuid,
    #[schema(example = "heating_off")]
    pub code: String,
    #[schema(example = "Нет отопления")]
    pub name_ru: String,
    #[schema(example = "No heating")]
    pub name_en: String,
    pub emergency: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BuildingRef {
    pub id: Uuid,
    #[schema(example = "г. Сургут, проспект Ленина, д. 1")]
    pub address: String,
    #[schema(example = "Центральный")]
    pub district: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyRef {
    pub id: Uuid,
    #[schema(example = "ООО «УК Северный город»")]
    pub name: String,
}

/// The person who complained. The phone is masked (`+7 *** ***-45-67`) for everyone but the
/// resident themself and the clerk who filed; the city dispatcher reveals it through an audited
/// action.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantDto {
    #[schema(example = "Иванова Мария Петровна")]
    pub name: Option<String>,
    #[schema(example = "+7 *** ***-00-01")]
    pub phone: Option<String>,
    pub phone_masked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    pub id: Uuid,
    pub text: String,
    pub due_at: DateTime<Utc>,
    /// `null` until the inspection checks it.
    pub complied: Option<bool>,
}

/// A complaint as its viewer may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintDto {
    pub id: Uuid,
    #[schema(example = "СУР-2026-000123")]
    pub number: String,
    pub status: StatusDto,
    /// Passes through execution; 2 and more are repeat rounds.
    #[schema(example = 1)]
    pub round: u32,
    pub urgent: bool,
    /// Open, not paused, and past `due_at`.
    pub overdue: bool,
    /// The execution clock is paused (waiting for the resident).
    pub paused: bool,
    pub category: CategoryRef,
    pub building: BuildingRef,
    #[schema(example = "45")]
    pub flat: Option<String>,
    #[schema(example = "Третий день нет горячей воды во всём подъезде.")]
    pub description: String,
    pub company: Option<CompanyRef>,
    pub applicant: ApplicantDto,
    pub executor: Option<String>,
    pub registered_at: DateTime<Utc>,
    /// Deadline of the current stage.
    pub due_at: Option<DateTime<Utc>>,
    /// The city's answer deadline (59-ФЗ, 30 days).
    pub answer_due_at: DateTime<Utc>,
    pub order: Option<OrderDto>,
    pub unanswered_calls: u32,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The optimistic-lock version; also the `ETag`. Send it as `If-Match` with a transition.
    #[schema(example = 1)]
    pub version: i64,
    /// What the caller may do now.
    pub allowed_actions: Vec<ActionKindDto>,
    /// Created while the service ran in test (pilot) mode.
    pub is_test: bool,
}

/// Whether `actor` sees the applicant's phone unmasked.
fn sees_full_phone(record: &ComplaintRecord, actor: &domain::Actor) -> bool {
    match actor.role {
        domain::Role::Resident => record.complaint.author_id == Some(actor.user_id),
        domain::Role::Clerk => record.complaint.filed_by == actor.user_id,
        domain::Role::Company
        | domain::Role::Dispatcher
        | domain::Role::Inspector
        | domain::Role::Admin => false,
    }
}

pub fn mask_phone(phone: &str) -> String {
    domain::PhoneNumber::parse(phone).map_or_else(|_| "***".to_owned(), |p| p.masked())
}

impl ComplaintDto {
    pub fn new(record: ComplaintRecord, actor: &domain::Actor, now: DateTime<Utc>) -> Self {
        let full_phone = sees_full_phone(&record, actor);
        let c = &record.complaint;
        let allowed_actions = domain::allowed_actions(c, actor)
            .into_iter()
            .map(Into::into)
            .collect();
        Self {
            id: c.id,
            number: record.number.clone(),
            status: c.status.into(),
            round: c.round,
            urgent: c.urgent,
            overdue: domain::is_overdue(c, now),
            paused: c.is_paused(),
            category: CategoryRef {
                id: c.category.id,
                code: c.category.code.clone(),
                name_ru: record.category_name_ru,
                name_en: record.category_name_en,
                emergency: c.category.emergency,
            },
            building: BuildingRef {
                id: record.building.id,
                address: record.building.address,
                district: record.building.district,
                latitude: record.building.latitude,
                longitude: record.building.longitude,
            },
            flat: record.flat,
            description: record.description,
            company: c
                .company_id
                .zip(record.company_name)
                .map(|(id, name)| CompanyRef { id, name }),
            applicant: ApplicantDto {
                name: record.applicant_name,
                phone: record.applicant_phone.map(|phone| {
                    if full_phone {
                        phone
                    } else {
                        mask_phone(&phone)
                    }
                }),
                phone_masked: !full_phone,
            },
            executor: c.executor.clone(),
            registered_at: c.registered_at,
            due_at: c.due_at,
            answer_due_at: c.answer_due_at,
            order: c.order.as_ref().map(|o| OrderDto {
                id: o.id,
                text: o.text.clone(),
                due_at: o.due_at,
                complied: o.complied,
            }),
            unanswered_calls: c.unanswered_calls,
            closed_at: record.closed_at,
            updated_at: record.updated_at,
            version: c.version,
            allowed_actions,
            is_test: record.is_test,
        }
    }
}

/// One step of a complaint's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    pub id: Uuid,
    /// `registered` or the action's `type`.
    #[schema(example = "accept")]
    pub kind: String,
    pub actor_role: crate::dto::RoleDto,
    /// The person a clerk filed for.
    pub on_behalf_of: Option<String>,
    pub from: Option<StatusDto>,
    pub to: StatusDto,
    pub round: u32,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
    /// Kind-specific details, e.g. `outcome` of a call or `amount_rub` of a fine.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<EventRecord> for EventDto {
    fn from(record: EventRecord) -> Self {
        let event = record.event;
        let mut details = event.payload;
        if let Some(map) = details.as_object_mut() {
            map.remove("company_id");
            map.remove("round");
        }
        Self {
            id: record.id,
            kind: event.kind.as_str().to_owned(),
            actor_role: event.actor_role.into(),
            on_behalf_of: event.on_behalf_of,
            from: event.from.map(Into::into),
            to: event.to.into(),
            round: record.round,
            at: event.at,
            comment: event.comment,
            details,
        }
    }
}

/// The `ETag` of a complaint version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Reads `If-Match`: `"3"`, `W/"3"` or `3`.
pub fn if_match(req: &actix_web::HttpRequest) -> Result<i64, crate::error::ApiError> {
    let malformed = || crate::error::ApiError::BadRequest {
        code: "invalid_if_match",
        detail: "If-Match must be the complaint's ETag, e.g. \"3\".".to_owned(),
    };
    let value = req
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .ok_or(crate::error::ApiError::PreconditionRequired)?
        .to_str()
        .map_err(|_| malformed())?;
    let tag = value.trim().strip_prefix("W/").unwrap_or(value.trim());
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse().ok())
        .ok_or_else(malformed)
}
