//! [`change_management`]: a building's open complaints follow its new management company.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::deadline::category_due;
use crate::event::Change;
use crate::{
    Actor, Calendar, Complaint, DomainError, Event, EventDetails, Policy, Role, Status, Transition,
};

/// The reason a management change writes into the history of each complaint it moves.
pub const MANAGEMENT_CHANGE_REASON: &str = "Смена управляющей организации дома (management change)";

/// Moves one complaint of a building whose management changed to `to_company`, as the
/// administrator (`actor`) recorded it at `now`.
///
/// Only an administrator changes management ([`DomainError::Forbidden`]). A final complaint, or
/// one already with `to_company`, stays as it is (`Ok(None)`). Otherwise it is rerouted: the
/// event is a `reroute` naming the company it leaves (`from_company_id`) and the one it goes to
/// (`to_company_id`), marked `management_change`, with [`MANAGEMENT_CHANGE_REASON`] as its comment.
/// The old company's executor goes with the old company. A complaint with the company to execute
/// (registered or in progress, no order in force) or waiting for routing starts afresh with the
/// new company: `registered`, its execution deadline from now by [`category_due`], the clock
/// running. A complaint further on (verification, inspection, an order in force) keeps its status
/// and its deadline: only the company answering for it changes.
pub fn change_management(
    current: &Complaint,
    to_company: Uuid,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
    calendar: &Calendar,
) -> Result<Option<Transition>, DomainError> {
    if actor.role != Role::Admin {
        return Err(DomainError::Forbidden {
            role: actor.role,
            operation: "change_management",
        });
    }
    if current.status.is_final() || current.company_id == Some(to_company) {
        return Ok(None);
    }
    let mut next = current.clone();
    next.company_id = Some(to_company);
    next.executor = None;
    let restarts = match current.status {
        Status::Registered | Status::InProgress => !current.has_order_in_force(),
        Status::NeedsRouting => true,
        Status::AwaitingVerification
        | Status::UnderInspection
        | Status::Closed
        | Status::ClosedUnconfirmed
        | Status::Withdrawn
        | Status::Rejected => false,
    };
    if restarts {
        next.status = Status::Registered;
        next.due_at = Some(category_due(
            &current.category,
            current.round,
            now,
            policy,
            calendar,
        ));
        next.paused_since = None;
    }
    next.version = current.version.saturating_add(1);
    let change = Change {
        actor: actor.principal,
        actor_role: actor.role,
        from: Some(current.status),
        at: now,
        comment: Some(MANAGEMENT_CHANGE_REASON.to_owned()),
    };
    let details = EventDetails::Reroute {
        from_company_id: current.company_id,
        to_company_id: Some(to_company),
        management_change: true,
    };
    let event = Event::of(&next, change, details);
    Ok(Some(Transition {
        complaint: next,
        event,
        started_clocks: Vec::new(),
    }))
}
