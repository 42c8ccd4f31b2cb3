//! Recategorisation (issue 16): the dispatcher corrects a complaint filed under the wrong category;
//! the status stays, the execution deadline runs afresh on the new category's clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::{Story, World, at, category, ordinary};
use domain::{
    Action, ActionKind, CategoryChoice, Changed, DomainError, EventDetails, OutboxMessage,
    Recipient, Status, allowed_actions, category_due, notice,
};

fn to(choice: CategoryChoice) -> Action {
    Action::Recategorise {
        category: choice,
        reason: "Течёт кровля, а не кран".into(),
    }
}

#[test]
fn the_dispatcher_recategorises_and_the_deadline_follows_the_new_category() {
    let w = World::new();
    let filed_at = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(ordinary(), filed_at));
    let before = s.complaint.clone();
    assert!(allowed_actions(&before, &w.dispatcher).contains(&ActionKind::Recategorise));
    assert!(!allowed_actions(&before, &w.company).contains(&ActionKind::Recategorise));

    let now = at("2026-03-03T15:00:00+05:00");
    let roof = category("roof_leak");
    let c = s.step(to(CategoryChoice::Active(roof.clone())), &w.dispatcher, now);
    assert_eq!(c.status, before.status, "the lifecycle does not move");
    assert_eq!(c.category, roof);
    // One calendar day from the recategorisation: the end of 4 March, city time.
    let expected = category_due(&roof, 1, now, &w.policy, &w.calendar);
    assert_eq!(c.due_at, Some(expected));
    assert_eq!(c.due_at, Some(at("2026-03-05T00:00:00+05:00")));
    assert!(!c.urgent);

    let event = s.events.last().unwrap();
    assert_eq!(
        event.details,
        EventDetails::Recategorise {
            from_category_id: before.category.id,
            from_category: "other".into(),
            to_category_id: roof.id,
            to_category: "roof_leak".into(),
            due_at: c.due_at,
        }
    );
    assert_eq!(event.comment.as_deref(), Some("Течёт кровля, а не кран"));

    // The company hears of it, in the app, with the new category's name.
    let told = notice(
        &OutboxMessage::Changed(Changed::of(event)),
        &c,
        "СУР-2026-000001",
        "Протечка кровли",
    );
    assert!(
        told.recipients
            .contains(&Recipient::StaffOf(w.company_id()))
    );
    assert!(told.text.contains("Протечка кровли"), "{}", told.text);
    assert_eq!(
        domain::EventType::of(&OutboxMessage::Changed(Changed::of(event))),
        vec![domain::EventType::Recategorised]
    );

    // An emergency category makes it urgent, on the clock of hours.
    let flood = category("flooding");
    let later = now + Duration::hours(1);
    let c = s.step(
        to(CategoryChoice::Active(flood.clone())),
        &w.dispatcher,
        later,
    );
    assert!(c.urgent);
    assert_eq!(c.due_at, Some(later + Duration::hours(72)));
}

#[test]
fn a_later_round_keeps_its_shortened_clock_and_its_urgency() {
    let w = World::new();
    let mut c = w
        .file(ordinary(), at("2026-03-02T10:00:00+05:00"))
        .complaint;
    c.status = Status::InProgress;
    c.round = 2;
    c.urgent = true;
    let now = at("2026-03-10T12:00:00+05:00");
    let gutters = category("gutters"); // 5 calendar days; 3 in a repeat round
    let t = w
        .apply(
            &c,
            to(CategoryChoice::Active(gutters.clone())),
            &w.dispatcher,
            now,
        )
        .unwrap();
    assert!(t.complaint.urgent, "round 2 stays urgent");
    assert_eq!(t.complaint.due_at, Some(at("2026-03-14T00:00:00+05:00")));
}

#[test]
fn outside_execution_the_stage_deadline_stays_and_a_paused_clock_restarts_on_resume() {
    let w = World::new();
    let filed = w
        .file(ordinary(), at("2026-03-02T10:00:00+05:00"))
        .complaint;
    let now = at("2026-03-04T12:00:00+05:00");
    let roof = category("roof_leak");

    let mut verifying = filed.clone();
    verifying.status = Status::AwaitingVerification;
    verifying.due_at = Some(at("2026-03-06T00:00:00+05:00"));
    let t = w
        .apply(
            &verifying,
            to(CategoryChoice::Active(roof.clone())),
            &w.dispatcher,
            now,
        )
        .unwrap();
    assert_eq!(t.complaint.due_at, verifying.due_at, "verification's clock");
    assert_eq!(t.complaint.category, roof);

    let mut paused = filed.clone();
    paused.paused_since = Some(now - Duration::hours(5));
    let t = w
        .apply(
            &paused,
            to(CategoryChoice::Active(roof.clone())),
            &w.dispatcher,
            now,
        )
        .unwrap();
    assert_eq!(
        t.complaint.paused_since,
        Some(now),
        "still paused, from now"
    );
    let resumed_at = now + Duration::days(2);
    let resumed = w
        .apply(&t.complaint, Action::ResumeClock, &w.company, resumed_at)
        .unwrap();
    // The deadline moves by the time paused since the recategorisation only.
    assert_eq!(
        resumed.complaint.due_at,
        Some(t.complaint.due_at.unwrap() + Duration::days(2))
    );
}

