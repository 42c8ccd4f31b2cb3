//! What anyone may see without signing in: how each management company performs, the city's
//! totals, and an anonymised list of complaints (no names, phones, flats or descriptions).

use std::time::{Duration, Instant};

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use persistence::complaints::{ComplaintRecord, Cursor, ListQuery, Sort};

use super::complaints::list::parse_statuses;
use crate::dto::Page;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

/// How long a computed scorecard is served at least before it is computed again. The figures come
/// from counters the database keeps with each change (O(companies) rows to read), so a replica's
/// copy is at most this old, whatever the size of the history.
const SCORECARD_TTL: Duration = Duration::from_secs(2);
/// A scorecard is also served at least this many times as long as it took to compute, so that a
/// slow database is never kept busy more than a tenth of the time by this page.
const SCORECARD_COST_FACTOR: u32 = 10;

/// One management company's record. Rates are `null` below the minimum volume, so that one
/// quick case cannot top the table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyScoreDto {
    pub company_id: Uuid,
    #[schema(example = "ООО «УК Северный город»")]
    pub company_name: String,
    /// Whether the company received enough complaints for its rates to be published.
    pub published: bool,
    pub received: u32,
    pub open: u32,
    pub closed: u32,
    pub overdue: u32,
    /// Share of "done" reports made on time, %.
    pub on_time_pct: Option<f64>,
    /// Complaints that needed a repeat round, %.
    pub reopened_pct: Option<f64>,
    /// Verified results the resident was satisfied with, %.
    pub satisfied_pct: Option<f64>,
    pub inspections: u32,
    pub orders: u32,
    pub fines: u32,
    pub fines_total_rub: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CityTotals {
    pub received: u32,
    pub open: u32,
    pub closed: u32,
    pub overdue: u32,
    pub inspections: u32,
    pub orders: u32,
    pub fines: u32,
    pub fines_total_rub: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Scorecard {
    pub companies: Vec<CompanyScoreDto>,
    pub city: CityTotals,
    /// Complaints a company must have received before its rates are published.
    pub min_volume: u32,
    pub generated_at: DateTime<Utc>,
    /// `true` while pilot mode runs: the figures include the pilot's test data and must be
    /// shown labelled as such. Once pilot mode is off, test data is left out and this is `false`.
    pub test_data: bool,
    /// Per company and legal clock (localise, check, answer, fix): met on time and missed.
    pub clocks: Vec<super::complaints::clocks::CompanyClockScore>,
}

/// The last computed scorecard. Requests never compute it while one is there: a stale one is
/// served and refreshed in the background, and only one computation runs at a time.
#[derive(Default)]
pub struct ScorecardCache {
    current: std::sync::RwLock<Option<Computed>>,
    computing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Computed {
    card: std::sync::Arc<Scorecard>,
    at: Instant,
    took: Duration,
}

impl Computed {
    fn is_fresh(&self) -> bool {
        self.at.elapsed() < SCORECARD_TTL.max(self.took * SCORECARD_COST_FACTOR)
    }
}

impl ScorecardCache {
    /// Forgets the computed scorecard, so that the next request computes it afresh (after a
    /// purge of test data).
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.current.write() {
            *guard = None;
        }
    }

    fn cached(&self) -> Option<Computed> {
        self.current.read().ok().and_then(|guard| guard.clone())
    }

    /// Computes and stores a fresh scorecard, unless another computation is under way or has just
    /// finished.
    pub async fn refresh(&self, state: &AppState) -> Result<std::sync::Arc<Scorecard>, ApiError> {
        let _only_one = self.computing.lock().await;
        if let Some(computed) = self.cached().filter(Computed::is_fresh) {
            return Ok(computed.card);
        }
        let started = Instant::now();
        let card = std::sync::Arc::new(compute(state).await?);
        state.metrics.scorecard_computed();
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(Computed {
                card: card.clone(),
                at: Instant::now(),
                took: started.elapsed(),
            });
        }
        Ok(card)
    }

    /// [`ScorecardCache::refresh`] without waiting for it. A failure is logged and the last
    /// scorecard stays.
    pub fn refresh_in_background(cache: web::Data<Self>, state: web::Data<AppState>) {
        tokio::spawn(async move {
            if let Err(e) = cache.refresh(&state).await {
                tracing::warn!(error = %e, "scorecard refresh failed");
            }
        });
    }
}

