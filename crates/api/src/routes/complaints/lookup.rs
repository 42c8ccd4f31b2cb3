use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"number": "СУР-2026-000123", "pin": "402913"}))]
pub struct LookupRequest {
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(min_length = 1, max_length = 32)]
    pub number: String,
    #[validate(length(equal = 6, message = "must be 6 digits"))]
    #[schema(min_length = 6, max_length = 6, pattern = "^[0-9]{6}$")]
    pub pin: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusStep {
    pub kind: domain::EventKind,
    pub to: domain::Status,
    pub at: DateTime<Utc>,
}

/// What a person without an account learns with the number and PIN from their receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicStatus {
    pub number: String,
    pub status: domain::Status,
    pub round: u32,
    pub overdue: bool,
    pub category_name_ru: String,
    pub category_name_en: String,
    pub address: String,
    pub registered_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub steps: Vec<StatusStep>,
}

/// Status check by complaint number and PIN, with no account (the ТОС receipt).
///
/// Five wrong PINs for one number from one address within 15 minutes lock that number's check
/// for that address for the rest of the window (429 with `Retry-After`); twenty from anywhere lock
/// it for everyone. One address may also fail 30 checks of any kind in 15 minutes.
#[utoipa::path(
    tag = "public",
    request_body = LookupRequest,
    responses(
        (status = 200, body = PublicStatus),
        (status = 404, description = "No complaint with this number and PIN", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/public/complaints/lookup")]
pub async fn lookup_complaint(
    state: web::Data<AppState>,
    client: crate::client::ClientAddress,
    body: crate::dto::JsonObject<LookupRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let now = Utc::now();
    let number = body.number.trim().to_uppercase();
    let attempt = crate::throttle::reserve(
        &state,
        &domain::throttle::pin_keys(&number, &client.0),
        None,
        ErrorCode::TooManyAttempts,
        now,
    )
    .await?;
    let record = persistence::complaints::find_by_number(&state.db, &number).await?;
    let pin = body.pin.clone();
    let hash = record.as_ref().and_then(|r| r.pin_hash.clone());
    let matches = match hash {
        Some(hash) => {
            attempt
                .run(
                    &state,
                    crate::password::verify_bounded(crate::password::Caller::Anonymous, pin, hash),
                )
                .await?
        }
        None => false,
    };
    let Some(record) = record.filter(|_| matches) else {
        return Err(ApiError::not_found());
    };
    attempt.succeeded(&state).await?;
    let steps = persistence::complaints::events(&state.db, record.complaint.id)
        .await?
        .into_iter()
        .map(|e| StatusStep {
            kind: e.event.kind(),
            to: e.event.to,
            at: e.event.at,
        })
        .collect();
    let c = &record.complaint;
    Ok(HttpResponse::Ok().json(PublicStatus {
        number: record.number.clone(),
        status: c.status,
        round: c.round,
        overdue: domain::is_overdue(c, now),
        category_name_ru: record.category_name_ru.clone(),
        category_name_en: record.category_name_en.clone(),
        address: record.building.address.clone(),
        registered_at: c.registered_at,
        due_at: c.due_at,
        steps,
    }))
}
