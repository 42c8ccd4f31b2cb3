use actix_web::{HttpResponse, get, web};

use crate::auth::AuthUser;
use crate::dto::Me;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The signed-in user.
#[utoipa::path(
    operation_id = "get_me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me)
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let record = persistence::users::find_by_id(&state.db, user.id)
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::of(ErrorCode::InvalidToken))?;
    Ok(HttpResponse::Ok().json(Me::from(record)))
}
