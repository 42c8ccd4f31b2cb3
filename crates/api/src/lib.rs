//! The HTTP face of the housing dispatch centre: actix-web handlers, auth, the one error type and
//! the OpenAPI document. See `startup::Application` for how it is put together.

pub mod auth;
#[cfg(feature = "bench-unchained")]
pub mod bench_unchained;
pub mod calendar_store;
pub mod call_desk;
mod call_desk_config;
pub mod client;
pub mod conditional;
pub mod config;
pub mod deprecation;
pub mod dto;
pub mod error;
pub mod hardening;
pub mod history;
pub mod media;
pub mod messaging;
pub mod metrics;
pub mod openapi;
pub mod paperwork;
pub mod password;
pub mod policy_store;
pub mod proxies;
pub mod rate_limit;
pub mod route;
pub mod routes;
pub mod signing;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod throttle;
pub mod webhooks;
pub mod worker;
