//! The story of DOMAIN.md, told as tests: escalation after repeated failures, and the public
//! scorecard that the whole story feeds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{Story, World, at, ordinary};
use domain::{
    Action, Actor, CallOutcome, EscalationEffect, Role, Status, default_escalation_rules,
    due_escalations, scorecard,
};
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
fn third_round_failure_goes_to_inspection_and_overdue_rounds_escalate() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let mut day = 2;
    for round in 1..=3 {
        assert_eq!(s.complaint.round, round);
        if round == 1 {
            s.step(
                Action::Accept,
                &w.company,
                at(&format!("2026-03-0{day}T11:00:00+05:00")),
            );
        }
        day += 1;
        s.step(
            done(),
            &w.company,
            at(&format!("2026-03-0{day}T11:00:00+05:00")),
        );
        s.step(
            call(CallOutcome::Unsatisfied),
            &w.dispatcher,
            at(&format!("2026-03-0{day}T15:00:00+05:00")),
        );
    }
    // Round 3 was unsatisfactory too: the inspection, not a round 4.
    assert_eq!(s.complaint.status, Status::UnderInspection);
    assert_eq!(s.complaint.round, 3);
    assert_eq!(s.events.last().unwrap().payload()["auto_escalated"], true);

    // An overdue complaint in round 3 is picked up by the default rules.
    let w2 = World::new();
    let mut s2 = Story::start(&w2, w2.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s2.step(Action::Accept, &w2.company, at("2026-03-02T11:00:00+05:00"));
    for day in [3, 4] {
        s2.step(
            done(),
            &w2.company,
            at(&format!("2026-03-0{day}T11:00:00+05:00")),
        );
        s2.step(
            call(CallOutcome::Unsatisfied),
            &w2.dispatcher,
            at(&format!("2026-03-0{day}T15:00:00+05:00")),
        );
    }
    assert_eq!(
        (s2.complaint.round, s2.complaint.status),
        (3, Status::InProgress)
    );
    let rules = default_escalation_rules(&w2.policy);
    let before = s2.complaint.due_at.unwrap() - Duration::hours(1);
    assert!(due_escalations(std::slice::from_ref(&s2.complaint), before, &rules).is_empty());

    let late = s2.complaint.due_at.unwrap() + Duration::hours(1);
    let fired = due_escalations(std::slice::from_ref(&s2.complaint), late, &rules);
    let codes: Vec<&str> = fired.iter().map(|e| e.rule.as_str()).collect();
    assert_eq!(
        codes,
        ["overdue_repeat_round_to_inspection", "execution_overdue"]
    );
    assert_eq!(fired[0].effect, EscalationEffect::SendToInspection);
    assert_eq!(
        fired[1].effect,
        EscalationEffect::Notify {
            role: Role::Dispatcher
        }
    );
    let action = fired[0].action.clone().unwrap();
    let t = w2
        .apply(&s2.complaint, action, &Actor::system(), late)
        .unwrap();
    assert_eq!(t.complaint.status, Status::UnderInspection);
    assert_eq!(t.event.actor, domain::Principal::System);
    // Already with the inspection: only the inspection's own clock can fire now...
    let after = t.complaint.due_at.unwrap() + Duration::hours(1);
    let fired = due_escalations(std::slice::from_ref(&t.complaint), after, &rules);
    let codes: Vec<&str> = fired.iter().map(|e| e.rule.as_str()).collect();
    assert_eq!(codes, ["inspection_overdue"]);
    // ...and, close to the 59-ФЗ deadline, the reminder to answer the resident.
    let near = t.complaint.answer_due_at - Duration::hours(24);
    let fired = due_escalations(std::slice::from_ref(&t.complaint), near, &rules);
    let codes: Vec<&str> = fired.iter().map(|e| e.rule.as_str()).collect();
    assert_eq!(codes, ["inspection_overdue", "answer_deadline_near"]);
}

#[test]
fn the_public_scorecard() {
    let w = World::new();
    let mut complaints = Vec::new();
    let mut events = Vec::new();
    let start = at("2026-03-02T10:00:00+05:00");

    // Four complaints to the first company: one satisfied on time, one second round, one late and
    // still open, one sent to inspection with an order and a fine.
    for i in 0..4 {
        let mut s = Story::start(&w, w.file(ordinary(), start + Duration::minutes(i)));
        s.step(Action::Accept, &w.company, at("2026-03-02T12:00:00+05:00"));
        match i {
            0 => {
                s.step(done(), &w.company, at("2026-03-03T12:00:00+05:00"));
                s.step(
                    call(CallOutcome::Satisfied),
                    &w.dispatcher,
                    at("2026-03-04T12:00:00+05:00"),
                );
            }
            1 => {
                s.step(done(), &w.company, at("2026-03-03T12:00:00+05:00"));
                s.step(
                    call(CallOutcome::Unsatisfied),
                    &w.dispatcher,
                    at("2026-03-04T12:00:00+05:00"),
                );
                s.step(done(), &w.company, at("2026-03-05T12:00:00+05:00"));
                s.step(
                    Action::ResidentAnswer {
                        satisfied: true,
                        comment: None,
                    },
                    &w.resident,
                    at("2026-03-05T18:00:00+05:00"),
                );
            }
            2 => {}
            _ => {
                s.step(done(), &w.company, at("2026-03-20T12:00:00+05:00"));
                s.step(
                    call(CallOutcome::NotDone),
                    &w.dispatcher,
                    at("2026-03-23T12:00:00+05:00"),
                );
                s.step(
                    Action::IssueOrder {
                        order_id: Uuid::new_v4(),
                        due_at: at("2026-03-30T18:00:00+05:00"),
                        text: "Устранить".into(),
                    },
                    &w.inspector,
                    at("2026-03-24T12:00:00+05:00"),
                );
                s.step(
                    Action::CheckCompliance { complied: false },
                    &w.inspector,
                    at("2026-03-31T12:00:00+05:00"),
                );
                s.step(
                    common::fine(20_000),
                    &w.inspector,
                    at("2026-04-01T12:00:00+05:00"),
                );
            }
        }
        complaints.push(s.complaint);
        events.extend(s.events);
    }
    let now = at("2026-04-02T12:00:00+05:00");

    let cards = scorecard(&complaints, &events, now, 4);
    assert_eq!(cards.len(), 1);
    let card = &cards[0];
    assert_eq!(card.company_id, w.company_id());
    assert!(card.published);
    assert_eq!(
        (card.received, card.open, card.closed, card.overdue),
        (4, 2, 2, 1)
    );
    assert_eq!((card.reports, card.late_reports), (4, 1));
    assert_eq!(card.on_time_pct, Some(75.0));
    assert_eq!(card.reopened, 2);
    assert_eq!(card.reopened_pct, Some(50.0));
    assert_eq!(card.verified, 4);
    assert_eq!(card.satisfied_pct, Some(50.0));
    assert_eq!((card.inspections, card.orders, card.fines), (2, 1, 1));
    assert_eq!(card.fines_total_rub, 20_000);

    // Below the minimum volume the counts stay, the rates are withheld.
    let cards = scorecard(&complaints, &events, now, 5);
    let card = &cards[0];
    assert!(!card.published);
    assert_eq!(card.received, 4);
    assert_eq!(
        (card.on_time_pct, card.reopened_pct, card.satisfied_pct),
        (None, None, None)
    );
}
