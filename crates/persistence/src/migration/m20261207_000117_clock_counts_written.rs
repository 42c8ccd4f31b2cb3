//! The scorecard's clock counters (migration 000106) are written by the writes of clocks
//! themselves (issue 18): a filing's, a transition's and the worker's misses count what they
//! change, in the statement that writes the clocks on PostgreSQL
//! (`persistence::complaints::clocks`). The triggers that did it per clock row on insert and
//! update are dropped; an accept spent ~45–70 µs in the one that counted its met clock, more than
//! the rest of the counters together. A deleted clock is still taken away by a trigger, and the
//! complaint's triggers still move its clocks with its company.
//!
//! The triggers are written again from `m20261207_000106_scorecard_clocks::triggers`. The
//! counters do not change (the random-history test holds them equal to a full count).

rewrite_triggers_migration!(
    super::m20261207_000106_scorecard_clocks::drop_triggers,
    super::m20261207_000106_scorecard_clocks::triggers
);
