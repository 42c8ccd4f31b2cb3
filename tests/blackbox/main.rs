//! Black-box tests: the built `dispatch` binary as an operator runs it, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod operator;
mod server;
mod story;
