//! The production calendar as data (issue 15): the administrator lists the years the calendar
//! knows with their status, and uploads a year in the JSON format of the bundled file
//! (`{"years": {"2027": {...}}}`). The domain checks it (`domain::check_calendar_upload`): a
//! refusal names the field and nothing is saved. An upload is a version with its editor and time,
//! written to the audit log, and applies at once on every replica (`CalendarStore`). Deadlines
//! already given to complaints do not move; new ones are counted on the new calendar.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Whether a year's data is backed by a government resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalendarYearStatus {
    Confirmed,
    /// Marked `"UNCONFIRMED"`: a forecast until the resolution is published and uploaded.
    Unconfirmed,
}

/// Where the year in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalendarYearOrigin {
    /// Compiled into the server (or laid over it by `APP_CALENDAR_FILE`).
    Compiled,
    /// Uploaded by an administrator.
    Uploaded,
}

/// The upload a year comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarUploadDto {
    /// The upload's number, counted across all years.
    pub version: i32,
    pub year: i32,
    pub editor_id: Uuid,
    pub editor_login: String,
    pub uploaded_at: DateTime<Utc>,
    pub status: CalendarYearStatus,
}

/// One year the calendar knows, as in force now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarYearDto {
    #[schema(example = 2027)]
    pub year: i32,
    pub status: CalendarYearStatus,
    pub origin: CalendarYearOrigin,
    /// The upload in force; `null` for a compiled year.
    pub upload: Option<CalendarUploadDto>,
    pub source: String,
    pub days_off_weekdays: BTreeSet<NaiveDate>,
    pub working_weekends: BTreeSet<NaiveDate>,
    pub shortened: BTreeSet<NaiveDate>,
}

/// The years the calendar knows and every upload.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarOverview {
    /// Ascending by year. A year missing here counts Monday–Friday as working days.
    pub years: Vec<CalendarYearDto>,
    /// Every upload, newest first.
    pub uploads: Vec<CalendarUploadDto>,
}

/// One year of the production calendar, as in the bundled file.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)] // documents the body; the handler reads it as JSON to name each bad field
pub struct CalendarYearBody {
    /// Monday–Friday dates that are days off (holidays and days off moved onto weekdays).
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["2027-01-01"]))]
    pub days_off_weekdays: Vec<String>,
    /// Saturday/Sunday dates that are working days.
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["2027-11-06"]))]
    pub working_weekends: Vec<String>,
    /// Shortened pre-holiday working days.
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["2027-02-20"]))]
    pub shortened: Vec<String>,
    /// Where the data comes from (the government resolution).
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "ПП РФ от 01.09.2026 № 1000"
    )]
    pub source: String,
    /// `"UNCONFIRMED"` while no resolution backs the year; `"CONFIRMED"` or absent otherwise.
    #[schema(example = "CONFIRMED")]
    pub status: Option<String>,
}

/// An upload: exactly one year, the one of the path. Other top-level keys (e.g. `about`) are
/// ignored, so the bundled file cut down to one year uploads as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CalendarUploadBody {
    #[schema(example = json!({"2027": {"days_off_weekdays": ["2027-01-01"], "working_weekends": [], "shortened": [], "source": "ПП РФ"}}))]
    pub years: BTreeMap<String, CalendarYearBody>,
}

fn status(year: &domain::YearCalendar) -> CalendarYearStatus {
    if year.is_confirmed() {
        CalendarYearStatus::Confirmed
    } else {
        CalendarYearStatus::Unconfirmed
    }
}

fn upload_dto(u: &persistence::calendar::CalendarUpload) -> CalendarUploadDto {
    CalendarUploadDto {
        version: u.version,
        year: u.year,
        editor_id: u.editor_id,
        editor_login: u.editor_login.clone(),
        uploaded_at: u.created_at,
        status: status(&u.data),
    }
}

async fn overview(state: &AppState) -> Result<CalendarOverview, ApiError> {
    let (calendar, uploads) = state.calendar.with_uploads(&state.db).await?;
    let latest: BTreeMap<i32, &persistence::calendar::CalendarUpload> =
        uploads.iter().map(|u| (u.year, u)).collect();
    let years = calendar
        .years()
        .into_iter()
        .filter_map(|y| calendar.year(y).map(|data| (y, data)))
        .map(|(year, data)| {
            let upload = latest.get(&year).map(|u| upload_dto(u));
            CalendarYearDto {
                year,
                status: status(data),
                origin: if upload.is_some() {
                    CalendarYearOrigin::Uploaded
                } else {
                    CalendarYearOrigin::Compiled
                },
                upload,
                source: data.source.clone(),
                days_off_weekdays: data.days_off_weekdays.clone(),
                working_weekends: data.working_weekends.clone(),
                shortened: data.shortened.clone(),
            }
        })
        .collect();
    Ok(CalendarOverview {
        years,
        uploads: uploads.iter().rev().map(upload_dto).collect(),
    })
}

/// The years of the production calendar with their status (confirmed or not, compiled or
/// uploaded) and every upload.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The years in force and every upload", body = CalendarOverview),
        (status = 401, description = "Not signed in (`unauthorized`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/calendar")]
pub async fn get_calendar(
    state: web::Data<AppState>,
    _caller: Admin,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(overview(&state).await?))
}

/// Uploads one year of the production calendar, replacing the compiled or earlier uploaded
/// data of that year on every replica at once; written to the audit log. Deadlines already given
/// do not move.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("year" = i32, Path, description = "The year uploaded (2000–2100)", example = 2027)),
    request_body = CalendarUploadBody,
    responses(
        (status = 200, description = "Saved; the years in force and every upload", body = CalendarOverview),
        (status = 400, description = "A malformed body (`bad_request`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The year is not a number (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another upload was saved at the same moment (`conflict`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A year other than the path's, a date outside the year or listed twice, a working weekend day that is not a Saturday or Sunday, a weekday day off on a weekend, … (`validation_failed`, naming each field, e.g. `years.2027.working_weekends[3]`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/admin/calendar/{year}")]
pub async fn upload_calendar_year(
    state: web::Data<AppState>,
    caller: Admin,
    year: web::Path<i32>,
    body: crate::dto::JsonObject<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let year = year.into_inner();
    let data =
        domain::check_calendar_upload(year, &body.into_inner()).map_err(ApiError::validation)?;
    let editor = persistence::users::find_by_id(&state.db, caller.id())
        .await?
        .ok_or_else(ApiError::not_found)?;
    persistence::calendar::create(
        &state.db,
        year,
        &data,
        (editor.id, editor.login),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(overview(&state).await?))
}
