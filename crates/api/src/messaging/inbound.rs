//! What the SMS centre sends back. The receiving task only stores it; the worker reads it after:
//! a delivery receipt moves its delivery on, a reply "1"/"2" to a "done?" message is recorded as
//! the person's answer (as if given in the app, with its own history entry), "СТОП" stops SMS to
//! the number, and anything else is kept for the dispatchers.

use chrono::{DateTime, Duration, Utc};
use tokio::sync::mpsc;

use persistence::messaging::deliveries;
use persistence::messaging::inbound::{self, Inbound, InboundRecord, ReplyOutcome};

use crate::error::ApiError;
use crate::state::AppState;

/// How many inbound messages one pass reads at most.
const BATCH: u64 = 200;
/// How far back a reply looks for the question it answers.
const REPLY_WINDOW_DAYS: i64 = 30;
/// A receipt whose delivery is not found after this long is set aside (it reports a part of a
/// long message, or a message sent before a restore).
const ORPHAN_RECEIPT_MINUTES: i64 = 60;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct InboundReport {
    pub receipts: usize,
    pub answered: usize,
    pub stopped: usize,
    pub shown: usize,
}

/// Stores everything the SMS client receives, until the client is gone. A database fault is
/// retried with a growing wait: the message is kept meanwhile.
pub async fn store_forever(
    state: actix_web::web::Data<AppState>,
    mut received: mpsc::Receiver<channels::sms::Inbound>,
) {
    while let Some(message) = received.recv().await {
        let message = match message {
            channels::sms::Inbound::Reply { from, text } => Inbound::Reply { from, text },
            channels::sms::Inbound::Receipt { message_id, state } => Inbound::Receipt {
                from: String::new(),
                delivered: state == "DELIVRD",
                gateway_id: message_id,
                status: state,
            },
        };
        let mut wait = std::time::Duration::from_millis(200);
        loop {
            match inbound::store(&state.db, &message, Utc::now()).await {
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "an inbound SMS could not be stored; retrying");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(30));
                }
            }
        }
    }
}

/// Reads what came in since the last pass.
pub async fn process(state: &AppState, now: DateTime<Utc>) -> Result<InboundReport, ApiError> {
    let mut report = InboundReport::default();
    for record in inbound::unprocessed(&state.db, BATCH).await? {
        match &record.message {
            Inbound::Receipt {
                gateway_id,
                status,
                delivered,
                ..
            } => {
                let applied = deliveries::apply_receipt(
                    &state.db,
                    gateway_id,
                    status,
                    *delivered,
                    record.received_at,
                )
                .await?;
                if applied || now - record.received_at > Duration::minutes(ORPHAN_RECEIPT_MINUTES) {
                    inbound::mark_processed(&state.db, record.id, None, None, now).await?;
                    report.receipts += usize::from(applied);
                } else {
                    // Its delivery may not be marked sent yet: read it again next pass.
                    inbound::count_attempt(&state.db, record.id).await?;
                }
            }
            Inbound::Reply { from, text } => match reply(state, &record, from, text, now).await? {
                Some(ReplyOutcome::Answered) => report.answered += 1,
                Some(ReplyOutcome::Stopped) => report.stopped += 1,
                Some(ReplyOutcome::Shown) => report.shown += 1,
                None => {}
            },
        }
    }
    Ok(report)
}

/// Reads one reply; `None` when it must be read again (the complaint changed meanwhile).
async fn reply(
    state: &AppState,
    record: &InboundRecord,
    from: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Option<ReplyOutcome>, ApiError> {
    let db = &state.db;
    let complaint_id =
        deliveries::last_question_to(db, from, now - Duration::days(REPLY_WINDOW_DAYS)).await?;
    let complaint = match complaint_id {
        Some(id) => persistence::complaints::find(db, id).await?,
        None => None,
    };
    let parsed = domain::parse_reply(text);
    match domain::reply_outcome(&parsed, text, complaint.as_ref().map(|c| &c.complaint)) {
        domain::ReplyOutcome::StopSms => {
            inbound::stop(db, from, now).await?;
            inbound::mark_processed(
                db,
                record.id,
                Some(ReplyOutcome::Stopped),
                complaint_id,
                now,
            )
            .await?;
            Ok(Some(ReplyOutcome::Stopped))
        }
        domain::ReplyOutcome::ShowToDispatchers => {
            inbound::mark_processed(db, record.id, Some(ReplyOutcome::Shown), complaint_id, now)
                .await?;
            Ok(Some(ReplyOutcome::Shown))
        }
        domain::ReplyOutcome::Answer(action) => {
            let Some(complaint) = complaint else {
                return Ok(None);
            };
            let current = &complaint.complaint;
            // The person speaks: through their account when they have one.
            let actor = match current.author_id {
                Some(author) => domain::Actor::person(author, domain::Role::Resident, None),
                None => domain::Actor::applicant(current.id),
            };
            let policy = state.policy.policy(&state.db, now).await?;
            let transition = match domain::apply(
                current,
                &action,
                &actor,
                now,
                &policy,
                &*state.calendar.current(&state.db).await?,
            ) {
                Ok(transition) => transition,
                Err(e) => {
                    tracing::info!(complaint = %current.id, error = %e, "an SMS answer does not apply; shown to the dispatchers");
                    inbound::mark_processed(
                        db,
                        record.id,
                        Some(ReplyOutcome::Shown),
                        complaint_id,
                        now,
                    )
                    .await?;
                    return Ok(Some(ReplyOutcome::Shown));
                }
            };
            let uow = persistence::complaints::begin(db).await?;
            if !uow.settle_reply(record.id, current.id, now).await? {
                return Ok(None);
            }
            match uow
                .save_transition(current, &transition, complaint.is_test)
                .await
            {
                Ok(()) => {
                    uow.commit().await?;
                    Ok(Some(ReplyOutcome::Answered))
                }
                Err(persistence::RepoError::Stale) => Ok(None),
                Err(e) => Err(e.into()),
            }
        }
    }
}
