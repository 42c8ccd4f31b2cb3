//! Inspection visits: the inspector schedules a visit to the site of a complaint under inspection
//! (a time still to come, a short note), and reads their calendar of visits for a period (a week).

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::dto::CheckedQuery;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// A visit to schedule.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"at": "2026-12-10T05:00:00Z", "note": "Осмотр подвала с представителем УК"}))]
pub struct ScheduleVisitRequest {
    /// When (RFC 3339); must be still to come.
    pub at: DateTime<Utc>,
    /// What the visit is for; may be empty.
    #[validate(length(max = 500, message = "must be at most 500 characters"))]
    #[schema(max_length = 500)]
    #[serde(default)]
    pub note: String,
}

/// A scheduled visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitDto {
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub address: String,
    pub inspector_id: Uuid,
    pub at: DateTime<Utc>,
    pub note: String,
}

impl From<persistence::paperwork::VisitRecord> for VisitDto {
    fn from(v: persistence::paperwork::VisitRecord) -> Self {
        Self {
            id: v.id,
            complaint_id: v.complaint_id,
            complaint_number: v.complaint_number,
            address: v.address,
            inspector_id: v.inspector_id,
            at: v.at,
            note: v.note,
        }
    }
}

/// Schedules the inspector's visit to the site of a complaint under inspection.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:inspect"])),
    params(("id" = Uuid, Path, description = "The complaint's id")),
    request_body = ScheduleVisitRequest,
    responses(
        (status = 201, body = VisitDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the inspection (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The complaint is not under inspection (`action_not_possible`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A time not still to come (`at`) or too long a note (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints/{id}/visits")]
pub async fn schedule_visit(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<ScheduleVisitRequest>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    domain::schedule_visits(&caller.actor)?;
    let body = body.into_inner();
    body.validate()?;
    domain::check_visit_time(body.at, now)?;
    let record = persistence::complaints::find(&state.db, *id)
        .await?
        .filter(|r| domain::can_view(&r.complaint, &caller.actor))
        .ok_or_else(ApiError::not_found)?;
    if record.complaint.status != domain::Status::UnderInspection {
        return Err(ApiError::new(
            ErrorCode::ActionNotPossible,
            "A visit is scheduled for a complaint under inspection.",
        ));
    }
    let note = body.note.trim();
    let visit_id = persistence::paperwork::insert_visit(
        &state.db,
        record.complaint.id,
        caller.actor.id(),
        body.at,
        note,
        now,
    )
    .await?;
    Ok(HttpResponse::Created().json(VisitDto {
        id: visit_id,
        complaint_id: record.complaint.id,
        complaint_number: record.number,
        address: record.building.address,
        inspector_id: caller.actor.id(),
        at: body.at,
        note: note.to_owned(),
    }))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VisitsQuery {
    /// From this moment, inclusive (RFC 3339); default now.
    pub from: Option<DateTime<Utc>>,
    /// Up to this moment, exclusive; default a week after `from`; at most 62 days after it.
    pub to: Option<DateTime<Utc>>,
}

/// The calling inspector's visits in a period, earliest first (at most 500).
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:inspect"])),
    params(VisitsQuery),
    responses(
        (status = 200, body = Vec<VisitDto>),
        (status = 400, description = "A period out of order or longer than 62 days (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the inspection (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/inspection/visits")]
pub async fn list_visits(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<VisitsQuery>,
) -> Result<HttpResponse, ApiError> {
    domain::schedule_visits(&caller.actor)?;
    query.checked()?;
    let from = query.from.unwrap_or_else(Utc::now);
    let to = query
        .to
        .unwrap_or_else(|| from.checked_add_signed(Duration::days(7)).unwrap_or(from));
    if to <= from || to - from > Duration::days(62) {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "`to` must be after `from`, at most 62 days.",
        ));
    }
    let visits: Vec<VisitDto> =
        persistence::paperwork::visits(&state.db, Some(caller.actor.id()), from, to)
            .await?
            .into_iter()
            .map(VisitDto::from)
            .collect();
    Ok(HttpResponse::Ok().json(visits))
}
