//! The call desk for verification calls (dispatchers): the queue ordered by what is due, taking a
//! call so that two dispatchers never ring the same person, giving it back, and "call back at".
//! Attempts themselves are `record_call` transitions of the complaint.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// One call of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallDto {
    pub complaint_id: Uuid,
    #[schema(example = "СУР-2026-000042")]
    pub number: String,
    pub category_name_ru: String,
    pub category_name_en: String,
    pub address: String,
    pub flat: Option<String>,
    pub round: u32,
    pub urgent: bool,
    /// The complaint's version, for `If-Match` when recording the attempt.
    pub version: i64,
    /// The verification deadline.
    pub verification_due_at: Option<DateTime<Utc>>,
    /// Attempts recorded in this verification stage, whatever their outcome.
    pub attempts: u32,
    /// Unanswered attempts so far (the complaint closes unconfirmed after the policy's number).
    pub unanswered_calls: u32,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub call_back_at: Option<DateTime<Utc>>,
    /// When the call is next due: a call-back, the gap after an unanswered attempt and the calling
    /// hours all push it later. For a call due now, since when within the current calling window,
    /// so that the queue reads the same until something changes (a poll gets its 304).
    pub next_call_at: DateTime<Utc>,
    /// It may be made now.
    pub due_now: bool,
    /// Who has taken the call (a name) and until when; `None` when free.
    pub held_by: Option<String>,
    pub held_until: Option<DateTime<Utc>>,
    /// The caller holds it.
    pub held_by_me: bool,
}

/// The queue: `calls` in the order to make them.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallQueue {
    pub calls: Vec<CallDto>,
    /// The calling hours in the city's local time, e.g. `09:00`–`21:00`.
    #[schema(example = "09:00")]
    pub hours_open: String,
    #[schema(example = "21:00")]
    pub hours_close: String,
    /// The least gap between two unanswered attempts, in minutes.
    pub min_gap_minutes: u32,
}

/// A taken call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallClaim {
    pub complaint_id: Uuid,
    pub held_until: DateTime<Utc>,
}

/// When to call the person back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallBackRequest {
    /// In the future, within the calling hours and the next `APP_CALL_BACK_MAX_DAYS` days.
    pub call_back_at: DateTime<Utc>,
}

/// The verification calls to make, what is due first, with the attempts so far and who has taken
/// each. Dispatchers only.
#[utoipa::path(
    tag = "calls",
    security(("bearer" = []), ("api_key" = ["complaints:verify"])),
    responses(
        (status = 200, body = CallQueue),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the city dispatcher", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/calls")]
pub async fn call_queue(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let actor = caller.actor;
    let desk = state.config.call_desk;
    let calls = crate::call_desk::queue(&state, &actor, now).await?;
    let calls = calls
        .into_iter()
        .map(|q| {
            let c = &q.record.complaint;
            let due_now = desk.due_at(&q.state, now) <= now;
            let next_call_at = desk.shown_due_at(&q.state, now);
            let holder = q.state.holder(now);
            CallDto {
                complaint_id: c.id,
                number: q.record.number.clone(),
                category_name_ru: q.record.category_name_ru.clone(),
                category_name_en: q.record.category_name_en.clone(),
                address: q.record.building.address.clone(),
                flat: q.record.flat.clone(),
                round: c.round,
                urgent: c.urgent,
                version: c.version,
                verification_due_at: c.due_at,
                attempts: q.state.attempts,
                unanswered_calls: c.unanswered_calls,
                last_attempt_at: q.state.last_attempt_at,
                call_back_at: q.state.call_back_at,
                next_call_at,
                due_now,
                held_by: holder.and(q.holder_name.clone()),
                held_until: holder.map(|(_, until)| until),
                held_by_me: holder.is_some_and(|(by, _)| by == actor.id()),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(CallQueue {
        calls,
        hours_open: desk.hours.opens.format("%H:%M").to_string(),
        hours_close: desk.hours.closes.format("%H:%M").to_string(),
        min_gap_minutes: desk.min_gap_minutes,
    }))
}

/// Takes the call for `APP_CALL_CLAIM_MINUTES` (default 10), so that no other dispatcher rings the
/// same person meanwhile; taking one's own call again extends it. Recording the attempt gives it
/// back.
#[utoipa::path(
    tag = "calls",
    security(("bearer" = []), ("api_key" = ["complaints:verify"])),
    params(("id" = Uuid, Path, description = "The complaint")),
    responses(
        (status = 200, body = CallClaim),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the city dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another dispatcher has it (`call_taken`, with `held_by` and `held_until`), or the complaint awaits no call (`action_not_possible`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/calls/{id}/claim")]
pub async fn claim_call(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let held_until = crate::call_desk::claim(&state, &caller.actor, *id, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(CallClaim {
        complaint_id: *id,
        held_until,
    }))
}

/// Gives a taken call back to the queue.
#[utoipa::path(
    tag = "calls",
    security(("bearer" = []), ("api_key" = ["complaints:verify"])),
    params(("id" = Uuid, Path, description = "The complaint")),
    responses(
        (status = 204, description = "Given back"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the city dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint, or the caller has not taken its call", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/calls/{id}/claim")]
pub async fn release_call(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    crate::call_desk::release(&state, &caller.actor, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The person asked to be called back at a time: the call leaves the queue until then, and the
/// caller's claim on it ends.
#[utoipa::path(
    tag = "calls",
    security(("bearer" = []), ("api_key" = ["complaints:verify"])),
    params(("id" = Uuid, Path, description = "The complaint")),
    request_body = CallBackRequest,
    responses(
        (status = 204, description = "Set"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only the city dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another dispatcher has it (`call_taken`), or the complaint awaits no call (`action_not_possible`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`call_back_at` is in the past, too far ahead or outside the calling hours", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/calls/{id}/call-back")]
pub async fn call_back(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<CallBackRequest>,
) -> Result<HttpResponse, ApiError> {
    crate::call_desk::call_back(&state, &caller.actor, *id, body.call_back_at, Utc::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
