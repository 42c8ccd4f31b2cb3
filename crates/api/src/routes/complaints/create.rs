use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{Datelike, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use persistence::complaints::{self, Claim, Filing, ListQuery, Scope};

use super::dto::{ComplaintDto, StatusDto, etag};
use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// The text version of the consent to personal-data processing (152-ФЗ) that clerks read out.
pub const CONSENT_VERSION: &str = "2026-01";

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
    pub consent: ConsentRequest,
}

/// The person's consent to the processing of their personal data (152-ФЗ), as read out to them.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// Must be `true`.
    pub accepted: bool,
    /// The version of the consent text.
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(min_length = 1, max_length = 32, example = "2026-01")]
    pub version: String,
}

/// An open complaint about the same building and category.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DuplicateRef {
    pub id: Uuid,
    #[schema(example = "СУР-2026-000120")]
    pub number: String,
    pub status: StatusDto,
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
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "1 to 128 visible ASCII characters; makes retries safe", max_length = 128, pattern = "^[!-~]{1,128}$")),
    request_body = CreateComplaintRequest,
    responses(
        (status = 201, body = CreatedComplaint, headers(("ETag" = String), ("Location" = String))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only residents and clerks file", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the key was used with another body (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Daily limit (`daily_limit_reached`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints")]
pub async fn create_complaint(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: AuthUser,
    body: crate::dto::JsonObject<CreateComplaintRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let idempotency_key = idempotency_key(&req)?;
    let actor = user.actor();
    let now = Utc::now();
    let db = &state.db;

    let building = persistence::registry::building(db, body.building_id)
        .await?
        .ok_or_else(|| ApiError::field("building_id", "no such building"))?;
    let category = persistence::registry::category(db, body.category_id)
        .await?
        .filter(|c| c.is_active)
        .ok_or_else(|| ApiError::field("category_id", "no such category"))?;

    let (applicant, applicant_name, applicant_phone, consent_version) =
        match (actor.role, &body.applicant) {
            (domain::Role::Clerk, Some(person)) => {
                if !person.consent.accepted {
                    return Err(ApiError::field(
                        "applicant.consent.accepted",
                        "the person must consent to data processing",
                    ));
                }
                let phone = person
                    .phone
                    .as_deref()
                    .map(domain::PhoneNumber::parse)
                    .transpose()
                    .map_err(|_| {
                        ApiError::field("applicant.phone", "not a Russian phone number")
                    })?;
                let stored_phone = phone.as_ref().map(|p| p.as_str().to_owned());
                let applicant = domain::Applicant {
                    name: person.name.trim().to_owned(),
                    phone,
                };
                (
                    Some(applicant),
                    Some(person.name.trim().to_owned()),
                    stored_phone,
                    Some(person.consent.version.clone()),
                )
            }
            (domain::Role::Resident, None) => {
                let me = persistence::users::find_by_id(db, user.id)
                    .await?
                    .ok_or(ApiError::Unauthorized("invalid_token"))?;
                let filed_today = complaints::count_by_author_since(
                    db,
                    user.id,
                    now - chrono::Duration::hours(24),
                )
                .await?;
                if filed_today >= u64::from(state.config.daily_complaint_limit) {
                    return Err(ApiError::RateLimited {
                        code: "daily_limit_reached",
                        retry_after_seconds: 3600,
                    });
                }
                (None, Some(me.name), me.phone, None)
            }
            // The domain decides who may file and what a filing must contain.
            (_, Some(_)) => (
                Some(domain::Applicant {
                    name: String::new(),
                    phone: None,
                }),
                None,
                None,
                None,
            ),
            (_, None) => (None, None, None, None),
        };

    let transition = domain::register(
        domain::NewComplaint {
            id: Uuid::now_v7(),
            category: category.category.clone(),
            company_id: building.company_id,
            description: body.description.clone(),
            applicant,
        },
        &actor,
        now,
        &state.policy,
        &state.calendar,
    )?;

    let pin = (actor.role == domain::Role::Clerk).then(new_pin);
    let pin_hash = match &pin {
        Some(pin) => {
            let pin = pin.clone();
            Some(crate::password::hash_bounded(pin).await?)
        }
        None => None,
    };
    let duplicates = complaints::list(
        db,
        &ListQuery {
            statuses: domain::Status::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .collect(),
            building_id: Some(building.id),
            category_id: Some(category.category.id),
            limit: 5,
            ..ListQuery::new(Scope::All, now)
        },
    )
    .await?
    .items
    .into_iter()
    .map(|d| DuplicateRef {
        id: d.complaint.id,
        number: d.number,
        status: d.complaint.status.into(),
        registered_at: d.complaint.registered_at,
    })
    .collect();

    let uow = complaints::begin(db).await?;
    if let Some(key) = &idempotency_key {
        let request_hash = hex(&Sha256::digest(
            serde_json::to_vec(&body).unwrap_or_default(),
        ));
        match uow
            .claim_idempotency(user.id, key, &request_hash, now)
            .await?
        {
            Claim::Claimed => {}
            Claim::Existing(stored) if stored.request_hash == request_hash => {
                return Ok(replay(stored));
            }
            Claim::Existing(_) => {
                return Err(ApiError::Unprocessable {
                    code: "idempotency_key_reused",
                    detail: "This Idempotency-Key was already used with a different request body."
                        .to_owned(),
                });
            }
        }
    }
    let filing = Filing {
        building_id: building.id,
        building_address: building.address.clone(),
        flat: body.flat.as_deref().map(str::trim).map(str::to_owned),
        description: body.description.trim().to_owned(),
        applicant_name,
        applicant_phone,
        consent_version,
        pin_hash,
        is_test: state.config.pilot_mode,
    };
    let id = transition.complaint.id;
    uow.insert_complaint(&filing, &transition).await?;
    let mut record = uow.find(id).await?.ok_or(ApiError::NotFound)?;
    // From here to the commit the year's counter is locked: keep it short.
    record.number = uow
        .assign_number(id, state.calendar.local_date(now).year(), &filing)
        .await?;
    let created = CreatedComplaint {
        complaint: ComplaintDto::new(record, &actor, now),
        pin,
        possible_duplicates: duplicates,
    };
    let json = serde_json::to_string(&created).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Some(key) = &idempotency_key {
        uow.complete_idempotency(user.id, key, 201, &json).await?;
    }
    uow.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/complaints/{}", created.complaint.id),
        ))
        .insert_header((header::ETAG, etag(created.complaint.version)))
        .content_type("application/json")
        .body(json))
}

/// The `Idempotency-Key` header, when sent: 1 to 128 visible ASCII characters.
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 128 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::BadRequest {
            code: "invalid_idempotency_key",
            detail: "Idempotency-Key must be 1 to 128 visible ASCII characters.".to_owned(),
        });
    }
    Ok(Some(key.to_owned()))
}

/// The first response to this key, sent again.
fn replay(stored: complaints::StoredResponse) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(stored.status)
        .unwrap_or(actix_web::http::StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header(("Idempotent-Replayed", "true"));
    if let Ok(body) = serde_json::from_str::<serde_json::Value>(&stored.body)
        && let Some(id) = body["complaint"]["id"].as_str()
    {
        response.insert_header((header::LOCATION, format!("/api/v1/complaints/{id}")));
        if let Some(version) = body["complaint"]["version"].as_i64() {
            response.insert_header((header::ETAG, etag(version)));
        }
    }
    response.content_type("application/json").body(stored.body)
}

/// Six random digits.
fn new_pin() -> String {
    let n = Uuid::new_v4().as_u128() % 1_000_000;
    format!("{n:06}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
