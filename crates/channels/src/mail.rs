//! Mail over SMTP: one message at a time, a plain-text part and an optional HTML part, UTF-8
//! throughout (subjects and display names as RFC 2047 encoded words, bodies quoted-printable or
//! base64 as lettre judges best), STARTTLS through rustls.
//!
//! ```no_run
//! # async fn demo() -> Result<(), channels::mail::MailError> {
//! use channels::mail::{MailClient, SmtpConfig};
//! let client = MailClient::new(SmtpConfig::new(
//!     "smtp.example.ru",
//!     587,
//!     "Диспетчерская ЖКХ <noreply@example.ru>",
//! ))?;
//! let sent = client
//!     .send("resident@example.ru", "Заявка принята", "Ваша заявка №42 принята.", None)
//!     .await?;
//! println!("accepted as {}", sent.message_id);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Whether and how the connection to the relay is encrypted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsMode {
    /// STARTTLS when the server offers it, plain text otherwise. When it is offered, the
    /// certificate is still verified: a bad one fails the send rather than falling back.
    #[default]
    Opportunistic,
    /// STARTTLS or nothing: a server that does not offer it fails the send before `MAIL FROM`.
    Required,
    /// Never encrypt (a relay on the same host or in the same private network only).
    None,
}

/// Where and as whom to send.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The relay's host name (also the name its certificate must carry) or IP address.
    pub host: String,
    /// Usually 587 (submission with STARTTLS) or 25.
    pub port: u16,
    /// Credentials for `AUTH`, both or neither.
    pub username: Option<String>,
    pub password: Option<String>,
    /// The `From:` mailbox, display name included, e.g. `Диспетчерская ЖКХ <noreply@example.ru>`.
    /// Its domain is also the right-hand side of the Message-IDs generated.
    pub from: String,
    pub tls: TlsMode,
    /// The deadline for one whole send: connecting, greeting, STARTTLS, AUTH and the transaction.
    /// At least 1.
    pub timeout_seconds: u64,
    /// **For tests only**: accept a self-signed or otherwise invalid server certificate (and a
    /// host name it does not match) during STARTTLS. Never set it against a real relay: it turns
    /// the encryption into a formality that anyone on the path can intercept.
    pub accept_invalid_certs: bool,
}

impl SmtpConfig {
    /// A configuration with no credentials, opportunistic STARTTLS, a 30-second deadline and
    /// certificate verification on.
    pub fn new(host: impl Into<String>, port: u16, from: impl Into<String>) -> Self {
        Self {
            host: host.into(),
            port,
            username: None,
            password: None,
            from: from.into(),
            tls: TlsMode::Opportunistic,
            timeout_seconds: 30,
            accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field("timeout_seconds", &self.timeout_seconds)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .finish()
    }
}

/// A message the server accepted (`250` after the data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The `Message-ID` header as sent, angle brackets included: `<uuid@domain-of-from>`.
    pub message_id: String,
}

/// Why a message was not accepted. The text says what happened; the variant says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The recipient is not a mail address (nothing was sent).
    #[error("invalid mail address: {0}")]
    InvalidAddress(String),
    /// The server answered 4xx: try again later.
    #[error("the mail server refused for now (transient): {0}")]
    Transient(String),
    /// The server answered 5xx (an unknown mailbox, a rejected message): retrying will not help.
    #[error("the mail server refused (permanent): {0}")]
    Permanent(String),
    /// No usable conversation with the server: refused or dropped connection, no answer within
    /// the deadline (the text starts with "timed out"), a failed or missing STARTTLS. Worth
    /// retrying; after a timeout during the data the server may have taken the message all the
    /// same, so a retry can deliver it twice (with a new Message-ID).
    #[error("no usable connection to the mail server: {0}")]
    Connection(String),
    /// The configuration, or the message built from it, is unusable.
    #[error("mail configuration: {0}")]
    Config(String),
}

impl MailError {
    /// True when sending the same message again cannot succeed: a permanent refusal, a bad
    /// address or a bad configuration. Transient refusals and connection failures are worth
    /// retrying.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            Self::Permanent(_) | Self::InvalidAddress(_) | Self::Config(_)
        )
    }
}

