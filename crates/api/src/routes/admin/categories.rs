//! Categories of complaints with their deadlines. A change applies to complaints filed after it:
//! a filed complaint keeps the urgency and the deadline it was given (see `update_category`).

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::registry::CategoryRecord;
use persistence::registry::{CategoryChanges, NewCategory};

use super::{DEFAULT_PAGE, non_blank, nullable, paginate};
use crate::auth::{Admin, RegistryReader};
use crate::dto::{CheckedQuery, Page};
use crate::error::{ApiError, Problem};
use crate::routes::registry::DeadlineDto;
use crate::state::AppState;

/// A category as administrators see it, inactive ones included.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-0000000000c1",
    "code": "heating_off",
    "name_ru": "Нет отопления",
    "name_en": "No heating",
    "emergency": true,
    "deadline": {"unit": "hours", "value": 24},
    "legal_basis": "ПП РФ № 354, прил. 1",
    "is_active": true
}))]
pub struct AdminCategory {
    pub id: Uuid,
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub emergency: bool,
    pub deadline: DeadlineDto,
    pub legal_basis: Option<String>,
    /// Inactive categories are hidden from filing and from `GET /categories`.
    pub is_active: bool,
    /// About one flat (it points at the occupant): its complaints stay out of the public list,
    /// the map and Open311.
    pub identifies_occupant: bool,
}

impl From<CategoryRecord> for AdminCategory {
    fn from(c: CategoryRecord) -> Self {
        Self {
            id: c.category.id,
            deadline: (&c.category.deadline).into(),
            code: c.category.code,
            name_ru: c.name_ru,
            name_en: c.name_en,
            emergency: c.category.emergency,
            legal_basis: c.legal_basis,
            is_active: c.is_active,
            identifies_occupant: c.identifies_occupant,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCategoriesQuery {
    /// `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be 1 to 200"))]
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u64>,
}

/// How a deadline is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineUnit {
    /// Round the clock (emergencies).
    Hours,
    /// Working days on the Russian production calendar.
    WorkingDays,
    CalendarDays,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"unit": "working_days", "value": 10}))]
pub struct DeadlineRequest {
    pub unit: DeadlineUnit,
    #[validate(range(min = 1, max = 8760, message = "must be 1 to 8760"))]
    #[schema(minimum = 1, maximum = 8760, example = 10)]
    #[serde(deserialize_with = "crate::dto::whole_number::deserialize_u32")]
    pub value: u32,
}

impl DeadlineRequest {
    fn to_domain(&self) -> domain::Deadline {
        match self.unit {
            DeadlineUnit::Hours => domain::Deadline::Hours(self.value),
            DeadlineUnit::WorkingDays => domain::Deadline::WorkingDays(self.value),
            DeadlineUnit::CalendarDays => domain::Deadline::CalendarDays(self.value),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "snow_on_roof",
    "name_ru": "Снег и наледь на кровле",
    "name_en": "Snow and ice on the roof",
    "emergency": false,
    "deadline": {"unit": "calendar_days", "value": 1},
    "legal_basis": "ПП РФ № 290, п. 7"
}))]
pub struct CreateCategoryRequest {
    /// A stable machine name: 2 to 64 of `a-z`, `0-9`, `_`; unique.
    #[validate(custom(function = "validate_code"))]
    #[schema(
        pattern = "^[a-z0-9_]{2,64}$",
        min_length = 2,
        max_length = 64,
        example = "snow_on_roof"
    )]
    pub code: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200, example = "Снег и наледь на кровле")]
    pub name_ru: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200, example = "Snow and ice on the roof")]
    pub name_en: String,
    /// Emergencies are urgent from the start.
    pub emergency: bool,
    #[validate(nested)]
    pub deadline: DeadlineRequest,
    /// Where the deadline comes from.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200, example = "ПП РФ № 290, п. 7")]
    pub legal_basis: Option<String>,
    /// About one flat (it points at the occupant): its complaints stay out of every public
    /// view. Default `false`.
    #[serde(default)]
    pub identifies_occupant: bool,
}

