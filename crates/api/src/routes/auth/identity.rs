use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;

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
    /// A person's role; `null` for an API key (which acts with the role of its organisation's
    /// staff, within its scopes).
    pub role: Option<domain::Role>,
    pub api_key_id: Option<Uuid>,
    /// The API key's name.
    pub name: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// The API key's scopes; empty for a person, whose rights follow from the role.
    pub scopes: Vec<domain::Scope>,
}

/// Who is calling: a person (access JWT) or a service account (API key).
///
/// API keys go in `Authorization: Bearer dk_...` or in `X-Api-Key: dk_...`; use this to check
/// an integration's key, its organisation and its scopes.
#[utoipa::path(
    operation_id = "get_whoami",
    tag = "auth",
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, body = Whoami)
    )
)]
#[get("/auth/whoami")]
pub async fn whoami(caller: Caller) -> HttpResponse {
    let actor = caller.actor;
    let body = match actor.principal {
        domain::Principal::ServiceAccount { key, .. } => Whoami {
            kind: "service_account",
            user_id: None,
            role: None,
            api_key_id: Some(key),
            name: caller.key_name,
            organisation_id: actor.organisation_id,
            scopes: actor.scopes.unwrap_or_default().into_iter().collect(),
        },
        domain::Principal::User { .. }
        | domain::Principal::System
        | domain::Principal::Applicant { .. } => Whoami {
            kind: "user",
            user_id: actor.user_id(),
            role: Some(actor.role),
            api_key_id: None,
            name: None,
            organisation_id: actor.organisation_id,
            scopes: Vec::new(),
        },
    };
    HttpResponse::Ok().json(body)
}
