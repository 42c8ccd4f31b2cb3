//! A message on its way through a gateway: its states, how often it is retried, and how many SMS
//! one person and the whole city may be sent in a day.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::MessageKind;
use crate::wire::wire_enum;

/// Where one delivery (a message, by one channel, to one address) stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting: for its time (quiet hours), for a retry, or for a sender.
    Queued,
    /// The gateway acknowledged it and gave it an id.
    Sent,
    /// The operator reports it delivered to the handset.
    Delivered,
    /// Refused for good, undeliverable, or out of retries.
    Failed,
    /// Not sent on purpose: the number replied "СТОП", or a limit was reached.
    Suppressed,
}

wire_enum!(DeliveryState, "delivery state");

impl DeliveryState {
    /// No sender will touch it again (a receipt may still move `sent` on).
    pub fn is_final(self) -> bool {
        !matches!(self, DeliveryState::Queued)
    }
}

/// News older than a day is not sent off the screen when it is finally read (after an outage,
/// or history loaded in bulk): an SMS about last week's step would arrive out of context. It
/// still reaches the in-app inbox.
pub fn too_late_to_send(happened_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - happened_at > Duration::hours(24)
}

/// How a delivery the gateway did not take is retried: doubling waits up to a cap, then failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub max_attempts: u32,
    pub first_wait: Duration,
    pub longest_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_attempts: 8,
            first_wait: Duration::seconds(30),
            longest_wait: Duration::minutes(30),
        }
    }
}

impl Retry {
    /// The wait after the `attempts`-th failed attempt, or `None` when it should be given up.
    pub fn wait_after(&self, attempts: u32) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(20);
        let wait = self.first_wait * 2_i32.pow(doublings);
        Some(wait.min(self.longest_wait))
    }
}

/// What SMS may cost: how many one number and the whole service may be sent in 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsLimits {
    pub per_person_per_day: u32,
    pub per_day: u32,
}

impl Default for SmsLimits {
    fn default() -> Self {
        SmsLimits {
            per_person_per_day: 10,
            per_day: 50_000,
        }
    }
}

impl SmsLimits {
    /// Whether one more SMS of `kind` may go, given how many went to this number and in all in
    /// the last 24 hours. One-time codes have limits of their own and are not counted against.
    pub fn allows(&self, kind: MessageKind, to_number: u32, in_all: u32) -> bool {
        kind == MessageKind::VerificationCode
            || (to_number < self.per_person_per_day && in_all < self.per_day)
    }
}
