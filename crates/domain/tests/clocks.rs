//! Legal clocks (issue 15): which clocks a category runs, what meets, pauses, resumes and stops
//! each, and the properties: a due time computed at filing never moves (but for a pause, by
//! exactly the time paused), and a clock is missed at most once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{Story, World, at, category, ordinary};
use domain::{
    Action, ActionKind, Calendar, Clock, ClockKind, ClockState, ClockTally, Complaint, Deadline,
    after_transition, city_answer_clock, clock_specs, clocks_for_category,
};
use proptest::prelude::*;

fn kinds(clocks: &[Clock]) -> Vec<ClockKind> {
    clocks.iter().map(|c| c.kind).collect()
}

#[test]
fn each_default_category_runs_its_legal_clocks() {
    use ClockKind::*;
    let table: &[(&str, &[ClockKind])] = &[
        ("flooding", &[Localise, Fix]),
        ("no_heating", &[Localise, Check, Fix]),
        ("no_water", &[Localise, Check, Fix]),
        ("no_power", &[Localise, Check, Fix]),
        ("sewer_blockage", &[Fix]),
        ("lift_people_trapped", &[Fix]),
        ("roof_leak", &[Answer, Fix]),
        ("other", &[Answer, Fix]),
    ];
    for (code, expected) in table {
        let specs = clock_specs(&category(code));
        let got: Vec<ClockKind> = specs.iter().map(|s| s.kind).collect();
        assert_eq!(&got, expected, "{code}");
        assert!(specs.iter().all(|s| !s.basis.is_empty()), "{code}");
    }
    let flooding = clock_specs(&category("flooding"));
    assert_eq!(flooding[0].deadline, Deadline::Minutes(30));
    assert!(flooding[0].basis.contains("416"));
    assert_eq!(flooding[1].deadline, Deadline::Hours(72));
    let heating = clock_specs(&category("no_heating"));
    assert_eq!(heating[1].deadline, Deadline::Hours(2));
    assert!(heating[1].basis.contains("354"));
    let other = clock_specs(&ordinary());
    assert_eq!(other[0].deadline, Deadline::WorkingDays(3));
    assert!(other[0].basis.contains("п. 31"));
}

#[test]
fn a_category_not_among_the_defaults_gets_the_clocks_of_its_kind() {
    let mut c = ordinary();
    c.code = "snow_on_roof".into();
    c.deadline = Deadline::CalendarDays(2);
    let specs = clock_specs(&c);
    assert_eq!(
        specs.iter().map(|s| s.kind).collect::<Vec<_>>(),
        [ClockKind::Answer, ClockKind::Fix]
    );
    assert_eq!(specs[1].deadline, Deadline::CalendarDays(2));
    c.emergency = true;
    assert_eq!(
        clock_specs(&c).iter().map(|s| s.kind).collect::<Vec<_>>(),
        [ClockKind::Fix]
    );
}

#[test]
fn the_fix_clock_takes_the_categorys_current_deadline() {
    let mut flooding = category("flooding");
    flooding.deadline = Deadline::Hours(48);
    let fix = clock_specs(&flooding).pop().unwrap();
    assert_eq!(
        (fix.kind, fix.deadline),
        (ClockKind::Fix, Deadline::Hours(48))
    );
}

