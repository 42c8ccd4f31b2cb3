//! The registers of orders and of fines (and, in `act_register`, of inspection acts): for the inspection, the city department and the
//! administrator every row; for a management company its own (a filter naming another company
//! finds nothing). Newest first, a page at a time, with the count and the sum of fines under the
//! filter; and the same filter as a CSV file for Excel.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::registers::{FineFilter, FineRow, OrderFilter, OrderRow, Totals};

use super::csv::{fines_csv, orders_csv};
use crate::auth::Caller;
use crate::dto::CheckedQuery;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::routes::admin::paginate;
use crate::state::AppState;

pub(super) const DEFAULT_PAGE: u64 = 50;
/// The most rows one CSV export holds; a wider filter is refused (narrow the period).
pub const CSV_MAX_ROWS: usize = 50_000;
pub(super) const CSV_BATCH: u64 = 1_000;

/// The count and the sum of fines (roubles) of everything under the filter, not just this page.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsDto {
    pub count: i64,
    pub sum_rub: i64,
}

impl From<Totals> for TotalsDto {
    fn from(t: Totals) -> Self {
        Self {
            count: t.count,
            sum_rub: t.sum_rub,
        }
    }
}

/// One order of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderRegisterRow {
    pub id: Uuid,
    /// `П-2026-00001`.
    pub number: String,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub address: String,
    pub company_id: Uuid,
    pub company_name: String,
    pub issued_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub checked_at: Option<DateTime<Utc>>,
    pub status: domain::OrderStatus,
    /// Fines recorded for not complying with it, roubles.
    pub fined_rub: i64,
    /// Where its printed document is.
    pub pdf_url: String,
}

impl From<OrderRow> for OrderRegisterRow {
    fn from(r: OrderRow) -> Self {
        Self {
            pdf_url: format!("/api/v1/orders/{}/document.pdf", r.id),
            id: r.id,
            number: r.number,
            complaint_id: r.complaint_id,
            complaint_number: r.complaint_number,
            address: r.address,
            company_id: r.company_id,
            company_name: r.company_name,
            issued_at: r.issued_at,
            due_at: r.due_at,
            checked_at: r.checked_at,
            status: r.status,
            fined_rub: r.fined_rub,
        }
    }
}

/// A page of the register of orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderRegisterPage {
    pub items: Vec<OrderRegisterRow>,
    /// An opaque position; `null` on the last page.
    pub next_cursor: Option<String>,
    pub totals: TotalsDto,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderRegisterQuery {
    pub status: Option<domain::OrderStatus>,
    /// Only orders addressed to this management company.
    pub company_id: Option<Uuid>,
    /// Issued from this moment, inclusive (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Issued before this moment (RFC 3339); after `from`.
    pub to: Option<DateTime<Utc>>,
    /// `next_cursor` of the previous page. Ignored by the CSV export.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 200 (default 50). Ignored by the CSV export.
    #[validate(range(min = 1, max = 200, message = "must be 1 to 200"))]
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u64>,
}

pub(super) fn period(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    domain::audit::check_period(from.as_ref(), to.as_ref())
        .map_err(|e| ApiError::new(ErrorCode::InvalidQuery, e.to_string()))
}

/// The company a register is narrowed to: the caller's own for a company, else the filter's.
/// `None` inside: a company asking for another's rows (it finds nothing).
pub(super) fn narrowed(scope: domain::PaperScope, asked: Option<Uuid>) -> Option<Option<Uuid>> {
    match scope {
        domain::PaperScope::All => Some(asked),
        domain::PaperScope::Company(own) if asked.is_none_or(|a| a == own) => Some(Some(own)),
        domain::PaperScope::Company(_) => None,
    }
}

impl OrderRegisterQuery {
    fn filter(&self, caller: &Caller) -> Result<Option<OrderFilter>, ApiError> {
        let scope = domain::read_registers(&caller.actor)?;
        self.checked()?;
        period(self.from, self.to)?;
        Ok(
            narrowed(scope, self.company_id).map(|company_id| OrderFilter {
                company_id,
                status: self.status,
                from: self.from,
                to: self.to,
            }),
        )
    }
}

/// The register of orders (предписания), newest first.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(OrderRegisterQuery),
    responses(
        (status = 200, body = OrderRegisterPage),
        (status = 400, description = "Malformed query or period (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/registers/orders")]
