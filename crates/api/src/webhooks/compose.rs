//! What an outbox message becomes for the subscribed endpoints: one message per event type the
//! endpoint wants, of complaints its organisation may see, with the complaint as that
//! organisation's staff see it (personal data masked).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use persistence::complaints::ComplaintRecord;
use persistence::webhooks::{NewMessage, Subscriber};

use crate::routes::complaints::dto::ComplaintDto;

/// The body of every webhook, as the Standard Webhooks specification shapes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookPayload {
    /// The event type, e.g. `complaint.closed`.
    #[serde(rename = "type")]
    pub event_type: domain::EventType,
    /// When the step happened.
    pub timestamp: DateTime<Utc>,
    pub data: WebhookData,
}

/// What a webhook tells of a complaint.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookData {
    /// The change this event comes from; several event types of one change share it.
    pub event_id: Uuid,
    pub complaint_id: Uuid,
    #[schema(example = "СУР-2026-000123")]
    pub number: String,
    /// The status before the step (`null` at filing and for `complaint.overdue`).
    pub from: Option<domain::Status>,
    /// The status the step left the complaint in.
    pub to: domain::Status,
    /// The complaint as the subscribing organisation's staff see it when the event was sent on:
    /// its later state may already show.
    pub complaint: ComplaintDto,
}

/// The messages of one outbox message for `subscribers`.
pub fn messages(
    outbox_id: Uuid,
    message: &domain::OutboxMessage,
    happened_at: DateTime<Utc>,
    record: &ComplaintRecord,
    subscribers: &[Subscriber],
    now: DateTime<Utc>,
) -> Vec<NewMessage> {
    let events = domain::EventType::of(message);
    let (from, to) = match message {
        domain::OutboxMessage::Changed(changed) => (changed.from, changed.to),
        domain::OutboxMessage::Flagged(_) => (None, record.complaint.status),
    };
    let mut out = Vec::new();
    for subscriber in subscribers {
        // What happened before the subscription (an outbox read late) is not its news.
        if happened_at < subscriber.created_at {
            continue;
        }
        let viewer = domain::subscriber(
            subscriber.service_account,
            subscriber.organisation_id,
            subscriber.kind,
        );
        if !domain::can_view(&record.complaint, &viewer) {
            continue;
        }
        for event in events.iter().filter(|e| subscriber.event_types.contains(e)) {
            let payload = WebhookPayload {
                event_type: *event,
                timestamp: happened_at,
                data: WebhookData {
                    event_id: outbox_id,
                    complaint_id: record.complaint.id,
                    number: record.number.clone(),
                    from,
                    to,
                    complaint: ComplaintDto::new(record.clone(), &viewer, now),
                },
            };
            let body = match serde_json::to_string(&payload) {
                Ok(body) => body,
                Err(e) => {
                    tracing::error!(error = %e, "a webhook payload does not serialise");
                    continue;
                }
            };
            out.push(NewMessage {
                endpoint_id: subscriber.endpoint_id,
                webhook_id: domain::message_id(outbox_id, *event),
                complaint_id: Some(record.complaint.id),
                event_type: *event,
                body,
                is_test: record.is_test,
            });
        }
    }
    out
}
