//! [`register`]: filing a new complaint.

use chrono::{DateTime, Utc};

use super::{LONG_TEXT, SHORT_TEXT};
use crate::deadline::category_due;
use crate::error::required_text;
use crate::event::Change;
use crate::{
    Actor, Calendar, Complaint, DomainError, Event, EventDetails, NewComplaint, Policy, Role,
    Status, Transition,
};

/// Files a new complaint.
///
/// Refuses, in this order: a role that does not file ([`DomainError::Forbidden`]: only residents
/// and ТОС clerks do); a resident who names an applicant, or a clerk who does not
/// ([`DomainError::Validation`]); a resident past their daily quota
/// ([`DomainError::LimitReached`]); an applicant without a name or without consent to the current
/// text ([`crate::Consent::check`]); an empty description.
///
/// - A resident files for themself: `author_id = filed_by = actor`.
/// - A clerk files for a person without an account: `author_id` is `None`. The person's name and
///   phone are kept with the person (the storage's one place for personal data), never in the
///   event (issue 14): the history names them at read time while the complaint is not erased.
///
/// The complaint is `registered` with the company of the building, or `needs_routing` when the
/// building's company is unknown. The execution deadline runs from `now` by the category; the 59-ФЗ
/// answer deadline by [`Policy::answer_deadline`]. Version 1, round 1, urgent for emergencies.
pub fn register(
    input: NewComplaint,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
    calendar: &Calendar,
) -> Result<Transition, DomainError> {
    let author_id = match actor.role {
        Role::Resident => {
            if input.applicant.is_some() {
                return Err(DomainError::validation(
                    "applicant",
                    "a resident files for themself; only a clerk files on behalf of someone",
                ));
            }
            input.quota.check()?;
            actor.user_id()
        }
        Role::Clerk => {
            actor.require_acting_scope()?;
            let Some(applicant) = &input.applicant else {
                return Err(DomainError::validation(
                    "applicant",
                    "a clerk must give the name of the person they file for",
                ));
            };
            required_text("applicant.name", &applicant.name, SHORT_TEXT)?;
            applicant
                .consent
                .check()
                .map_err(|e| e.within("applicant"))?;
            None
        }
        Role::Company | Role::Dispatcher | Role::Inspector | Role::Admin => {
            return Err(DomainError::Forbidden {
                role: actor.role,
                operation: "register",
            });
        }
    };
    let description = required_text("description", &input.description, LONG_TEXT)?;
    let (status, due_at) = match input.company_id {
        Some(_) => (
            Status::Registered,
            category_due(&input.category, 1, now, policy, calendar),
        ),
        None => (Status::NeedsRouting, policy.routing.due_from(now, calendar)),
    };
    let complaint = Complaint {
        id: input.id,
        status,
        round: 1,
        urgent: input.category.emergency,
        author_id,
        filed_by: actor.id(),
        company_id: input.company_id,
        registered_at: now,
        due_at: Some(due_at),
        answer_due_at: policy.answer_deadline.due_from(now, calendar),
        paused_since: None,
        unanswered_calls: 0,
        executor: None,
        order: None,
        violation_found: false,
        answer_extended: false,
        version: 1,
        category: input.category,
    };
    let details = EventDetails::Registered {
        category: complaint.category.code.clone(),
        urgent: complaint.urgent,
        description,
    };
    let change = Change {
        actor: actor.principal,
        actor_role: actor.role,
        from: None,
        at: now,
        comment: None,
    };
    let event = Event::of(&complaint, change, details);
    Ok(Transition {
        complaint,
        event,
        started_clocks: Vec::new(),
    })
}
