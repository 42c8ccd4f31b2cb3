//! Property tests of the lifecycle invariants and of the working-day arithmetic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use common::{World, at, category};
use domain::{
    Action, ActionKind, Actor, Calendar, CallOutcome, Category, Deadline, NewComplaint,
    RUSSIAN_CALENDAR_JSON, RejectReason, Role, register,
};
use proptest::prelude::*;
use uuid::Uuid;

/// One random step: which action, with which parameter, by whom, and how much later.
#[derive(Debug, Clone)]
struct Step {
    action: u8,
    flag: bool,
    wrong_role: Option<u8>,
    minutes_later: i64,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..128,
        any::<bool>(),
        prop::option::weighted(0.1, 0u8..6),
        0i64..(3 * 24 * 60),
    )
        .prop_map(|(action, flag, wrong_role, minutes_later)| Step {
            action,
            flag,
            wrong_role,
            minutes_later,
        })
}

fn categories() -> impl Strategy<Value = Category> {
    prop_oneof![
        Just(category("other")),
        Just(category("sewer_blockage")),
        Just(category("no_heating")),
        Just(category("roof_leak")),
        Just(category("bathroom_leak")),
    ]
}

fn build_action(
    step: &Step,
    world: &World,
    company_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Action {
    let call = |outcome| Action::RecordCall {
        outcome,
        comment: None,
    };
    let other = if company_id == Some(world.company_id()) {
        world.other_company_id()
    } else {
        world.company_id()
    };
    // Withdraw and reject end any story, so they are rare; the other actions share the rest.
    match step.action {
        0 => return Action::Withdraw,
        1 => {
            return Action::Reject {
                reason: RejectReason::Duplicate,
                comment: String::new(),
                duplicate_of: Some(uuid::Uuid::from_u128(1)),
            };
        }
        _ => {}
    }
    match (step.action - 2) % 19 {
        0 => Action::Accept,
        1 => Action::AssignExecutor {
            executor: "Бригада".into(),
        },
        2 | 3 => Action::ReportDone {
            note: "Сделано".into(),
        },
        4 => Action::NotOurBuilding {
            reason: "Не наш дом".into(),
        },
        5 => Action::Reroute { company_id: other },
        6 => call(CallOutcome::Satisfied),
        7 => call(CallOutcome::Unsatisfied),
        8 => call(CallOutcome::NotDone),
        9 => call(CallOutcome::NoAnswer),
        10 => Action::ResidentAnswer {
            satisfied: step.flag,
            comment: None,
        },
        11 => Action::SendToInspection {
            reason: "Контроль".into(),
        },
        12 => Action::RecordFindings {
            violation: step.flag,
            findings: "Акт".into(),
        },
        13 => Action::IssueOrder {
            order_id: Uuid::new_v4(),
            due_at: now + Duration::days(if step.flag { 1 } else { 7 }),
            text: "Устранить".into(),
        },
        14 => Action::CheckCompliance {
            complied: step.flag,
        },
        15 => common::fine(10_000),
        16 => Action::PauseClock {
            reason: "Нет доступа".into(),
        },
        _ => Action::ResumeClock,
    }
}

fn actor_for(world: &World, kind: ActionKind, step: &Step, company_id: Option<Uuid>) -> Actor {
    let role = match step.wrong_role {
        Some(i) => Role::all()
            .nth(usize::from(i) % Role::all().count())
            .unwrap_or(Role::Admin),
        None => kind.role(),
    };
    let mut actor = world.actor(role).clone();
    if role == Role::Company && company_id.is_some() {
        actor.organisation_id = company_id;
    }
    actor
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn lifecycle_invariants_hold_for_random_sequences(
        category in categories(),
        start_minutes in 0i64..(3 * 365 * 24 * 60),
        steps in prop::collection::vec(step(), 1..40),
    ) {
        let world = World::new();
        let mut now = at("2024-01-01T00:00:00Z") + Duration::minutes(start_minutes);
        let input = NewComplaint {
            id: Uuid::new_v4(),
            category,
            company_id: Some(world.company_id()),
            description: "Жалоба".into(),
            applicant: None,
            quota: domain::DailyQuota::UNLIMITED,
        };
        let t = register(input, &world.resident, now, &world.policy, &world.calendar).unwrap();
        prop_assert_eq!(t.event.from, None);
        prop_assert_eq!(t.complaint.version, 1);
        prop_assert_eq!(t.complaint.round, 1);
        prop_assert!(t.complaint.due_at.unwrap() > now);
        prop_assert!(t.complaint.answer_due_at > now);
        let mut current = t.complaint;
        let mut events = vec![t.event];

        for step in &steps {
            now += Duration::minutes(step.minutes_later);
            let action = build_action(step, &world, current.company_id, now);
            let kind = action.kind();
            let actor = actor_for(&world, kind, step, current.company_id);
            let result = domain::apply(&current, &action, &actor, now, &world.policy, &world.calendar);
            // What the screen offers is exactly what is possible: an offered action fails only on
            // its input, and one that is not offered never succeeds.
            let offered = domain::allowed_actions(&current, &actor).contains(&kind);
            match &result {
                Ok(_) => prop_assert!(offered, "{kind} succeeded but was not offered"),
                Err(e) if offered => prop_assert!(
                    e.code() == "validation"
                        || (kind == ActionKind::CheckCompliance && e.code() == "precondition_failed"),
                    "{kind} was offered but refused: {e}"
                ),
                Err(_) => {}
            }
            match result {
                Err(_) => {}
                Ok(t) => {
                    // The stored form of the event reads back as the same event.
                    let (company_id, details) =
                        domain::Event::decode_payload(t.event.kind(), t.event.payload(), t.event.personal())
                            .unwrap();
                    // The hashed payload never holds a personal field.
                    for key in domain::PERSONAL_FIELDS {
                        prop_assert!(t.event.payload().get(key).is_none(), "{key} in the payload");
                    }
                    prop_assert_eq!(company_id, t.event.company_id);
                    prop_assert_eq!(&details, &t.event.details);
                    // A final state is never left.
                    prop_assert!(current.status.is_open(), "left final {}", current.status);
                    // Exactly one event, version + 1.
                    prop_assert_eq!(t.complaint.version, current.version + 1);
                    prop_assert_eq!(t.event.from, Some(current.status));
                    prop_assert_eq!(t.event.to, t.complaint.status);
                    prop_assert_eq!(t.event.at, now);
                    prop_assert_eq!(t.event.complaint_id, current.id);
                    prop_assert_eq!(t.event.actor_role, kind.role());
                    prop_assert_eq!(t.event.round, t.complaint.round);
                    // The round never goes down, and later rounds are urgent.
                    prop_assert!(t.complaint.round >= current.round);
                    if t.complaint.round > current.round {
                        prop_assert!(t.complaint.urgent);
                        prop_assert_eq!(t.complaint.round, current.round + 1);
                    }
                    // Deadlines fall after their start; a resume only moves the deadline later.
                    if t.complaint.due_at != current.due_at {
                        let due = t.complaint.due_at.unwrap();
                        if kind == ActionKind::ResumeClock {
                            prop_assert!(due >= current.due_at.unwrap());
                        } else {
                            prop_assert!(due > now, "{kind}: {due} <= {now}");
                        }
                    }
                    // The 59-ФЗ clock never moves.
                    prop_assert_eq!(t.complaint.answer_due_at, current.answer_due_at);
                    if t.complaint.status.is_final() {
                        prop_assert!(t.complaint.paused_since.is_none());
                    }
                    current = t.complaint;
                    events.push(t.event);
                }
            }
        }
        prop_assert_eq!(i64::try_from(events.len()).unwrap(), current.version);
    }

    #[test]
    fn deadlines_fall_after_their_start(
        start_seconds in 0i64..(4 * 366 * 24 * 3600),
        unit in 0u8..3,
        value in 0u32..60,
    ) {
        let calendar = Calendar::russian_default();
        let start = at("2024-01-01T00:00:00Z") + Duration::seconds(start_seconds);
        let deadline = match unit {
            0 => Deadline::Hours(value),
            1 => Deadline::WorkingDays(value),
            _ => Deadline::CalendarDays(value),
        };
        let due = deadline.due_from(start, &calendar);
        prop_assert!(due > start);
        if let Deadline::WorkingDays(n) = deadline {
            // The deadline is the end of a working day, n.max(1) working days after the start date.
            let last = calendar.local_date(due - Duration::seconds(1));
            prop_assert!(calendar.is_working_day(last));
            prop_assert_eq!(
                calendar.working_days_between(calendar.local_date(start), last),
                n.max(1)
            );
        }
        // A repeat round is never longer than the first.
        let shorter = deadline.shortened(0.5).due_from(start, &calendar);
        prop_assert!(shorter > start && shorter <= due);
        prop_assert!(deadline.shortened(0.5).value() <= deadline.value().max(1));
    }

    #[test]
    fn working_day_arithmetic_agrees_with_a_naive_count(
        a in 0i64..(6 * 366),
        span in 0i64..400,
        n in 0u32..120,
    ) {
        let calendar = Calendar::russian_default();
        let naive = NaiveCalendar::from_json(RUSSIAN_CALENDAR_JSON);
        let from = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap() + Duration::days(a);
        let to = from + Duration::days(span);

        let mut count = 0u32;
        let mut day = from;
        while day < to {
            day = day.succ_opt().unwrap();
            prop_assert_eq!(calendar.is_working_day(day), naive.is_working_day(day), "{}", day);
            if naive.is_working_day(day) {
                count += 1;
            }
        }
        prop_assert_eq!(calendar.working_days_between(from, to), count);
        prop_assert_eq!(calendar.working_days_between(to, from), 0);

        let end = calendar.add_working_days(from, n);
        prop_assert_eq!(calendar.working_days_between(from, end), n);
        if n > 0 {
            prop_assert!(naive.is_working_day(end));
        }
    }
}

/// The calendar rules stated directly on the raw JSON lists.
struct NaiveCalendar {
    years: BTreeSet<i32>,
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
}

impl NaiveCalendar {
    fn from_json(json: &str) -> NaiveCalendar {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut cal = NaiveCalendar {
            years: BTreeSet::new(),
            off: BTreeSet::new(),
            on: BTreeSet::new(),
        };
        for (year, data) in value["years"].as_object().unwrap() {
            cal.years.insert(year.parse().unwrap());
            let dates = |key: &str| -> Vec<NaiveDate> {
                data[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d.as_str().unwrap().parse().unwrap())
                    .collect()
            };
            cal.off.extend(dates("days_off_weekdays"));
            cal.on.extend(dates("working_weekends"));
        }
        cal
    }

    fn is_working_day(&self, day: NaiveDate) -> bool {
        let weekend = day.weekday() == Weekday::Sat || day.weekday() == Weekday::Sun;
        if !self.years.contains(&day.year()) {
            return !weekend;
        }
        (!weekend && !self.off.contains(&day)) || self.on.contains(&day)
    }
}

proptest! {
    /// Test data reaches the public only while the pilot runs; real data always does.
    #[test]
    fn test_data_is_public_only_in_the_pilot(is_test in any::<bool>(), pilot in any::<bool>()) {
        prop_assert_eq!(domain::publicly_visible(is_test, pilot), !is_test || pilot);
    }

    /// Nothing but the exact words (white space around them aside) confirms a purge.
    #[test]
    fn only_the_typed_words_confirm_a_purge(typed in "\\PC{0,30}", pad in "[ \\t\\n]{0,3}") {
        prop_assert_eq!(
            domain::confirms_purge(&typed),
            typed.trim() == domain::PURGE_CONFIRMATION
        );
        let padded = format!("{pad}{}{pad}", domain::PURGE_CONFIRMATION);
        prop_assert!(domain::confirms_purge(&padded));
    }
}