/// Which action meets which clock: the table of the module docs.
/// A clock met in time counts as met on time, one met late as missed (not both), one stopped or
/// still running as neither; a change that moves no figure is zero.
#[test]
fn a_clock_counts_once_for_the_scorecard() {
    let calendar = Calendar::russian_default();
    let filed = at("2026-03-02T09:00:00+05:00");
    let spec = domain::ClockSpec::new(ClockKind::Answer, Deadline::Hours(24), "test");
    let running = Clock::start(&spec, 1, filed, &calendar);
    let counted = |met: i64, missed: i64| ClockTally {
        clocks: 1,
        met_on_time: met,
        missed,
    };
    assert_eq!(ClockTally::of(&running), counted(0, 0));
    assert_eq!(ClockTally::change(None, &running), counted(0, 0));

    let mut in_time = running.clone();
    assert!(in_time.meet(filed + Duration::hours(1)));
    assert_eq!(ClockTally::of(&in_time), counted(1, 0));
    let met = ClockTally::change(Some(&running), &in_time);
    assert_eq!((met.clocks, met.met_on_time, met.missed), (0, 1, 0));

    let mut late = running.clone();
    assert!(late.meet(running.due_at + Duration::hours(1)));
    assert_eq!(ClockTally::of(&late), counted(0, 1));

    let mut stopped = running.clone();
    assert!(stopped.stop(filed + Duration::hours(2)));
    assert!(ClockTally::change(Some(&running), &stopped).is_zero());
    assert!(!ClockTally::change(Some(&running), &in_time).is_zero());

    // A complaint's write: its answer clock met in time and a new fix clock of a second round
    // change two kinds' figures; a clock written again as it was changes none.
    let fix = domain::ClockSpec::new(ClockKind::Fix, Deadline::Hours(72), "test");
    let second_round = Clock::start(&fix, 2, filed, &calendar);
    let changes = ClockTally::changes(std::slice::from_ref(&running), [&in_time, &second_round]);
    assert_eq!(
        changes,
        vec![(ClockKind::Answer, met), (ClockKind::Fix, counted(0, 0))]
    );
    assert!(ClockTally::changes(std::slice::from_ref(&running), [&running]).is_empty());
}

#[test]
fn what_meets_pauses_and_resumes_each_clock() {
    use ClockKind::*;
    use domain::ClockEffect::*;
    for action in ActionKind::all() {
        for clock in ClockKind::all() {
            let expected = match (clock, action) {
                (
                    Localise | Check | Answer,
                    ActionKind::Accept | ActionKind::AssignExecutor | ActionKind::ReportDone,
                ) => Some(Meet),
                (Fix, ActionKind::ReportDone) => Some(Meet),
                (Fix, ActionKind::PauseClock) => Some(Pause),
                (Fix, ActionKind::ResumeClock) => Some(Resume),
                _ => None,
            };
            assert_eq!(clock.effect_of(action), expected, "{clock} × {action}");
        }
    }
}

fn clocks_of(w: &World, c: &Complaint) -> Vec<Clock> {
    clocks_for_category(&c.category, 1, c.registered_at, &w.calendar)
}

fn step(s: &mut Story, clocks: &mut Vec<Clock>, action: Action, now: DateTime<Utc>) {
    let before = s.complaint.clone();
    let kind = action.kind();
    let actor = match kind.role() {
        domain::Role::Company => s.world.company.clone(),
        domain::Role::Dispatcher => s.world.dispatcher.clone(),
        domain::Role::Inspector => s.world.inspector.clone(),
        _ => s.world.resident.clone(),
    };
    s.step(action, &actor, now);
    for changed in after_transition(clocks, &before, &s.complaint, kind, &s.started_clocks, now) {
        match clocks
            .iter_mut()
            .find(|c| c.kind == changed.kind && c.round == changed.round)
        {
            Some(slot) => *slot = changed,
            None => clocks.push(changed),
        }
    }
}

fn state(clocks: &[Clock], kind: ClockKind, round: u32) -> ClockState {
    clocks
        .iter()
        .find(|c| c.kind == kind && c.round == round)
        .unwrap()
        .state()
}

#[test]
fn an_emergency_localised_in_time_and_fixed_late() {
    let w = World::new();
    let filed = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(category("flooding"), filed));
    let mut clocks = clocks_of(&w, &s.complaint);
    assert_eq!(kinds(&clocks), [ClockKind::Localise, ClockKind::Fix]);
    assert_eq!(clocks[0].due_at, filed + Duration::minutes(30));
    assert_eq!(clocks[1].due_at, filed + Duration::hours(72));

    step(
        &mut s,
        &mut clocks,
        Action::Accept,
        filed + Duration::minutes(20),
    );
    assert_eq!(state(&clocks, ClockKind::Localise, 1), ClockState::Met);
    assert_eq!(state(&clocks, ClockKind::Fix, 1), ClockState::Running);

    // The worker finds the fix clock past due: missed once, at its due time.
    let late = filed + Duration::hours(80);
    let fix = clocks
        .iter_mut()
        .find(|c| c.kind == ClockKind::Fix)
        .unwrap();
    assert!(fix.miss_if_due(late));
    assert!(!fix.miss_if_due(late + Duration::hours(1)));
    assert_eq!(fix.missed_at, Some(filed + Duration::hours(72)));

    let note = Action::ReportDone {
        note: "Заменили стояк".into(),
    };
    step(&mut s, &mut clocks, note, late);
    let fix = clocks.iter().find(|c| c.kind == ClockKind::Fix).unwrap();
    assert_eq!(fix.state(), ClockState::Missed, "done late stays missed");
    assert_eq!(fix.met_at, Some(late));
}

