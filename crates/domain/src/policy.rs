//! Tunable rules of the lifecycle.

use serde::{Deserialize, Serialize};

use crate::Deadline;

/// Lifecycle parameters. All are data: the API may load them from configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Verification calls without an answer after which the complaint closes unconfirmed.
    pub max_unanswered_calls: u32,
    /// Repeat rounds get `max(ceil(fraction × category deadline), 1 unit)`.
    pub repeat_round_fraction: f64,
    /// How long the city has to verify a reported result with the resident.
    pub verification: Deadline,
    /// How long the dispatcher has to reroute a complaint in `needs_routing`.
    pub routing: Deadline,
    /// How long the inspection has for a complaint in `under_inspection`.
    pub inspection: Deadline,
    /// The city's answer deadline (59-ФЗ ст. 12: 30 days from registration). It never pauses.
    pub answer_deadline: Deadline,
    /// A complaint found unsatisfactory in this round (or later) goes to the inspection instead of
    /// another round; the default escalation rule also sends overdue complaints of this round there.
    pub escalate_at_round: u32,
    /// Minimum number of complaints a company must have received before its rates are published.
    pub scorecard_min_volume: u32,
    /// After the last unanswered call the person is asked by SMS to answer, and the complaint
    /// closes unconfirmed only when this much time passes without a reply; `None` closes it at
    /// once.
    pub reply_wait: Option<Deadline>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_unanswered_calls: 3,
            repeat_round_fraction: 0.5,
            verification: Deadline::WorkingDays(2),
            routing: Deadline::WorkingDays(1),
            inspection: Deadline::WorkingDays(10),
            answer_deadline: Deadline::CalendarDays(30),
            escalate_at_round: 3,
            scorecard_min_volume: 10,
            reply_wait: Some(Deadline::Hours(24)),
        }
    }
}
