//! Delta sync for offline clients: everything the caller may see that changed since their last
//! sync, and what left their view, a page at a time.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use persistence::complaints::Cursor;

use super::dto::ComplaintDto;
use super::list::{format_cursor, parse_cursor};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// How far behind the present a sync token stays: a change committed by another replica whose
/// clock runs up to this much behind is not skipped; it is sent again, and clients keep the
/// higher `version`.
const SAFETY: Duration = Duration::seconds(5);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SyncParams {
    /// `next` of the previous sync; absent (with no `updated_since`) for a first, full sync.
    #[param(max_length = 60, pattern = "^-?[0-9]{1,18}_[0-9a-f]{32}$")]
    pub since: Option<String>,
    /// Instead of a token: changes after this instant (not in the future).
    pub updated_since: Option<DateTime<Utc>>,
    /// Complaints per page, 1 to 200 (default 100).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// What changed since the last sync.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncPage {
    /// Complaints the caller may see that changed, oldest change first; keep the highest
    /// `version` of each.
    pub changed: Vec<ComplaintDto>,
    /// Complaints that left the caller's view (rerouted to another company, declined): drop them.
    pub removed: Vec<Uuid>,
    /// Pass as `since` next time.
    #[schema(example = "1764410000000000_0190c0de00007000800000000000000a")]
    pub next: String,
    /// More changes are waiting: sync again with `next` at once.
    pub has_more: bool,
}

/// Delta sync: what changed since `since` (or `updated_since`), within what the caller may see.
///
/// Start with no `since` for a full copy, then pass `next` each time. `removed` lists the
/// complaints that left the caller's view. The same number of queries whatever `limit` is.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(SyncParams),
    responses(
        (status = 200, body = SyncPage),
        (status = 400, description = "A token this API did not give (`invalid_cursor`) or `limit` out of range (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Both `since` and `updated_since`, or `updated_since` in the future (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/sync")]
pub async fn sync_complaints(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<SyncParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let now = Utc::now();
    let bad = |detail: &str| ApiError::new(ErrorCode::InvalidQuery, detail.to_owned());
    let limit = params.limit.unwrap_or(100);
    if !(1..=200).contains(&limit) {
        return Err(bad("limit must be 1 to 200"));
    }
    let after = match (params.since.as_deref(), params.updated_since) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "updated_since",
                "send either since or updated_since, not both",
            ));
        }
        (Some(token), None) => Some(parse_cursor(token)?),
        (None, Some(at)) => Some(Cursor {
            key: at,
            id: Uuid::max(),
        }),
        (None, None) => None,
    };
    if after.as_ref().is_some_and(|cursor| cursor.key > now) {
        let field = if params.since.is_some() {
            "since"
        } else {
            "updated_since"
        };
        return Err(ApiError::field(field, "lies in the future"));
    }
    let actor = caller.actor;
    let scope = domain::complaint_scope(&actor);
    let mut changed =
        persistence::complaints::changes(&state.db, scope, after.as_ref(), limit + 1).await?;
    let has_more = changed.len() as u64 > limit;
    changed.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    // With more to come, the token is the last change sent. Otherwise every change up to now was
    // sent, and the token moves to the present minus the safety margin (never backwards): changes
    // inside the margin are sent again next time.
    let safe = Cursor {
        key: now - SAFETY,
        id: Uuid::nil(),
    };
    let next = match (changed.last(), has_more) {
        (Some(last), true) => Cursor {
            key: last.updated_at,
            id: last.complaint.id,
        },
        (Some(_) | None, _) => match &after {
            Some(from) if from.key > safe.key => from.clone(),
            Some(_) | None => safe,
        },
    };
    let removed = match scope {
        domain::ComplaintScope::RoutedTo(company) => {
            persistence::complaints::departures(
                &state.db,
                company,
                after.as_ref().map(|cursor| cursor.key),
                next.key,
                1000,
            )
            .await?
        }
        domain::ComplaintScope::All
        | domain::ComplaintScope::AuthoredBy(_)
        | domain::ComplaintScope::FiledBy(_)
        | domain::ComplaintScope::Only(_)
        | domain::ComplaintScope::Nothing => Vec::new(),
    };
    Ok(HttpResponse::Ok().json(SyncPage {
        changed: changed
            .into_iter()
            .map(|record| ComplaintDto::new(record, &actor, now))
            .collect(),
        removed,
        next: format_cursor(&next),
        has_more,
    }))
}