#[test]
fn a_new_category_puts_its_clocks_in_place_of_the_old_ones() {
    let w = World::new();
    let filed = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(ordinary(), filed));
    let mut clocks = clocks_of(&w, &s.complaint);
    assert_eq!(kinds(&clocks), [ClockKind::Answer, ClockKind::Fix]);

    // An hour later the dispatcher sees it is a flood.
    let now = filed + Duration::hours(1);
    let flood = category("flooding");
    let recategorise = Action::Recategorise {
        category: domain::CategoryChoice::Active(flood),
        reason: "Это затопление".into(),
    };
    step(&mut s, &mut clocks, recategorise, now);
    assert_eq!(
        state(&clocks, ClockKind::Answer, 1),
        ClockState::Stopped,
        "a flood has no 3-day answer clock"
    );
    let localise = clocks
        .iter()
        .find(|c| c.kind == ClockKind::Localise)
        .unwrap();
    assert_eq!(
        (localise.started_at, localise.due_at),
        (now, now + Duration::minutes(30)),
        "the 30 minutes run from the recategorisation"
    );
    let fix = clocks.iter().find(|c| c.kind == ClockKind::Fix).unwrap();
    assert_eq!(fix.state(), ClockState::Running);
    assert_eq!(
        Some(fix.due_at),
        s.complaint.due_at,
        "the fix clock follows the new deadline"
    );
    assert_eq!(fix.due_at, now + Duration::hours(72));

    // Met stays met: an answer given in time under the old category is not undone.
    let mut s = Story::start(&w, w.file(ordinary(), filed));
    let mut clocks = clocks_of(&w, &s.complaint);
    step(&mut s, &mut clocks, Action::Accept, now);
    let recategorise = Action::Recategorise {
        category: domain::CategoryChoice::Active(category("roof_leak")),
        reason: "Кровля".into(),
    };
    step(&mut s, &mut clocks, recategorise, now + Duration::hours(1));
    assert_eq!(state(&clocks, ClockKind::Answer, 1), ClockState::Met);
}

#[test]
fn met_after_its_due_time_counts_as_missed_even_before_the_worker_saw_it() {
    let w = World::new();
    let filed = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(category("flooding"), filed));
    let mut clocks = clocks_of(&w, &s.complaint);
    step(
        &mut s,
        &mut clocks,
        Action::Accept,
        filed + Duration::minutes(31),
    );
    let localise = &clocks[0];
    assert_eq!(localise.state(), ClockState::Missed);
    assert_eq!(localise.missed_at, Some(filed + Duration::minutes(30)));
}

#[test]
fn the_fix_clock_pauses_while_waiting_for_the_resident_and_resumes_later() {
    let w = World::new();
    let filed = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(ordinary(), filed));
    let mut clocks = clocks_of(&w, &s.complaint);
    let due = clocks[1].due_at;
    step(
        &mut s,
        &mut clocks,
        Action::Accept,
        filed + Duration::hours(1),
    );
    assert_eq!(state(&clocks, ClockKind::Answer, 1), ClockState::Met);
    let pause = Action::PauseClock {
        reason: "Нет доступа в квартиру".into(),
    };
    step(&mut s, &mut clocks, pause, filed + Duration::hours(2));
    assert_eq!(state(&clocks, ClockKind::Fix, 1), ClockState::Paused);
    // Paused, it is not missed even long past its due time.
    let mut probe = clocks[1].clone();
    assert!(!probe.miss_if_due(due + Duration::days(30)));
    step(
        &mut s,
        &mut clocks,
        Action::ResumeClock,
        filed + Duration::hours(26),
    );
    assert_eq!(clocks[1].state(), ClockState::Running);
    assert_eq!(clocks[1].due_at, due + Duration::hours(24));
    assert_eq!(clocks[1].due_at_start(), due);
}

