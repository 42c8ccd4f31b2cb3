//! Buildings: the address registry, each building with the company that manages it and the
//! history of its management.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::registry::{BuildingChanges, BuildingView, ManagementRefusal, NewBuilding};

use super::{
    DEFAULT_PAGE, non_blank, normalise_fias_id, nullable, paginate, require_management_company,
    validate_fias_id,
};
use crate::auth::Admin;
use crate::dto::OrganisationRef;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// A building as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-0000000000b1",
    "address": "г. Сургут, проспект Ленина, д. 1",
    "district": "Центральный",
    "fias_id": "0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
    "latitude": 61.254,
    "longitude": 73.396,
    "company": {"id": "0193a5b0-7c1e-7d3a-9f00-000000000001", "name": "ООО «УК Северный город»"}
}))]
pub struct AdminBuilding {
    pub id: Uuid,
    pub address: String,
    pub district: String,
    /// The ФИАС/ГАР object id.
    pub fias_id: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The management company now; `null` when none is known.
    pub company: Option<OrganisationRef>,
}

impl From<BuildingView> for AdminBuilding {
    fn from(view: BuildingView) -> Self {
        let b = view.building;
        Self {
            id: b.id,
            company: b.company_id.map(|id| OrganisationRef {
                id,
                name: view.company_name.unwrap_or_default(),
            }),
            address: b.address,
            district: b.district,
            fias_id: b.fias_id,
            latitude: b.latitude,
            longitude: b.longitude,
        }
    }
}

/// A page of buildings.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminBuildingPage {
    pub items: Vec<AdminBuilding>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<Uuid>,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListBuildingsQuery {
    /// Only buildings this company manages now.
    pub company_id: Option<Uuid>,
    /// Words the address must contain, e.g. `ленина 12`.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[param(max_length = 200, example = "ленина")]
    pub q: Option<String>,
    /// `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be 1 to 200"))]
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "address": "г. Сургут, улица Республики, д. 75",
    "district": "Центральный",
    "fias_id": "0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
    "latitude": 61.2551,
    "longitude": 73.3844,
    "company_id": "0193a5b0-7c1e-7d3a-9f00-000000000001"
}))]
pub struct CreateBuildingRequest {
    /// Unique in the registry, compared without regard to case.
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300)]
    pub address: String,
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100, example = "Центральный")]
    pub district: String,
    /// The ФИАС/ГАР object id: a hyphenated UUID.
    #[validate(custom(function = "validate_fias_id"))]
    #[schema(
        format = "uuid",
        pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        example = "0c5b2444-70a0-4932-980c-b4dc0d3f02b5"
    )]
    pub fias_id: Option<String>,
    /// Degrees, −90 to 90; give both coordinates or neither.
    #[validate(range(min = -90.0, max = 90.0, message = "must be -90 to 90"))]
    #[schema(minimum = -90.0, maximum = 90.0, example = 61.2551)]
    pub latitude: Option<f64>,
    /// Degrees, −180 to 180; give both coordinates or neither.
    #[validate(range(min = -180.0, max = 180.0, message = "must be -180 to 180"))]
    #[schema(minimum = -180.0, maximum = 180.0, example = 73.3844)]
    pub longitude: Option<f64>,
    /// A management company; its management period starts now.
    pub company_id: Option<Uuid>,
}

/// Fields to change; absent fields stay as they are, `null` clears the ФИАС id or the
/// coordinates. The company changes through `POST /admin/buildings/{id}/management`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "address": "г. Сургут, улица Республики, д. 75/1", "latitude": 61.2552, "longitude": 73.3845 }))]
pub struct UpdateBuildingRequest {
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300)]
    pub address: Option<String>,
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    pub district: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(custom(function = "validate_fias_id"))]
    #[schema(
        value_type = Option<String>,
        format = "uuid",
        pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    pub fias_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = -90.0, max = 90.0, message = "must be -90 to 90"))]
    #[schema(value_type = Option<f64>, minimum = -90.0, maximum = 90.0)]
    pub latitude: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = -180.0, max = 180.0, message = "must be -180 to 180"))]
    #[schema(value_type = Option<f64>, minimum = -180.0, maximum = 180.0)]
    pub longitude: Option<Option<f64>>,
}

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

