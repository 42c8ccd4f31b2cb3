//! Who hears of what, and what they read. A change of a complaint writes an [`OutboxMessage`] in
//! the same transaction; the worker turns each message into a [`Notice`] for its recipients.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Complaint, Event, EventDetails, EventKind, Principal, Role, Status};

/// A message of the transactional outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OutboxMessage {
    /// A complaint changed: one event of its history.
    Changed(Changed),
    /// An escalation rule flagged a complaint to the board of a role.
    Flagged(Flagged),
}

/// What [`OutboxMessage::Changed`] carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changed {
    pub complaint_id: Uuid,
    pub kind: EventKind,
    pub from: Option<Status>,
    pub to: Status,
    pub actor: Principal,
    /// The last unanswered verification call: the person is asked to answer by SMS.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reply_requested: bool,
    /// The company a management change took the complaint from: it hears of it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_company: Option<Uuid>,
}

impl Changed {
    /// What the outbox carries of one event.
    pub fn of(event: &Event) -> Self {
        Changed {
            complaint_id: event.complaint_id,
            kind: event.kind(),
            from: event.from,
            to: event.to,
            actor: event.actor,
            reply_requested: matches!(
                event.details,
                EventDetails::RecordCall {
                    reply_requested: true,
                    ..
                }
            ),
            left_company: match event.details {
                EventDetails::Reroute {
                    from_company_id,
                    management_change: true,
                    ..
                } => from_company_id.filter(|left| event.company_id != Some(*left)),
                _ => None,
            },
        }
    }
}

/// What [`OutboxMessage::Flagged`] carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flagged {
    pub complaint_id: Uuid,
    /// The escalation rule's code.
    pub rule: String,
    pub notify_role: Role,
    /// What the rule watched, for the words of the notice (absent in older messages: overdue).
    #[serde(default)]
    pub reason: FlagReason,
}

/// What a flagging rule watched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    /// The stage deadline passed.
    #[default]
    Overdue,
    /// The 59-ФЗ answer deadline is near (or passed).
    AnswerDue,
    /// Another condition (round, unanswered calls).
    Other,
}

/// The topic of a flagged complaint; changes are `complaint.<event kind>`.
const FLAGGED_TOPIC: &str = "complaint.overdue";
const TOPIC_PREFIX: &str = "complaint.";

impl OutboxMessage {
    /// The message of one event.
    pub fn of_event(event: &Event) -> Self {
        OutboxMessage::Changed(Changed::of(event))
    }

    pub fn complaint_id(&self) -> Uuid {
        match self {
            OutboxMessage::Changed(changed) => changed.complaint_id,
            OutboxMessage::Flagged(flagged) => flagged.complaint_id,
        }
    }

    /// As stored: `complaint.<event kind>` or `complaint.overdue`.
    pub fn topic(&self) -> String {
        match self {
            OutboxMessage::Changed(changed) => format!("{TOPIC_PREFIX}{}", changed.kind),
            OutboxMessage::Flagged(_) => FLAGGED_TOPIC.to_owned(),
        }
    }

    /// The stored payload (without the topic).
    pub fn payload(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Reads a stored message back from its topic and payload.
    pub fn decode(topic: &str, payload: serde_json::Value) -> Result<Self, OutboxDecodeError> {
        let fail = |e: serde_json::Error| OutboxDecodeError(format!("{topic}: {e}"));
        if topic == FLAGGED_TOPIC {
            return serde_json::from_value(payload)
                .map(OutboxMessage::Flagged)
                .map_err(fail);
        }
        let kind = topic
            .strip_prefix(TOPIC_PREFIX)
            .and_then(|kind| kind.parse::<EventKind>().ok())
            .ok_or_else(|| OutboxDecodeError(format!("unknown topic {topic:?}")))?;
        let changed: Changed = serde_json::from_value(payload).map_err(fail)?;
        if changed.kind != kind {
            return Err(OutboxDecodeError(format!(
                "{topic}: the payload is of a `{}` event",
                changed.kind
            )));
        }
        Ok(OutboxMessage::Changed(changed))
    }
}

/// A stored outbox message that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("undecodable outbox message: {0}")]
pub struct OutboxDecodeError(pub String);

/// Someone to notify, as the storage resolves it to accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Recipient {
    /// One account (the resident who complained).
    User(Uuid),
    /// The active staff of a management company.
    StaffOf(Uuid),
    /// Every active account of a role (the city's dispatchers, the inspectors).
    Everyone(Role),
}

