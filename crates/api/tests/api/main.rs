//! The api crate's integration tests, in one binary (one link instead of one per file): the real
//! application over HTTP, each test on a fresh SQLite or PostgreSQL database of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// First, so that its `on_both_databases!` is in scope in every module below.
#[macro_use]
mod helpers;

mod access_matrix;
mod admin;
mod attachments;
mod audit_log;
mod auth;
mod calls;
mod complaints;
mod directory;
mod escalation_rules;
mod foundation;
mod hardening;
mod history_chain;
mod history_export;
mod keys;
mod lists;
mod live_board;
// Before `messaging_screens`, which uses its `on_both_databases_with_sinks!`.
#[macro_use]
mod messaging;
mod messaging_screens;
mod metrics;
mod mobile;
mod open311;
mod privacy;
mod read_replica;
mod scorecard_counters;
mod security;
mod sinks;
mod test_data;
mod webhooks;
mod worker_public;
