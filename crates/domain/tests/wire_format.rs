//! String and JSON forms the persistence and API layers rely on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use domain::{
    Action, ActionKind, CallOutcome, EscalationRule, EventKind, Policy, RejectReason, Role, Status,
    default_escalation_rules,
};
use serde_json::json;

#[test]
fn enums_round_trip_through_their_strings() {
    for role in Role::ALL {
        assert_eq!(Role::from_str(role.as_str()).unwrap(), role);
        assert_eq!(serde_json::to_value(role).unwrap(), json!(role.as_str()));
    }
    for status in Status::ALL {
        assert_eq!(Status::from_str(status.as_str()).unwrap(), status);
        assert_eq!(
            serde_json::to_value(status).unwrap(),
            json!(status.as_str())
        );
    }
    for kind in ActionKind::ALL {
        assert_eq!(ActionKind::from_str(kind.as_str()).unwrap(), kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.as_str()));
        assert_eq!(EventKind::from(kind).as_str(), kind.as_str());
    }
    for kind in EventKind::ALL {
        assert_eq!(EventKind::from_str(kind.as_str()).unwrap(), kind);
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.as_str()));
    }
    for outcome in CallOutcome::ALL {
        assert_eq!(CallOutcome::from_str(outcome.as_str()).unwrap(), outcome);
    }
    for reason in RejectReason::ALL {
        assert_eq!(RejectReason::from_str(reason.as_str()).unwrap(), reason);
    }
    let err = Role::from_str("superuser").unwrap_err();
    assert_eq!(err.to_string(), "unknown role `superuser`");
    assert_eq!(Status::ALL.iter().filter(|s| s.is_final()).count(), 4);
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