/// What one message tells whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub recipients: Vec<Recipient>,
    /// The account that caused the message hears nothing of it.
    pub except: Option<Uuid>,
    /// `registered`, an action's name, or `overdue`.
    pub kind: String,
    pub text: String,
}

/// Who hears of `message` about `c` (now, after the change), and the text, in Russian:
/// the resident who complained hears of every change of their complaint, the company of every
/// change while the complaint is routed to it, the dispatchers of what needs routing, the
/// inspectors of what is with the inspection, and a flagged complaint goes to the flagged role.
/// `number` and `category_ru` are the complaint's number and category name.
pub fn notice(message: &OutboxMessage, c: &Complaint, number: &str, category_ru: &str) -> Notice {
    let mut recipients = Vec::new();
    let (kind, text, except) = match message {
        OutboxMessage::Flagged(flagged) => {
            recipients.push(Recipient::Everyone(flagged.notify_role));
            let text = match flagged.reason {
                FlagReason::Overdue => {
                    format!("Жалоба {number}: срок истёк ({})", c.status.name_ru())
                }
                FlagReason::AnswerDue => format!(
                    "Жалоба {number}: срок ответа по 59-ФЗ — {} ({})",
                    crate::calendar::city_date_text(c.answer_due_at),
                    c.status.name_ru()
                ),
                FlagReason::Other => format!(
                    "Жалоба {number}: правило {} ({})",
                    flagged.rule,
                    c.status.name_ru()
                ),
            };
            ("overdue".to_owned(), text, None)
        }
        OutboxMessage::Changed(changed) => {
            recipients.extend(c.author_id.map(Recipient::User));
            let text = match changed.kind {
                EventKind::Registered => format!("Новая жалоба {number}: {category_ru}"),
                EventKind::ExtendAnswer => format!(
                    "Жалоба {number}: срок ответа продлён до {} (59-ФЗ)",
                    crate::calendar::city_date_text(c.answer_due_at)
                ),
                EventKind::Reroute if changed.left_company.is_some() => format!(
                    "Жалоба {number}: передана новой управляющей организации дома ({})",
                    c.status.name_ru()
                ),
                EventKind::Recategorise => {
                    format!("Жалоба {number}: категория изменена — {category_ru}")
                }
                _ => format!("Жалоба {number}: {}", c.status.name_ru()),
            };
            let except = match changed.actor {
                Principal::User { id } => Some(id),
                Principal::ServiceAccount { account, .. } => Some(account),
                Principal::System | Principal::Applicant { .. } => None,
            };
            (changed.kind.as_str().to_owned(), text, except)
        }
    };
    recipients.extend(c.company_id.map(Recipient::StaffOf));
    if let OutboxMessage::Changed(changed) = message {
        recipients.extend(changed.left_company.map(Recipient::StaffOf));
    }
    match c.status {
        Status::NeedsRouting => recipients.push(Recipient::Everyone(Role::Dispatcher)),
        Status::UnderInspection => recipients.push(Recipient::Everyone(Role::Inspector)),
        Status::Registered
        | Status::InProgress
        | Status::AwaitingVerification
        | Status::Closed
        | Status::ClosedUnconfirmed
        | Status::Withdrawn
        | Status::Rejected => {}
    }
    recipients.sort();
    recipients.dedup();
    Notice {
        recipients,
        except,
        kind,
        text,
    }
}
