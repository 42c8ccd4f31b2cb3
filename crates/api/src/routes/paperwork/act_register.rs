//! The register of inspection acts (акты проверки), in the style of the registers of orders and
//! fines: for the inspection, the city department and the administrator every act; for a
//! management company the acts about it (a filter naming another company finds nothing). Newest
//! first, a page at a time, with the count and how many found a violation under the filter; the
//! same filter as a CSV file for Excel; each row links to the act's printed document.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::registers::acts::{ActFilter, ActRow, ActTotals};

use super::csv::acts_csv;
use super::registers::{
    CSV_BATCH, CSV_MAX_ROWS, DEFAULT_PAGE, csv_response, narrowed, period, too_many,
};
use crate::auth::Caller;
use crate::dto::CheckedQuery;
use crate::error::{ApiError, Problem};
use crate::routes::admin::paginate;
use crate::state::AppState;

/// The count of everything under the filter (not just this page) and how many found a violation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActTotalsDto {
    pub count: i64,
    pub violations: i64,
}

impl From<ActTotals> for ActTotalsDto {
    fn from(t: ActTotals) -> Self {
        Self {
            count: t.count,
            violations: t.violations,
        }
    }
}

/// One inspection act of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActRegisterRow {
    pub id: Uuid,
    /// `А-2026-00001`.
    pub number: String,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub address: String,
    /// `null` for a complaint never routed to a management company.
    pub company_id: Option<Uuid>,
    pub company_name: Option<String>,
    /// Whether the inspection found a violation.
    pub violation: bool,
    pub findings: String,
    /// Empty once the inspector's personal data is erased.
    pub inspector_name: String,
    pub recorded_at: DateTime<Utc>,
    /// Where its printed document (PDF) is.
    pub pdf_url: String,
    /// The same document as a printable HTML page.
    pub html_url: String,
}

impl From<ActRow> for ActRegisterRow {
    fn from(r: ActRow) -> Self {
        Self {
            pdf_url: format!("/api/v1/acts/{}/document.pdf", r.id),
            html_url: format!("/api/v1/acts/{}/document.html", r.id),
            id: r.id,
            number: r.number,
            complaint_id: r.complaint_id,
            complaint_number: r.complaint_number,
            address: r.address,
            company_id: r.company_id,
            company_name: r.company_name,
            violation: r.violation,
            findings: r.findings,
            inspector_name: r.inspector_name,
            recorded_at: r.recorded_at,
        }
    }
}

/// A page of the register of acts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActRegisterPage {
    pub items: Vec<ActRegisterRow>,
    /// An opaque position; `null` on the last page.
    pub next_cursor: Option<String>,
    pub totals: ActTotalsDto,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActRegisterQuery {
    /// Only the acts that found (`true`) or did not find (`false`) a violation.
    pub violation: Option<bool>,
    /// Only the acts about this management company.
    pub company_id: Option<Uuid>,
    /// Recorded from this moment, inclusive (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Recorded before this moment (RFC 3339); after `from`.
    pub to: Option<DateTime<Utc>>,
    /// `next_cursor` of the previous page. Ignored by the CSV export.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 200 (default 50). Ignored by the CSV export.
    #[validate(range(min = 1, max = 200, message = "must be 1 to 200"))]
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u64>,
}

impl ActRegisterQuery {
    fn filter(&self, caller: &Caller) -> Result<Option<ActFilter>, ApiError> {
        let scope = domain::read_registers(&caller.actor)?;
        self.checked()?;
        period(self.from, self.to)?;
        Ok(
            narrowed(scope, self.company_id).map(|company_id| ActFilter {
                company_id,
                violation: self.violation,
                from: self.from,
                to: self.to,
            }),
        )
    }
}

/// The register of inspection acts (акты проверки), newest first.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(ActRegisterQuery),
    responses(
        (status = 200, body = ActRegisterPage),
        (status = 400, description = "Malformed query or period (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/registers/acts")]
pub async fn act_register(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ActRegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let Some(filter) = query.filter(&caller)? else {
        return Ok(HttpResponse::Ok().json(ActRegisterPage {
            items: vec![],
            next_cursor: None,
            totals: ActTotals::default().into(),
        }));
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows = persistence::registers::acts::acts_page(&state.db, &filter, query.cursor, limit + 1)
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    let totals = persistence::registers::acts::acts_totals(&state.db, &filter).await?;
    Ok(HttpResponse::Ok().json(ActRegisterPage {
        items: rows.into_iter().map(ActRegisterRow::from).collect(),
        next_cursor: next_cursor.map(|c| c.to_string()),
        totals: totals.into(),
    }))
}

/// The register of acts under the same filter as a CSV file for Excel (UTF-8 with a BOM, `;`).
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(ActRegisterQuery),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query or period, or too many rows (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/registers/acts.csv")]
pub async fn act_register_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ActRegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut rows = Vec::new();
    if let Some(filter) = query.filter(&caller)? {
        let mut before = None;
        loop {
            let batch =
                persistence::registers::acts::acts_page(&state.db, &filter, before, CSV_BATCH)
                    .await?;
            let done = (batch.len() as u64) < CSV_BATCH;
            before = batch.last().map(|r| r.id);
            rows.extend(batch);
            if rows.len() > CSV_MAX_ROWS {
                return Err(too_many());
            }
            if done {
                break;
            }
        }
    }
    Ok(csv_response("acts.csv", acts_csv(&rows)?))
}
