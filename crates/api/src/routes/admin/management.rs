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

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "company_id": "0193a5b0-7c1e-7d3a-9f00-000000000002", "since": "2026-12-01T00:00:00+05:00" }))]
pub struct ChangeManagementRequest {
    /// The new management company.
    pub company_id: Uuid,
    /// When it took over: after the current period began and not in the future. Default: now.
    pub since: Option<DateTime<Utc>>,
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
/// the new company. **Open complaints are not rerouted**: they stay with the company they were
/// routed to until the city dispatcher reroutes them.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(("id" = Uuid, Path, description = "The building")),
    request_body = ChangeManagementRequest,
    responses(
        (status = 200, description = "The management history, oldest first", body = Vec<ManagementPeriod>),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The company already manages the building, or the management changed meanwhile (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`company_id` is not a management company, or `since` is in the future or not after the current period began (`validation_failed`)", body = Problem, content_type = "application/problem+json")
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
    match persistence::registry::change_management(
        &state.db,
        id,
        body.company_id,
        since,
        caller.id(),
        now,
    )
    .await?
    {
        Ok(()) => {}
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
    history(&state, id).await
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
    history(&state, id).await
}

async fn history(state: &AppState, id: Uuid) -> Result<HttpResponse, ApiError> {
    let periods: Vec<ManagementPeriod> = persistence::registry::management_history(&state.db, id)
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
        .collect();
    Ok(HttpResponse::Ok().json(periods))
}
