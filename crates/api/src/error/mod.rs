//! The one error type of the API, answered as `application/problem+json` (RFC 9457) with a
//! stable `code` from the closed table [`ErrorCode`]. A 500 logs its cause and tells the caller
//! nothing internal.

mod code;

use std::borrow::Cow;
use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub use code::ErrorCode;
use persistence::RepoError;

/// A problem report (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:dispatch:problem:validation_failed",
    "title": "Проверьте введённые данные",
    "status": 422,
    "detail": "Some fields are invalid; see `errors`.",
    "code": "validation_failed",
    "errors": { "password": ["must not be empty"] }
}))]
pub struct Problem {
    /// `urn:dispatch:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short human summary, in Russian.
    pub title: String,
    pub status: u16,
    /// What went wrong in this case, in English.
    pub detail: String,
    /// The stable machine-readable code. Clients switch on this.
    pub code: ErrorCode,
    /// Field-level messages, for `validation_failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// Tries left with this one-time code, for `wrong_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub remaining_attempts: Option<u32>,
    /// Who has taken the call, for `call_taken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_by: Option<String>,
    /// Until when the call is taken, for `call_taken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_until: Option<chrono::DateTime<chrono::Utc>>,
    /// The earliest time to try again, for `outside_calling_hours` and `call_attempt_too_soon`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<chrono::DateTime<chrono::Utc>>,
}

/// Why a request failed: a code of the closed table, what happened in this case, and the headers
/// some codes need (`Retry-After`, `Allow`).
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    detail: Cow<'static, str>,
    /// Boxed: most errors carry none of it, and every `Result` of a handler carries an `ApiError`.
    extra: Option<Box<Extra>>,
}

/// What only some errors carry.
#[derive(Debug, Default)]
struct Extra {
    errors: Option<BTreeMap<String, Vec<String>>>,
    rate_limit: Option<crate::rate_limit::RateLimit>,
    retry_after_seconds: Option<u64>,
    remaining_attempts: Option<u32>,
    held_by: Option<String>,
    held_until: Option<chrono::DateTime<chrono::Utc>>,
    not_before: Option<chrono::DateTime<chrono::Utc>>,
    allow: Vec<String>,
    /// Logged, never shown: the cause of a 500 or a 503.
    cause: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)?;
        if let Some(cause) = self.extra.as_ref().and_then(|extra| extra.cause.as_ref()) {
            write!(f, " ({cause})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// A fault with a detail of its own.
    pub fn new(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            detail: detail.into(),
            extra: None,
        }
    }

    fn extra(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// A fault described by its code's default detail.
    pub fn of(code: ErrorCode) -> Self {
        Self::new(code, code.default_detail())
    }

    pub fn not_found() -> Self {
        Self::of(ErrorCode::NotFound)
    }

    /// One field's message.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(BTreeMap::from([(field.to_owned(), vec![message.into()])]))
    }

    /// Field-level messages.
    pub fn validation(errors: BTreeMap<String, Vec<String>>) -> Self {
        let mut error = Self::of(ErrorCode::ValidationFailed);
        error.extra().errors = Some(errors);
        error
    }

    /// A fault on our side: `cause` is logged, the caller sees the default detail.
    pub fn internal(cause: impl Into<String>) -> Self {
        let mut error = Self::of(ErrorCode::InternalError);
        error.extra().cause = Some(cause.into());
        error
    }

    /// The database cannot be reached: `cause` is logged, the caller is told to retry.
    pub fn unavailable(cause: impl Into<String>) -> Self {
        let mut error = Self::of(ErrorCode::ServiceUnavailable).retry_after(1);
        error.extra().cause = Some(cause.into());
        error
    }

    /// The server is busy: retry in a second.
    pub fn busy() -> Self {
        Self::of(ErrorCode::ServerBusy).retry_after(1)
    }

    /// The path exists, but not with this method.
    pub fn method_not_allowed(allow: Vec<String>) -> Self {
        let mut error = Self::new(
            ErrorCode::MethodNotAllowed,
            format!("Allowed methods: {}.", allow.join(", ")),
        );
        error.extra().allow = allow;
        error
    }

    /// Adds `Retry-After`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.extra().retry_after_seconds = Some(seconds.max(1));
        if matches!(
            self.code,
            ErrorCode::DailyLimitReached
                | ErrorCode::TooManyRequests
                | ErrorCode::TooManyAttempts
                | ErrorCode::RateLimited
                | ErrorCode::ResendTooSoon
        ) && self.detail == self.code.default_detail()
        {
            self.detail = format!(
                "{} Retry in {} s.",
                self.code.default_detail(),
                seconds.max(1)
            )
            .into();
        }
        self
    }

    /// A wrong one-time code, with the tries left.
    pub fn wrong_code(remaining: u32) -> Self {
        let mut error = Self::new(
            ErrorCode::WrongCode,
            format!("The code is wrong; {remaining} tries left."),
        );
        error.extra().remaining_attempts = Some(remaining);
        error
    }

    /// Another dispatcher (`by`, a name) has taken the call until `until`.
    pub fn call_taken(by: String, until: chrono::DateTime<chrono::Utc>) -> Self {
        let mut error = Self::new(
            ErrorCode::CallTaken,
            format!("{by} has taken this call until {}.", until.to_rfc3339()),
        );
        error.extra().held_by = Some(by);
        error.extra().held_until = Some(until);
        error
    }

    /// Not before `at`: outside the calling hours, or too soon after an unanswered call.
    pub fn not_before(code: ErrorCode, at: chrono::DateTime<chrono::Utc>) -> Self {
        let mut error = Self::new(
            code,
            format!("{} Try at {}.", code.default_detail(), at.to_rfc3339()),
        );
        error.extra().not_before = Some(at);
        error
    }

    /// Adds the `RateLimit-*` headers of an API key's window.
    pub fn with_rate_limit(mut self, rate_limit: crate::rate_limit::RateLimit) -> Self {
        self.extra().rate_limit = Some(rate_limit);
        self
    }

    /// The `Retry-After` this error carries, in seconds.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        self.extra
            .as_ref()
            .and_then(|extra| extra.retry_after_seconds)
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// Field-level messages of a `validation_failed`.
    pub fn into_field_errors(self) -> Option<BTreeMap<String, Vec<String>>> {
        self.extra.and_then(|extra| extra.errors)
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("urn:dispatch:problem:{}", self.code.as_str()),
            title: self.code.title().to_owned(),
            status: self.code.status().as_u16(),
            detail: self.detail.to_string(),
            code: self.code,
            errors: self.extra.as_ref().and_then(|extra| extra.errors.clone()),
            remaining_attempts: self
                .extra
                .as_ref()
                .and_then(|extra| extra.remaining_attempts),
            held_by: self.extra.as_ref().and_then(|extra| extra.held_by.clone()),
            held_until: self.extra.as_ref().and_then(|extra| extra.held_until),
            not_before: self.extra.as_ref().and_then(|extra| extra.not_before),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let extra = self.extra.as_deref();
        let cause = extra.and_then(|extra| extra.cause.as_deref());
        match (self.code, cause) {
            (ErrorCode::InternalError, cause) => {
                tracing::error!(cause = cause.unwrap_or_default(), "request failed");
            }
            (ErrorCode::ServiceUnavailable, Some(cause)) => {
                tracing::warn!(%cause, "database unavailable");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(extra) = extra {
            if !extra.allow.is_empty() {
                response.insert_header((header::ALLOW, extra.allow.join(", ")));
            }
            if let Some(seconds) = extra.retry_after_seconds {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            if let Some(rate_limit) = extra.rate_limit {
                for (name, value) in rate_limit.headers() {
                    response.insert_header((name, value));
                }
            }
        }
        if self.code.status() == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem())
    }
}

impl From<RepoError> for ApiError {
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::NotFound => Self::not_found(),
            RepoError::Conflict(why) => Self::new(ErrorCode::Conflict, why),
            RepoError::Stale => Self::of(ErrorCode::VersionMismatch),
            RepoError::Unavailable(why) => Self::unavailable(why),
            RepoError::Fault(cause) => Self::internal(cause),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = BTreeMap::new();
        collect_validation_errors(&errors, "", &mut fields);
        Self::validation(fields)
    }
}

