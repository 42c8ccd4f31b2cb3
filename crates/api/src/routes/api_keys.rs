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
    "scopes": ["complaints:read", "complaints:work"],
    "expires_at": "2027-12-31T23:59:59+05:00",
    "rate_limit_per_minute": 300
}))]
pub struct CreateApiKeyRequest {
    /// What the key is for, to recognise it in the list.
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The organisation the integration acts for.
    pub organisation_id: Uuid,
    /// What the key may do; at least one, and only what the organisation's staff may do: a
    /// management company `complaints:read`, `complaints:work`, `webhooks`; the city department
    /// `complaints:read`, `complaints:verify`, `admin:read`, `webhooks`; the inspection
    /// `complaints:read`, `complaints:inspect`, `admin:read`, `webhooks`; a ТОС office
    /// `complaints:read`, `complaints:file`, `webhooks`.
    #[validate(length(min = 1, max = 7, message = "must name 1 to 7 scopes"))]
    #[schema(min_items = 1, max_items = 7)]
    pub scopes: Vec<domain::Scope>,
    /// When the key stops working; absent for a key that does not expire. Must be in the future.
    pub expires_at: Option<DateTime<Utc>>,
    /// Requests per minute, 1 to 100000; absent for the service's default.
    #[validate(range(min = 1, max = 100_000, message = "must be 1 to 100000"))]
    #[schema(minimum = 1, maximum = 100_000)]
    #[serde(
        default,
        deserialize_with = "crate::dto::whole_number::deserialize_optional_u32"
    )]
    pub rate_limit_per_minute: Option<u32>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grace_minutes": 60}))]
pub struct RotateApiKeyRequest {
    /// How long the old secret keeps working, 0 to 10080 minutes (a week); default 60.
    #[validate(range(max = 10_080, message = "must be 0 to 10080"))]
    #[schema(minimum = 0, maximum = 10_080)]
    #[serde(
        default,
        deserialize_with = "crate::dto::whole_number::deserialize_optional_u32"
    )]
    pub grace_minutes: Option<u32>,
}

/// An API key as administrators see it; never the secret.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
    "name": "1С: УК Северный город",
    "organisation": {"id": "0193a5b0-7c1e-7d3a-9f00-000000000001", "name": "ООО «УК Северный город»"},
    "scopes": ["complaints:read", "complaints:work"],
    "created_by": "0193a5b0-7c1e-7d3a-9f00-0000000000aa",
    "created_at": "2026-11-28T09:00:00Z",
    "expires_at": null,
    "revoked_at": null,
    "previous_valid_until": null,
    "rate_limit_per_minute": null
}))]
pub struct ApiKeyDto {
    pub id: Uuid,
    pub name: String,
    pub organisation: OrganisationRef,
    pub scopes: Vec<domain::Scope>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// After a rotation, until when the previous secret still works.
    pub previous_valid_until: Option<DateTime<Utc>>,
    /// Requests per minute; `null` for the service's default.
    pub rate_limit_per_minute: Option<u32>,
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
            expires_at: key.expires_at,
            revoked_at: key.revoked_at,
            previous_valid_until: key.previous_key_hash.map(|(_, until)| until),
            rate_limit_per_minute: key.rate_limit_per_minute,
        }
    }
}

/// Creates an API key for an organisation's integration; the answer holds the key, once.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, description = "Created; store `key` now", body = CreatedApiKey, links(("RotateApiKey" = (operation_id = "rotate_api_key", parameters(("id" = "$response.body#/id")), description = "Rotate the new key")), ("RevokeApiKey" = (operation_id = "revoke_api_key", parameters(("id" = "$response.body#/id")), description = "Revoke the new key")))),
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
    let now = Utc::now();
    let kind = persistence::users::organisation_kind(&state.db, body.organisation_id)
        .await?
        .ok_or_else(|| ApiError::field("organisation_id", "no such organisation"))?;
    let mut scopes = body.scopes;
    scopes.sort();
    scopes.dedup();
    let grantable = domain::Scope::grantable_to(kind);
    if let Some(refused) = scopes.iter().find(|scope| !grantable.contains(scope)) {
        return Err(ApiError::field(
            "scopes",
            format!("`{refused}` is not granted to an organisation of kind {kind}"),
        ));
    }
    if body.expires_at.is_some_and(|at| at <= now) {
        return Err(ApiError::field("expires_at", "must be in the future"));
    }
    let id = Uuid::now_v7();
    let key = api_key_text(id, &random_token()?);
    let new = NewApiKey {
        id,
        name: body.name.trim().to_owned(),
        organisation_id: body.organisation_id,
        scopes,
        key_hash: sha256_hex(&key),
        created_by: caller.id(),
        expires_at: body.expires_at,
        rate_limit_per_minute: body.rate_limit_per_minute,
    };
    let record = persistence::api_keys::create(&state.db, new, now).await?;
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

/// Gives a key a new secret, shown only in this answer. The old secret keeps working for
/// `grace_minutes` (default 60), so the integration can switch without a gap; after that only
/// the new one works.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The key's id")),
    request_body = RotateApiKeyRequest,
    responses(
        (status = 200, description = "The new secret", body = CreatedApiKey),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The key is revoked or expired (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`grace_minutes` out of range (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/api-keys/{id}/rotate")]
pub async fn rotate_api_key(
    state: web::Data<AppState>,
    caller: Admin,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<RotateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let id = id.into_inner();
    let now = Utc::now();
    let grace = chrono::Duration::minutes(i64::from(body.grace_minutes.unwrap_or(60)));
    let key = api_key_text(id, &random_token()?);
    let record = persistence::api_keys::rotate(
        &state.db,
        id,
        &sha256_hex(&key),
        now + grace,
        caller.id(),
        now,
    )
    .await?;
    Ok(HttpResponse::Ok().json(CreatedApiKey {
        key,
        details: record.into(),
    }))
}