/// Each management company's record and the city's totals, read from counters kept in the same
/// transaction as each change; a replica serves its copy for up to 2 s. `generated_at` says when.
#[utoipa::path(
    operation_id = "get_scorecard",
    tag = "public",
    responses((status = 200, body = Scorecard))
)]
#[get("/public/scorecard")]
pub async fn scorecard(
    state: web::Data<AppState>,
    cache: web::Data<ScorecardCache>,
) -> Result<HttpResponse, ApiError> {
    let card = match cache.cached() {
        Some(computed) => {
            if !computed.is_fresh() && cache.computing.try_lock().is_ok() {
                ScorecardCache::refresh_in_background(cache.clone(), state.clone());
            }
            computed.card
        }
        None => cache.refresh(&state).await?,
    };
    Ok(HttpResponse::Ok().json(card.as_ref()))
}

async fn compute(state: &AppState) -> Result<Scorecard, ApiError> {
    let now = Utc::now();
    let min_volume = state
        .policy
        .policy(&state.db, now)
        .await?
        .scorecard_min_volume;
    let include_test = domain::public_includes_test_data(state.config.pilot_mode);
    let computed = state
        .reads
        .run(|db| persistence::complaints::scorecard(db, now, min_volume, include_test))
        .await?;
    let scores = computed.scores;
    let organisations = state
        .reads
        .run(persistence::registry::organisations)
        .await?;
    let companies: Vec<CompanyScoreDto> = organisations
        .iter()
        .filter(|o| o.kind == domain::OrganisationKind::ManagementCompany)
        .map(|o| {
            let s = scores.iter().find(|s| s.company_id == o.id);
            CompanyScoreDto {
                company_id: o.id,
                company_name: o.name.clone(),
                published: s.is_some_and(|s| s.published),
                received: s.map_or(0, |s| s.received),
                open: s.map_or(0, |s| s.open),
                closed: s.map_or(0, |s| s.closed),
                overdue: s.map_or(0, |s| s.overdue),
                on_time_pct: s.and_then(|s| s.on_time_pct),
                reopened_pct: s.and_then(|s| s.reopened_pct),
                satisfied_pct: s.and_then(|s| s.satisfied_pct),
                inspections: s.map_or(0, |s| s.inspections),
                orders: s.map_or(0, |s| s.orders),
                fines: s.map_or(0, |s| s.fines),
                fines_total_rub: s.map_or(0, |s| s.fines_total_rub),
            }
        })
        .collect();
    let sum = |f: fn(&CompanyScoreDto) -> u32| companies.iter().map(f).sum::<u32>();
    let city = CityTotals {
        received: computed.received,
        open: computed.open,
        closed: computed.closed,
        overdue: computed.overdue,
        inspections: sum(|c| c.inspections),
        orders: sum(|c| c.orders),
        fines: sum(|c| c.fines),
        fines_total_rub: companies.iter().map(|c| c.fines_total_rub).sum(),
    };
    let clocks = state
        .reads
        .run(|db| persistence::complaints::clock_counts(db, include_test))
        .await?;
    Ok(Scorecard {
        companies,
        city,
        min_volume,
        generated_at: now,
        test_data: include_test,
        clocks: super::complaints::clocks::CompanyClockScore::from_counts(clocks),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PublicListParams {
    /// Comma-separated statuses.
    #[param(
        example = "registered,in_progress",
        max_length = 200,
        pattern = "^((registered|in_progress|awaiting_verification|needs_routing|under_inspection|closed|closed_unconfirmed|withdrawn|rejected)(,(registered|in_progress|awaiting_verification|needs_routing|under_inspection|closed|closed_unconfirmed|withdrawn|rejected))*)?$"
    )]
    pub status: Option<String>,
    pub company_id: Option<Uuid>,
    #[param(max_length = 100)]
    pub district: Option<String>,
    /// `next_cursor` of the previous page: the number of its last complaint (a position in
    /// time would give away the exact time the public list rounds to the day). A number that is
    /// no complaint gives an empty page.
    #[param(
        // Eight letters, a dash, four digits, a dash and seven digits at most.
        max_length = 21,
        // Empty: the first page, as when it is absent.
        pattern = "^([А-ЯЁ]{1,8}-[0-9]{4}-[0-9]{6,7})?$",
        example = "СУР-2026-000123"
    )]
    pub cursor: Option<String>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// A complaint as the public sees it: where, what kind, who manages the building, how it goes.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicComplaint {
    #[schema(example = "СУР-2026-000123")]
    pub number: String,
    pub status: domain::Status,
    pub round: u32,
    pub overdue: bool,
    pub category_code: String,
    pub category_name_ru: String,
    pub category_name_en: String,
    /// The building's address (never a flat).
    pub address: String,
    pub district: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub company_name: Option<String>,
    /// The day only: the start of the local day (Surgut, 00:00 +05:00), as are `due_at` and
    /// `closed_at`. With the address on show an exact time would point at the people at home.
    pub registered_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Test data of the pilot, to be labelled as such; only listed while pilot mode runs.
    pub test_data: bool,
}

