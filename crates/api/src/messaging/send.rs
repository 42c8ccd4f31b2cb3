//! The senders: take due deliveries of one channel, pass them to its gateway, and record what the
//! gateway answered. A delivery is marked sent only on the gateway's acknowledgement; one that
//! the gateway did not take goes back to the queue with a growing wait, and is failed after the
//! last attempt. Safe with several replicas: each delivery is claimed by one of them.

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;

use channels::sms::SmsError;
use persistence::messaging::deliveries::{self, Claimed};
use persistence::messaging::inbound;

use crate::error::ApiError;
use crate::state::AppState;

/// How many deliveries one pass takes at most.
const BATCH: u64 = 200;
/// How many of them are in flight at once (the SMS client queues them to the SMSC's window).
const IN_FLIGHT: usize = 32;
/// How long a claim holds: well beyond a gateway's own deadline.
const HOLD_SECONDS: i64 = 120;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub suppressed: usize,
}

impl SendReport {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Sent => self.sent += 1,
            Outcome::Retried => self.retried += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Suppressed | Outcome::Lost => self.suppressed += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.sent + self.retried + self.failed + self.suppressed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Retried,
    Failed,
    Suppressed,
    /// The claim ran out before the answer; another sender has it now.
    Lost,
}

/// One pass over the due deliveries of `channel`. Without a gateway for it, they wait.
pub async fn drain(
    state: &AppState,
    channel: domain::Channel,
    now: DateTime<Utc>,
) -> Result<SendReport, ApiError> {
    let ready = match channel {
        domain::Channel::Sms => state.gateways.sms.is_some(),
        domain::Channel::Email => state.gateways.mail.is_some(),
        domain::Channel::InApp => false,
    };
    let mut report = SendReport::default();
    if !ready {
        return Ok(report);
    }
    let claimed = deliveries::claim_due(
        &state.db,
        channel,
        now,
        Duration::seconds(HOLD_SECONDS),
        BATCH,
    )
    .await?;
    if claimed.is_empty() {
        return Ok(report);
    }
    // The city-wide SMS count, once per pass: every SMS of this pass counts against it.
    let mut sent_in_all = match channel {
        domain::Channel::Sms => {
            deliveries::sms_sent_in_all(&state.db, now - Duration::hours(24)).await?
        }
        domain::Channel::Email | domain::Channel::InApp => 0,
    };
    let mut admitted = Vec::with_capacity(claimed.len());
    for claim in claimed {
        if channel == domain::Channel::Sms {
            if claim.kind != domain::MessageKind::VerificationCode
                && inbound::is_stopped(&state.db, &claim.address).await?
            {
                deliveries::mark_final(
                    &state.db,
                    &claim,
                    domain::DeliveryState::Suppressed,
                    "the number replied СТОП",
                )
                .await?;
                report.add(Outcome::Suppressed);
                continue;
            }
            let to_number =
                deliveries::sms_sent_to(&state.db, &claim.address, now - Duration::hours(24))
                    .await?;
            if !state
                .config
                .sms_limits
                .allows(claim.kind, to_number, sent_in_all)
            {
                deliveries::mark_final(
                    &state.db,
                    &claim,
                    domain::DeliveryState::Suppressed,
                    "the daily SMS limit is reached",
                )
                .await?;
                report.add(Outcome::Suppressed);
                continue;
            }
            sent_in_all = sent_in_all.saturating_add(1);
        }
        admitted.push(claim);
    }
    let mut outcomes = futures_util::stream::iter(admitted)
        .map(|claim| async move { send_one(state, claim, now).await })
        .buffer_unordered(IN_FLIGHT);
    while let Some(outcome) = outcomes.next().await {
        report.add(outcome?);
    }
    Ok(report)
}

