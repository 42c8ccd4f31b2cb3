use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::registration::{RegistrationStarted, code_to_send};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;
use persistence::verifications::Sent;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "registration_id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f" }))]
pub struct ResendCodeRequest {
    /// From the answer of `POST /api/v1/auth/register`.
    pub registration_id: Uuid,
}

/// Sends a new registration code by SMS; the old one stops working.
///
/// The new code has its own 10 minutes and 5 tries. A number gets a code at most once a minute
/// and five times an hour (429 `resend_too_soon` with `Retry-After`).
#[utoipa::path(
    operation_id = "resend_registration_code",
    tag = "auth",
    request_body = ResendCodeRequest,
    responses(
        (status = 202, description = "A new code is on its way", body = RegistrationStarted),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration waiting (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field holds control characters (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too soon, or five codes this hour (`resend_too_soon`); see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))
    )
)]
#[post("/auth/register/resend")]
pub async fn resend_registration_code(
    state: web::Data<AppState>,
    body: crate::dto::JsonObject<ResendCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = body.into_inner().registration_id;
    let pending = persistence::verifications::find(&state.db, id)
        .await?
        .filter(|p| !p.code.used)
        .ok_or_else(ApiError::not_found)?;
    let now = Utc::now();
    // A registration of a number with an account was never sent a code, nor is it now: the SMS
    // says again to sign in.
    let code = code_to_send(&state, &pending.phone, pending.code.digest.is_some(), now).await?;
    match persistence::verifications::resend(&state.db, id, code, now).await? {
        Sent::Sent { id, .. } => Ok(HttpResponse::Accepted().json(RegistrationStarted::new(id))),
        Sent::Wait(seconds) => Err(ApiError::of(ErrorCode::ResendTooSoon).retry_after(seconds)),
    }
}
