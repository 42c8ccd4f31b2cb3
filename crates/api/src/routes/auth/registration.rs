use std::collections::BTreeMap;

use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::dto::Consent;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::messaging::compose;
use crate::password;
use crate::state::AppState;
use domain::verification::{CODE_DIGITS, CODE_TTL_SECONDS, Code, RESEND_AFTER_SECONDS};
use persistence::verifications::{CodeToSend, NewRegistration, Sent};

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

/// A registration waiting for the code sent by SMS. The same whether or not the phone already has
/// an account (then the SMS says so instead of carrying a code, and no code confirms it).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "registration_id": "0193a5b0-7c1e-7d3a-9f00-5b2f3c4d5e6f",
    "code_length": 6,
    "expires_in": 600,
    "resend_in": 60
}))]
pub struct RegistrationStarted {
    /// Send it with the code to `POST /api/v1/auth/register/confirm`, or to
    /// `POST /api/v1/auth/register/resend` for a new code.
    pub registration_id: Uuid,
    /// Digits in the code.
    #[schema(example = 6)]
    pub code_length: usize,
    /// Seconds the code is valid.
    #[schema(example = 600)]
    pub expires_in: i64,
    /// Seconds before a new code may be asked for.
    #[schema(example = 60)]
    pub resend_in: i64,
}

impl RegistrationStarted {
    pub(super) fn new(registration_id: Uuid) -> Self {
        RegistrationStarted {
            registration_id,
            code_length: CODE_DIGITS,
            expires_in: CODE_TTL_SECONDS,
            resend_in: RESEND_AFTER_SECONDS,
        }
    }
}

/// Starts a resident's (житель) registration: sends a one-time code by SMS to the phone.
///
/// The account exists, and can sign in, only once the code is confirmed at
/// `POST /api/v1/auth/register/confirm` (6 digits, valid 10 minutes, 5 tries). The answer is the
/// same whether or not the phone already belongs to an account, so that nobody learns which
/// numbers are registered; such a number is sent an SMS saying it has an account (sign in
/// instead), not a code. Only residents register
/// themselves; staff accounts are created by an administrator. A number gets a code at most once
/// a minute and five times an hour (429 `resend_too_soon` with `Retry-After`), and one address
/// may start ten registrations an hour (429 `too_many_requests`). An e-mail that another account
/// already has is left out of the new account (it is never refused: that would tell who has it).
#[utoipa::path(
    operation_id = "register_resident",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "A code is on its way by SMS (for a phone with an account, an SMS saying so)", body = RegistrationStarted),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a phone that is not Russian, or consent not given (`validation_failed`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "A code was sent to this number less than a minute ago, or five in the hour (`resend_too_soon`), or too many registrations from this address (`too_many_requests`); see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait")))
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    client: crate::client::ClientAddress,
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
    // Both ways do the same work (hash the password, prepare a code and an SMS, write the
    // registration and count the send); a registered phone is only sent another text.
    let now = Utc::now();
    // Every registration counts against its address (it costs a hash and an SMS), before either.
    let _counted = crate::throttle::reserve(
        &state,
        &domain::throttle::registration_keys(&client.0),
        None,
        ErrorCode::TooManyRequests,
        now,
    )
    .await?;
    let registered = persistence::users::is_taken(&state.db, Some(&phone), None).await?;
    let password_hash = password::hash_bounded(password::Caller::Anonymous, body.password).await?;
    let code = code_to_send(&state, &phone, !registered, now).await?;
    let registration = NewRegistration {
        phone,
        name: body.name.trim().to_owned(),
        email,
        password_hash,
        consent_version: body.consent.version,
        is_test: state.config.pilot_mode,
    };
    match persistence::verifications::start(&state.db, registration, code, now).await? {
        Sent::Sent { id, .. } => Ok(HttpResponse::Accepted().json(RegistrationStarted::new(id))),
        Sent::Wait(seconds) => Err(ApiError::of(ErrorCode::ResendTooSoon).retry_after(seconds)),
    }
}

/// A fresh code for `phone` and its SMS. With `send` false (the number has an account) the same
/// work, but nothing that any code matches, and the SMS says to sign in instead.
pub(super) async fn code_to_send(
    state: &AppState,
    phone: &str,
    send: bool,
    now: DateTime<Utc>,
) -> Result<CodeToSend, ApiError> {
    let code = loop {
        let mut bits = [0u8; 4];
        getrandom::fill(&mut bits)
            .map_err(|e| ApiError::internal(format!("no randomness available: {e}")))?;
        if let Some(code) = Code::from_random(u32::from_le_bytes(bits)) {
            break code;
        }
    };
    let mut salt = vec![0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| ApiError::internal(format!("no randomness available: {e}")))?;
    let key = (
        domain::MessageKind::VerificationCode,
        domain::Channel::Sms,
        domain::Language::Ru,
    );
    let vars = domain::Vars {
        code: Some(code.as_str().to_owned()),
        ..domain::Vars::default()
    };
    let key = match send {
        true => key,
        false => (domain::MessageKind::RegistrationAttempt, key.1, key.2),
    };
    let (kind, channel, language) = key;
    let rendered = compose::render(state, key, &vars)
        .await?
        .ok_or_else(|| ApiError::internal("no template for the registration SMS"))?;
    let mut sms = compose::delivery(
        kind,
        channel,
        language,
        phone.to_owned(),
        rendered,
        send.then_some(code.as_str()),
        compose::not_before(kind, channel, None, now),
        None,
        None,
    );
    sms.is_test = state.config.pilot_mode;
    Ok(CodeToSend {
        digest: send.then(|| code.digest(&salt)),
        salt,
        sms: Some(sms),
    })
}
