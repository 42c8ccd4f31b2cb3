use std::collections::BTreeMap;

use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{TokenResponse, start_session};
use crate::auth::TokenKeys;
use crate::dto::Consent;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::password;
use crate::state::AppState;
use persistence::RepoError;
use persistence::users::{Audit, NewUser};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Соколова Екатерина Андреевна",
    "phone": "8 (912) 345-67-89",
    "email": "sokolova@example.ru",
    "password": "correct horse battery",
    "consent": {"accepted": true, "version": "2026-01"}
}))]
pub struct RegisterRequest {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// A Russian phone number; stored as `+7XXXXXXXXXX`. Sign in with it, or with the e-mail.
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(min_length = 1, max_length = 32, example = "+79123456789")]
    pub phone: String,
    #[validate(
        email(message = "must be an e-mail address"),
        length(max = 254, message = "must be at most 254 characters")
    )]
    #[schema(format = "email", max_length = 254, example = "sokolova@example.ru")]
    pub email: Option<String>,
    #[validate(length(min = 8, max = 128, message = "must be 8 to 128 characters"))]
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[validate(nested)]
    pub consent: Consent,
}

/// Registers a resident (житель) and signs them in.
///
/// Only residents register themselves; staff accounts are created by an administrator. The
/// phone (and the e-mail, when given) must not belong to another account.
#[utoipa::path(
    operation_id = "register_resident",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The phone or e-mail is already registered (`already_registered`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a phone that is not Russian, or consent not given (`validation_failed`)",
            body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    keys: web::Data<TokenKeys>,
    body: crate::dto::JsonObject<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = match body.validate() {
        Ok(()) => BTreeMap::new(),
        Err(e) => ApiError::from(e).into_field_errors().unwrap_or_default(),
    };
    let mut add = |field: &str, message: &str| {
        errors
            .entry(field.to_owned())
            .or_insert_with(Vec::new)
            .push(message.to_owned());
    };
    let phone = domain::PhoneNumber::parse(&body.phone);
    if let Err(domain::DomainError::Validation { message, .. }) = &phone {
        add("phone", message);
    }
    if body.name.trim().is_empty() {
        add("name", "must not be blank");
    }
    for refusal in body.consent.given().refusals() {
        if let domain::DomainError::Validation { field, message } = refusal {
            add(&field, &message);
        }
    }
    let phone = match phone {
        Ok(phone) if errors.is_empty() => phone,
        _ => return Err(ApiError::validation(errors)),
    };
    let phone = phone.as_str().to_owned();
    let email = body.email.map(|e| e.trim().to_lowercase());
    if persistence::users::is_taken(&state.db, Some(&phone), email.as_deref()).await? {
        return Err(ApiError::of(ErrorCode::AlreadyRegistered));
    }
    let now = Utc::now();
    let new = NewUser {
        login: email.clone().unwrap_or_else(|| phone.clone()),
        name: body.name.trim().to_owned(),
        phone: Some(phone),
        email,
        role: domain::Role::Resident,
        organisation_id: None,
        password_hash: password::hash_bounded(body.password).await?,
        is_test: state.config.pilot_mode,
    };
    let audit = Audit {
        actor_id: uuid::Uuid::nil(),
        action: "resident_registered",
        details: serde_json::json!({
            "consent_version": body.consent.version,
            "consent_at": now,
        }),
    };
    let user = persistence::users::create(&state.db, new, audit, now)
        .await
        .map_err(|e| match e {
            RepoError::Conflict(_) => ApiError::of(ErrorCode::AlreadyRegistered),
            other => other.into(),
        })?;
    let tokens = start_session(&state, &keys, user, now).await?;
    Ok(HttpResponse::Created().json(tokens))
}
