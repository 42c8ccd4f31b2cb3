//! What an actor can do to an existing complaint.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{Category, FineArticle, Offender, Role};

/// Outcome of one verification call by the city specialist.
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

wire_enum!(CallOutcome, "call outcome");

/// Why the dispatcher rejects a complaint.
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
pub enum RejectReason {
    Duplicate,
    NotHousingMatter,
    /// Any other reason; the comment must then say which.
    Other,
}

wire_enum!(RejectReason, "reject reason");

/// The category a recategorisation asks for, as the caller found it in the registry: the domain
/// decides what an unknown or retired category means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "category", rename_all = "snake_case")]
pub enum CategoryChoice {
    /// No category has the id given.
    Unknown,
    /// The category exists but is no longer offered (an admin retired it).
    Inactive(Category),
    /// A category in use.
    Active(Category),
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
    /// Dispatcher: reject with a reason; a duplicate names its original.
    Reject {
        reason: RejectReason,
        comment: String,
        /// The original of a duplicate (required for [`RejectReason::Duplicate`], refused for
        /// the other reasons).
        #[serde(default)]
        duplicate_of: Option<Uuid>,
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
    /// Inspector: record a fine under an article of КоАП РФ, for a violation found on site or an
    /// order not complied with. The caller resolves the article from the registry.
    RecordFine {
        article: FineArticle,
        offender: Offender,
        amount_rub: u64,
    },
    /// Company: stop the execution clock while waiting for the resident (e.g. access to the flat).
    PauseClock { reason: String },
    /// Company: restart the execution clock; the deadline shifts by the paused time.
    ResumeClock,
    /// Dispatcher: extend the 59-ФЗ answer deadline, once, by up to 30 days, with the reason
    /// (59-ФЗ ст. 12 ч. 2); the applicant is told.
    ExtendAnswer { days: u32, reason: String },
    /// Dispatcher: correct the category a complaint was filed under, with the reason. The status
    /// stays; the execution deadline runs afresh under the new category's clock.
    Recategorise {
        category: CategoryChoice,
        reason: String,
    },
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
            Action::ExtendAnswer { .. } => ActionKind::ExtendAnswer,
            Action::Recategorise { .. } => ActionKind::Recategorise,
        }
    }
}

/// The fieldless mirror of [`Action`], for tables, permissions and the API.
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
    ExtendAnswer,
    Recategorise,
}

impl ActionKind {
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
            | ActionKind::Reject
            | ActionKind::ExtendAnswer
            | ActionKind::Recategorise => Role::Dispatcher,
            ActionKind::ResidentAnswer | ActionKind::Withdraw => Role::Resident,
            ActionKind::RecordFindings
            | ActionKind::IssueOrder
            | ActionKind::CheckCompliance
            | ActionKind::RecordFine => Role::Inspector,
        }
    }
}

wire_enum!(ActionKind, "action kind");
