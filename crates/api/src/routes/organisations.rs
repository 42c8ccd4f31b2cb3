//! The organisation directory for the city's staff (issue 16): the reroute picker and every
//! company filter find a company here by typing part of its name.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use persistence::RepoError;
use persistence::registry::{DirectoryQuery, OrganisationRecord};

use super::admin::paginate;
use crate::auth::Caller;
use crate::dto::{CheckedQuery, Page};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// An organisation as staff see it in pickers: no contacts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5b0-7c1e-7d3a-9f00-000000000001",
    "kind": "management_company",
    "name": "ООО «УК Северный город»",
    "active": true
}))]
pub struct OrganisationEntry {
    pub id: Uuid,
    pub kind: domain::OrganisationKind,
    pub name: String,
    /// Whether it is still offered for new work (an administrator retires a company).
    pub active: bool,
}

impl From<OrganisationRecord> for OrganisationEntry {
    fn from(o: OrganisationRecord) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            name: o.name,
            active: o.active,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// Words that must all occur in the name, in any case (Cyrillic included; `%` and `_` match
    /// themselves). At most 100 characters; the first six words count.
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[param(max_length = 100, example = "северный")]
    pub q: Option<String>,
    /// Only organisations of this kind.
    #[param(inline)]
    pub kind: Option<domain::OrganisationKind>,
    /// Only active (`true`) or retired (`false`) organisations; both when absent.
    pub active: Option<bool>,
    /// `next_cursor` of the previous page (the last organisation's id); absent for the first.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 100 (default 20).
    #[validate(range(min = 1, max = 100, message = "must be 1 to 100"))]
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u64>,
}

/// Organisations by name (case-insensitive), a page at a time (keyset pagination in name order).
/// For the city's staff: dispatchers, inspectors, clerks and administrators, and API keys with
/// `admin:read`; residents and company staff get 403.
#[utoipa::path(
    tag = "registries",
    security(("bearer" = []), ("api_key" = ["admin:read"])),
    params(DirectoryParams),
    responses(
        (status = 200, body = Page<OrganisationEntry>),
        (status = 400, description = "Malformed query (`invalid_query`) or a cursor that names no organisation (`invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid credentials (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the city's staff (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/organisations")]
pub async fn organisation_directory(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<DirectoryParams>,
) -> Result<HttpResponse, ApiError> {
    domain::read_organisation_directory(&caller.actor)?;
    params.checked()?;
    let limit = params.limit.unwrap_or(20);
    let query = DirectoryQuery {
        text: params.q.clone().unwrap_or_default(),
        kind: params.kind,
        active: params.active,
        after: params.cursor,
        limit: limit + 1,
    };
    let rows = persistence::registry::organisation_directory(&state.db, &query)
        .await
        .map_err(|e| match e {
            RepoError::NotFound => ApiError::new(
                ErrorCode::InvalidCursor,
                "The cursor names no organisation.".to_owned(),
            ),
            other => other.into(),
        })?;
    let (rows, next_cursor) = paginate(rows, limit, |o| o.id);
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(OrganisationEntry::from).collect(),
        next_cursor,
    )))
}
