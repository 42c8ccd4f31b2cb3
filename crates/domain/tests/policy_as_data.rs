//! The policy as data (issue 15): ranges and loops refused naming the field; every rule fires at
//! most once per threshold.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use chrono::Duration;
use common::{World, at, ordinary};
use domain::{
    Deadline, EscalationEffect, EscalationRule, Policy, PolicySet, RuleDraft, Status,
    check_policy_set, pending_escalations,
};
use proptest::prelude::*;

type PolicyChange = fn(&mut Policy);
type RulesChange = fn(&mut Vec<RuleDraft>);

fn drafts(set: &PolicySet) -> Vec<RuleDraft> {
    set.rules.iter().map(RuleDraft::from_rule).collect()
}

fn errors_of(policy: Policy, rules: &[RuleDraft]) -> Vec<String> {
    check_policy_set(policy, rules)
        .unwrap_err()
        .into_keys()
        .collect()
}

#[test]
fn the_compiled_defaults_pass_their_own_check() {
    let set = PolicySet::defaults();
    assert_eq!(
        check_policy_set(set.policy.clone(), &drafts(&set)).unwrap(),
        set
    );
}

#[test]
fn each_number_out_of_range_is_refused_naming_its_field() {
    let rules = drafts(&PolicySet::defaults());
    let table: Vec<(PolicyChange, &str)> = vec![
        (|p| p.max_unanswered_calls = 0, "max_unanswered_calls"),
        (|p| p.max_unanswered_calls = 11, "max_unanswered_calls"),
        (|p| p.repeat_round_fraction = 0.0, "repeat_round_fraction"),
        (|p| p.repeat_round_fraction = 1.5, "repeat_round_fraction"),
        (
            |p| p.repeat_round_fraction = f64::NAN,
            "repeat_round_fraction",
        ),
        (
            |p| p.verification = Deadline::Hours(0),
            "verification.value",
        ),
        (|p| p.routing = Deadline::WorkingDays(11), "routing.value"),
        (
            |p| p.inspection = Deadline::CalendarDays(91),
            "inspection.value",
        ),
        (
            |p| p.answer_deadline = Deadline::CalendarDays(31),
            "answer_deadline.value",
        ),
        (|p| p.escalate_at_round = 1, "escalate_at_round"),
        (|p| p.scorecard_min_volume = 0, "scorecard_min_volume"),
        (|p| p.scorecard_min_volume = 1001, "scorecard_min_volume"),
        (
            |p| p.reply_wait = Some(Deadline::Hours(169)),
            "reply_wait.value",
        ),
    ];
    for (change, field) in table {
        let mut policy = Policy::default();
        change(&mut policy);
        assert_eq!(errors_of(policy, &rules), [field]);
    }
    let edge = Policy {
        max_unanswered_calls: 10,
        repeat_round_fraction: 1.0,
        scorecard_min_volume: 1000,
        reply_wait: None,
        ..Policy::default()
    };
    assert!(check_policy_set(edge, &rules).is_ok());
}

#[test]
fn malformed_or_looping_rules_are_refused_naming_the_field() {
    let base = drafts(&PolicySet::defaults());
    let table: Vec<(RulesChange, &str)> = vec![
        (|r| r[1].code = r[0].code.clone(), "rules[1].code"),
        (|r| r[2].code = "Bad Code".into(), "rules[2].code"),
        (|r| r[2].overdue_for_hours = None, "rules[2]"),
        (
            |r| r[0].statuses.push("under_inspection".into()),
            "rules[0].statuses",
        ),
        (|r| r[0].statuses.clear(), "rules[0].statuses"),
        (
            |r| r[2].statuses = vec!["sleeping".into()],
            "rules[2].statuses",
        ),
        (
            |r| r[2].statuses = vec!["closed".into()],
            "rules[2].statuses",
        ),
        (|r| r[2].effect = "explode".into(), "rules[2].effect.type"),
        (
            |r| r[2].role = Some("resident".into()),
            "rules[2].effect.role",
        ),
        (|r| r[2].role = None, "rules[2].effect.role"),
        (
            |r| r[0].role = Some("dispatcher".into()),
            "rules[0].effect.role",
        ),
        (|r| r[2].min_round = Some(0), "rules[2].min_round"),
        (
            |r| r[6].statuses = vec!["registered".into()],
            "rules[6].statuses",
        ),
    ];
    for (change, field) in table {
        let mut rules = base.clone();
        change(&mut rules);
        assert_eq!(errors_of(Policy::default(), &rules), [field], "{field}");
    }
}

fn reminder() -> EscalationRule {
    EscalationRule {
        code: "answer_deadline_near".into(),
        statuses: Vec::new(),
        min_round: None,
        overdue_for_hours: None,
        answer_due_within_hours: Some(72),
        min_unanswered_calls: None,
        effect: EscalationEffect::Notify {
            role: domain::Role::Dispatcher,
        },
    }
}

fn late_48() -> EscalationRule {
    EscalationRule {
        code: "late_48".into(),
        statuses: vec![Status::Registered, Status::InProgress],
        overdue_for_hours: Some(48),
        answer_due_within_hours: None,
        ..reminder()
    }
}

proptest! {
    /// Passes of the worker at any increasing times: each (complaint, rule, threshold) fires once,
    /// and a rule that matched fired by the pass after.
    #[test]
    fn no_rule_fires_twice_per_threshold(steps in proptest::collection::vec(1i64..200, 1..30)) {
        let w = World::new();
        let filed = at("2026-03-02T10:00:00+05:00");
        let c = w.file(ordinary(), filed).complaint;
        let rules = [reminder(), late_48()];
        let mut fired = HashSet::new();
        let mut now = filed;
        for hours in steps {
            now += Duration::hours(hours);
            for (key, escalation) in
                pending_escalations(std::slice::from_ref(&c), now, &rules, |k| fired.contains(k))
            {
                prop_assert_eq!(&key.rule, &escalation.rule);
                prop_assert!(fired.insert(key), "fired twice");
            }
            for rule in &rules {
                if rule.matches(&c, now) {
                    prop_assert!(fired.contains(&rule.firing_key(&c)));
                }
            }
        }
        prop_assert!(fired.len() <= rules.len());
    }
}

#[test]
fn a_rule_late_by_48_hours_fires_then_and_not_before() {
    let w = World::new();
    let c = w
        .file(ordinary(), at("2026-03-02T10:00:00+05:00"))
        .complaint;
    let due = c.due_at.unwrap();
    let none = |_: &domain::FiringKey| false;
    let rules = [late_48()];
    let before = pending_escalations(
        std::slice::from_ref(&c),
        due + Duration::hours(47),
        &rules,
        none,
    );
    assert!(before.is_empty());
    let after = pending_escalations(
        std::slice::from_ref(&c),
        due + Duration::hours(48),
        &rules,
        none,
    );
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0.deadline, due);
}
