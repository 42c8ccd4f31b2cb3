//! Errors of the domain. They know nothing of HTTP: the API maps each variant (by [`DomainError::code`])
//! to a status and a stable problem code.

use crate::{ActionKind, Role, Status};

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
    /// An input field is malformed.
    #[error("{field}: {message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    /// The status allows the action, but the complaint's other state does not
    /// (the clock is already paused, there is no order to check, ...).
    #[error("precondition failed: {message}")]
    Precondition { message: String },
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
        }
    }

    pub(crate) fn validation(field: &'static str, message: impl Into<String>) -> Self {
        DomainError::Validation {
            field,
            message: message.into(),
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
pub(crate) fn required_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, DomainError> {
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
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required_text(field, text, max).map(Some),
    }
}
