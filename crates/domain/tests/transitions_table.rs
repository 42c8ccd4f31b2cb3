//! Every (status, action, role) combination: the allowed ones reach exactly the expected status,
//! every other one fails with the right typed error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::samples::{fixture, kind_prefix, samples};
use common::{World, at};
use domain::{ActionKind, DomainError, Role, Status, kinds_allowed_in};

use Status as S;

/// The lifecycle as a table: (from, sample, role, to). Everything not listed must fail.
const ALLOWED: &[(Status, &str, Role, Status)] = &[
    (S::Registered, "accept", Role::Company, S::InProgress),
    (
        S::Registered,
        "assign_executor",
        Role::Company,
        S::InProgress,
    ),
    (
        S::Registered,
        "not_our_building",
        Role::Company,
        S::NeedsRouting,
    ),
    (S::Registered, "pause", Role::Company, S::Registered),
    (S::Registered, "resume", Role::Company, S::Registered),
    (S::Registered, "reroute", Role::Dispatcher, S::Registered),
    (
        S::Registered,
        "send_to_inspection",
        Role::Dispatcher,
        S::UnderInspection,
    ),
    (S::Registered, "reject", Role::Dispatcher, S::Rejected),
    (S::Registered, "withdraw", Role::Resident, S::Withdrawn),
    (
        S::InProgress,
        "assign_executor",
        Role::Company,
        S::InProgress,
    ),
    (
        S::InProgress,
        "report_done",
        Role::Company,
        S::AwaitingVerification,
    ),
    (
        S::InProgress,
        "not_our_building",
        Role::Company,
        S::NeedsRouting,
    ),
    (S::InProgress, "pause", Role::Company, S::InProgress),
    (S::InProgress, "resume", Role::Company, S::InProgress),
    (S::InProgress, "reroute", Role::Dispatcher, S::Registered),
    (
        S::InProgress,
        "send_to_inspection",
        Role::Dispatcher,
        S::UnderInspection,
    ),
    (S::InProgress, "compliance_yes", Role::Inspector, S::Closed),
    (
        S::InProgress,
        "compliance_no",
        Role::Inspector,
        S::UnderInspection,
    ),
    (S::InProgress, "reject", Role::Dispatcher, S::Rejected),
    (S::InProgress, "withdraw", Role::Resident, S::Withdrawn),
    (
        S::AwaitingVerification,
        "call_satisfied",
        Role::Dispatcher,
        S::Closed,
    ),
    (
        S::AwaitingVerification,
        "call_unsatisfied",
        Role::Dispatcher,
        S::InProgress,
    ),
    (
        S::AwaitingVerification,
        "call_not_done",
        Role::Dispatcher,
        S::UnderInspection,
    ),
    (
        S::AwaitingVerification,
        "call_no_answer",
        Role::Dispatcher,
        S::AwaitingVerification,
    ),
    (
        S::AwaitingVerification,
        "answer_yes",
        Role::Resident,
        S::Closed,
    ),
    (
        S::AwaitingVerification,
        "answer_no",
        Role::Resident,
        S::InProgress,
    ),
    (
        S::AwaitingVerification,
        "send_to_inspection",
        Role::Dispatcher,
        S::UnderInspection,
    ),
    (
        S::AwaitingVerification,
        "compliance_yes",
        Role::Inspector,
        S::Closed,
    ),
    (
        S::AwaitingVerification,
        "compliance_no",
        Role::Inspector,
        S::UnderInspection,
    ),
    (
        S::AwaitingVerification,
        "reject",
        Role::Dispatcher,
        S::Rejected,
    ),
    (
        S::AwaitingVerification,
        "withdraw",
        Role::Resident,
        S::Withdrawn,
    ),
    (S::NeedsRouting, "reroute", Role::Dispatcher, S::Registered),
    (S::NeedsRouting, "reject", Role::Dispatcher, S::Rejected),
    (S::NeedsRouting, "withdraw", Role::Resident, S::Withdrawn),
    (
        S::UnderInspection,
        "findings_violation",
        Role::Inspector,
        S::UnderInspection,
    ),
    (
        S::UnderInspection,
        "findings_none",
        Role::Inspector,
        S::Closed,
    ),
    (
        S::UnderInspection,
        "issue_order",
        Role::Inspector,
        S::InProgress,
    ),
    (
        S::UnderInspection,
        "compliance_yes",
        Role::Inspector,
        S::Closed,
    ),
    (
        S::UnderInspection,
        "compliance_no",
        Role::Inspector,
        S::UnderInspection,
    ),
    (
        S::UnderInspection,
        "record_fine",
        Role::Inspector,
        S::UnderInspection,
    ),
    (S::UnderInspection, "reject", Role::Dispatcher, S::Rejected),
    (S::UnderInspection, "withdraw", Role::Resident, S::Withdrawn),
    // The 59-ФЗ extension: any open status, the status unchanged.
    (
        S::Registered,
        "extend_answer",
        Role::Dispatcher,
        S::Registered,
    ),
    (
        S::InProgress,
        "extend_answer",
        Role::Dispatcher,
        S::InProgress,
    ),
    (
        S::AwaitingVerification,
        "extend_answer",
        Role::Dispatcher,
        S::AwaitingVerification,
    ),
    (
        S::NeedsRouting,
        "extend_answer",
        Role::Dispatcher,
        S::NeedsRouting,
    ),
    (
        S::UnderInspection,
        "extend_answer",
        Role::Dispatcher,
        S::UnderInspection,
    ),
    // A recategorisation: any open status, the status unchanged.
    (
        S::Registered,
        "recategorise",
        Role::Dispatcher,
        S::Registered,
    ),
    (
        S::InProgress,
        "recategorise",
        Role::Dispatcher,
        S::InProgress,
    ),
    (
        S::AwaitingVerification,
        "recategorise",
        Role::Dispatcher,
        S::AwaitingVerification,
    ),
    (
        S::NeedsRouting,
        "recategorise",
        Role::Dispatcher,
        S::NeedsRouting,
    ),
    (
        S::UnderInspection,
        "recategorise",
        Role::Dispatcher,
        S::UnderInspection,
    ),
];

