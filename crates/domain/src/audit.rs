//! The audit of reads (152-ФЗ): every staff read of a person's full data names who, when and why.
//! The reason is the staff member's own words, checked here; the audit log itself is read by the
//! administrator only.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Actor, Complaint, DomainError, Role, access::sees_applicant_contact};

/// The shortest reason accepted, in characters: "звонок" (a call) is six; "ок" is not a reason.
pub const REASON_MIN_CHARS: usize = 5;
/// The longest reason accepted, in characters.
pub const REASON_MAX_CHARS: usize = 300;

/// Why a staff member reads a person's full data: 5 to 300 characters of text after trimming,
/// with no control characters (a line break is one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuditReason(String);

impl AuditReason {
    pub fn parse(input: &str) -> Result<AuditReason, DomainError> {
        let invalid = |message: &str| DomainError::validation("reason", message);
        let trimmed = input.trim();
        let chars = trimmed.chars().count();
        if chars < REASON_MIN_CHARS {
            return Err(invalid("must say why, in at least 5 characters"));
        }
        if chars > REASON_MAX_CHARS {
            return Err(invalid("must be at most 300 characters"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(invalid("must be one line of text"));
        }
        Ok(AuditReason(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AuditReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AuditReason {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AuditReason::parse(&value)
    }
}

impl From<AuditReason> for String {
    fn from(r: AuditReason) -> String {
        r.0
    }
}

/// Why a staff read that shows a person's full data is in the audit log, when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadAudit {
    /// Not audited: the reader is the person themself, or sees nothing personal.
    None,
    /// Audited with the reason the reader gave, or with the standing purpose of their role when
    /// they gave none (the clerk who filed the complaint answers the person's questions).
    Audited { reason: AuditReason },
}

/// The standing purpose of a clerk opening a complaint they filed (in Russian, as the log shows it).
pub const CLERK_FILED_PURPOSE: &str = "Обращение оформлено этим специалистом ТОС";

/// Whether `actor` opening complaint `c` (with the applicant's contact in full) is a staff read of
/// personal data for the audit log. A resident reading their own complaint is not; staff who see
/// the contact masked read nothing personal.
pub fn read_audit(
    c: &Complaint,
    actor: &Actor,
    given: Option<AuditReason>,
) -> Result<ReadAudit, DomainError> {
    if !sees_applicant_contact(c, actor) {
        return Ok(ReadAudit::None);
    }
    match actor.role {
        Role::Resident => Ok(ReadAudit::None),
        Role::Clerk => Ok(ReadAudit::Audited {
            reason: match given {
                Some(reason) => reason,
                None => AuditReason::parse(CLERK_FILED_PURPOSE)?,
            },
        }),
        // These roles see the contact masked (`sees_applicant_contact` is false); listed so that a
        // new role must decide here.
        Role::Company | Role::Dispatcher | Role::Inspector | Role::Admin => Ok(ReadAudit::None),
    }
}

/// Who may read the audit log: an administrator in person (never a service account).
pub fn read_audit_log(actor: &Actor) -> Result<(), DomainError> {
    crate::access::administer(actor).map_err(|_| DomainError::Forbidden {
        role: actor.role,
        operation: "read_audit_log",
    })
}

/// An audit action's name as it is stored: `snake_case`, 1 to 64 characters.
pub fn parse_action_name(input: &str) -> Result<String, DomainError> {
    let ok = !input.is_empty()
        && input.len() <= 64
        && input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(input.to_owned())
    } else {
        Err(DomainError::validation(
            "action",
            "must be an action name: lower-case letters, digits and _, at most 64",
        ))
    }
}

/// A period of the audit log: `from` before `to` (either may be open).
pub fn check_period<T: PartialOrd>(from: Option<&T>, to: Option<&T>) -> Result<(), DomainError> {
    match (from, to) {
        (Some(from), Some(to)) if from >= to => {
            Err(DomainError::validation("to", "must be after `from`"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_short_single_lines_of_real_text() {
        assert_eq!(
            AuditReason::parse("  звонок по проверке  ")
                .unwrap()
                .as_str(),
            "звонок по проверке"
        );
        assert!(AuditReason::parse("звонок").is_ok());
        for bad in ["", "   ", "ок", "abcd", "две\nстроки", &"я".repeat(301)] {
            let err = AuditReason::parse(bad).unwrap_err();
            assert_eq!(err.code(), "validation", "{bad:?}");
        }
        assert!(AuditReason::parse(&"я".repeat(300)).is_ok());
    }

    #[test]
    fn action_names_are_snake_case() {
        assert!(parse_action_name("reveal_phone").is_ok());
        for bad in ["", "Reveal", "a b", "x;drop", &"a".repeat(65)] {
            assert!(parse_action_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_period_runs_forwards() {
        assert!(check_period(Some(&1), Some(&2)).is_ok());
        assert!(check_period(Some(&2), Some(&2)).is_err());
        assert!(check_period::<i32>(None, Some(&2)).is_ok());
    }
}
