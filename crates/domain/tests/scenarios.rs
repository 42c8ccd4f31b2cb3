//! The story of DOMAIN.md, told as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{Story, World, at, category, ordinary};
use domain::{
    Action, Actor, Applicant, CONSENT_VERSION, CallOutcome, Consent, DailyQuota, DomainError,
    EscalationEffect, NewComplaint, PhoneNumber, Role, Status, can_view, default_escalation_rules,
    due_escalations, is_overdue, register, scorecard,
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
        Action::RecordFine {
            amount_rub: 15_000,
            legal_basis: "КоАП РФ ст. 19.5 ч. 1".into(),
        },
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

#[test]
fn a_clerk_files_for_a_person_without_an_account() {
    let w = World::new();
    let input = NewComplaint {
        id: Uuid::new_v4(),
        category: category("entrance_door"),
        company_id: Some(w.company_id()),
        description: "Не закрывается входная дверь в подъезд".into(),
        applicant: Some(Applicant {
            name: "Петрова Анна Ивановна".into(),
            phone: Some(PhoneNumber::parse("8 (912) 345-67-89").unwrap()),
            consent: Consent {
                accepted: true,
                version: CONSENT_VERSION.into(),
            },
        }),
        quota: DailyQuota::UNLIMITED,
    };
    let now = at("2026-03-02T10:00:00+05:00");
    let t = register(input.clone(), &w.clerk, now, &w.policy, &w.calendar).unwrap();
    let c = &t.complaint;
    assert_eq!(c.author_id, None);
    assert_eq!(c.filed_by, w.clerk.user_id().unwrap());
    assert_eq!(t.event.actor_role, Role::Clerk);
    assert_eq!(
        t.event.on_behalf_of.as_deref(),
        Some("Петрова Анна Ивановна")
    );
    assert_eq!(t.event.payload()["applicant_phone"], "+7 *** ***-**-89");

    assert!(can_view(c, &w.clerk));
    assert!(can_view(c, &w.company));
    assert!(can_view(c, &w.dispatcher));
    assert!(!can_view(c, &w.resident));
    assert!(!can_view(
        c,
        &Actor::person(Uuid::new_v4(), Role::Clerk, None)
    ));
    assert!(!can_view(c, &w.other_company));

    // The clerk only files.
    let err = w.apply(c, Action::Withdraw, &w.clerk, now).unwrap_err();
    assert_eq!(
        err,
        DomainError::Forbidden {
            role: Role::Clerk,
            operation: "withdraw"
        }
    );
    // A clerk must name the person; a resident must not.
    let mut nameless = input.clone();
    nameless.applicant = None;
    let err = register(nameless, &w.clerk, now, &w.policy, &w.calendar).unwrap_err();
    assert_eq!(err.code(), "validation");
    let err = register(input.clone(), &w.resident, now, &w.policy, &w.calendar).unwrap_err();
    assert_eq!(err.code(), "validation");
    // Companies, dispatchers, inspectors and admins do not file.
    for actor in [&w.company, &w.dispatcher, &w.inspector, &w.admin] {
        let err = register(input.clone(), actor, now, &w.policy, &w.calendar).unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}

#[test]
fn not_our_building_then_reroute() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let c = s.step(
        Action::NotOurBuilding {
            reason: "Дом по ул. Ленина, 5 обслуживает другая УК".into(),
        },
        &w.company,
        at("2026-03-02T12:00:00+05:00"),
    );
    assert_eq!(c.status, Status::NeedsRouting);
    assert_eq!(c.company_id, None);
    assert!(!can_view(&c, &w.company), "the company let it go");
    assert_eq!(
        s.events.last().unwrap().payload()["declined_by"],
        w.company_id().to_string()
    );

    let c = s.step(
        Action::Reroute {
            company_id: w.other_company_id(),
        },
        &w.dispatcher,
        at("2026-03-03T09:00:00+05:00"),
    );
    assert_eq!(c.status, Status::Registered);
    assert_eq!(c.company_id, Some(w.other_company_id()));
    // A fresh execution deadline for the new company: 10 working days from 3 March.
    assert_eq!(c.due_at, Some(at("2026-03-19T00:00:00+05:00")));

    let err = w
        .apply(
            &s.complaint,
            Action::Accept,
            &w.company,
            at("2026-03-03T10:00:00+05:00"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_owner");
    s.step(
        Action::Accept,
        &w.other_company,
        at("2026-03-03T10:00:00+05:00"),
    );
    assert_eq!(s.complaint.status, Status::InProgress);

    // Rerouting to the same company is a mistake.
    let err = w
        .apply(
            &s.complaint,
            Action::Reroute {
                company_id: w.other_company_id(),
            },
            &w.dispatcher,
            at("2026-03-03T11:00:00+05:00"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "validation");
}

#[test]
fn a_building_without_a_known_company_waits_for_routing() {
    let w = World::new();
    let input = NewComplaint {
        id: Uuid::new_v4(),
        category: ordinary(),
        company_id: None,
        description: "Не убирают двор".into(),
        applicant: None,
        quota: DailyQuota::UNLIMITED,
    };
    let t = register(
        input,
        &w.resident,
        at("2026-03-02T10:00:00+05:00"),
        &w.policy,
        &w.calendar,
    )
    .unwrap();
    assert_eq!(t.complaint.status, Status::NeedsRouting);
    assert_eq!(t.event.to, Status::NeedsRouting);
    assert_eq!(t.complaint.due_at, Some(at("2026-03-04T00:00:00+05:00")));
}

#[test]
fn a_resident_who_cannot_be_reached() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(done(), &w.company, at("2026-03-03T11:00:00+05:00"));
    let c = s.step(
        call(CallOutcome::NoAnswer),
        &w.dispatcher,
        at("2026-03-04T10:00:00+05:00"),
    );
    assert_eq!(
        (c.status, c.unanswered_calls),
        (Status::AwaitingVerification, 1)
    );
    let c = s.step(
        call(CallOutcome::NoAnswer),
        &w.dispatcher,
        at("2026-03-04T16:00:00+05:00"),
    );
    assert_eq!(
        (c.status, c.unanswered_calls),
        (Status::AwaitingVerification, 2)
    );
    let c = s.step(
        call(CallOutcome::NoAnswer),
        &w.dispatcher,
        at("2026-03-05T10:00:00+05:00"),
    );
    assert_eq!(
        (c.status, c.unanswered_calls),
        (Status::ClosedUnconfirmed, 3)
    );
    assert_eq!(s.events.last().unwrap().payload()["attempt"], 3);
    // Final: nothing more happens.
    let err = w
        .apply(
            &s.complaint,
            call(CallOutcome::Satisfied),
            &w.dispatcher,
            at("2026-03-05T11:00:00+05:00"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
}

#[test]
fn waiting_for_access_pauses_the_clock() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let due = s.complaint.due_at.unwrap();
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(
        Action::PauseClock {
            reason: "Жилец в отъезде, нет доступа в квартиру".into(),
        },
        &w.company,
        at("2026-03-10T12:00:00+05:00"),
    );
    // Paused before the deadline: not overdue however long it waits.
    assert!(!is_overdue(&s.complaint, due + Duration::days(5)));
    let again = w.apply(
        &s.complaint,
        Action::PauseClock {
            reason: "ещё раз".into(),
        },
        &w.company,
        at("2026-03-11T12:00:00+05:00"),
    );
    assert_eq!(again.unwrap_err().code(), "precondition_failed");

    let c = s.step(
        Action::ResumeClock,
        &w.company,
        at("2026-03-14T12:00:00+05:00"),
    );
    assert_eq!(c.paused_since, None);
    assert_eq!(c.due_at, Some(due + Duration::days(4)));
    assert_eq!(
        s.events.last().unwrap().payload()["paused_seconds"],
        4 * 24 * 3600
    );
    // The 59-ФЗ answer deadline did not move.
    assert_eq!(c.answer_due_at, at("2026-04-02T00:00:00+05:00"));
}

#[test]
fn residents_act_only_on_their_own_complaints_and_admins_not_at_all() {
    let w = World::new();
    let s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let now = at("2026-03-02T11:00:00+05:00");
    let err = w
        .apply(&s.complaint, Action::Withdraw, &w.neighbour, now)
        .unwrap_err();
    assert_eq!(err.code(), "not_owner");
    assert!(!can_view(&s.complaint, &w.neighbour));
    let err = w
        .apply(&s.complaint, Action::Accept, &w.admin, now)
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert!(can_view(&s.complaint, &w.admin));
    let t = w
        .apply(&s.complaint, Action::Withdraw, &w.resident, now)
        .unwrap();
    assert_eq!(t.complaint.status, Status::Withdrawn);
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
                    Action::RecordFine {
                        amount_rub: 20_000,
                        legal_basis: "КоАП 19.5 ч.1".into(),
                    },
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
