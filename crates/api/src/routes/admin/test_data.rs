//! Leaving test mode: the dry run and the purge of every row marked as test.

use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use persistence::test_data::PurgeCounts;

use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::routes::public::ScorecardCache;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"confirm": "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ"}))]
pub struct PurgeTestDataRequest {
    /// Only count the test rows of each table; delete nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Required unless `dry_run`: exactly `УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ`.
    #[schema(example = "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ")]
    pub confirm: Option<String>,
}

/// The test rows of one table.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableRows {
    #[schema(example = "complaints")]
    pub table: String,
    pub rows: u64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "dry_run": false,
    "deleted": true,
    "total": 7,
    "tables": [{"table": "complaint_events", "rows": 5}, {"table": "complaints", "rows": 2}],
    "message": "Удалено тестовых строк: 7. / 7 test rows deleted."
}))]
pub struct PurgeTestDataResult {
    pub dry_run: bool,
    /// Whether anything was deleted: `false` on a dry run and when there was no test data.
    pub deleted: bool,
    pub total: u64,
    /// Every table the purge touches, in the order it deletes them, with its test rows (to be
    /// deleted on a dry run, deleted otherwise).
    pub tables: Vec<TableRows>,
    pub message: String,
}

impl PurgeTestDataResult {
    pub fn new(counts: &PurgeCounts, dry_run: bool) -> Self {
        let total = counts.total();
        let message = match (dry_run, total) {
            (_, 0) => {
                "Тестовых данных нет, ничего не удалено. / No test data: nothing was deleted."
                    .to_owned()
            }
            (true, n) => {
                format!("Будет удалено тестовых строк: {n}. / {n} test rows would be deleted.")
            }
            (false, n) => format!("Удалено тестовых строк: {n}. / {n} test rows deleted."),
        };
        Self {
            dry_run,
            deleted: !dry_run && total > 0,
            total,
            tables: counts
                .tables
                .iter()
                .map(|t| TableRows {
                    table: t.table.to_owned(),
                    rows: t.rows,
                })
                .collect(),
            message,
        }
    }
}

/// Counts (`dry_run`) or deletes every test complaint with its events, attachments, orders,
/// fines, notifications, deliveries, webhook messages, outbox rows and digest entries, and the
/// test accounts, in one transaction recorded in the audit log. Real data is never touched;
/// with no test data nothing is deleted. Allowed in any mode.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body = PurgeTestDataRequest,
    responses(
        (status = 200, description = "Counted or purged", body = PurgeTestDataResult),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The confirmation is missing or wrong (`validation_failed` on `confirm`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/test-data/purge")]
pub async fn purge_test_data(
    state: web::Data<AppState>,
    scorecard: web::Data<ScorecardCache>,
    caller: Admin,
    body: crate::dto::JsonObject<PurgeTestDataRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.dry_run {
        let counts = persistence::test_data::count(&state.db).await?;
        return Ok(HttpResponse::Ok().json(PurgeTestDataResult::new(&counts, true)));
    }
    if !body.confirm.as_deref().is_some_and(domain::confirms_purge) {
        return Err(ApiError::field(
            "confirm",
            format!("must be exactly «{}»", domain::PURGE_CONFIRMATION),
        ));
    }
    let counts = persistence::test_data::purge(&state.db, caller.id(), Utc::now()).await?;
    scorecard.invalidate();
    Ok(HttpResponse::Ok().json(PurgeTestDataResult::new(&counts, false)))
}
