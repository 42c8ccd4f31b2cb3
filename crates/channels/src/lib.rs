//! Messaging channels of the dispatch centre, as plain I/O client libraries: they know nothing of
//! complaints, storage or HTTP, and the integrator maps its events onto them.
//!
//! - [`sms`]: an SMS gateway over SMPP 3.4 (submit with delivery receipts, replies from phones).
//!
//! For tests and the demo, `tests/sinks/smsc.py` at the repository root is a local SMSC simulator.

pub mod sms;
