//! What a change becomes off the screen: the domain names the kind of message and the channels;
//! this fills the template in force with the complaint's values and addresses it.

use chrono::{DateTime, Utc};

use persistence::complaints::ComplaintRecord;
use persistence::messaging::deliveries::NewDelivery;
use persistence::messaging::preferences::{Person, Whom};
use persistence::messaging::{inbound, preferences, templates};
use persistence::worker::{Fanout, NewNotification};

use crate::error::ApiError;
use crate::state::AppState;

/// The values a message about `record` may use: never its description, never a person's data.
pub fn vars_of(
    record: &ComplaintRecord,
    public_url: &str,
    language: domain::Language,
) -> domain::Vars {
    let (status, category) = match language {
        domain::Language::Ru => (
            record.complaint.status.name_ru().to_owned(),
            record.category_name_ru.clone(),
        ),
        domain::Language::En => (
            record.complaint.status.as_str().replace('_', " "),
            record.category_name_en.clone(),
        ),
    };
    domain::Vars {
        number: Some(record.number.clone()),
        status: Some(status),
        category: Some(category),
        lookup_url: Some(lookup_url(public_url, &record.number)),
        address: Some(record.building.address.clone()),
        answer_due: Some(domain::city_date_text(record.complaint.answer_due_at)),
        ..domain::Vars::default()
    }
}

/// The public page where anyone with the number and PIN sees the status.
pub fn lookup_url(public_url: &str, number: &str) -> String {
    format!("{public_url}/status?number={number}")
}

/// Renders the template in force for `key`; falls back to the shipped default when an edited
/// template cannot be filled (it names a value this message lacks), so that nobody misses a
/// message because of a typo in the administrator's text.
pub async fn render(
    state: &AppState,
    key: templates::TemplateKey,
    vars: &domain::Vars,
) -> Result<Option<domain::Rendered>, ApiError> {
    let in_force = templates::find(&state.db, key).await?;
    let default = domain::default_templates().remove(&key);
    for template in in_force.iter().chain(default.iter()) {
        match template.render(vars) {
            Ok(rendered) => return Ok(Some(rendered)),
            Err(e) => tracing::error!(?key, error = %e, "a message template cannot be filled"),
        }
    }
    Ok(None)
}

/// One delivery of a rendered message. `secret` (a PIN, a code) is masked in what the
/// administrator sees and wiped from the body once sent.
#[allow(clippy::too_many_arguments)]
pub fn delivery(
    kind: domain::MessageKind,
    channel: domain::Channel,
    language: domain::Language,
    address: String,
    rendered: domain::Rendered,
    secret: Option<&str>,
    not_before: DateTime<Utc>,
    record: Option<&ComplaintRecord>,
    user_id: Option<uuid::Uuid>,
) -> NewDelivery {
    let shown_body = match secret {
        Some(secret) if !secret.is_empty() => rendered
            .body
            .replace(secret, &"•".repeat(secret.chars().count())),
        _ => rendered.body.clone(),
    };
    NewDelivery {
        complaint_id: record.map(|r| r.complaint.id),
        user_id,
        kind,
        channel,
        language,
        address,
        subject: rendered.subject,
        body: rendered.body,
        shown_body,
        not_before,
        is_test: record.is_some_and(|r| r.is_test),
    }
}

/// When a message may go: SMS wait out the quiet hours (news of an emergency does not).
pub fn not_before(
    kind: domain::MessageKind,
    channel: domain::Channel,
    record: Option<&ComplaintRecord>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    match channel {
        domain::Channel::Sms => {
            let emergency = record.is_some_and(|r| r.complaint.category.emergency);
            domain::QuietHours::default().send_at(kind, emergency, now)
        }
        domain::Channel::Email | domain::Channel::InApp => now,
    }
}

/// The receipt SMS of a clerk's filing: number, PIN and the status page, to the phone the person
/// gave with their consent. Prepared before the filing's transaction (which holds the year's
/// counter and must stay short), rendered once the number is known, written in the transaction.
pub struct Receipt {
    phone: String,
    templates: Vec<domain::Template>,
    public_url: String,
}

impl Receipt {
    const KEY: templates::TemplateKey = (
        domain::MessageKind::Receipt,
        domain::Channel::Sms,
        domain::Language::Ru,
    );

