use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Caller, Scope};
use crate::dto::RoleDto;
use crate::error::Problem;

/// Who the credentials belong to.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "service_account",
    "user_id": null,
    "role": null,
    "api_key_id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
    "name": "1С: Северный город",
    "organisation_id": "0193a5b0-7c1e-7d3a-9f00-000000000001",
    "scopes": ["complaints:read"]
}))]
pub struct Whoami {
    /// `user` (an access JWT) or `service_account` (an API key).
    #[schema(example = "service_account")]
    pub kind: &'static str,
    pub user_id: Option<Uuid>,
    pub role: Option<RoleDto>,
    pub api_key_id: Option<Uuid>,
    /// The API key's name.
    pub name: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// The API key's scopes; empty for a person, whose rights follow from the role.
    pub scopes: Vec<Scope>,
}

/// Who is calling: a person (access JWT) or a service account (API key).
///
/// API keys go in `Authorization: Bearer dk_...` or in `X-Api-Key: dk_...`; use this to check
/// an integration's key, its organisation and its scopes.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Whoami),
        (status = 401, description = "Missing or invalid credentials (`missing_token`, `invalid_token`, `invalid_api_key`, `ambiguous_credentials` when both headers are sent)",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/auth/whoami")]
pub async fn whoami(caller: Caller) -> HttpResponse {
    let body = match caller {
        Caller::User(user) => Whoami {
            kind: "user",
            user_id: Some(user.id),
            role: Some(user.role.into()),
            api_key_id: None,
            name: None,
            organisation_id: user.organisation_id,
            scopes: Vec::new(),
        },
        Caller::Service(service) => Whoami {
            kind: "service_account",
            user_id: None,
            role: None,
            api_key_id: Some(service.key_id),
            name: Some(service.name),
            organisation_id: Some(service.organisation_id),
            scopes: service.scopes,
        },
    };
    HttpResponse::Ok().json(body)
}
