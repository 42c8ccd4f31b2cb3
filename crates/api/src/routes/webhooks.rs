//! Webhook subscriptions: an administrator keeps any organisation's, an organisation's system
//! (an API key with the `webhooks` scope) its own. Each endpoint gets a Standard Webhooks secret
//! (`whsec_…`), shown when created and when rotated; the owner sees every attempt and can send
//! events again.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::WebhookKeeper;
use crate::dto::OrganisationRef;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;
use persistence::webhooks::{EndpointChange, EndpointRecord, NewEndpoint, Replay};

/// A new subscription.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "organisation_id": "0193a5b0-7c1e-7d3a-9f00-000000000001",
    "url": "https://crm.uk-sever.ru/hooks/dispatch",
    "description": "Диспетчерская УК",
    "event_types": ["complaint.routed", "complaint.round_opened", "complaint.closed"]
}))]
pub struct CreateWebhookRequest {
    /// Whose subscription: required for an administrator; an API key may only name its own
    /// organisation (and may leave it out).
    pub organisation_id: Option<Uuid>,
    /// Where to POST: `https` to a public address (`http` and local addresses only in demo and
    /// test mode).
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters"))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: String,
    /// A note for people, up to 200 characters.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
    /// The events wanted; at least one.
    #[validate(length(min = 1, max = 50, message = "must name 1 to 50 event types"))]
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Vec<domain::EventType>,
}

/// A change of a subscription; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true}))]
pub struct UpdateWebhookRequest {
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters"))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: Option<String>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[schema(max_length = 200)]
    pub description: Option<String>,
    #[validate(length(min = 1, max = 50, message = "must name 1 to 50 event types"))]
    #[schema(min_items = 1, max_items = 50)]
    pub event_types: Option<Vec<domain::EventType>>,
    /// `true` switches an endpoint back on after it was switched off (its failures are
    /// forgotten and its pending events go out); `false` pauses it.
    pub enabled: Option<bool>,
}

/// A new secret.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grace_minutes": 1440}))]
pub struct RotateWebhookSecretRequest {
    /// How long the old secret keeps signing beside the new one, 0 to 10080 minutes; default
    /// 1440 (a day).
    #[validate(range(max = 10_080, message = "must be 0 to 10080"))]
    #[schema(minimum = 0, maximum = 10_080)]
    #[serde(
        default,
        deserialize_with = "crate::dto::whole_number::deserialize_optional_u32"
    )]
    pub grace_minutes: Option<u32>,
}

/// Events to send again: one by its `webhook-id`, or every one created in a time range.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z"}))]
pub struct ReplayRequest {
    /// A `webhook-id` (`msg_…`) this endpoint was sent.
    pub webhook_id: Option<String>,
    /// With `to`: the start of the range (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// With `from`: the end of the range (exclusive); at most 31 days after `from`.
    pub to: Option<DateTime<Utc>>,
}