    /// `None` when the number said "СТОП".
    pub async fn prepare(state: &AppState, phone: &str) -> Result<Option<Receipt>, ApiError> {
        if inbound::is_stopped(&state.db, phone).await? {
            return Ok(None);
        }
        let in_force = templates::find(&state.db, Self::KEY).await?;
        let default = domain::default_templates().remove(&Self::KEY);
        Ok(Some(Receipt {
            phone: phone.to_owned(),
            templates: in_force.into_iter().chain(default).collect(),
            public_url: state.config.public_url.clone(),
        }))
    }

    /// The delivery for the filed complaint, or `None` when no template can be filled.
    pub fn render(
        &self,
        record: &ComplaintRecord,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Option<NewDelivery> {
        let (kind, channel, language) = Self::KEY;
        let mut vars = vars_of(record, &self.public_url, language);
        vars.pin = Some(pin.to_owned());
        let rendered = self.templates.iter().find_map(|t| match t.render(&vars) {
            Ok(rendered) => Some(rendered),
            Err(e) => {
                tracing::error!(error = %e, "the receipt template cannot be filled");
                None
            }
        })?;
        Some(delivery(
            kind,
            channel,
            language,
            self.phone.clone(),
            rendered,
            Some(pin),
            not_before(kind, channel, Some(record), now),
            Some(record),
            None,
        ))
    }
}

/// What one outbox message becomes: the in-app notifications the domain's notice names (less
/// those the person switched off), the SMS and e-mails to the author and the company's staff,
/// and entries in staff digests.
pub async fn fanout(
    state: &AppState,
    message: &domain::OutboxMessage,
    record: &ComplaintRecord,
    happened_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Fanout, ApiError> {
    let complaint = &record.complaint;
    let notice = domain::notice(message, complaint, &record.number, &record.category_name_ru);
    let mut in_app = persistence::worker::recipients(&state.db, &notice.recipients).await?;
    in_app.retain(|user| Some(*user) != notice.except);

    let mut fanout = Fanout::default();
    if let domain::OutboxMessage::Changed(changed) = message
        && !domain::too_late_to_send(happened_at, now)
    {
        if let Some(kind) = domain::author_message(changed, complaint)
            && !caused_by_author(changed, complaint)
        {
            author_messages(state, record, kind, &mut in_app, &mut fanout, now).await?;
        }
        if let (Some(kind), Some(company)) =
            (domain::company_message(changed), complaint.company_id)
        {
            let staff = preferences::people(&state.db, Whom::StaffOf(company)).await?;
            for person in &staff {
                if !person
                    .preferences
                    .wants(person.role, kind, domain::Channel::InApp)
                {
                    in_app.retain(|user| *user != person.user_id);
                }
                if !person
                    .preferences
                    .wants(person.role, kind, domain::Channel::Email)
                {
                    continue;
                }
                let Some(email) = person.contact.email.clone() else {
                    continue;
                };
                if person.preferences.digest_minutes.is_some() {
                    fanout.digest_for.push(person.user_id);
                    continue;
                }
                let vars = vars_of(record, &state.config.public_url, person.language);
                if let Some(rendered) = render(
                    state,
                    (kind, domain::Channel::Email, person.language),
                    &vars,
                )
                .await?
                {
                    fanout.deliveries.push(delivery(
                        kind,
                        domain::Channel::Email,
                        person.language,
                        email,
                        rendered,
                        None,
                        now,
                        Some(record),
                        Some(person.user_id),
                    ));
                }
            }
        }
    }
    fanout.notifications = in_app
        .into_iter()
        .map(|user_id| NewNotification {
            user_id,
            complaint_id: Some(complaint.id),
            kind: notice.kind.clone(),
            text: notice.text.clone(),
        })
        .collect();
    if let domain::OutboxMessage::Changed(changed) = message {
        let late = domain::too_late_to_send(happened_at, now);
        follower_messages(state, record, changed, &notice, late, &mut fanout, now).await?;
    }
    Ok(fanout)
}

/// The followers of a complaint (issue 16: residents who joined it, people a clerk joined by
/// phone, authors of duplicates merged into it) hear of each change of its status in the app;
/// a person without an account gets the SMS of its closing, as an author would.
async fn follower_messages(
    state: &AppState,
    record: &ComplaintRecord,
    changed: &domain::Changed,
    notice: &domain::Notice,
    too_late: bool,
    fanout: &mut Fanout,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let complaint = &record.complaint;
    let Some(text) = domain::follower_text(changed.from, changed.to, &record.number) else {
        return Ok(());
    };
    let followers = persistence::complaints::duplicates::followers(&state.db, complaint.id).await?;
    let closing = domain::author_message(changed, complaint) == Some(domain::MessageKind::Closed);
    for follower in followers {
        if let Some(user) = follower.user_id {
            let told = fanout.notifications.iter().any(|n| n.user_id == user);
            if !told && Some(user) != notice.except {
                fanout.notifications.push(NewNotification {
                    user_id: user,
                    complaint_id: Some(complaint.id),
                    kind: notice.kind.clone(),
                    text: text.clone(),
                });
            }
            continue;
        }
        let (Some(phone), Some(_consent)) = (follower.phone, follower.consent_version) else {
            continue;
        };
        if !closing || too_late || inbound::is_stopped(&state.db, &phone).await? {
            continue;
        }
        let kind = domain::MessageKind::Closed;
        let (channel, language) = (domain::Channel::Sms, domain::Language::Ru);
        let vars = vars_of(record, &state.config.public_url, language);
        if let Some(rendered) = render(state, (kind, channel, language), &vars).await? {
            fanout.deliveries.push(delivery(
                kind,
                channel,
                language,
                phone,
                rendered,
                None,
                not_before(kind, channel, Some(record), now),
                Some(record),
                None,
            ));
        }
    }
    Ok(())
}

/// The author does not need a message about what they did themselves in the app. An answer by
/// SMS from a person without an account is confirmed by SMS: it is their only screen.
fn caused_by_author(changed: &domain::Changed, complaint: &domain::Complaint) -> bool {
    match changed.actor {
        domain::Principal::User { id } => complaint.author_id == Some(id),
        domain::Principal::Applicant { .. }
        | domain::Principal::ServiceAccount { .. }
        | domain::Principal::System => false,
    }
}

/// The author's SMS and e-mails of `kind`: by their account's contacts and choices, or, for a
/// person a clerk filed for, by SMS to the phone they gave with their consent.
async fn author_messages(
    state: &AppState,
    record: &ComplaintRecord,
    kind: domain::MessageKind,
    in_app: &mut Vec<uuid::Uuid>,
    fanout: &mut Fanout,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let person = match record.complaint.author_id {
        Some(author) => {
            let Some(person) = preferences::people(&state.db, Whom::User(author))
                .await?
                .pop()
            else {
                return Ok(());
            };
            if !person
                .preferences
                .wants(person.role, kind, domain::Channel::InApp)
            {
                in_app.retain(|user| *user != author);
            }
            person
        }
        None => {
            let (Some(phone), Some(_consent)) = (&record.applicant_phone, &record.consent_version)
            else {
                return Ok(());
            };
            Person {
                user_id: uuid::Uuid::nil(),
                role: domain::Role::Resident,
                contact: domain::Contact {
                    phone: Some(phone.clone()),
                    email: None,
                    sms_stopped: inbound::is_stopped(&state.db, phone).await?,
                },
                preferences: domain::Preferences::default(),
                language: domain::Language::Ru,
            }
        }
    };
    let user_id = record.complaint.author_id;
    let vars = vars_of(record, &state.config.public_url, person.language);
    for channel in domain::channels_for(kind, person.role, &person.contact, &person.preferences) {
        let address = match channel {
            domain::Channel::Sms => person.contact.phone.clone(),
            domain::Channel::Email => person.contact.email.clone(),
            domain::Channel::InApp => None,
        };
        let Some(address) = address else { continue };
        if let Some(rendered) = render(state, (kind, channel, person.language), &vars).await? {
            fanout.deliveries.push(delivery(
                kind,
                channel,
                person.language,
                address,
                rendered,
                None,
                not_before(kind, channel, Some(record), now),
                Some(record),
                user_id,
            ));
        }
    }
    Ok(())
}
