//! The public handle: start the connection task, submit messages, see whether it is bound.

use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU8, Ordering},
};

use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{Inbound, SmppConfig, SmsError, Submit, Submitted, pdu, session::Session};

/// How many inbound messages (receipts, replies) wait for the application before the SMSC is
/// asked to redeliver later.
const INBOUND_CAPACITY: usize = 1024;

/// A handle on one SMPP transceiver session to an SMSC. Cheap to clone; the connection task stops
/// (after an `unbind`) when the last clone is dropped.
#[derive(Clone)]
pub struct SmsClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: Arc<SmppConfig>,
    requests: mpsc::Sender<Submit>,
    window: Arc<Semaphore>,
    connected: Arc<AtomicBool>,
    reference: AtomicU8,
}

impl std::fmt::Debug for SmsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsClient")
            .field("host", &self.inner.config.host)
            .field("port", &self.inner.config.port)
            .field("connected", &self.is_connected())
            .finish()
    }
}

impl SmsClient {
    /// Starts the connection task (`bind_transceiver`, `enquire_link` keep-alive, reconnect with
    /// exponential backoff and jitter, capped at 60 s) and returns at once; the connection is made
    /// in the background. Delivery receipts and replies arrive on the returned receiver.
    ///
    /// Must be called inside a Tokio runtime (it spawns the task).
    pub fn start(config: SmppConfig) -> (SmsClient, mpsc::Receiver<Inbound>) {
        let window = config.window.max(1);
        let config = Arc::new(config);
        let (requests_tx, requests_rx) = mpsc::channel(window);
        let (inbound_tx, inbound_rx) = mpsc::channel(INBOUND_CAPACITY);
        let connected = Arc::new(AtomicBool::new(false));
        let session = Session::new(config.clone(), requests_rx, inbound_tx, connected.clone());
        tokio::spawn(session.run());
        let inner = Inner {
            config,
            requests: requests_tx,
            window: Arc::new(Semaphore::new(window)),
            connected,
            // Start the 8-bit concatenation references at a different place on each start, so
            // that parts of two messages to one phone are not joined across a restart.
            reference: AtomicU8::new(super::connect::random() as u8),
        };
        (
            SmsClient {
                inner: Arc::new(inner),
            },
            inbound_rx,
        )
    }

    /// Submits one message to `to` (E.164 such as `+79221234567`; spaces, dashes and parentheses
    /// are ignored), asking for a delivery receipt.
    ///
    /// GSM-alphabet text goes as `data_coding` 0x00, anything else (Cyrillic) as UCS-2 (0x08).
    /// A text longer than one segment (160 GSM septets / 70 UCS-2 units) is sent as a
    /// concatenated message: one `submit_sm` per part (153 septets / 67 units), each with the same
    /// 8-bit reference in its user data header and `esm_class` 0x40. Resolves when the SMSC has
    /// acknowledged every part, with its message id for each part in order.
    ///
    /// Errors: [`SmsError::NotConnected`] at once when no session is bound;
    /// [`SmsError::Rejected`] with the SMSC's `command_status` (or, found before sending,
    /// 0x01 ESME_RINVMSGLEN for a text past 255 segments and 0x0A ESME_RINVSRCADR for a
    /// `source_addr` SMPP cannot carry); [`SmsError::Timeout`] when a part got no answer in
    /// `response_timeout_seconds` (it may still have been accepted); [`SmsError::Io`] when the
    /// connection broke with a part unanswered. On an error some parts may have gone out already.
    ///
    /// At most `window` parts are unanswered at once over all callers; a submit beyond waits.
    pub async fn submit(&self, to: &str, text: &str) -> Result<Submitted, SmsError> {
        let digits = pdu::destination(to)?;
        let reference = self.inner.reference.fetch_add(1, Ordering::Relaxed);
        let parts = pdu::submit_sms(&self.inner.config, &digits, text, reference)?;
        if !self.is_connected() {
            return Err(SmsError::NotConnected);
        }
        let segments = u32::try_from(parts.len()).unwrap_or(u32::MAX);
        let mut replies = Vec::with_capacity(parts.len());
        for part in parts {
            let permit = self
                .inner
                .window
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| SmsError::NotConnected)?;
            let (reply, answer) = oneshot::channel();
            let submit = Submit {
                pdu: part,
                permit,
                reply,
            };
            self.inner
                .requests
                .send(submit)
                .await
                .map_err(|_| SmsError::NotConnected)?;
            replies.push(answer);
        }
        let mut message_ids = Vec::with_capacity(replies.len());
        let mut first_error = None;
        for answer in replies {
            match answer.await {
                Ok(Ok(id)) => message_ids.push(id),
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(_) => {
                    first_error.get_or_insert(SmsError::Io("the SMPP task stopped".to_owned()));
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(Submitted {
                message_ids,
                segments,
            }),
        }
    }

    /// Whether a session is bound right now.
    pub fn is_connected(&self) -> bool {
        self.inner.connected.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integrator keeps the handle in shared state and submits from spawned tasks.
    #[test]
    fn the_handle_and_its_submit_can_cross_threads() {
        fn shareable<T: Send + Sync + Clone + 'static>() {}
        fn sendable<T: Send>(_: &T) {}
        shareable::<SmsClient>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _guard = runtime.enter();
        let (client, _inbound) = SmsClient::start(SmppConfig::new("127.0.0.1", 9, "a", "b", "c"));
        let submit = async move { client.submit("+79221234567", "x").await };
        sendable(&submit);
    }
}
