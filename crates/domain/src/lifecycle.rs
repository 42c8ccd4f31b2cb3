//! The state machine: filing ([`register`]) and every later change ([`apply`]).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::deadline::add;
use crate::error::{optional_text, required_text};
use crate::escalation::is_overdue;
use crate::{
    Action, ActionKind, Actor, Calendar, CallOutcome, Complaint, DomainError, Event, EventKind,
    NewComplaint, Order, Policy, RejectReason, Role, Status, Transition,
};

const SHORT_TEXT: usize = 200;
const LONG_TEXT: usize = 4000;

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
        ],
        Status::AwaitingVerification => &[
            K::RecordCall,
            K::ResidentAnswer,
            K::SendToInspection,
            K::CheckCompliance,
            K::Reject,
            K::Withdraw,
        ],
        Status::NeedsRouting => &[K::Reroute, K::Reject, K::Withdraw],
        Status::UnderInspection => &[
            K::RecordFindings,
            K::IssueOrder,
            K::CheckCompliance,
            K::RecordFine,
            K::Reject,
            K::Withdraw,
        ],
        Status::Closed | Status::ClosedUnconfirmed | Status::Withdrawn | Status::Rejected => &[],
    }
}

/// Whether the status allows the action kind.
pub fn allowed_in(kind: ActionKind, status: Status) -> bool {
    kinds_allowed_in(status).contains(&kind)
}

/// Object-level visibility: a resident sees own complaints (`author_id`), a clerk what they filed
/// (`filed_by`), a company the complaints routed to it; dispatchers, inspectors and admins see all.
pub fn can_view(complaint: &Complaint, actor: &Actor) -> bool {
    match actor.role {
        Role::Resident => complaint.author_id == Some(actor.user_id),
        Role::Clerk => complaint.filed_by == actor.user_id,
        Role::Company => {
            actor.organisation_id.is_some() && complaint.company_id == actor.organisation_id
        }
        Role::Dispatcher | Role::Inspector | Role::Admin => true,
    }
}

/// The action kinds this actor could attempt on this complaint now (role, ownership and status;
/// not the finer preconditions such as "the clock is paused"). For buttons in the UI.
pub fn allowed_actions(complaint: &Complaint, actor: &Actor) -> Vec<ActionKind> {
    if !can_view(complaint, actor) {
        return Vec::new();
    }
    kinds_allowed_in(complaint.status)
        .iter()
        .copied()
        .filter(|kind| kind.role() == actor.role)
        .collect()
}

/// Files a new complaint.
///
/// - A resident files for themself: `author_id = filed_by = actor`; `applicant` must be `None`.
/// - A clerk files for a person without an account: `applicant` (name, optional phone) is required,
///   `author_id` is `None`, and the event records `on_behalf_of` = the person's name.
/// - Anyone else gets [`DomainError::Forbidden`].
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
    let (author_id, applicant) = match actor.role {
        Role::Resident => {
            if input.applicant.is_some() {
                return Err(DomainError::validation(
                    "applicant",
                    "a resident files for themself; only a clerk files on behalf of someone",
                ));
            }
            (Some(actor.user_id), None)
        }
        Role::Clerk => match &input.applicant {
            Some(applicant) => {
                let name = required_text("applicant.name", &applicant.name, SHORT_TEXT)?;
                (None, Some((name, applicant.phone.clone())))
            }
            None => {
                return Err(DomainError::validation(
                    "applicant",
                    "a clerk must give the name of the person they file for",
                ));
            }
        },
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
            input.category.deadline.due_from(now, calendar),
        ),
        None => (Status::NeedsRouting, policy.routing.due_from(now, calendar)),
    };
    let complaint = Complaint {
        id: input.id,
        status,
        round: 1,
        urgent: input.category.emergency,
        author_id,
        filed_by: actor.user_id,
        company_id: input.company_id,
        registered_at: now,
        due_at: Some(due_at),
        answer_due_at: policy.answer_deadline.due_from(now, calendar),
        paused_since: None,
        unanswered_calls: 0,
        executor: None,
        order: None,
        version: 1,
        category: input.category,
    };
    let mut payload = Map::new();
    payload.insert("category".into(), json!(complaint.category.code));
    payload.insert("urgent".into(), json!(complaint.urgent));
    payload.insert("description".into(), json!(description));
    let on_behalf_of = applicant.map(|(name, phone)| {
        if let Some(phone) = phone {
            payload.insert("applicant_phone".into(), json!(phone.masked()));
        }
        name
    });
    let event = make_event(
        &complaint,
        EventKind::Registered,
        actor,
        None,
        on_behalf_of,
        now,
        None,
        payload,
    );
    Ok(Transition { complaint, event })
}

