//! The browser's refresh token (issue 16): in an `HttpOnly; Secure; SameSite=Strict` cookie
//! scoped to `/api/v1/auth` (refresh and sign-out), so that a new tab signs itself in and script
//! never reads it. Mobile apps and integrations keep sending the token in the body.
//!
//! Using the cookie needs the header `X-Dispatch-Session: cookie` as well: a cross-site form or
//! `fetch` cannot send a custom header without a CORS preflight, which this server refuses, and
//! `SameSite=Strict` already keeps the cookie off cross-site requests.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

use crate::error::{ApiError, ErrorCode};

pub const COOKIE_NAME: &str = "dispatch_refresh";
pub const COOKIE_PATH: &str = "/api/v1/auth";
pub const CSRF_HEADER: &str = "x-dispatch-session";

/// Sets the cookie on `response` for `max_age_seconds`.
pub fn set(response: &mut HttpResponse, token: &str, max_age_seconds: i64) {
    let value = format!(
        "{COOKIE_NAME}={token}; Path={COOKIE_PATH}; Max-Age={}; HttpOnly; Secure; SameSite=Strict",
        max_age_seconds.max(0)
    );
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Removes the cookie (sign-out, or a refresh the server refused).
pub fn clear(response: &mut HttpResponse) {
    set(response, "", 0);
}

/// The refresh token of the cookie, if the request has one and says it means to use it; a cookie
/// without the header is 403 `forbidden` (a cross-site request would look like that).
pub fn token(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let found = req
        .headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty());
    let Some(found) = found else {
        return Ok(None);
    };
    let asked = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cookie"));
    if !asked {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "The session cookie is used only with the header X-Dispatch-Session: cookie."
                .to_owned(),
        ));
    }
    Ok(Some(found))
}