pub async fn order_register(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<OrderRegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let Some(filter) = query.filter(&caller)? else {
        return Ok(HttpResponse::Ok().json(OrderRegisterPage {
            items: vec![],
            next_cursor: None,
            totals: Totals::default().into(),
        }));
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows =
        persistence::registers::orders_page(&state.db, &filter, query.cursor, limit + 1, now)
            .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    let totals = persistence::registers::orders_totals(&state.db, &filter, now).await?;
    Ok(HttpResponse::Ok().json(OrderRegisterPage {
        items: rows.into_iter().map(OrderRegisterRow::from).collect(),
        next_cursor: next_cursor.map(|c| c.to_string()),
        totals: totals.into(),
    }))
}

pub(super) fn csv_response(file: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .body(body)
}

pub(super) fn too_many() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidQuery,
        format!("More than {CSV_MAX_ROWS} rows: narrow the period or the filter."),
    )
}

/// The register of orders under the same filter as a CSV file for Excel (UTF-8 with a BOM, `;`).
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(OrderRegisterQuery),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query or period, or too many rows (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/registers/orders.csv")]
pub async fn order_register_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<OrderRegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now();
    let mut rows = Vec::new();
    if let Some(filter) = query.filter(&caller)? {
        let mut before = None;
        loop {
            let batch =
                persistence::registers::orders_page(&state.db, &filter, before, CSV_BATCH, now)
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
    Ok(csv_response("orders.csv", orders_csv(&rows)?))
}

/// One fine of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct FineRegisterRow {
    pub id: Uuid,
    /// The article's code, e.g. `7.22`; `null` for fines recorded before the register of articles.
    pub article: Option<String>,
    pub legal_basis: String,
    /// `legal_entity` or `official`.
    pub offender: Option<String>,
    pub amount_rub: i64,
    pub company_id: Uuid,
    pub company_name: String,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub order_id: Option<Uuid>,
    pub order_number: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<FineRow> for FineRegisterRow {
    fn from(r: FineRow) -> Self {
        Self {
            id: r.id,
            article: r.article,
            legal_basis: r.legal_basis,
            offender: r.offender,
            amount_rub: r.amount_rub,
            company_id: r.company_id,
            company_name: r.company_name,
            complaint_id: r.complaint_id,
            complaint_number: r.complaint_number,
            order_id: r.order_id,
            order_number: r.order_number,
            recorded_at: r.recorded_at,
        }
    }
}

/// A page of the register of fines.
#[derive(Debug, Serialize, ToSchema)]
pub struct FineRegisterPage {
    pub items: Vec<FineRegisterRow>,
    pub next_cursor: Option<String>,
    pub totals: TotalsDto,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FineRegisterQuery {
    /// The article's code, e.g. `7.22`.
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[param(min_length = 1, max_length = 32)]
    pub article: Option<String>,
    pub offender: Option<domain::Offender>,
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

impl FineRegisterQuery {
    fn filter(&self, caller: &Caller) -> Result<Option<FineFilter>, ApiError> {
        let scope = domain::read_registers(&caller.actor)?;
        self.checked()?;
        period(self.from, self.to)?;
        Ok(
            narrowed(scope, self.company_id).map(|company_id| FineFilter {
                company_id,
                article: self.article.clone(),
                offender: self.offender,
                from: self.from,
                to: self.to,
            }),
        )
    }
}

/// The register of fines, newest first.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(FineRegisterQuery),
    responses(
        (status = 200, body = FineRegisterPage),
        (status = 400, description = "Malformed query or period (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/registers/fines")]
pub async fn fine_register(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<FineRegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let Some(filter) = query.filter(&caller)? else {
        return Ok(HttpResponse::Ok().json(FineRegisterPage {
            items: vec![],
            next_cursor: None,
            totals: Totals::default().into(),
        }));
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows =
        persistence::registers::fines_page(&state.db, &filter, query.cursor, limit + 1).await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id);
    let totals = persistence::registers::fines_totals(&state.db, &filter).await?;
    Ok(HttpResponse::Ok().json(FineRegisterPage {
        items: rows.into_iter().map(FineRegisterRow::from).collect(),
        next_cursor: next_cursor.map(|c| c.to_string()),
        totals: totals.into(),
    }))
}

/// The register of fines under the same filter as a CSV file for Excel.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(FineRegisterQuery),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        (status = 400, description = "Malformed query or period, or too many rows (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/registers/fines.csv")]
pub async fn fine_register_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<FineRegisterQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut rows = Vec::new();
    if let Some(filter) = query.filter(&caller)? {
        let mut before = None;
        loop {
            let batch =
                persistence::registers::fines_page(&state.db, &filter, before, CSV_BATCH).await?;
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
    Ok(csv_response("fines.csv", fines_csv(&rows)?))
}
