use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{ACCESS_TOKEN_TTL_SECONDS, TokenKeys, verify_password};
use crate::dto::Me;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"login": "dispatcher@demo.test", "password": "demo2026"}))]
pub struct LoginRequest {
    /// E-mail or phone number.
    #[validate(length(min = 3, max = 254, message = "must be 3 to 254 characters"))]
    #[schema(min_length = 3, max_length = 254)]
    pub login: String,
    #[validate(length(min = 1, max = 128, message = "must be 1 to 128 characters"))]
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A bearer JWT (HS256) with `sub`, `role`, `iss`, `aud`, `exp`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    pub user: Me,
}

/// Signs in with a login (e-mail or phone) and a password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong login or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let user = persistence::users::find_by_login(&state.db, &body.login).await?;
    let password = body.password.clone();
    let hash = user.as_ref().map_or_else(
        || state.dummy_password_hash.clone(),
        |u| u.password_hash.clone(),
    );
    let matches = web::block(move || verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let user = match user {
        Some(user) if matches && user.is_active => user,
        _ => return Err(ApiError::InvalidCredentials),
    };
    let token = keys.issue(
        user.id,
        user.role,
        user.organisation.as_ref().map(|o| o.id),
        Utc::now(),
    )?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
        user: user.into(),
    }))
}