/// Anonymised complaints, newest first, for the public map and list. Complaints marked as test
/// are listed (with `test_data: true`) only while pilot mode runs.
#[utoipa::path(
    operation_id = "list_public_complaints",
    tag = "public",
    params(PublicListParams),
    responses(
        (status = 200, body = Page<PublicComplaint>),
        (status = 400, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/public/complaints")]
pub async fn public_complaints(
    state: web::Data<AppState>,
    params: web::Query<PublicListParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let limit = params.limit.unwrap_or(50);
    if !(1..=200).contains(&limit)
        || params
            .district
            .as_ref()
            .is_some_and(|d| d.chars().count() > 100)
        || params.cursor.as_deref().is_some_and(|c| {
            !c.is_empty()
                && (c.chars().count() > 21
                    || c.trim() != c
                    || !c.split('-').next().is_some_and(|prefix| {
                        prefix.chars().all(|l| ('А'..='Я').contains(&l) || l == 'Ё')
                    })
                    || domain::ComplaintNumber::parse(c).is_err())
        })
    {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "limit must be 1 to 200, district at most 100 characters, and cursor a complaint \
             number (`next_cursor`)"
                .to_owned(),
        ));
    }
    let now = Utc::now();
    let statuses = parse_statuses(params.status.as_deref())?;
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(number) => match state
            .reads
            .run(|db| persistence::complaints::find_by_number(db, number))
            .await?
        {
            Some(last) => Some(Cursor {
                key: last.complaint.registered_at,
                id: last.complaint.id,
            }),
            None => {
                return Ok(HttpResponse::Ok().json(Page::<PublicComplaint> {
                    items: Vec::new(),
                    next_cursor: None,
                }));
            }
        },
    };
    let query = ListQuery {
        statuses,
        company_id: params.company_id,
        district: params.district,
        after,
        sort: Sort::Newest,
        limit,
        include_test: domain::public_includes_test_data(state.config.pilot_mode),
        public_only: true,
        ..ListQuery::new(domain::ComplaintScope::All, now)
    };
    let page = state
        .reads
        .run(|db| persistence::complaints::list(db, &query))
        .await?;
    // The cursor is the last complaint's number, never its time (see `cursor`).
    let next_cursor = page
        .next
        .is_some()
        .then(|| page.items.last().map(|last| last.number.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(Page {
        next_cursor,
        items: page
            .items
            .into_iter()
            .map(|r| PublicComplaint::of(r, now))
            .collect(),
    }))
}

/// Whether the public sees a complaint at all: test-mode data only while the service runs in
/// pilot (test) mode, and never one of a category about one flat.
pub(crate) fn is_public(record: &ComplaintRecord, pilot_mode: bool) -> bool {
    (!record.is_test || domain::public_includes_test_data(pilot_mode))
        && domain::category_is_public(record.category_identifies_occupant)
}

impl PublicComplaint {
    /// A complaint as the public may see it: no names, phones, flats or descriptions. Every
    /// public view of complaints (the list, the map, Open311) is made here.
    pub(crate) fn of(r: ComplaintRecord, now: DateTime<Utc>) -> PublicComplaint {
        PublicComplaint {
            test_data: r.is_test,
            number: r.number,
            status: r.complaint.status,
            round: r.complaint.round,
            overdue: domain::is_overdue(&r.complaint, now),
            category_code: r.complaint.category.code.clone(),
            category_name_ru: r.category_name_ru,
            category_name_en: r.category_name_en,
            address: r.building.address,
            district: r.building.district,
            latitude: r.building.latitude,
            longitude: r.building.longitude,
            company_name: r.company_name,
            registered_at: domain::public_time(r.complaint.registered_at),
            due_at: r.complaint.due_at.map(domain::public_time),
            closed_at: r.closed_at.map(domain::public_time),
        }
    }
}
