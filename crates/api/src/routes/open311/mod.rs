//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2>) under `/open311/v2/`: the civic
//! standard that 311 apps speak. Services are the active complaint categories; service requests
//! are complaints, read as the public sees them (the same anonymisation as the public list) and
//! filed by a ТОС office's system with its API key through the one filing path.
//!
//! Every resource answers in JSON or XML by its suffix (`services.json`, `services.xml`), and
//! every refusal is a GeoReport error in the same format (`[{"code":400,"description":"…"}]` or
//! `<errors><error>…</error></errors>`) with the matching HTTP status, never problem+json.

pub mod requests;
pub mod services;
pub mod wire;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use wire::{ErrorsXml, GeoReportError};

/// The specification's address, as the discovery document names it.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// The changeset of this endpoint's documents: changes when their shape does.
pub const CHANGESET: &str = "2026-12-06T00:00:00Z";

/// A document's format: the path's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// The suffix of the matched path (`{format}`): `json` or `xml`; anything else is 400 (in JSON).
    pub fn of(req: &HttpRequest) -> Result<Format, GeoError> {
        match req.match_info().get("format") {
            Some("json") => Ok(Format::Json),
            Some("xml") => Ok(Format::Xml),
            _ => Err(GeoError::new(
                StatusCode::BAD_REQUEST,
                "format: the path must end in .json or .xml",
            )),
        }
    }
}

/// A GeoReport refusal: its HTTP status and what to tell the caller.
#[derive(Debug)]
pub struct GeoError {
    status: StatusCode,
    description: String,
    retry_after: Option<u64>,
}

impl GeoError {
    pub fn new(status: StatusCode, description: impl Into<String>) -> GeoError {
        GeoError {
            status,
            description: description.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(description: impl Into<String>) -> GeoError {
        GeoError::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(description: impl Into<String>) -> GeoError {
        GeoError::new(StatusCode::NOT_FOUND, description)
    }
}

/// The GeoReport names of the fields the domain and the filing path name.
fn georeport_field(field: &str) -> &str {
    match field {
        "applicant.name" | "applicant" => "first_name/last_name",
        "applicant.phone" => "phone",
        other => other.strip_prefix("applicant.").unwrap_or(other),
    }
}

impl From<ApiError> for GeoError {
    /// GeoReport's statuses: a bad field is 400 (not 422), a missing or invalid key 403 (not 401);
    /// a limit keeps 429 and its `Retry-After`. A fault is logged by [`ApiError`] and told as such.
    fn from(error: ApiError) -> GeoError {
        use actix_web::ResponseError;
        let retry_after = error.retry_after_seconds();
        let status = error.status_code();
        if status.is_server_error() {
            // Logs the cause, as every 5xx of the API does; the caller learns nothing internal.
            let _ = error.error_response();
        }
        let problem = error.problem();
        let description = match problem.errors {
            Some(fields) => fields
                .iter()
                .map(|(field, messages)| {
                    format!("{}: {}", georeport_field(field), messages.join("; "))
                })
                .collect::<Vec<_>>()
                .join(". "),
            None => problem.detail,
        };
        let status = match status {
            StatusCode::UNAUTHORIZED => StatusCode::FORBIDDEN,
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        let description = if status == StatusCode::FORBIDDEN && description.is_empty() {
            "api_key: invalid".to_owned()
        } else {
            description
        };
        GeoError {
            status,
            description,
            retry_after,
        }
    }
}

impl From<domain::DomainError> for GeoError {
    fn from(error: domain::DomainError) -> GeoError {
        GeoError::from(ApiError::from(error))
    }
}

impl From<persistence::RepoError> for GeoError {
    fn from(error: persistence::RepoError) -> GeoError {
        GeoError::from(ApiError::from(error))
    }
}

/// A document in the asked format. `xml` gives the XML form (its root element and repeated
/// element are in its type).
pub fn document<J: Serialize, X: Serialize>(
    status: StatusCode,
    format: Format,
    json: &J,
    xml: &X,
) -> Result<HttpResponse, GeoError> {
    let fault = |e: String| GeoError::from(ApiError::internal(e));
    match format {
        Format::Json => {
            let body = serde_json::to_string(json).map_err(|e| fault(e.to_string()))?;
            Ok(HttpResponse::build(status)
                .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
                .body(body))
        }
        Format::Xml => {
            let body = quick_xml::se::to_string(xml).map_err(|e| fault(e.to_string()))?;
            Ok(HttpResponse::build(status)
                .insert_header((header::CONTENT_TYPE, "text/xml; charset=utf-8"))
                .body(format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>{body}")))
        }
    }
}

/// The answer of a handler: its document, or its error in the same format.
pub fn answer(format: Format, result: Result<HttpResponse, GeoError>) -> HttpResponse {
    match result {
        Ok(response) => response,
        Err(error) => error_response(format, &error),
    }
}

pub fn error_response(format: Format, error: &GeoError) -> HttpResponse {
    let errors = [GeoReportError {
        code: error.status.as_u16(),
        description: error.description.clone(),
    }];
    let mut response = match document(error.status, format, &errors, &ErrorsXml { error: &errors })
    {
        Ok(response) => response,
        Err(_) => HttpResponse::build(error.status)
            .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
            .body(format!(
                "[{{\"code\":{},\"description\":\"error\"}}]",
                error.status.as_u16()
            )),
    };
    if let Some(seconds) = error.retry_after
        && let Ok(value) = header::HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The pairs of a query string or a form body; later duplicates win.
pub fn pairs(text: &[u8], what: &str) -> Result<Vec<(String, String)>, GeoError> {
    let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(text).map_err(|_| {
        GeoError::bad_request(format!("{what} is not application/x-www-form-urlencoded"))
    })?;
    // The one text rule of every field (`domain::text`).
    for (name, value) in &pairs {
        let checked = domain::text::check(name, false)
            .and_then(|()| domain::text::check(value, domain::text::is_multiline_field(name)));
        if let Err(fault) = checked {
            return Err(GeoError::bad_request(format!(
                "{}: {}",
                name.escape_debug(),
                fault.message()
            )));
        }
    }
    Ok(pairs)
}

/// The last value of `name` in `pairs` as sent (untrimmed, possibly empty); `None` when absent.
pub fn raw<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The last value of `name` in `pairs`, trimmed; `None` when absent or blank.
pub fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    raw(pairs, name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// A W3C date-time (`2026-12-01T00:00:00Z`), in UTC.
pub fn w3c(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
