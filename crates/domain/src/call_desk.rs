//! The call desk: verification calls taken one at a time, at decent hours, with a gap between
//! unanswered attempts and a "call back at" time. Pure rules: `now` is always passed in.
//!
//! A dispatcher *claims* a call for [`CallDesk::claim_minutes`], so that two never ring the same
//! person; a claim that ran out is free to take. A "no answer" within
//! [`CallDesk::min_gap_minutes`] of the previous one is refused, so three clicks within a minute
//! no longer close a complaint as unconfirmed. Calls are made only within the calling hours, in
//! the city's time zone (the same offset as [`crate::QuietHours`]).

use std::cmp::Ordering;

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Actor, CallOutcome, Complaint, DomainError, Role, Status};

/// The call desk's settings (`APP_CALL_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDesk {
    /// How long a taken call stays with its dispatcher (default 10 minutes).
    pub claim_minutes: u32,
    /// The least time between two unanswered attempts (default 120 minutes).
    pub min_gap_minutes: u32,
    /// When people may be rung, in the city's time zone.
    pub hours: CallingHours,
    /// How far ahead a "call back at" may be set (default 14 days).
    pub max_call_back_days: u32,
}

impl Default for CallDesk {
    fn default() -> Self {
        CallDesk {
            claim_minutes: 10,
            min_gap_minutes: 120,
            hours: CallingHours::default(),
            max_call_back_days: 14,
        }
    }
}

/// Calling hours: from `opens` until `closes`, local time of the city. Equal times mean any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallingHours {
    /// Seconds east of UTC of the city's time zone.
    pub utc_offset_seconds: i32,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl Default for CallingHours {
    fn default() -> Self {
        CallingHours {
            utc_offset_seconds: crate::SURGUT_UTC_OFFSET_SECONDS,
            opens: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            closes: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
        }
    }
}

impl CallingHours {
    fn zone(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_seconds).unwrap_or_else(|| Utc.fix())
    }

    /// Whether a call may be made at `at`.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        if self.opens == self.closes {
            return true;
        }
        let time = at.with_timezone(&self.zone()).time();
        if self.opens < self.closes {
            time >= self.opens && time < self.closes
        } else {
            time >= self.opens || time < self.closes
        }
    }

    /// The last opening at or before `at` (with equal times, the last such time of day): the
    /// start of the calling window `at` falls in, when it falls in one.
    pub fn window_start(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let zone = self.zone();
        let local = at.with_timezone(&zone);
        let day = if local.time() >= self.opens {
            local.date_naive()
        } else {
            local.date_naive() - Duration::days(1)
        };
        zone.from_local_datetime(&day.and_time(self.opens))
            .single()
            .map_or(at, |open| open.with_timezone(&Utc))
    }

    /// `at` itself when within the hours, otherwise the next opening.
    pub fn next_open(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.contains(at) {
            return at;
        }
        let zone = self.zone();
        let local = at.with_timezone(&zone);
        let day = if local.time() >= self.opens {
            local.date_naive() + Duration::days(1)
        } else {
            local.date_naive()
        };
        zone.from_local_datetime(&day.and_time(self.opens))
            .single()
            .map_or(at, |open| open.with_timezone(&Utc))
    }
}

/// What the desk knows of one complaint's calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallState {
    pub claimed_by: Option<Uuid>,
    pub claimed_until: Option<DateTime<Utc>>,
    /// Attempts recorded in the current verification stage, whatever their outcome.
    pub attempts: u32,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_no_answer_at: Option<DateTime<Utc>>,
    /// The person asked to be called back then; the call waits until that time.
    pub call_back_at: Option<DateTime<Utc>>,
}

impl CallState {
    /// Who holds the call at `now`, and until when: `None` when free (or the claim ran out).
    pub fn holder(&self, now: DateTime<Utc>) -> Option<(Uuid, DateTime<Utc>)> {
        match (self.claimed_by, self.claimed_until) {
            (Some(by), Some(until)) if until > now => Some((by, until)),
            _ => None,
        }
    }
}

/// Why the desk refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallDeskError {
    /// Another dispatcher holds the call.
    #[error("the call is taken by another dispatcher until {until}")]
    Held { by: Uuid, until: DateTime<Utc> },
    /// Outside the calling hours; calls open again at `opens_at`.
    #[error("outside the calling hours; calls open at {opens_at}")]
    OutsideCallingHours { opens_at: DateTime<Utc> },
    /// An unanswered attempt was recorded too recently.
    #[error("the last unanswered call was too recent; the next attempt is possible at {next_at}")]
    TooSoon { next_at: DateTime<Utc> },
    /// The complaint does not await a verification call.
    #[error("the complaint does not await a verification call")]
    NotAwaitingCall,
    /// A field is out of range.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: &'static str,
    },
}

impl CallDesk {
    fn claim_length(&self) -> Duration {
        Duration::minutes(i64::from(self.claim_minutes.max(1)))
    }

    fn gap(&self) -> Duration {
        Duration::minutes(i64::from(self.min_gap_minutes))
    }

