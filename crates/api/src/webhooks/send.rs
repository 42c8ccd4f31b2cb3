//! The webhook sender: takes due messages, signs and POSTs them, and records each attempt. A
//! message is delivered on a 2xx answer; otherwise it is tried again on the Standard Webhooks
//! schedule and failed after the last attempt; an endpoint failing for a day is switched off.
//!
//! The sender keeps up to [`IN_FLIGHT`] messages in flight and tops up as each one finishes, at
//! most [`PER_ENDPOINT`] per endpoint: a slow or dead endpoint holds only its own places (each
//! attempt ends within the client's 10 s), never the others' nor the API's.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use tokio::task::JoinSet;
use uuid::Uuid;

use persistence::webhooks::{self, Attempt, ClaimLimits, Claimed, MessageState, Settled};

use crate::error::ApiError;
use crate::state::AppState;

/// Messages in flight at once.
pub const IN_FLIGHT: usize = 64;
/// Messages in flight to one endpoint at once.
pub const PER_ENDPOINT: usize = 4;
/// How long a claim holds: well beyond the client's 10 s.
const HOLD_SECONDS: i64 = 60;

/// One pass at `now`: takes what is due and sends it, waiting for every answer. Returns how
/// many attempts were made. The worker's tick uses it when no sender runs of its own.
pub async fn drain(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let claimed = webhooks::claim_due(
        &state.db,
        now,
        Duration::seconds(HOLD_SECONDS),
        ClaimLimits {
            total: IN_FLIGHT as u64,
            per_endpoint: PER_ENDPOINT as u64,
        },
        &[],
    )
    .await?;
    let attempts = claimed.len();
    let mut sends = futures_util::stream::iter(claimed)
        .map(|claim| send_one(state, claim, Some(now)))
        .buffer_unordered(IN_FLIGHT);
    while let Some(result) = sends.next().await {
        result?;
    }
    Ok(attempts)
}

/// Sends until the process ends: tops up the messages in flight whenever one finishes, and
/// looks for due messages every `interval` otherwise.
pub async fn run_forever(state: actix_web::web::Data<AppState>, interval: std::time::Duration) {
    let mut in_flight: JoinSet<Uuid> = JoinSet::new();
    let mut per_endpoint: HashMap<Uuid, usize> = HashMap::new();
    loop {
        if in_flight.len() < IN_FLIGHT {
            let busy: Vec<Uuid> = per_endpoint
                .iter()
                .filter(|(_, n)| **n >= PER_ENDPOINT)
                .map(|(id, _)| *id)
                .collect();
            let limits = ClaimLimits {
                total: (IN_FLIGHT - in_flight.len()) as u64,
                per_endpoint: PER_ENDPOINT as u64,
            };
            match webhooks::claim_due(
                &state.db,
                Utc::now(),
                Duration::seconds(HOLD_SECONDS),
                limits,
                &busy,
            )
            .await
            {
                Ok(claimed) => {
                    for claim in claimed {
                        *per_endpoint.entry(claim.endpoint_id).or_default() += 1;
                        let state = state.clone();
                        in_flight.spawn(async move {
                            let endpoint = claim.endpoint_id;
                            if let Err(e) = send_one(&state, claim, None).await {
                                tracing::warn!(%endpoint, error = %e, "a webhook attempt was not recorded");
                            }
                            endpoint
                        });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "claiming webhooks failed"),
            }
        }
        tokio::select! {
            Some(done) = in_flight.join_next(), if !in_flight.is_empty() => {
                if let Ok(endpoint) = done
                    && let Some(n) = per_endpoint.get_mut(&endpoint)
                {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        per_endpoint.remove(&endpoint);
                    }
                }
            }
            () = tokio::time::sleep(interval) => {}
        }
    }
}

/// Signs and sends one message and records what became of it, at `clock` (a pass driven with
/// a clock of its own) or now. The `webhook-timestamp` is always the real time: receivers
/// refuse one far from their clock.
async fn send_one(
    state: &AppState,
    claim: Claimed,
    clock: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    let rules = state.config.webhook_rules();
    let sent_at = Utc::now();
    let answer = if rules.check(&claim.url).is_err() {
        // A URL stored under laxer rules (demo mode switched off since): never called.
        Err("the URL is not allowed by the endpoint rules".to_owned())
    } else {
        state
            .webhooks
            .send(&channels::webhook::Outgoing {
                url: &claim.url,
                id: &claim.webhook_id,
                timestamp: sent_at.timestamp(),
                body: &claim.body,
                secrets: &claim.secrets,
            })
            .await
            .map_err(|e| e.to_string())
    };
    let elapsed = Utc::now() - sent_at;
    let now = clock.map_or_else(Utc::now, |clock| clock + elapsed);
    let attempt = match answer {
        Ok(answer) if domain::accepted(answer.status) => Attempt {
            status: Some(answer.status),
            latency_ms: millis(answer.latency),
            error: None,
            next: MessageState::Delivered,
            retry_at: None,
            health: domain::health_after(claim.failing_since, true, now),
        },
        Ok(answer) => failed(
            &claim,
            Some(answer.status),
            millis(answer.latency),
            format!("the endpoint answered {}", answer.status),
            now,
        ),
        Err(error) => {
            let latency = elapsed.to_std().map(millis).unwrap_or(0);
            failed(&claim, None, latency, error, now)
        }
    };
    match webhooks::settle(&state.db, &claim, &attempt, now).await? {
        Settled::Recorded => {}
        Settled::SwitchedOff => {
            tracing::warn!(endpoint = %claim.endpoint_id, url = %claim.url, "a webhook endpoint failing for a day was switched off");
        }
        Settled::ClaimLost => {
            tracing::warn!(message = %claim.id, "a webhook claim ran out before its answer");
        }
    }
    Ok(())
}

fn failed(
    claim: &Claimed,
    status: Option<u16>,
    latency_ms: u32,
    error: String,
    now: DateTime<Utc>,
) -> Attempt {
    let retry_at = domain::next_attempt(claim.attempts, jitter(), now);
    Attempt {
        status,
        latency_ms,
        error: Some(error),
        next: if retry_at.is_some() {
            MessageState::Pending
        } else {
            MessageState::Failed
        },
        retry_at,
        health: domain::health_after(claim.failing_since, false, now),
    }
}

fn millis(duration: std::time::Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// A number in `-1.0..=1.0`, from the system's random source.
fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.0;
    }
    f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX) * 2.0 - 1.0
}
