//! SMS over SMPP 3.4: a transceiver client for an operator's SMSC.
//!
//! [`SmsClient::start`] spawns one connection task that binds as a transceiver, keeps the
//! session alive with `enquire_link`, answers the SMSC's `enquire_link` and every `deliver_sm`,
//! and reconnects with exponential backoff (1 s, 2 s, 4 s … capped at 60 s, each with random
//! jitter in its upper half) whenever the connection or the bind fails; the backoff starts over
//! only after a session that held for 30 s. [`SmsClient::submit`]
//! never waits for a connection: without a bound session it fails at once with
//! [`SmsError::NotConnected`], so the caller (an outbox) can retry later.
//!
//! # Long messages
//! A text longer than one segment is sent as a *concatenated* message: one `submit_sm` per part,
//! each starting with a user data header (IEI 0x00, the same 8-bit reference, part count and
//! number) and flagged with `esm_class` 0x40. The alternative, the `message_payload` TLV, hands
//! the splitting to the SMSC; UDH concatenation was chosen because every SMSC supports it
//! (`message_payload` in `submit_sm` is optional for SMSCs), and because the number of segments,
//! the unit an operator bills, is then decided and known here ([`Submitted::segments`],
//! [`count_segments`]) rather than guessed. The SMSC answers each part with its own message id,
//! and sends a delivery receipt per part.
//!
//! # Encodings
//! Text that the GSM 03.38 default alphabet can carry goes as `data_coding` 0x00 (unpacked
//! septets; 160 per message, 153 per part, `€[]{}|^~\` count two); anything else, such as
//! Cyrillic, as UCS-2 (`data_coding` 0x08; 70 per message, 67 per part; characters outside the
//! BMP as UTF-16 surrogate pairs, never split). Inbound text is decoded from GSM 7-bit, UCS-2,
//! ASCII or Latin-1 as its `data_coding` says, and concatenated replies are joined.

mod client;
mod connect;
mod pdu;
mod reassembly;
mod session;
mod text;

pub use client::SmsClient;
pub use text::count_segments;

/// Where and how to bind. [`SmppConfig::new`] fills the tuning fields with their defaults.
#[derive(Clone)]
pub struct SmppConfig {
    pub host: String,
    pub port: u16,
    /// At most 15 ASCII characters.
    pub system_id: String,
    /// At most 8 ASCII characters.
    pub password: String,
    /// The sender shown on phones: `+7922…` (international), digits (a short code, TON unknown)
    /// or a name (alphanumeric, at most 11 characters on most networks).
    pub source_addr: String,
    /// Idle seconds before an `enquire_link` is sent (default 30; 0 turns it off).
    pub enquire_link_seconds: u64,
    /// Submits (parts) awaiting the SMSC's answer at once (default 10).
    pub window: usize,
    /// Seconds to open the TCP connection (default 10).
    pub connect_timeout_seconds: u64,
    /// Seconds to wait for any answer from the SMSC: bind, submit, enquire_link (default 10).
    pub response_timeout_seconds: u64,
}

impl SmppConfig {
    pub fn new(
        host: impl Into<String>,
        port: u16,
        system_id: impl Into<String>,
        password: impl Into<String>,
        source_addr: impl Into<String>,
    ) -> Self {
        SmppConfig {
            host: host.into(),
            port,
            system_id: system_id.into(),
            password: password.into(),
            source_addr: source_addr.into(),
            enquire_link_seconds: 30,
            window: 10,
            connect_timeout_seconds: 10,
            response_timeout_seconds: 10,
        }
    }
}

impl std::fmt::Debug for SmppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmppConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("system_id", &self.system_id)
            .field("password", &"<redacted>")
            .field("source_addr", &self.source_addr)
            .field("enquire_link_seconds", &self.enquire_link_seconds)
            .field("window", &self.window)
            .field("connect_timeout_seconds", &self.connect_timeout_seconds)
            .field("response_timeout_seconds", &self.response_timeout_seconds)
            .finish()
    }
}

/// One `submit_sm` handed to the connection task, with the window slot it occupies until
/// answered.
pub(crate) struct Submit {
    pub pdu: rusmpp::pdus::SubmitSm,
    pub permit: tokio::sync::OwnedSemaphorePermit,
    pub reply: tokio::sync::oneshot::Sender<Result<String, SmsError>>,
}

/// The SMSC accepted every part of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The SMSC's message id of each part, in order; delivery receipts name these.
    pub message_ids: Vec<String>,
    /// How many SMS segments were sent (what the operator bills).
    pub segments: u32,
}

/// Something the SMSC delivered to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    /// A delivery receipt (deliver_sm with esm_class receipt bits): the SMSC's id of the submitted
    /// message (part) and its final state (DELIVRD, UNDELIV, EXPIRED, REJECTD, ...). The id comes
    /// from the `receipted_message_id` TLV when present, else from the receipt text's `id:`; the
    /// state from the text's `stat:`, else from the `message_state` TLV.
    Receipt { message_id: String, state: String },
    /// A message from a phone (a reply): sender in E.164 with '+' (an alphanumeric or national
    /// sender is passed on as the SMSC wrote it), text decoded (UCS-2, GSM 7-bit default
    /// alphabet, or Latin-1 as data_coding says), concatenated parts joined.
    Reply { from: String, text: String },
}

/// Why a submit failed. All but [`SmsError::InvalidNumber`] are worth retrying later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    #[error("not connected to the SMSC (it reconnects in the background; retry later)")]
    NotConnected,
    #[error("the SMSC rejected the message with command_status 0x{command_status:08X} ({})", status_name(*command_status))]
    Rejected { command_status: u32 },
    #[error("the SMSC did not answer in time (the message may or may not have been accepted)")]
    Timeout,
    #[error("SMPP connection error: {0}")]
    Io(String),
    #[error("invalid phone number {0:?}: expected E.164 such as +79221234567")]
    InvalidNumber(String),
}

/// The SMPP name of a command status, e.g. `EsmeRinvdstadr`.
fn status_name(status: u32) -> String {
    format!("{:?}", rusmpp::CommandStatus::from(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_happened() {
        let rejected = SmsError::Rejected {
            command_status: 0x0B,
        };
        assert_eq!(
            rejected.to_string(),
            "the SMSC rejected the message with command_status 0x0000000B (EsmeRinvdstadr)"
        );
        assert!(SmsError::NotConnected.to_string().contains("not connected"));
    }

    #[test]
    fn config_debug_hides_the_password() {
        let config = SmppConfig::new("h", 1, "id", "secret", "X");
        assert!(!format!("{config:?}").contains("secret"));
    }
}
