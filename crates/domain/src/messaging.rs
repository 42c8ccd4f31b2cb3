//! Reaching people off the screen: which messages go out by SMS and e-mail, their texts as data,
//! quiet hours, and what a reply by SMS means. Pure: the worker hands in `now`, the recipient's
//! contacts and preferences, and sends what this decides.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;
use crate::{Event, EventDetails, EventKind, Status};

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
    /// A management company's staff: a new complaint is routed to them.
    NewForCompany,
    /// A one-time code confirming a phone number.
    VerificationCode,
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
            | MessageKind::NewForCompany => true,
            MessageKind::Receipt | MessageKind::ReplyRequest | MessageKind::VerificationCode => {
                false
            }
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
            | MessageKind::NewForCompany => false,
        }
    }
}

/// What the person who complained hears of an event, if anything: the kind of message.
pub fn author_message(event: &Event) -> Option<MessageKind> {
    let entered = |status: Status| event.to == status && event.from != Some(status);
    match &event.details {
        EventDetails::Registered { .. } | EventDetails::Reroute { .. }
            if entered(Status::Registered) =>
        {
            Some(MessageKind::Routed)
        }
        EventDetails::ReportDone { .. } => Some(MessageKind::Done),
        EventDetails::RecordCall {
            reply_requested: true,
            ..
        } => Some(MessageKind::ReplyRequest),
        EventDetails::RecordCall { .. }
        | EventDetails::ResidentAnswer { .. }
        | EventDetails::IssueOrder { .. }
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

/// What the staff of the company a complaint is routed to hear of an event.
pub fn company_message(event: &Event) -> Option<MessageKind> {
    match event.kind() {
        EventKind::Registered | EventKind::Reroute if event.to == Status::Registered => {
            Some(MessageKind::NewForCompany)
        }
        _ => None,
    }
}

/// The values a template may use. Nothing else reaches a message: never a description, never
/// another person's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vars {
    /// The complaint's number, e.g. `СУР-2026-000123`.
    pub number: Option<String>,
    /// The PIN of a receipt.
    pub pin: Option<String>,
    /// The status in words.
    pub status: Option<String>,
    /// The category's name.
    pub category: Option<String>,
    /// Where to check the status without an account.
    pub lookup_url: Option<String>,
    /// A one-time code.
    pub code: Option<String>,
    /// The address of the building (no flat).
    pub address: Option<String>,
}

impl Vars {
    fn get(&self, name: &str) -> Option<Option<&str>> {
        let value = match name {
            "number" => &self.number,
            "pin" => &self.pin,
            "status" => &self.status,
            "category" => &self.category,
            "lookup_url" => &self.lookup_url,
            "code" => &self.code,
            "address" => &self.address,
            _ => return None,
        };
        Some(value.as_deref())
    }

    /// The names a template may use.
    pub const NAMES: [&'static str; 7] = [
        "number",
        "pin",
        "status",
        "category",
        "lookup_url",
        "code",
        "address",
    ];
}

/// A template's fault: a placeholder that no value has, or a brace left open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "unknown field {{{0}}}; the fields are {{number}}, {{pin}}, {{status}}, {{category}}, {{lookup_url}}, {{code}}, {{address}}"
    )]
    UnknownField(String),
    #[error("a brace is not closed")]
    Unclosed,
    #[error("{{{0}}} has no value for this message")]
    Missing(String),
}

/// A message's text with `{name}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// The e-mail's subject (e-mail only).
    pub subject: Option<String>,
    pub body: String,
}

impl Template {
    /// Checks every placeholder names a known field (at save time).
    pub fn check(&self) -> Result<(), TemplateError> {
        for text in self.subject.iter().chain([&self.body]) {
            placeholders(text)?
                .iter()
                .try_for_each(|name| match Vars::default().get(name) {
                    Some(_) => Ok(()),
                    None => Err(TemplateError::UnknownField(name.clone())),
                })?;
        }
        Ok(())
    }

    /// The text with the values put in.
    pub fn render(&self, vars: &Vars) -> Result<Rendered, TemplateError> {
        Ok(Rendered {
            subject: self.subject.as_deref().map(|s| fill(s, vars)).transpose()?,
            body: fill(&self.body, vars)?,
        })
    }
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    pub subject: Option<String>,
    pub body: String,
}

