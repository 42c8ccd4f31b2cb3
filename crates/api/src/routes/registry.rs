//! Registries everyone may read: categories with their deadlines, and the buildings for the
//! address picker.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// A deadline: a number of minutes or hours (emergencies, round the clock), working days (on the Russian
/// production calendar) or calendar days.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineDto {
    #[schema(example = "working_days")]
    pub unit: &'static str,
    #[schema(example = 10)]
    pub value: u32,
}

impl From<&domain::Deadline> for DeadlineDto {
    fn from(deadline: &domain::Deadline) -> Self {
        match deadline {
            domain::Deadline::Minutes(n) => Self {
                unit: "minutes",
                value: *n,
            },
            domain::Deadline::Hours(n) => Self {
                unit: "hours",
                value: *n,
            },
            domain::Deadline::WorkingDays(n) => Self {
                unit: "working_days",
                value: *n,
            },
            domain::Deadline::CalendarDays(n) => Self {
                unit: "calendar_days",
                value: *n,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: Uuid,
    #[schema(example = "heating_off")]
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub emergency: bool,
    pub deadline: DeadlineDto,
    /// Where the deadline comes from (e.g. ПП 416 п.13).
    pub legal_basis: Option<String>,
}

/// Categories of complaints with their deadlines; emergencies first.
#[utoipa::path(
    tag = "registries",
    responses((status = 200, body = Vec<CategoryDto>))
)]
#[get("/categories")]
pub async fn list_categories(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let categories: Vec<CategoryDto> = persistence::registry::categories(&state.db)
        .await?
        .into_iter()
        .filter(|c| c.is_active)
        .map(|c| CategoryDto {
            id: c.category.id,
            deadline: (&c.category.deadline).into(),
            code: c.category.code,
            name_ru: c.name_ru,
            name_en: c.name_en,
            emergency: c.category.emergency,
            legal_basis: c.legal_basis,
        })
        .collect();
    Ok(HttpResponse::Ok().json(categories))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BuildingSearch {
    /// Words of the address, e.g. `ленина 12`.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// 1 to 50 (default 20).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BuildingDto {
    pub id: Uuid,
    #[schema(example = "г. Сургут, проспект Ленина, д. 1")]
    pub address: String,
    pub district: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The management company, when known.
    pub company_id: Option<Uuid>,
}

/// Buildings whose address contains every word of `q`: the address picker.
#[utoipa::path(
    tag = "registries",
    params(BuildingSearch),
    responses(
        (status = 200, body = Vec<BuildingDto>),
        (status = 400, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/buildings")]
pub async fn search_buildings(
    state: web::Data<AppState>,
    params: web::Query<BuildingSearch>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(20);
    let query = params.q.as_deref().unwrap_or_default();
    if !(1..=50).contains(&limit) || query.chars().count() > 200 {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "limit must be 1 to 50 and q at most 200 characters".to_owned(),
        ));
    }
    let buildings: Vec<BuildingDto> =
        persistence::registry::search_buildings(&state.db, query, limit)
            .await?
            .into_iter()
            .map(|b| BuildingDto {
                id: b.id,
                address: b.address,
                district: b.district,
                latitude: b.latitude,
                longitude: b.longitude,
                company_id: b.company_id,
            })
            .collect();
    Ok(HttpResponse::Ok().json(buildings))
}
