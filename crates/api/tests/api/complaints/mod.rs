//! The story over HTTP: filing, the company's work, verification, rounds, inspection, the
//! clerk's intake and the PIN check — plus access, concurrency and idempotency rules.

mod acts_register;
mod board;
mod clocks;
mod duplicates;
mod orders_and_fines;
mod paperwork;
mod recategorise;
mod rules;
mod story;
