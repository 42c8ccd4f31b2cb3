//! The story of DOMAIN.md, told as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Story, World, at, category, ordinary};
use domain::{Action, CallOutcome, Status, is_overdue};
use uuid::Uuid;

fn done() -> Action {
    Action::ReportDone {
        note: "Заменили вентиль, течи нет".into(),
    }
}

fn call(outcome: CallOutcome) -> Action {
    Action::RecordCall {
        outcome,
        comment: None,
    }
}

#[test]
fn satisfied_the_first_time() {
    let w = World::new();
    // Monday 2 March 2026, 10:00 in Surgut.
    let filed = w.file(ordinary(), at("2026-03-02T10:00:00+05:00"));
    assert_eq!(filed.complaint.status, Status::Registered);
    assert_eq!(filed.event.from, None);
    assert_eq!(filed.event.kind().as_str(), "registered");
    // 10 working days: 3–6, 10–13 (9 March is a day off), 16–17 March; due at the end of the 17th.
    assert_eq!(
        filed.complaint.due_at,
        Some(at("2026-03-18T00:00:00+05:00"))
    );
    // The city answers within 30 days.
    assert_eq!(
        filed.complaint.answer_due_at,
        at("2026-04-02T00:00:00+05:00")
    );

    let mut s = Story::start(&w, filed);
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(
        Action::AssignExecutor {
            executor: "Сантехник Иванов".into(),
        },
        &w.company,
        at("2026-03-02T11:05:00+05:00"),
    );
    let c = s.step(done(), &w.company, at("2026-03-05T16:00:00+05:00"));
    assert_eq!(c.status, Status::AwaitingVerification);
    assert_eq!(c.executor.as_deref(), Some("Сантехник Иванов"));
    assert_eq!(s.events.last().unwrap().payload()["on_time"], true);
    let c = s.step(
        call(CallOutcome::Satisfied),
        &w.dispatcher,
        at("2026-03-06T09:30:00+05:00"),
    );
    assert_eq!(c.status, Status::Closed);
    assert_eq!(c.round, 1);
    assert_eq!(
        s.kinds(),
        [
            "registered",
            "accept",
            "assign_executor",
            "report_done",
            "record_call"
        ]
    );
    assert_eq!(s.complaint.version, 5);
}

#[test]
fn unsatisfied_goes_to_a_second_urgent_round_then_satisfied() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(done(), &w.company, at("2026-03-04T12:00:00+05:00"));
    let c = s.step(
        Action::RecordCall {
            outcome: CallOutcome::Unsatisfied,
            comment: Some("Кран всё ещё капает".into()),
        },
        &w.dispatcher,
        at("2026-03-05T10:00:00+05:00"),
    );
    assert_eq!(c.status, Status::InProgress);
    assert_eq!(c.round, 2);
    assert!(c.urgent);
    // Half of 10 working days from Thursday 5 March: 6, 10, 11, 12, 13 March.
    assert_eq!(c.due_at, Some(at("2026-03-14T00:00:00+05:00")));

    s.step(done(), &w.company, at("2026-03-06T15:00:00+05:00"));
    // This time the resident confirms in the app; no call needed.
    let c = s.step(
        Action::ResidentAnswer {
            satisfied: true,
            comment: Some("Спасибо".into()),
        },
        &w.resident,
        at("2026-03-06T19:00:00+05:00"),
    );
    assert_eq!(c.status, Status::Closed);
    assert_eq!(c.round, 2);
}

#[test]
fn emergencies_count_hours_and_repeat_rounds_are_shorter() {
    let w = World::new();
    // A sewer blockage on New Year's night: 2 hours, holidays do not matter.
    let filed = w.file(category("sewer_blockage"), at("2026-01-01T02:00:00+05:00"));
    assert!(filed.complaint.urgent);
    assert_eq!(
        filed.complaint.due_at,
        Some(at("2026-01-01T04:00:00+05:00"))
    );
    let mut s = Story::start(&w, filed);
    s.step(Action::Accept, &w.company, at("2026-01-01T02:10:00+05:00"));
    s.step(done(), &w.company, at("2026-01-01T05:00:00+05:00"));
    assert_eq!(s.events.last().unwrap().payload()["on_time"], false);
    let c = s.step(
        Action::ResidentAnswer {
            satisfied: false,
            comment: None,
        },
        &w.resident,
        at("2026-01-01T06:00:00+05:00"),
    );
    assert_eq!(c.round, 2);
    assert_eq!(c.due_at, Some(at("2026-01-01T07:00:00+05:00")));
}

#[test]
fn not_done_inspection_order_non_compliance_fine_fixed_closed() {
    let w = World::new();
    let mut s = Story::start(
        &w,
        w.file(category("roof_leak"), at("2026-03-02T10:00:00+05:00")),
    );
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(done(), &w.company, at("2026-03-03T10:00:00+05:00"));
    let c = s.step(
        call(CallOutcome::NotDone),
        &w.dispatcher,
        at("2026-03-03T15:00:00+05:00"),
    );
    assert_eq!(c.status, Status::UnderInspection);

    s.step(
        Action::RecordFindings {
            violation: true,
            findings: "Протечка кровли над кв. 45 подтверждена".into(),
        },
        &w.inspector,
        at("2026-03-05T11:00:00+05:00"),
    );
    let order_due = at("2026-03-12T18:00:00+05:00");
    let c = s.step(
        Action::IssueOrder {
            order_id: Uuid::new_v4(),
            due_at: order_due,
            text: "Устранить протечку кровли".into(),
        },
        &w.inspector,
        at("2026-03-05T12:00:00+05:00"),
    );
    assert_eq!((c.status, c.round, c.urgent), (Status::InProgress, 2, true));
    assert_eq!(c.due_at, Some(order_due));

    // The company cannot pause an order's deadline.
    let err = w
        .apply(
            &s.complaint,
            Action::PauseClock {
                reason: "Нет доступа на чердак".into(),
            },
            &w.company,
            at("2026-03-06T10:00:00+05:00"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "precondition_failed");
    // Non-compliance cannot be found before the order's deadline.
    let early = w.apply(
        &s.complaint,
        Action::CheckCompliance { complied: false },
        &w.inspector,
        at("2026-03-10T10:00:00+05:00"),
    );
    assert_eq!(early.unwrap_err().code(), "precondition_failed");
    // The deadline passes: overdue.
    assert!(is_overdue(&s.complaint, at("2026-03-13T10:00:00+05:00")));

    let c = s.step(
        Action::CheckCompliance { complied: false },
        &w.inspector,
        at("2026-03-13T10:00:00+05:00"),
    );
    assert_eq!(c.status, Status::UnderInspection);
    assert_eq!(c.order.as_ref().unwrap().complied, Some(false));
    s.step(
        common::fine(15_000),
        &w.inspector,
        at("2026-03-16T10:00:00+05:00"),
    );
    assert_eq!(
        s.complaint.status,
        Status::UnderInspection,
        "stays open until fixed"
    );

    // The company fixes the roof; the inspector checks again.
    let c = s.step(
        Action::CheckCompliance { complied: true },
        &w.inspector,
        at("2026-03-20T10:00:00+05:00"),
    );
    assert_eq!(c.status, Status::Closed);
    assert_eq!(c.order.as_ref().unwrap().complied, Some(true));
    assert_eq!(
        s.kinds(),
        [
            "registered",
            "accept",
            "report_done",
            "record_call",
            "record_findings",
            "issue_order",
            "check_compliance",
            "record_fine",
            "check_compliance"
        ]
    );
}