/// Fields to change; absent fields stay as they are, `null` clears the legal basis. The code
/// cannot change. Complaints already filed keep their urgency and current deadline.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "deadline": {"unit": "working_days", "value": 5}, "is_active": true }))]
pub struct UpdateCategoryRequest {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name_ru: Option<String>,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name_en: Option<String>,
    pub emergency: Option<bool>,
    #[validate(nested)]
    pub deadline: Option<DeadlineRequest>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub legal_basis: Option<Option<String>>,
    /// `false` hides the category from filing; complaints already filed are unaffected.
    pub is_active: Option<bool>,
    /// `true` takes the category's complaints, those already filed included, out of every public
    /// view.
    pub identifies_occupant: Option<bool>,
}

/// `^[a-z0-9_]{2,64}$`.
fn validate_code(code: &str) -> Result<(), validator::ValidationError> {
    if (2..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(validator::ValidationError::new("code")
            .with_message("must be 2 to 64 characters of a-z, 0-9 and _".into()))
    }
}

/// Every category, inactive ones included, in creation order, a page at a time.
#[utoipa::path(
    operation_id = "list_admin_categories",
    tag = "admin",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(ListCategoriesQuery),
    responses(
        (status = 200, body = Page<AdminCategory>),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/categories")]
pub async fn list_all_categories(
    state: web::Data<AppState>,
    _reader: RegistryReader,
    query: web::Query<ListCategoriesQuery>,
) -> Result<HttpResponse, ApiError> {
    query.checked()?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows = persistence::registry::categories_page(&state.db, query.cursor, limit + 1).await?;
    let (rows, next_cursor) = paginate(rows, limit, |c| c.category.id);
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(AdminCategory::from).collect(),
        next_cursor,
    )))
}

/// Adds a category; it can be chosen for new complaints at once.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateCategoryRequest,
    responses(
        (status = 201, description = "Created", body = AdminCategory, links(("UpdateCategory" = (operation_id = "update_category", parameters(("id" = "$response.body#/id")), description = "Change the new category")))),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is already in use (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/categories")]
pub async fn create_category(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let new = NewCategory {
        code: body.code,
        name_ru: non_blank("name_ru", &body.name_ru)?,
        name_en: non_blank("name_en", &body.name_en)?,
        emergency: body.emergency,
        deadline: body.deadline.to_domain(),
        legal_basis: body
            .legal_basis
            .as_deref()
            .map(|b| non_blank("legal_basis", b))
            .transpose()?,
        identifies_occupant: body.identifies_occupant,
    };
    let created =
        persistence::registry::create_category(&state.db, new, caller.id(), Utc::now()).await?;
    Ok(HttpResponse::Created().json(AdminCategory::from(created)))
}

/// Changes a category's names, urgency, deadline, legal basis or whether it is offered.
///
/// The change applies to complaints filed after it. A complaint already filed keeps its urgency
/// and its current deadline; a deadline it gets later (a repeat round, or the clock resuming
/// after a pause) is counted from the category as it is then.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The category")),
    request_body = UpdateCategoryRequest,
    responses(
        (status = 200, description = "The category as it is now", body = AdminCategory),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/admin/categories/{id}")]
pub async fn update_category(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<UpdateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let changes = CategoryChanges {
        name_ru: body
            .name_ru
            .as_deref()
            .map(|n| non_blank("name_ru", n))
            .transpose()?,
        name_en: body
            .name_en
            .as_deref()
            .map(|n| non_blank("name_en", n))
            .transpose()?,
        emergency: body.emergency,
        deadline: body.deadline.as_ref().map(DeadlineRequest::to_domain),
        legal_basis: body
            .legal_basis
            .map(|b| {
                b.as_deref()
                    .map(|b| non_blank("legal_basis", b))
                    .transpose()
            })
            .transpose()?,
        is_active: body.is_active,
        identifies_occupant: body.identifies_occupant,
    };
    let updated = persistence::registry::update_category(
        &state.db,
        id.into_inner(),
        changes,
        caller.id(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(AdminCategory::from(updated)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_lower_snake_case() {
        for good in ["ab", "heating_off", "lift_2", &"a".repeat(64)] {
            assert!(validate_code(good).is_ok(), "{good}");
        }
        for bad in [
            "a",
            "Heating",
            "heating-off",
            "отопление",
            &"a".repeat(65),
            "",
        ] {
            assert!(validate_code(bad).is_err(), "{bad}");
        }
    }
}
