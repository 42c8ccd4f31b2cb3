//! Administration of accounts: an admin creates staff (and resident) accounts, lists them and
//! deactivates them. Only the `admin` role, and only while the admin's account is active.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Admin;
use crate::dto::{CheckedQuery, OrganisationRef, Page};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::password;
use crate::state::AppState;
use persistence::RepoError;
use persistence::users::{Audit, NewUser, UserRecord};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "login": "ivanov@uk-sever.ru",
    "name": "Иванов Сергей Петрович",
    "phone": "+7 922 100-20-30",
    "role": "company",
    "organisation_id": "0193a5b0-7c1e-7d3a-9f00-000000000001",
    "password": "initial password 2026"
}))]
pub struct CreateUserRequest {
    /// The sign-in e-mail; stored lower-cased.
    #[validate(
        email(message = "must be an e-mail address"),
        length(max = 254, message = "must be at most 254 characters")
    )]
    #[schema(format = "email", max_length = 254, example = "ivanov@uk-sever.ru")]
    pub login: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// A Russian phone number, unique among accounts; also works as a sign-in.
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(min_length = 1, max_length = 32, example = "+79221002030")]
    pub phone: Option<String>,
    pub role: domain::Role,
    /// Required for `company` (a management company), `clerk` (a ТОС office), `dispatcher` (the
    /// city department) and `inspector` (the inspection); must be absent for `resident`;
    /// optional for `admin`.
    pub organisation_id: Option<Uuid>,
    #[validate(length(min = 8, max = 128, message = "must be 8 to 128 characters"))]
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
}

/// An account as administrators see it. Never carries the password hash.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
    "login": "company@demo.test",
    "name": "Сидоров Павел Андреевич",
    "phone": "+79220000004",
    "email": "company@demo.test",
    "role": "company",
    "organisation": {"id": "0193a5b0-7c1e-7d3a-9f00-000000000001", "name": "ООО «УК Северный город»"},
    "is_active": true,
    "created_at": "2026-11-28T09:00:00Z"
}))]
pub struct UserDto {
    pub id: Uuid,
    pub login: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: domain::Role,
    pub organisation: Option<OrganisationRef>,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<UserRecord> for UserDto {
    fn from(user: UserRecord) -> Self {
        Self {
            id: user.id,
            login: user.login,
            name: user.name,
            phone: user.phone,
            email: user.email,
            role: user.role,
            organisation: user.organisation.map(|o| OrganisationRef {
                id: o.id,
                name: o.name,
            }),
            is_active: user.is_active,
            created_at: user.created_at,
        }
    }
}

/// Creates an account (staff, or a resident on their behalf).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = UserDto, links(("DeactivateUser" = (operation_id = "deactivate_user", parameters(("id" = "$response.body#/id")), description = "Deactivate the new account")))),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The login or phone is already in use (`already_registered`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an organisation missing or of the wrong kind for the role (`validation_failed`)",
            body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    if body.name.trim().is_empty() {
        return Err(ApiError::field("name", "must not be blank"));
    }
    let role = body.role;
    let phone = body
        .phone
        .as_deref()
        .map(domain::PhoneNumber::parse)
        .transpose()
        .map_err(|e| e.for_field("phone"))?
        .map(|p| p.as_str().to_owned());
    check_organisation(&state, role, body.organisation_id).await?;
    let login = body.login.trim().to_lowercase();
    if persistence::users::is_taken(&state.db, phone.as_deref(), Some(&login)).await? {
        return Err(ApiError::of(ErrorCode::AlreadyRegistered));
    }
    let now = Utc::now();
    let new = NewUser {
        login: login.clone(),
        name: body.name.trim().to_owned(),
        phone,
        email: Some(login),
        role,
        organisation_id: body.organisation_id,
        password_hash: password::hash_bounded(password::Caller::Known, body.password).await?,
        is_test: state.config.pilot_mode,
    };
    let audit = Audit {
        actor_id: caller.id(),
        action: "user_created",
        details: serde_json::json!({ "role": role.as_str() }),
    };
    let user = persistence::users::create(&state.db, new, audit, now)
        .await
        .map_err(|e| match e {
            RepoError::Conflict(_) => ApiError::of(ErrorCode::AlreadyRegistered),
            other => other.into(),
        })?;
    Ok(HttpResponse::Created().json(UserDto::from(user)))
}

/// The domain decides which kind of organisation an account of `role` belongs to.
async fn check_organisation(
    state: &AppState,
    role: domain::Role,
    organisation_id: Option<Uuid>,
) -> Result<(), ApiError> {
    let kind = match organisation_id {
        Some(id) => Some(
            persistence::users::organisation_kind(&state.db, id)
                .await?
                .ok_or_else(|| ApiError::field("organisation_id", "no such organisation"))?,
        ),
        None => None,
    };
    Ok(role.check_membership(kind)?)
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 100 (default 50).
    #[validate(range(min = 1, max = 100, message = "must be 1 to 100"))]
    #[param(minimum = 1, maximum = 100, example = 50)]
    pub limit: Option<u64>,
}

/// Lists accounts in creation order, a page at a time (keyset pagination).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(ListUsersQuery),
    responses(
        (status = 200, body = Page<UserDto>),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    query.checked()?;
    let limit = query.limit.unwrap_or(50);
    let mut users = persistence::users::list(&state.db, query.cursor, limit + 1).await?;
    let more = users.len() as u64 > limit;
    users.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        users.last().map(|u| u.id)
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Page::new(
        users.into_iter().map(UserDto::from).collect(),
        next_cursor,
    )))
}

/// Deactivates an account: it can no longer sign in, its refresh tokens are revoked, and its
/// access token stops working wherever the account is looked up (at most 15 minutes elsewhere).
/// Deactivating an inactive account changes nothing.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An administrator cannot deactivate themselves (`conflict`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if id == caller.id() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "An administrator cannot deactivate their own account.".to_owned(),
        ));
    }
    let audit = Audit {
        actor_id: caller.id(),
        action: "user_deactivated",
        details: serde_json::json!({}),
    };
    if !persistence::users::deactivate(&state.db, id, audit, Utc::now()).await? {
        return Err(ApiError::not_found());
    }
    // At once on this replica; the others notice within `standing::FRESH_FOR`.
    state.standings.forget(id);
    Ok(HttpResponse::NoContent().finish())
}
