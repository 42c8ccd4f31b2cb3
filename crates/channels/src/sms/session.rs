//! The connection task: get a bound session (see `connect`), serve it (submits in flight,
//! `deliver_sm`, `enquire_link` both ways), and on any loss reconnect with exponential backoff.

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use futures_util::{SinkExt, StreamExt};
use rusmpp::{Command, CommandId, CommandStatus, Pdu, pdus::DeliverSmResp};
use tokio::{
    sync::{OwnedSemaphorePermit, mpsc, oneshot},
    time::{Instant, MissedTickBehavior, interval, sleep, timeout},
};
use tracing::{debug, info, warn};

use super::{
    Inbound, SmppConfig, SmsError, Submit,
    connect::{Conn, backoff, connect_and_bind, while_disconnected},
    pdu::{self, Delivered},
    reassembly::Reassembly,
};

struct Pending {
    reply: oneshot::Sender<Result<String, SmsError>>,
    deadline: Instant,
    _permit: OwnedSemaphorePermit,
}

enum Ended {
    /// Every [`super::SmsClient`] was dropped: the session was unbound and the task stops.
    Shutdown,
    Lost(String),
}

/// A session that lasted this long resets the reconnect backoff.
const STABLE_SESSION: Duration = Duration::from_secs(30);
const TICK: Duration = Duration::from_millis(250);
const ESME_RMSGQFUL: u32 = 0x14;

pub(crate) struct Session {
    pub config: Arc<SmppConfig>,
    pub requests: mpsc::Receiver<Submit>,
    pub inbound: mpsc::Sender<Inbound>,
    pub connected: Arc<AtomicBool>,
    seq: u32,
    reassembly: Reassembly,
}

impl Session {
    pub(crate) fn new(
        config: Arc<SmppConfig>,
        requests: mpsc::Receiver<Submit>,
        inbound: mpsc::Sender<Inbound>,
        connected: Arc<AtomicBool>,
    ) -> Self {
        Session {
            config,
            requests,
            inbound,
            connected,
            seq: 0,
            reassembly: Reassembly::default(),
        }
    }

    fn next_seq(&mut self) -> u32 {
        // Sequence numbers run 0x00000001..=0x7FFFFFFF.
        self.seq = if self.seq >= 0x7FFF_FFFF {
            1
        } else {
            self.seq + 1
        };
        self.seq
    }

    pub(crate) async fn run(mut self) {
        let peer = format!("{}:{}", self.config.host, self.config.port);
        let mut failures: u32 = 0;
        loop {
            let seq = self.next_seq();
            let attempt = connect_and_bind(&self.config, seq);
            let Some(result) = while_disconnected(&mut self.requests, attempt).await else {
                return;
            };
            match result {
                Ok(conn) => {
                    self.connected.store(true, Ordering::SeqCst);
                    info!(%peer, system_id = %self.config.system_id, "SMPP session bound");
                    let bound_at = Instant::now();
                    let ended = self.serve(conn).await;
                    self.connected.store(false, Ordering::SeqCst);
                    // Only a session that held starts the backoff over: an SMSC that drops every
                    // session right after the bind is retried ever more slowly, like a failed bind.
                    if bound_at.elapsed() >= STABLE_SESSION {
                        failures = 0;
                    }
                    match ended {
                        Ended::Shutdown => {
                            info!(%peer, "SMPP session closed: the client was dropped");
                            return;
                        }
                        Ended::Lost(why) => warn!(%peer, "SMPP session lost: {why}"),
                    }
                }
                Err(why) => warn!(%peer, attempt = failures + 1, "SMPP connect failed: {why}"),
            }
            let delay = backoff(failures);
            failures = failures.saturating_add(1);
            info!(%peer, delay_ms = delay.as_millis() as u64, "SMPP reconnect scheduled");
            if while_disconnected(&mut self.requests, sleep(delay))
                .await
                .is_none()
            {
                return;
            }
        }
    }

    async fn serve(&mut self, mut conn: Conn) -> Ended {
        let mut pending = HashMap::new();
        let ended = self.serve_bound(&mut conn, &mut pending).await;
        let why = match &ended {
            Ended::Shutdown => "the client was dropped".to_owned(),
            Ended::Lost(why) => why.clone(),
        };
        for (_, p) in pending.drain() {
            let message = format!("connection lost before the SMSC answered ({why})");
            let _ = p.reply.send(Err(SmsError::Io(message)));
        }
        ended
    }

