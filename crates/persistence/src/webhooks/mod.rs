//! Webhook subscriptions and the messages on their way to them. A message row is written per
//! (event, endpoint) in the transaction that reads the outbox, so nothing the outbox took is
//! lost; a sender claims due rows with `FOR UPDATE SKIP LOCKED`, never a later event of a
//! complaint while an earlier one to the same endpoint is pending, and settles each attempt,
//! the endpoint's health with it, in one transaction.

mod endpoints;
mod messages;

pub use endpoints::*;
pub use messages::*;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageState {
    Pending,
    Delivered,
    /// Out of retries.
    Failed,
}

impl MessageState {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageState::Pending => "pending",
            MessageState::Delivered => "delivered",
            MessageState::Failed => "failed",
        }
    }
}
