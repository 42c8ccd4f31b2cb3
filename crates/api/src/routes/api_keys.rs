//! API keys of service accounts (third-party integrations): an admin creates one for an
//! organisation with some scopes, sees its plaintext once, lists keys and revokes them.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Admin, api_key_text, random_token, sha256_hex};
use crate::dto::OrganisationRef;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use persistence::api_keys::{ApiKeyRecord, NewApiKey};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "1С: УК Северный город",
    "organisation_id": "0193a5b0-7c1e-7d3a-9f00-000000000001",
    "scopes": ["complaints:read", "scorecard:read"]
}))]
pub struct CreateApiKeyRequest {
    /// What the key is for, to recognise it in the list.
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The organisation the integration acts for.
    pub organisation_id: Uuid,
    /// What the key may do; at least one.
    #[validate(length(min = 1, max = 3, message = "must name 1 to 3 scopes"))]
    #[schema(min_items = 1, max_items = 3)]
    pub scopes: Vec<domain::Scope>,
}

/// An API key as administrators see it; never the secret.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
    "name": "1С: УК Северный город",
    "organisation": {"id": "0193a5b0-7c1e-7d3a-9f00-000000000001", "name": "ООО «УК Северный город»"},
    "scopes": ["complaints:read", "scorecard:read"],
    "created_by": "0193a5b0-7c1e-7d3a-9f00-0000000000aa",
    "created_at": "2026-11-28T09:00:00Z",
    "revoked_at": null
}))]
pub struct ApiKeyDto {
    pub id: Uuid,
    pub name: String,
    pub organisation: OrganisationRef,
    pub scopes: Vec<domain::Scope>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new API key, with its plaintext. The plaintext is shown only here, once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    /// Send as `Authorization: Bearer <key>` or `X-Api-Key: <key>`. It cannot be shown again.
    #[schema(
        example = "dk_0193a5b07c1e7d3a9f005b2f3c4d5e6f_q2V1xk8m3c0Yb6N9pTzLrA4wHfJdGsE7uKiOaPlZyXc"
    )]
    pub key: String,
    #[serde(flatten)]
    pub details: ApiKeyDto,
}

/// The API keys.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    pub items: Vec<ApiKeyDto>,
}

impl From<ApiKeyRecord> for ApiKeyDto {
    fn from(key: ApiKeyRecord) -> Self {
        Self {
            id: key.id,
            name: key.name,
            organisation: OrganisationRef {
                id: key.organisation.id,
                name: key.organisation.name,
            },
            scopes: key.scopes,
            created_by: key.created_by,
            created_at: key.created_at,
            revoked_at: key.revoked_at,
        }
    }
}

/// Creates an API key for an organisation's integration; the answer holds the key, once.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, description = "Created; store `key` now", body = CreatedApiKey),
        (status = 400, description = "Malformed JSON or an unknown scope (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or an unknown organisation (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    caller: Admin,
    body: crate::dto::JsonObject<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    if persistence::users::organisation_kind(&state.db, body.organisation_id)
        .await?
        .is_none()
    {
        return Err(ApiError::field("organisation_id", "no such organisation"));
    }
    let mut scopes = body.scopes;
    scopes.sort();
    scopes.dedup();
    let id = Uuid::now_v7();
    let key = api_key_text(id, &random_token()?);
    let new = NewApiKey {
        id,
        name: body.name.trim().to_owned(),
        organisation_id: body.organisation_id,
        scopes,
        key_hash: sha256_hex(&key),
        created_by: caller.id(),
    };
    let record = persistence::api_keys::create(&state.db, new, Utc::now()).await?;
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key,
        details: record.into(),
    }))
}

/// Lists every API key, newest first, revoked ones included. Never shows a secret.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApiKeyList),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    let items = persistence::api_keys::list(&state.db)
        .await?
        .into_iter()
        .map(ApiKeyDto::from)
        .collect();
    Ok(HttpResponse::Ok().json(ApiKeyList { items }))
}

/// Revokes an API key: from now on it answers 401 `invalid_api_key`. Revoking twice is harmless.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The key's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/api-keys/{id}/revoke")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if !persistence::api_keys::revoke(&state.db, id.into_inner(), caller.id(), Utc::now()).await? {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}
