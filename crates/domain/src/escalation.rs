//! Overdue detection and data-driven escalation rules.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::complaint::overdue_by;
use crate::lifecycle::allowed_in;
use crate::{Action, ActionKind, Complaint, Policy, Role, Status};

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EscalationEffect {
    /// Send the complaint to the housing inspection ([`Action::SendToInspection`]); produced only
    /// when the status allows it.
    SendToInspection,
    /// Flag it on the control board of a role.
    Notify { role: Role },
    /// Close it as unconfirmed: the person did not answer the calls nor the SMS asking to reply
    /// (an unanswered call recorded by the system).
    CloseUnconfirmed,
}

/// A data-driven escalation rule. All the given conditions must hold; a rule with no condition at
/// all (no `min_round`, `overdue_for_hours` or `answer_due_within_hours`) never matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRule {
    /// Stable identifier, e.g. `"overdue_at_round_3"`.
    pub code: String,
    /// Statuses the rule looks at; empty means every open status.
    #[serde(default)]
    pub statuses: Vec<Status>,
    /// Only complaints in this round or later.
    #[serde(default)]
    pub min_round: Option<u32>,
    /// Only complaints at least this many hours past `due_at` (0: overdue at all).
    #[serde(default)]
    pub overdue_for_hours: Option<u32>,
    /// Only complaints whose 59-ФЗ answer deadline is at most this many hours away (or past).
    #[serde(default)]
    pub answer_due_within_hours: Option<u32>,
    /// Only complaints with at least this many unanswered verification calls.
    #[serde(default)]
    pub min_unanswered_calls: Option<u32>,
    pub effect: EscalationEffect,
}

impl EscalationRule {
    fn has_condition(&self) -> bool {
        self.min_round.is_some()
            || self.overdue_for_hours.is_some()
            || self.answer_due_within_hours.is_some()
            || self.min_unanswered_calls.is_some()
    }

    /// Whether the rule applies to the complaint at `now`.
    pub fn matches(&self, c: &Complaint, now: DateTime<Utc>) -> bool {
        if !self.has_condition() || c.status.is_final() {
            return false;
        }
        if !self.statuses.is_empty() && !self.statuses.contains(&c.status) {
            return false;
        }
        if self.min_round.is_some_and(|min| c.round < min) {
            return false;
        }
        if let Some(hours) = self.overdue_for_hours {
            match overdue_by(c, now) {
                Some(late) if late >= Duration::hours(i64::from(hours)) => {}
                Some(_) | None => return false,
            }
        }
        if let Some(hours) = self.answer_due_within_hours
            && c.answer_due_at - now > Duration::hours(i64::from(hours))
        {
            return false;
        }
        if self
            .min_unanswered_calls
            .is_some_and(|min| c.unanswered_calls < min)
        {
            return false;
        }
        match self.effect {
            EscalationEffect::SendToInspection => {
                allowed_in(ActionKind::SendToInspection, c.status)
            }
            EscalationEffect::CloseUnconfirmed => allowed_in(ActionKind::RecordCall, c.status),
            EscalationEffect::Notify { .. } => true,
        }
    }
}

/// A rule that fired for a complaint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    pub complaint_id: Uuid,
    /// The rule's code.
    pub rule: String,
    pub effect: EscalationEffect,
    /// The action to apply (as [`crate::Actor::system`]) for effects that change the complaint.
    pub action: Option<Action>,
}

/// Every (complaint, rule) pair that fires at `now`, in complaint order then rule order. Pure: the
/// caller applies the actions and shows the notifications. At most one `SendToInspection` per
/// complaint is returned.
pub fn due_escalations(
    complaints: &[Complaint],
    now: DateTime<Utc>,
    rules: &[EscalationRule],
) -> Vec<Escalation> {
    let mut out = Vec::new();
    for c in complaints {
        let mut sent = false;
        for rule in rules.iter().filter(|r| r.matches(c, now)) {
            let action = match &rule.effect {
                EscalationEffect::SendToInspection if sent => continue,
                EscalationEffect::SendToInspection => {
                    sent = true;
                    Some(Action::SendToInspection {
                        reason: format!("automatic escalation: rule {}", rule.code),
                    })
                }
                EscalationEffect::CloseUnconfirmed => Some(Action::RecordCall {
                    outcome: crate::CallOutcome::NoAnswer,
                    comment: Some(format!(
                        "automatic: no reply to the SMS (rule {})",
                        rule.code
                    )),
                }),
                EscalationEffect::Notify { .. } => None,
            };
            out.push(Escalation {
                complaint_id: c.id,
                rule: rule.code.clone(),
                effect: rule.effect.clone(),
                action,
            });
        }
    }
    out
}

/// Default rules: an overdue complaint in round `policy.escalate_at_round` or later goes to the
/// inspection; overdue execution, routing and verification are flagged to the dispatcher, an
/// overdue inspection to the inspector, and a 59-ФЗ answer deadline within 3 days to the dispatcher.
pub fn default_escalation_rules(policy: &Policy) -> Vec<EscalationRule> {
    let rule = |code: &str, statuses: Vec<Status>, effect| EscalationRule {
        code: code.to_owned(),
        statuses,
        min_round: None,
        overdue_for_hours: Some(0),
        answer_due_within_hours: None,
        min_unanswered_calls: None,
        effect,
    };
    let dispatcher = EscalationEffect::Notify {
        role: Role::Dispatcher,
    };
    vec![
        EscalationRule {
            min_round: Some(policy.escalate_at_round),
            ..rule(
                "overdue_repeat_round_to_inspection",
                vec![Status::Registered, Status::InProgress],
                EscalationEffect::SendToInspection,
            )
        },
        rule(
            "execution_overdue",
            vec![Status::Registered, Status::InProgress],
            dispatcher.clone(),
        ),
        rule(
            "routing_overdue",
            vec![Status::NeedsRouting],
            dispatcher.clone(),
        ),
        rule(
            "verification_overdue",
            vec![Status::AwaitingVerification],
            dispatcher.clone(),
        ),
        rule(
            "inspection_overdue",
            vec![Status::UnderInspection],
            EscalationEffect::Notify {
                role: Role::Inspector,
            },
        ),
        EscalationRule {
            overdue_for_hours: None,
            answer_due_within_hours: Some(72),
            ..rule("answer_deadline_near", Vec::new(), dispatcher)
        },
        EscalationRule {
            min_unanswered_calls: Some(policy.max_unanswered_calls.max(1)),
            ..rule(
                "no_reply_to_sms",
                vec![Status::AwaitingVerification],
                EscalationEffect::CloseUnconfirmed,
            )
        },
    ]
}
