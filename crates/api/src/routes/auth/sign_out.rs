use actix_web::{HttpResponse, post, web};
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
    #[validate(length(min = 1, max = 256, message = "must be 1 to 256 characters"))]
    #[schema(min_length = 1, max_length = 256)]
    pub refresh_token: String,
}

/// Signs out: revokes the refresh token and every token rotated from the same sign-in.
///
/// Idempotent: an unknown or already revoked token also answers 204, so the answer tells nothing
/// about a token. The access token stays valid until it expires (at most 15 minutes).
#[utoipa::path(
    operation_id = "sign_out",
    tag = "auth",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: crate::dto::JsonObject<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    persistence::refresh_tokens::revoke_family_of(
        &state.db,
        &sha256_hex(body.refresh_token.trim()),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
