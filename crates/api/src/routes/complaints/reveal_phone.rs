use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::JsonObject;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct RevealedPhone {
    #[schema(example = "+79220000001")]
    pub phone: Option<String>,
}

/// Why the dispatcher needs the full number; it goes into the audit log (152-ФЗ).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Звонок по проверке выполнения"}))]
pub struct RevealPhoneRequest {
    /// 5 to 300 characters of one line, after trimming.
    #[schema(
        min_length = 5,
        max_length = 300,
        example = "Звонок по проверке выполнения"
    )]
    pub reason: String,
}

/// The city dispatcher reveals the applicant's full phone number for a verification call, saying
/// why. Every reveal is recorded in the audit log (who, which complaint, when, why).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = RevealPhoneRequest,
    responses(
        (status = 200, body = RevealedPhone),
        (status = 403, description = "Only the city dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or not a short line of text (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints/{id}/reveal-phone")]
pub async fn reveal_phone(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonObject<RevealPhoneRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let record = persistence::complaints::find(&state.db, *id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    domain::reveal_phone(&record.complaint, &actor)?;
    let reason = domain::AuditReason::parse(&body.reason)?;
    persistence::audit::record_read(
        &state.db,
        actor.id(),
        "reveal_phone",
        Some(record.complaint.id),
        reason.as_str(),
        serde_json::json!({ "number": record.number }),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(RevealedPhone {
        phone: record.applicant_phone,
    }))
}
