//! Exhaustive conversions between database columns and domain values.

use std::str::FromStr;

use crate::RepoError;

/// Parses a stored enum value; an unknown value is a corrupt row, never a default.
pub(crate) fn parse_enum<T: FromStr>(value: &str) -> Result<T, RepoError> {
    value
        .parse()
        .map_err(|_| RepoError::Fault(format!("unexpected stored value {value:?}")))
}

/// The category's `deadline_unit` and `deadline_value` columns as a domain deadline.
pub(crate) fn deadline_from_columns(unit: &str, value: i32) -> Result<domain::Deadline, RepoError> {
    let value =
        u32::try_from(value).map_err(|_| RepoError::Fault(format!("negative deadline {value}")))?;
    domain::Deadline::from_parts(unit, value)
        .map_err(|_| RepoError::Fault(format!("unknown deadline unit {unit:?}")))
}

/// A domain deadline as the columns `deadline_unit` and `deadline_value`.
pub fn deadline_columns(deadline: &domain::Deadline) -> (&'static str, i32) {
    let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    match deadline {
        domain::Deadline::Minutes(n) => ("minutes", clamp(*n)),
        domain::Deadline::Hours(n) => ("hours", clamp(*n)),
        domain::Deadline::WorkingDays(n) => ("working_days", clamp(*n)),
        domain::Deadline::CalendarDays(n) => ("calendar_days", clamp(*n)),
    }
}