    async fn serve_bound(&mut self, conn: &mut Conn, pending: &mut HashMap<u32, Pending>) -> Ended {
        let response_timeout = Duration::from_secs(self.config.response_timeout_seconds.max(1));
        let idle = Duration::from_secs(self.config.enquire_link_seconds);
        let mut tick = interval(TICK);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut last_heard = Instant::now();
        let mut enquire_sent: Option<Instant> = None;
        loop {
            tokio::select! {
                frame = conn.next() => match frame {
                    Some(Ok(command)) => {
                        last_heard = Instant::now();
                        if command.id() == CommandId::EnquireLinkResp {
                            enquire_sent = None;
                        }
                        if let Some(ended) = self.handle(conn, pending, command).await {
                            return ended;
                        }
                    }
                    Some(Err(e)) => return Ended::Lost(format!("undecodable PDU from the SMSC: {e}")),
                    None => return Ended::Lost("the SMSC closed the connection".to_owned()),
                },
                request = self.requests.recv() => match request {
                    Some(submit) => {
                        let seq = self.next_seq();
                        if let Err(e) = conn.send(Command::new(CommandStatus::EsmeRok, seq, submit.pdu)).await {
                            let why = format!("sending submit_sm failed: {e}");
                            let _ = submit.reply.send(Err(SmsError::Io(why.clone())));
                            return Ended::Lost(why);
                        }
                        pending.insert(seq, Pending {
                            reply: submit.reply,
                            deadline: Instant::now() + response_timeout,
                            _permit: submit.permit,
                        });
                    }
                    None => {
                        self.unbind(conn, response_timeout.min(Duration::from_secs(2))).await;
                        return Ended::Shutdown;
                    }
                },
                _ = tick.tick() => {
                    let now = Instant::now();
                    let expired: Vec<u32> = pending
                        .iter()
                        .filter(|(_, p)| p.deadline <= now)
                        .map(|(&seq, _)| seq)
                        .collect();
                    for seq in expired {
                        // Answering frees the submit's window slot too.
                        if let Some(p) = pending.remove(&seq) {
                            let _ = p.reply.send(Err(SmsError::Timeout));
                        }
                    }
                    for reply in self.reassembly.expire(std::time::Instant::now()) {
                        self.pass_on(reply);
                    }
                    if let Some(sent) = enquire_sent {
                        if now.duration_since(sent) >= response_timeout {
                            return Ended::Lost("no enquire_link_resp in time".to_owned());
                        }
                    } else if !idle.is_zero() && now.duration_since(last_heard) >= idle {
                        let seq = self.next_seq();
                        if let Err(e) = conn.send(Command::new(CommandStatus::EsmeRok, seq, Pdu::EnquireLink)).await {
                            return Ended::Lost(format!("sending enquire_link failed: {e}"));
                        }
                        enquire_sent = Some(now);
                    }
                }
            }
        }
    }

    /// Answers or routes one PDU from the SMSC; `Some` ends the session.
    async fn handle(
        &mut self,
        conn: &mut Conn,
        pending: &mut HashMap<u32, Pending>,
        command: Command,
    ) -> Option<Ended> {
        let seq = command.sequence_number();
        let status = u32::from(command.status());
        let answer = match command.id() {
            CommandId::SubmitSmResp | CommandId::GenericNack => {
                match pending.remove(&seq) {
                    Some(p) => {
                        let result = match command.pdu() {
                            _ if status != 0 => Err(SmsError::Rejected {
                                command_status: status,
                            }),
                            Some(Pdu::SubmitSmResp(resp)) => Ok(resp.message_id().to_string()),
                            _ => Ok(String::new()),
                        };
                        let _ = p.reply.send(result);
                    }
                    None => debug!(seq, status, id = ?command.id(), "response to nothing pending"),
                }
                None
            }
            CommandId::DeliverSm => {
                let status = match command.pdu() {
                    Some(Pdu::DeliverSm(sm)) => self.delivered(pdu::read_deliver_sm(sm)),
                    _ => CommandStatus::EsmeRok,
                };
                Some(Command::new(status, seq, DeliverSmResp::default()))
            }
            CommandId::EnquireLink => Some(Command::new(
                CommandStatus::EsmeRok,
                seq,
                Pdu::EnquireLinkResp,
            )),
            CommandId::Unbind => {
                let resp = Command::new(CommandStatus::EsmeRok, seq, Pdu::UnbindResp);
                let _ = conn.send(resp).await;
                return Some(Ended::Lost("the SMSC unbound".to_owned()));
            }
            id if u32::from(id) & 0x8000_0000 != 0 => {
                debug!(seq, ?id, "ignoring a response");
                None
            }
            id => {
                debug!(
                    seq,
                    ?id,
                    "answering an unsupported request with generic_nack"
                );
                Some(Command::new(
                    CommandStatus::EsmeRinvcmdid,
                    seq,
                    Pdu::GenericNack,
                ))
            }
        };
        if let Some(answer) = answer
            && let Err(e) = conn.send(answer).await
        {
            return Some(Ended::Lost(format!("answering the SMSC failed: {e}")));
        }
        None
    }

    /// Routes a `deliver_sm`'s content; the status is its `deliver_sm_resp`'s. When the
    /// application has not kept up (its channel is full), the SMSC is told ESME_RMSGQFUL and
    /// delivers again later, so nothing is lost.
    fn delivered(&mut self, delivered: Delivered) -> CommandStatus {
        if self.inbound.capacity() == 0 && !self.inbound.is_closed() {
            warn!("inbound channel full: asking the SMSC to redeliver later");
            return CommandStatus::from(ESME_RMSGQFUL);
        }
        let inbound = match delivered {
            Delivered::Receipt { message_id, state } => {
                Some(Inbound::Receipt { message_id, state })
            }
            Delivered::Mo {
                from,
                data_coding,
                part: Some(part),
                payload,
            } => self.reassembly.push(from, data_coding, part, payload),
            Delivered::Mo {
                from,
                data_coding,
                part: None,
                payload,
            } => Some(Inbound::Reply {
                from,
                text: super::text::decode(data_coding, &payload),
            }),
        };
        if let Some(inbound) = inbound {
            self.pass_on(inbound);
        }
        CommandStatus::EsmeRok
    }

    fn pass_on(&self, inbound: Inbound) {
        match self.inbound.try_send(inbound) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Closed(dropped)) => {
                debug!(?dropped, "nobody reads inbound messages; dropped");
            }
            Err(mpsc::error::TrySendError::Full(dropped)) => {
                warn!(?dropped, "inbound channel full; dropped");
            }
        }
    }

    async fn unbind(&mut self, conn: &mut Conn, wait: Duration) {
        let seq = self.next_seq();
        if conn
            .send(Command::new(CommandStatus::EsmeRok, seq, Pdu::Unbind))
            .await
            .is_err()
        {
            return;
        }
        let _ = timeout(wait, async {
            while let Some(Ok(command)) = conn.next().await {
                if command.id() == CommandId::UnbindResp {
                    break;
                }
            }
        })
        .await;
    }
}
