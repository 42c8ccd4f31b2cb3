use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct RevealedPhone {
    #[schema(example = "+79220000001")]
    pub phone: Option<String>,
}

/// The city dispatcher reveals the applicant's full phone number for a verification call. Every
/// reveal is recorded in the audit log (who, which complaint, when).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = RevealedPhone),
        (status = 403, description = "Only the city dispatcher", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/complaints/{id}/reveal-phone")]
pub async fn reveal_phone(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let record = persistence::complaints::find(&state.db, *id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    domain::reveal_phone(&record.complaint, &actor)?;
    persistence::audit::record(
        &state.db,
        actor.id(),
        "reveal_phone",
        Some(record.complaint.id),
        serde_json::json!({ "number": record.number }),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(RevealedPhone {
        phone: record.applicant_phone,
    }))
}
