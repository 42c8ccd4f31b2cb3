//! What happens to a complaint's clocks when it changes: a transition's effects, a new round, the
//! end, a change of category; and the city's 59-ФЗ clock derived from the complaint itself.

use chrono::{DateTime, Utc};

use super::{Clock, ClockEffect, ClockKind};
use crate::{ActionKind, Complaint};

const REPEAT_ROUND: &str = "Повторный круг: сокращённый срок устранения";
const ORDER: &str = "Предписание жилищной инспекции: срок исполнения";

/// The clocks after a transition from `before` to `after` by `action` at `now`: the action's
/// effects ([`ClockKind::effect_of`]); a new round stops the open fix clocks and starts the round's
/// own, due when the complaint's stage is; an ended complaint stops every open clock; a change of
/// category puts the new category's clocks (`started`, see [`recategorised`]) in place of the old
/// one's. Returns the clocks that changed or started (to store), in order.
pub fn after_transition(
    clocks: &[Clock],
    before: &Complaint,
    after: &Complaint,
    action: ActionKind,
    started: &[Clock],
    now: DateTime<Utc>,
) -> Vec<Clock> {
    if before.category.id != after.category.id {
        return recategorised(clocks, after.round, started, now);
    }
    let mut changed = Vec::new();
    let new_round = after.round > before.round;
    for clock in clocks {
        let mut next = clock.clone();
        let touched = match clock.kind.effect_of(action) {
            Some(ClockEffect::Meet) => next.meet(now),
            Some(ClockEffect::Pause) => next.pause(now),
            Some(ClockEffect::Resume) => next.resume(now),
            None => false,
        };
        let stopped = (after.status.is_final()
            || (new_round && next.kind == ClockKind::Fix && next.round < after.round))
            && next.stop(now);
        if touched || stopped {
            changed.push(next);
        }
    }
    if new_round && !after.status.is_final() {
        let basis = if after.has_order_in_force() {
            ORDER
        } else {
            REPEAT_ROUND
        };
        let due = after.due_at.unwrap_or(now);
        changed.push(Clock::starting(
            ClockKind::Fix,
            after.round,
            basis,
            now,
            due,
        ));
    }
    changed
}

/// A change of category *(design)*: in the current round, the old category's open clocks that the
/// new category does not have are stopped; an open clock of a kind both have runs on under the new
/// category (its due time and basis replaced, a paused one restarting paused); a kind the new
/// category adds starts now. Met and missed clocks keep their outcome: a company that answered in
/// time did answer in time.
pub fn recategorised(
    clocks: &[Clock],
    round: u32,
    started: &[Clock],
    now: DateTime<Utc>,
) -> Vec<Clock> {
    let mut changed = Vec::new();
    for clock in clocks.iter().filter(|c| c.round == round && c.is_open()) {
        let mut next = clock.clone();
        match started.iter().find(|s| s.kind == clock.kind) {
            Some(new) => {
                next.basis = new.basis.clone();
                next.started_at = new.started_at;
                next.due_at = new.due_at;
                next.paused_seconds = 0;
                next.paused_at = clock.paused_at.map(|_| now);
            }
            None => {
                next.stop(now);
            }
        }
        changed.push(next);
    }
    for new in started {
        let present = clocks
            .iter()
            .any(|c| c.round == round && c.kind == new.kind);
        if !present && new.kind != ClockKind::CityAnswer {
            changed.push(Clock {
                round,
                ..new.clone()
            });
        }
    }
    changed
}

/// The city's 59-ФЗ clock of a complaint (its `answer_due_at`, extended at most once), ended
/// (`closed_at`) or not. Met when the complaint ended by its due time; missed once it passes.
pub fn city_answer_clock(
    complaint: &Complaint,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Clock {
    let mut clock = Clock::starting(
        ClockKind::CityAnswer,
        1,
        "59-ФЗ, ст. 12: 30 дней, продление не более чем на 30 дней",
        complaint.registered_at,
        complaint.answer_due_at,
    );
    match closed_at.filter(|_| complaint.status.is_final()) {
        Some(at) => {
            clock.meet(at);
        }
        None => {
            clock.miss_if_due(now);
        }
    }
    clock
}
