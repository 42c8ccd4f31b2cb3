//! Deadlines: how long a stage may take, and when it ends.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ParseEnumError;
use crate::{Calendar, Category, Policy};

/// A time limit. Serialised adjacently tagged: `{"unit":"working_days","value":10}`.
///
/// How each unit ends (all *(design)*, following ГК РФ ст. 191: a term in days starts on the day
/// after the event and ends at the end of its last day):
/// - `Minutes(m)`: exactly `m` minutes after the start, round the clock (an emergency's
///   localisation, ПП 416 п. 13: 30 minutes).
/// - `Hours(h)`: exactly `h` hours after the start, round the clock (emergencies).
/// - `WorkingDays(n)`: at the end (local midnight) of the `n`-th working day after the start's local
///   date, on the production calendar.
/// - `CalendarDays(n)`: at the end of the local day `n` days after the start's local date. It is not
///   moved off a weekend or holiday: the conservative reading, the answer is never later than the law
///   allows.
///
/// A zero value counts as one unit, so a deadline always falls after its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Deadline {
    Minutes(u32),
    Hours(u32),
    WorkingDays(u32),
    CalendarDays(u32),
}

impl Deadline {
    /// The unit as stored: `"minutes"`, `"hours"`, `"working_days"` or `"calendar_days"`.
    pub const fn unit(self) -> &'static str {
        match self {
            Deadline::Minutes(_) => "minutes",
            Deadline::Hours(_) => "hours",
            Deadline::WorkingDays(_) => "working_days",
            Deadline::CalendarDays(_) => "calendar_days",
        }
    }

    /// The number of units.
    pub const fn value(self) -> u32 {
        match self {
            Deadline::Minutes(v)
            | Deadline::Hours(v)
            | Deadline::WorkingDays(v)
            | Deadline::CalendarDays(v) => v,
        }
    }

    /// Rebuilds a deadline from its stored unit and value.
    pub fn from_parts(unit: &str, value: u32) -> Result<Deadline, ParseEnumError> {
        match unit {
            "minutes" => Ok(Deadline::Minutes(value)),
            "hours" => Ok(Deadline::Hours(value)),
            "working_days" => Ok(Deadline::WorkingDays(value)),
            "calendar_days" => Ok(Deadline::CalendarDays(value)),
            other => Err(ParseEnumError::new("deadline unit", other)),
        }
    }

    /// The same deadline with its value replaced.
    pub const fn with_value(self, value: u32) -> Deadline {
        match self {
            Deadline::Minutes(_) => Deadline::Minutes(value),
            Deadline::Hours(_) => Deadline::Hours(value),
            Deadline::WorkingDays(_) => Deadline::WorkingDays(value),
            Deadline::CalendarDays(_) => Deadline::CalendarDays(value),
        }
    }

    /// The repeat-round deadline: `max(ceil(fraction × value), 1)` in the same unit. The fraction is
    /// clamped to `(0, 1]`; a non-finite or non-positive fraction leaves the deadline unchanged.
    pub fn shortened(self, fraction: f64) -> Deadline {
        let fraction = if fraction.is_finite() && fraction > 0.0 {
            fraction.min(1.0)
        } else {
            1.0
        };
        let scaled = (fraction * f64::from(self.value())).ceil();
        // `scaled` lies in [0, value], so the conversion is exact.
        let value = scaled as u32;
        self.with_value(value.max(1))
    }

    /// The execution deadline of a round: the category deadline in round 1, the shortened one in
    /// every later round (the fraction is applied once, not compounded).
    pub fn for_round(self, round: u32, fraction: f64) -> Deadline {
        if round <= 1 {
            self
        } else {
            self.shortened(fraction)
        }
    }

    /// When a stage that starts at `start` ends.
    pub fn due_from(self, start: DateTime<Utc>, calendar: &Calendar) -> DateTime<Utc> {
        match self {
            Deadline::Minutes(m) => add(start, Duration::minutes(i64::from(m.max(1)))),
            Deadline::Hours(h) => add(start, Duration::hours(i64::from(h.max(1)))),
            Deadline::WorkingDays(n) => {
                let last = calendar.add_working_days(calendar.local_date(start), n.max(1));
                calendar.end_of_local_day(last)
            }
            Deadline::CalendarDays(n) => {
                let start_date = calendar.local_date(start);
                let last = start_date
                    .checked_add_days(chrono::Days::new(u64::from(n.max(1))))
                    .unwrap_or(start_date);
                calendar.end_of_local_day(last)
            }
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Minutes(m) => write!(f, "{m} min"),
            Deadline::Hours(h) => write!(f, "{h} h"),
            Deadline::WorkingDays(n) => write!(f, "{n} working days"),
            Deadline::CalendarDays(n) => write!(f, "{n} calendar days"),
        }
    }
}

/// When the execution stage of a complaint in `category` ends, in `round`, counted from `start`:
/// the category's deadline in round 1, shortened by [`Policy::repeat_round_fraction`] in later
/// rounds. The one place where a category's clock becomes a moment: filing, rerouting, a new
/// round and a recategorisation all ask it.
pub fn category_due(
    category: &Category,
    round: u32,
    start: DateTime<Utc>,
    policy: &Policy,
    calendar: &Calendar,
) -> DateTime<Utc> {
    category
        .deadline
        .for_round(round, policy.repeat_round_fraction)
        .due_from(start, calendar)
}

/// `at + by`, saturating at the latest representable instant.
pub(crate) fn add(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    at.checked_add_signed(by)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn shortened_rounds_up_and_never_below_one() {
        assert_eq!(
            Deadline::WorkingDays(10).shortened(0.5),
            Deadline::WorkingDays(5)
        );
        assert_eq!(
            Deadline::WorkingDays(5).shortened(0.5),
            Deadline::WorkingDays(3)
        );
        assert_eq!(
            Deadline::WorkingDays(1).shortened(0.5),
            Deadline::WorkingDays(1)
        );
        assert_eq!(Deadline::Hours(2).shortened(0.5), Deadline::Hours(1));
        assert_eq!(Deadline::Hours(1).shortened(0.1), Deadline::Hours(1));
        assert_eq!(Deadline::Hours(72).shortened(0.5), Deadline::Hours(36));
        assert_eq!(
            Deadline::CalendarDays(3).shortened(f64::NAN),
            Deadline::CalendarDays(3)
        );
        assert_eq!(
            Deadline::CalendarDays(3).shortened(7.0),
            Deadline::CalendarDays(3)
        );
    }

    #[test]
    fn serde_shape_and_parts() {
        let json = serde_json::to_string(&Deadline::WorkingDays(10)).unwrap();
        assert_eq!(json, r#"{"unit":"working_days","value":10}"#);
        let back: Deadline = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Deadline::WorkingDays(10));
        let d = Deadline::Hours(2);
        assert_eq!(Deadline::from_parts(d.unit(), d.value()).unwrap(), d);
        assert!(Deadline::from_parts("weeks", 1).is_err());
    }
}
