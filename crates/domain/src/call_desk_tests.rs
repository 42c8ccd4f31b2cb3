#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::*;
use crate::{Category, Complaint, Deadline, Status};

/// Local Surgut time (UTC+5) of a day in December 2026.
fn local(hh: u32, mm: u32) -> DateTime<Utc> {
    let utc = format!("2026-12-07T{hh:02}:{mm:02}:00+05:00");
    DateTime::parse_from_rfc3339(&utc)
        .unwrap()
        .with_timezone(&Utc)
}

fn awaiting() -> Complaint {
    Complaint {
        id: Uuid::now_v7(),
        status: Status::AwaitingVerification,
        round: 1,
        urgent: false,
        author_id: None,
        filed_by: Uuid::now_v7(),
        company_id: Some(Uuid::now_v7()),
        category: Category {
            id: Uuid::now_v7(),
            code: "roof".into(),
            emergency: false,
            deadline: Deadline::WorkingDays(5),
        },
        registered_at: local(9, 0) - Duration::days(3),
        due_at: Some(local(18, 0)),
        answer_due_at: local(9, 0) + Duration::days(27),
        answer_extended: false,
        paused_since: None,
        unanswered_calls: 0,
        executor: None,
        order: None,
        violation_found: false,
        version: 3,
    }
}

#[test]
fn one_dispatcher_holds_a_call_until_the_claim_runs_out() {
    let desk = CallDesk::default();
    let c = awaiting();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let until = desk
        .claim(&c, &CallState::default(), a, local(10, 0))
        .unwrap();
    assert_eq!(until, local(10, 10));
    let held = CallState {
        claimed_by: Some(a),
        claimed_until: Some(until),
        ..CallState::default()
    };
    assert_eq!(
        desk.claim(&c, &held, b, local(10, 5)),
        Err(CallDeskError::Held { by: a, until })
    );
    // Its holder extends it; after it runs out another takes it.
    assert_eq!(desk.claim(&c, &held, a, local(10, 5)), Ok(local(10, 15)));
    assert_eq!(desk.claim(&c, &held, b, local(10, 10)), Ok(local(10, 20)));
    let mut closed = c.clone();
    closed.status = Status::Closed;
    assert_eq!(
        desk.claim(&closed, &CallState::default(), a, local(10, 0)),
        Err(CallDeskError::NotAwaitingCall)
    );
}

#[test]
fn an_unanswered_attempt_within_the_gap_is_refused() {
    let desk = CallDesk::default();
    let me = Uuid::now_v7();
    let first = desk.after_attempt(&CallState::default(), CallOutcome::NoAnswer, local(10, 0));
    assert_eq!(first.attempts, 1);
    for minutes in [1, 60, 119] {
        assert_eq!(
            desk.check_attempt(
                &first,
                me,
                CallOutcome::NoAnswer,
                local(10, 0) + Duration::minutes(minutes)
            ),
            Err(CallDeskError::TooSoon {
                next_at: local(12, 0)
            })
        );
    }
    // An answered call is not held back by the gap; the next "no answer" is, after two hours.
    assert_eq!(
        desk.check_attempt(&first, me, CallOutcome::Satisfied, local(10, 1)),
        Ok(())
    );
    assert_eq!(
        desk.check_attempt(&first, me, CallOutcome::NoAnswer, local(12, 0)),
        Ok(())
    );
    assert_eq!(desk.due_at(&first, local(10, 1)), local(12, 0));
}

