//! Errors of the domain. They know nothing of HTTP: the API maps each variant (by [`DomainError::code`])
//! to a status and a stable problem code.

use crate::{ActionKind, Role, Scope, Status};

/// Why a lifecycle operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The actor's role may never perform this operation (for example a clerk accepting a complaint).
    #[error("role `{role}` may not {operation}")]
    Forbidden {
        role: Role,
        /// `"register"` or an [`ActionKind::as_str`] value.
        operation: &'static str,
    },
    /// The role may perform the operation, but not on this complaint (someone else's complaint,
    /// another company's building). The API may answer 404 here so as not to leak existence.
    #[error("role `{role}` may {operation} only on its own complaints")]
    NotOwner { role: Role, operation: &'static str },
    /// The role may perform the action, but not while the complaint is in this status.
    #[error("`{action}` is not allowed in status `{from}`")]
    InvalidTransition { from: Status, action: ActionKind },
    /// An input field is malformed. `field` is a dotted path, e.g. `applicant.consent.accepted`.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The status allows the action, but the complaint's other state does not
    /// (the clock is already paused, there is no order to check, ...).
    #[error("precondition failed: {message}")]
    Precondition { message: String },
    /// An API key lacks the scope the operation needs.
    #[error("the API key lacks the scope `{scope}`")]
    MissingScope { scope: Scope },
    /// The complaint is closed (final): nothing more can be added to it.
    #[error("the complaint is closed")]
    Closed,
    /// A quota is used up, e.g. the daily number of complaints.
    #[error("the {limit} limit is reached")]
    LimitReached {
        /// Which limit, e.g. `daily_complaints`.
        limit: &'static str,
        retry_after_seconds: u64,
    },
    /// A duplicate cannot be linked to the complaint named as its original.
    #[error("the duplicate cannot be linked: {}", .0.as_str())]
    LinkRefused(crate::LinkRefusal),
}

impl DomainError {
    /// Stable machine-readable code, one per variant.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Forbidden { .. } => "forbidden",
            DomainError::NotOwner { .. } => "not_owner",
            DomainError::InvalidTransition { .. } => "invalid_transition",
            DomainError::Validation { .. } => "validation",
            DomainError::Precondition { .. } => "precondition_failed",
            DomainError::MissingScope { .. } => "missing_scope",
            DomainError::Closed => "closed",
            DomainError::LimitReached { .. } => "limit_reached",
            DomainError::LinkRefused(refusal) => refusal.as_str(),
        }
    }

    /// A refusal of one input field.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same refusal, with the field's path put under `prefix` (`consent.accepted` within
    /// `applicant` is `applicant.consent.accepted`).
    pub fn within(self, prefix: &str) -> Self {
        match self {
            DomainError::Validation { field, message } => DomainError::Validation {
                field: format!("{prefix}.{field}"),
                message,
            },
            other => other,
        }
    }

    /// The same refusal, naming `field` instead (a phone parsed for the `phone` field).
    pub fn for_field(self, field: &str) -> Self {
        match self {
            DomainError::Validation { message, .. } => DomainError::Validation {
                field: field.to_owned(),
                message,
            },
            other => other,
        }
    }

    pub(crate) fn precondition(message: impl Into<String>) -> Self {
        DomainError::Precondition {
            message: message.into(),
        }
    }
}

/// A string did not name a variant of one of the domain's enums (`Role`, `Status`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`")]
pub struct ParseEnumError {
    /// Which enum was being parsed, e.g. `"role"`.
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
}

impl ParseEnumError {
    pub(crate) fn new(kind: &'static str, value: &str) -> Self {
        ParseEnumError {
            kind,
            value: value.to_owned(),
        }
    }
}

/// Trims `value` and checks that it is non-empty and at most `max` characters long.
pub(crate) fn required_text(field: &str, value: &str, max: usize) -> Result<String, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::validation(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Like [`required_text`] for optional free text: blank becomes `None`.
pub(crate) fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required_text(field, text, max).map(Some),
    }
}
