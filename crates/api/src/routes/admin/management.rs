//! Who manages a building: the change of manager and the history of management periods.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use persistence::registry::ManagementRefusal;

use super::require_management_company;
use crate::auth::{Admin, RegistryReader};
use crate::dto::OrganisationRef;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// What happens to the building's open complaints when its management changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpenComplaints {
    /// Every open complaint (not closed, rejected or withdrawn) goes to the new company, in the
    /// same transaction, with a `reroute` event marked `management_change`; both companies are
    /// told.
    Move,
    /// They stay with the company they were routed to, until a dispatcher reroutes them.
    Keep,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "company_id": "0193a5b0-7c1e-7d3a-9f00-000000000002", "since": "2026-12-01T00:00:00+05:00", "open_complaints": "move" }))]
pub struct ChangeManagementRequest {
    /// The new management company.
    pub company_id: Uuid,
    /// When it took over: after the current period began and not in the future. Default: now.
    pub since: Option<DateTime<Utc>>,
    /// Required: move the building's open complaints to the new company or keep them where they
    /// are. Read as text so that a missing or unknown choice is a 422 naming the field.
    #[schema(value_type = OpenComplaints, required = true)]
    #[serde(default)]
    pub open_complaints: Option<String>,
}

impl ChangeManagementRequest {
    fn open_complaints(&self) -> Result<OpenComplaints, ApiError> {
        match self.open_complaints.as_deref() {
            Some("move") => Ok(OpenComplaints::Move),
            Some("keep") => Ok(OpenComplaints::Keep),
            Some(_) | None => Err(ApiError::field(
                "open_complaints",
                "choose \"move\" (hand the open complaints to the new company) or \"keep\"",
            )),
        }
    }
}

/// The management history after a change, and how many open complaints moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagementChanged {
    /// The management history, oldest first; the current period has `until: null`.
    pub periods: Vec<ManagementPeriod>,
    /// The open complaints handed to the new company (0 when they were kept).
    pub moved_complaints: u64,
}

/// One period during which a company managed the building.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "company": {"id": "0193a5b0-7c1e-7d3a-9f00-000000000001", "name": "ООО «УК Северный город»"},
    "since": "2026-01-01T00:00:00Z",
    "until": "2026-12-01T00:00:00Z"
}))]
pub struct ManagementPeriod {
    pub company: OrganisationRef,
    pub since: DateTime<Utc>,
    /// `null` for the current period.
    pub until: Option<DateTime<Utc>>,
}

/// Hands the building to another management company.
///
/// In one transaction the current management period ends at `since` (default: now), a new one
/// starts there, and the building's company changes. Complaints filed from then on are routed to
/// the new company. The administrator must choose what happens to the open complaints:
/// `open_complaints: "move"` reroutes every one of them to the new company in the same
/// transaction (each gets a `reroute` event marked `management_change`; both companies are told),
/// `"keep"` leaves them with the company they were routed to.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(("id" = Uuid, Path, description = "The building")),
    request_body = ChangeManagementRequest,
    responses(
        (status = 200, description = "The management history, oldest first, and the number of open complaints moved", body = ManagementChanged),
        (status = 400, description = "Not a JSON object of this shape (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The company already manages the building, or the management or a complaint changed meanwhile (`conflict`, `version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`company_id` is not a management company, `since` is in the future or not after the current period began, or `open_complaints` is missing or neither `move` nor `keep` (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/buildings/{id}/management")]
pub async fn change_management(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<ChangeManagementRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let now = Utc::now();
    let since = body.since.unwrap_or(now);
    if since > now {
        return Err(ApiError::field("since", "must not be in the future"));
    }
    if persistence::registry::find_building(&state.db, id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    require_management_company(&state, body.company_id, "company_id").await?;
    let choice = body.open_complaints()?;
    let actor = caller.0.actor();
    // Read before the transaction: SQLite has one writer, and the read needs a connection of its own.
    let policy = state.policy.policy(&state.db, now).await?;
    let calendar = state.calendar.current(&state.db).await?;
    let uow = persistence::complaints::begin(&state.db).await?;
    match uow
        .change_management(id, body.company_id, since, caller.id(), now)
        .await?
    {
        Ok(_previous) => {}
        Err(ManagementRefusal::SameCompany) => {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "This company already manages the building.".to_owned(),
            ));
        }
        Err(ManagementRefusal::StartsTooEarly { current_since }) => {
            return Err(ApiError::field(
                "since",
                format!(
                    "must be after the start of the current period ({})",
                    current_since.to_rfc3339()
                ),
            ));
        }
    }
    let mut moved_complaints = 0;
    if choice == OpenComplaints::Move {
        for record in uow.open_complaints_of_building(id).await? {
            let moved = domain::change_management(
                &record.complaint,
                body.company_id,
                &actor,
                now,
                &policy,
                &calendar,
            )?;
            if let Some(transition) = moved {
                uow.save_transition(&record.complaint, &transition, record.is_test)
                    .await?;
                moved_complaints += 1;
            }
        }
    }
    uow.commit().await?;
    Ok(HttpResponse::Ok().json(ManagementChanged {
        periods: periods(&state, id).await?,
        moved_complaints,
    }))
}

/// The companies that have managed the building, with their periods, oldest first.
#[utoipa::path(
    operation_id = "list_management_periods",
    tag = "admin",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(("id" = Uuid, Path, description = "The building")),
    responses(
        (status = 200, description = "The management history, oldest first; the current period has `until: null`", body = Vec<ManagementPeriod>),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/buildings/{id}/management")]
pub async fn management_history(
    state: web::Data<AppState>,
    _reader: RegistryReader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if persistence::registry::find_building(&state.db, id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::Ok().json(periods(&state, id).await?))
}

async fn periods(state: &AppState, id: Uuid) -> Result<Vec<ManagementPeriod>, ApiError> {
    Ok(persistence::registry::management_history(&state.db, id)
        .await?
        .into_iter()
        .map(|p| ManagementPeriod {
            company: OrganisationRef {
                id: p.company_id,
                name: p.company_name,
            },
            since: p.since,
            until: p.until,
        })
        .collect())
}