/// 422 unless both coordinates are given or neither.
fn coordinates_together(latitude: Option<f64>, longitude: Option<f64>) -> Result<(), ApiError> {
    match (latitude, longitude) {
        (Some(_), None) => Err(ApiError::field(
            "longitude",
            "give both coordinates or neither",
        )),
        (None, Some(_)) => Err(ApiError::field(
            "latitude",
            "give both coordinates or neither",
        )),
        _ => Ok(()),
    }
}

/// Buildings in creation order, a page at a time (keyset pagination); filter by the managing
/// company or by words of the address.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ListBuildingsQuery),
    responses(
        (status = 200, body = AdminBuildingPage),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` or `q` out of range (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/buildings")]
pub async fn list_buildings(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<ListBuildingsQuery>,
) -> Result<HttpResponse, ApiError> {
    query.validate()?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows = persistence::registry::buildings_page(
        &state.db,
        query.company_id,
        query.q.as_deref(),
        query.cursor,
        limit + 1,
    )
    .await?;
    let (rows, next_cursor) = paginate(rows, limit, |b| b.building.id);
    Ok(HttpResponse::Ok().json(AdminBuildingPage {
        items: rows.into_iter().map(AdminBuilding::from).collect(),
        next_cursor,
    }))
}

/// Adds a building to the registry. With `company_id` its first management period starts now.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateBuildingRequest,
    responses(
        (status = 201, description = "Created", body = AdminBuilding),
        (status = 400, description = "Malformed JSON or an unknown field (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address is already in the registry (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `company_id` is not a management company (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/buildings")]
pub async fn create_building(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreateBuildingRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    coordinates_together(body.latitude, body.longitude)?;
    let new = NewBuilding {
        address: non_blank("address", &body.address)?,
        district: non_blank("district", &body.district)?,
        fias_id: body.fias_id.as_deref().map(normalise_fias_id),
        latitude: body.latitude,
        longitude: body.longitude,
        company_id: body.company_id,
        is_test: state.config.pilot_mode,
    };
    if let Some(company_id) = new.company_id {
        require_management_company(&state, company_id, "company_id").await?;
    }
    let created =
        persistence::registry::create_building(&state.db, new, caller.id(), Utc::now()).await?;
    Ok(HttpResponse::Created().json(AdminBuilding::from(created)))
}

/// Corrects a building's address, district, ФИАС id or coordinates.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The building")),
    request_body = UpdateBuildingRequest,
    responses(
        (status = 200, description = "The building as it is now", body = AdminBuilding),
        (status = 400, description = "Malformed JSON or an unknown field (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another building has this address (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or only one coordinate would be left (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/admin/buildings/{id}")]
pub async fn update_building(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<UpdateBuildingRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    body.validate()?;
    let current = persistence::registry::find_building(&state.db, id)
        .await?
        .ok_or(ApiError::not_found())?
        .building;
    coordinates_together(
        body.latitude.unwrap_or(current.latitude),
        body.longitude.unwrap_or(current.longitude),
    )?;
    let changes = BuildingChanges {
        address: body
            .address
            .as_deref()
            .map(|a| non_blank("address", a))
            .transpose()?,
        district: body
            .district
            .as_deref()
            .map(|d| non_blank("district", d))
            .transpose()?,
        fias_id: body.fias_id.map(|f| f.as_deref().map(normalise_fias_id)),
        latitude: body.latitude,
        longitude: body.longitude,
    };
    let updated =
        persistence::registry::update_building(&state.db, id, changes, caller.id(), Utc::now())
            .await?;
    Ok(HttpResponse::Ok().json(AdminBuilding::from(updated)))
}

/// Hands the building to another management company.
///
/// In one transaction the current management period ends at `since` (default: now), a new one
/// starts there, and the building's company changes. Complaints filed from then on are routed to
/// the new company. **Open complaints are not rerouted**: they stay with the company they were
/// routed to until the city dispatcher reroutes them.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The building")),
    request_body = ChangeManagementRequest,
    responses(
        (status = 200, description = "The management history, oldest first", body = Vec<ManagementPeriod>),
        (status = 400, description = "Malformed JSON or an unknown field (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The company already manages the building, or the management changed meanwhile (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`company_id` is not a management company, or `since` is in the future or not after the current period began (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
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
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The building")),
    responses(
        (status = 200, description = "The management history, oldest first; the current period has `until: null`", body = Vec<ManagementPeriod>),
        (status = 401, description = "Missing or invalid token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/buildings/{id}/management")]
pub async fn management_history(
    state: web::Data<AppState>,
    _admin: Admin,
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