fn collect_validation_errors(
    errors: &validator::ValidationErrors,
    prefix: &str,
    out: &mut BTreeMap<String, Vec<String>>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                let messages = out.entry(path).or_default();
                messages.extend(list.iter().map(|e| {
                    e.message
                        .as_ref()
                        .map_or_else(|| e.code.to_string(), ToString::to_string)
                }));
            }
            ValidationErrorsKind::Struct(inner) => collect_validation_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

impl From<domain::DomainError> for ApiError {
    fn from(err: domain::DomainError) -> Self {
        use domain::DomainError;
        match err {
            DomainError::Forbidden { role, operation } => Self::new(
                ErrorCode::Forbidden,
                format!("The role `{role}` may not {operation}."),
            ),
            // Someone else's complaint: answer as if it did not exist.
            DomainError::NotOwner { .. } => Self::not_found(),
            DomainError::InvalidTransition { from, action } => Self::new(
                ErrorCode::InvalidTransition,
                format!("`{action}` is not allowed while the complaint is `{from}`."),
            ),
            DomainError::Validation { field, message } => Self::field(&field, message),
            DomainError::Precondition { message } => {
                Self::new(ErrorCode::ActionNotPossible, message)
            }
            DomainError::MissingScope { scope } => Self::new(
                ErrorCode::InsufficientScope,
                format!("This API key lacks the scope `{scope}`."),
            ),
            DomainError::Closed => Self::of(ErrorCode::ComplaintClosed),
            DomainError::LimitReached {
                retry_after_seconds,
                ..
            } => Self::of(ErrorCode::DailyLimitReached).retry_after(retry_after_seconds),
            DomainError::LinkRefused(refusal) => Self::of(match refusal {
                domain::LinkRefusal::LinkToItself => ErrorCode::LinkToItself,
                domain::LinkRefusal::LinkToClosedElsewhere => ErrorCode::LinkToClosedElsewhere,
                domain::LinkRefusal::LinkCycle => ErrorCode::LinkCycle,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_has_one_status_a_title_and_a_stable_name() {
        let mut names = std::collections::BTreeSet::new();
        for code in ErrorCode::iter() {
            let problem = ApiError::of(code).problem();
            assert_eq!(problem.status, code.status().as_u16(), "{code:?}");
            assert!(!code.title().is_empty() && !code.default_detail().is_empty());
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::json!(code.as_str())
            );
            assert_eq!(
                problem.kind,
                format!("urn:dispatch:problem:{}", code.as_str())
            );
            assert!(names.insert(code.as_str()), "{} twice", code.as_str());
        }
    }

    #[test]
    fn internal_causes_are_logged_not_shown() {
        let err = ApiError::internal("connection string postgres://secret@db");
        let problem = err.problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("secret"));
    }
}
