//! The signed-in person's choices: which messages reach them by which channel, a digest interval
//! for a company's staff, and whether their number stopped SMS with "СТОП".

use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use persistence::messaging::{inbound, preferences};

use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// A person's messaging settings, as their profile screen shows them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "choices": [
        {"kind": "routed", "channel": "in_app", "enabled": true},
        {"kind": "routed", "channel": "sms", "enabled": true},
        {"kind": "routed", "channel": "email", "enabled": false}
    ],
    "digest_offered": false,
    "digest_minutes": null,
    "digest_min_minutes": 5,
    "digest_max_minutes": 1440,
    "language": "ru",
    "phone": "+79220000001",
    "email": "resident@demo.test",
    "sms_stopped": true,
    "sms_stopped_at": "2026-03-02T10:15:00Z"
}))]
pub struct MessagingSettings {
    /// Every choice offered to the person's role, in screen order (kind by kind), with whether
    /// it is on. A role with nothing to choose gets an empty list.
    pub choices: Vec<domain::Choice>,
    /// A company's staff may take new complaints as one e-mail every N minutes.
    pub digest_offered: bool,
    /// `null`: an e-mail for each new complaint; a number: one digest every so many minutes.
    pub digest_minutes: Option<u32>,
    #[schema(example = 5)]
    pub digest_min_minutes: u32,
    #[schema(example = 1440)]
    pub digest_max_minutes: u32,
    /// The language of SMS and e-mail.
    pub language: domain::Language,
    /// The person's own number, in full (it is theirs); `null` when they gave none.
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The number replied "СТОП": no SMS go to it until the person switches SMS on again here.
    pub sms_stopped: bool,
    pub sms_stopped_at: Option<DateTime<Utc>>,
}

/// New choices. The choices named replace the saved ones (others keep theirs); switching any
/// SMS choice on lifts a "СТОП" of the person's number.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "choices": [
        {"kind": "routed", "channel": "sms", "enabled": true},
        {"kind": "closed", "channel": "email", "enabled": false}
    ],
    "digest_minutes": null,
    "language": "ru"
}))]
pub struct UpdateMessagingSettings {
    /// Each must be offered to the caller's role (422 naming `choices[i]` otherwise).
    #[validate(length(max = 64, message = "at most 64 choices"))]
    #[schema(max_items = 64)]
    pub choices: Vec<domain::Choice>,
    /// Company staff only: `null` for an e-mail per new complaint, or 5 to 1440 minutes.
    #[serde(
        default,
        deserialize_with = "crate::dto::whole_number::deserialize_optional_u32"
    )]
    #[schema(minimum = 5, maximum = 1440, example = 30)]
    pub digest_minutes: Option<u32>,
    /// Absent: keep the current language.
    pub language: Option<domain::Language>,
}

async fn settings_of(state: &AppState, user: &AuthUser) -> Result<MessagingSettings, ApiError> {
    let account = persistence::users::find_by_id(&state.db, user.id)
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::of(ErrorCode::InvalidToken))?;
    let saved = preferences::load(&state.db, user.id).await?;
    let stopped_at = match &account.phone {
        Some(phone) => inbound::stopped_since(&state.db, phone).await?,
        None => None,
    };
    Ok(MessagingSettings {
        choices: saved.preferences.choices(account.role),
        digest_offered: account.role == domain::Role::Company,
        digest_minutes: saved.preferences.digest_minutes,
        digest_min_minutes: *domain::DIGEST_MINUTES.start(),
        digest_max_minutes: *domain::DIGEST_MINUTES.end(),
        language: saved.language,
        phone: account.phone,
        email: account.email,
        sms_stopped: stopped_at.is_some(),
        sms_stopped_at: stopped_at,
    })
}

/// The signed-in person's channels per kind of message, their contacts and whether SMS are
/// stopped.
#[utoipa::path(
    operation_id = "get_my_messaging",
    tag = "messaging",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MessagingSettings),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/me/messaging")]
pub async fn get_my_messaging(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(settings_of(&state, &user).await?))
}

/// Saves the signed-in person's choices; switching an SMS choice on resumes SMS after "СТОП".
#[utoipa::path(
    operation_id = "update_my_messaging",
    tag = "messaging",
    security(("bearer" = [])),
    request_body = UpdateMessagingSettings,
    responses(
        (status = 200, description = "The settings now in force", body = MessagingSettings),
        (status = 400, description = "Malformed body (`malformed_json`, `bad_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A choice not offered to this role, or a digest interval out of range (`validation_failed`)", body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:dispatch:problem:validation_failed",
                "title": "Проверьте введённые данные",
                "status": 422,
                "detail": "Some fields are invalid; see `errors`.",
                "code": "validation_failed",
                "errors": {"choices[0]": ["new_for_company by sms is not a choice for this account"]}
            }))
    )
)]
#[put("/me/messaging")]
pub async fn update_my_messaging(
    state: web::Data<AppState>,
    user: AuthUser,
    body: crate::dto::JsonObject<UpdateMessagingSettings>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    domain::Preferences::check(user.role, &body.choices, body.digest_minutes)?;
    let current = settings_of(&state, &user).await?;
    let now = Utc::now();
    preferences::save(
        &state.db,
        user.id,
        &body.choices,
        body.language.unwrap_or(current.language),
        body.digest_minutes,
        now,
    )
    .await?;
    if current.sms_stopped
        && domain::resumes_sms(&body.choices)
        && let Some(phone) = &current.phone
    {
        inbound::resume(&state.db, phone).await?;
    }
    Ok(HttpResponse::Ok().json(settings_of(&state, &user).await?))
}
