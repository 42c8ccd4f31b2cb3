//! Webhooks out, as the Standard Webhooks specification has them: a JSON body POSTed with
//! `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
//! "id.timestamp.body">`, one per secret, space-separated), so a receiver verifies with the
//! reference library of its language.
//!
//! The client is safe to point at addresses others chose: connect within 3 s and finish within
//! 10 s, read at most 64 KiB of the answer, follow no redirect, and (outside demo and test) connect
//! only to addresses the caller's predicate allows, checked on every address a name resolves to,
//! so a name that resolves to an internal address is refused at connect time (SSRF, DNS
//! rebinding).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of an answer read (it is kept only as a hint in the attempt log).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// A new secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret(random: [u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

/// A secret that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret must be `whsec_` followed by base64")]
pub struct BadSecret;

/// `v1,<signature>` of `id.timestamp.body` under `secret` (`whsec_…`).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, BadSecret> {
    let key = STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .map_err(|_| BadSecret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The `webhook-signature` header: one signature per secret, space-separated.
pub fn signature_header(
    secrets: &[String],
    id: &str,
    timestamp: i64,
    body: &str,
) -> Result<String, BadSecret> {
    let signatures = secrets
        .iter()
        .map(|secret| sign(secret, id, timestamp, body))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(signatures.join(" "))
}

/// Which addresses the client may connect to.
pub type AddressFilter = Arc<dyn Fn(IpAddr) -> bool + Send + Sync>;

/// One webhook to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub url: &'a str,
    pub id: &'a str,
    /// Unix seconds of this attempt.
    pub timestamp: i64,
    pub body: &'a str,
    pub secrets: &'a [String],
}

/// What the endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub latency: Duration,
}

/// Why no answer came.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("{0}")]
    Secret(#[from] BadSecret),
    #[error("the URL does not parse: {0}")]
    Url(String),
    #[error("the address is not allowed (private, loopback or link-local)")]
    Forbidden,
    #[error("no answer: {0}")]
    Transport(String),
}

/// An HTTP client for webhooks; cheap to clone.
#[derive(Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
}

impl WebhookClient {
    /// A client that connects only where `allowed` says yes.
    pub fn new(allowed: AddressFilter) -> Result<Self, WebhookError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dispatch-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(FilteringResolver {
                allowed: allowed.clone(),
            }))
            .build()
            .map_err(|e| WebhookError::Transport(e.to_string()))?;
        Ok(WebhookClient { http })
    }

    /// POSTs one webhook and returns the status of the answer (whatever it is).
    pub async fn send(&self, outgoing: &Outgoing<'_>) -> Result<Answer, WebhookError> {
        let signature = signature_header(
            outgoing.secrets,
            outgoing.id,
            outgoing.timestamp,
            outgoing.body,
        )?;
        let url =
            reqwest::Url::parse(outgoing.url).map_err(|e| WebhookError::Url(e.to_string()))?;
        let started = Instant::now();
        let mut response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", outgoing.id)
            .header("webhook-timestamp", outgoing.timestamp.to_string())
            .header("webhook-signature", signature)
            .body(outgoing.body.to_owned())
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        // Drain at most the cap so that the connection can be reused; the rest is dropped.
        let mut read = 0usize;
        while read < MAX_ANSWER_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                Ok(None) | Err(_) => break,
            }
        }
        Ok(Answer {
            status,
            latency: started.elapsed(),
        })
    }
}

fn classify(error: &reqwest::Error) -> WebhookError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.downcast_ref::<ForbiddenAddress>().is_some() {
            return WebhookError::Forbidden;
        }
        source = e.source();
    }
    let what = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        error.to_string()
    };
    WebhookError::Transport(what)
}

#[derive(Debug, thiserror::Error)]
#[error("the address is not allowed")]
struct ForbiddenAddress;

/// Resolves names with the system resolver and keeps only the allowed addresses.
struct FilteringResolver {
    allowed: AddressFilter,
}

impl reqwest::dns::Resolve for FilteringResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allowed = self.allowed.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found.into_iter().filter(|a| allowed(a.ip())).collect();
            if kept.is_empty() {
                return Err(Box::new(ForbiddenAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference tests.
    #[test]
    fn signs_like_the_reference_libraries() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let timestamp = 1_614_265_330;
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, timestamp, body).unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn one_signature_per_secret_and_bad_secrets_refused() {
        let secrets = vec![new_secret([1; 32]), new_secret([2; 32])];
        let header = signature_header(&secrets, "msg_1", 1, "{}").unwrap();
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.starts_with("v1,")));
        assert_ne!(parts[0], parts[1]);
        assert_eq!(sign("whsec_%%%", "msg_1", 1, "{}"), Err(BadSecret));
    }
}