fn placeholders(text: &str) -> Result<Vec<String>, TemplateError> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or(TemplateError::Unclosed)?;
        names.push(after[..end].trim().to_owned());
        rest = &after[end + 1..];
    }
    Ok(names)
}

fn fill(text: &str, vars: &Vars) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or(TemplateError::Unclosed)?;
        let name = after[..end].trim();
        match vars.get(name) {
            None => return Err(TemplateError::UnknownField(name.to_owned())),
            Some(None) => return Err(TemplateError::Missing(name.to_owned())),
            Some(Some(value)) => out.push_str(value),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The language of a template.
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
pub enum Language {
    Ru,
    En,
}

wire_enum!(Language, "language");

/// The templates the service starts with; the administrator edits them (they are data).
pub fn default_templates() -> BTreeMap<(MessageKind, Channel, Language), Template> {
    use Channel::{Email, Sms};
    use Language::{En, Ru};
    use MessageKind as K;
    let sms = |body: &str| Template {
        subject: None,
        body: body.to_owned(),
    };
    let mail = |subject: &str, body: &str| Template {
        subject: Some(subject.to_owned()),
        body: body.to_owned(),
    };
    BTreeMap::from([
        (
            (K::Receipt, Sms, Ru),
            sms("Жалоба {number} принята. PIN {pin}. Статус: {lookup_url}"),
        ),
        (
            (K::Receipt, Sms, En),
            sms("Complaint {number} received. PIN {pin}. Status: {lookup_url}"),
        ),
        (
            (K::Routed, Sms, Ru),
            sms("Жалоба {number} передана в управляющую компанию."),
        ),
        (
            (K::Routed, Sms, En),
            sms("Complaint {number} was passed to the management company."),
        ),
        (
            (K::Done, Sms, Ru),
            sms(
                "По жалобе {number} УК сообщила о выполнении. Ответьте 1, если сделано, 2, если нет.",
            ),
        ),
        (
            (K::Done, Sms, En),
            sms("The company reports complaint {number} done. Reply 1 if it is, 2 if not."),
        ),
        (
            (K::SecondRound, Sms, Ru),
            sms("Жалоба {number} снова в работе, срочно."),
        ),
        (
            (K::SecondRound, Sms, En),
            sms("Complaint {number} is back in work, urgently."),
        ),
        (
            (K::ToInspection, Sms, Ru),
            sms("Жалобой {number} занимается жилищный контроль."),
        ),
        (
            (K::ToInspection, Sms, En),
            sms("The housing inspection takes complaint {number}."),
        ),
        ((K::Closed, Sms, Ru), sms("Жалоба {number} закрыта.")),
        ((K::Closed, Sms, En), sms("Complaint {number} is closed.")),
        (
            (K::ReplyRequest, Sms, Ru),
            sms("Мы не дозвонились по жалобе {number}. Ответьте 1, если сделано, 2, если нет."),
        ),
        (
            (K::ReplyRequest, Sms, En),
            sms(
                "We could not reach you about complaint {number}. Reply 1 if it is done, 2 if not.",
            ),
        ),
        (
            (K::VerificationCode, Sms, Ru),
            sms("Код подтверждения: {code}. Никому его не сообщайте."),
        ),
        (
            (K::VerificationCode, Sms, En),
            sms("Your confirmation code: {code}. Do not share it."),
        ),
        (
            (K::Routed, Email, Ru),
            mail(
                "Жалоба {number}: передана в УК",
                "Ваша жалоба {number} ({category}, {address}) передана в управляющую компанию.\n\nСтатус: {lookup_url}",
            ),
        ),
        (
            (K::Routed, Email, En),
            mail(
                "Complaint {number}: passed to the company",
                "Your complaint {number} ({category}, {address}) was passed to the management company.\n\nStatus: {lookup_url}",
            ),
        ),
        (
            (K::Done, Email, Ru),
            mail(
                "Жалоба {number}: выполнено?",
                "Управляющая компания сообщила, что работы по жалобе {number} выполнены. Подтвердите или оспорьте результат: {lookup_url}",
            ),
        ),
        (
            (K::Done, Email, En),
            mail(
                "Complaint {number}: done?",
                "The management company reports complaint {number} done. Confirm or dispute it: {lookup_url}",
            ),
        ),
        (
            (K::SecondRound, Email, Ru),
            mail(
                "Жалоба {number}: повторно в работе",
                "Жалоба {number} снова в работе, срочно.",
            ),
        ),
        (
            (K::SecondRound, Email, En),
            mail(
                "Complaint {number}: back in work",
                "Complaint {number} is back in work, urgently.",
            ),
        ),
        (
            (K::ToInspection, Email, Ru),
            mail(
                "Жалоба {number}: жилищный контроль",
                "Жалобой {number} занимается муниципальный жилищный контроль.",
            ),
        ),
        (
            (K::ToInspection, Email, En),
            mail(
                "Complaint {number}: housing inspection",
                "The municipal housing inspection takes complaint {number}.",
            ),
        ),
        (
            (K::Closed, Email, Ru),
            mail(
                "Жалоба {number}: закрыта",
                "Жалоба {number} закрыта. Спасибо!",
            ),
        ),
        (
            (K::Closed, Email, En),
            mail(
                "Complaint {number}: closed",
                "Complaint {number} is closed. Thank you!",
            ),
        ),
        (
            (K::NewForCompany, Email, Ru),
            mail(
                "Новая жалоба {number}",
                "Новая жалоба {number}: {category}, {address}.",
            ),
        ),
        (
            (K::NewForCompany, Email, En),
            mail(
                "New complaint {number}",
                "New complaint {number}: {category}, {address}.",
            ),
        ),
    ])
}

/// SMS to residents wait out the night: 21:00–09:00 in the city's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// Seconds east of UTC of the city's time zone.
    pub utc_offset_seconds: i32,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            utc_offset_seconds: crate::SURGUT_UTC_OFFSET_SECONDS,
            starts: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            ends: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        }
    }
}