/// Sends mail through one SMTP relay. Cloning is cheap (one shared, immutable transport); every
/// send opens its own connection.
#[derive(Clone)]
pub struct MailClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Right-hand side of generated Message-IDs.
    id_domain: String,
    timeout: Duration,
    /// `host:port`, for error texts and logs.
    endpoint: String,
}

impl fmt::Debug for MailClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailClient")
            .field("endpoint", &self.inner.endpoint)
            .field("from", &self.inner.from.to_string())
            .finish_non_exhaustive()
    }
}

impl MailClient {
    /// Checks the configuration and prepares the transport. Connects to nothing yet.
    pub fn new(config: SmtpConfig) -> Result<MailClient, MailError> {
        let host = config.host.trim().to_owned();
        if host.is_empty() {
            return Err(MailError::Config("the SMTP host is empty".into()));
        }
        if config.port == 0 {
            return Err(MailError::Config("the SMTP port is 0".into()));
        }
        if config.timeout_seconds == 0 {
            return Err(MailError::Config(
                "timeout_seconds must be at least 1".into(),
            ));
        }
        let from: Mailbox = config.from.parse().map_err(|e| {
            MailError::Config(format!(
                "the sender {:?} is not a mailbox: {e}",
                config.from
            ))
        })?;
        let timeout = Duration::from_secs(config.timeout_seconds);

        let tls = match config.tls {
            TlsMode::None => Tls::None,
            mode => {
                let parameters = TlsParameters::builder(host.clone())
                    .dangerous_accept_invalid_certs(config.accept_invalid_certs)
                    .dangerous_accept_invalid_hostnames(config.accept_invalid_certs)
                    .build_rustls()
                    .map_err(|e| MailError::Config(format!("TLS parameters: {e}")))?;
                if mode == TlsMode::Required {
                    Tls::Required(parameters)
                } else {
                    Tls::Opportunistic(parameters)
                }
            }
        };
        if config.accept_invalid_certs {
            tracing::warn!(
                host = %host,
                "SMTP certificate verification is off (accept_invalid_certs): for tests only"
            );
        }

        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(config.port)
            .timeout(Some(timeout))
            .tls(tls);
        match (config.username, config.password) {
            (Some(username), Some(password)) => {
                if config.tls == TlsMode::None {
                    tracing::warn!(host = %host, "SMTP credentials will be sent without TLS");
                }
                builder = builder.credentials(Credentials::new(username, password));
            }
            (None, None) => {}
            _ => {
                return Err(MailError::Config(
                    "set both the SMTP username and password, or neither".into(),
                ));
            }
        }

        let id_domain = message_id_domain(from.email.domain());
        let endpoint = format!("{host}:{}", config.port);
        Ok(MailClient {
            inner: Arc::new(Inner {
                transport: builder.build(),
                from,
                id_domain,
                timeout,
                endpoint,
            }),
        })
    }

    /// Sends one message with a plain-text part and, when `html` is given, an HTML alternative
    /// (`multipart/alternative`). Resolves when the server has accepted it, with the Message-ID
    /// set on it; a refusal, a timeout or a connection failure is an error that says which.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
    ) -> Result<Sent, MailError> {
        let inner = &*self.inner;
        let recipient: Mailbox = to
            .parse()
            .map_err(|e| MailError::InvalidAddress(format!("{to:?}: {e}")))?;
        let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), inner.id_domain);
        let builder = Message::builder()
            .from(inner.from.clone())
            .to(recipient)
            .subject(subject)
            .message_id(Some(message_id.clone()));
        let message = match html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                text.to_owned(),
                html.to_owned(),
            )),
            None => builder.singlepart(SinglePart::plain(text.to_owned())),
        }
        .map_err(|e| MailError::Config(format!("cannot build the message: {e}")))?;

        // lettre's own timeout covers only the TCP connect on tokio; this deadline covers the
        // rest too (a server that accepts and never greets, a stalled STARTTLS or DATA).
        let outcome = tokio::time::timeout(inner.timeout, inner.transport.send(message)).await;
        match outcome {
            Ok(Ok(_response)) => {
                tracing::info!(message_id = %message_id, relay = %inner.endpoint, "mail accepted");
                Ok(Sent { message_id })
            }
            Ok(Err(error)) => {
                let error = classify(&error, &inner.endpoint, inner.timeout);
                tracing::warn!(relay = %inner.endpoint, %error, "mail not accepted");
                Err(error)
            }
            Err(_elapsed) => {
                let error = MailError::Connection(format!(
                    "timed out: no complete answer from {} within {} s",
                    inner.endpoint,
                    inner.timeout.as_secs()
                ));
                tracing::warn!(relay = %inner.endpoint, %error, "mail not accepted");
                Err(error)
            }
        }
    }
}

