//! Digests: new complaints for staff who chose a digest, every so many minutes.

use chrono::{DateTime, Duration, Utc};

use persistence::messaging::daily;
use persistence::messaging::preferences::{self, Whom};

use crate::error::ApiError;
use crate::state::AppState;

/// Sends the digests that are due: a staff member's oldest waiting complaint is older than their
/// interval. Returns how many digests were queued.
pub async fn staff_digests(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let mut queued = 0;
    for daily::Waiting {
        user_id,
        complaints: waiting,
    } in daily::waiting(&state.db).await?
    {
        let Some(person) = preferences::people(&state.db, Whom::User(user_id))
            .await?
            .pop()
        else {
            continue;
        };
        let minutes = person.preferences.digest_minutes.unwrap_or(0);
        let oldest = waiting.first().map_or(now, |(_, at)| *at);
        if now - oldest < Duration::minutes(i64::from(minutes)) {
            continue;
        }
        let Some(email) = person.contact.email.clone() else {
            continue;
        };
        let mut lines = Vec::new();
        let mut is_test = true;
        for (complaint_id, _) in &waiting {
            if let Some(record) = persistence::complaints::find(&state.db, *complaint_id).await? {
                is_test &= record.is_test;
                let category = match person.language {
                    domain::Language::Ru => &record.category_name_ru,
                    domain::Language::En => &record.category_name_en,
                };
                lines.push(format!(
                    "{} — {}, {}\n{}",
                    record.number,
                    category,
                    record.building.address,
                    super::compose::lookup_url(&state.config.public_url, &record.number)
                ));
            }
        }
        let complaints: Vec<uuid::Uuid> = waiting.iter().map(|(id, _)| *id).collect();
        let (subject, heading) = match person.language {
            domain::Language::Ru => (
                format!("Новые жалобы: {}", lines.len()),
                "Новые жалобы, переданные вашей компании:",
            ),
            domain::Language::En => (
                format!("New complaints: {}", lines.len()),
                "New complaints routed to your company:",
            ),
        };
        let rendered = domain::Rendered {
            subject: Some(subject),
            body: format!("{heading}\n\n{}", lines.join("\n\n")),
        };
        let mut delivery = super::compose::delivery(
            domain::MessageKind::NewForCompany,
            domain::Channel::Email,
            person.language,
            email,
            rendered,
            None,
            now,
            None,
            Some(user_id),
        );
        delivery.is_test = is_test && !lines.is_empty();
        if daily::send_digest(&state.db, user_id, &complaints, &delivery, now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
