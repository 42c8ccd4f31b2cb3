use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{TokenResponse, start_session};
use crate::auth::TokenKeys;
use crate::client::ClientAddress;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::password::{self, Caller};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"login": "sokolova@example.ru", "password": "correct horse battery"}))]
pub struct LoginRequest {
    /// E-mail, or a Russian phone number in any usual spelling (`8 912 345-67-89`, `+79123456789`).
    #[validate(length(min = 3, max = 254, message = "must be 3 to 254 characters"))]
    #[schema(min_length = 3, max_length = 254, example = "+7 922 000-00-01")]
    pub login: String,
    #[validate(length(min = 1, max = 128, message = "must be 1 to 128 characters"))]
    #[schema(min_length = 1, max_length = 128, example = "correct horse battery")]
    pub password: String,
}

/// Signs in with an e-mail or a phone number and a password.
///
/// Returns an access JWT (15 minutes) and a refresh token (30 days, single use). After 5 failed
/// attempts on one account from one address within 15 minutes, that address gets 429 with
/// `Retry-After` for the account, even with the right password; after 50 from anywhere, everybody
/// does and the owner is told in the app. One address may also fail 30 times in 15 minutes on any
/// accounts. Attempts are counted before the password is checked, so parallel requests cannot
/// overshoot.
#[utoipa::path(
    operation_id = "sign_in",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong login or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts on this account or from this address (`too_many_requests`); see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until one more attempt is allowed")))
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    client: ClientAddress,
    body: crate::dto::JsonObject<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let now = Utc::now();
    let (user, account) = find_account(&state, &body.login).await?;
    let attempt = crate::throttle::reserve(
        &state,
        &domain::throttle::sign_in_keys(&account, &client.0),
        user.as_ref().map(|u| u.id),
        ErrorCode::TooManyRequests,
        now,
    )
    .await?;
    let (caller, hash) = match &user {
        Some(u) => (Caller::Known, u.password_hash.clone()),
        None => (Caller::Anonymous, state.dummy_password_hash.clone()),
    };
    let verified = attempt
        .run(
            &state,
            password::verify_bounded(caller, body.password.clone(), hash),
        )
        .await?;
    if !verified {
        return Err(ApiError::of(ErrorCode::InvalidCredentials));
    }
    attempt.succeeded(&state).await?;
    let user = match user {
        Some(user) if domain::accounts::may_act(user.is_active, &user.login, state.config.demo) => {
            user
        }
        _ => return Err(ApiError::of(ErrorCode::InvalidCredentials)),
    };
    let tokens = start_session(&state, &keys, user, now).await?;
    let mut response = HttpResponse::Ok().json(&tokens);
    super::cookie::set(
        &mut response,
        &tokens.refresh_token,
        tokens.refresh_expires_in,
    );
    Ok(response)
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
