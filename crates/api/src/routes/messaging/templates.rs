//! The message templates as data: every kind, channel and language with a text, the default the
//! service ships and the administrator's change over it, checked by the domain
//! (`Template::check_for`) and previewed with made-up values.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use persistence::messaging::templates::{self, TemplateKey, TemplateRecord};

use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// One template in force.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "routed", "channel": "sms", "language": "ru",
    "subject": null,
    "body": "Жалоба {number} передана в УК.",
    "is_default": false,
    "default_subject": null,
    "default_body": "Жалоба {number} передана в управляющую компанию.",
    "fields": ["number", "status", "category", "lookup_url"],
    "max_length": 460,
    "updated_at": "2026-03-02T10:15:00Z"
}))]
pub struct MessageTemplate {
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub language: domain::Language,
    /// The e-mail's subject; `null` for SMS.
    pub subject: Option<String>,
    pub body: String,
    /// No administrator changed it.
    pub is_default: bool,
    pub default_subject: Option<String>,
    pub default_body: String,
    /// The `{placeholders}` this kind and channel may use.
    pub fields: Vec<String>,
    /// The longest body allowed, in characters.
    pub max_length: u32,
    /// When an administrator last changed it; `null` for a default.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Every template, kind by kind.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageTemplates {
    pub items: Vec<MessageTemplate>,
}

/// The administrator's text for one template.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": null, "body": "Жалоба {number} передана в УК."}))]
pub struct TemplateText {
    /// Required for e-mail, absent or `null` for SMS.
    #[validate(length(max = 200, message = "at most 200 characters"))]
    #[schema(max_length = 200)]
    pub subject: Option<String>,
    /// With `{placeholders}` from `fields`.
    #[validate(length(min = 1, max = 5000, message = "must be 1 to 5000 characters"))]
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// A text to try out, for one kind, channel and language.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "done", "channel": "sms", "language": "ru",
    "body": "По жалобе {number} УК сообщила о выполнении. Ответьте 1 или 2."
}))]
pub struct PreviewRequest {
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub language: domain::Language,
    #[validate(length(max = 200, message = "at most 200 characters"))]
    #[schema(max_length = 200)]
    pub subject: Option<String>,
    #[validate(length(min = 1, max = 5000, message = "must be 1 to 5000 characters"))]
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// The text filled with made-up values.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "subject": null,
    "text": "По жалобе СУР-2026-000123 УК сообщила о выполнении. Ответьте 1 или 2.",
    "characters": 70,
    "segments": 1
}))]
pub struct Preview {
    pub subject: Option<String>,
    pub text: String,
    pub characters: u32,
    /// SMS segments the text takes (GSM 7-bit or UCS-2); `null` for e-mail.
    pub segments: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TemplatePath {
    pub kind: domain::MessageKind,
    pub channel: domain::Channel,
    pub language: domain::Language,
}

impl TemplatePath {
    fn key(&self) -> TemplateKey {
        (self.kind, self.channel, self.language)
    }
}

fn to_dto(key: TemplateKey, record: TemplateRecord, default: &domain::Template) -> MessageTemplate {
    let (kind, channel, language) = key;
    let max_length = match channel {
        domain::Channel::Sms => domain::TemplateLimits::SMS_BODY,
        domain::Channel::Email | domain::Channel::InApp => domain::TemplateLimits::EMAIL_BODY,
    };
    MessageTemplate {
        kind,
        channel,
        language,
        subject: record.template.subject,
        body: record.template.body,
        is_default: record.updated_at.is_none(),
        default_subject: default.subject.clone(),
        default_body: default.body.clone(),
        fields: domain::Vars::provided(kind)
            .iter()
            .filter(|name| channel != domain::Channel::Sms || **name != "address")
            .map(|name| (*name).to_owned())
            .collect(),
        max_length: u32::try_from(max_length).unwrap_or(u32::MAX),
        updated_at: record.updated_at,
    }
}

/// The default of `key`; 404 for a kind, channel and language that has no template.
fn default_of(key: TemplateKey) -> Result<domain::Template, ApiError> {
    domain::default_templates()
        .remove(&key)
        .ok_or_else(ApiError::not_found)
}

async fn one(state: &AppState, key: TemplateKey) -> Result<MessageTemplate, ApiError> {
    let default = default_of(key)?;
    let record = templates::all(&state.db)
        .await?
        .remove(&key)
        .ok_or_else(ApiError::not_found)?;
    Ok(to_dto(key, record, &default))
}

fn text_of(subject: Option<&String>, body: &str) -> domain::Template {
    domain::Template {
        subject: subject.filter(|s| !s.is_empty()).cloned(),
        body: body.to_owned(),
    }
}

/// Every template: the defaults, with the administrator's changes over them.
#[utoipa::path(
    operation_id = "list_message_templates",
    tag = "messaging",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MessageTemplates),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/message-templates")]
