use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use persistence::complaints::{Cursor, ListQuery, Sort};

use super::dto::ComplaintDto;
use crate::auth::Caller;
use crate::dto::Page;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortDto {
    /// Newest first (default).
    Newest,
    Oldest,
    /// Nearest deadline first: overdue ones lead.
    DueSoon,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Comma-separated statuses, e.g. `registered,in_progress`.
    #[param(
        example = "registered,in_progress",
        max_length = 200,
        pattern = "^((registered|in_progress|awaiting_verification|needs_routing|under_inspection|closed|closed_unconfirmed|withdrawn|rejected)(,(registered|in_progress|awaiting_verification|needs_routing|under_inspection|closed|closed_unconfirmed|withdrawn|rejected))*)?$"
    )]
    pub status: Option<String>,
    pub company_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    pub building_id: Option<Uuid>,
    #[param(max_length = 100)]
    pub district: Option<String>,
    /// Only overdue (`true`) or only not overdue (`false`).
    pub overdue: Option<bool>,
    /// Only complaints in this round or later (2 = repeat rounds).
    #[param(minimum = 1, maximum = 1000)]
    pub min_round: Option<u32>,
    /// Only complaints running this legal clock, e.g. `localise` (with `clock_state`: in that
    /// state).
    #[param(inline)]
    pub clock: Option<domain::ClockKind>,
    /// Only complaints with a clock (the `clock`, or any) in this state now, e.g. `missed`.
    #[param(inline)]
    pub clock_state: Option<domain::ClockState>,
    /// Registered at or after.
    pub from: Option<DateTime<Utc>>,
    /// Registered before.
    pub to: Option<DateTime<Utc>>,
    /// Words to find in the number, description or address.
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[param(inline)]
    pub sort: Option<SortDto>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 60, pattern = "^-?[0-9]{1,18}_[0-9a-f]{32}$")]
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// Complaints the caller may see, filtered and sorted, a page at a time (keyset pagination).
///
/// A resident sees their own, a clerk what they filed, a company what is routed to it; the city
/// dispatcher, the inspection and the admin see all (the control board).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(ListParams),
    responses(
        (status = 200, body = Page<ComplaintDto>),
        (status = 400, description = "Bad filter or cursor", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints")]
pub async fn list_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let actor = caller.actor;
    let now = Utc::now();
    let limit = params.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(bad_query("limit must be 1 to 100"));
    }
    if params.min_round.is_some_and(|r| !(1..=1000).contains(&r)) {
        return Err(bad_query("min_round must be 1 to 1000"));
    }
    if params
        .district
        .as_ref()
        .is_some_and(|d| d.chars().count() > 100)
    {
        return Err(bad_query("district must be at most 100 characters"));
    }
    if params.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(bad_query("q must be at most 200 characters"));
    }
    let query = ListQuery {
        statuses: parse_statuses(params.status.as_deref())?,
        company_id: params.company_id,
        category_id: params.category_id,
        building_id: params.building_id,
        district: params.district,
        overdue: params.overdue,
        min_round: params.min_round,
        clock: params.clock,
        clock_state: params.clock_state,
        registered_from: params.from,
        registered_to: params.to,
        search: params.q,
        sort: match params.sort.unwrap_or(SortDto::Newest) {
            SortDto::Newest => Sort::Newest,
            SortDto::Oldest => Sort::Oldest,
            SortDto::DueSoon => Sort::DueSoon,
        },
        after: params.cursor.as_deref().map(parse_cursor).transpose()?,
        limit,
        ..ListQuery::new(domain::complaint_scope(&actor), now)
    };
    let page = persistence::complaints::list(&state.db, &query).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page
            .items
            .into_iter()
            .map(|r| ComplaintDto::new(r, &actor, now))
            .collect(),
        next_cursor: page.next.as_ref().map(format_cursor),
    }))
}

fn bad_query(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, detail.to_owned())
}

/// The longest `status` list: every status once, comma-separated.
pub const STATUS_LIST_MAX_LENGTH: usize = 200;

pub fn parse_statuses(list: Option<&str>) -> Result<Vec<domain::Status>, ApiError> {
    let list = list.unwrap_or_default();
    if list.len() > STATUS_LIST_MAX_LENGTH {
        return Err(bad_query(&format!(
            "status: at most {STATUS_LIST_MAX_LENGTH} characters"
        )));
    }
    let mut statuses = Vec::new();
    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let status = s
            .parse::<domain::Status>()
            .map_err(|_| bad_query(&format!("unknown status {s:?}")))?;
        // Each at most once: the list never grows past the statuses there are.
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    Ok(statuses)
}

pub fn format_cursor(cursor: &Cursor) -> String {
    format!("{}_{}", cursor.key.timestamp_micros(), cursor.id.simple())
}

pub fn parse_cursor(text: &str) -> Result<Cursor, ApiError> {
    let invalid = || {
        ApiError::new(
            ErrorCode::InvalidCursor,
            "The cursor is not one this API gave.".to_owned(),
        )
    };
    let (micros, id) = text.split_once('_').ok_or_else(invalid)?;
    let key = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        // Every cursor this API gives is a time of this era; PostgreSQL refuses far-off ones.
        .filter(|t| (1900..=9999).contains(&chrono::Datelike::year(t)))
        .ok_or_else(invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok(Cursor { key, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_far_outside_this_era_are_refused() {
        assert!(parse_cursor("-729331190652766211_7609241570a6fcff6e902ea8d705c3ed").is_err());
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            key: Utc::now(),
            id: Uuid::now_v7(),
        };
        let parsed = parse_cursor(&format_cursor(&cursor)).unwrap();
        assert_eq!(parsed.id, cursor.id);
        assert_eq!(parsed.key.timestamp_micros(), cursor.key.timestamp_micros());
        for bad in ["", "x", "1_", "_abc", "99999999999999999999_0190"] {
            assert!(parse_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_parse_from_a_comma_list() {
        assert_eq!(
            parse_statuses(Some("registered, in_progress")).unwrap(),
            vec![domain::Status::Registered, domain::Status::InProgress]
        );
        assert!(parse_statuses(Some("nope")).is_err());
        assert!(parse_statuses(None).unwrap().is_empty());
    }
}
