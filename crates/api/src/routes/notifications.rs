//! The signed-in user's in-app notifications.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxParams {
    /// Only unread ones.
    pub unread: Option<bool>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
    /// 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: Uuid,
    pub complaint_id: Option<Uuid>,
    /// The event that caused it (`registered`, `report_done`, `overdue`, …).
    #[schema(example = "report_done")]
    pub kind: String,
    #[schema(example = "Жалоба СУР-2026-000123: ожидает проверки")]
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub items: Vec<NotificationDto>,
    pub unread: u64,
    pub next_cursor: Option<Uuid>,
}

/// The caller's notifications, newest first.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(InboxParams),
    responses(
        (status = 200, body = Inbox),
        (status = 400, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    user: AuthUser,
    params: web::Query<InboxParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "limit must be 1 to 100".to_owned(),
        ));
    }
    let items = persistence::notifications::inbox(
        &state.db,
        user.id,
        params.unread.unwrap_or(false),
        params.cursor,
        limit + 1,
    )
    .await?;
    let has_more = items.len() as u64 > limit;
    let items: Vec<NotificationDto> = items
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|n| NotificationDto {
            id: n.id,
            complaint_id: n.complaint_id,
            kind: n.kind,
            text: n.text,
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect();
    let next_cursor = if has_more {
        items.last().map(|n| n.id)
    } else {
        None
    };
    let unread = persistence::notifications::unread_count(&state.db, user.id).await?;
    Ok(HttpResponse::Ok().json(Inbox {
        items,
        unread,
        next_cursor,
    }))
}

/// Marks one notification read.
#[utoipa::path(
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "Read"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/notifications/{id}/read")]
pub async fn mark_notification_read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    persistence::notifications::mark_read(&state.db, user.id, *id, Utc::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
