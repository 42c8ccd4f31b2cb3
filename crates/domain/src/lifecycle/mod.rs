//! The state machine: the lifecycle table, filing ([`register`]) and every later change
//! ([`apply`]).

mod apply;
mod management;
mod register;

pub use apply::{MAX_ANSWER_EXTENSION_DAYS, apply};
pub use management::{MANAGEMENT_CHANGE_REASON, change_management};
pub use register::register;

use crate::access::can_view;
use crate::{ActionKind, Actor, Complaint, DomainError, Status};

pub(crate) const SHORT_TEXT: usize = 200;
pub(crate) const LONG_TEXT: usize = 4000;

/// The lifecycle table: which action kinds a status allows (whoever the actor).
/// Final statuses allow nothing.
pub fn kinds_allowed_in(status: Status) -> &'static [ActionKind] {
    use ActionKind as K;
    match status {
        Status::Registered => &[
            K::Accept,
            K::AssignExecutor,
            K::NotOurBuilding,
            K::PauseClock,
            K::ResumeClock,
            K::Reroute,
            K::SendToInspection,
            K::Reject,
            K::Withdraw,
            K::ExtendAnswer,
            K::Recategorise,
        ],
        Status::InProgress => &[
            K::AssignExecutor,
            K::ReportDone,
            K::NotOurBuilding,
            K::PauseClock,
            K::ResumeClock,
            K::Reroute,
            K::SendToInspection,
            K::CheckCompliance,
            K::Reject,
            K::Withdraw,
            K::ExtendAnswer,
            K::Recategorise,
        ],
        Status::AwaitingVerification => &[
            K::RecordCall,
            K::ResidentAnswer,
            K::SendToInspection,
            K::CheckCompliance,
            K::Reject,
            K::Withdraw,
            K::ExtendAnswer,
            K::Recategorise,
        ],
        Status::NeedsRouting => &[
            K::Reroute,
            K::Reject,
            K::Withdraw,
            K::ExtendAnswer,
            K::Recategorise,
        ],
        Status::UnderInspection => &[
            K::RecordFindings,
            K::IssueOrder,
            K::CheckCompliance,
            K::RecordFine,
            K::Reject,
            K::Withdraw,
            K::ExtendAnswer,
            K::Recategorise,
        ],
        Status::Closed | Status::ClosedUnconfirmed | Status::Withdrawn | Status::Rejected => &[],
    }
}

/// Whether the status allows the action kind.
pub fn allowed_in(kind: ActionKind, status: Status) -> bool {
    kinds_allowed_in(status).contains(&kind)
}

/// Whether the rest of the complaint's state (beyond its status) allows `kind` now: the clock is
/// paused or not, an order is there to check or was ignored, a company is there to order.
/// [`apply`] refuses with this; [`allowed_actions`] leaves out what it refuses.
pub(crate) fn state_allows(kind: ActionKind, c: &Complaint) -> Result<(), DomainError> {
    let refuse = |message: &str| Err(DomainError::precondition(message));
    match kind {
        ActionKind::PauseClock if c.paused_since.is_some() => refuse("the clock is already paused"),
        ActionKind::PauseClock if c.has_order_in_force() => {
            refuse("an order's deadline cannot be paused")
        }
        ActionKind::ResumeClock if c.paused_since.is_none() => refuse("the clock is not paused"),
        ActionKind::CheckCompliance
            if c.order.as_ref().is_none_or(|o| o.complied == Some(true)) =>
        {
            refuse("there is no order awaiting a compliance check")
        }
        ActionKind::RecordFine
            if !c.violation_found && c.order.as_ref().is_none_or(|o| o.complied != Some(false)) =>
        {
            refuse("a fine is recorded for a violation found on site or an order not complied with")
        }
        ActionKind::ExtendAnswer if c.answer_extended => {
            refuse("the answer deadline can be extended only once (59-ФЗ ст. 12 ч. 2)")
        }
        ActionKind::Reject | ActionKind::Withdraw | ActionKind::RecordFindings
            if c.has_order_in_force() =>
        {
            refuse("an order is in force: only the inspection's compliance check closes it")
        }
        ActionKind::IssueOrder if c.company_id.is_none() => {
            refuse("an order needs a management company to address")
        }
        ActionKind::Accept
        | ActionKind::AssignExecutor
        | ActionKind::ReportDone
        | ActionKind::NotOurBuilding
        | ActionKind::Reroute
        | ActionKind::RecordCall
        | ActionKind::ResidentAnswer
        | ActionKind::SendToInspection
        | ActionKind::Reject
        | ActionKind::Withdraw
        | ActionKind::RecordFindings
        | ActionKind::IssueOrder
        | ActionKind::CheckCompliance
        | ActionKind::RecordFine
        | ActionKind::PauseClock
        | ActionKind::ResumeClock
        | ActionKind::ExtendAnswer
        | ActionKind::Recategorise => Ok(()),
    }
}

/// The action kinds this actor may perform on this complaint now: their role, ownership, the
/// status and the rest of the state allow them (only the input itself is still to be checked).
/// The SPA shows exactly these.
pub fn allowed_actions(complaint: &Complaint, actor: &Actor) -> Vec<ActionKind> {
    if !can_view(complaint, actor) {
        return Vec::new();
    }
    kinds_allowed_in(complaint.status)
        .iter()
        .copied()
        .filter(|kind| kind.role() == actor.role && state_allows(*kind, complaint).is_ok())
        .collect()
}
