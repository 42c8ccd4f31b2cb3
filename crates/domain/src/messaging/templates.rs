use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Channel, MessageKind};
use crate::wire::wire_enum;

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
            (K::RegistrationAttempt, Sms, Ru),
            sms(
                "Кто-то пытается зарегистрироваться с вашим номером, но у вас уже есть учётная запись: просто войдите. Если это были не вы, ничего делать не нужно.",
            ),
        ),
        (
            (K::RegistrationAttempt, Sms, En),
            sms(
                "Someone tried to register with your number, but you already have an account: just sign in. If it was not you, do nothing.",
            ),
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
