use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Channel, MessageKind};
use crate::DomainError;
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
    /// The city's 59-ФЗ answer deadline, a local date (`dd.mm.yyyy`).
    pub answer_due: Option<String>,
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
            "answer_due" => &self.answer_due,
            _ => return None,
        };
        Some(value.as_deref())
    }

    /// The values a message of `kind` has: every message about a complaint its number, status,
    /// category, status page and building; a receipt its PIN too; a one-time code only the code.
    pub fn provided(kind: MessageKind) -> &'static [&'static str] {
        const COMPLAINT: &[&str] = &["number", "status", "category", "lookup_url", "address"];
        match kind {
            MessageKind::Receipt => &[
                "number",
                "pin",
                "status",
                "category",
                "lookup_url",
                "address",
            ],
            MessageKind::VerificationCode => &["code"],
            // Says only that an account exists: no value at all.
            MessageKind::RegistrationAttempt => &[],
            MessageKind::AnswerExtended => &[
                "number",
                "status",
                "category",
                "lookup_url",
                "address",
                "answer_due",
            ],
            MessageKind::Routed
            | MessageKind::Done
            | MessageKind::SecondRound
            | MessageKind::ToInspection
            | MessageKind::Closed
            | MessageKind::ReplyRequest
            | MessageKind::NewForCompany
            | MessageKind::OverdueDigest
            | MessageKind::DailySummary => COMPLAINT,
        }
    }

    /// Made-up values of every field, for the administrator's preview.
    pub fn sample(language: Language) -> Vars {
        let (status, category, address) = match language {
            Language::Ru => (
                "В работе",
                "Не работает освещение в подъезде",
                "г. Сургут, ул. Ленина, д. 1",
            ),
            Language::En => (
                "in progress",
                "No light in the stairwell",
                "1 Lenina St, Surgut",
            ),
        };
        Vars {
            number: Some("СУР-2026-000123".to_owned()),
            pin: Some("482915".to_owned()),
            status: Some(status.to_owned()),
            category: Some(category.to_owned()),
            lookup_url: Some("https://dispatch.example/status?number=СУР-2026-000123".to_owned()),
            code: Some("5173".to_owned()),
            address: Some(address.to_owned()),
            answer_due: Some("15.04.2026".to_owned()),
        }
    }

    /// The names a template may use.
    pub const NAMES: [&'static str; 8] = [
        "number",
        "pin",
        "status",
        "category",
        "lookup_url",
        "code",
        "address",
        "answer_due",
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

/// How long a template may be: an SMS of up to about seven segments in Cyrillic, an e-mail of a
/// few screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateLimits;

impl TemplateLimits {
    pub const SMS_BODY: usize = 460;
    pub const EMAIL_SUBJECT: usize = 200;
    pub const EMAIL_BODY: usize = 5000;
}

/// Names people may reach for that never go into a message: a description, or the data of a
/// person (152-ФЗ).
const NEVER: [&str; 8] = [
    "description",
    "name",
    "phone",
    "email",
    "flat",
    "applicant",
    "author",
    "comment",
];

impl Template {
    /// Checks the administrator's text for one kind and channel, naming the field at fault
    /// (`subject` or `body`): every placeholder known and with a value for this kind, never a
    /// description or a person's data, no address in an SMS (whoever glances at the phone would
    /// read where the person lives), a subject for an e-mail and none for an SMS, and the lengths
    /// of [`TemplateLimits`].
    pub fn check_for(&self, kind: MessageKind, channel: Channel) -> Result<(), DomainError> {
        let chars = |text: &str| text.chars().count();
        if self.body.trim().is_empty() {
            return Err(DomainError::validation("body", "must not be blank"));
        }
        match channel {
            Channel::Sms => {
                if self.subject.is_some() {
                    return Err(DomainError::validation("subject", "an SMS has no subject"));
                }
                if chars(&self.body) > TemplateLimits::SMS_BODY {
                    return Err(DomainError::validation(
                        "body",
                        format!("at most {} characters", TemplateLimits::SMS_BODY),
                    ));
                }
            }
            Channel::Email => {
                let subject = self.subject.as_deref().unwrap_or("");
                if subject.trim().is_empty() {
                    return Err(DomainError::validation(
                        "subject",
                        "an e-mail needs a subject",
                    ));
                }
                if chars(subject) > TemplateLimits::EMAIL_SUBJECT {
                    return Err(DomainError::validation(
                        "subject",
                        format!("at most {} characters", TemplateLimits::EMAIL_SUBJECT),
                    ));
                }
                if chars(&self.body) > TemplateLimits::EMAIL_BODY {
                    return Err(DomainError::validation(
                        "body",
                        format!("at most {} characters", TemplateLimits::EMAIL_BODY),
                    ));
                }
            }
            Channel::InApp => {
                return Err(DomainError::validation(
                    "channel",
                    "in-app notifications have no template",
                ));
            }
        }
        let provided = Vars::provided(kind);
        for (field, text) in [
            ("subject", self.subject.as_deref()),
            ("body", Some(&*self.body)),
        ] {
            let Some(text) = text else { continue };
            let names =
                placeholders(text).map_err(|e| DomainError::validation(field, e.to_string()))?;
            for name in names {
                if NEVER.contains(&name.as_str()) {
                    return Err(DomainError::validation(
                        field,
                        format!(
                            "{{{name}}} may never go into a message: no description, no person's data"
                        ),
                    ));
                }
                if Vars::default().get(&name).is_none() {
                    return Err(DomainError::validation(
                        field,
                        TemplateError::UnknownField(name).to_string(),
                    ));
                }
                if channel == Channel::Sms && name == "address" {
                    return Err(DomainError::validation(
                        field,
                        "an SMS may not carry {address}: whoever sees the phone would read where the person lives",
                    ));
                }
                if !provided.contains(&name.as_str()) {
                    return Err(DomainError::validation(
                        field,
                        TemplateError::Missing(name).to_string(),
                    ));
                }
            }
        }
        Ok(())
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
        (
            (K::AnswerExtended, Sms, Ru),
            sms("Срок ответа по жалобе {number} продлён до {answer_due} (59-ФЗ)."),
        ),
        (
            (K::AnswerExtended, Sms, En),
            sms("The answer to complaint {number} is now due by {answer_due} (59-FZ)."),
        ),
        (
            (K::AnswerExtended, Email, Ru),
            mail(
                "Жалоба {number}: срок ответа продлён",
                "Срок рассмотрения жалобы {number} ({category}, {address}) продлён до {answer_due} \
                 по ч. 2 ст. 12 Федерального закона № 59-ФЗ. Статус: {lookup_url}",
            ),
        ),
        (
            (K::AnswerExtended, Email, En),
            mail(
                "Complaint {number}: answer deadline extended",
                "The answer to complaint {number} ({category}, {address}) is now due by \
                 {answer_due} (Federal Law 59-FZ, art. 12 part 2). Status: {lookup_url}",
            ),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(body: &str) -> Template {
        Template {
            subject: None,
            body: body.to_owned(),
        }
    }

    fn field_of(result: Result<(), DomainError>) -> String {
        match result {
            Err(DomainError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_default_passes_its_own_check() {
        for ((kind, channel, _), template) in default_templates() {
            assert_eq!(
                template.check_for(kind, channel),
                Ok(()),
                "{kind} {channel}"
            );
        }
    }

    #[test]
    fn the_check_names_the_field_at_fault() {
        let routed = MessageKind::Routed;
        assert_eq!(
            field_of(sms("{nope}").check_for(routed, Channel::Sms)),
            "body"
        );
        assert_eq!(
            field_of(sms("{description}").check_for(routed, Channel::Sms)),
            "body"
        );
        assert_eq!(
            field_of(sms("{address}").check_for(routed, Channel::Sms)),
            "body"
        );
        assert_eq!(
            field_of(sms("PIN {pin}").check_for(routed, Channel::Sms)),
            "body"
        );
        assert_eq!(
            field_of(sms("{number").check_for(routed, Channel::Sms)),
            "body"
        );
        assert_eq!(field_of(sms("   ").check_for(routed, Channel::Sms)), "body");
        assert_eq!(
            field_of(
                sms(&"я".repeat(TemplateLimits::SMS_BODY + 1)).check_for(routed, Channel::Sms)
            ),
            "body"
        );
        assert_eq!(
            field_of(sms("{number}").check_for(routed, Channel::Email)),
            "subject"
        );
        let mail = Template {
            subject: Some("{phone}".to_owned()),
            body: "{address}".to_owned(),
        };
        assert_eq!(field_of(mail.check_for(routed, Channel::Email)), "subject");
        assert!(
            sms("PIN {pin}")
                .check_for(MessageKind::Receipt, Channel::Sms)
                .is_ok()
        );
    }

    #[test]
    fn the_sample_fills_every_field() {
        for language in [Language::Ru, Language::En] {
            let sample = Vars::sample(language);
            assert!(
                Vars::NAMES
                    .iter()
                    .all(|name| matches!(sample.get(name), Some(Some(_))))
            );
        }
    }
}
