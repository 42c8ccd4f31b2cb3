//! The scorecard's complaint trigger (migration 000091) fires on an update only when the update
//! changes what the complaint counts for: its company, or its class (open or closed). Most
//! updates (an accept, a report, a call) change neither; before, each of them called the
//! function, which then returned at once (13–15 µs of an accept, `pg_stat_user_functions`).
//!
//! The triggers are written again from `m20261207_000091_scorecard_counters::triggers`, which
//! gives them as they stand. The counters do not change (the random-history test holds them equal
//! to a full count). `down` leaves the new form for that reason.

rewrite_triggers_migration!(
    super::m20261207_000091_scorecard_counters::drop_triggers,
    super::m20261207_000091_scorecard_counters::triggers
);
