//! The background worker: finds complaints past their deadline, applies the domain's escalation
//! rules, and delivers the outbox to notification channels. Safe with several replicas on one
//! PostgreSQL: every complaint and every message is claimed by exactly one of them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use persistence::worker::{NewNotification, OutboxMessage};

use crate::error::ApiError;
use crate::startup::AppState;

/// How many items one tick takes at most.
const BATCH: u64 = 100;

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TickReport {
    pub newly_overdue: usize,
    pub escalated: usize,
    pub delivered: usize,
}

/// Runs ticks every `interval` until the process ends. Errors are logged, never fatal.
pub async fn run_forever(state: actix_web::web::Data<AppState>, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match tick(&state, Utc::now()).await {
            Ok(report) if report != TickReport::default() => tracing::info!(?report, "worker tick"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "worker tick failed"),
        }
    }
}

/// One pass: overdue complaints and escalations first, then the outbox.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Result<TickReport, ApiError> {
    let mut report = TickReport::default();
    let overdue = persistence::worker::claim_newly_overdue(&state.db, now, BATCH).await?;
    report.newly_overdue = overdue.len();
    let snapshots: Vec<domain::Complaint> = overdue.iter().map(|r| r.complaint.clone()).collect();
    let rules = domain::default_escalation_rules(&state.policy);
    for escalation in domain::due_escalations(&snapshots, now, &rules) {
        let Some(record) = overdue
            .iter()
            .find(|r| r.complaint.id == escalation.complaint_id)
        else {
            continue;
        };
        match (&escalation.action, &escalation.effect) {
            (Some(action), _) => {
                if escalate(state, record, action, now).await? {
                    report.escalated += 1;
                }
            }
            (None, domain::EscalationEffect::Notify { role }) => {
                persistence::worker::enqueue(
                    &state.db,
                    "complaint.overdue",
                    Some(record.complaint.id),
                    json!({ "rule": escalation.rule, "notify_role": role.as_str(), "company_id": record.complaint.company_id }),
                    now,
                )
                .await?;
            }
            (None, domain::EscalationEffect::SendToInspection) => {}
        }
    }
    let messages =
        persistence::worker::claim_outbox(&state.db, now, chrono::Duration::seconds(60), BATCH)
            .await?;
    for message in messages {
        let notifications = notifications_for(state, &message).await?;
        if persistence::worker::deliver_in_app(&state.db, message.id, &notifications, now).await? {
            report.delivered += 1;
        }
    }
    persistence::worker::purge_idempotency_keys(&state.db, now - chrono::Duration::hours(24))
        .await?;
    Ok(report)
}

/// Applies an automatic action as the system; a complaint changed meanwhile is left alone.
async fn escalate(
    state: &AppState,
    record: &persistence::complaints::ComplaintRecord,
    action: &domain::Action,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let transition = match domain::apply(
        &record.complaint,
        action,
        &domain::Actor::system(),
        now,
        &state.policy,
        &state.calendar,
    ) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(complaint = %record.complaint.id, error = %e, "escalation refused by the lifecycle");
            return Ok(false);
        }
    };
    let uow = persistence::complaints::begin(&state.db).await?;
    match uow
        .save_transition(&record.complaint, &transition, record.is_test)
        .await
    {
        Ok(()) => {
            uow.commit().await?;
            Ok(true)
        }
        Err(persistence::RepoError::Stale) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Who hears of a message, and what they read. Channels other than in-app (e-mail, SMS,
/// webhooks) plug in here on the same messages.
async fn notifications_for(
    state: &AppState,
    message: &OutboxMessage,
) -> Result<Vec<NewNotification>, ApiError> {
    let Some(complaint_id) = message.complaint_id else {
        return Ok(Vec::new());
    };
    let Some(record) = persistence::complaints::find(&state.db, complaint_id).await? else {
        return Ok(Vec::new());
    };
    let c = &record.complaint;
    let actor = message.payload["actor_id"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok());
    let kind = message.topic.trim_start_matches("complaint.").to_owned();
    let mut recipients: Vec<Uuid> = Vec::new();
    if kind == "overdue" {
        let role = message.payload["notify_role"]
            .as_str()
            .and_then(|r| r.parse().ok())
            .unwrap_or(domain::Role::Dispatcher);
        recipients.extend(persistence::worker::active_users(&state.db, role, None).await?);
    } else if let Some(author) = c.author_id {
        recipients.push(author);
    }
    if let Some(company) = c.company_id {
        recipients.extend(
            persistence::worker::active_users(&state.db, domain::Role::Company, Some(company))
                .await?,
        );
    }
    match c.status {
        domain::Status::NeedsRouting => {
            recipients.extend(
                persistence::worker::active_users(&state.db, domain::Role::Dispatcher, None)
                    .await?,
            );
        }
        domain::Status::UnderInspection => {
            recipients.extend(
                persistence::worker::active_users(&state.db, domain::Role::Inspector, None).await?,
            );
        }
        domain::Status::Registered
        | domain::Status::InProgress
        | domain::Status::AwaitingVerification
        | domain::Status::Closed
        | domain::Status::ClosedUnconfirmed
        | domain::Status::Withdrawn
        | domain::Status::Rejected => {}
    }
    recipients.sort();
    recipients.dedup();
    recipients.retain(|user| Some(*user) != actor);
    let text = match kind.as_str() {
        "overdue" => format!(
            "Жалоба {}: срок истёк ({})",
            record.number,
            c.status.name_ru()
        ),
        "registered" => format!(
            "Новая жалоба {}: {}",
            record.number, record.category_name_ru
        ),
        _ => format!("Жалоба {}: {}", record.number, c.status.name_ru()),
    };
    Ok(recipients
        .into_iter()
        .map(|user_id| NewNotification {
            user_id,
            complaint_id: Some(complaint_id),
            kind: kind.clone(),
            text: text.clone(),
        })
        .collect())
}
