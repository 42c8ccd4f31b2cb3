use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{TokenResponse, cookie, token_response};
use crate::auth::{TokenKeys, random_token, sha256_hex};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;
use persistence::refresh_tokens::Rotation;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "q2V1xk8m3c0Yb6N9pTzLrA4wHfJdGsE7uKiOaPlZyXc"}))]
pub struct RefreshRequest {
    /// The refresh token from sign-in or from the previous refresh. A browser leaves it out (`{}`)
    /// and sends the `dispatch_refresh` cookie with the header `X-Dispatch-Session: cookie`.
    #[validate(length(min = 1, max = 256, message = "must be 1 to 256 characters"))]
    #[schema(min_length = 1, max_length = 256)]
    pub refresh_token: Option<String>,
}

/// Exchanges a refresh token for a new access token and a new refresh token (rotation).
///
/// Each refresh token works once. Presenting one that was already used revokes every token of
/// its sign-in (its family) and answers 401 `refresh_token_reused`: one of the two holders is
/// not the user. Every answer also sets (or, on a refusal, clears) the `HttpOnly` refresh
/// cookie of the browser flow.
#[utoipa::path(
    operation_id = "refresh_session",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, an unknown, expired or revoked one (`invalid_refresh_token`), or a used one (`refresh_token_reused`; the whole family is now revoked)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The refresh cookie without the header `X-Dispatch-Session: cookie` (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    body: crate::dto::JsonObject<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let presented = match &body.refresh_token {
        Some(token) => token.clone(),
        None => cookie::token(&req)?.ok_or_else(|| ApiError::of(ErrorCode::InvalidRefreshToken))?,
    };
    match rotate(&state, &keys, &presented).await {
        Ok(tokens) => {
            let mut response = HttpResponse::Ok().json(&tokens);
            cookie::set(
                &mut response,
                &tokens.refresh_token,
                tokens.refresh_expires_in,
            );
            Ok(response)
        }
        Err(refused) => {
            let mut response = actix_web::ResponseError::error_response(&refused);
            if body.refresh_token.is_none() {
                cookie::clear(&mut response);
            }
            Ok(response)
        }
    }
}

async fn rotate(
    state: &AppState,
    keys: &TokenKeys,
    presented: &str,
) -> Result<TokenResponse, ApiError> {
    let now = Utc::now();
    let replacement = random_token()?;
    let rotation = persistence::refresh_tokens::rotate(
        &state.db,
        &sha256_hex(presented.trim()),
        sha256_hex(&replacement),
        now,
    )
    .await?;
    let (user_id, expires_at) = match rotation {
        Rotation::Rotated {
            user_id,
            expires_at,
            ..
        } => (user_id, expires_at),
        Rotation::Reused { user_id, .. } => {
            tracing::warn!(%user_id, "a used refresh token was presented again; its family is revoked");
            return Err(ApiError::of(ErrorCode::RefreshTokenReused));
        }
        Rotation::Invalid => return Err(ApiError::of(ErrorCode::InvalidRefreshToken)),
    };
    let user = match persistence::users::find_by_id(&state.db, user_id).await? {
        Some(user) if domain::accounts::may_act(user.is_active, &user.login, state.config.demo) => {
            user
        }
        _ => {
            persistence::refresh_tokens::revoke_all_for_user(&state.db, user_id, now).await?;
            return Err(ApiError::of(ErrorCode::InvalidRefreshToken));
        }
    };
    token_response(keys, user, replacement, expires_at, now)
}
