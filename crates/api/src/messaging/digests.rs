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

/// The morning jobs, once a day whichever replica runs first, at the first pass after the end of
/// the quiet hours: each company's staff get what is overdue, the city department the day before
/// in figures. Returns how many e-mails were queued.
pub async fn morning(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let Some(day) = domain::QuietHours::default().morning_of(now) else {
        return Ok(0);
    };
    let mut queued = 0;
    if daily::claim_day(&state.db, "overdue_digest", day, now).await? {
        queued += overdue_digests(state, now).await?;
    }
    if daily::claim_day(&state.db, "daily_summary", day, now).await? {
        queued += city_summary(state, day, now).await?;
    }
    Ok(queued)
}

/// Each management company's overdue complaints, to its staff who want them.
async fn overdue_digests(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    use persistence::complaints::{ListQuery, Sort};
    let mut deliveries = Vec::new();
    let companies = persistence::registry::organisations(&state.db).await?;
    for company in companies
        .iter()
        .filter(|o| o.kind == domain::OrganisationKind::ManagementCompany)
    {
        let kind = domain::MessageKind::OverdueDigest;
        let staff: Vec<_> = preferences::people(&state.db, Whom::StaffOf(company.id))
            .await?
            .into_iter()
            .filter(|p| {
                p.contact.email.is_some()
                    && p.preferences.wants(p.role, kind, domain::Channel::Email)
            })
            .collect();
        if staff.is_empty() {
            continue;
        }
        let overdue = persistence::complaints::list(
            &state.db,
            &ListQuery {
                statuses: domain::Status::all().filter(|s| s.is_open()).collect(),
                overdue: Some(true),
                sort: Sort::DueSoon,
                limit: 50,
                ..ListQuery::new(domain::ComplaintScope::RoutedTo(company.id), now)
            },
        )
        .await?
        .items;
        if overdue.is_empty() {
            continue;
        }
        for person in staff {
            let ru = person.language == domain::Language::Ru;
            let lines: Vec<String> = overdue
                .iter()
                .map(|record| {
                    let days =
                        domain::overdue_by(&record.complaint, now).map_or(0, |d| d.num_days());
                    let (category, late) = if ru {
                        (
                            &record.category_name_ru,
                            format!("просрочено на {days} дн."),
                        )
                    } else {
                        (&record.category_name_en, format!("{days} days overdue"))
                    };
                    format!(
                        "{} — {}, {} ({late})\n{}",
                        record.number,
                        category,
                        record.building.address,
                        super::compose::lookup_url(&state.config.public_url, &record.number)
                    )
                })
                .collect();
            let (subject, heading) = if ru {
                (
                    format!("Просроченные жалобы: {}", overdue.len()),
                    format!("{}: жалобы, срок по которым истёк.", company.name),
                )
            } else {
                (
                    format!("Overdue complaints: {}", overdue.len()),
                    format!("{}: complaints past their deadline.", company.name),
                )
            };
            let rendered = domain::Rendered {
                subject: Some(subject),
                body: format!("{heading}\n\n{}", lines.join("\n\n")),
            };
            let Some(email) = person.contact.email.clone() else {
                continue;
            };
            let mut delivery = super::compose::delivery(
                kind,
                domain::Channel::Email,
                person.language,
                email,
                rendered,
                None,
                now,
                None,
                Some(person.user_id),
            );
            delivery.is_test = overdue.iter().all(|r| r.is_test);
            deliveries.push(delivery);
        }
    }
    let queued = deliveries.len();
    persistence::messaging::deliveries::enqueue(&state.db, &deliveries, now).await?;
    Ok(queued)
}

/// Yesterday in figures, to the city's dispatchers who want it.
async fn city_summary(
    state: &AppState,
    today: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let kind = domain::MessageKind::DailySummary;
    let people: Vec<_> = preferences::people(&state.db, Whom::Everyone(domain::Role::Dispatcher))
        .await?
        .into_iter()
        .filter(|p| {
            p.contact.email.is_some() && p.preferences.wants(p.role, kind, domain::Channel::Email)
        })
        .collect();
    if people.is_empty() {
        return Ok(0);
    }
    let Some(zone) = chrono::FixedOffset::east_opt(domain::SURGUT_UTC_OFFSET_SECONDS) else {
        return Ok(0);
    };
    let yesterday = today - chrono::Duration::days(1);
    let start = |day: chrono::NaiveDate| {
        day.and_time(chrono::NaiveTime::MIN)
            .and_local_timezone(zone)
            .single()
            .map(|at| at.with_timezone(&Utc))
    };
    let (Some(from), Some(to)) = (start(yesterday), start(today)) else {
        return Ok(0);
    };
    let figures = daily::day_figures(&state.db, from, to, state.config.pilot_mode).await?;
    let date = yesterday.format("%d.%m.%Y");
    let mut deliveries = Vec::new();
    for person in people {
        let rendered = if person.language == domain::Language::Ru {
            domain::Rendered {
                subject: Some(format!("Сводка за {date}")),
                body: format!(
                    "Сводка диспетчерской за {date}.\n\nПодано жалоб: {}\nЗакрыто: {}\nПросрочено сейчас: {}\nУ жилищного контроля сейчас: {}\n\nПодробнее: {}/dispatcher",
                    figures.filed,
                    figures.closed,
                    figures.overdue_now,
                    figures.at_inspection_now,
                    state.config.public_url
                ),
            }
        } else {
            domain::Rendered {
                subject: Some(format!("Summary for {date}")),
                body: format!(
                    "The dispatch centre on {date}.\n\nFiled: {}\nClosed: {}\nOverdue now: {}\nWith the housing inspection now: {}\n\nMore: {}/dispatcher",
                    figures.filed,
                    figures.closed,
                    figures.overdue_now,
                    figures.at_inspection_now,
                    state.config.public_url
                ),
            }
        };
        let Some(email) = person.contact.email.clone() else {
            continue;
        };
        deliveries.push(super::compose::delivery(
            kind,
            domain::Channel::Email,
            person.language,
            email,
            rendered,
            None,
            now,
            None,
            Some(person.user_id),
        ));
    }
    let queued = deliveries.len();
    persistence::messaging::deliveries::enqueue(&state.db, &deliveries, now).await?;
    Ok(queued)
}
