//! The call desk between the handlers and the domain: taking a call, a "call back at" time, the
//! guard on every recorded attempt, and the queue. Each takes `now`, so tests choose the clock;
//! the handlers pass the wall clock.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use persistence::complaints::call_desk as store;
use persistence::complaints::{ComplaintRecord, UnitOfWork};

/// The most calls the queue shows.
pub const QUEUE_LIMIT: u64 = 500;

/// The call desk's refusal as the API answers it.
async fn refusal(state: &AppState, error: domain::CallDeskError) -> ApiError {
    use domain::CallDeskError as E;
    match error {
        E::Held { by, until } => {
            let name = store::user_name(&state.db, by)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| "Another dispatcher".to_owned());
            ApiError::call_taken(name, until)
        }
        E::OutsideCallingHours { opens_at } => {
            ApiError::not_before(ErrorCode::OutsideCallingHours, opens_at)
        }
        E::TooSoon { next_at } => ApiError::not_before(ErrorCode::CallAttemptTooSoon, next_at),
        E::NotAwaitingCall => ApiError::new(
            ErrorCode::ActionNotPossible,
            "The complaint does not await a verification call.",
        ),
        E::Invalid { field, message } => ApiError::field(field, message),
    }
}

/// A complaint the dispatcher may see, or 404.
async fn load(
    state: &AppState,
    actor: &domain::Actor,
    id: Uuid,
) -> Result<ComplaintRecord, ApiError> {
    domain::call_desk::may_work_calls(actor)?;
    persistence::complaints::find(&state.db, id)
        .await?
        .filter(|r| domain::can_view(&r.complaint, actor))
        .ok_or_else(ApiError::not_found)
}

/// `actor` takes the call of complaint `id` at `now`: until when it is theirs. Another
/// dispatcher's claim is `call_taken` (409) with who and until when.
pub async fn claim(
    state: &AppState,
    actor: &domain::Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let record = load(state, actor, id).await?;
    let desk = &state.config.call_desk;
    let current = store::state(&state.db, id).await?;
    let until = match desk.claim(&record.complaint, &current, actor.id(), now) {
        Ok(until) => until,
        Err(e) => return Err(refusal(state, e).await),
    };
    if store::claim(&state.db, id, actor.id(), until, now).await? {
        return Ok(until);
    }
    // Another dispatcher won the race since we read: name them.
    let current = store::state(&state.db, id).await?;
    match desk.claim(&record.complaint, &current, actor.id(), now) {
        Err(e) => Err(refusal(state, e).await),
        Ok(_) => Err(ApiError::of(ErrorCode::Conflict)),
    }
}

/// `actor` gives the call back; only their own claim is released (404 when there is none).
pub async fn release(state: &AppState, actor: &domain::Actor, id: Uuid) -> Result<(), ApiError> {
    load(state, actor, id).await?;
    if store::release(&state.db, id, actor.id()).await? {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::NotFound,
            "You have not taken this call.",
        ))
    }
}

/// The person asked to be called back `at`: the call leaves the queue until then and the claim
/// is released. Another dispatcher's claim is `call_taken`.
pub async fn call_back(
    state: &AppState,
    actor: &domain::Actor,
    id: Uuid,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let record = load(state, actor, id).await?;
    let desk = &state.config.call_desk;
    let current = store::state(&state.db, id).await?;
    if let Some((by, until)) = current.holder(now)
        && by != actor.id()
    {
        return Err(refusal(state, domain::CallDeskError::Held { by, until }).await);
    }
    if let Err(e) = desk.check_call_back(&record.complaint, at, now) {
        return Err(refusal(state, e).await);
    }
    store::set_call_back(&state.db, id, at).await?;
    Ok(())
}

/// Checks an attempt about to be recorded in `uow` (the claim, the calling hours, the gap after
/// an unanswered call) and returns the state to store after it with [`after_transition`].
pub async fn guard_attempt(
    state: &AppState,
    uow: &UnitOfWork,
    actor: &domain::Actor,
    complaint_id: Uuid,
    outcome: domain::CallOutcome,
    now: DateTime<Utc>,
) -> Result<domain::CallState, ApiError> {
    let desk = &state.config.call_desk;
    let current = uow.call_state(complaint_id).await?;
    match desk.check_attempt(&current, actor.id(), outcome, now) {
        Ok(()) => Ok(desk.after_attempt(&current, outcome, now)),
        Err(e) => Err(refusal(state, e).await),
    }
}

/// Keeps the call desk in step with a transition in `uow`: an attempt stores its state; a
/// complaint entering verification anew starts with a clean slate.
pub async fn after_transition(
    uow: &UnitOfWork,
    before: &domain::Complaint,
    after: &domain::Complaint,
    attempt: Option<domain::CallState>,
) -> Result<(), ApiError> {
    let fresh = after.status == domain::Status::AwaitingVerification
        && before.status != domain::Status::AwaitingVerification;
    match attempt {
        Some(next) => uow.save_call_state(after.id, &next).await?,
        None if fresh => {
            uow.save_call_state(after.id, &domain::CallState::default())
                .await?;
        }
        None => {}
    }
    Ok(())
}

/// Records one call attempt at `now`: what `POST /complaints/{id}/transitions` does with a
/// `record_call`, without its `If-Match` and idempotency (tests drive the clock through it).
pub async fn record_attempt(
    state: &AppState,
    actor: &domain::Actor,
    id: Uuid,
    outcome: domain::CallOutcome,
    now: DateTime<Utc>,
) -> Result<ComplaintRecord, ApiError> {
    let policy = state.policy.policy(&state.db, now).await?;
    let calendar = state.calendar.current(&state.db).await?;
    let uow = persistence::complaints::begin(&state.db).await?;
    let record = uow
        .find(id)
        .await?
        .filter(|r| domain::can_view(&r.complaint, actor))
        .ok_or_else(ApiError::not_found)?;
    let action = domain::Action::RecordCall {
        outcome,
        comment: None,
    };
    let transition = domain::apply(&record.complaint, &action, actor, now, &policy, &calendar)?;
    let next = guard_attempt(state, &uow, actor, id, outcome, now).await?;
    uow.save_transition(&record.complaint, &transition, record.is_test)
        .await?;
    after_transition(&uow, &record.complaint, &transition.complaint, Some(next)).await?;
    let updated = uow.find(id).await?.ok_or_else(ApiError::not_found)?;
    uow.commit().await?;
    Ok(updated)
}

/// The queue at `now`: every complaint awaiting a verification call, what is due first.
pub async fn queue(
    state: &AppState,
    actor: &domain::Actor,
    now: DateTime<Utc>,
) -> Result<Vec<store::QueuedCall>, ApiError> {
    domain::call_desk::may_work_calls(actor)?;
    let desk = state.config.call_desk;
    let mut calls = store::queue(&state.db, QUEUE_LIMIT).await?;
    calls.retain(|c| domain::can_view(&c.record.complaint, actor));
    calls.sort_by(|a, b| {
        desk.queue_order(
            (&a.record.complaint, &a.state),
            (&b.record.complaint, &b.state),
            now,
        )
    });
    Ok(calls)
}
