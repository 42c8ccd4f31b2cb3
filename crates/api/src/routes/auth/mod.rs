//! Sign-in, token refresh, sign-out, password change and residents' self-registration (confirmed
//! by a one-time SMS code).
//!
//! Sessions are a short-lived access JWT plus an opaque refresh token (256 random bits,
//! base64url), stored only as its SHA-256, rotated on every use. Reusing a used refresh token
//! revokes its whole family. Failed sign-ins are throttled per account and address, in the
//! database (`domain::throttle`).

// One file per action; the modules are named apart from their handlers, whose macros define
// items of the handler's name.
mod code_resend;
mod confirmation;
pub mod cookie;
mod identity;
mod password;
mod registration;
mod rotation;
mod sign_in;
mod sign_out;

pub use code_resend::{
    __path_resend_registration_code, ResendCodeRequest, resend_registration_code,
};
pub use confirmation::{
    __path_confirm_registration, ConfirmRegistrationRequest, confirm_registration,
};
pub use identity::{__path_whoami, Whoami, whoami};
pub use password::{__path_change_password, ChangePasswordRequest, change_password};
pub use registration::{__path_register, RegisterRequest, RegistrationStarted, register};
pub use rotation::{__path_refresh, RefreshRequest, refresh};
pub use sign_in::{__path_login, LoginRequest, login};
pub use sign_out::{__path_logout, LogoutRequest, logout};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{
    ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS, TokenKeys, random_token, sha256_hex,
};
use crate::dto::Me;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "q2V1xk8m3c0Yb6N9pTzLrA4wHfJdGsE7uKiOaPlZyXc",
    "refresh_expires_in": 2_592_000,
    "user": {
        "id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
        "name": "Иванова Мария Петровна",
        "login": "resident@demo.test",
        "role": "resident",
        "organisation": null
    }
}))]
pub struct TokenResponse {
    /// A bearer JWT (HS256) with `sub`, `role`, `iss`, `aud`, `exp`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// An opaque token for `POST /api/v1/auth/refresh`, valid once. Not a JWT: it is never
    /// accepted as a bearer token.
    pub refresh_token: String,
    /// Seconds until the refresh token expires: 30 days, but a session ends 90 days after its
    /// sign-in however often it is refreshed.
    #[schema(example = 2_592_000)]
    pub refresh_expires_in: i64,
    pub user: Me,
}

/// A fresh access token and a refresh token of a new family: a new sign-in.
pub(crate) async fn start_session(
    state: &AppState,
    keys: &TokenKeys,
    user: persistence::users::UserRecord,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let refresh_token = random_token()?;
    persistence::refresh_tokens::start_family(
        &state.db,
        user.id,
        sha256_hex(&refresh_token),
        refresh_expiry(now),
        now,
    )
    .await?;
    token_response(keys, user, refresh_token, refresh_expiry(now), now)
}

pub(crate) fn refresh_expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::seconds(REFRESH_TOKEN_TTL_SECONDS)
}

pub(crate) fn token_response(
    keys: &TokenKeys,
    user: persistence::users::UserRecord,
    refresh_token: String,
    refresh_expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<TokenResponse, ApiError> {
    let access_token = keys.issue(
        user.id,
        user.role,
        user.organisation.as_ref().map(|o| o.id),
        now,
    )?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
        refresh_token,
        refresh_expires_in: (refresh_expires_at - now).num_seconds(),
        user: user.into(),
    })
}
