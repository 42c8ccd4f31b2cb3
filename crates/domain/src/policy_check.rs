//! The policy as data (issue 15): a [`PolicySet`] (the numbers of [`Policy`] and the escalation
//! rules) is checked here before it is stored. Every value has a sane range, and a rule set that
//! is malformed or would loop is refused, each error naming its field (`rules[2].statuses`).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::lifecycle::allowed_in;
use crate::{
    ActionKind, Deadline, EscalationEffect, EscalationRule, Policy, Role, Status,
    default_escalation_rules,
};

/// Most rules a policy may have.
pub const MAX_RULES: usize = 50;
/// Longest rule code.
pub const MAX_RULE_CODE: usize = 64;

/// The lifecycle numbers and the escalation rules, as one versioned whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicySet {
    pub policy: Policy,
    pub rules: Vec<EscalationRule>,
}

impl PolicySet {
    /// The compiled defaults: version 1 of an empty database.
    pub fn defaults() -> Self {
        let policy = Policy::default();
        let rules = default_escalation_rules(&policy);
        PolicySet { policy, rules }
    }
}

/// A rule as the administrator wrote it: statuses, effect and role are still text, so that an
/// unknown one is refused naming its field.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDraft {
    pub code: String,
    pub statuses: Vec<String>,
    pub min_round: Option<u32>,
    pub overdue_for_hours: Option<u32>,
    pub answer_due_within_hours: Option<u32>,
    pub min_unanswered_calls: Option<u32>,
    /// `send_to_inspection`, `notify` or `close_unconfirmed`.
    pub effect: String,
    /// The role a `notify` effect flags.
    pub role: Option<String>,
}

/// Field → messages, for a 422.
pub type PolicyErrors = BTreeMap<String, Vec<String>>;

fn push(errors: &mut PolicyErrors, field: impl Into<String>, message: impl Into<String>) {
    errors.entry(field.into()).or_default().push(message.into());
}

fn in_range(errors: &mut PolicyErrors, field: &str, value: u32, min: u32, max: u32) {
    if !(min..=max).contains(&value) {
        push(errors, field, format!("must be {min} to {max}"));
    }
}

/// Limits of a deadline per unit: (hours, working days, calendar days).
fn check_deadline(errors: &mut PolicyErrors, field: &str, d: Deadline, max: (u32, u32, u32)) {
    let (value, limit) = match d {
        Deadline::Minutes(v) => (v, max.0.saturating_mul(60)),
        Deadline::Hours(v) => (v, max.0),
        Deadline::WorkingDays(v) => (v, max.1),
        Deadline::CalendarDays(v) => (v, max.2),
    };
    in_range(errors, &format!("{field}.value"), value, 1, limit);
}

/// Checks the numbers of a policy.
pub fn check_policy(p: &Policy, errors: &mut PolicyErrors) {
    in_range(
        errors,
        "max_unanswered_calls",
        p.max_unanswered_calls,
        1,
        10,
    );
    let f = p.repeat_round_fraction;
    if !(f.is_finite() && f > 0.0 && f <= 1.0) {
        push(
            errors,
            "repeat_round_fraction",
            "must be more than 0 and at most 1",
        );
    }
    check_deadline(errors, "verification", p.verification, (720, 30, 45));
    check_deadline(errors, "routing", p.routing, (240, 10, 14));
    check_deadline(errors, "inspection", p.inspection, (2160, 60, 90));
    // 59-ФЗ ст. 12: 30 days at most.
    check_deadline(errors, "answer_deadline", p.answer_deadline, (720, 20, 30));
    in_range(errors, "escalate_at_round", p.escalate_at_round, 2, 10);
    in_range(
        errors,
        "scorecard_min_volume",
        p.scorecard_min_volume,
        1,
        1000,
    );
    if let Some(wait) = p.reply_wait {
        check_deadline(errors, "reply_wait", wait, (168, 5, 7));
    }
}

fn parse_effect(
    errors: &mut PolicyErrors,
    at: &str,
    effect: &str,
    role: Option<&str>,
) -> Option<EscalationEffect> {
    let parsed = match effect {
        "send_to_inspection" => Some(EscalationEffect::SendToInspection),
        "close_unconfirmed" => Some(EscalationEffect::CloseUnconfirmed),
        "notify" => match role.map(str::parse::<Role>) {
            Some(Ok(role @ (Role::Dispatcher | Role::Inspector | Role::Admin))) => {
                Some(EscalationEffect::Notify { role })
            }
            Some(_) => {
                push(
                    errors,
                    format!("{at}.effect.role"),
                    "must be dispatcher, inspector or admin",
                );
                None
            }
            None => {
                push(
                    errors,
                    format!("{at}.effect.role"),
                    "a notify effect needs a role",
                );
                None
            }
        },
        other => {
            push(
                errors,
                format!("{at}.effect.type"),
                format!("unknown effect {other:?}"),
            );
            return None;
        }
    };
    if role.is_some() && !matches!(parsed, Some(EscalationEffect::Notify { .. }) | None) {
        push(
            errors,
            format!("{at}.effect.role"),
            "only a notify effect has a role",
        );
    }
    parsed
}