/// Hands one delivery to its gateway and records the answer.
async fn send_one(
    state: &AppState,
    claim: Claimed,
    now: DateTime<Utc>,
) -> Result<Outcome, ApiError> {
    let attempt = match claim.channel {
        domain::Channel::Sms => {
            let Some(sms) = &state.gateways.sms else {
                return Ok(Outcome::Lost);
            };
            match sms.submit(&claim.address, &claim.body).await {
                Ok(submitted) => Ok((
                    submitted.message_ids.first().cloned().unwrap_or_default(),
                    Some(submitted.segments),
                )),
                Err(e) => Err((sms_error_is_permanent(&e), e.to_string())),
            }
        }
        domain::Channel::Email => {
            let Some(mail) = &state.gateways.mail else {
                return Ok(Outcome::Lost);
            };
            let subject = claim.subject.as_deref().unwrap_or("Диспетчерская ЖКХ");
            let html = html_of(&claim.body);
            match mail
                .send(&claim.address, subject, &claim.body, Some(&html))
                .await
            {
                Ok(sent) => Ok((sent.message_id, None)),
                Err(e) => Err((e.is_permanent(), e.to_string())),
            }
        }
        domain::Channel::InApp => Err((true, "in-app messages are not delivered here".to_owned())),
    };
    let done = Utc::now().max(now);
    match attempt {
        Ok((gateway_id, segments)) => {
            if deliveries::mark_sent(&state.db, &claim, &gateway_id, segments, done).await? {
                Ok(Outcome::Sent)
            } else {
                tracing::warn!(delivery = %claim.id, "a delivery was sent after its claim ran out");
                Ok(Outcome::Lost)
            }
        }
        Err((true, error)) => {
            tracing::warn!(delivery = %claim.id, %error, "a gateway refused a message for good");
            deliveries::mark_final(&state.db, &claim, domain::DeliveryState::Failed, &error)
                .await?;
            Ok(Outcome::Failed)
        }
        Err((false, error)) => match domain::Retry::default().wait_after(claim.attempts) {
            Some(wait) => {
                deliveries::mark_retry(&state.db, &claim, &error, done + wait).await?;
                Ok(Outcome::Retried)
            }
            None => {
                let error = format!("gave up after {} attempts: {error}", claim.attempts);
                deliveries::mark_final(&state.db, &claim, domain::DeliveryState::Failed, &error)
                    .await?;
                Ok(Outcome::Failed)
            }
        },
    }
}

/// Whether retrying cannot help: a number that is not one, or a refusal of the message itself.
/// Throttling, a full queue and the SMSC's own faults are worth retrying.
fn sms_error_is_permanent(error: &SmsError) -> bool {
    const THROTTLED: u32 = 0x58;
    const QUEUE_FULL: u32 = 0x14;
    const SYSTEM_ERROR: u32 = 0x08;
    const SUBMIT_FAILED: u32 = 0x45;
    match error {
        SmsError::InvalidNumber(_) => true,
        SmsError::Rejected { command_status } => !matches!(
            *command_status,
            THROTTLED | QUEUE_FULL | SYSTEM_ERROR | SUBMIT_FAILED
        ),
        SmsError::NotConnected | SmsError::Timeout | SmsError::Io(_) => false,
    }
}

/// The HTML part of an e-mail: the text, escaped, in paragraphs, links clickable.
fn html_of(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let words: Vec<String> = p
                .split(' ')
                .map(|w| {
                    if w.starts_with("http://") || w.starts_with("https://") {
                        format!("<a href=\"{0}\">{0}</a>", escape(w))
                    } else {
                        escape(w)
                    }
                })
                .collect();
            format!("<p>{}</p>", words.join(" ").replace('\n', "<br>"))
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"ru\"><body style=\"font-family:sans-serif\">{}</body></html>",
        paragraphs.join("")
    )
}

/// Runs the senders every `interval` until the process ends; a full pass goes again at once.
pub async fn run_forever(state: actix_web::web::Data<AppState>, interval: std::time::Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        for channel in [domain::Channel::Sms, domain::Channel::Email] {
            loop {
                match drain(&state, channel, Utc::now()).await {
                    Ok(report) if report.total() >= BATCH as usize => continue,
                    Ok(report) if report.total() > 0 => {
                        tracing::info!(?channel, ?report, "messages sent");
                        break;
                    }
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(?channel, error = %e, "sending failed");
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_and_links() {
        let html = html_of("Жалоба <1> & ко.\n\nСтатус: https://x.ru/status?number=A");
        assert!(html.contains("&lt;1&gt; &amp;"));
        assert!(html.contains("<a href=\"https://x.ru/status?number=A\">"));
        assert_eq!(html.matches("<p>").count(), 2);
    }

    #[test]
    fn only_refusals_of_the_message_itself_are_final() {
        assert!(sms_error_is_permanent(&SmsError::InvalidNumber(
            "8922".into()
        )));
        assert!(sms_error_is_permanent(&SmsError::Rejected {
            command_status: 0x0B
        }));
        assert!(!sms_error_is_permanent(&SmsError::Rejected {
            command_status: 0x58
        }));
        assert!(!sms_error_is_permanent(&SmsError::NotConnected));
        assert!(!sms_error_is_permanent(&SmsError::Timeout));
    }
}
