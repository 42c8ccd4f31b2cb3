//! Two checks every API request passes, whatever the route:
//!
//! - **Text in the URL** (finding 12): a path or query that decodes to control characters or
//!   bidirectional overrides (`domain::text`) is refused before any handler or database sees it:
//!   404 for a path (nothing is there), 400 `invalid_query` for a query. Bodies are checked by
//!   `dto::JsonObject`, Open311 forms by `open311::pairs`.
//! - **Caching and transport headers** (finding 16): an API answer that carries tokens or anything
//!   a signed-in caller may see is `Cache-Control: no-store` unless the handler chose otherwise, so
//!   that a shared office computer keeps no copy; over HTTPS every answer carries HSTS.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// One year, subdomains included (the service owns its host name).
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_api = req.path().starts_with("/api/");
    if is_api {
        url_text(&req)?;
    }
    let personal = is_api
        && (req.path().starts_with("/api/v1/auth/")
            || req.headers().contains_key(header::AUTHORIZATION)
            || req.headers().contains_key(crate::auth::API_KEY_HEADER));
    let https = over_https(&req);
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if personal && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}

fn url_text(req: &ServiceRequest) -> Result<(), ApiError> {
    let path = percent_encoding::percent_decode_str(req.path()).decode_utf8_lossy();
    if domain::text::check(&path, false).is_err() {
        return Err(ApiError::not_found());
    }
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string()) else {
        // Left to the route's own query parsing, which answers 400.
        return Ok(());
    };
    for (name, value) in &pairs {
        for text in [name, value] {
            if let Err(fault) = domain::text::check(text, false) {
                return Err(ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("{}: {}", name.escape_debug(), fault.message()),
                ));
            }
        }
    }
    Ok(())
}

/// Whether the client reached the service over TLS: the public address is `https`, or a trusted
/// proxy says so in `X-Forwarded-Proto` (anybody else's header is ignored).
fn over_https(req: &ServiceRequest) -> bool {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return false;
    };
    if state.config.public_url.starts_with("https://") {
        return true;
    }
    let from_trusted_proxy = req.peer_addr().is_some_and(|peer| {
        state
            .config
            .trusted_proxies
            .iter()
            .any(|net| net.contains(&peer.ip()))
    });
    from_trusted_proxy
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}
