//! Input validation and state preconditions, beyond role and status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{Story, World, at, ordinary};
use domain::{Action, CallOutcome, DomainError, Policy, RejectReason, Status, apply};
use uuid::Uuid;

fn under_inspection(w: &World) -> Story<'_> {
    let mut s = Story::start(w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(
        Action::SendToInspection {
            reason: "Повторные жалобы".into(),
        },
        &w.dispatcher,
        at("2026-03-02T11:00:00+05:00"),
    );
    s
}

#[test]
fn free_text_must_not_be_blank() {
    let w = World::new();
    let s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let now = at("2026-03-02T11:00:00+05:00");
    let cases = [
        (
            Action::AssignExecutor {
                executor: "  ".into(),
            },
            "executor",
        ),
        (Action::NotOurBuilding { reason: "".into() }, "reason"),
        (
            Action::PauseClock {
                reason: "\n".into(),
            },
            "reason",
        ),
    ];
    for (action, field) in cases {
        let actor = &w.company;
        let err = w.apply(&s.complaint, action, actor, now).unwrap_err();
        assert!(
            matches!(&err, DomainError::Validation { field: f, .. } if f == field),
            "{err}"
        );
    }
    let err = w
        .apply(
            &s.complaint,
            Action::Reject {
                reason: RejectReason::Other,
                comment: " ".into(),
                duplicate_of: None,
            },
            &w.dispatcher,
            now,
        )
        .unwrap_err();
    assert_eq!(err.code(), "validation");
    let ok = w.apply(
        &s.complaint,
        Action::Reject {
            reason: RejectReason::NotHousingMatter,
            comment: String::new(),
            duplicate_of: None,
        },
        &w.dispatcher,
        now,
    );
    assert_eq!(ok.unwrap().complaint.status, Status::Rejected);
}

#[test]
fn orders_need_a_future_deadline() {
    let w = World::new();
    let s = under_inspection(&w);
    let now = at("2026-03-03T10:00:00+05:00");
    let err = w
        .apply(
            &s.complaint,
            Action::IssueOrder {
                order_id: Uuid::new_v4(),
                due_at: now - Duration::minutes(1),
                text: "Устранить".into(),
            },
            &w.inspector,
            now,
        )
        .unwrap_err();
    assert!(matches!(err, DomainError::Validation { field, .. } if field == "due_at"));
}

#[test]
fn compliance_and_fines_need_an_order() {
    let w = World::new();
    let s = under_inspection(&w);
    let now = at("2026-03-03T10:00:00+05:00");
    let err = w
        .apply(
            &s.complaint,
            Action::CheckCompliance { complied: true },
            &w.inspector,
            now,
        )
        .unwrap_err();
    assert_eq!(err.code(), "precondition_failed");
    let fine = common::fine(10_000);
    let err = w.apply(&s.complaint, fine, &w.inspector, now).unwrap_err();
    assert_eq!(err.code(), "precondition_failed");

    // After non-compliance a zero fine is still refused.
    let mut s = s;
    s.step(
        Action::IssueOrder {
            order_id: Uuid::new_v4(),
            due_at: at("2026-03-05T18:00:00+05:00"),
            text: "Устранить".into(),
        },
        &w.inspector,
        now,
    );
    s.step(
        Action::CheckCompliance { complied: false },
        &w.inspector,
        at("2026-03-06T10:00:00+05:00"),
    );
    let zero = common::fine(0);
    let err = w
        .apply(
            &s.complaint,
            zero,
            &w.inspector,
            at("2026-03-06T11:00:00+05:00"),
        )
        .unwrap_err();
    assert!(matches!(err, DomainError::Validation { field, .. } if field == "amount_rub"));
    // A new order starts the next round.
    let c = s.step(
        Action::IssueOrder {
            order_id: Uuid::new_v4(),
            due_at: at("2026-03-12T18:00:00+05:00"),
            text: "Повторно: устранить".into(),
        },
        &w.inspector,
        at("2026-03-06T12:00:00+05:00"),
    );
    assert_eq!((c.status, c.round), (Status::InProgress, 3));
    assert_eq!(c.order.unwrap().complied, None);
}

#[test]
fn resume_needs_a_paused_clock() {
    let w = World::new();
    let s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let err = w
        .apply(
            &s.complaint,
            Action::ResumeClock,
            &w.company,
            at("2026-03-02T11:00:00+05:00"),
        )
        .unwrap_err();
    assert_eq!(
        err,
        DomainError::Precondition {
            message: "the clock is not paused".into()
        }
    );
}

#[test]
fn policy_changes_the_number_of_calls() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(
        Action::ReportDone {
            note: "Готово".into(),
        },
        &w.company,
        at("2026-03-02T12:00:00+05:00"),
    );
    let policy = Policy {
        max_unanswered_calls: 1,
        reply_wait: None,
        ..Policy::default()
    };
    let action = Action::RecordCall {
        outcome: CallOutcome::NoAnswer,
        comment: None,
    };
    let t = apply(
        &s.complaint,
        &action,
        &w.dispatcher,
        at("2026-03-03T10:00:00+05:00"),
        &policy,
        &w.calendar,
    )
    .unwrap();
    assert_eq!(t.complaint.status, Status::ClosedUnconfirmed);
    // With a wait for a reply by SMS, the one call asks for it instead.
    let waiting = Policy {
        reply_wait: Some(domain::Deadline::Hours(12)),
        ..policy
    };
    let t = apply(
        &s.complaint,
        &action,
        &w.dispatcher,
        at("2026-03-03T10:00:00+05:00"),
        &waiting,
        &w.calendar,
    )
    .unwrap();
    assert_eq!(t.complaint.status, Status::AwaitingVerification);
    assert_eq!(t.complaint.due_at, Some(at("2026-03-03T22:00:00+05:00")));
}

#[test]
fn error_codes_are_stable() {
    use domain::{ActionKind, Role};
    let errors = [
        (
            DomainError::Forbidden {
                role: Role::Admin,
                operation: "accept",
            },
            "forbidden",
        ),
        (
            DomainError::NotOwner {
                role: Role::Resident,
                operation: "withdraw",
            },
            "not_owner",
        ),
        (
            DomainError::InvalidTransition {
                from: Status::Closed,
                action: ActionKind::Withdraw,
            },
            "invalid_transition",
        ),
        (
            DomainError::Validation {
                field: "note".into(),
                message: "must not be empty".into(),
            },
            "validation",
        ),
        (
            DomainError::Precondition {
                message: "x".into(),
            },
            "precondition_failed",
        ),
    ];
    for (error, code) in errors {
        assert_eq!(error.code(), code);
    }
    let e = DomainError::InvalidTransition {
        from: Status::Closed,
        action: ActionKind::Withdraw,
    };
    assert_eq!(
        e.to_string(),
        "`withdraw` is not allowed in status `closed`"
    );
}
