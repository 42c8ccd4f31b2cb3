//! Legal clocks (issue 15): several deadlines run on one complaint at once, each with its legal
//! basis, and each is met, missed, paused or stopped on its own.
//!
//! A category defines its clocks ([`clock_specs`]); filing (and a new round) starts them
//! ([`clocks_for_category`], [`after_transition`]); the due time is computed once, when the clock
//! starts, and stored: editing the category or the policy later never moves it. Only a pause moves
//! it, by exactly the time paused.
//!
//! What starts, meets, pauses, resumes and stops each clock *(design)*:
//!
//! | clock | starts | met by (company) | paused by | stopped |
//! |---|---|---|---|---|
//! | `localise` (ПП 416 п. 13, 30 min) | filing | `accept`, `assign_executor` or `report_done`: the emergency crew has taken the call and contained the damage (there is no separate "localised" report) | never | the complaint ends |
//! | `check` (ПП 354 п. 108, 2 h) | filing | `accept`, `assign_executor` or `report_done`: the company came to check the quality | never | the complaint ends |
//! | `answer` (ПП 354 п. 31, 3 working days) | filing | `accept`, `assign_executor` or `report_done`: the company answered the request | never | the complaint ends |
//! | `fix` (the category's deadline) | filing; each new round (the round's deadline, or the order's) | `report_done` | `pause_clock` (waiting for the resident), resumed by `resume_clock` with the paused time added | a new round, or the complaint ends |
//! | `city_answer` (59-ФЗ ст. 12, 30 days) | filing | the complaint ends (the city's answer) | never | — |
//!
//! The 59-ФЗ clock is the complaint's own `answer_due_at` with its one extension
//! ([`crate::Action::ExtendAnswer`]): it is shown as a clock ([`city_answer_clock`]) and never
//! stored twice. A clock met after its due time counts as missed (it keeps when it was met).
//! The worker marks a running clock missed once its due time has passed ([`Clock::miss_if_due`]);
//! a paused clock is not missed while it waits.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::deadline::add;
use crate::wire::wire_enum;
use crate::{ActionKind, Calendar, Category, Deadline};

mod changes;
pub use changes::{after_transition, city_answer_clock, recategorised};

/// Which legal clock.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ClockKind {
    /// An emergency localised (ПП 416 п. 13: 30 minutes).
    Localise,
    /// A reported drop in utility quality checked (ПП 354 п. 108: 2 hours).
    Check,
    /// The company's answer to an ordinary request (ПП 354 п. 31: 3 working days).
    Answer,
    /// The work done: the category's deadline, or a later round's.
    Fix,
    /// The city's answer under 59-ФЗ ст. 12 (30 days, extendable once): the complaint's
    /// `answer_due_at`, shown as a clock but never stored as one.
    CityAnswer,
}

wire_enum!(ClockKind, "clock");

impl ClockKind {
    pub const fn name_ru(self) -> &'static str {
        match self {
            ClockKind::Localise => "Локализация аварии",
            ClockKind::Check => "Проверка качества услуги",
            ClockKind::Answer => "Ответ управляющей компании",
            ClockKind::Fix => "Устранение",
            ClockKind::CityAnswer => "Ответ города (59-ФЗ)",
        }
    }

    pub const fn name_en(self) -> &'static str {
        match self {
            ClockKind::Localise => "Emergency localised",
            ClockKind::Check => "Utility quality checked",
            ClockKind::Answer => "Company's answer",
            ClockKind::Fix => "Fixed",
            ClockKind::CityAnswer => "City's answer (59-FZ)",
        }
    }

    /// What a company action does to this clock, if anything (the table in the module docs).
    pub const fn effect_of(self, action: ActionKind) -> Option<ClockEffect> {
        use ActionKind as A;
        match (self, action) {
            (
                ClockKind::Localise | ClockKind::Check | ClockKind::Answer,
                A::Accept | A::AssignExecutor | A::ReportDone,
            )
            | (ClockKind::Fix, A::ReportDone) => Some(ClockEffect::Meet),
            (ClockKind::Fix, A::PauseClock) => Some(ClockEffect::Pause),
            (ClockKind::Fix, A::ResumeClock) => Some(ClockEffect::Resume),
            (
                ClockKind::Localise | ClockKind::Check | ClockKind::Answer | ClockKind::Fix,
                A::Accept
                | A::AssignExecutor
                | A::NotOurBuilding
                | A::PauseClock
                | A::ResumeClock
                | A::Reroute
                | A::RecordCall
                | A::ResidentAnswer
                | A::SendToInspection
                | A::Reject
                | A::Withdraw
                | A::RecordFindings
                | A::IssueOrder
                | A::CheckCompliance
                | A::RecordFine
                | A::ExtendAnswer
                | A::Recategorise,
            )
            | (ClockKind::CityAnswer, _) => None,
        }
    }
}

