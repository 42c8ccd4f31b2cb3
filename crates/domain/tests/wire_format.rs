//! String and JSON forms the persistence and API layers rely on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use domain::{
    Action, ActionKind, AttachmentKind, CallOutcome, EscalationRule, EventKind, OrganisationKind,
    Policy, RejectReason, Role, Scope, Status, default_escalation_rules,
};
use serde_json::json;

/// Every variant (listed by the compiler through `strum::EnumIter`) has one name: `as_str`,
/// `Display`, `FromStr` and serde agree on it, and no two variants share it.
fn round_trips<T>(variants: impl Iterator<Item = T>)
where
    T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + FromStr + serde::Serialize,
    <T as FromStr>::Err: std::fmt::Debug,
    T: Into<&'static str>,
{
    let mut names = std::collections::BTreeSet::new();
    for variant in variants {
        let name: &'static str = variant.into();
        assert_eq!(variant.to_string(), name);
        assert_eq!(T::from_str(name).unwrap(), variant);
        assert_eq!(serde_json::to_value(variant).unwrap(), json!(name));
        assert!(names.insert(name), "two variants are called {name}");
    }
    assert!(!names.is_empty());
}

#[test]
fn enums_round_trip_through_their_strings() {
    round_trips(Role::all());
    round_trips(Status::all());
    round_trips(ActionKind::all());
    round_trips(EventKind::all());
    round_trips(CallOutcome::all());
    round_trips(RejectReason::all());
    round_trips(OrganisationKind::all());
    round_trips(Scope::all());
    round_trips(AttachmentKind::all());
    round_trips(domain::Channel::all());
    round_trips(domain::MessageKind::all());
    round_trips(domain::Language::all());
    for kind in ActionKind::all() {
        assert_eq!(EventKind::from(kind).as_str(), kind.as_str());
    }
    let err = Role::from_str("superuser").unwrap_err();
    assert_eq!(err.to_string(), "unknown role `superuser`");
    assert_eq!(Status::all().filter(|s| s.is_final()).count(), 4);
}

#[test]
fn actions_are_tagged_by_type() {
    let action: Action = serde_json::from_value(json!({
        "type": "record_call", "outcome": "no_answer", "comment": null
    }))
    .unwrap();
    assert_eq!(
        action,
        Action::RecordCall {
            outcome: CallOutcome::NoAnswer,
            comment: None
        }
    );
    assert_eq!(
        serde_json::to_value(Action::Withdraw).unwrap(),
        json!({"type": "withdraw"})
    );
    assert_eq!(action.kind(), ActionKind::RecordCall);
}

#[test]
fn policy_and_rules_are_data() {
    let policy: Policy = serde_json::from_value(json!({"max_unanswered_calls": 5})).unwrap();
    assert_eq!(policy.max_unanswered_calls, 5);
    assert_eq!(
        policy.escalate_at_round,
        Policy::default().escalate_at_round
    );

    let rules = default_escalation_rules(&Policy::default());
    let json = serde_json::to_string(&rules).unwrap();
    let back: Vec<EscalationRule> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rules);
    let rule: EscalationRule = serde_json::from_value(json!({
        "code": "late_emergency",
        "overdue_for_hours": 1,
        "effect": {"type": "notify", "role": "inspector"}
    }))
    .unwrap();
    assert!(rule.statuses.is_empty());
}