#[test]
fn bad_input_is_refused_by_field_and_nothing_else_may_recategorise() {
    let w = World::new();
    let filed = w
        .file(ordinary(), at("2026-03-02T10:00:00+05:00"))
        .complaint;
    let now = at("2026-03-03T10:00:00+05:00");
    let field_of = |err: DomainError| match err {
        DomainError::Validation { field, .. } => field,
        other => panic!("not a validation error: {other:?}"),
    };

    let same = CategoryChoice::Active(filed.category.clone());
    let err = w.apply(&filed, to(same), &w.dispatcher, now).unwrap_err();
    assert_eq!(field_of(err), "category_id");
    let err = w
        .apply(&filed, to(CategoryChoice::Unknown), &w.dispatcher, now)
        .unwrap_err();
    assert_eq!(field_of(err), "category_id");
    let retired = CategoryChoice::Inactive(category("roof_leak"));
    let err = w
        .apply(&filed, to(retired), &w.dispatcher, now)
        .unwrap_err();
    assert_eq!(field_of(err), "category_id");
    for reason in ["", "   "] {
        let blank = Action::Recategorise {
            category: CategoryChoice::Active(category("roof_leak")),
            reason: reason.into(),
        };
        let err = w.apply(&filed, blank, &w.dispatcher, now).unwrap_err();
        assert_eq!(field_of(err), "reason");
    }
    let long = Action::Recategorise {
        category: CategoryChoice::Active(category("roof_leak")),
        reason: "х".repeat(4001),
    };
    let err = w.apply(&filed, long, &w.dispatcher, now).unwrap_err();
    assert_eq!(field_of(err), "reason");

    let good = to(CategoryChoice::Active(category("roof_leak")));
    for actor in [&w.company, &w.inspector, &w.resident, &w.admin, &w.clerk] {
        let err = w.apply(&filed, good.clone(), actor, now).unwrap_err();
        assert_eq!(err.code(), "forbidden", "{}", actor.role);
    }
    for status in [
        Status::Closed,
        Status::ClosedUnconfirmed,
        Status::Rejected,
        Status::Withdrawn,
    ] {
        let mut done = filed.clone();
        done.status = status;
        let err = w
            .apply(&done, good.clone(), &w.dispatcher, now)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_transition", "{status}");
    }
}

#[test]
fn a_management_change_moves_open_complaints_only_by_the_admin() {
    let w = World::new();
    let filed = w
        .file(ordinary(), at("2026-03-02T10:00:00+05:00"))
        .complaint;
    let now = at("2026-03-04T12:00:00+05:00");
    let to_company = w.other_company_id();
    let move_it = |c: &domain::Complaint, actor: &domain::Actor| {
        domain::change_management(c, to_company, actor, now, &w.policy, &w.calendar)
    };

    let mut working = filed.clone();
    working.status = Status::InProgress;
    working.executor = Some("Бригада № 2".into());
    working.paused_since = Some(now - Duration::hours(1));
    let t = move_it(&working, &w.admin).unwrap().unwrap();
    assert_eq!(t.complaint.company_id, Some(to_company));
    assert_eq!(
        t.complaint.status,
        Status::Registered,
        "the new company accepts"
    );
    assert_eq!(t.complaint.executor, None);
    assert_eq!(t.complaint.paused_since, None);
    assert_eq!(
        t.complaint.due_at,
        Some(category_due(
            &filed.category,
            1,
            now,
            &w.policy,
            &w.calendar
        ))
    );
    assert_eq!(t.complaint.version, working.version + 1);
    assert_eq!(
        t.event.details,
        EventDetails::Reroute {
            from_company_id: Some(w.company_id()),
            to_company_id: Some(to_company),
            management_change: true,
        }
    );
    assert_eq!(
        t.event.comment.as_deref(),
        Some(domain::MANAGEMENT_CHANGE_REASON)
    );
    // Both companies hear of it.
    let told = notice(
        &OutboxMessage::Changed(Changed::of(&t.event)),
        &t.complaint,
        "СУР-2026-000002",
        "Прочее",
    );
    assert!(
        told.recipients
            .contains(&Recipient::StaffOf(w.company_id()))
    );
    assert!(told.recipients.contains(&Recipient::StaffOf(to_company)));

    // Further on, only the company changes.
    let mut verifying = filed.clone();
    verifying.status = Status::AwaitingVerification;
    let t = move_it(&verifying, &w.admin).unwrap().unwrap();
    assert_eq!(t.complaint.status, Status::AwaitingVerification);
    assert_eq!(t.complaint.due_at, verifying.due_at);

    // Final complaints and those already with the company stay; nobody but the admin moves them.
    for status in [Status::Closed, Status::Rejected, Status::Withdrawn] {
        let mut done = filed.clone();
        done.status = status;
        assert_eq!(move_it(&done, &w.admin).unwrap(), None, "{status}");
    }
    let mut there = filed.clone();
    there.company_id = Some(to_company);
    assert_eq!(move_it(&there, &w.admin).unwrap(), None);
    for actor in [&w.dispatcher, &w.company, &w.resident] {
        assert_eq!(move_it(&filed, actor).unwrap_err().code(), "forbidden");
    }
}
