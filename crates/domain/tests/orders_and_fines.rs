//! Orders that cannot be skipped, and fines under КоАП РФ as data (issue 15).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, Utc};
use common::{Story, World, at, fine, ordinary};
use domain::{
    Action, ActionKind, CallOutcome, DomainError, EventDetails, Offender, RejectReason, Status,
    allowed_actions, default_fine_articles,
};
use uuid::Uuid;

fn article(code: &str) -> domain::FineArticle {
    default_fine_articles()
        .into_iter()
        .find(|a| a.code == code)
        .unwrap()
}

/// Filed, sent to the inspection, a violation found and an order issued (due 2026-03-20), then
/// the company reports the work done: the complaint waits for the dispatcher's call.
fn done_under_order(w: &World) -> Story<'_> {
    let mut s = Story::start(w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(
        Action::SendToInspection {
            reason: "Повторные жалобы".into(),
        },
        &w.dispatcher,
        at("2026-03-02T11:00:00+05:00"),
    );
    s.step(
        Action::RecordFindings {
            violation: true,
            findings: "Течь в подвале".into(),
        },
        &w.inspector,
        at("2026-03-03T10:00:00+05:00"),
    );
    s.step(
        Action::IssueOrder {
            order_id: Uuid::new_v4(),
            due_at: at("2026-03-20T18:00:00+05:00"),
            text: "Устранить течь".into(),
        },
        &w.inspector,
        at("2026-03-03T11:00:00+05:00"),
    );
    s.step(
        Action::ReportDone {
            note: "Заменили участок трубы".into(),
        },
        &w.company,
        at("2026-03-05T10:00:00+05:00"),
    );
    s
}

const CALL_AT: &str = "2026-03-05T15:00:00+05:00";

fn compliance_check_of(details: &EventDetails) -> bool {
    match details {
        EventDetails::RecordCall {
            compliance_check, ..
        }
        | EventDetails::ResidentAnswer {
            compliance_check, ..
        } => *compliance_check,
        other => panic!("not a call or an answer: {other:?}"),
    }
}

#[test]
fn under_an_order_a_satisfied_call_or_answer_goes_to_the_compliance_check() {
    let w = World::new();
    let actions: [(Action, &domain::Actor); 4] = [
        (
            Action::RecordCall {
                outcome: CallOutcome::Satisfied,
                comment: None,
            },
            &w.dispatcher,
        ),
        (
            Action::RecordCall {
                outcome: CallOutcome::Unsatisfied,
                comment: None,
            },
            &w.dispatcher,
        ),
        (
            Action::ResidentAnswer {
                satisfied: true,
                comment: None,
            },
            &w.resident,
        ),
        (
            Action::ResidentAnswer {
                satisfied: false,
                comment: None,
            },
            &w.resident,
        ),
    ];
    for (action, actor) in actions {
        let mut s = done_under_order(&w);
        let round = s.complaint.round;
        let c = s.step(action.clone(), actor, at(CALL_AT));
        assert_eq!(c.status, Status::UnderInspection, "{action:?}");
        assert_eq!(c.round, round, "{action:?} opens no new round");
        assert!(c.has_order_in_force(), "{action:?} leaves the order open");
        assert!(compliance_check_of(&s.events.last().unwrap().details));
        // The inspection's compliance check is what closes it.
        let c = s.step(
            Action::CheckCompliance { complied: true },
            &w.inspector,
            at("2026-03-06T10:00:00+05:00"),
        );
        assert_eq!(c.status, Status::Closed);
    }
}

#[test]
fn without_an_order_a_satisfied_call_closes_as_before() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(
        Action::ReportDone {
            note: "Сделано".into(),
        },
        &w.company,
        at("2026-03-03T10:00:00+05:00"),
    );
    let c = s.step(
        Action::RecordCall {
            outcome: CallOutcome::Satisfied,
            comment: None,
        },
        &w.dispatcher,
        at("2026-03-03T15:00:00+05:00"),
    );
    assert_eq!(c.status, Status::Closed);
    assert!(!compliance_check_of(&s.events.last().unwrap().details));
}

#[test]
fn an_unreachable_resident_does_not_close_a_complaint_under_an_order() {
    let mut w = World::new();
    w.policy.reply_wait = None;
    let mut s = done_under_order(&w);
    for attempt in 1..=w.policy.max_unanswered_calls {
        s.step(
            Action::RecordCall {
                outcome: CallOutcome::NoAnswer,
                comment: None,
            },
            &w.dispatcher,
            at(CALL_AT) + chrono::Duration::hours(i64::from(attempt) * 3),
        );
    }
    assert_eq!(s.complaint.status, Status::UnderInspection);
    assert!(compliance_check_of(&s.events.last().unwrap().details));
}

