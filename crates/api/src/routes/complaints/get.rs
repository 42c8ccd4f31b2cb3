use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::dto::{ComplaintDto, EventDto, etag};
use super::load_visible;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GetComplaintQuery {
    /// Why a staff member who sees the applicant's contact in full (the clerk who filed) opens
    /// the record: 5 to 300 characters, kept in the audit log. Without it the log keeps the
    /// role's standing purpose.
    #[param(
        min_length = 5,
        max_length = 300,
        example = "Житель пришёл узнать статус"
    )]
    pub reason: Option<String>,
}

/// One complaint, if the caller may see it, with its legal clocks. The `ETag` is its version. A staff member's read of
/// the applicant's full contact is recorded in the audit log (152-ФЗ).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path), GetComplaintQuery),
    responses(
        (status = 200, body = ComplaintDto, headers(("ETag" = String))),
        (status = 404, description = "No such complaint, or not yours to see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `reason` that is not a short line of text (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}")]
pub async fn get_complaint(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<GetComplaintQuery>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let record = load_visible(&state, *id, &actor).await?;
    let given = query
        .reason
        .as_deref()
        .map(domain::AuditReason::parse)
        .transpose()?;
    let now = Utc::now();
    if let domain::ReadAudit::Audited { reason } =
        domain::read_audit(&record.complaint, &actor, given)?
    {
        persistence::audit::record_read(
            &state.db,
            actor.id(),
            "read_applicant",
            Some(record.complaint.id),
            reason.as_str(),
            serde_json::json!({ "number": record.number }),
            now,
        )
        .await?;
    }
    let stored = persistence::complaints::clocks_of(&state.db, record.complaint.id).await?;
    let clocks = super::clocks::clocks_view(&stored, &record.complaint, record.closed_at, now);
    let mut dto = ComplaintDto::new(record, &actor, now);
    dto.clocks = Some(clocks);
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
            .map(|e| EventDto::seen_by(e, &caller.actor).with_applicant(&record))
            .collect::<Vec<_>>(),
    ))
}