/// What an action does to a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEffect {
    Meet,
    Pause,
    Resume,
}

/// A clock's state, derived from its times.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ClockState {
    Running,
    Paused,
    Met,
    Missed,
    /// The complaint ended, or a new round replaced the clock, before it was met or missed.
    Stopped,
}

wire_enum!(ClockState, "clock state");

/// A clock a category defines: which one, how long, and on what legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockSpec {
    pub kind: ClockKind,
    pub deadline: Deadline,
    pub basis: String,
}

impl ClockSpec {
    pub fn new(kind: ClockKind, deadline: Deadline, basis: &str) -> ClockSpec {
        ClockSpec {
            kind,
            deadline,
            basis: basis.to_owned(),
        }
    }
}

pub(crate) const PP416_LOCALISE: &str =
    "ПП РФ № 416, п. 13: локализация аварии — не более 30 минут";
pub(crate) const PP354_CHECK: &str =
    "ПП РФ № 354, п. 108: проверка качества коммунальной услуги — не позднее 2 часов";
pub(crate) const PP354_ANSWER: &str =
    "ПП РФ № 354, п. 31: ответ на обращение — в течение 3 рабочих дней";

/// The clocks of a category that is not one of the defaults: an emergency has its fix clock; an
/// ordinary category also has the company's answer. Both take the category's own deadline.
pub fn default_clock_specs(emergency: bool, fix: Deadline, fix_basis: &str) -> Vec<ClockSpec> {
    let mut specs = Vec::new();
    if !emergency {
        specs.push(ClockSpec::new(
            ClockKind::Answer,
            Deadline::WorkingDays(3),
            PP354_ANSWER,
        ));
    }
    specs.push(ClockSpec::new(ClockKind::Fix, fix, fix_basis));
    specs
}

/// The clocks of `category` (the city's 59-ФЗ clock is not among them: it is the complaint's
/// own). A default category has the clocks of its seed ([`crate::default_categories`]); another
/// one [`default_clock_specs`]. The fix clock always takes the category's current deadline.
pub fn clock_specs(category: &Category) -> Vec<ClockSpec> {
    let seed = crate::default_categories()
        .into_iter()
        .find(|s| s.code == category.code);
    let mut specs = match seed {
        Some(seed) => seed.clocks,
        None => default_clock_specs(
            category.emergency,
            category.deadline,
            "срок категории обращения",
        ),
    };
    for spec in &mut specs {
        if spec.kind == ClockKind::Fix {
            spec.deadline = category.deadline;
        }
    }
    specs
}

/// One running (or finished) clock of a complaint, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub kind: ClockKind,
    /// The round it belongs to (a new round starts a new fix clock).
    pub round: u32,
    pub basis: String,
    pub started_at: DateTime<Utc>,
    /// When it falls due: computed once at start, moved only by a pause (by the time paused).
    pub due_at: DateTime<Utc>,
    pub paused_at: Option<DateTime<Utc>>,
    /// All the time it spent paused, in seconds.
    pub paused_seconds: i64,
    pub met_at: Option<DateTime<Utc>>,
    pub missed_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
}

impl Clock {
    /// A clock of `spec` started at `now`.
    pub fn start(spec: &ClockSpec, round: u32, now: DateTime<Utc>, calendar: &Calendar) -> Clock {
        Clock::starting(
            spec.kind,
            round,
            &spec.basis,
            now,
            spec.deadline.due_from(now, calendar),
        )
    }

    fn starting(
        kind: ClockKind,
        round: u32,
        basis: &str,
        now: DateTime<Utc>,
        due_at: DateTime<Utc>,
    ) -> Clock {
        Clock {
            kind,
            round,
            basis: basis.to_owned(),
            started_at: now,
            due_at,
            paused_at: None,
            paused_seconds: 0,
            met_at: None,
            missed_at: None,
            stopped_at: None,
        }
    }

    pub fn state(&self) -> ClockState {
        if self.missed_at.is_some() {
            ClockState::Missed
        } else if self.met_at.is_some() {
            ClockState::Met
        } else if self.stopped_at.is_some() {
            ClockState::Stopped
        } else if self.paused_at.is_some() {
            ClockState::Paused
        } else {
            ClockState::Running
        }
    }

    /// Neither met, missed nor stopped.
    pub fn is_open(&self) -> bool {
        self.met_at.is_none() && self.missed_at.is_none() && self.stopped_at.is_none()
    }

    /// The due time computed when it started (before any pause).
    pub fn due_at_start(&self) -> DateTime<Utc> {
        add(self.due_at, -Duration::seconds(self.paused_seconds))
    }