/// A subscription; its secret is shown only when created or rotated.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDto {
    pub id: Uuid,
    pub organisation: OrganisationRef,
    #[schema(example = "https://crm.uk-sever.ru/hooks/dispatch")]
    pub url: String,
    pub description: String,
    pub event_types: Vec<domain::EventType>,
    /// Off when switched off by its owner, or by the service after failing for a day.
    pub enabled: bool,
    /// Why it is off.
    pub disabled_reason: Option<String>,
    /// Since when it fails without a success in between.
    pub failing_since: Option<DateTime<Utc>>,
    /// After a rotation, until when the previous secret still signs beside the new one.
    pub previous_secret_valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EndpointRecord> for WebhookDto {
    fn from(record: EndpointRecord) -> Self {
        WebhookDto {
            id: record.id,
            organisation: OrganisationRef {
                id: record.organisation_id,
                name: record.organisation_name,
            },
            url: record.url,
            description: record.description,
            event_types: record.event_types,
            enabled: record.enabled,
            disabled_reason: record.disabled_reason,
            failing_since: record.failing_since,
            previous_secret_valid_until: record.previous_valid_until,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}

/// A subscription with its secret: store it now, it is not shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    /// `whsec_` and base64: verify signatures with it (a Standard Webhooks library takes it as is).
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
    #[serde(flatten)]
    pub details: WebhookDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookDto>,
}

/// One subscription with how its events stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDetails {
    #[serde(flatten)]
    pub details: WebhookDto,
    /// Events waiting for their next attempt.
    pub pending: u64,
    pub delivered: u64,
    /// Events given up after the last retry.
    pub failed: u64,
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAttemptDto {
    pub id: Uuid,
    /// The `webhook-id` sent.
    #[schema(example = "msg_01939c4e8f2a7b3c9d0e1f2a3b4c5d6e_closed")]
    pub webhook_id: String,
    pub event_type: String,
    pub attempted_at: DateTime<Utc>,
    /// The HTTP status answered; `null` when no answer came.
    pub status: Option<u16>,
    pub latency_ms: u32,
    /// Why it did not count (timeout, refused connection, a non-2xx answer).
    pub error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAttemptPage {
    pub items: Vec<WebhookAttemptDto>,
    /// Pass as `cursor` for older attempts; `null` on the last page.
    pub next_cursor: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttemptParams {
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this organisation's (administrators); a key always sees only its own.
    pub organisation_id: Option<Uuid>,
}

/// How many events were queued again.
#[derive(Debug, Serialize, ToSchema)]
pub struct Replayed {
    pub queued: u64,
}

/// An event type and what it tells.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeDto {
    pub name: domain::EventType,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeList {
    pub items: Vec<EventTypeDto>,
}

/// The subscription, if the keeper may keep it; `not_found` otherwise (never "exists, not yours").
async fn kept(
    state: &AppState,
    keeper: &WebhookKeeper,
    id: Uuid,
) -> Result<EndpointRecord, ApiError> {
    let record = persistence::webhooks::find(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    domain::manage_webhooks(&keeper.0, record.organisation_id)?;
    Ok(record)
}

fn new_secret() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::internal(format!("no randomness available: {e}")))?;
    Ok(channels::webhook::new_secret(bytes))
}

fn event_types(mut types: Vec<domain::EventType>) -> Vec<domain::EventType> {
    types.sort();
    types.dedup();
    types
}

/// The event types a subscription may ask for.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    responses(
        (status = 200, body = EventTypeList),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/event-types")]
pub async fn list_event_types(_keeper: WebhookKeeper) -> Result<HttpResponse, ApiError> {
    let items = domain::EventType::all()
        .map(|name| EventTypeDto { name })
        .collect();
    Ok(HttpResponse::Ok().json(EventTypeList { items }))
}

/// Subscribes an endpoint. Deliveries are signed as the Standard Webhooks specification says
/// (`webhook-id`, `webhook-timestamp`, `webhook-signature`); the answer holds the secret, once.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "Subscribed; store `secret` now", body = WebhookWithSecret, links(("GetWebhook" = (operation_id = "get_webhook", parameters(("id" = "$response.body#/id")), description = "The new subscription")), ("UpdateWebhook" = (operation_id = "update_webhook", parameters(("id" = "$response.body#/id")), description = "Change it")), ("ListWebhookAttempts" = (operation_id = "list_webhook_attempts", parameters(("id" = "$response.body#/id")), description = "Its delivery attempts")))),
        (status = 400, description = "Malformed JSON or an unknown event type (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Another organisation named by a key (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A URL that is not one or points to a forbidden network, no organisation (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    body: crate::dto::JsonObject<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let organisation_id = body
        .organisation_id
        .or(keeper.0.organisation_id)
        .ok_or_else(|| ApiError::field("organisation_id", "name the organisation"))?;
    domain::manage_webhooks(&keeper.0, organisation_id)?;
    state.config.webhook_rules().check(body.url.trim())?;
    match persistence::webhooks::organisation_kind(&state.db, organisation_id).await {
        Err(persistence::RepoError::NotFound) => {
            return Err(ApiError::field("organisation_id", "no such organisation"));
        }
        other => other?,
    };
    let secret = new_secret()?;
    let new = NewEndpoint {
        id: Uuid::now_v7(),
        organisation_id,
        url: body.url.trim().to_owned(),
        description: body.description.unwrap_or_default().trim().to_owned(),
        event_types: event_types(body.event_types),
        secret: secret.clone(),
        created_by: keeper.0.id(),
    };
    let record = persistence::webhooks::create(&state.db, new, Utc::now()).await?;
    Ok(HttpResponse::Created().json(WebhookWithSecret {
        secret,
        details: record.into(),
    }))
}

/// The subscriptions the caller keeps: every one for an administrator, its own for a key.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(ListParams),
    responses(
        (status = 200, body = WebhookList),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let organisation = match keeper.0.principal {
        domain::Principal::ServiceAccount { .. } => keeper.0.organisation_id,
        _ => params.organisation_id,
    };
    let items = persistence::webhooks::list(&state.db, organisation)
        .await?
        .into_iter()
        .map(WebhookDto::from)
        .collect();
    Ok(HttpResponse::Ok().json(WebhookList { items }))
}

/// One subscription, with counts of its events by state.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(("id" = Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 200, body = WebhookDetails),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = kept(&state, &keeper, id.into_inner()).await?;
    let counts = persistence::webhooks::message_counts(&state.db, record.id).await?;
    Ok(HttpResponse::Ok().json(WebhookDetails {
        details: record.into(),
        pending: counts.pending,
        delivered: counts.delivered,
        failed: counts.failed,
    }))
}

/// Changes a subscription: its URL, note or event types, or switches it on or off.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(("id" = Uuid, Path, description = "The subscription's id")),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, body = WebhookDto),
        (status = 400, description = "Malformed JSON or an unknown event type (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A URL that is not one or points to a forbidden network (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<UpdateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let record = kept(&state, &keeper, id.into_inner()).await?;
    if let Some(url) = &body.url {
        state.config.webhook_rules().check(url.trim())?;
    }
    let change = EndpointChange {
        url: body.url.map(|u| u.trim().to_owned()),
        description: body.description.map(|d| d.trim().to_owned()),
        event_types: body.event_types.map(event_types),
        enabled: body.enabled,
    };
    let updated =
        persistence::webhooks::update(&state.db, record.id, change, keeper.0.id(), Utc::now())
            .await?;
    Ok(HttpResponse::Ok().json(WebhookDto::from(updated)))
}

/// Deletes a subscription and the events still waiting for it.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(("id" = Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = kept(&state, &keeper, id.into_inner()).await?;
    persistence::webhooks::delete(&state.db, record.id, keeper.0.id(), Utc::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Gives the subscription a new secret, shown only in this answer. During `grace_minutes` every
/// delivery carries two signatures, by the old and the new secret, so the receiver can switch
/// without losing an event.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(("id" = Uuid, Path, description = "The subscription's id")),
    request_body = RotateWebhookSecretRequest,
    responses(
        (status = 200, description = "The new secret", body = WebhookWithSecret),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`grace_minutes` out of range (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<RotateWebhookSecretRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let record = kept(&state, &keeper, id.into_inner()).await?;
    let now = Utc::now();
    let grace = chrono::Duration::minutes(i64::from(body.grace_minutes.unwrap_or(1440)));
    let secret = new_secret()?;
    let rotated = persistence::webhooks::rotate_secret(
        &state.db,
        record.id,
        &secret,
        now + grace,
        keeper.0.id(),
        now,
    )
    .await?;
    Ok(HttpResponse::Ok().json(WebhookWithSecret {
        secret,
        details: rotated.into(),
    }))
}

/// The subscription's delivery attempts, newest first: status, latency and error of each.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(("id" = Uuid, Path, description = "The subscription's id"), AttemptParams),
    responses(
        (status = 200, body = WebhookAttemptPage),
        (status = 400, description = "A bad `limit` (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription, or not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/{id}/attempts")]
pub async fn list_webhook_attempts(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    id: web::Path<Uuid>,
    params: web::Query<AttemptParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "limit must be 1 to 100".to_owned(),
        ));
    }
    let record = kept(&state, &keeper, id.into_inner()).await?;
    let mut rows =
        persistence::webhooks::attempts(&state.db, record.id, params.cursor, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(100));
    let next_cursor = if more {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|a| WebhookAttemptDto {
            id: a.id,
            webhook_id: a.webhook_id,
            event_type: a.event_type,
            attempted_at: a.attempted_at,
            status: a.status,
            latency_ms: a.latency_ms,
            error: a.error,
        })
        .collect();
    Ok(HttpResponse::Ok().json(WebhookAttemptPage { items, next_cursor }))
}

