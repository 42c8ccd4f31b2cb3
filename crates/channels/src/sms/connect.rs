//! Getting a bound session: TCP connect, `bind_transceiver`, and the backoff between attempts.

use std::{
    hash::{BuildHasher, RandomState},
    time::Duration,
};

use futures_util::{SinkExt, StreamExt};
use rusmpp::{Command, CommandId, CommandStatus, Pdu, tokio_codec::CommandCodec};
use tokio::{net::TcpStream, sync::mpsc, time::timeout};
use tokio_util::codec::Framed;
use tracing::debug;

use super::{SmppConfig, SmsError, Submit, pdu};

pub(crate) type Conn = Framed<TcpStream, CommandCodec>;

const FIRST_BACKOFF_MS: u64 = 1_000;
const MAX_BACKOFF_MS: u64 = 60_000;

/// The delay before reconnect attempt `failures + 1`: "equal jitter" over an exponential ceiling
/// of 1 s, 2 s, 4 s … capped at 60 s, so the delay is uniform in [ceiling/2, ceiling].
pub(crate) fn backoff(failures: u32) -> Duration {
    let ceiling = FIRST_BACKOFF_MS
        .saturating_mul(1 << failures.min(16))
        .min(MAX_BACKOFF_MS);
    let half = ceiling / 2;
    Duration::from_millis(half + random() % (half + 1))
}

/// A random number from the standard library's randomly keyed hasher (no `rand` needed for jitter).
pub(crate) fn random() -> u64 {
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// Runs `fut` while answering every submit with [`SmsError::NotConnected`]; `None` when every
/// client handle is gone (the task should stop).
pub(crate) async fn while_disconnected<T>(
    requests: &mut mpsc::Receiver<Submit>,
    fut: impl Future<Output = T>,
) -> Option<T> {
    tokio::pin!(fut);
    loop {
        tokio::select! {
            out = &mut fut => return Some(out),
            request = requests.recv() => match request {
                Some(submit) => {
                    let _ = submit.reply.send(Err(SmsError::NotConnected));
                }
                None => return None,
            },
        }
    }
}

pub(crate) async fn connect_and_bind(config: &SmppConfig, seq: u32) -> Result<Conn, String> {
    let connect_timeout = Duration::from_secs(config.connect_timeout_seconds.max(1));
    let response_timeout = Duration::from_secs(config.response_timeout_seconds.max(1));
    let addr = (config.host.as_str(), config.port);
    let stream = timeout(connect_timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| format!("no TCP connection within {connect_timeout:?}"))?
        .map_err(|e| format!("TCP connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let mut conn = Framed::new(stream, CommandCodec::new());
    let bind = pdu::bind_transceiver(config)?;
    conn.send(Command::new(CommandStatus::EsmeRok, seq, bind))
        .await
        .map_err(|e| format!("sending bind_transceiver: {e}"))?;
    let answered = timeout(response_timeout, async {
        loop {
            match conn.next().await {
                Some(Ok(c)) if c.id() == CommandId::BindTransceiverResp => {
                    break match u32::from(c.status()) {
                        0 => Ok(()),
                        status => Err(format!(
                            "bind_transceiver refused: command_status 0x{status:08X} ({:?})",
                            c.status()
                        )),
                    };
                }
                Some(Ok(c)) if c.id() == CommandId::GenericNack => {
                    break Err(format!("bind answered by generic_nack {:?}", c.status()));
                }
                Some(Ok(c)) if c.id() == CommandId::EnquireLink => {
                    let resp = Command::new(
                        CommandStatus::EsmeRok,
                        c.sequence_number(),
                        Pdu::EnquireLinkResp,
                    );
                    conn.send(resp)
                        .await
                        .map_err(|e| format!("answering enquire_link: {e}"))?;
                }
                Some(Ok(c)) => debug!(id = ?c.id(), "ignored while binding"),
                Some(Err(e)) => break Err(format!("undecodable PDU while binding: {e}")),
                None => break Err("the SMSC closed the connection while binding".to_owned()),
            }
        }
    })
    .await
    .map_err(|_| format!("no bind_transceiver_resp within {response_timeout:?}"))?;
    answered.map(|()| conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_up_to_a_minute() {
        for failures in 0..20 {
            let ceiling = (1_000u64 << failures.min(16)).min(60_000);
            let d = backoff(failures).as_millis() as u64;
            assert!(d >= ceiling / 2 && d <= ceiling, "{failures}: {d}");
        }
    }
}
