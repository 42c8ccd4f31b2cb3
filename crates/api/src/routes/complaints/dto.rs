//! Wire types of complaints. Personal data is masked here, by who is looking.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use persistence::complaints::{ComplaintRecord, EventRecord};

use crate::error::{ApiError, ErrorCode};

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
    pub status: domain::Status,
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
    /// The lifecycle actions the caller may take now (their role, the status and the rest of the
    /// complaint's state allow them): a screen offers exactly these.
    pub allowed_actions: Vec<domain::ActionKind>,
    /// The caller may attach files now.
    pub can_attach: bool,
    /// The caller may reveal the applicant's full phone (an audited read, for a verification call).
    pub can_reveal_phone: bool,
    /// Created while the service ran in test (pilot) mode.
    pub is_test: bool,
    /// The legal clocks running on the complaint (localise, check, answer, fix, and the city's
    /// 59-ФЗ answer), each with its basis, due time and state. Only in `GET /complaints/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clocks: Option<Vec<super::clocks::ClockDto>>,
}

pub fn mask_phone(phone: &str) -> String {
    domain::PhoneNumber::parse(phone).map_or_else(|_| "***".to_owned(), |p| p.masked())
}

impl ComplaintDto {
    pub fn new(record: ComplaintRecord, actor: &domain::Actor, now: DateTime<Utc>) -> Self {
        let c = &record.complaint;
        let permissions = domain::permissions(c, actor);
        let full_phone = permissions.sees_applicant_contact;
        Self {
            id: c.id,
            number: record.number.clone(),
            status: c.status,
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
            allowed_actions: permissions.allowed_actions,
            can_attach: permissions.may_attach,
            can_reveal_phone: permissions.may_reveal_phone,
            is_test: record.is_test,
            clocks: None,
        }
    }
}

/// Who did a step of a complaint's history.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A signed-in person.
    User,
    /// An organisation's system, through one of its API keys.
    ServiceAccount,
    /// The service itself: an automatic escalation.
    System,
    /// The person a complaint was filed for, answering by SMS.
    Applicant,
}

/// One step of a complaint's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    pub id: Uuid,
    /// `registered` or the action's `type`.
    pub kind: domain::EventKind,
    /// Who did it: a person, an organisation's system through an API key, or the service itself.
    pub actor_kind: ActorKind,
    pub actor_role: domain::Role,
    /// For `service_account`: the organisation's service account, e.g. `ООО «УК Северный город» (API)`.
    pub actor_name: Option<String>,
    /// The person a clerk filed for (on the registration; none once the complaint is erased).
    pub on_behalf_of: Option<String>,
    pub from: Option<domain::Status>,
    pub to: domain::Status,
    pub round: u32,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
    /// Kind-specific details, e.g. `outcome` of a call or `amount_rub` of a fine.
    #[schema(value_type = Object)]
    pub details: serde_json::Map<String, serde_json::Value>,
    /// Another company's internal step (after a reroute): when and what status it led to, without
    /// its comment, details or service account.
    pub step_only: bool,
}

impl EventDto {
    /// A registration's entry names the person a clerk filed for, with their phone masked, read
    /// from the complaint's person: the event itself holds neither (issue 14), and an erased
    /// complaint shows neither.
    pub fn with_applicant(mut self, record: &ComplaintRecord) -> Self {
        if self.kind == domain::EventKind::Registered
            && !self.step_only
            && record.complaint.author_id.is_none()
        {
            self.on_behalf_of.clone_from(&record.applicant_name);
            if let Some(phone) = &record.applicant_phone {
                self.details.insert(
                    "applicant_phone".to_owned(),
                    serde_json::Value::String(mask_phone(phone)),
                );
            }
        }
        self
    }

    /// The entry as `actor` may see it ([`domain::history_entry_view`]).
    pub fn seen_by(record: EventRecord, actor: &domain::Actor) -> Self {
        let view = domain::history_entry_view(&record.event, actor);
        let mut dto = Self::from(record);
        match view {
            domain::EntryView::Full => {}
            domain::EntryView::StepOnly => {
                dto.comment = None;
                dto.details = serde_json::Map::new();
                dto.actor_name = None;
                dto.step_only = true;
            }
        }
        dto
    }
}

impl From<EventRecord> for EventDto {
    fn from(record: EventRecord) -> Self {
        let event = record.event;
        Self {
            id: record.id,
            kind: event.kind(),
            actor_kind: match event.actor {
                domain::Principal::User { .. } => ActorKind::User,
                domain::Principal::ServiceAccount { .. } => ActorKind::ServiceAccount,
                domain::Principal::System => ActorKind::System,
                domain::Principal::Applicant { .. } => ActorKind::Applicant,
            },
            actor_role: event.actor_role,
            actor_name: record.service_account_name,
            on_behalf_of: None,
            from: event.from,
            to: event.to,
            round: event.round,
            at: event.at,
            comment: event.comment,
            details: event.details.fields(),
            step_only: false,
        }
    }
}

/// The `ETag` of a complaint version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Reads `If-Match`: `"3"`, `W/"3"` or `3`.
pub fn if_match(req: &actix_web::HttpRequest) -> Result<i64, ApiError> {
    let malformed = || {
        ApiError::new(
            ErrorCode::InvalidIfMatch,
            "If-Match must be the complaint's ETag, e.g. \"3\".".to_owned(),
        )
    };
    let value = req
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .ok_or(ApiError::of(ErrorCode::IfMatchRequired))?
        .to_str()
        .map_err(|_| malformed())?;
    let tag = value.trim().strip_prefix("W/").unwrap_or(value.trim());
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse().ok())
        .ok_or_else(malformed)
}
