use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::sha256_hex;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "q2V1xk8m3c0Yb6N9pTzLrA4wHfJdGsE7uKiOaPlZyXc"}))]
pub struct LogoutRequest {
    /// The refresh token; a browser leaves it out (`{}`) and sends its cookie with the header
    /// `X-Dispatch-Session: cookie`.
    #[validate(length(min = 1, max = 256, message = "must be 1 to 256 characters"))]
    #[schema(min_length = 1, max_length = 256)]
    pub refresh_token: Option<String>,
}

/// Signs out: revokes the refresh token and every token rotated from the same sign-in.
///
/// Idempotent: an unknown or already revoked token also answers 204, so the answer tells nothing
/// about a token. The access token stays valid until it expires (at most 15 minutes). The
/// browser's refresh cookie is cleared; other tabs learn it from the SPA (a `BroadcastChannel`)
/// and their next refresh fails, the family being revoked.
#[utoipa::path(
    operation_id = "sign_out",
    tag = "auth",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The refresh cookie without the header `X-Dispatch-Session: cookie` (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: crate::dto::JsonObject<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let presented = match &body.refresh_token {
        Some(token) => Some(token.clone()),
        None => super::cookie::token(&req)?,
    };
    if let Some(presented) = presented {
        persistence::refresh_tokens::revoke_family_of(
            &state.db,
            &sha256_hex(presented.trim()),
            Utc::now(),
        )
        .await?;
    }
    let mut response = HttpResponse::NoContent().finish();
    super::cookie::clear(&mut response);
    Ok(response)
}
