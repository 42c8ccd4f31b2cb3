//! The administrator's text of the printed order and act, with its placeholders. A template that
//! names an unknown placeholder is refused with 422 naming `body` and the placeholder; nothing is
//! saved. Each change is in the audit log with the text before and after.

use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// A placeholder a template may use.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceholderDto {
    /// Written `{name}` in the template.
    pub name: String,
    pub description: String,
}

/// A document's template.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentTemplateDto {
    pub kind: domain::DocumentKind,
    pub body: String,
    /// When the administrator last changed it; `null`: the text the service ships with.
    pub updated_at: Option<DateTime<Utc>>,
    pub placeholders: Vec<PlaceholderDto>,
}

async fn dto(
    state: &AppState,
    kind: domain::DocumentKind,
) -> Result<DocumentTemplateDto, ApiError> {
    let (body, updated_at) = persistence::paperwork::template(&state.db, kind).await?;
    Ok(DocumentTemplateDto {
        kind,
        body,
        updated_at,
        placeholders: domain::PLACEHOLDERS
            .iter()
            .map(|(name, description)| PlaceholderDto {
                name: (*name).to_owned(),
                description: (*description).to_owned(),
            })
            .collect(),
    })
}

/// Both templates (order, act).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<DocumentTemplateDto>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/document-templates")]
pub async fn list_document_templates(
    state: web::Data<AppState>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    let mut out = Vec::new();
    for kind in [domain::DocumentKind::Order, domain::DocumentKind::Act] {
        out.push(dto(&state, kind).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

/// A template's new text.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "ПРЕДПИСАНИЕ № {number}\nКому: {organisation}\nСрок: {due_date}"}))]
pub struct SaveDocumentTemplateRequest {
    /// The text, with placeholders such as `{organisation}` (`{{` and `}}` print braces).
    #[validate(length(min = 1, max = 20000, message = "must be 1 to 20000 characters"))]
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
}

/// Changes the text of the order's or the act's document.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("kind" = domain::DocumentKind, Path)),
    request_body = SaveDocumentTemplateRequest,
    responses(
        (status = 200, body = DocumentTemplateDto),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document kind (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown placeholder, an unmatched brace, or an empty text (`validation_failed`, field `body`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/admin/document-templates/{kind}")]
pub async fn save_document_template(
    state: web::Data<AppState>,
    admin: Admin,
    kind: web::Path<String>,
    body: crate::dto::JsonObject<SaveDocumentTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let kind: domain::DocumentKind = kind.parse().map_err(|_| ApiError::not_found())?;
    let body = body.into_inner();
    body.validate()?;
    domain::validate_template(&body.body)?;
    persistence::paperwork::save_template(&state.db, kind, &body.body, admin.id(), Utc::now())
        .await?;
    Ok(HttpResponse::Ok().json(dto(&state, kind).await?))
}
