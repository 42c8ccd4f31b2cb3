//! The scorecard's event trigger (migration 000091) returns at once for an event whose kind can
//! change no figure (issue 18): it decides on the kind and the new status before it copies the
//! row or reads the payload. An accept, the commonest transition, spent 31 µs in the trigger and
//! now spends 8 (`pg_stat_user_functions`, one client replaying an accept's statements).
//!
//! The triggers are written again from `m20261207_000091_scorecard_counters::triggers`, which
//! gives them as they stand. The counters do not change: both forms keep the same figures (the
//! random-history test holds them equal to a full count). `down` leaves the new form for that
//! reason.

rewrite_triggers_migration!(
    super::m20261207_000091_scorecard_counters::drop_triggers,
    super::m20261207_000091_scorecard_counters::triggers
);
