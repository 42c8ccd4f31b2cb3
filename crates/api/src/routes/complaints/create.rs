use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use persistence::complaints::{self, Filing, ListQuery};

use super::dto::{ComplaintDto, etag};
use super::idempotency::Idempotency;
use crate::auth::Caller;
use crate::dto::Consent;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "building_id": "0190c0de-0000-7000-8000-000000000001",
    "category_id": "0190c0de-0000-7000-8000-000000000002",
    "flat": "45",
    "description": "Третий день нет горячей воды во всём подъезде."
}))]
pub struct CreateComplaintRequest {
    pub building_id: Uuid,
    pub category_id: Uuid,
    #[validate(length(min = 1, max = 16, message = "must be 1 to 16 characters"))]
    #[schema(min_length = 1, max_length = 16)]
    pub flat: Option<String>,
    #[validate(length(min = 5, max = 4000, message = "must be 5 to 4000 characters"))]
    #[schema(min_length = 5, max_length = 4000)]
    pub description: String,
    /// Required when a clerk files for a person without an account; absent when a resident files.
    #[validate(nested)]
    pub applicant: Option<ApplicantRequest>,
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Петров Иван Сергеевич", "phone": "+7 922 123-45-67", "consent": {"accepted": true, "version": "2026-01"}}))]
pub struct ApplicantRequest {
    #[validate(length(min = 2, max = 200, message = "must be 2 to 200 characters"))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    /// For the SMS receipt; any common Russian format.
    #[validate(length(min = 5, max = 32, message = "must be 5 to 32 characters"))]
    #[schema(min_length = 5, max_length = 32)]
    pub phone: Option<String>,
    #[validate(nested)]
    pub consent: Consent,
}

/// An open complaint about the same building and category.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DuplicateRef {
    pub id: Uuid,
    #[schema(example = "СУР-2026-000120")]
    pub number: String,
    pub status: domain::Status,
    pub registered_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedComplaint {
    pub complaint: ComplaintDto,
    /// Six digits that let a person without an account check the status with the number.
    /// Returned once, only to the clerk who filed.
    #[schema(example = "402913")]
    pub pin: Option<String>,
    /// Open complaints about the same building and category, possibly the same problem.
    pub possible_duplicates: Vec<DuplicateRef>,
}

/// Files a complaint: a resident for themself, or a ТОС clerk for a person without an account.
///
/// The complaint is routed at once to the company managing the building; when no company is
/// known it waits for the city dispatcher. Send an `Idempotency-Key` to retry safely: the same
/// key with the same body replays the first response; with another body it is refused.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:file"])),
    params(("Idempotency-Key" = Option<String>, Header, description = "1 to 128 visible ASCII characters; makes retries safe", max_length = 128, pattern = "^[!-~]{1,128}$")),
    request_body = CreateComplaintRequest,
    responses(
        (status = 201, body = CreatedComplaint, headers(("ETag" = String), ("Location" = String)), links(("GetComplaint" = (operation_id = "get_complaint", parameters(("id" = "$response.body#/complaint/id")), description = "The new complaint")), ("TransitionComplaint" = (operation_id = "transition_complaint", parameters(("id" = "$response.body#/complaint/id")), description = "Act on it (send its `version` in `If-Match`)")), ("UploadAttachment" = (operation_id = "upload_attachment", parameters(("id" = "$response.body#/complaint/id")), description = "Attach a photo or a PDF")), ("ListAttachments" = (operation_id = "list_attachments", parameters(("id" = "$response.body#/complaint/id")), description = "Its attachments")), ("ListComplaintEvents" = (operation_id = "list_complaint_events", parameters(("id" = "$response.body#/complaint/id")), description = "Its history")))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only residents and clerks file", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the key was used with another body (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Daily limit (`daily_limit_reached`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints")]
pub async fn create_complaint(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    body: crate::dto::JsonObject<CreateComplaintRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let idempotency = Idempotency::of(&req, &[&serde_json::to_vec(&body).unwrap_or_default()])?;
    let actor = caller.actor;
    let db = &state.db;

    let building = persistence::registry::building(db, body.building_id)
        .await?
        .ok_or_else(|| ApiError::field("building_id", "no such building"))?;
    let category = persistence::registry::category(db, body.category_id)
        .await?
        .filter(|c| c.is_active)
        .ok_or_else(|| ApiError::field("category_id", "no such category"))?;
    let applicant = body
        .applicant
        .as_ref()
        .map(|person| {
            let phone = person
                .phone
                .as_deref()
                .map(domain::PhoneNumber::parse)
                .transpose()
                .map_err(|e| e.for_field("applicant.phone"))?;
            Ok::<_, domain::DomainError>(domain::Applicant {
                name: person.name.trim().to_owned(),
                phone,
                consent: person.consent.given(),
            })
        })
        .transpose()?;
    let input = FilingInput {
        building,
        category,
        flat: body.flat.as_deref().map(str::trim).map(str::to_owned),
        description: body.description,
        applicant,
    };
    let now = Utc::now();
    let outcome = file(&state, &actor, input, idempotency.as_ref(), now, |filed| {
        let created = CreatedComplaint {
            complaint: ComplaintDto::new(filed.record, &actor, now),
            pin: filed.pin,
            possible_duplicates: filed.possible_duplicates,
        };
        let json =
            serde_json::to_string(&created).map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(((created.complaint.id, created.complaint.version), json))
    })
    .await?;
    let ((id, version), json) = match outcome {
        Outcome::Replayed(replay) => return Ok(replay),
        Outcome::Created(created) => created,
    };
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/complaints/{id}")))
        .insert_header((header::ETAG, etag(version)))
        .content_type("application/json")
        .body(json))
}

