//! [`apply`]: every change to a filed complaint.

use chrono::{DateTime, Duration, Utc};

use super::{LONG_TEXT, SHORT_TEXT, allowed_in, state_allows};
use crate::access::can_view;
use crate::complaint::is_overdue;
use crate::deadline::{add, category_due};
use crate::error::{optional_text, required_text};
use crate::event::Change;
use crate::{
    Action, Actor, Calendar, CallOutcome, CategoryChoice, ClockKind, Complaint, DomainError, Event,
    EventDetails, LinkRefusal, Order, Policy, RejectReason, Status, Transition,
    clocks_for_category,
};

/// The longest extension of the 59-ФЗ answer deadline: 30 days (59-ФЗ ст. 12 ч. 2).
pub const MAX_ANSWER_EXTENSION_DAYS: u32 = 30;

/// Applies one action to a complaint: the single decision point of the lifecycle.
///
/// Checks, in order: the role may perform the kind at all ([`DomainError::Forbidden`]); the
/// complaint is the actor's own — residents by `author_id`, companies by `company_id`
/// ([`DomainError::NotOwner`]); the status allows it ([`DomainError::InvalidTransition`]); the
/// rest of the state allows it ([`DomainError::Precondition`], the same rule that
/// [`crate::allowed_actions`] applies); the input ([`DomainError::Validation`]).
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
    actor.require_acting_scope()?;
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
    state_allows(kind, current)?;

    let mut next = current.clone();
    let ctx = Ctx {
        current,
        now,
        policy,
        calendar,
    };

    let (details, comment) = match action {
        Action::Accept => {
            next.status = Status::InProgress;
            (EventDetails::Accept {}, None)
        }
        Action::AssignExecutor { executor } => {
            let executor = required_text("executor", executor, SHORT_TEXT)?;
            next.executor = Some(executor.clone());
            next.status = Status::InProgress;
            (EventDetails::AssignExecutor { executor }, None)
        }
        Action::ReportDone { note } => {
            let note = required_text("note", note, LONG_TEXT)?;
            next.status = Status::AwaitingVerification;
            next.due_at = Some(policy.verification.due_from(now, calendar));
            next.paused_since = None;
            next.unanswered_calls = 0;
            let details = EventDetails::ReportDone {
                execution_due_at: current.due_at,
                on_time: !is_overdue(current, now),
            };
            (details, Some(note))
        }
        Action::NotOurBuilding { reason } => {
            let reason = required_text("reason", reason, LONG_TEXT)?;
            next.status = Status::NeedsRouting;
            next.company_id = None;
            next.executor = None;
            next.due_at = Some(policy.routing.due_from(now, calendar));
            next.paused_since = None;
            let details = EventDetails::NotOurBuilding {
                declined_by: current.company_id,
            };
            (details, Some(reason))
        }
        Action::Reroute { company_id } => {
            if current.company_id == Some(*company_id) {
                return Err(DomainError::validation(
                    "company_id",
                    "the complaint is already routed to this company",
                ));
            }
            next.status = Status::Registered;
            next.company_id = Some(*company_id);
            next.executor = None;
            next.due_at = Some(ctx.execution_due(current.round));
            next.paused_since = None;
            let details = EventDetails::Reroute {
                from_company_id: current.company_id,
                to_company_id: Some(*company_id),
                management_change: false,
            };
            (details, None)
        }
        Action::RecordCall { outcome, comment } => {
            let comment = optional_text("comment", comment.as_deref(), LONG_TEXT)?;
            let mut attempt = None;
            let mut auto_escalated = false;
            let mut reply_requested = false;
            let mut compliance_check = false;
            match outcome {
                CallOutcome::Satisfied => compliance_check = ctx.close(&mut next, Status::Closed),
                CallOutcome::Unsatisfied => {
                    (auto_escalated, compliance_check) = ctx.next_round(&mut next);
                }
                CallOutcome::NotDone => ctx.to_inspection(&mut next),
                CallOutcome::NoAnswer => {
                    next.unanswered_calls = current.unanswered_calls.saturating_add(1);
                    attempt = Some(next.unanswered_calls);
                    let last = policy.max_unanswered_calls.max(1);
                    match policy.reply_wait {
                        // The last call: the person is asked by SMS, and gets time to answer.
                        Some(wait) if next.unanswered_calls == last => {
                            reply_requested = true;
                            next.due_at = Some(wait.due_from(now, calendar));
                        }
                        Some(_) | None if next.unanswered_calls >= last => {
                            compliance_check = ctx.close(&mut next, Status::ClosedUnconfirmed);
                        }
                        Some(_) | None => {}
                    }
                }
            }
            let details = EventDetails::RecordCall {
                outcome: *outcome,
                attempt,
                auto_escalated,
                reply_requested,
                compliance_check,
            };
            (details, comment)
        }
        Action::ResidentAnswer { satisfied, comment } => {
            let comment = optional_text("comment", comment.as_deref(), LONG_TEXT)?;
            let (auto_escalated, compliance_check) = if *satisfied {
                (false, ctx.close(&mut next, Status::Closed))
            } else {
                ctx.next_round(&mut next)
            };
            let details = EventDetails::ResidentAnswer {
                satisfied: *satisfied,
                auto_escalated,
                compliance_check,
            };
            (details, comment)
        }
        Action::SendToInspection { reason } => {
            let reason = required_text("reason", reason, LONG_TEXT)?;
            ctx.to_inspection(&mut next);
            (EventDetails::SendToInspection {}, Some(reason))
        }
        Action::Reject {
            reason,
            comment,
            duplicate_of,
        } => {
            let comment = match reason {
                RejectReason::Other => Some(required_text("comment", comment, LONG_TEXT)?),
                RejectReason::Duplicate | RejectReason::NotHousingMatter => {
                    optional_text("comment", Some(comment.as_str()), LONG_TEXT)?
                }
            };
            match (reason, duplicate_of) {
                (RejectReason::Duplicate, None) => {
                    return Err(DomainError::validation(
                        "duplicate_of",
                        "a duplicate names its original (its number or id)",
                    ));
                }
                (RejectReason::Duplicate, Some(original)) if *original == current.id => {
                    return Err(DomainError::LinkRefused(LinkRefusal::LinkToItself));
                }
                (RejectReason::NotHousingMatter | RejectReason::Other, Some(_)) => {
                    return Err(DomainError::validation(
                        "duplicate_of",
                        "only a duplicate names an original",
                    ));
                }
                (RejectReason::Duplicate, Some(_))
                | (RejectReason::NotHousingMatter | RejectReason::Other, None) => {}
            }
            next.status = Status::Rejected;
            let details = EventDetails::Reject {
                reason: *reason,
                duplicate_of: *duplicate_of,
            };
            (details, comment)
        }
        Action::Withdraw => {
            next.status = Status::Withdrawn;
            (EventDetails::Withdraw {}, None)
        }
        Action::RecordFindings {
            violation,
            findings,
        } => {
            let findings = required_text("findings", findings, LONG_TEXT)?;
            // A violation keeps the complaint with the inspection, which then fines it at once
            // or issues an order. No violation closes it: the inspection's act is the city's
            // verification.
            next.violation_found = *violation;
            if !*violation {
                next.status = Status::Closed;
            }
            let details = EventDetails::RecordFindings {
                violation: *violation,
            };
            (details, Some(findings))
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
            next.order = Some(Order {
                id: *order_id,
                due_at: *due_at,
                text: text.clone(),
                complied: None,
            });
            next.round = current.round.saturating_add(1);
            next.urgent = true;
            next.status = Status::InProgress;
            next.due_at = Some(*due_at);
            next.paused_since = None;
            next.unanswered_calls = 0;
            let details = EventDetails::IssueOrder {
                order_id: *order_id,
                order_due_at: *due_at,
            };
            (details, Some(text))
        }
        Action::CheckCompliance { complied } => {
            let Some(order) = current.order.as_ref() else {
                return Err(DomainError::precondition(
                    "there is no order awaiting a compliance check",
                ));
            };
            if !*complied && now < order.due_at {
                return Err(DomainError::precondition(
                    "non-compliance can be found only after the order's deadline",
                ));
            }
            next.order = Some(Order {
                complied: Some(*complied),
                ..order.clone()
            });
            if *complied {
                next.status = Status::Closed;
            } else {
                ctx.to_inspection(&mut next);
            }
            let details = EventDetails::CheckCompliance {
                order_id: order.id,
                complied: *complied,
            };
            (details, None)
        }
        Action::RecordFine {
            article,
            offender,
            amount_rub,
        } => {
            article.check_amount(*offender, *amount_rub)?;
            // After a non-compliance the fine is for the order; otherwise for what was found.
            let order_id = current
                .order
                .as_ref()
                .filter(|o| o.complied == Some(false))
                .map(|o| o.id);
            let details = EventDetails::RecordFine {
                order_id,
                amount_rub: *amount_rub,
                legal_basis: article.citation(),
                article: Some(article.code.clone()),
                offender: Some(*offender),
            };
            (details, None)
        }
        Action::PauseClock { reason } => {
            let reason = required_text("reason", reason, LONG_TEXT)?;
            next.paused_since = Some(now);
            (EventDetails::PauseClock {}, Some(reason))
        }
        Action::ResumeClock => {
            let Some(since) = current.paused_since else {
                return Err(DomainError::precondition("the clock is not paused"));
            };
            let paused = (now - since).max(Duration::zero());
            next.due_at = current.due_at.map(|due| add(due, paused));
            next.paused_since = None;
            let details = EventDetails::ResumeClock {
                paused_seconds: paused.num_seconds(),
            };
            (details, None)
        }
        Action::ExtendAnswer { days, reason } => {
            let reason = required_text("reason", reason, LONG_TEXT)?;
            if !(1..=MAX_ANSWER_EXTENSION_DAYS).contains(days) {
                return Err(DomainError::validation(
                    "days",
                    format!("59-ФЗ allows 1 to {MAX_ANSWER_EXTENSION_DAYS} days"),
                ));
            }
            let answer_due_at = current.answer_due_at + Duration::days(i64::from(*days));
            next.answer_due_at = answer_due_at;
            next.answer_extended = true;
            let details = EventDetails::ExtendAnswer {
                answer_due_at,
                extended_by_days: *days,
            };
            (details, Some(reason))
        }
        Action::Recategorise { category, reason } => {
            let reason = required_text("reason", reason, LONG_TEXT)?;
            let category = match category {
                CategoryChoice::Active(category) => category,
                CategoryChoice::Unknown => {
                    return Err(DomainError::validation("category_id", "no such category"));
                }
                CategoryChoice::Inactive(_) => {
                    return Err(DomainError::validation(
                        "category_id",
                        "the category is no longer in use",
                    ));
                }
            };
            if category.id == current.category.id {
                return Err(DomainError::validation(
                    "category_id",
                    "the complaint is already in this category",
                ));
            }
            next.category = category.clone();
            // Emergencies are urgent, and so is every round after the first.
            next.urgent = category.emergency || current.round > 1;
            if ctx.in_execution() {
                next.due_at = Some(category_due(category, current.round, now, policy, calendar));
                // A paused clock stays paused: the new deadline starts to run on resume.
                if current.paused_since.is_some() {
                    next.paused_since = Some(now);
                }
            }
            let details = EventDetails::Recategorise {
                from_category_id: current.category.id,
                from_category: current.category.code.clone(),
                to_category_id: category.id,
                to_category: category.code.clone(),
                due_at: next.due_at,
            };
            (details, Some(reason))
        }
    };

    if next.status.is_final() {
        next.paused_since = None;
    }
    next.version = current.version.saturating_add(1);
    let change = Change {
        actor: actor.principal,
        actor_role: actor.role,
        from: Some(current.status),
        at: now,
        comment,
    };
    let event = Event::of(&next, change, details);
    // A new category starts its own clocks (the fix clock due when the recomputed deadline is).
    let started_clocks = if next.category.id == current.category.id {
        Vec::new()
    } else {
        clocks_for_category(&next.category, next.round, now, calendar)
            .into_iter()
            .map(|mut clock| {
                if clock.kind == ClockKind::Fix
                    && let Some(due) = next.due_at.filter(|_| ctx.in_execution())
                {
                    clock.due_at = due;
                }
                clock
            })
            .collect()
    };
    Ok(Transition {
        complaint: next,
        event,
        started_clocks,
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
        category_due(
            &self.current.category,
            round,
            self.now,
            self.policy,
            self.calendar,
        )
    }

    /// The current stage runs on the category's clock: the company is executing, and no order
    /// (whose deadline the inspection set) is in force. Routing, verification and the inspection
    /// run on the policy's clocks, which a category does not change.
    fn in_execution(&self) -> bool {
        matches!(self.current.status, Status::Registered | Status::InProgress)
            && !self.current.has_order_in_force()
    }

    /// To the inspection, for a new visit: what an earlier visit found is not carried over.
    fn to_inspection(&self, next: &mut Complaint) {
        next.status = Status::UnderInspection;
        next.due_at = Some(self.policy.inspection.due_from(self.now, self.calendar));
        next.paused_since = None;
        next.violation_found = false;
    }

    /// Closes as `status`, unless an order is in force: then only the inspection's compliance
    /// check may close it, and it goes there (`true`).
    fn close(&self, next: &mut Complaint, status: Status) -> bool {
        if self.current.has_order_in_force() {
            self.to_inspection(next);
            true
        } else {
            next.status = status;
            false
        }
    }

    /// The result was found unsatisfactory: another round, or the inspection once the complaint
    /// has reached `Policy::escalate_at_round` (then `(true, _)`: escalated automatically) or an
    /// order is in force (then `(_, true)`: the inspection checks compliance).
    fn next_round(&self, next: &mut Complaint) -> (bool, bool) {
        if self.current.has_order_in_force() {
            self.to_inspection(next);
            (false, true)
        } else if self.current.round >= self.policy.escalate_at_round {
            self.to_inspection(next);
            (true, false)
        } else {
            next.round = self.current.round.saturating_add(1);
            next.urgent = true;
            next.status = Status::InProgress;
            next.due_at = Some(self.execution_due(next.round));
            next.paused_since = None;
            next.unanswered_calls = 0;
            (false, false)
        }
    }
}
