//! The CSV import of buildings: a file as Excel or a spreadsheet saves it, checked row by row.
//! Valid rows go in together in one transaction; invalid rows are reported and skipped.

mod rows;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use persistence::registry::address_key;

use crate::auth::Admin;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;
use rows::parse_file;

/// The largest file accepted: 2 MiB.
pub const CSV_LIMIT_BYTES: usize = 2 * 1024 * 1024;
/// A larger body is still read (and dropped) up to this size, so that the client, which is
/// still sending, gets the 413 instead of a reset connection.
const DRAIN_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// The columns, in the order of the template.
pub const COLUMNS: [&str; 6] = [
    "address",
    "district",
    "fias_id",
    "latitude",
    "longitude",
    "company_inn",
];
const REQUIRED_COLUMNS: [&str; 2] = ["address", "district"];

/// What the import did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "imported": 2,
    "rejected": [
        {"line": 3, "errors": ["latitude: must be -90 to 90"]},
        {"line": 5, "errors": ["address: already in the registry"]}
    ]
}))]
pub struct ImportReport {
    /// Buildings added.
    pub imported: usize,
    /// Rows skipped, each with what is wrong with it.
    pub rejected: Vec<RejectedRow>,
}

/// A row that was not imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRow {
    /// The line of the file where the row starts; the header is line 1.
    #[schema(example = 3)]
    pub line: usize,
    /// `field: message`, one per problem.
    pub errors: Vec<String>,
}

/// Imports buildings from a CSV file.
///
/// Send the file as the body with `Content-Type: text/csv`, in UTF-8 with or without a BOM, at
/// most 2 MiB. The first row is the header `address,district,fias_id,latitude,longitude,company_inn`
/// (any order; `address` and `district` are required, the others may be left out). Fields are
/// separated by commas, or by semicolons as Excel saves them in Russia: the separator is taken
/// from the header. Fields may be quoted (`"..."`, with `""` for a quote); coordinates may use a
/// decimal comma. `company_inn` names a management company by its ИНН; a building with one gets
/// its management period from now.
///
/// A row is rejected when a field is invalid, the company is unknown, or the address (compared
/// without regard to case) is already in the registry or earlier in the file. The valid rows are
/// inserted in one transaction.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(
        content = String,
        content_type = "text/csv",
        description = "The file; the first row is the header",
        example = "address;district;fias_id;latitude;longitude;company_inn\n\"г. Сургут, улица Республики, д. 75\";Центральный;;61,2551;73,3844;8602000001\n"
    ),
    responses(
        (status = 200, description = "The report: how many were imported, and which rows were not and why", body = ImportReport),
        (status = 422, description = "No header row, an unknown or missing column, or not UTF-8 (`malformed_csv`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 2 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `text/csv`, or a charset other than UTF-8 (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/buildings/import")]
pub async fn import_buildings(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Admin,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    check_content_type(&req)?;
    let body = read_capped(payload).await?;
    let text = decode(&body)?;
    let file = parse_file(text)?;

    let known = persistence::registry::address_keys(&state.db).await?;
    let companies = persistence::registry::management_companies_by_inn(&state.db).await?;
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    for record in file.records {
        match file
            .columns
            .check(&record, &companies, state.config.pilot_mode)
        {
            Ok(building) => {
                let key = address_key(&building.address);
                if let Some(first) = first_line_of.get(&key) {
                    rejected.push(RejectedRow {
                        line: record.line,
                        errors: vec![format!("address: the same as on line {first}")],
                    });
                } else if known.contains_key(&key) {
                    rejected.push(RejectedRow {
                        line: record.line,
                        errors: vec!["address: already in the registry".to_owned()],
                    });
                } else {
                    first_line_of.insert(key, record.line);
                    accepted.push(building);
                }
            }
            Err(errors) => rejected.push(RejectedRow {
                line: record.line,
                errors,
            }),
        }
    }
    let imported = if accepted.is_empty() {
        0
    } else {
        persistence::registry::import_buildings(&state.db, accepted, caller.id(), Utc::now())
            .await?
    };
    Ok(HttpResponse::Ok().json(ImportReport { imported, rejected }))
}

fn check_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    let unsupported = || {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the file as text/csv in UTF-8 (in Excel: «CSV UTF-8»).".to_owned(),
        )
    };
    let value = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(unsupported)?;
    let mut parts = value.split(';').map(str::trim);
    if !parts
        .next()
        .is_some_and(|mime| mime.eq_ignore_ascii_case("text/csv"))
    {
        return Err(unsupported());
    }
    for param in parts {
        if let Some((name, charset)) = param.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
        {
            let charset = charset.trim().trim_matches('"');
            if !charset.eq_ignore_ascii_case("utf-8") && !charset.eq_ignore_ascii_case("utf8") {
                return Err(unsupported());
            }
        }
    }
    Ok(())
}

/// Reads the body up to [`CSV_LIMIT_BYTES`]; a larger one is 413 once it has been read off.
async fn read_capped(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(
                ErrorCode::MalformedCsv,
                format!("The body could not be read: {e}"),
            )
        })?;
        seen = seen.saturating_add(chunk.len());
        if seen > DRAIN_LIMIT_BYTES {
            return Err(ApiError::of(ErrorCode::PayloadTooLarge));
        }
        if seen <= CSV_LIMIT_BYTES {
            body.extend_from_slice(&chunk);
        }
    }
    if seen > CSV_LIMIT_BYTES {
        return Err(ApiError::of(ErrorCode::PayloadTooLarge));
    }
    Ok(body)
}

/// A file that is text but not the expected table: 422, since the body itself arrived intact.
fn malformed(detail: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::MalformedCsv, detail.into())
}

/// UTF-8 text without its BOM.
fn decode(body: &[u8]) -> Result<&str, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        malformed("The file is not UTF-8; save it as «CSV UTF-8» (Excel) or choose UTF-8 encoding.")
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}