/// Maps lettre's error kinds onto what a caller acts upon.
fn classify(
    error: &lettre::transport::smtp::Error,
    endpoint: &str,
    timeout: Duration,
) -> MailError {
    let text = without_repeats(&error.to_string());
    if error.is_permanent() {
        MailError::Permanent(text)
    } else if error.is_transient() {
        MailError::Transient(text)
    } else if error.is_timeout() {
        MailError::Connection(format!(
            "timed out: no answer from {endpoint} within {} s ({text})",
            timeout.as_secs()
        ))
    } else if error.is_tls() {
        MailError::Connection(format!("TLS with {endpoint} failed: {text}"))
    } else {
        MailError::Connection(format!("{endpoint}: {text}"))
    }
}

/// lettre nests errors of one kind, which reads "Connection error: Connection error: …".
fn without_repeats(text: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split(": ") {
        if parts.last() != Some(&part) {
            parts.push(part);
        }
    }
    parts.join(": ")
}

/// The sender's domain when it can stand in a Message-ID as it is (ASCII), else `localhost`.
fn message_id_domain(domain: &str) -> String {
    let domain = domain.trim_start_matches('[').trim_end_matches(']');
    if !domain.is_empty()
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        domain.to_ascii_lowercase()
    } else {
        "localhost".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SmtpConfig {
        SmtpConfig::new("127.0.0.1", 2525, "Диспетчерская ЖКХ <noreply@example.ru>")
    }

    #[test]
    fn a_russian_display_name_is_a_valid_sender() {
        let client = MailClient::new(config()).unwrap();
        assert_eq!(client.inner.id_domain, "example.ru");
        assert_eq!(client.inner.from.name.as_deref(), Some("Диспетчерская ЖКХ"));
    }

    #[test]
    fn bad_configurations_are_refused_up_front() {
        type Change = fn(&mut SmtpConfig);
        let cases: [(&str, Change); 5] = [
            ("empty host", |c| c.host = " ".into()),
            ("port 0", |c| c.port = 0),
            ("zero timeout", |c| c.timeout_seconds = 0),
            ("bad sender", |c| c.from = "Диспетчерская".into()),
            ("half credentials", |c| c.username = Some("u".into())),
        ];
        for (what, change) in cases {
            let mut c = config();
            change(&mut c);
            let error = MailClient::new(c).unwrap_err();
            assert!(matches!(error, MailError::Config(_)), "{what}: {error:?}");
            assert!(error.is_permanent(), "{what}");
        }
    }

    #[test]
    fn the_password_stays_out_of_debug_output() {
        let mut c = config();
        c.username = Some("dispatch".into());
        c.password = Some("s3cret".into());
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn message_id_domains_are_ascii() {
        assert_eq!(message_id_domain("Example.RU"), "example.ru");
        assert_eq!(message_id_domain("[127.0.0.1]"), "127.0.0.1");
        assert_eq!(message_id_domain("диспетчерская.рф"), "localhost");
    }

    #[test]
    fn repeated_error_prefixes_are_collapsed() {
        assert_eq!(
            without_repeats("Connection error: Connection error: invalid peer certificate"),
            "Connection error: invalid peer certificate"
        );
        assert_eq!(
            without_repeats("permanent error (550): 5.1.1 <a@b>: unknown"),
            "permanent error (550): 5.1.1 <a@b>: unknown"
        );
    }

    #[test]
    fn only_retryable_errors_are_not_permanent() {
        assert!(MailError::Permanent("550".into()).is_permanent());
        assert!(MailError::InvalidAddress("x".into()).is_permanent());
        assert!(!MailError::Transient("451".into()).is_permanent());
        assert!(!MailError::Connection("refused".into()).is_permanent());
    }

    #[tokio::test]
    async fn an_invalid_recipient_is_refused_before_connecting() {
        let client = MailClient::new(config()).unwrap();
        let error = client
            .send("not an address", "Тема", "Текст", None)
            .await
            .unwrap_err();
        assert!(matches!(error, MailError::InvalidAddress(_)), "{error:?}");
    }
}
