//! The flat status enum of a complaint.

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;

/// Where a complaint is in its lifecycle. Four statuses are final: nothing leaves them.
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

wire_enum!(Status, "status");