#[test]
fn every_status_action_role_combination() {
    let world = World::new();
    let now = at("2026-03-04T12:00:00+05:00");
    let samples = samples(&world, now);

    let kinds: BTreeSet<ActionKind> = samples.iter().map(|(_, a)| a.kind()).collect();
    assert_eq!(
        kinds,
        ActionKind::all().collect(),
        "every kind has a sample"
    );

    let mut checked = 0;
    let mut allowed = 0;
    for status in Status::all() {
        for (label, action) in &samples {
            let kind = action.kind();
            for role in Role::all() {
                let complaint = fixture(&world, status, kind, now);
                let actor = world.actor(role);
                let result = world.apply(&complaint, action.clone(), actor, now);
                let expected = ALLOWED
                    .iter()
                    .find(|(s, l, r, _)| *s == status && l == label && *r == role)
                    .map(|row| row.3);
                let case = format!("{status} × {label} × {role}");
                checked += 1;
                match (expected, result) {
                    (Some(to), Ok(t)) => {
                        allowed += 1;
                        assert_eq!(t.complaint.status, to, "{case}");
                        assert_eq!(t.complaint.version, complaint.version + 1, "{case}");
                        assert_eq!(t.event.from, Some(status), "{case}");
                        assert_eq!(t.event.to, to, "{case}");
                        assert_eq!(t.event.kind(), kind.into(), "{case}");
                        assert_eq!(t.event.actor, actor.principal, "{case}");
                        assert_eq!(t.event.actor_role, role, "{case}");
                        assert_eq!(t.event.at, now, "{case}");
                        assert!(t.complaint.round >= complaint.round, "{case}");
                    }
                    (Some(_), Err(e)) => panic!("{case}: expected success, got {e}"),
                    (None, Ok(t)) => {
                        panic!("{case}: expected an error, reached {}", t.complaint.status)
                    }
                    (None, Err(e)) => {
                        let want = if kind.role() != role {
                            DomainError::Forbidden {
                                role,
                                operation: kind.as_str(),
                            }
                        } else if role == Role::Company && complaint.company_id.is_none() {
                            DomainError::NotOwner {
                                role,
                                operation: kind.as_str(),
                            }
                        } else {
                            DomainError::InvalidTransition {
                                from: status,
                                action: kind,
                            }
                        };
                        assert_eq!(e, want, "{case}");
                    }
                }
            }
        }
    }
    assert_eq!(
        checked,
        Status::all().count() * samples.len() * Role::all().count()
    );
    assert_eq!(
        allowed,
        ALLOWED.len(),
        "every row of the table was exercised"
    );
}

#[test]
fn table_agrees_with_kinds_allowed_in() {
    let world = World::new();
    let now = at("2026-03-04T12:00:00+05:00");
    let samples = samples(&world, now);
    for status in Status::all() {
        let from_table: BTreeSet<ActionKind> = ALLOWED
            .iter()
            .filter(|row| row.0 == status)
            .map(|row| {
                samples
                    .iter()
                    .find(|(label, _)| *label == row.1)
                    .unwrap()
                    .1
                    .kind()
            })
            .collect();
        let from_domain: BTreeSet<ActionKind> = kinds_allowed_in(status).iter().copied().collect();
        assert_eq!(from_table, from_domain, "{status}");
        if status.is_final() {
            assert!(from_domain.is_empty(), "{status} is final");
        }
    }
}

#[test]
fn each_role_owns_exactly_its_actions() {
    for kind in ActionKind::all() {
        let owners: Vec<Role> = ALLOWED
            .iter()
            .filter(|row| row.1.starts_with(kind_prefix(kind)))
            .map(|row| row.2)
            .collect();
        assert!(owners.iter().all(|r| *r == kind.role()), "{kind}");
    }
    assert!(
        ALLOWED
            .iter()
            .all(|row| row.2 != Role::Admin && row.2 != Role::Clerk)
    );
}
