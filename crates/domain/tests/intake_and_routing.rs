//! The story of DOMAIN.md, told as tests: intake by a clerk, routing, unreachable residents,
//! paused clocks and ownership.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{Story, World, at, category, ordinary};
use domain::{
    Action, Actor, Applicant, CONSENT_VERSION, CallOutcome, Consent, DailyQuota, DomainError,
    EscalationEffect, NewComplaint, PhoneNumber, Role, Status, can_view, default_escalation_rules,
    due_escalations, is_overdue, register,
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
    // The person's name and phone are in no part of the event (the complaint's person holds
    // them, issue 14); the description stays out of the hashed payload.
    let whole_event = serde_json::to_string(&t.event).unwrap();
    assert!(!whole_event.contains("Петрова"), "{whole_event}");
    assert!(!whole_event.contains("9123456789"), "{whole_event}");
    assert!(t.event.personal().unwrap().get("applicant_phone").is_none());
    assert!(t.event.payload().get("applicant_phone").is_none());
    assert!(t.event.payload().get("description").is_none());
    assert_eq!(
        domain::author_message(&domain::Changed::of(&t.event), c),
        None,
        "the person learns of the filing from the receipt, not from a second SMS"
    );

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
    // The last call: the person is asked by SMS and gets a day to answer.
    let c = s.step(
        call(CallOutcome::NoAnswer),
        &w.dispatcher,
        at("2026-03-05T10:00:00+05:00"),
    );
    assert_eq!(
        (c.status, c.unanswered_calls),
        (Status::AwaitingVerification, 3)
    );
    assert_eq!(s.events.last().unwrap().payload()["attempt"], 3);
    assert_eq!(s.events.last().unwrap().payload()["reply_requested"], true);
    assert_eq!(
        domain::author_message(&domain::Changed::of(s.events.last().unwrap()), &s.complaint),
        Some(domain::MessageKind::ReplyRequest)
    );
    assert_eq!(c.due_at, Some(at("2026-03-06T10:00:00+05:00")));
    // No reply by then: the escalation rule closes it as unconfirmed, as the system.
    let rules = default_escalation_rules(&w.policy);
    let later = at("2026-03-06T10:01:00+05:00");
    assert!(
        due_escalations(
            std::slice::from_ref(&c),
            at("2026-03-06T09:59:00+05:00"),
            &rules
        )
        .iter()
        .all(|e| e.action.is_none()),
        "nothing closes before the wait is over"
    );
    let escalation = due_escalations(std::slice::from_ref(&c), later, &rules)
        .into_iter()
        .find(|e| e.effect == EscalationEffect::CloseUnconfirmed)
        .unwrap();
    let c = s.step(escalation.action.unwrap(), &Actor::system(), later);
    assert_eq!(
        (c.status, c.unanswered_calls),
        (Status::ClosedUnconfirmed, 4)
    );
    // Final: nothing more happens.
    let err = w
        .apply(
            &s.complaint,
            call(CallOutcome::Satisfied),
            &w.dispatcher,
            at("2026-03-06T11:00:00+05:00"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_transition");

    // Where no wait is configured, the last call closes it at once.
    let mut w = World::new();
    w.policy.reply_wait = None;
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(done(), &w.company, at("2026-03-03T11:00:00+05:00"));
    for hour in ["10", "12", "14"] {
        s.step(
            call(CallOutcome::NoAnswer),
            &w.dispatcher,
            at(&format!("2026-03-04T{hour}:00:00+05:00")),
        );
    }
    assert_eq!(
        (s.complaint.status, s.complaint.unanswered_calls),
        (Status::ClosedUnconfirmed, 3)
    );
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
fn a_partner_system_files_with_the_consent_it_states() {
    // A ТОС office's app (Open311) states the person's consent by filing: the current text, as a
    // clerk's intake records it; a person without a name is still refused.
    let w = World::new();
    let consent = Consent::stated_by_partner();
    assert_eq!(consent.version, CONSENT_VERSION);
    assert!(consent.check().is_ok());
    let input = |name: &str| NewComplaint {
        id: Uuid::new_v4(),
        category: category("roof_leak"),
        company_id: Some(w.company_id()),
        description: "Протечка кровли".into(),
        applicant: Some(Applicant {
            name: name.into(),
            phone: None,
            consent: Consent::stated_by_partner(),
        }),
        quota: DailyQuota::UNLIMITED,
    };
    let now = at("2026-03-02T10:00:00+05:00");
    assert!(register(input("Мария"), &w.clerk, now, &w.policy, &w.calendar).is_ok());
    let refused = register(input(" "), &w.clerk, now, &w.policy, &w.calendar).unwrap_err();
    assert!(
        matches!(refused, DomainError::Validation { ref field, .. } if field == "applicant.name")
    );
}