/// Sends events again, with their original `webhook-id` (a receiver that has them drops them):
/// one by `webhook_id`, or every event this endpoint was sent in `[from, to)`.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("api_key" = ["webhooks"])),
    params(("id" = Uuid, Path, description = "The subscription's id")),
    request_body = ReplayRequest,
    responses(
        (status = 202, description = "Queued", body = Replayed),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an administrator nor a key with `webhooks` (`forbidden`, `missing_scope`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription or event (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of `webhook_id` and a range, or a bad range (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks/{id}/replay")]
pub async fn replay_webhook(
    state: web::Data<AppState>,
    keeper: WebhookKeeper,
    id: web::Path<Uuid>,
    body: crate::dto::JsonObject<ReplayRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let which = match (body.webhook_id, body.from, body.to) {
        (Some(webhook_id), None, None) => {
            if webhook_id.is_empty() || webhook_id.len() > 100 {
                return Err(ApiError::field("webhook_id", "must be 1 to 100 characters"));
            }
            Replay::Message(webhook_id)
        }
        (None, Some(from), Some(to)) => {
            if to <= from {
                return Err(ApiError::field("to", "must be after `from`"));
            }
            if to - from > chrono::Duration::days(31) {
                return Err(ApiError::field(
                    "to",
                    "must be at most 31 days after `from`",
                ));
            }
            Replay::Range { from, to }
        }
        _ => {
            return Err(ApiError::field(
                "webhook_id",
                "give either `webhook_id`, or both `from` and `to`",
            ));
        }
    };
    let record = kept(&state, &keeper, id.into_inner()).await?;
    let queued = persistence::webhooks::replay(&state.db, record.id, &which, Utc::now()).await?;
    if queued == 0 && matches!(which, Replay::Message(_)) {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::Accepted().json(Replayed { queued }))
}