/// What to file, checked and loaded: from a resident's form, a clerk's intake or an Open311
/// request of a partner's system.
pub(crate) struct FilingInput {
    pub building: persistence::registry::BuildingRecord,
    /// An active category.
    pub category: persistence::registry::CategoryRecord,
    pub flat: Option<String>,
    pub description: String,
    /// The person a clerk (or a ТОС office's system) files for.
    pub applicant: Option<domain::Applicant>,
}

/// A complaint just filed, for the caller's answer.
pub(crate) struct Filed {
    pub record: complaints::ComplaintRecord,
    /// The PIN for a clerk's filing (also sent by SMS with the receipt).
    pub pin: Option<String>,
    pub possible_duplicates: Vec<DuplicateRef>,
}

pub(crate) enum Outcome<T> {
    /// The first answer to the same idempotency key.
    Replayed(HttpResponse),
    /// What `respond` made of the new complaint, and the answer's body.
    Created((T, String)),
}

/// Files a complaint: the one path of every intake. The domain decides ([`domain::register`]:
/// who may file, for whom, consent, the daily quota, the deadline); then the complaint, its first
/// event, its number and the receipt SMS are written in one transaction. `respond` turns the
/// filed complaint into the answer's body, which an idempotency key stores before the commit.
pub(crate) async fn file<T>(
    state: &AppState,
    actor: &domain::Actor,
    input: FilingInput,
    idempotency: Option<&Idempotency>,
    now: chrono::DateTime<Utc>,
    respond: impl FnOnce(Filed) -> Result<(T, String), ApiError>,
) -> Result<Outcome<T>, ApiError> {
    let db = &state.db;
    let FilingInput {
        building,
        category,
        flat,
        description,
        applicant,
    } = input;
    let limit = state.config.filing_limits.for_actor(actor);
    let quota = match limit {
        Some(limit) => {
            let filed_today =
                complaints::count_filed_by_since(db, actor.id(), now - chrono::Duration::hours(24))
                    .await?;
            let quota = domain::DailyQuota {
                limit,
                used: u32::try_from(filed_today).unwrap_or(u32::MAX),
            };
            quota.check()?;
            quota
        }
        None => domain::DailyQuota::UNLIMITED,
    };
    let policy = state.policy.policy(&state.db, now).await?;
    // Read before the transaction: it needs a connection of its own (SQLite has one writer).
    let calendar = state.calendar.current(&state.db).await?;
    let transition = domain::register(
        domain::NewComplaint {
            id: Uuid::now_v7(),
            category: category.category.clone(),
            company_id: building.company_id,
            description: description.clone(),
            applicant: applicant.clone(),
            quota,
        },
        actor,
        now,
        &policy,
        &calendar,
    )?;

    // Who complained, as stored: the person a clerk filed for, or the resident's own account.
    let (applicant_name, applicant_phone) = match (&applicant, transition.complaint.author_id) {
        (Some(person), _) => (
            Some(person.name.clone()),
            person.phone.as_ref().map(|p| p.as_str().to_owned()),
        ),
        (None, Some(author)) => {
            let me = persistence::users::find_by_id(db, author)
                .await?
                .ok_or_else(|| ApiError::of(ErrorCode::InvalidToken))?;
            (Some(me.name), me.phone)
        }
        (None, None) => (None, None),
    };
    // The phone the person a clerk filed for gave, for the receipt.
    let filing_phone = applicant
        .as_ref()
        .and_then(|person| person.phone.as_ref())
        .map(|p| p.as_str().to_owned());
    let consent_version = applicant
        .as_ref()
        .map(|person| person.consent.version.clone());
    let pin = (actor.role == domain::Role::Clerk).then(new_pin);
    let pin_hash = match &pin {
        Some(pin) => {
            let pin = pin.clone();
            Some(crate::password::hash_bounded(crate::password::Caller::Known, pin).await?)
        }
        None => None,
    };
    let duplicates = complaints::list(
        db,
        &ListQuery {
            statuses: domain::Status::all().filter(|s| s.is_open()).collect(),
            building_id: Some(building.id),
            category_id: Some(category.category.id),
            limit: 5,
            ..ListQuery::new(domain::ComplaintScope::All, now)
        },
    )
    .await?
    .items
    .into_iter()
    .map(|d| DuplicateRef {
        id: d.complaint.id,
        number: d.number,
        status: d.complaint.status,
        registered_at: d.complaint.registered_at,
    })
    .collect();

    let receipt = match (&pin, &filing_phone) {
        (Some(_), Some(phone)) => crate::messaging::compose::Receipt::prepare(state, phone).await?,
        _ => None,
    };
    let uow = complaints::begin(db).await?;
    if let Some(idempotency) = idempotency
        && let Some(replay) = idempotency
            .claim(&uow, actor.id(), now, created_headers)
            .await?
    {
        return Ok(Outcome::Replayed(replay));
    }
    // The quota again, now atomically: parallel filings by one filer (resident, clerk or API
    // key) queue here, and each counts what the ones before it committed (the check above only
    // spares the work).
    if let Some(limit) = limit {
        let filed_today = uow
            .count_filed_since_locked(actor.id(), now - chrono::Duration::hours(24))
            .await?;
        domain::DailyQuota {
            limit,
            used: u32::try_from(filed_today).unwrap_or(u32::MAX),
        }
        .check()?;
    }
    let filing = Filing {
        building_id: building.id,
        building_address: building.address.clone(),
        flat,
        description: description.trim().to_owned(),
        applicant_name,
        applicant_phone,
        consent_version,
        pin_hash,
        is_test: state.config.pilot_mode,
    };
    let id = transition.complaint.id;
    let clocks = domain::clocks_for_category(
        &transition.complaint.category,
        transition.complaint.round,
        now,
        &calendar,
    );
    uow.insert_complaint(&filing, &transition, &clocks).await?;
    let mut record = uow.find(id).await?.ok_or(ApiError::not_found())?;
    // From here to the commit the year's counter is locked: keep it short.
    record.number = uow
        .assign_number(
            id,
            state.calendar.compiled().local_date(now).year(),
            &filing,
        )
        .await?;
    // The person a clerk filed for gets the number and PIN by SMS, if the filing stands.
    if let (Some(pin), Some(receipt)) = (&pin, &receipt)
        && let Some(delivery) = receipt.render(&record, pin, now)
    {
        uow.enqueue_deliveries(&[delivery], now).await?;
    }
    let (made, json) = respond(Filed {
        record,
        pin,
        possible_duplicates: duplicates,
    })?;
    if let Some(idempotency) = idempotency {
        idempotency
            .complete(
                &uow,
                actor.id(),
                actix_web::http::StatusCode::CREATED,
                &json,
            )
            .await?;
    }
    uow.commit().await?;
    Ok(Outcome::Created((made, json)))
}

/// `Location` and `ETag` of a filed complaint, for a replay of its answer.
fn created_headers(body: &serde_json::Value) -> Vec<(header::HeaderName, String)> {
    let complaint = &body["complaint"];
    let mut headers = Vec::new();
    if let Some(id) = complaint["id"].as_str() {
        headers.push((header::LOCATION, format!("/api/v1/complaints/{id}")));
    }
    if let Some(version) = complaint["version"].as_i64() {
        headers.push((header::ETAG, etag(version)));
    }
    headers
}

/// Six random digits.
fn new_pin() -> String {
    let n = Uuid::new_v4().as_u128() % 1_000_000;
    format!("{n:06}")
}