    /// `dispatcher` takes the call at `now`: until when it is theirs. Taking one's own call again
    /// extends it.
    pub fn claim(
        &self,
        complaint: &Complaint,
        state: &CallState,
        dispatcher: Uuid,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, CallDeskError> {
        if complaint.status != Status::AwaitingVerification {
            return Err(CallDeskError::NotAwaitingCall);
        }
        match state.holder(now) {
            Some((by, until)) if by != dispatcher => Err(CallDeskError::Held { by, until }),
            Some(_) | None => Ok(now + self.claim_length()),
        }
    }

    /// Whether `dispatcher` may record an attempt with `outcome` at `now`.
    pub fn check_attempt(
        &self,
        state: &CallState,
        dispatcher: Uuid,
        outcome: CallOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), CallDeskError> {
        if let Some((by, until)) = state.holder(now)
            && by != dispatcher
        {
            return Err(CallDeskError::Held { by, until });
        }
        if !self.hours.contains(now) {
            return Err(CallDeskError::OutsideCallingHours {
                opens_at: self.hours.next_open(now),
            });
        }
        if outcome == CallOutcome::NoAnswer
            && let Some(last) = state.last_no_answer_at
            && now < last + self.gap()
        {
            return Err(CallDeskError::TooSoon {
                next_at: last + self.gap(),
            });
        }
        Ok(())
    }

    /// The state after an attempt: the claim is released and a call-back is used up.
    pub fn after_attempt(
        &self,
        state: &CallState,
        outcome: CallOutcome,
        now: DateTime<Utc>,
    ) -> CallState {
        CallState {
            claimed_by: None,
            claimed_until: None,
            attempts: state.attempts.saturating_add(1),
            last_attempt_at: Some(now),
            last_no_answer_at: if outcome == CallOutcome::NoAnswer {
                Some(now)
            } else {
                state.last_no_answer_at
            },
            call_back_at: None,
        }
    }

    /// Checks a "call back at" time asked for at `now`: in the future, within
    /// [`CallDesk::max_call_back_days`] and within the calling hours.
    pub fn check_call_back(
        &self,
        complaint: &Complaint,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), CallDeskError> {
        if complaint.status != Status::AwaitingVerification {
            return Err(CallDeskError::NotAwaitingCall);
        }
        if at <= now {
            return Err(CallDeskError::Invalid {
                field: "call_back_at",
                message: "must be in the future",
            });
        }
        if at > now + Duration::days(i64::from(self.max_call_back_days)) {
            return Err(CallDeskError::Invalid {
                field: "call_back_at",
                message: "is too far ahead",
            });
        }
        if !self.hours.contains(at) {
            return Err(CallDeskError::Invalid {
                field: "call_back_at",
                message: "is outside the calling hours",
            });
        }
        Ok(())
    }

    /// When the call is next due: the call-back time, the end of the gap after an unanswered
    /// attempt, and the calling hours all push it later. A fresh call is due at once.
    pub fn due_at(&self, state: &CallState, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut due = now;
        if let Some(back) = state.call_back_at {
            due = due.max(back);
        }
        if let Some(last) = state.last_no_answer_at {
            due = due.max(last + self.gap());
        }
        self.hours.next_open(due)
    }

    /// The time to show for the call, which stays put while nothing about it changes (so a queue
    /// read twice is the same page and a poll gets its 304): `due_at` when later than `now`;
    /// for a call due now, the moment it became callable within the current calling window (the
    /// window's opening, or a later call-back or end of the gap).
    pub fn shown_due_at(&self, state: &CallState, now: DateTime<Utc>) -> DateTime<Utc> {
        let due = self.due_at(state, now);
        if due > now {
            return due;
        }
        let mut since = self.hours.window_start(now);
        if let Some(back) = state.call_back_at {
            since = since.max(back);
        }
        if let Some(last) = state.last_no_answer_at {
            since = since.max(last + self.gap());
        }
        since.min(now)
    }

    /// The queue's order: what is due first, then the verification deadline, then the oldest.
    pub fn queue_order(
        &self,
        a: (&Complaint, &CallState),
        b: (&Complaint, &CallState),
        now: DateTime<Utc>,
    ) -> Ordering {
        self.due_at(a.1, now)
            .cmp(&self.due_at(b.1, now))
            .then_with(|| deadline_key(a.0).cmp(&deadline_key(b.0)))
            .then_with(|| a.0.registered_at.cmp(&b.0.registered_at))
    }
}

/// Only dispatchers work the call desk (a key acting as one needs its acting scope).
pub fn may_work_calls(actor: &Actor) -> Result<(), DomainError> {
    if actor.role != Role::Dispatcher {
        return Err(DomainError::Forbidden {
            role: actor.role,
            operation: "work_calls",
        });
    }
    actor.require_acting_scope()
}

fn deadline_key(c: &Complaint) -> (bool, Option<DateTime<Utc>>) {
    (c.due_at.is_none(), c.due_at)
}

#[cfg(test)]
#[path = "call_desk_tests.rs"]
mod tests;
