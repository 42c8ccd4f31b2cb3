//! The 59-ФЗ extension of the answer deadline (issue 15): once, by up to 30 days, with a reason,
//! and the applicant is told.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{Story, World, at, ordinary};
use domain::{
    Action, ActionKind, Changed, DomainError, EventDetails, MessageKind, Status, allowed_actions,
    author_message,
};

fn extend(days: u32) -> Action {
    Action::ExtendAnswer {
        days,
        reason: "Нужен ответ ресурсоснабжающей организации".into(),
    }
}

#[test]
fn the_dispatcher_extends_the_answer_deadline_once() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let filed = s.complaint.clone();
    let now = at("2026-03-20T10:00:00+05:00");
    assert!(allowed_actions(&filed, &w.dispatcher).contains(&ActionKind::ExtendAnswer));

    let c = s.step(extend(30), &w.dispatcher, now);
    assert_eq!(c.answer_due_at, filed.answer_due_at + Duration::days(30));
    assert_eq!(c.status, filed.status, "the lifecycle does not move");
    assert_eq!(c.due_at, filed.due_at, "the stage deadline does not move");
    let event = s.events.last().unwrap();
    assert_eq!(
        event.details,
        EventDetails::ExtendAnswer {
            answer_due_at: c.answer_due_at,
            extended_by_days: 30,
        }
    );
    assert_eq!(
        event.comment.as_deref(),
        Some("Нужен ответ ресурсоснабжающей организации")
    );
    // The applicant is told, whatever their settings (the law requires it).
    assert_eq!(
        author_message(&Changed::of(event), &c),
        Some(MessageKind::AnswerExtended)
    );
    assert!(!MessageKind::AnswerExtended.is_optional());

    // Once only.
    assert!(!allowed_actions(&c, &w.dispatcher).contains(&ActionKind::ExtendAnswer));
    let again = w.apply(&c, extend(5), &w.dispatcher, now).unwrap_err();
    assert_eq!(again.code(), "precondition_failed");
}

#[test]
fn an_extension_is_1_to_30_days_with_a_reason_by_the_dispatcher_only() {
    let w = World::new();
    let s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let now = at("2026-03-03T10:00:00+05:00");
    for days in [0, 31, u32::MAX] {
        let err = w
            .apply(&s.complaint, extend(days), &w.dispatcher, now)
            .unwrap_err();
        assert!(
            matches!(err, DomainError::Validation { ref field, .. } if field == "days"),
            "{days}: {err:?}"
        );
    }
    let blank = Action::ExtendAnswer {
        days: 10,
        reason: " ".into(),
    };
    let err = w
        .apply(&s.complaint, blank, &w.dispatcher, now)
        .unwrap_err();
    assert!(matches!(err, DomainError::Validation { ref field, .. } if field == "reason"));
    for actor in [&w.company, &w.inspector, &w.resident] {
        let err = w.apply(&s.complaint, extend(10), actor, now).unwrap_err();
        assert!(matches!(err, DomainError::Forbidden { .. }), "{err:?}");
    }
}

#[test]
fn a_closed_complaint_is_not_extended() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(
        Action::Withdraw,
        &w.resident,
        at("2026-03-02T11:00:00+05:00"),
    );
    let err = w
        .apply(
            &s.complaint,
            extend(10),
            &w.dispatcher,
            at("2026-03-03T10:00:00+05:00"),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        DomainError::InvalidTransition {
            from: Status::Withdrawn,
            ..
        }
    ));
}
