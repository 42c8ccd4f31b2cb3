//! Events out by signed webhooks. The domain names the events a change makes and who may see
//! them ([`domain::EventType::of`], [`domain::subscriber`]); this module writes one message per
//! subscribed endpoint while the outbox is read ([`compose`]) and sends them ([`send`]).

pub mod compose;
pub mod send;

/// The client that sends webhooks, connecting only where the endpoint rules allow.
pub fn client(rules: domain::EndpointRules) -> Result<channels::webhook::WebhookClient, String> {
    channels::webhook::WebhookClient::new(std::sync::Arc::new(move |ip| !rules.forbids(ip)))
        .map_err(|e| e.to_string())
}