    /// Met at `now`: too late (a paused clock counts its pause) also marks it missed at its due
    /// time. False when it was not open.
    pub fn meet(&mut self, now: DateTime<Utc>) -> bool {
        if self.met_at.is_some() || self.stopped_at.is_some() {
            return false;
        }
        let clock_time = self.paused_at.map_or(now, |since| since.min(now));
        self.paused_at = None;
        self.met_at = Some(now);
        if clock_time > self.due_at && self.missed_at.is_none() {
            self.missed_at = Some(self.due_at);
        }
        true
    }

    /// Paused at `now`. False when not running.
    pub fn pause(&mut self, now: DateTime<Utc>) -> bool {
        if !self.is_open() || self.paused_at.is_some() {
            return false;
        }
        self.paused_at = Some(now);
        true
    }

    /// Resumed at `now`: the due time moves by the time paused. False when not paused.
    pub fn resume(&mut self, now: DateTime<Utc>) -> bool {
        let Some(since) = self.paused_at.filter(|_| self.is_open()) else {
            return false;
        };
        let paused = (now - since).max(Duration::zero());
        self.due_at = add(self.due_at, paused);
        self.paused_seconds = self.paused_seconds.saturating_add(paused.num_seconds());
        self.paused_at = None;
        true
    }

    /// Stopped at `now` (the complaint ended, or a new round replaced it). False when not open.
    pub fn stop(&mut self, now: DateTime<Utc>) -> bool {
        if !self.is_open() {
            return false;
        }
        self.paused_at = None;
        self.stopped_at = Some(now);
        true
    }

    /// The worker's check: a running clock whose due time has passed is missed, at its due time.
    /// True exactly once per clock; a paused clock waits.
    pub fn miss_if_due(&mut self, now: DateTime<Utc>) -> bool {
        if !self.is_open() || self.paused_at.is_some() || now < self.due_at {
            return false;
        }
        self.missed_at = Some(self.due_at);
        true
    }
}

/// What one clock adds to its company's public figures: it counts as a clock, as met on time
/// (met and not missed) or as missed. The scorecard's clock counters are the sum of these over
/// the clocks of the complaints routed to a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockTally {
    pub clocks: i64,
    pub met_on_time: i64,
    pub missed: i64,
}

impl ClockTally {
    /// The figures `clock` counts for.
    pub fn of(clock: &Clock) -> ClockTally {
        let state = clock.state();
        ClockTally {
            clocks: 1,
            met_on_time: i64::from(state == ClockState::Met),
            missed: i64::from(state == ClockState::Missed),
        }
    }

    /// What a clock's change does to the figures: `after` less `before` (a clock that was not
    /// there counts nothing).
    pub fn change(before: Option<&Clock>, after: &Clock) -> ClockTally {
        let (old, new) = (
            before.map(ClockTally::of).unwrap_or_default(),
            ClockTally::of(after),
        );
        ClockTally {
            clocks: new.clocks - old.clocks,
            met_on_time: new.met_on_time - old.met_on_time,
            missed: new.missed - old.missed,
        }
    }

    /// Whether it changes no figure.
    pub fn is_zero(&self) -> bool {
        *self == ClockTally::default()
    }

    /// What writing the clocks `written` over `before` (a complaint's clocks as they were)
    /// changes in its company's figures, per clock kind, in the order of the kinds' codes; kinds
    /// whose figures do not change are left out. A clock is the one of its kind and round; one
    /// that was not there counts as new.
    pub fn changes<'a>(
        before: &[Clock],
        written: impl IntoIterator<Item = &'a Clock>,
    ) -> Vec<(ClockKind, ClockTally)> {
        let mut by_code =
            std::collections::BTreeMap::<&'static str, (ClockKind, ClockTally)>::new();
        for clock in written {
            let was = before
                .iter()
                .find(|b| (b.kind, b.round) == (clock.kind, clock.round));
            let (_, sum) = by_code
                .entry(clock.kind.as_str())
                .or_insert((clock.kind, ClockTally::default()));
            *sum += ClockTally::change(was, clock);
        }
        by_code
            .into_values()
            .filter(|(_, tally)| !tally.is_zero())
            .collect()
    }
}

impl std::ops::AddAssign for ClockTally {
    fn add_assign(&mut self, other: ClockTally) {
        self.clocks += other.clocks;
        self.met_on_time += other.met_on_time;
        self.missed += other.missed;
    }
}

/// A complaint's clocks for `category`, started at `now` in `round` (filing starts round 1).
/// Also what a change of category would start anew.
pub fn clocks_for_category(
    category: &Category,
    round: u32,
    now: DateTime<Utc>,
    calendar: &Calendar,
) -> Vec<Clock> {
    clock_specs(category)
        .iter()
        .map(|spec| Clock::start(spec, round, now, calendar))
        .collect()
}