#[test]
fn a_second_round_starts_its_own_fix_clock_and_an_ended_complaint_stops_the_rest() {
    let w = World::new();
    let filed = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(ordinary(), filed));
    let mut clocks = clocks_of(&w, &s.complaint);
    let t = filed + Duration::hours(3);
    step(&mut s, &mut clocks, Action::Accept, t);
    let done = Action::ReportDone {
        note: "Сделано".into(),
    };
    step(&mut s, &mut clocks, done, t);
    assert_eq!(state(&clocks, ClockKind::Fix, 1), ClockState::Met);
    let unsatisfied = Action::RecordCall {
        outcome: domain::CallOutcome::Unsatisfied,
        comment: None,
    };
    step(&mut s, &mut clocks, unsatisfied, t + Duration::hours(1));
    assert_eq!(s.complaint.round, 2);
    let round2 = clocks.iter().find(|c| c.round == 2).unwrap();
    assert_eq!(round2.kind, ClockKind::Fix);
    assert_eq!(Some(round2.due_at), s.complaint.due_at);
    let reject = Action::Reject {
        reason: domain::RejectReason::NotHousingMatter,
        comment: String::new(),
        duplicate_of: None,
    };
    step(&mut s, &mut clocks, reject, t + Duration::hours(2));
    assert_eq!(state(&clocks, ClockKind::Fix, 2), ClockState::Stopped);
    assert_eq!(state(&clocks, ClockKind::Fix, 1), ClockState::Met);
}

#[test]
fn the_city_answer_clock_is_the_complaints_own_59_fz_deadline() {
    let w = World::new();
    let filed = at("2026-03-02T10:00:00+05:00");
    let mut s = Story::start(&w, w.file(ordinary(), filed));
    let c = &s.complaint;
    let running = city_answer_clock(c, None, filed + Duration::days(1));
    assert_eq!(running.due_at, c.answer_due_at);
    assert_eq!(running.state(), ClockState::Running);
    let late = city_answer_clock(c, None, c.answer_due_at + Duration::seconds(1));
    assert_eq!(late.state(), ClockState::Missed);
    let extend = Action::ExtendAnswer {
        days: 30,
        reason: "Запрос в ресурсоснабжающую организацию".into(),
    };
    let before = c.answer_due_at;
    s.step(extend, &w.dispatcher, filed + Duration::days(2));
    let extended = city_answer_clock(&s.complaint, None, before + Duration::seconds(1));
    assert_eq!(
        extended.state(),
        ClockState::Running,
        "the extension moves it"
    );
}

