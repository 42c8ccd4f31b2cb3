//! Organisations: management companies (УК), the city housing department (ДГХ), the housing
//! inspection and the neighbourhood offices (ТОС).

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::registry::{NewOrganisation, OrganisationChanges, OrganisationRecord};

use super::{DEFAULT_PAGE, non_blank, nullable, paginate, validate_inn};
use crate::auth::{Admin, RegistryReader};
use crate::dto::{CheckedQuery, Page};
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// An organisation with its contacts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-000000000001",
    "kind": "management_company",
    "name": "ООО «УК Северный город»",
    "inn": "8602000001",
    "phone": "+73462524500",
    "email": "info@uk-sever.ru",
    "created_at": "2026-11-28T09:00:00Z",
    "active": true,
    "grantable_scopes": ["complaints:read", "complaints:work", "webhooks"]
}))]
pub struct Organisation {
    pub id: Uuid,
    pub kind: domain::OrganisationKind,
    pub name: String,
    /// ИНН: 10 digits (a legal entity) or 12 (an individual entrepreneur).
    pub inn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Offered in the staff pickers and filters; `false` once retired.
    pub active: bool,
    /// The scopes an API key of this organisation may be granted: what its staff may do.
    pub grantable_scopes: Vec<domain::Scope>,
}

impl From<OrganisationRecord> for Organisation {
    fn from(o: OrganisationRecord) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            name: o.name,
            inn: o.inn,
            phone: o.phone,
            email: o.email,
            created_at: o.created_at,
            active: o.active,
            grantable_scopes: domain::Scope::grantable_to(o.kind).to_vec(),
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListOrganisationsQuery {
    /// Only organisations of this kind.
    #[param(inline)]
    pub kind: Option<domain::OrganisationKind>,
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
    "kind": "management_company",
    "name": "ООО «УК Новый квартал»",
    "inn": "8602000005",
    "phone": "+7 3462 52-45-00",
    "email": "info@uk-kvartal.ru"
}))]
pub struct CreateOrganisationRequest {
    pub kind: domain::OrganisationKind,
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300, example = "ООО «УК Новый квартал»")]
    pub name: String,
    /// ИНН: 10 digits (a legal entity) or 12 (an individual entrepreneur); unique.
    #[validate(custom(function = "validate_inn"))]
    #[schema(pattern = r"^(\d{10}|\d{12})$", example = "8602000005")]
    pub inn: Option<String>,
    /// A Russian phone number in any common format; stored as +7 and ten digits.
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(min_length = 1, max_length = 32, example = "+7 3462 52-45-00")]
    pub phone: Option<String>,
    #[validate(
        email(message = "must be an e-mail address"),
        length(max = 254, message = "must be at most 254 characters")
    )]
    #[schema(format = "email", max_length = 254, example = "info@uk-kvartal.ru")]
    pub email: Option<String>,
}

/// Fields to change; absent fields stay as they are, `null` clears a phone or e-mail. The kind
/// and the ИНН cannot change. `active: false` retires an organisation from the staff pickers.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "name": "ООО «УК Северный город»", "phone": "+7 3462 52-45-01", "email": null }))]
pub struct UpdateOrganisationRequest {
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 32, example = "+7 3462 52-45-01")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        email(message = "must be an e-mail address"),
        length(max = 254, message = "must be at most 254 characters")
    )]
    #[schema(value_type = Option<String>, format = "email", max_length = 254)]
    pub email: Option<Option<String>>,
    pub active: Option<bool>,
}

fn phone(value: &str) -> Result<String, ApiError> {
    domain::PhoneNumber::parse(value)
        .map(|p| p.as_str().to_owned())
        .map_err(|e| match e {
            domain::DomainError::Validation { message, .. } => ApiError::field("phone", message),
            other => ApiError::field("phone", other.to_string()),
        })
}

fn email(value: &str) -> String {
    value.trim().to_lowercase()
}

/// Organisations in creation order, a page at a time (keyset pagination).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(ListOrganisationsQuery),
    responses(
        (status = 200, body = Page<Organisation>),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    _reader: RegistryReader,
    query: web::Query<ListOrganisationsQuery>,
) -> Result<HttpResponse, ApiError> {
    query.checked()?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows =
        persistence::registry::organisations_page(&state.db, query.kind, query.cursor, limit + 1)
            .await?;
    let (rows, next_cursor) = paginate(rows, limit, |o| o.id);
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(Organisation::from).collect(),
        next_cursor,
    )))
}

/// Registers an organisation.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateOrganisationRequest,
    responses(
        (status = 201, description = "Created", body = Organisation, links(("UpdateOrganisation" = (operation_id = "update_organisation", parameters(("id" = "$response.body#/id")), description = "Change the new organisation")))),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ИНН is already registered (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let new = NewOrganisation {
        kind: body.kind,
        name: non_blank("name", &body.name)?,
        inn: body.inn,
        phone: body.phone.as_deref().map(phone).transpose()?,
        email: body.email.as_deref().map(email),
        is_test: state.config.pilot_mode,
    };
    let created =
        persistence::registry::create_organisation(&state.db, new, caller.id(), Utc::now()).await?;
    Ok(HttpResponse::Created().json(Organisation::from(created)))
}

/// Changes an organisation's name or contacts.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The organisation")),
    request_body = UpdateOrganisationRequest,
    responses(
        (status = 200, description = "The organisation as it is now", body = Organisation),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/admin/organisations/{id}")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<UpdateOrganisationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let changes = OrganisationChanges {
        name: body
            .name
            .as_deref()
            .map(|n| non_blank("name", n))
            .transpose()?,
        phone: body
            .phone
            .map(|p| p.as_deref().map(phone).transpose())
            .transpose()?,
        email: body.email.map(|e| e.as_deref().map(email)),
        active: body.active,
    };
    let updated = persistence::registry::update_organisation(
        &state.db,
        id.into_inner(),
        changes,
        caller.id(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(Organisation::from(updated)))
}
