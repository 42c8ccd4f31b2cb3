//! What an actor can do to an existing complaint.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Role;
use crate::error::ParseEnumError;

/// Outcome of one verification call by the city specialist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Work done, the resident is satisfied: the complaint closes.
    Satisfied,
    /// Work done but unsatisfactory: second (next) round, urgent.
    Unsatisfied,
    /// Work not done: the complaint goes to the housing inspection.
    NotDone,
    /// Nobody answered; after `Policy::max_unanswered_calls` it closes unconfirmed.
    NoAnswer,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 4] = [
        CallOutcome::Satisfied,
        CallOutcome::Unsatisfied,
        CallOutcome::NotDone,
        CallOutcome::NoAnswer,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Satisfied => "satisfied",
            CallOutcome::Unsatisfied => "unsatisfied",
            CallOutcome::NotDone => "not_done",
            CallOutcome::NoAnswer => "no_answer",
        }
    }
}

impl FromStr for CallOutcome {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CallOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("call outcome", s))
    }
}

/// Why the dispatcher rejects a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    Duplicate,
    NotHousingMatter,
    /// Any other reason; the comment must then say which.
    Other,
}

impl RejectReason {
    pub const ALL: [RejectReason; 3] = [
        RejectReason::Duplicate,
        RejectReason::NotHousingMatter,
        RejectReason::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RejectReason::Duplicate => "duplicate",
            RejectReason::NotHousingMatter => "not_housing_matter",
            RejectReason::Other => "other",
        }
    }
}

impl FromStr for RejectReason {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RejectReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("reject reason", s))
    }
}

/// An operation on an existing complaint. Serialised with a `"type"` tag in snake_case,
/// e.g. `{"type":"record_call","outcome":"no_answer","comment":null}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Company: take a registered complaint into work.
    Accept,
    /// Company: name who does the work (also accepts a registered complaint).
    AssignExecutor { executor: String },
    /// Company: the work is done.
    ReportDone { note: String },
    /// Company: the building is not managed by us.
    NotOurBuilding { reason: String },
    /// Dispatcher: route to another management company.
    Reroute { company_id: Uuid },
    /// Dispatcher: one verification call attempt and its outcome.
    RecordCall {
        outcome: CallOutcome,
        comment: Option<String>,
    },
    /// Resident: confirm or dispute the result in the app.
    ResidentAnswer {
        satisfied: bool,
        comment: Option<String>,
    },
    /// Dispatcher: hand the complaint to the housing inspection.
    SendToInspection { reason: String },
    /// Dispatcher: reject with a reason.
    Reject {
        reason: RejectReason,
        comment: String,
    },
    /// Resident: withdraw an open complaint.
    Withdraw,
    /// Inspector: result of the inspection on site.
    RecordFindings { violation: bool, findings: String },
    /// Inspector: issue an order (предписание) to the company.
    IssueOrder {
        order_id: Uuid,
        due_at: DateTime<Utc>,
        text: String,
    },
    /// Inspector: was the order complied with?
    CheckCompliance { complied: bool },
    /// Inspector: record a fine after an order was not complied with.
    RecordFine {
        amount_rub: u64,
        legal_basis: String,
    },
    /// Company: stop the execution clock while waiting for the resident (e.g. access to the flat).
    PauseClock { reason: String },
    /// Company: restart the execution clock; the deadline shifts by the paused time.
    ResumeClock,
}

impl Action {
    /// The fieldless kind of this action.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::AssignExecutor { .. } => ActionKind::AssignExecutor,
            Action::ReportDone { .. } => ActionKind::ReportDone,
            Action::NotOurBuilding { .. } => ActionKind::NotOurBuilding,
            Action::Reroute { .. } => ActionKind::Reroute,
            Action::RecordCall { .. } => ActionKind::RecordCall,
            Action::ResidentAnswer { .. } => ActionKind::ResidentAnswer,
            Action::SendToInspection { .. } => ActionKind::SendToInspection,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Withdraw => ActionKind::Withdraw,
            Action::RecordFindings { .. } => ActionKind::RecordFindings,
            Action::IssueOrder { .. } => ActionKind::IssueOrder,
            Action::CheckCompliance { .. } => ActionKind::CheckCompliance,
            Action::RecordFine { .. } => ActionKind::RecordFine,
            Action::PauseClock { .. } => ActionKind::PauseClock,
            Action::ResumeClock => ActionKind::ResumeClock,
        }
    }
}

/// The fieldless mirror of [`Action`], for tables, permissions and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Accept,
    AssignExecutor,
    ReportDone,
    NotOurBuilding,
    Reroute,
    RecordCall,
    ResidentAnswer,
    SendToInspection,
    Reject,
    Withdraw,
    RecordFindings,
    IssueOrder,
    CheckCompliance,
    RecordFine,
    PauseClock,
    ResumeClock,
}

impl ActionKind {
    /// Every kind, in declaration order.
    pub const ALL: [ActionKind; 16] = [
        ActionKind::Accept,
        ActionKind::AssignExecutor,
        ActionKind::ReportDone,
        ActionKind::NotOurBuilding,
        ActionKind::Reroute,
        ActionKind::RecordCall,
        ActionKind::ResidentAnswer,
        ActionKind::SendToInspection,
        ActionKind::Reject,
        ActionKind::Withdraw,
        ActionKind::RecordFindings,
        ActionKind::IssueOrder,
        ActionKind::CheckCompliance,
        ActionKind::RecordFine,
        ActionKind::PauseClock,
        ActionKind::ResumeClock,
    ];

    /// The stable snake_case identifier.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::AssignExecutor => "assign_executor",
            ActionKind::ReportDone => "report_done",
            ActionKind::NotOurBuilding => "not_our_building",
            ActionKind::Reroute => "reroute",
            ActionKind::RecordCall => "record_call",
            ActionKind::ResidentAnswer => "resident_answer",
            ActionKind::SendToInspection => "send_to_inspection",
            ActionKind::Reject => "reject",
            ActionKind::Withdraw => "withdraw",
            ActionKind::RecordFindings => "record_findings",
            ActionKind::IssueOrder => "issue_order",
            ActionKind::CheckCompliance => "check_compliance",
            ActionKind::RecordFine => "record_fine",
            ActionKind::PauseClock => "pause_clock",
            ActionKind::ResumeClock => "resume_clock",
        }
    }

    /// The one role that may perform this kind of action. Every action belongs to exactly one role;
    /// clerks and admins perform none (a clerk only registers complaints).
    pub const fn role(self) -> Role {
        match self {
            ActionKind::Accept
            | ActionKind::AssignExecutor
            | ActionKind::ReportDone
            | ActionKind::NotOurBuilding
            | ActionKind::PauseClock
            | ActionKind::ResumeClock => Role::Company,
            ActionKind::Reroute
            | ActionKind::RecordCall
            | ActionKind::SendToInspection
            | ActionKind::Reject => Role::Dispatcher,
            ActionKind::ResidentAnswer | ActionKind::Withdraw => Role::Resident,
            ActionKind::RecordFindings
            | ActionKind::IssueOrder
            | ActionKind::CheckCompliance
            | ActionKind::RecordFine => Role::Inspector,
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActionKind {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("action kind", s))
    }
}
