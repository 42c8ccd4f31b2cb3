//! The complaint snapshot and the input for filing one.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Category, Consent, DailyQuota, PhoneNumber, Status};

/// A complaint as the API loads it from the database and passes it to [`crate::apply`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: Uuid,
    pub status: Status,
    /// Passes through execution; starts at 1 and never goes down.
    pub round: u32,
    /// Emergencies, and every round after the first.
    pub urgent: bool,
    /// The resident's account; `None` when a clerk filed for a person without an account.
    pub author_id: Option<Uuid>,
    /// The user who typed it in (resident or clerk).
    pub filed_by: Uuid,
    /// The management company it is routed to; `None` while it needs routing.
    pub company_id: Option<Uuid>,
    pub category: Category,
    pub registered_at: DateTime<Utc>,
    /// Deadline of the current stage: execution, order, verification, routing or inspection.
    pub due_at: Option<DateTime<Utc>>,
    /// The city's answer deadline under 59-ФЗ (30 days from registration); never paused.
    pub answer_due_at: DateTime<Utc>,
    /// The answer deadline was extended (59-ФЗ allows it once).
    #[serde(default)]
    pub answer_extended: bool,
    /// Set while the execution clock is paused (waiting for the resident).
    pub paused_since: Option<DateTime<Utc>>,
    /// Verification calls without an answer in the current verification stage.
    pub unanswered_calls: u32,
    pub executor: Option<String>,
    /// The current order (предписание), if any.
    pub order: Option<Order>,
    /// The current inspection found a violation on site (it may be fined at once).
    #[serde(default)]
    pub violation_found: bool,
    /// Optimistic-lock version; every transition adds exactly 1.
    pub version: i64,
}

impl Complaint {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    /// An order is in force: issued and not yet checked.
    pub fn has_order_in_force(&self) -> bool {
        self.order.as_ref().is_some_and(|o| o.complied.is_none())
    }
}

/// An order (предписание) of the housing inspection to the management company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: Uuid,
    pub due_at: DateTime<Utc>,
    pub text: String,
    /// `None` until checked; then whether it was complied with.
    pub complied: Option<bool>,
}

/// The person a clerk files for (no account of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    /// For the SMS receipt; `None` when the receipt is printed.
    pub phone: Option<PhoneNumber>,
    /// Their consent to the processing of their personal data, as the clerk read it out.
    pub consent: Consent,
}

/// Input of [`crate::register`]. The caller resolves the building to its managing company and
/// generates the id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComplaint {
    pub id: Uuid,
    pub category: Category,
    /// The company managing the building; `None` when unknown (the complaint then needs routing).
    pub company_id: Option<Uuid>,
    /// What is wrong (validated, not stored in the snapshot).
    pub description: String,
    /// Required when a clerk files; must be `None` when a resident files for themself.
    pub applicant: Option<Applicant>,
    /// The filer's daily quota and how much of it is used (residents).
    pub quota: DailyQuota,
}

/// How far past its current stage deadline an open complaint is, or `None` when it is not overdue.
/// A paused clock stops at `paused_since`: a complaint paused before its deadline does not become
/// overdue while it waits for the resident.
pub fn overdue_by(c: &Complaint, now: DateTime<Utc>) -> Option<Duration> {
    if c.status.is_final() {
        return None;
    }
    let due = c.due_at?;
    let clock = c.paused_since.map_or(now, |since| since.min(now));
    (clock > due).then(|| clock - due)
}

/// Whether the current stage deadline (`due_at`) has passed for an open complaint.
pub fn is_overdue(c: &Complaint, now: DateTime<Utc>) -> bool {
    overdue_by(c, now).is_some()
}
