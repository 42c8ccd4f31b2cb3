//! Messages off the screen: SMS through the operator's SMS centre (SMPP) and e-mail through a
//! mail relay (SMTP). The domain decides who hears of what by which channel
//! ([`domain::author_message`], [`domain::channels_for`], [`domain::QuietHours`]); this module
//! renders, queues ([`compose`]), sends ([`send`]) and reads what comes back ([`inbound`]).

pub mod compose;
pub mod digests;
pub mod inbound;
pub mod send;

use tokio::sync::mpsc;

use crate::config::{Config, SmtpTls};

/// The gateways configured; a channel without one keeps its deliveries queued.
#[derive(Default)]
pub struct Gateways {
    pub sms: Option<channels::sms::SmsClient>,
    pub mail: Option<channels::mail::MailClient>,
}

impl Gateways {
    /// Connects what `config` names. The SMS client binds in the background (and reconnects);
    /// what it receives arrives on the returned channel.
    pub fn start(
        config: &Config,
    ) -> Result<(Gateways, Option<mpsc::Receiver<channels::sms::Inbound>>), String> {
        let (sms, received) = match &config.smpp {
            Some(smpp) => {
                let (client, received) =
                    channels::sms::SmsClient::start(channels::sms::SmppConfig::new(
                        smpp.host.clone(),
                        smpp.port,
                        smpp.system_id.clone(),
                        smpp.password.expose().to_owned(),
                        smpp.source.clone(),
                    ));
                (Some(client), Some(received))
            }
            None => (None, None),
        };
        let mail = match &config.smtp {
            Some(smtp) => {
                let mut settings = channels::mail::SmtpConfig::new(
                    smtp.host.clone(),
                    smtp.port,
                    smtp.from.clone(),
                );
                settings.username = smtp.user.clone();
                settings.password = smtp.password.as_ref().map(|p| p.expose().to_owned());
                settings.tls = match smtp.tls {
                    SmtpTls::StartTlsWhenOffered => channels::mail::TlsMode::Opportunistic,
                    SmtpTls::Required => channels::mail::TlsMode::Required,
                    SmtpTls::None => channels::mail::TlsMode::None,
                };
                Some(channels::mail::MailClient::new(settings).map_err(|e| e.to_string())?)
            }
            None => None,
        };
        Ok((Gateways { sms, mail }, received))
    }
}
