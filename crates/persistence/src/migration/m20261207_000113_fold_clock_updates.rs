//! The scorecard's clock counters (migration 000106), cheaper on every transition that meets or
//! misses a clock (issue 18: the counters cost 5.2 % of an accept, the target is 5 %): a clock
//! updated in place (same complaint and code) is now one upsert of its change, where it was a
//! take-away of the old figures and an add of the new, two upserts and two reads of its
//! complaint. A clock that moves (another complaint or code) is counted as before.
//!
//! The triggers are written again from `m20261207_000106_scorecard_clocks::triggers`, which gives
//! them as they stand. The counters do not change: both forms keep the same figures (the
//! random-history test holds them equal to a full count). `down` leaves the new form for that
//! reason.

rewrite_triggers_migration!(
    super::m20261207_000106_scorecard_clocks::drop_triggers,
    super::m20261207_000106_scorecard_clocks::triggers
);
