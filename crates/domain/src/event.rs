//! Events: the append-only history of a complaint.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ParseEnumError;
use crate::{ActionKind, Complaint, Role, Status};

/// What happened: registration or one of the actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Registered,
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

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 17] = [
        EventKind::Registered,
        EventKind::Accept,
        EventKind::AssignExecutor,
        EventKind::ReportDone,
        EventKind::NotOurBuilding,
        EventKind::Reroute,
        EventKind::RecordCall,
        EventKind::ResidentAnswer,
        EventKind::SendToInspection,
        EventKind::Reject,
        EventKind::Withdraw,
        EventKind::RecordFindings,
        EventKind::IssueOrder,
        EventKind::CheckCompliance,
        EventKind::RecordFine,
        EventKind::PauseClock,
        EventKind::ResumeClock,
    ];

    /// The stable snake_case identifier (the action kinds keep their own names).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Registered => "registered",
            EventKind::Accept => ActionKind::Accept.as_str(),
            EventKind::AssignExecutor => ActionKind::AssignExecutor.as_str(),
            EventKind::ReportDone => ActionKind::ReportDone.as_str(),
            EventKind::NotOurBuilding => ActionKind::NotOurBuilding.as_str(),
            EventKind::Reroute => ActionKind::Reroute.as_str(),
            EventKind::RecordCall => ActionKind::RecordCall.as_str(),
            EventKind::ResidentAnswer => ActionKind::ResidentAnswer.as_str(),
            EventKind::SendToInspection => ActionKind::SendToInspection.as_str(),
            EventKind::Reject => ActionKind::Reject.as_str(),
            EventKind::Withdraw => ActionKind::Withdraw.as_str(),
            EventKind::RecordFindings => ActionKind::RecordFindings.as_str(),
            EventKind::IssueOrder => ActionKind::IssueOrder.as_str(),
            EventKind::CheckCompliance => ActionKind::CheckCompliance.as_str(),
            EventKind::RecordFine => ActionKind::RecordFine.as_str(),
            EventKind::PauseClock => ActionKind::PauseClock.as_str(),
            EventKind::ResumeClock => ActionKind::ResumeClock.as_str(),
        }
    }
}

impl From<ActionKind> for EventKind {
    fn from(kind: ActionKind) -> Self {
        match kind {
            ActionKind::Accept => EventKind::Accept,
            ActionKind::AssignExecutor => EventKind::AssignExecutor,
            ActionKind::ReportDone => EventKind::ReportDone,
            ActionKind::NotOurBuilding => EventKind::NotOurBuilding,
            ActionKind::Reroute => EventKind::Reroute,
            ActionKind::RecordCall => EventKind::RecordCall,
            ActionKind::ResidentAnswer => EventKind::ResidentAnswer,
            ActionKind::SendToInspection => EventKind::SendToInspection,
            ActionKind::Reject => EventKind::Reject,
            ActionKind::Withdraw => EventKind::Withdraw,
            ActionKind::RecordFindings => EventKind::RecordFindings,
            ActionKind::IssueOrder => EventKind::IssueOrder,
            ActionKind::CheckCompliance => EventKind::CheckCompliance,
            ActionKind::RecordFine => EventKind::RecordFine,
            ActionKind::PauseClock => EventKind::PauseClock,
            ActionKind::ResumeClock => EventKind::ResumeClock,
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("event kind", s))
    }
}

/// One entry of a complaint's history.
///
/// `payload` is always a JSON object with at least `"company_id"` (string uuid or null: the company
/// the complaint is routed to after the event) and `"round"` (number), plus kind-specific keys:
///
/// | kind | extra keys |
/// |---|---|
/// | registered | `category`, `urgent`, `description`, `applicant_phone` (masked) |
/// | assign_executor | `executor` |
/// | report_done | `execution_due_at`, `on_time` |
/// | not_our_building | `declined_by` |
/// | reroute | `from_company_id` |
/// | record_call | `outcome`, `attempt`, `auto_escalated`? |
/// | resident_answer | `satisfied`, `auto_escalated`? |
/// | reject | `reason` |
/// | record_findings | `violation` |
/// | issue_order | `order_id`, `order_due_at` |
/// | check_compliance | `order_id`, `complied` |
/// | record_fine | `order_id`, `amount_rub`, `legal_basis` |
/// | resume_clock | `paused_seconds` |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub complaint_id: Uuid,
    pub kind: EventKind,
    pub actor_id: Uuid,
    pub actor_role: Role,
    /// The person a clerk filed for (their name), when not the actor.
    pub on_behalf_of: Option<String>,
    /// `None` only for `registered`.
    pub from: Option<Status>,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
    pub payload: serde_json::Value,
}

impl Event {
    /// The company the complaint was routed to after this event (`payload.company_id`).
    pub fn company_id(&self) -> Option<Uuid> {
        self.payload
            .get("company_id")
            .and_then(serde_json::Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
    }

    /// The round after this event (`payload.round`).
    pub fn round(&self) -> Option<u32> {
        self.payload
            .get("round")
            .and_then(serde_json::Value::as_u64)
            .and_then(|r| u32::try_from(r).ok())
    }

    fn flag(&self, key: &str) -> Option<bool> {
        self.payload.get(key).and_then(serde_json::Value::as_bool)
    }

    /// `payload.on_time` of a `report_done` event.
    pub fn on_time(&self) -> Option<bool> {
        self.flag("on_time")
    }
}

/// The result of a successful operation: the new snapshot (version + 1) and its one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub complaint: Complaint,
    pub event: Event,
}
