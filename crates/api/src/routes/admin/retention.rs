//! The retention report: the schedule, what the worker erased and deleted when, what is due
//! next.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// One worker pass that erased or deleted something.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionRunDto {
    pub at: DateTime<Utc>,
    pub complaints_erased: u64,
    pub attachments_deleted: u64,
    pub audit_entries_deleted: u64,
    pub idempotency_keys_deleted: u64,
}

/// What is due next.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionDueDto {
    /// When the next closed complaint loses its personal data.
    pub personal_data_at: Option<DateTime<Utc>>,
    /// Closed complaints whose personal data is due within 30 days (or overdue).
    pub personal_data_within_30_days: u64,
    /// Complaints kept despite an erasure request, waiting to close.
    pub erasure_requests_waiting: u64,
    pub attachments_at: Option<DateTime<Utc>>,
    pub audit_log_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RetentionReport {
    pub schedule: domain::privacy::Retention,
    /// The latest 50 passes, newest first.
    pub runs: Vec<RetentionRunDto>,
    pub next: RetentionDueDto,
}

/// The retention schedule in force, the worker's passes that erased or deleted anything, and
/// what is due next.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = RetentionReport),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/retention")]
pub async fn retention_report(
    state: web::Data<AppState>,
    _caller: Admin,
) -> Result<HttpResponse, ApiError> {
    let schedule = state.config.retention;
    let (runs, next) = persistence::retention::report(&state.db, &schedule, Utc::now(), 50).await?;
    Ok(HttpResponse::Ok().json(RetentionReport {
        schedule,
        runs: runs
            .into_iter()
            .map(|r| RetentionRunDto {
                at: r.at,
                complaints_erased: r.complaints_erased,
                attachments_deleted: r.attachments_deleted,
                audit_entries_deleted: r.audit_entries_deleted,
                idempotency_keys_deleted: r.idempotency_keys_deleted,
            })
            .collect(),
        next: RetentionDueDto {
            personal_data_at: next.personal_data_at,
            personal_data_within_30_days: next.personal_data_within_30_days,
            erasure_requests_waiting: next.erasure_requests_waiting,
            attachments_at: next.attachments_at,
            audit_log_at: next.audit_log_at,
        },
    }))
}
