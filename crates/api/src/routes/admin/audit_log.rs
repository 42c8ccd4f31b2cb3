//! The administrator's reader of the audit log (152-ФЗ): who saw or did something sensitive,
//! when and why, filtered and paged like the other lists, and the same filter as a CSV file.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::audit::{AuditEntry, AuditFilter};

use super::{DEFAULT_PAGE, paginate};
use crate::auth::Admin;
use crate::dto::{CheckedQuery, Page};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// The most rows one CSV export holds; a wider filter is refused (narrow the period).
pub const CSV_MAX_ROWS: usize = 100_000;
const CSV_BATCH: u64 = 1_000;

/// One row of the audit log.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-0000000000a1",
    "at": "2026-12-06T10:15:00Z",
    "actor_id": "0193a5b0-7c1e-7d3a-9f00-000000000011",
    "actor_name": "Сидорова Анна Петровна",
    "actor_role": "dispatcher",
    "action": "reveal_phone",
    "complaint_id": "0193a5b0-7c1e-7d3a-9f00-0000000000c1",
    "complaint_number": "СУР-2026-000042",
    "reason": "Звонок по проверке выполнения",
    "details": {"number": "СУР-2026-000042", "reason": "Звонок по проверке выполнения"}
}))]
pub struct AuditLogEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    /// The actor's name; `null` when the account no longer exists.
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    /// What was done, e.g. `reveal_phone`, `read_applicant`, `export_history`, `user_created`.
    pub action: String,
    pub complaint_id: Option<Uuid>,
    pub complaint_number: Option<String>,
    /// Why, in the staff member's words, for reads of personal data.
    pub reason: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<AuditEntry> for AuditLogEntry {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            actor_role: e.actor_role,
            action: e.action,
            complaint_id: e.complaint_id,
            complaint_number: e.complaint_number,
            reason: e.reason,
            details: e.details,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditLogQuery {
    /// Only what this account did.
    pub actor_id: Option<Uuid>,
    /// Only this action, e.g. `reveal_phone`.
    #[param(pattern = "^[a-z0-9_]{1,64}$", example = "reveal_phone")]
    pub action: Option<String>,
    /// Only rows about this complaint.
    pub complaint_id: Option<Uuid>,
    /// From this moment, inclusive (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Up to this moment, exclusive (RFC 3339); after `from`.
    pub to: Option<DateTime<Utc>>,
    /// `next_cursor` of the previous page; absent for the first page. Ignored by the CSV export.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 200 (default 50). Ignored by the CSV export.
    #[validate(range(min = 1, max = 200, message = "must be 1 to 200"))]
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<u64>,
}

impl AuditLogQuery {
    /// The filter, checked by the domain's rules; a fault is 400 `invalid_query`.
    fn filter(&self) -> Result<AuditFilter, ApiError> {
        self.checked()?;
        let invalid =
            |e: domain::DomainError| ApiError::new(ErrorCode::InvalidQuery, e.to_string());
        let action = self
            .action
            .as_deref()
            .map(domain::audit::parse_action_name)
            .transpose()
            .map_err(invalid)?;
        domain::audit::check_period(self.from.as_ref(), self.to.as_ref()).map_err(invalid)?;
        Ok(AuditFilter {
            actor_id: self.actor_id,
            action,
            complaint_id: self.complaint_id,
            from: self.from,
            to: self.to,
        })
    }
}

/// The audit log, newest first, a page at a time (keyset pagination). Administrators only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AuditLogQuery),
    responses(
        (status = 200, body = Page<AuditLogEntry>),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<AuditLogQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    let rows = persistence::audit::page(&state.db, &filter, query.cursor, limit + 1).await?;
    let (rows, next_cursor) = paginate(rows, limit, |e| e.id);
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(AuditLogEntry::from).collect(),
        next_cursor,
    )))
}

/// The audit log under the same filter as a CSV file for Excel: UTF-8 with a BOM, fields
/// separated by `;` (what Excel in a Russian locale expects), one header row in Russian, newest
/// first; times in UTC (RFC 3339). Cells that a spreadsheet would take for a formula are prefixed
/// with `'`. At most 100 000 rows: a wider filter is refused.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(AuditLogQuery),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String,
         headers(("Content-Disposition" = String, description = "attachment; filename=\"audit-log.csv\""))),
        (status = 400, description = "Malformed query (`invalid_query`), or more than 100 000 rows", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/audit-log/csv")]
pub async fn export_audit_log_csv(
    state: web::Data<AppState>,
    _admin: Admin,
    query: web::Query<AuditLogQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.filter()?;
    let mut rows = Vec::new();
    let mut before = None;
    loop {
        let batch = persistence::audit::page(&state.db, &filter, before, CSV_BATCH).await?;
        let done = (batch.len() as u64) < CSV_BATCH;
        before = batch.last().map(|e| e.id);
        rows.extend(batch);
        if rows.len() > CSV_MAX_ROWS {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("More than {CSV_MAX_ROWS} rows: narrow the period or the filter."),
            ));
        }
        if done {
            break;
        }
    }
    let body = to_csv(&rows)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit-log.csv\"",
        ))
        .body(body))
}

/// The header row of the CSV export.
pub const CSV_HEADER: [&str; 9] = [
    "Время (UTC)",
    "Кто",
    "Роль",
    "ID сотрудника",
    "Действие",
    "Обращение",
    "ID обращения",
    "Причина",
    "Подробности",
];

/// A cell a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR) is kept as text.
pub(crate) fn cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

fn to_csv(rows: &[AuditEntry]) -> Result<Vec<u8>, ApiError> {
    let fault = |e: csv::Error| ApiError::internal(format!("writing the audit CSV: {e}"));
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(CSV_HEADER).map_err(fault)?;
        for e in rows {
            let record = [
                e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                cell(e.actor_name.as_deref().unwrap_or("")),
                cell(e.actor_role.as_deref().unwrap_or("")),
                e.actor_id.to_string(),
                cell(&e.action),
                cell(e.complaint_number.as_deref().unwrap_or("")),
                e.complaint_id.map(|id| id.to_string()).unwrap_or_default(),
                cell(e.reason.as_deref().unwrap_or("")),
                cell(&e.details.to_string()),
            ];
            writer.write_record(&record).map_err(fault)?;
        }
        writer.flush().map_err(|e| fault(e.into()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_kept_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("Звонок"), "Звонок");
    }
}
