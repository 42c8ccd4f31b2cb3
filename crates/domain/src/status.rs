//! The flat status enum of a complaint.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ParseEnumError;

/// Where a complaint is in its lifecycle. Four statuses are final: nothing leaves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Filed and routed to a management company, not yet accepted.
    Registered,
    /// The company works on it (first or later round, or under an order).
    InProgress,
    /// The company reported it done; the city verifies with the resident.
    AwaitingVerification,
    /// The company said "not our building" (or the building has no known company):
    /// waits for the dispatcher to reroute.
    NeedsRouting,
    /// Municipal housing inspection is dealing with it.
    UnderInspection,
    /// Done and confirmed (by the resident, the inspection or a compliance check).
    Closed,
    /// Closed after the resident could not be reached for verification.
    ClosedUnconfirmed,
    /// Withdrawn by the resident.
    Withdrawn,
    /// Rejected by the dispatcher (duplicate, not a housing matter, ...).
    Rejected,
}

impl Status {
    /// Every status, in declaration order.
    pub const ALL: [Status; 9] = [
        Status::Registered,
        Status::InProgress,
        Status::AwaitingVerification,
        Status::NeedsRouting,
        Status::UnderInspection,
        Status::Closed,
        Status::ClosedUnconfirmed,
        Status::Withdrawn,
        Status::Rejected,
    ];

    /// The stable snake_case identifier.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::InProgress => "in_progress",
            Status::AwaitingVerification => "awaiting_verification",
            Status::NeedsRouting => "needs_routing",
            Status::UnderInspection => "under_inspection",
            Status::Closed => "closed",
            Status::ClosedUnconfirmed => "closed_unconfirmed",
            Status::Withdrawn => "withdrawn",
            Status::Rejected => "rejected",
        }
    }

    /// Russian display name.
    pub const fn name_ru(self) -> &'static str {
        match self {
            Status::Registered => "зарегистрирована",
            Status::InProgress => "в работе",
            Status::AwaitingVerification => "на проверке у заявителя",
            Status::NeedsRouting => "требует маршрутизации",
            Status::UnderInspection => "у жилищного контроля",
            Status::Closed => "закрыта",
            Status::ClosedUnconfirmed => "закрыта без подтверждения",
            Status::Withdrawn => "отозвана",
            Status::Rejected => "отклонена",
        }
    }

    /// Final statuses have no way out.
    pub const fn is_final(self) -> bool {
        match self {
            Status::Registered
            | Status::InProgress
            | Status::AwaitingVerification
            | Status::NeedsRouting
            | Status::UnderInspection => false,
            Status::Closed | Status::ClosedUnconfirmed | Status::Withdrawn | Status::Rejected => {
                true
            }
        }
    }

    /// The opposite of [`Status::is_final`].
    pub const fn is_open(self) -> bool {
        !self.is_final()
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("status", s))
    }
}
