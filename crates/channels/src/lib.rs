//! Messaging channels of the dispatch centre, as plain I/O client libraries: they know nothing of
//! complaints, storage or HTTP, and the integrator maps its messages onto them.
//!
//! - [`sms`]: an SMS gateway over SMPP 3.4 (submit with delivery receipts, replies from phones).
//! - [`mail`]: mail over SMTP with STARTTLS.
//! - [`webhook`]: signed webhooks (Standard Webhooks) over HTTP(S), safe against SSRF.
//!
//! For tests and the demo, `tests/sinks/smsc.py` and `tests/sinks/smtp.py` at the repository root
//! are a local SMS centre and mail server.

pub mod mail;
pub mod sms;
pub mod webhook;