/// Applies one action to a complaint: the single decision point of the lifecycle.
///
/// Checks, in order: the role may perform the kind at all ([`DomainError::Forbidden`]); the
/// complaint is the actor's own — residents by `author_id`, companies by `company_id`
/// ([`DomainError::NotOwner`]); the status allows it ([`DomainError::InvalidTransition`]); the
/// input ([`DomainError::Validation`]) and the rest of the state ([`DomainError::Precondition`]).
/// On success the new snapshot has `version + 1` and exactly one event.
pub fn apply(
    current: &Complaint,
    action: &Action,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
    calendar: &Calendar,
) -> Result<Transition, DomainError> {
    let kind = action.kind();
    if kind.role() != actor.role {
        return Err(DomainError::Forbidden {
            role: actor.role,
            operation: kind.as_str(),
        });
    }
    if !can_view(current, actor) {
        return Err(DomainError::NotOwner {
            role: actor.role,
            operation: kind.as_str(),
        });
    }
    if !allowed_in(kind, current.status) {
        return Err(DomainError::InvalidTransition {
            from: current.status,
            action: kind,
        });
    }

    let mut next = current.clone();
    let mut payload = Map::new();
    let mut comment = None;
    let ctx = Ctx {
        current,
        now,
        policy,
        calendar,
    };

    match action {
        Action::Accept => {
            next.status = Status::InProgress;
        }
        Action::AssignExecutor { executor } => {
            let executor = required_text("executor", executor, SHORT_TEXT)?;
            payload.insert("executor".into(), json!(executor));
            next.executor = Some(executor);
            next.status = Status::InProgress;
        }
        Action::ReportDone { note } => {
            comment = Some(required_text("note", note, LONG_TEXT)?);
            payload.insert("execution_due_at".into(), json!(current.due_at));
            payload.insert("on_time".into(), json!(!is_overdue(current, now)));
            next.status = Status::AwaitingVerification;
            next.due_at = Some(policy.verification.due_from(now, calendar));
            next.paused_since = None;
            next.unanswered_calls = 0;
        }
        Action::NotOurBuilding { reason } => {
            comment = Some(required_text("reason", reason, LONG_TEXT)?);
            payload.insert("declined_by".into(), json!(current.company_id));
            next.status = Status::NeedsRouting;
            next.company_id = None;
            next.executor = None;
            next.due_at = Some(policy.routing.due_from(now, calendar));
            next.paused_since = None;
        }
        Action::Reroute { company_id } => {
            if current.company_id == Some(*company_id) {
                return Err(DomainError::validation(
                    "company_id",
                    "the complaint is already routed to this company",
                ));
            }
            payload.insert("from_company_id".into(), json!(current.company_id));
            next.status = Status::Registered;
            next.company_id = Some(*company_id);
            next.executor = None;
            next.due_at = Some(ctx.execution_due(current.round));
            next.paused_since = None;
        }
        Action::RecordCall {
            outcome,
            comment: text,
        } => {
            comment = optional_text("comment", text.as_deref(), LONG_TEXT)?;
            payload.insert("outcome".into(), json!(outcome.as_str()));
            match outcome {
                CallOutcome::Satisfied => next.status = Status::Closed,
                CallOutcome::Unsatisfied => ctx.next_round(&mut next, &mut payload),
                CallOutcome::NotDone => ctx.to_inspection(&mut next),
                CallOutcome::NoAnswer => {
                    next.unanswered_calls = current.unanswered_calls.saturating_add(1);
                    payload.insert("attempt".into(), json!(next.unanswered_calls));
                    if next.unanswered_calls >= policy.max_unanswered_calls.max(1) {
                        next.status = Status::ClosedUnconfirmed;
                    }
                }
            }
        }
        Action::ResidentAnswer {
            satisfied,
            comment: text,
        } => {
            comment = optional_text("comment", text.as_deref(), LONG_TEXT)?;
            payload.insert("satisfied".into(), json!(satisfied));
            if *satisfied {
                next.status = Status::Closed;
            } else {
                ctx.next_round(&mut next, &mut payload);
            }
        }
        Action::SendToInspection { reason } => {
            comment = Some(required_text("reason", reason, LONG_TEXT)?);
            ctx.to_inspection(&mut next);
        }
        Action::Reject {
            reason,
            comment: text,
        } => {
            comment = match reason {
                RejectReason::Other => Some(required_text("comment", text, LONG_TEXT)?),
                RejectReason::Duplicate | RejectReason::NotHousingMatter => {
                    optional_text("comment", Some(text.as_str()), LONG_TEXT)?
                }
            };
            payload.insert("reason".into(), json!(reason.as_str()));
            next.status = Status::Rejected;
        }
        Action::Withdraw => {
            next.status = Status::Withdrawn;
        }
        Action::RecordFindings {
            violation,
            findings,
        } => {
            comment = Some(required_text("findings", findings, LONG_TEXT)?);
            payload.insert("violation".into(), json!(violation));
            // A violation keeps the complaint with the inspection, which then issues an order.
            // No violation closes it: the inspection's act is the city's verification.
            if !*violation {
                next.status = Status::Closed;
            }
        }
        Action::IssueOrder {
            order_id,
            due_at,
            text,
        } => {
            let text = required_text("text", text, LONG_TEXT)?;
            if *due_at <= now {
                return Err(DomainError::validation(
                    "due_at",
                    "the order's deadline must be in the future",
                ));
            }
            if current.company_id.is_none() {
                return Err(DomainError::precondition(
                    "an order needs a management company to address",
                ));
            }
            payload.insert("order_id".into(), json!(order_id));
            payload.insert("order_due_at".into(), json!(due_at));
            comment = Some(text.clone());
            next.order = Some(Order {
                id: *order_id,
                due_at: *due_at,
                text,
                complied: None,
            });
            next.round = current.round.saturating_add(1);
            next.urgent = true;
            next.status = Status::InProgress;
            next.due_at = Some(*due_at);
            next.paused_since = None;
            next.unanswered_calls = 0;
        }
        Action::CheckCompliance { complied } => {
            let Some(order) = current.order.as_ref().filter(|o| o.complied != Some(true)) else {
                return Err(DomainError::precondition(
                    "there is no order awaiting a compliance check",
                ));
            };
            if !*complied && now < order.due_at {
                return Err(DomainError::precondition(
                    "non-compliance can be found only after the order's deadline",
                ));
            }
            payload.insert("order_id".into(), json!(order.id));
            payload.insert("complied".into(), json!(complied));
            let mut order = order.clone();
            order.complied = Some(*complied);
            next.order = Some(order);
            if *complied {
                next.status = Status::Closed;
            } else {
                ctx.to_inspection(&mut next);
            }
        }
        Action::RecordFine {
            amount_rub,
            legal_basis,
        } => {
            let Some(order) = current.order.as_ref().filter(|o| o.complied == Some(false)) else {
                return Err(DomainError::precondition(
                    "a fine is recorded only after an order was not complied with",
                ));
            };
            if *amount_rub == 0 {
                return Err(DomainError::validation("amount_rub", "must be positive"));
            }
            let legal_basis = required_text("legal_basis", legal_basis, SHORT_TEXT)?;
            payload.insert("order_id".into(), json!(order.id));
            payload.insert("amount_rub".into(), json!(amount_rub));
            payload.insert("legal_basis".into(), json!(legal_basis));
        }
        Action::PauseClock { reason } => {
            if current.paused_since.is_some() {
                return Err(DomainError::precondition("the clock is already paused"));
            }
            if current.has_order_in_force() {
                return Err(DomainError::precondition(
                    "an order's deadline cannot be paused",
                ));
            }
            comment = Some(required_text("reason", reason, LONG_TEXT)?);
            next.paused_since = Some(now);
        }
        Action::ResumeClock => {
            let Some(since) = current.paused_since else {
                return Err(DomainError::precondition("the clock is not paused"));
            };
            let paused = (now - since).max(Duration::zero());
            payload.insert("paused_seconds".into(), json!(paused.num_seconds()));
            next.due_at = current.due_at.map(|due| add(due, paused));
            next.paused_since = None;
        }
    }

    if next.status.is_final() {
        next.paused_since = None;
    }
    next.version = current.version.saturating_add(1);
    let event = make_event(
        &next,
        kind.into(),
        actor,
        Some(current.status),
        None,
        now,
        comment,
        payload,
    );
    Ok(Transition {
        complaint: next,
        event,
    })
}

