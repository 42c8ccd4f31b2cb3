//! Every (status, action, role) combination: the allowed ones reach exactly the expected status,
//! every other one fails with the right typed error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use common::{World, at, ordinary};
use domain::{
    Action, ActionKind, CallOutcome, Complaint, DomainError, Order, RejectReason, Role, Status,
    kinds_allowed_in,
};
use uuid::Uuid;

use ActionKind as K;
use Status as S;

/// One sample action per outcome; the label names it in the table.
fn samples(world: &World, now: DateTime<Utc>) -> Vec<(&'static str, Action)> {
    let call = |outcome| Action::RecordCall {
        outcome,
        comment: None,
    };
    vec![
        ("accept", Action::Accept),
        (
            "assign_executor",
            Action::AssignExecutor {
                executor: "Бригада № 3".into(),
            },
        ),
        (
            "report_done",
            Action::ReportDone {
                note: "Заменили вентиль".into(),
            },
        ),
        (
            "not_our_building",
            Action::NotOurBuilding {
                reason: "Дом обслуживает другая УК".into(),
            },
        ),
        (
            "reroute",
            Action::Reroute {
                company_id: world.other_company_id(),
            },
        ),
        ("call_satisfied", call(CallOutcome::Satisfied)),
        ("call_unsatisfied", call(CallOutcome::Unsatisfied)),
        ("call_not_done", call(CallOutcome::NotDone)),
        ("call_no_answer", call(CallOutcome::NoAnswer)),
        (
            "answer_yes",
            Action::ResidentAnswer {
                satisfied: true,
                comment: None,
            },
        ),
        (
            "answer_no",
            Action::ResidentAnswer {
                satisfied: false,
                comment: Some("Опять течёт".into()),
            },
        ),
        (
            "send_to_inspection",
            Action::SendToInspection {
                reason: "Просрочено".into(),
            },
        ),
        (
            "reject",
            Action::Reject {
                reason: RejectReason::Duplicate,
                comment: "См. СУР-2026-000001".into(),
            },
        ),
        ("withdraw", Action::Withdraw),
        (
            "findings_violation",
            Action::RecordFindings {
                violation: true,
                findings: "Течь подтверждена".into(),
            },
        ),
        (
            "findings_none",
            Action::RecordFindings {
                violation: false,
                findings: "Нарушений нет".into(),
            },
        ),
        (
            "issue_order",
            Action::IssueOrder {
                order_id: Uuid::new_v4(),
                due_at: now + Duration::days(10),
                text: "Устранить течь".into(),
            },
        ),
        ("compliance_yes", Action::CheckCompliance { complied: true }),
        ("compliance_no", Action::CheckCompliance { complied: false }),
        (
            "record_fine",
            Action::RecordFine {
                amount_rub: 15_000,
                legal_basis: "КоАП 19.5 ч.1".into(),
            },
        ),
        (
            "pause",
            Action::PauseClock {
                reason: "Нет доступа в квартиру".into(),
            },
        ),
        ("resume", Action::ResumeClock),
    ]
}

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
];

/// A complaint in `status` whose other state satisfies the preconditions of `kind`, so that the
/// table tests role and status alone (preconditions have their own tests).
fn fixture(world: &World, status: Status, kind: ActionKind, now: DateTime<Utc>) -> Complaint {
    let registered_at = now - Duration::days(3);
    let order = |complied| Order {
        id: Uuid::new_v4(),
        due_at: now - Duration::hours(1),
        text: "Устранить течь".into(),
        complied,
    };
    let order = match (kind, status) {
        (K::CheckCompliance, S::UnderInspection) | (K::RecordFine, _) => Some(order(Some(false))),
        (K::CheckCompliance, _) => Some(order(None)),
        (
            K::Accept
            | K::AssignExecutor
            | K::ReportDone
            | K::NotOurBuilding
            | K::Reroute
            | K::RecordCall
            | K::ResidentAnswer
            | K::SendToInspection
            | K::Reject
            | K::Withdraw
            | K::RecordFindings
            | K::IssueOrder
            | K::PauseClock
            | K::ResumeClock,
            _,
        ) => None,
    };
    Complaint {
        id: Uuid::new_v4(),
        status,
        round: 1,
        urgent: false,
        author_id: world.resident.user_id(),
        filed_by: world.resident.id(),
        company_id: (status != S::NeedsRouting).then(|| world.company_id()),
        category: ordinary(),
        registered_at,
        due_at: Some(now + Duration::days(5)),
        answer_due_at: registered_at + Duration::days(30),
        paused_since: (kind == K::ResumeClock).then(|| now - Duration::hours(2)),
        unanswered_calls: 0,
        executor: None,
        order,
        version: 7,
    }
}

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

fn kind_prefix(kind: ActionKind) -> &'static str {
    match kind {
        K::Accept => "accept",
        K::AssignExecutor => "assign_executor",
        K::ReportDone => "report_done",
        K::NotOurBuilding => "not_our_building",
        K::Reroute => "reroute",
        K::RecordCall => "call_",
        K::ResidentAnswer => "answer_",
        K::SendToInspection => "send_to_inspection",
        K::Reject => "reject",
        K::Withdraw => "withdraw",
        K::RecordFindings => "findings_",
        K::IssueOrder => "issue_order",
        K::CheckCompliance => "compliance_",
        K::RecordFine => "record_fine",
        K::PauseClock => "pause",
        K::ResumeClock => "resume",
    }
}