pub async fn list_message_templates(
    state: web::Data<AppState>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    let defaults = domain::default_templates();
    let items = templates::all(&state.db)
        .await?
        .into_iter()
        .filter_map(|(key, record)| defaults.get(&key).map(|d| to_dto(key, record, d)))
        .collect();
    Ok(HttpResponse::Ok().json(MessageTemplates { items }))
}

/// Replaces one template's text; the next message of its kind uses it.
#[utoipa::path(
    operation_id = "update_message_template",
    tag = "messaging",
    security(("bearer" = [])),
    params(TemplatePath),
    request_body = TemplateText,
    responses(
        (status = 200, description = "The template now in force", body = MessageTemplate),
        (status = 400, description = "Malformed body (`malformed_json`, `bad_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No template for this kind, channel and language (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown placeholder, a description or personal data, an address in an SMS, a missing subject, too long (`validation_failed`, naming `subject` or `body`)", body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:dispatch:problem:validation_failed",
                "title": "Проверьте введённые данные",
                "status": 422,
                "detail": "Some fields are invalid; see `errors`.",
                "code": "validation_failed",
                "errors": {"body": ["{description} may never go into a message: no description, no person's data"]}
            }))
    )
)]
#[put("/admin/message-templates/{kind}/{channel}/{language}")]
pub async fn update_message_template(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<TemplatePath>,
    body: crate::dto::JsonObject<TemplateText>,
) -> Result<HttpResponse, ApiError> {
    domain::edit_templates(&admin.0.actor())?;
    let key = path.key();
    default_of(key)?;
    body.validate()?;
    let template = text_of(body.subject.as_ref(), &body.body);
    template.check_for(path.kind, path.channel)?;
    templates::save(&state.db, key, &template, admin.id(), Utc::now()).await?;
    Ok(HttpResponse::Ok().json(one(&state, key).await?))
}

/// Back to the default text.
#[utoipa::path(
    operation_id = "reset_message_template",
    tag = "messaging",
    security(("bearer" = [])),
    params(TemplatePath),
    responses(
        (status = 200, description = "The default, now in force", body = MessageTemplate),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No template for this kind, channel and language (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/admin/message-templates/{kind}/{channel}/{language}")]
pub async fn reset_message_template(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<TemplatePath>,
) -> Result<HttpResponse, ApiError> {
    domain::edit_templates(&admin.0.actor())?;
    let key = path.key();
    default_of(key)?;
    templates::reset(&state.db, key).await?;
    Ok(HttpResponse::Ok().json(one(&state, key).await?))
}

/// Fills a text with made-up values, as the administrator types it: the message and, for SMS,
/// how many segments it takes. Checked like a saved template.
#[utoipa::path(
    operation_id = "preview_message_template",
    tag = "messaging",
    security(("bearer" = [])),
    request_body = PreviewRequest,
    responses(
        (status = 200, body = Preview),
        (status = 400, description = "Malformed body (`malformed_json`, `bad_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The text would be refused on saving (`validation_failed`, naming `subject` or `body`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/message-templates/preview")]
pub async fn preview_message_template(
    admin: Admin,
    body: crate::dto::JsonObject<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    domain::edit_templates(&admin.0.actor())?;
    body.validate()?;
    let template = text_of(body.subject.as_ref(), &body.body);
    template.check_for(body.kind, body.channel)?;
    let rendered = template
        .render(&domain::Vars::sample(body.language))
        .map_err(|e| ApiError::field("body", e.to_string()))?;
    let segments = (body.channel == domain::Channel::Sms)
        .then(|| channels::sms::count_segments(&rendered.body));
    Ok(HttpResponse::Ok().json(Preview {
        subject: rendered.subject,
        characters: u32::try_from(rendered.body.chars().count()).unwrap_or(u32::MAX),
        text: rendered.body,
        segments,
    }))
}
