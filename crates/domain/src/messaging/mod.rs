//! Reaching people off the screen: which messages go out by SMS and e-mail, their texts as data,
//! quiet hours, and what a reply by SMS means. Pure: the worker hands in `now`, the recipient's
//! contacts and preferences, and sends what this decides.

mod delivery;
mod mask;
mod preferences;
mod quiet_hours;
mod replies;
mod templates;

use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;
use crate::{Changed, Complaint, EventKind, Status};

pub use delivery::{DeliveryState, Retry, SmsLimits, too_late_to_send};
pub use mask::mask_recipient;
pub use preferences::{Choice, Contact, DIGEST_MINUTES, Preferences, channels_for, resumes_sms};
pub use quiet_hours::QuietHours;
pub use replies::{Reply, ReplyOutcome, parse_reply, reply_outcome};
pub use templates::{
    Language, Rendered, Template, TemplateError, TemplateLimits, Vars, default_templates,
};

/// How a message reaches a person.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Channel {
    InApp,
    Sms,
    Email,
}

wire_enum!(Channel, "channel");

/// What a message tells. Each kind has a template per channel and language.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MessageKind {
    /// A clerk filed for the person: number, PIN and how to check the status.
    Receipt,
    /// The complaint reached the management company.
    Routed,
    /// The company reports it done: was it? Reply 1 or 2.
    Done,
    /// The result was not accepted: a second (next) round, urgent.
    SecondRound,
    /// The housing inspection takes it.
    ToInspection,
    /// Closed.
    Closed,
    /// The city could not reach the person by phone: please answer before it closes.
    ReplyRequest,
    /// The city extended its answer deadline under 59-ФЗ: the new date.
    AnswerExtended,
    /// A management company's staff: a new complaint is routed to them.
    NewForCompany,
    /// A one-time code confirming a phone number.
    VerificationCode,
    /// Someone tried to register with a number that already has an account (no code is sent):
    /// sign in instead.
    RegistrationAttempt,
    /// A management company's staff, in the morning: what is overdue.
    OverdueDigest,
    /// The city department, in the morning: yesterday in figures.
    DailySummary,
}

wire_enum!(MessageKind, "message kind");

impl MessageKind {
    /// The kinds a person may switch on or off per channel in their profile.
    pub fn is_optional(self) -> bool {
        match self {
            MessageKind::Routed
            | MessageKind::Done
            | MessageKind::SecondRound
            | MessageKind::ToInspection
            | MessageKind::Closed
            | MessageKind::NewForCompany
            | MessageKind::OverdueDigest
            | MessageKind::DailySummary => true,
            // The law requires the notice of an extension.
            MessageKind::Receipt
            | MessageKind::ReplyRequest
            | MessageKind::AnswerExtended
            | MessageKind::VerificationCode
            | MessageKind::RegistrationAttempt => false,
        }
    }

    /// The channels a message of this kind can take at all: a receipt, a request to answer and a
    /// code go by SMS only (they are for people off the screen), digests and summaries by e-mail
    /// only (they are long), staff hear of new complaints in the app and by e-mail.
    pub fn travels_by(self, channel: Channel) -> bool {
        use Channel::{Email, InApp, Sms};
        match self {
            MessageKind::Receipt
            | MessageKind::ReplyRequest
            | MessageKind::VerificationCode
            | MessageKind::RegistrationAttempt => channel == Sms,
            MessageKind::Routed
            | MessageKind::Done
            | MessageKind::SecondRound
            | MessageKind::ToInspection
            | MessageKind::Closed
            | MessageKind::AnswerExtended => true,
            MessageKind::NewForCompany => matches!(channel, InApp | Email),
            MessageKind::OverdueDigest | MessageKind::DailySummary => channel == Email,
        }
    }

    /// May go out by SMS at night: one-time codes (the person is waiting for them).
    pub fn ignores_quiet_hours(self) -> bool {
        match self {
            MessageKind::VerificationCode => true,
            MessageKind::Receipt
            | MessageKind::Routed
            | MessageKind::Done
            | MessageKind::SecondRound
            | MessageKind::ToInspection
            | MessageKind::Closed
            | MessageKind::ReplyRequest
            | MessageKind::AnswerExtended
            | MessageKind::RegistrationAttempt
            | MessageKind::NewForCompany
            | MessageKind::OverdueDigest
            | MessageKind::DailySummary => false,
        }
    }
}

/// What the person who complained hears of a change of `c`, if anything: the kind of message.
/// A person a clerk filed for learns of the filing from the receipt, not from a second SMS.
pub fn author_message(changed: &Changed, c: &Complaint) -> Option<MessageKind> {
    let entered = |status: Status| changed.to == status && changed.from != Some(status);
    match changed.kind {
        EventKind::Registered if c.author_id.is_none() => None,
        EventKind::Registered | EventKind::Reroute if entered(Status::Registered) => {
            Some(MessageKind::Routed)
        }
        EventKind::ReportDone => Some(MessageKind::Done),
        EventKind::ExtendAnswer => Some(MessageKind::AnswerExtended),
        EventKind::RecordCall if changed.reply_requested => Some(MessageKind::ReplyRequest),
        EventKind::RecordCall | EventKind::ResidentAnswer | EventKind::IssueOrder
            if entered(Status::InProgress) =>
        {
            Some(MessageKind::SecondRound)
        }
        _ if entered(Status::UnderInspection) => Some(MessageKind::ToInspection),
        _ if entered(Status::Closed) || entered(Status::ClosedUnconfirmed) => {
            Some(MessageKind::Closed)
        }
        _ => None,
    }
}

/// What the staff of the company a complaint is routed to hear of a change.
pub fn company_message(changed: &Changed) -> Option<MessageKind> {
    match changed.kind {
        EventKind::Registered | EventKind::Reroute if changed.to == Status::Registered => {
            Some(MessageKind::NewForCompany)
        }
        _ => None,
    }
}
