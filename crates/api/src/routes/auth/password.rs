use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::client::ClientAddress;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::password::{self, Caller};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "correct horse battery", "new_password": "a longer passphrase"}))]
pub struct ChangePasswordRequest {
    #[validate(length(min = 1, max = 128, message = "must be 1 to 128 characters"))]
    #[schema(min_length = 1, max_length = 128)]
    pub current_password: String,
    #[validate(length(min = 8, max = 128, message = "must be 8 to 128 characters"))]
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// Changes the signed-in user's password and signs out every session (all refresh tokens).
///
/// A wrong current password answers 422 on `current_password` and counts as a failed sign-in
/// on the account, as sign-ins count them (5 from one address within 15 minutes lock it: 429). The access token used here stays valid
/// until it expires.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; every refresh token of the account is revoked"),
        (status = 400, description = "Malformed JSON (`malformed_json`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a wrong `current_password`, or a `new_password` equal to it (`validation_failed`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts on this account (`too_many_requests`); see `Retry-After`",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until one more attempt is allowed")))
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: AuthUser,
    client: ClientAddress,
    body: crate::dto::JsonObject<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    if body.new_password == body.current_password {
        return Err(ApiError::field(
            "new_password",
            "must differ from the current password",
        ));
    }
    let now = Utc::now();
    let user = persistence::users::find_by_id(&state.db, caller.id)
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::of(ErrorCode::InvalidToken))?;
    let attempt = crate::throttle::reserve(
        &state,
        &domain::throttle::sign_in_keys(&user.login, &client.0),
        Some(user.id),
        ErrorCode::TooManyRequests,
        now,
    )
    .await?;
    let verified = attempt
        .run(
            &state,
            password::verify_bounded(
                Caller::Known,
                body.current_password.clone(),
                user.password_hash.clone(),
            ),
        )
        .await?;
    if !verified {
        return Err(ApiError::field("current_password", "is wrong"));
    }
    attempt.succeeded(&state).await?;
    let hash = password::hash_bounded(Caller::Known, body.new_password.clone()).await?;
    persistence::users::change_password(&state.db, user.id, hash, now).await?;
    Ok(HttpResponse::NoContent().finish())
}