#[test]
fn calls_are_made_only_within_the_calling_hours_of_the_city() {
    let desk = CallDesk::default();
    let me = Uuid::now_v7();
    let free = CallState::default();
    assert_eq!(
        desk.check_attempt(&free, me, CallOutcome::NoAnswer, local(9, 0)),
        Ok(())
    );
    assert_eq!(
        desk.check_attempt(&free, me, CallOutcome::NoAnswer, local(20, 59)),
        Ok(())
    );
    assert_eq!(
        desk.check_attempt(&free, me, CallOutcome::NoAnswer, local(21, 0)),
        Err(CallDeskError::OutsideCallingHours {
            opens_at: local(9, 0) + Duration::days(1)
        })
    );
    assert_eq!(
        desk.check_attempt(&free, me, CallOutcome::Satisfied, local(8, 59)),
        Err(CallDeskError::OutsideCallingHours {
            opens_at: local(9, 0)
        })
    );
    // A "no answer" at 20:00 makes the next call due the next morning, not at 22:00.
    let evening = desk.after_attempt(&free, CallOutcome::NoAnswer, local(20, 0));
    assert_eq!(
        desk.due_at(&evening, local(20, 0)),
        local(9, 0) + Duration::days(1)
    );
    let any_time = CallingHours {
        opens: local(0, 0).time(),
        closes: local(0, 0).time(),
        ..CallingHours::default()
    };
    assert!(any_time.contains(local(3, 0)));
}

#[test]
fn a_call_back_time_puts_the_call_back_in_the_queue_then() {
    let desk = CallDesk::default();
    let c = awaiting();
    assert_eq!(desk.check_call_back(&c, local(18, 0), local(10, 0)), Ok(()));
    for bad in [
        local(9, 59),
        local(22, 0),
        local(10, 0) + Duration::days(15),
    ] {
        assert!(matches!(
            desk.check_call_back(&c, bad, local(10, 0)),
            Err(CallDeskError::Invalid {
                field: "call_back_at",
                ..
            })
        ));
    }
    let later = CallState {
        call_back_at: Some(local(18, 0)),
        ..CallState::default()
    };
    let fresh = CallState::default();
    assert_eq!(desk.due_at(&later, local(10, 0)), local(18, 0));
    let mut other = awaiting();
    other.registered_at += Duration::hours(1);
    let order = desk.queue_order((&c, &later), (&other, &fresh), local(10, 0));
    assert_eq!(
        order,
        std::cmp::Ordering::Greater,
        "a fresh call comes first"
    );
    assert_eq!(
        desk.queue_order((&c, &later), (&other, &fresh), local(18, 0)),
        std::cmp::Ordering::Less,
        "at 18:00 both are due; the older registration first"
    );
    // Recording an attempt uses the call-back up and releases the claim.
    let after = desk.after_attempt(&later, CallOutcome::Satisfied, local(18, 1));
    assert_eq!(after.call_back_at, None);
    assert_eq!(after.claimed_by, None);
}

#[test]
fn the_shown_time_of_a_due_call_does_not_move_with_the_clock() {
    let desk = CallDesk::default();
    let fresh = CallState::default();
    // Due now: the window's opening, whenever the queue is read within it.
    assert_eq!(desk.shown_due_at(&fresh, local(10, 0)), local(9, 0));
    assert_eq!(desk.shown_due_at(&fresh, local(20, 59)), local(9, 0));
    // Before the opening: the opening itself, as `due_at` says.
    assert_eq!(desk.shown_due_at(&fresh, local(8, 0)), local(9, 0));
    // A call-back that has come: from then on.
    let back = CallState {
        call_back_at: Some(local(12, 30)),
        ..CallState::default()
    };
    assert_eq!(desk.shown_due_at(&back, local(11, 0)), local(12, 30));
    assert_eq!(desk.shown_due_at(&back, local(13, 0)), local(12, 30));
    assert_eq!(desk.shown_due_at(&back, local(14, 0)), local(12, 30));
    // Any hour: the day's midnight, local time.
    let any = CallDesk {
        hours: CallingHours {
            opens: NaiveTime::MIN,
            closes: NaiveTime::MIN,
            ..CallingHours::default()
        },
        ..CallDesk::default()
    };
    assert_eq!(any.shown_due_at(&fresh, local(3, 0)), local(0, 0));
}
