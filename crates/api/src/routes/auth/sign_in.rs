use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{TokenResponse, ensure_not_locked, record_failure, start_session};
use crate::auth::TokenKeys;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::password;
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"login": "dispatcher@demo.test", "password": "demo2026"}))]
pub struct LoginRequest {
    /// E-mail, or a Russian phone number in any usual spelling (`8 912 345-67-89`, `+79123456789`).
    #[validate(length(min = 3, max = 254, message = "must be 3 to 254 characters"))]
    #[schema(min_length = 3, max_length = 254, example = "+7 922 000-00-01")]
    pub login: String,
    #[validate(length(min = 1, max = 128, message = "must be 1 to 128 characters"))]
    #[schema(min_length = 1, max_length = 128, example = "demo2026")]
    pub password: String,
}

/// Signs in with an e-mail or a phone number and a password.
///
/// Returns an access JWT (15 minutes) and a refresh token (30 days, single use). After 5 failed
/// attempts within 15 minutes the account answers 429 with `Retry-After`, even to the right
/// password; the limit is per account, whatever address the requests come from.
#[utoipa::path(
    operation_id = "sign_in",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong login or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts on this account (`too_many_requests`); see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until one more attempt is allowed")))
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    body: crate::dto::JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let now = Utc::now();
    let (user, account) = find_account(&state, &body.login).await?;
    ensure_not_locked(&state, &account, now).await?;
    let hash = user.as_ref().map_or_else(
        || state.dummy_password_hash.clone(),
        |u| u.password_hash.clone(),
    );
    if !password::verify_bounded(body.password.clone(), hash).await? {
        record_failure(&state, &account, now).await?;
        return Err(ApiError::of(ErrorCode::InvalidCredentials));
    }
    let user = match user {
        Some(user) if user.is_active => user,
        _ => return Err(ApiError::of(ErrorCode::InvalidCredentials)),
    };
    Ok(HttpResponse::Ok().json(start_session(&state, &keys, user, now).await?))
}

/// The account a login names, and the key its failures are counted under: the account's own
/// login when it exists (so that its e-mail and phone share one limit), else the normalised input.
async fn find_account(
    state: &AppState,
    identifier: &str,
) -> Result<(Option<persistence::users::UserRecord>, String), ApiError> {
    let identifier = identifier.trim().to_lowercase();
    let (user, key) = if identifier.contains('@') {
        let user = persistence::users::find_by_login(&state.db, &identifier).await?;
        (user, identifier)
    } else if let Ok(phone) = domain::PhoneNumber::parse(&identifier) {
        let phone = phone.as_str().to_owned();
        (
            persistence::users::find_by_phone(&state.db, &phone).await?,
            phone,
        )
    } else {
        let user = persistence::users::find_by_login(&state.db, &identifier).await?;
        (user, identifier)
    };
    let key = user.as_ref().map_or(key, |u| u.login.clone());
    Ok((user, key))
}