struct Ctx<'a> {
    current: &'a Complaint,
    now: DateTime<Utc>,
    policy: &'a Policy,
    calendar: &'a Calendar,
}

impl Ctx<'_> {
    /// The execution deadline of `round`, counted from now.
    fn execution_due(&self, round: u32) -> DateTime<Utc> {
        self.current
            .category
            .deadline
            .for_round(round, self.policy.repeat_round_fraction)
            .due_from(self.now, self.calendar)
    }

    fn to_inspection(&self, next: &mut Complaint) {
        next.status = Status::UnderInspection;
        next.due_at = Some(self.policy.inspection.due_from(self.now, self.calendar));
        next.paused_since = None;
    }

    /// The result was found unsatisfactory: another round, or the inspection once the complaint
    /// has reached `Policy::escalate_at_round`.
    fn next_round(&self, next: &mut Complaint, payload: &mut Map<String, Value>) {
        if self.current.round >= self.policy.escalate_at_round {
            payload.insert("auto_escalated".into(), json!(true));
            self.to_inspection(next);
        } else {
            next.round = self.current.round.saturating_add(1);
            next.urgent = true;
            next.status = Status::InProgress;
            next.due_at = Some(self.execution_due(next.round));
            next.paused_since = None;
            next.unanswered_calls = 0;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn make_event(
    after: &Complaint,
    kind: EventKind,
    actor: &Actor,
    from: Option<Status>,
    on_behalf_of: Option<String>,
    at: DateTime<Utc>,
    comment: Option<String>,
    mut payload: Map<String, Value>,
) -> Event {
    payload.insert("company_id".into(), json!(after.company_id));
    payload.insert("round".into(), json!(after.round));
    Event {
        complaint_id: after.id,
        kind,
        actor_id: actor.user_id,
        actor_role: actor.role,
        on_behalf_of,
        from,
        to: after.status,
        at,
        comment,
        payload: Value::Object(payload),
    }
}
