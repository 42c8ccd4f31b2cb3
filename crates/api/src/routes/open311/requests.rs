//! Service requests: complaints read as the public sees them, filed by a ТОС office's system.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Duration, Utc};
use utoipa::IntoParams;
use uuid::Uuid;

use persistence::complaints::{ComplaintRecord, ListQuery, Sort};

use super::services::{active_categories, find_category};
use super::wire::{
    CreatedRequest, GeoReportError, ServiceRequest, ServiceRequestsXml, TokenAnswer,
};
use super::{Format, GeoError, answer, document, pairs, raw, value, w3c};
use crate::auth::Caller;
use crate::routes::complaints::create::{FilingInput, Outcome, file};
use crate::routes::public::{PublicComplaint, is_public};
use crate::state::AppState;

/// The longest date range of one query, and the default one (the last 90 days).
const MAX_RANGE_DAYS: i64 = 90;
/// The most requests one answer carries.
const MAX_REQUESTS: u64 = 1000;
/// The most numbers `service_request_id` may list.
const MAX_IDS: usize = 100;

/// The notice on test-mode data.
const TEST_NOTICE: &str =
    "Тестовые данные GeoReport: сервис работает в тестовом режиме (test data)";

/// A complaint as a GeoReport service request, from its public (anonymised) view.
fn service_request(record: ComplaintRecord, now: DateTime<Utc>) -> ServiceRequest {
    let updated_at = record.updated_at;
    let building_id = record.building.id;
    let is_test = record.is_test;
    let public = PublicComplaint::of(record, now);
    let mut notes = capitalised(public.status.name_ru());
    if public.overdue {
        notes.push_str(", срок истёк");
    }
    if public.round > 1 {
        notes.push_str(&format!(", круг {}", public.round));
    }
    ServiceRequest {
        service_request_id: public.number,
        status: if public.status.is_open() {
            "open"
        } else {
            "closed"
        }
        .to_owned(),
        status_notes: Some(notes),
        service_name: public.category_name_ru.clone(),
        service_code: public.category_code,
        description: Some(public.category_name_ru),
        agency_responsible: public.company_name,
        service_notice: is_test.then(|| TEST_NOTICE.to_owned()),
        requested_datetime: w3c(public.registered_at),
        updated_datetime: w3c(domain::public_time(updated_at)),
        expected_datetime: public.due_at.filter(|_| public.status.is_open()).map(w3c),
        address: public.address,
        address_id: building_id.to_string(),
        zipcode: None,
        lat: public.latitude,
        long: public.longitude,
        media_url: None,
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The query of `GET requests`, as documented (the handler reads the query string itself, so
/// that every refusal is a GeoReport error).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RequestsQuery {
    /// Complaint numbers, comma-separated (at most 100); overrides every other parameter.
    #[param(max_length = 3400, example = "СУР-2026-000123")]
    service_request_id: Option<String>,
    /// Service codes, comma-separated.
    #[param(max_length = 1000, example = "roof_leak")]
    service_code: Option<String>,
    /// Earliest `requested_datetime` (W3C date-time). With `end_date`, the range may not span
    /// more than 90 days; without, it is the 90 days from `start_date` (or up to `end_date`, or the
    /// last 90 days).
    start_date: Option<DateTime<Utc>>,
    /// Latest `requested_datetime` (inclusive). To page back, send the oldest
    /// `requested_datetime` of one answer as the next `end_date`.
    end_date: Option<DateTime<Utc>>,
    /// `open`, `closed` or both, comma-separated.
    #[param(pattern = "^(open|closed)(,(open|closed))*$")]
    status: Option<String>,
    /// Accepted and ignored: this endpoint serves one jurisdiction.
    #[param(max_length = 200)]
    jurisdiction_id: Option<String>,
}

fn date(pairs: &[(String, String)], name: &str) -> Result<Option<DateTime<Utc>>, GeoError> {
    raw(pairs, name)
        .map(|text| {
            DateTime::parse_from_rfc3339(text)
                .map(|at| at.with_timezone(&Utc))
                .map_err(|_| {
                    GeoError::bad_request(format!(
                        "{name}: expected a W3C date-time such as 2026-12-01T00:00:00Z"
                    ))
                })
        })
        .transpose()
}

/// The range `[start, end]` a query asks for: at most 90 days, the last 90 by default.
fn range(
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), GeoError> {
    let span = Duration::days(MAX_RANGE_DAYS);
    let out_of_range = || GeoError::bad_request("start_date/end_date: out of range");
    let (start, end) = match (start, end) {
        (Some(start), Some(end)) => (start, end),
        (Some(start), None) => (
            start,
            start.checked_add_signed(span).ok_or_else(out_of_range)?,
        ),
        (None, Some(end)) => (end.checked_sub_signed(span).ok_or_else(out_of_range)?, end),
        (None, None) => (now - span, now),
    };
    if start > end {
        return Err(GeoError::bad_request(
            "start_date/end_date: start_date is after end_date",
        ));
    }
    if end - start > span {
        return Err(GeoError::bad_request(format!(
            "start_date/end_date: the range may not span more than {MAX_RANGE_DAYS} days"
        )));
    }
    Ok((start, end))
}

fn statuses(text: Option<&str>) -> Result<Vec<domain::Status>, GeoError> {
    let (mut open, mut closed) = (false, false);
    // As the schema's pattern has it: no blanks, no empty items.
    for word in text.map(|text| text.split(',')).into_iter().flatten() {
        match word {
            "open" => open = true,
            "closed" => closed = true,
            other => {
                return Err(GeoError::bad_request(format!(
                    "status: {other:?} is neither open nor closed"
                )));
            }
        }
    }
    Ok(if open == closed {
        Vec::new()
    } else {
        domain::Status::all()
            .filter(|s| s.is_open() == open)
            .collect()
    })
}

fn list(text: Option<&str>) -> Vec<String> {
    let mut items: Vec<String> = text
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    items.dedup();
    items
}

/// Service requests, newest first, at most 1000: by number, or by service, date range (the last
/// 90 days by default, at most 90) and status. Test-mode data is marked in `service_notice`, and
/// shown only while the service runs in test mode.
#[utoipa::path(
    operation_id = "open311_requests",
    tag = "Open311",
    params(("format" = inline(Format), Path, description = "`json` or `xml`"), RequestsQuery),
    responses(
        (status = 200, description = "The requests", content((Vec<ServiceRequest> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A malformed parameter or date range", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "An unknown service_code", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 503, description = "The database is unavailable; retry", content((Vec<GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[get("/requests.{format}")]
pub async fn open311_requests(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    answer(format, requests(&req, &state, format).await)
}

async fn requests(
    req: &HttpRequest,
    state: &AppState,
    format: Format,
) -> Result<HttpResponse, GeoError> {
    let query = pairs(req.query_string().as_bytes(), "the query")?;
    for (name, max) in [
        ("service_request_id", 3400),
        ("service_code", 1000),
        ("jurisdiction_id", 200),
    ] {
        too_long(&query, name, max)?;
    }
    let now = Utc::now();
    let numbers = list(value(&query, "service_request_id"));
    // Every parameter is checked, also those a list of numbers makes moot: a malformed one is a
    // mistake of the caller's either way.
    let (start, end) = range(date(&query, "start_date")?, date(&query, "end_date")?, now)?;
    let statuses = statuses(raw(&query, "status"))?;
    let mut list_query = ListQuery {
        sort: Sort::Newest,
        limit: MAX_REQUESTS,
        include_test: domain::public_includes_test_data(state.config.pilot_mode),
        public_only: true,
        ..ListQuery::new(domain::ComplaintScope::All, now)
    };
    if numbers.is_empty() {
        list_query.registered_from = Some(start);
        list_query.registered_to = end.checked_add_signed(Duration::microseconds(1));
        list_query.statuses = statuses;
        let codes = list(value(&query, "service_code"));
        if !codes.is_empty() {
            let active = active_categories(state).await?;
            for code in codes {
                list_query
                    .category_ids
                    .push(find_category(&active, &code)?.category.id);
            }
        }
    } else {
        if numbers.len() > MAX_IDS {
            return Err(GeoError::bad_request(format!(
                "service_request_id: at most {MAX_IDS} numbers at once"
            )));
        }
        list_query.numbers = numbers;
    }
    // A search may be a moment behind (the read replica); asking for given numbers, as a client
    // does right after posting, reads the primary.
    let page = if list_query.numbers.is_empty() {
        let query = &list_query;
        state
            .reads
            .run(|db| persistence::complaints::list(db, query))
            .await?
    } else {
        persistence::complaints::list(&state.db, &list_query).await?
    };
    let requests: Vec<ServiceRequest> = page
        .items
        .into_iter()
        .filter(|r| is_public(r, state.config.pilot_mode))
        .map(|r| service_request(r, now))
        .collect();
    document(
        StatusCode::OK,
        format,
        &requests,
        &ServiceRequestsXml { request: &requests },
    )
}

/// One service request by its number (as a list of one, as GeoReport has it).
#[utoipa::path(
    operation_id = "open311_request",
    tag = "Open311",
    params(
        ("service_request_id" = String, Path, description = "The complaint's number", max_length = 32, example = "СУР-2026-000123"),
        ("format" = inline(Format), Path, description = "`json` or `xml`")
    ),
    responses(
        (status = 200, description = "The request", content((Vec<ServiceRequest> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "Not .json or .xml", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such request", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 503, description = "The database is unavailable; retry", content((Vec<GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[get("/requests/{service_request_id}.{format}")]
pub async fn open311_request(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    let number = req
        .match_info()
        .get("service_request_id")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let result = async {
        let now = Utc::now();
        let found = persistence::complaints::find_by_number(&state.db, &number)
            .await?
            .filter(|r| is_public(r, state.config.pilot_mode))
            .ok_or_else(|| {
                GeoError::not_found(format!("service_request_id: no request {number:?}"))
            })?;
        let requests = [service_request(found, now)];
        document(
            StatusCode::OK,
            format,
            &requests,
            &ServiceRequestsXml { request: &requests },
        )
    }
    .await;
    answer(format, result)
}

/// The request a token (given when it was filed) stands for.
#[utoipa::path(
    operation_id = "open311_token",
    tag = "Open311",
    params(
        ("token" = String, Path, description = "A token from a POST answer", max_length = 64),
        ("format" = inline(Format), Path, description = "`json` or `xml`")
    ),
    responses(
        (status = 200, description = "The request's number", content((Vec<TokenAnswer> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "Not .json or .xml", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No such token", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 503, description = "The database is unavailable; retry", content((Vec<GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[get("/tokens/{token}.{format}")]
pub async fn open311_token(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    let token = req.match_info().get("token").unwrap_or_default().to_owned();
    let result = async {
        let unknown = || GeoError::not_found(format!("token: no request has the token {token:?}"));
        let id = Uuid::try_parse(&token).map_err(|_| unknown())?;
        let found = persistence::complaints::find(&state.db, id)
            .await?
            .filter(|r| is_public(r, state.config.pilot_mode))
            .ok_or_else(unknown)?;
        let answers = [TokenAnswer {
            service_request_id: found.number,
            token: token.clone(),
        }];
        document(
            StatusCode::OK,
            format,
            &answers,
            &ServiceRequestsXml { request: &answers },
        )
    }
    .await;
    answer(format, result)
}

/// The form of `POST requests` (`application/x-www-form-urlencoded`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewServiceRequest {
    /// An API key of a ТОС office with the scope `complaints:file`.
    #[schema(max_length = 200)]
    api_key: String,
    #[schema(max_length = 64, example = "roof_leak")]
    service_code: String,
    /// With `long`: the nearest registered building within reach (150 m by default).
    #[schema(minimum = -90.0, maximum = 90.0)]
    lat: Option<f64>,
    #[schema(minimum = -180.0, maximum = 180.0)]
    long: Option<f64>,
    /// The building's address as in the registry.
    #[schema(max_length = 300)]
    address_string: Option<String>,
    /// The building's id in the registry.
    #[schema(max_length = 64)]
    address_id: Option<String>,
    /// The applicant's first and last name (at least one).
    #[schema(max_length = 100)]
    first_name: Option<String>,
    #[schema(max_length = 100)]
    last_name: Option<String>,
    /// For the SMS receipt with the number and a PIN; any common Russian format.
    #[schema(max_length = 32)]
    phone: Option<String>,
    /// Kept with the complaint for the staff; never public.
    #[schema(max_length = 254)]
    email: Option<String>,
    /// The applicant's words (never public).
    #[schema(max_length = 4000)]
    description: Option<String>,
    /// A photo's address, kept with the complaint for the staff; never public.
    #[schema(max_length = 2000)]
    media_url: Option<String>,
    /// Accepted and ignored.
    #[schema(max_length = 200)]
    jurisdiction_id: Option<String>,
    #[schema(max_length = 200)]
    device_id: Option<String>,
    #[schema(max_length = 200)]
    account_id: Option<String>,
}

/// Files a service request for a person, with a ТОС office's API key (scope `complaints:file`):
/// the same rules as a clerk's intake (the person's consent, stated by the partner, is recorded
/// with the current consent version). The location is `lat`/`long` (the nearest registered
/// building within reach), `address_id` or `address_string`. The answer gives the number at once.
#[utoipa::path(
    operation_id = "open311_create_request",
    tag = "Open311",
    params(("format" = inline(Format), Path, description = "`json` or `xml`")),
    request_body(content = NewServiceRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 201, description = "Filed", content((Vec<CreatedRequest> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "A missing or malformed field, or no building at the location", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 403, description = "A missing or invalid api_key, or one that may not file", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "An unknown service_code", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 429, description = "A limit of the key or of filing; see Retry-After", content((Vec<GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 503, description = "The database is unavailable; retry", content((Vec<GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[post("/requests.{format}")]
pub async fn open311_create_request(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    answer(format, create(&req, &state, &body, format).await)
}

fn too_long(form: &[(String, String)], name: &str, max: usize) -> Result<(), GeoError> {
    if raw(form, name).is_some_and(|v| v.chars().count() > max) {
        return Err(GeoError::bad_request(format!(
            "{name}: at most {max} characters"
        )));
    }
    Ok(())
}

fn number(form: &[(String, String)], name: &str) -> Result<Option<f64>, GeoError> {
    value(form, name)
        .map(|text| {
            text.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| GeoError::bad_request(format!("{name}: expected a number")))
        })
        .transpose()
}

async fn create(
    req: &HttpRequest,
    state: &AppState,
    body: &[u8],
    format: Format,
) -> Result<HttpResponse, GeoError> {
    let form = pairs(body, "the body")?;
    let forbidden = |why: &str| GeoError::new(StatusCode::FORBIDDEN, why.to_owned());
    let key =
        value(&form, "api_key").ok_or_else(|| forbidden("api_key: required to file a request"))?;
    if key.len() > 200 {
        return Err(forbidden("api_key: invalid"));
    }
    let caller = Caller::from_api_key(req, key).await?;
    for (name, max) in [
        ("service_code", 64),
        ("address_string", 300),
        ("address_id", 64),
        ("first_name", 100),
        ("last_name", 100),
        ("phone", 32),
        ("email", 254),
        ("description", 4000),
        ("media_url", 2000),
    ] {
        too_long(&form, name, max)?;
    }
    let code = value(&form, "service_code")
        .ok_or_else(|| GeoError::bad_request("service_code: required"))?;
    let category = find_category(&active_categories(state).await?, code)?.clone();
    let building = location(state, &form).await?;

    let name = [value(&form, "first_name"), value(&form, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let phone = value(&form, "phone")
        .map(domain::PhoneNumber::parse)
        .transpose()
        .map_err(|e| e.for_field("phone"))?;
    let media_url = value(&form, "media_url");
    if media_url.is_some_and(|url| !(url.starts_with("https://") || url.starts_with("http://"))) {
        return Err(GeoError::bad_request(
            "media_url: expected an http(s) address",
        ));
    }
    let email = value(&form, "email");
    if email.is_some_and(|e| !e.contains('@')) {
        return Err(GeoError::bad_request("email: expected an e-mail address"));
    }
    // The applicant's words, with what GeoReport carries beside them and this service keeps with
    // the complaint (for the staff only: none of it is public).
    let mut description = value(&form, "description")
        .unwrap_or(category.name_ru.as_str())
        .to_owned();
    if let Some(email) = email {
        description.push_str(&format!("\nE-mail: {email}"));
    }
    if let Some(url) = media_url {
        description.push_str(&format!("\nФото: {url}"));
    }
    let input = FilingInput {
        building,
        category,
        flat: None,
        description,
        applicant: Some(domain::Applicant {
            name,
            phone,
            consent: domain::Consent::stated_by_partner(),
        }),
    };
    let now = Utc::now();
    let outcome = file(state, &caller.actor, input, None, now, |filed| {
        Ok((
            (filed.record.number, filed.record.complaint.id),
            String::new(),
        ))
    })
    .await?;
    let Outcome::Created(((number, id), _)) = outcome else {
        return Err(GeoError::from(crate::error::ApiError::internal(
            "a filing without an idempotency key was replayed",
        )));
    };
    let created = [CreatedRequest {
        service_notice: format!("Жалоба зарегистрирована под номером {number}."),
        service_request_id: number,
        token: id.to_string(),
    }];
    document(
        StatusCode::CREATED,
        format,
        &created,
        &ServiceRequestsXml { request: &created },
    )
}

/// The building a request is about: `address_id`, else `lat`/`long` (the nearest registered
/// building within reach), else `address_string`.
async fn location(
    state: &AppState,
    form: &[(String, String)],
) -> Result<persistence::registry::BuildingRecord, GeoError> {
    let db = &state.db;
    let point = (number(form, "lat")?, number(form, "long")?);
    if let Some(id) = value(form, "address_id") {
        let unknown =
            || GeoError::bad_request(format!("address_id: no building {id:?} in the registry"));
        let id = Uuid::try_parse(id).map_err(|_| unknown())?;
        return persistence::registry::building(db, id)
            .await?
            .ok_or_else(unknown);
    }
    match point {
        (Some(lat), Some(lon)) => {
            let point = domain::GeoPoint::new(lat, lon)?;
            let reach = f64::from(state.config.open311_max_distance_m);
            let candidates =
                persistence::registry::buildings_within(db, point.box_around(reach), 500).await?;
            let nearest = domain::nearest_within(
                point,
                reach,
                candidates.into_iter().map(|b| {
                    let at = b
                        .latitude
                        .zip(b.longitude)
                        .and_then(|(lat, lon)| domain::GeoPoint::new(lat, lon).ok());
                    (b, at)
                }),
            );
            return nearest.map(|(building, _)| building).ok_or_else(|| {
                GeoError::bad_request(format!(
                    "lat/long: no registered building within {} m of {lat}, {lon}; send address_string or address_id",
                    state.config.open311_max_distance_m
                ))
            });
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(GeoError::bad_request("lat/long: send both, or neither"));
        }
        (None, None) => {}
    }
    let Some(address) = value(form, "address_string") else {
        return Err(GeoError::bad_request(
            "location: send lat and long, address_string or address_id",
        ));
    };
    let found = persistence::registry::search_buildings(db, address, 50).await?;
    let wanted = persistence::registry::address_key(address);
    let exact: Vec<_> = found
        .iter()
        .filter(|b| persistence::registry::address_key(&b.address) == wanted)
        .cloned()
        .collect();
    let candidates = if exact.is_empty() { found } else { exact };
    match <[_; 1]>::try_from(candidates) {
        Ok([one]) => Ok(one),
        Err(none) if none.is_empty() => Err(GeoError::bad_request(format!(
            "address_string: no building of the registry matches {address:?}"
        ))),
        _ => Err(GeoError::bad_request(format!(
            "address_string: {address:?} matches several buildings; send the full address or address_id"
        ))),
    }
}
