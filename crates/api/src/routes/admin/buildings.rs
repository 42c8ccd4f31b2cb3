//! Buildings: the address registry, each building with the company that manages it and the
//! history of its management.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::registry::{BuildingChanges, BuildingView, NewBuilding};

use super::{
    DEFAULT_PAGE, non_blank, normalise_fias_id, nullable, paginate, require_management_company,
    validate_fias_id,
};
use crate::auth::{Admin, RegistryReader};
use crate::dto::{CheckedQuery, OrganisationRef, Page};
use crate::error::{ApiError, Problem};
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

impl CreateBuildingRequest {
    /// The one check of a new building, for this endpoint and for every row of a CSV import: the
    /// fields' limits, a non-blank address and district, both coordinates or neither. Every
    /// problem is reported at once, by field.
    pub(super) fn check(self, is_test: bool) -> Result<NewBuilding, ApiError> {
        let mut errors = match self.validate() {
            Ok(()) => BTreeMap::new(),
            Err(e) => ApiError::from(e).into_field_errors().unwrap_or_default(),
        };
        let coordinates_valid =
            !errors.contains_key("latitude") && !errors.contains_key("longitude");
        let problems = [
            non_blank("address", &self.address).err(),
            non_blank("district", &self.district).err(),
            coordinates_valid
                .then(|| coordinates_together(self.latitude, self.longitude).err())
                .flatten(),
        ];
        for problem in problems.into_iter().flatten() {
            for (field, messages) in problem.into_field_errors().unwrap_or_default() {
                let known = errors.entry(field).or_default();
                if known.is_empty() {
                    known.extend(messages);
                }
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        Ok(NewBuilding {
            address: self.address.trim().to_owned(),
            district: self.district.trim().to_owned(),
            fias_id: self.fias_id.as_deref().map(normalise_fias_id),
            latitude: self.latitude,
            longitude: self.longitude,
            company_id: self.company_id,
            is_test,
        })
    }
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
    operation_id = "list_admin_buildings",
    tag = "admin",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(ListBuildingsQuery),
    responses(
        (status = 200, body = Page<AdminBuilding>),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/buildings")]
pub async fn list_buildings(
    state: web::Data<AppState>,
    _reader: RegistryReader,
    query: web::Query<ListBuildingsQuery>,
) -> Result<HttpResponse, ApiError> {
    query.checked()?;
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
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(AdminBuilding::from).collect(),
        next_cursor,
    )))
}

/// Adds a building to the registry. With `company_id` its first management period starts now.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateBuildingRequest,
    responses(
        (status = 201, description = "Created", body = AdminBuilding, links(("UpdateBuilding" = (operation_id = "update_building", parameters(("id" = "$response.body#/id")), description = "Change the new building")), ("ListManagementPeriods" = (operation_id = "list_management_periods", parameters(("id" = "$response.body#/id")), description = "Who managed it when")))),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address is already in the registry (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `company_id` is not a management company (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/buildings")]
pub async fn create_building(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreateBuildingRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.into_inner().check(state.config.pilot_mode)?;
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
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such building (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another building has this address (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or only one coordinate would be left (`validation_failed`)", body = Problem, content_type = "application/problem+json")
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