impl QuietHours {
    /// When a message of `kind` may go out by SMS: `now`, or the end of the quiet hours.
    pub fn send_at(&self, kind: MessageKind, now: DateTime<Utc>) -> DateTime<Utc> {
        if kind.ignores_quiet_hours() {
            return now;
        }
        let Some(zone) = FixedOffset::east_opt(self.utc_offset_seconds) else {
            return now;
        };
        let local = now.with_timezone(&zone);
        let time = local.time();
        let quiet = if self.starts > self.ends {
            time >= self.starts || time < self.ends
        } else {
            time >= self.starts && time < self.ends
        };
        if !quiet {
            return now;
        }
        let day = if time >= self.ends {
            local.date_naive() + Duration::days(1)
        } else {
            local.date_naive()
        };
        zone.from_local_datetime(&day.and_time(self.ends))
            .single()
            .map_or(now, |at| at.with_timezone(&Utc))
    }
}

/// What a text sent by a person means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// "1", "да", "сделано": the work was done.
    Satisfied,
    /// "2", "нет", "не сделано": it was not.
    Unsatisfied,
    /// "СТОП": no more SMS to this number.
    Stop,
    /// Anything else, shown to the dispatchers.
    Other(String),
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Satisfied => f.write_str("satisfied"),
            Reply::Unsatisfied => f.write_str("unsatisfied"),
            Reply::Stop => f.write_str("stop"),
            Reply::Other(text) => write!(f, "other: {text}"),
        }
    }
}

/// Reads a reply: case, `ё`, surrounding punctuation and spaces do not matter.
pub fn parse_reply(text: &str) -> Reply {
    let normal: String = text
        .trim()
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    let words: Vec<&str> = normal.split_whitespace().collect();
    match words.as_slice() {
        ["1"] | ["да"] | ["сделано"] | ["выполнено"] | ["yes"] | ["done"] => {
            Reply::Satisfied
        }
        ["2"] | ["нет"] | ["не", "сделано"] | ["не", "выполнено"] | ["несделано"] | ["no"] => {
            Reply::Unsatisfied
        }
        ["стоп"] | ["stop"] | ["отписаться"] => Reply::Stop,
        _ => Reply::Other(text.trim().to_owned()),
    }
}