fn start_of(seconds: i64) -> DateTime<Utc> {
    at("2024-01-01T00:00:00Z") + Duration::seconds(seconds)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// For every clock of every default category, the due time computed at filing is fixed: the
    /// category's or the policy's later edits cannot reach it, and no action moves it but a pause,
    /// which moves it by exactly the time paused.
    #[test]
    fn a_due_time_computed_at_filing_never_moves_but_for_a_pause(
        filed_seconds in 0i64..(3 * 366 * 24 * 3600),
        code_index in 0usize..15,
        steps in proptest::collection::vec((0u8..4, 1i64..100_000), 0..8),
    ) {
        let calendar = Calendar::russian_default();
        let seeds = domain::default_categories();
        let seed = &seeds[code_index % seeds.len()];
        let mut category = seed.to_category(uuid::Uuid::nil());
        let filed = start_of(filed_seconds);
        let clocks = clocks_for_category(&category, 1, filed, &calendar);
        prop_assert_eq!(clocks.len(), seed.clocks.len());
        for (clock, spec) in clocks.iter().zip(&seed.clocks) {
            prop_assert_eq!(clock.due_at, spec.deadline.due_from(filed, &calendar));
            prop_assert!(clock.due_at > filed);
        }
        // The category edited afterwards: the clocks already started keep their due times.
        category.deadline = Deadline::Hours(1);
        let again = clocks_for_category(&category, 1, filed, &calendar);
        prop_assert!(again.iter().any(|c| c.kind == ClockKind::Fix && c.due_at == filed + Duration::hours(1)));
        for mut clock in clocks {
            let at_filing = clock.due_at;
            let mut now = filed;
            let mut paused = Duration::zero();
            for (op, gap) in &steps {
                now += Duration::seconds(*gap);
                let paused_at = clock.paused_at;
                match op {
                    0 => { clock.pause(now); }
                    1 => {
                        if clock.resume(now) {
                            paused += now - paused_at.unwrap();
                        }
                    }
                    2 => { clock.miss_if_due(now); }
                    _ => { clock.stop(now); }
                }
                prop_assert_eq!(clock.due_at, at_filing + paused);
                prop_assert_eq!(clock.due_at_start(), at_filing);
            }
        }
    }

    /// A paused clock resumes with the paused time added, however often it is paused.
    #[test]
    fn a_paused_clock_resumes_with_the_paused_time_added(
        hours in 1u32..500,
        pauses in proptest::collection::vec((1i64..200_000, 1i64..200_000), 1..6),
    ) {
        let calendar = Calendar::russian_default();
        let filed = start_of(0);
        let spec = domain::ClockSpec::new(ClockKind::Fix, Deadline::Hours(hours), "test");
        let mut clock = Clock::start(&spec, 1, filed, &calendar);
        let due = clock.due_at;
        let mut now = filed;
        let mut total = 0i64;
        for (run, pause) in pauses {
            now += Duration::seconds(run);
            prop_assert!(clock.pause(now));
            prop_assert_eq!(clock.state(), ClockState::Paused);
            now += Duration::seconds(pause);
            prop_assert!(clock.resume(now));
            total += pause;
            prop_assert_eq!(clock.due_at, due + Duration::seconds(total));
            prop_assert_eq!(clock.paused_seconds, total);
        }
    }

    /// The changes of a clock's life, each counted as it happens, add up to what the clock counts
    /// for at the end: the scorecard's counters, kept change by change, equal a count of the
    /// clocks as they stand.
    #[test]
    fn a_clocks_changes_add_up_to_its_tally(
        minutes in 1u32..10_000,
        steps in proptest::collection::vec((0u8..5, 0i64..1_000_000), 0..12),
    ) {
        let calendar = Calendar::russian_default();
        let mut now = start_of(0);
        let spec = domain::ClockSpec::new(ClockKind::Fix, Deadline::Minutes(minutes), "test");
        let mut clock = Clock::start(&spec, 1, now, &calendar);
        let mut sum = ClockTally::change(None, &clock);
        for (op, seconds) in steps {
            now += Duration::seconds(seconds);
            let before = clock.clone();
            let changed = match op {
                0 => clock.meet(now),
                1 => clock.pause(now),
                2 => clock.resume(now),
                3 => clock.stop(now),
                _ => clock.miss_if_due(now),
            };
            let delta = ClockTally::change(Some(&before), &clock);
            if !changed {
                prop_assert!(delta.is_zero());
            }
            sum += delta;
        }
        prop_assert_eq!(sum, ClockTally::of(&clock));
        prop_assert!(sum.met_on_time + sum.missed <= 1);
    }

    /// The worker marks a clock missed at most once, at its due time, however many passes (or
    /// replicas) look at it; a met clock is never missed afterwards.
    #[test]
    fn a_clock_is_marked_missed_at_most_once(
        minutes in 1u32..10_000,
        passes in proptest::collection::vec(0i64..2_000_000, 1..12),
        met_after in proptest::option::of(0i64..2_000_000),
    ) {
        let calendar = Calendar::russian_default();
        let filed = start_of(0);
        let spec = domain::ClockSpec::new(ClockKind::Localise, Deadline::Minutes(minutes), "test");
        let mut clock = Clock::start(&spec, 1, filed, &calendar);
        if let Some(m) = met_after {
            clock.meet(filed + Duration::seconds(m));
        }
        let was_missed = clock.missed_at.is_some();
        let mut marked = 0;
        for pass in passes {
            if clock.miss_if_due(filed + Duration::seconds(pass)) {
                marked += 1;
            }
        }
        prop_assert!(marked <= 1);
        if met_after.is_some() {
            prop_assert_eq!(marked, 0);
        }
        if marked == 1 || was_missed {
            prop_assert_eq!(clock.missed_at, Some(clock.due_at));
            prop_assert_eq!(clock.state(), ClockState::Missed);
        }
    }
}
