//! Each escalation rule fires at most once per threshold: per complaint, rule, round and the
//! deadline the rule watches. The worker stores a [`FiringKey`] with a unique key in the
//! transaction of the rule's effect, so that across passes and replicas a rule fires once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Complaint, Escalation, EscalationRule, due_escalations};

/// What makes a firing unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FiringKey {
    pub complaint_id: Uuid,
    /// The rule's code.
    pub rule: String,
    /// The complaint's round when the rule fired.
    pub round: u32,
    /// The deadline the rule watched: the stage deadline (`due_at`) for a rule on overdue
    /// complaints, the 59-ФЗ answer deadline for a rule on it, the registration otherwise. A new
    /// deadline (a new stage, an extension) is a new threshold.
    pub deadline: DateTime<Utc>,
}

impl EscalationRule {
    /// What a flag of this rule tells (see [`crate::FlagReason`]).
    pub fn flag_reason(&self) -> crate::FlagReason {
        if self.overdue_for_hours.is_some() {
            crate::FlagReason::Overdue
        } else if self.answer_due_within_hours.is_some() {
            crate::FlagReason::AnswerDue
        } else {
            crate::FlagReason::Other
        }
    }

    /// The threshold this rule would fire at for `c`.
    pub fn firing_key(&self, c: &Complaint) -> FiringKey {
        let deadline = if self.overdue_for_hours.is_some() {
            c.due_at.unwrap_or(c.registered_at)
        } else if self.answer_due_within_hours.is_some() {
            c.answer_due_at
        } else {
            c.registered_at
        };
        FiringKey {
            complaint_id: c.id,
            rule: self.code.clone(),
            round: c.round,
            deadline,
        }
    }
}

/// The escalations due at `now` that have not fired yet at their threshold (`fired` tells which
/// have), each with its key. Pure: the caller records the key with the effect.
pub fn pending_escalations(
    complaints: &[Complaint],
    now: DateTime<Utc>,
    rules: &[EscalationRule],
    fired: impl Fn(&FiringKey) -> bool,
) -> Vec<(FiringKey, Escalation)> {
    due_escalations(complaints, now, rules)
        .into_iter()
        .filter_map(|escalation| {
            let complaint = complaints
                .iter()
                .find(|c| c.id == escalation.complaint_id)?;
            let rule = rules.iter().find(|r| r.code == escalation.rule)?;
            let key = rule.firing_key(complaint);
            (!fired(&key)).then_some((key, escalation))
        })
        .collect()
}
