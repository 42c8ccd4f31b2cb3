use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{TokenResponse, start_session};
use crate::auth::TokenKeys;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;
use domain::verification::{MAX_ATTEMPTS, Outcome, check};
use persistence::RepoError;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "registration_id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
    "code": "493027"
}))]
pub struct ConfirmRegistrationRequest {
    /// From the answer of `POST /api/v1/auth/register`.
    pub registration_id: Uuid,
    /// The six digits of the SMS.
    #[validate(length(equal = 6, message = "must be 6 digits"))]
    #[schema(
        min_length = 6,
        max_length = 6,
        pattern = "^[0-9]{6}$",
        example = "493027"
    )]
    pub code: String,
}

/// Confirms a registration with the code sent by SMS: the account is created and signed in.
///
/// A wrong code is 422 `wrong_code` with `remaining_attempts`; the fifth wrong code burns it
/// (410 `code_burnt`), and a code is valid for 10 minutes (410 `code_expired`); then ask for a new
/// one at `POST /api/v1/auth/register/resend`.
#[utoipa::path(
    operation_id = "confirm_registration",
    tag = "auth",
    request_body = ConfirmRegistrationRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The phone got an account meanwhile (`already_registered`); an e-mail taken meanwhile is left out of the account instead", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The code expired or was already used (`code_expired`), or wrong codes burnt it (`code_burnt`): ask for a new one",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong code (`wrong_code`, with `remaining_attempts`), or not six digits (`validation_failed`)",
            body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/register/confirm")]
pub async fn confirm_registration(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    body: crate::dto::JsonObject<ConfirmRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    if !body.code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::field("code", "must be 6 digits"));
    }
    // A try that races another (or a resend) is decided again on what it left.
    for _ in 0..3 {
        let pending = persistence::verifications::find(&state.db, body.registration_id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        let now = Utc::now();
        let outcome = check(&pending.code, &body.code, now);
        let result = match outcome {
            Outcome::Used => {
                return Err(ApiError::new(
                    ErrorCode::CodeExpired,
                    "This registration is already confirmed; sign in.",
                ));
            }
            Outcome::Expired => return Err(ApiError::of(ErrorCode::CodeExpired)),
            Outcome::Burnt => return Err(ApiError::of(ErrorCode::CodeBurnt)),
            Outcome::Wrong { remaining } => persistence::verifications::record_wrong(
                &state.db,
                &pending,
                pending.code.attempts_after(outcome),
            )
            .await
            .map(|()| {
                Err(if remaining == 0 {
                    ApiError::new(
                        ErrorCode::CodeBurnt,
                        format!("{MAX_ATTEMPTS} wrong codes burnt it; ask for a new one."),
                    )
                } else {
                    ApiError::wrong_code(remaining)
                })
            }),
            Outcome::Correct => persistence::verifications::confirm(&state.db, &pending, now)
                .await
                .map(Ok),
        };
        match result {
            Ok(Ok(user)) => {
                let tokens = start_session(&state, &keys, user, now).await?;
                return Ok(HttpResponse::Created().json(tokens));
            }
            Ok(Err(refusal)) => return Err(refusal),
            Err(RepoError::Stale) => continue,
            Err(RepoError::Conflict(_)) => return Err(ApiError::of(ErrorCode::AlreadyRegistered)),
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::new(
        ErrorCode::Conflict,
        "The code was being checked at the same time; try again.",
    ))
}