#[test]
fn an_order_in_force_cannot_be_rejected_withdrawn_or_closed_by_findings() {
    let w = World::new();
    let s = done_under_order(&w);
    let now = at(CALL_AT);
    let refused = [
        (
            Action::Reject {
                reason: RejectReason::Other,
                comment: "Ошибка".into(),
                duplicate_of: None,
            },
            &w.dispatcher,
        ),
        (Action::Withdraw, &w.resident),
    ];
    for (action, actor) in refused {
        let err = w
            .apply(&s.complaint, action.clone(), actor, now)
            .unwrap_err();
        assert_eq!(err.code(), "precondition_failed", "{action:?}");
    }
    // At the inspection, "no violation" cannot stand in for the compliance check either.
    let mut s = s;
    s.step(
        Action::RecordCall {
            outcome: CallOutcome::Satisfied,
            comment: None,
        },
        &w.dispatcher,
        now,
    );
    let findings = Action::RecordFindings {
        violation: false,
        findings: "Всё исправно".into(),
    };
    let err = w
        .apply(&s.complaint, findings, &w.inspector, now)
        .unwrap_err();
    assert_eq!(err.code(), "precondition_failed");
    let offered = allowed_actions(&s.complaint, &w.inspector);
    assert!(offered.contains(&ActionKind::CheckCompliance));
    assert!(!offered.contains(&ActionKind::RecordFindings));
    assert!(!allowed_actions(&s.complaint, &w.dispatcher).contains(&ActionKind::Reject));
}

fn with_violation_found(w: &World) -> Story<'_> {
    let mut s = Story::start(w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(
        Action::SendToInspection {
            reason: "Жалобы соседей".into(),
        },
        &w.dispatcher,
        at("2026-03-02T11:00:00+05:00"),
    );
    s.step(
        Action::RecordFindings {
            violation: true,
            findings: "Подвал затоплен".into(),
        },
        &w.inspector,
        at("2026-03-03T10:00:00+05:00"),
    );
    s
}

#[test]
fn a_violation_found_on_site_is_fined_at_once_within_the_articles_range() {
    let w = World::new();
    let mut s = with_violation_found(&w);
    let now: DateTime<Utc> = at("2026-03-03T11:00:00+05:00");
    assert!(allowed_actions(&s.complaint, &w.inspector).contains(&ActionKind::RecordFine));

    let too_much = Action::RecordFine {
        article: article("7.22"),
        offender: Offender::Official,
        amount_rub: 40_000,
    };
    let err = w
        .apply(&s.complaint, too_much, &w.inspector, now)
        .unwrap_err();
    assert!(matches!(err, DomainError::Validation { ref field, .. } if field == "amount_rub"));

    let c = s.step(
        Action::RecordFine {
            article: article("7.22"),
            offender: Offender::LegalEntity,
            amount_rub: 45_000,
        },
        &w.inspector,
        now,
    );
    assert_eq!(c.status, Status::UnderInspection);
    assert_eq!(
        s.events.last().unwrap().details,
        EventDetails::RecordFine {
            order_id: None,
            amount_rub: 45_000,
            legal_basis: "КоАП РФ ст. 7.22".into(),
            article: Some("7.22".into()),
            offender: Some(Offender::LegalEntity),
        }
    );
    // Its official may be fined too, under the same article.
    s.step(
        Action::RecordFine {
            article: article("7.22"),
            offender: Offender::Official,
            amount_rub: 4_000,
        },
        &w.inspector,
        now,
    );
}

#[test]
fn no_fine_before_findings_and_a_new_visit_forgets_the_old_violation() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(
        Action::SendToInspection {
            reason: "Жалобы".into(),
        },
        &w.dispatcher,
        at("2026-03-02T11:00:00+05:00"),
    );
    let now = at("2026-03-02T12:00:00+05:00");
    let err = w
        .apply(&s.complaint, fine(10_000), &w.inspector, now)
        .unwrap_err();
    assert_eq!(err.code(), "precondition_failed");

    // Found, ordered, the order checked as not complied: the fine is for the order.
    let mut s = with_violation_found(&w);
    s.step(
        Action::IssueOrder {
            order_id: Uuid::new_v4(),
            due_at: at("2026-03-10T18:00:00+05:00"),
            text: "Устранить".into(),
        },
        &w.inspector,
        at("2026-03-03T11:00:00+05:00"),
    );
    let c = s.step(
        Action::CheckCompliance { complied: false },
        &w.inspector,
        at("2026-03-11T10:00:00+05:00"),
    );
    assert!(
        !c.violation_found,
        "the new visit starts from nothing found"
    );
    let order_id = c.order.as_ref().unwrap().id;
    s.step(fine(20_000), &w.inspector, at("2026-03-11T11:00:00+05:00"));
    assert!(matches!(
        s.events.last().unwrap().details,
        EventDetails::RecordFine { order_id: Some(id), .. } if id == order_id
    ));
}
