use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use uuid::Uuid;

use super::dto::{ComplaintDto, EventDto, etag};
use super::load_visible;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// One complaint, if the caller may see it. The `ETag` is its version.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = ComplaintDto, headers(("ETag" = String))),
        (status = 404, description = "No such complaint, or not yours to see", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}")]
pub async fn get_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let record = load_visible(&state, *id, &actor).await?;
    let dto = ComplaintDto::new(record, &actor, Utc::now());
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(dto.version)))
        .json(dto))
}

/// The complaint's history, oldest first: every step with who, when, from, to and why. Company
/// staff see another company's steps (before a reroute) without their comment and details.
#[utoipa::path(
    operation_id = "list_complaint_events",
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = Vec<EventDto>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/events")]
pub async fn complaint_events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = load_visible(&state, *id, &caller.actor).await?;
    let events = persistence::complaints::events(&state.db, record.complaint.id).await?;
    Ok(HttpResponse::Ok().json(
        events
            .into_iter()
            .map(|e| EventDto::seen_by(e, &caller.actor))
            .collect::<Vec<_>>(),
    ))
}