/// What a state-changing effect does: the action it applies and the status it leads to at worst
/// (an order in force sends the last unanswered call to the inspection).
fn effect_action(effect: &EscalationEffect) -> Option<(ActionKind, &'static [Status])> {
    match effect {
        EscalationEffect::SendToInspection => {
            Some((ActionKind::SendToInspection, &[Status::UnderInspection]))
        }
        EscalationEffect::CloseUnconfirmed => Some((
            ActionKind::RecordCall,
            &[Status::ClosedUnconfirmed, Status::UnderInspection],
        )),
        EscalationEffect::Notify { .. } => None,
    }
}

fn check_rule(errors: &mut PolicyErrors, at: &str, d: &RuleDraft) -> Option<EscalationRule> {
    let before = errors.len();
    let code_ok = !d.code.is_empty()
        && d.code.chars().count() <= MAX_RULE_CODE
        && d.code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !code_ok {
        push(
            errors,
            format!("{at}.code"),
            format!("1 to {MAX_RULE_CODE} of a-z, 0-9 and _"),
        );
    }
    let mut statuses = Vec::new();
    for name in &d.statuses {
        match name.parse::<Status>() {
            Ok(s) if s.is_final() => push(
                errors,
                format!("{at}.statuses"),
                format!("{name} is final: nothing escalates there"),
            ),
            Ok(s) if statuses.contains(&s) => {
                push(errors, format!("{at}.statuses"), format!("{name} twice"))
            }
            Ok(s) => statuses.push(s),
            Err(_) => push(
                errors,
                format!("{at}.statuses"),
                format!("unknown status {name:?}"),
            ),
        }
    }
    let limits = [
        ("min_round", d.min_round, 1, 20),
        ("overdue_for_hours", d.overdue_for_hours, 0, 8760),
        (
            "answer_due_within_hours",
            d.answer_due_within_hours,
            0,
            2160,
        ),
        ("min_unanswered_calls", d.min_unanswered_calls, 1, 10),
    ];
    for (name, value, min, max) in limits {
        if let Some(v) = value {
            in_range(errors, &format!("{at}.{name}"), v, min, max);
        }
    }
    if limits.iter().all(|(_, value, _, _)| value.is_none()) {
        push(
            errors,
            at.to_owned(),
            "a rule needs at least one condition (min_round, overdue_for_hours, \
             answer_due_within_hours or min_unanswered_calls)",
        );
    }
    let effect = parse_effect(errors, at, &d.effect, d.role.as_deref());
    if let Some((kind, results)) = effect.as_ref().and_then(effect_action) {
        if d.statuses.is_empty() {
            push(
                errors,
                format!("{at}.statuses"),
                "a rule that changes the complaint must name the statuses it watches",
            );
        }
        for s in &statuses {
            if results.contains(s) {
                push(
                    errors,
                    format!("{at}.statuses"),
                    format!("the effect leads to {s}, which the rule watches: it would loop"),
                );
            } else if !allowed_in(kind, *s) {
                push(
                    errors,
                    format!("{at}.statuses"),
                    format!("the effect is not possible in {s}"),
                );
            }
        }
    }
    let effect = effect?;
    (errors.len() == before).then(|| EscalationRule {
        code: d.code.clone(),
        statuses,
        min_round: d.min_round,
        overdue_for_hours: d.overdue_for_hours,
        answer_due_within_hours: d.answer_due_within_hours,
        min_unanswered_calls: d.min_unanswered_calls,
        effect,
    })
}

/// Checks a whole policy; nothing of it may be stored unless this returns `Ok`.
pub fn check_policy_set(policy: Policy, rules: &[RuleDraft]) -> Result<PolicySet, PolicyErrors> {
    let mut errors = PolicyErrors::new();
    check_policy(&policy, &mut errors);
    if rules.len() > MAX_RULES {
        push(&mut errors, "rules", format!("at most {MAX_RULES} rules"));
    }
    let mut codes = HashSet::new();
    let mut checked = Vec::new();
    for (i, draft) in rules.iter().enumerate() {
        let at = format!("rules[{i}]");
        if !codes.insert(draft.code.as_str()) {
            push(
                &mut errors,
                format!("{at}.code"),
                format!("duplicate code {:?}", draft.code),
            );
        }
        if let Some(rule) = check_rule(&mut errors, &at, draft) {
            checked.push(rule);
        }
    }
    if errors.is_empty() {
        Ok(PolicySet {
            policy,
            rules: checked,
        })
    } else {
        Err(errors)
    }
}

impl RuleDraft {
    /// A stored rule as a draft (to edit it, or to check it again).
    pub fn from_rule(rule: &EscalationRule) -> Self {
        let (effect, role) = match rule.effect {
            EscalationEffect::SendToInspection => ("send_to_inspection", None),
            EscalationEffect::CloseUnconfirmed => ("close_unconfirmed", None),
            EscalationEffect::Notify { role } => ("notify", Some(role.as_str().to_owned())),
        };
        RuleDraft {
            code: rule.code.clone(),
            statuses: rule
                .statuses
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            min_round: rule.min_round,
            overdue_for_hours: rule.overdue_for_hours,
            answer_due_within_hours: rule.answer_due_within_hours,
            min_unanswered_calls: rule.min_unanswered_calls,
            effect: effect.to_owned(),
            role,
        }
    }
}
