//! 152-ФЗ: personal data out of the hashed history, erasure, access (export) and retention.

mod erasure;
mod export;
pub(crate) mod history_layout;
mod no_trace;
mod persons;
mod retention;
