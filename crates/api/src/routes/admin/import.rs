//! The CSV import of buildings: a file as Excel or a spreadsheet saves it, checked row by row.
//! Valid rows go in together in one transaction; invalid rows are reported and skipped.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use persistence::registry::{NewBuilding, address_key};

use super::{normalise_fias_id, validate_fias_id, validate_inn};
use crate::auth::Admin;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::state::AppState;

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
        (status = 401, description = "Missing or invalid token (`missing_token`, `invalid_token`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 2 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `text/csv`, or a charset other than UTF-8 (`unsupported_media_type`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable (`service_unavailable`)", body = Problem, content_type = "application/problem+json")
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

/// One row of the file and the line where it starts.
#[derive(Debug, PartialEq)]
struct Record {
    line: usize,
    fields: Vec<String>,
    /// The row ends inside a quoted field.
    unterminated: bool,
}

/// Splits CSV text into rows (RFC 4180: quoted fields may hold the separator, line breaks and
/// `""`). Rows with nothing but white space and separators are skipped.
fn parse_records(text: &str, separator: char) -> Vec<Record> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut field_started = false;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    let mut finish = |fields: &mut Vec<String>, record_line: usize, unterminated: bool| {
        // Blank lines, and the rows of separators only that spreadsheets leave at the end.
        let blank = fields.iter().all(|f| f.trim().is_empty());
        if !blank {
            records.push(Record {
                line: record_line,
                fields: std::mem::take(fields),
                unterminated,
            });
        }
        fields.clear();
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if !field_started => {
                quoted = true;
                field_started = true;
            }
            c if c == separator => {
                fields.push(std::mem::take(&mut field));
                field_started = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                field_started = false;
                finish(&mut fields, record_line, false);
                line += 1;
                record_line = line;
            }
            other => {
                if !other.is_whitespace() {
                    field_started = true;
                }
                field.push(other);
            }
        }
    }
    if quoted || !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        finish(&mut fields, record_line, quoted);
    }
    records
}

/// The separator of the file: a semicolon when the header has more of them than commas.
fn detect_separator(header_line: &str) -> char {
    let count = |c: char| header_line.chars().filter(|&x| x == c).count();
    if count(';') > count(',') { ';' } else { ',' }
}

struct ParsedFile {
    columns: Columns,
    records: Vec<Record>,
}

fn parse_file(text: &str) -> Result<ParsedFile, ApiError> {
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    if header_line.is_empty() {
        return Err(malformed(format!(
            "The file is empty; the first row must be the header {}.",
            COLUMNS.join(",")
        )));
    }
    let mut records = parse_records(text, detect_separator(header_line)).into_iter();
    let header = records
        .next()
        .ok_or_else(|| malformed("The file has no header row."))?;
    Ok(ParsedFile {
        columns: Columns::from_header(&header.fields)?,
        records: records.collect(),
    })
}

/// Where each known column is.
struct Columns {
    count: usize,
    index: HashMap<&'static str, usize>,
}

impl Columns {
    fn from_header(names: &[String]) -> Result<Self, ApiError> {
        let mut index = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let name = name.trim().to_lowercase();
            let known = COLUMNS.into_iter().find(|c| *c == name).ok_or_else(|| {
                malformed(format!(
                    "Unknown column {name:?}; the columns are {}.",
                    COLUMNS.join(",")
                ))
            })?;
            if index.insert(known, i).is_some() {
                return Err(malformed(format!("The column {known:?} appears twice.")));
            }
        }
        if let Some(missing) = REQUIRED_COLUMNS.iter().find(|c| !index.contains_key(*c)) {
            return Err(malformed(format!(
                "The header has no {missing:?} column; the columns are {}.",
                COLUMNS.join(",")
            )));
        }
        Ok(Self {
            count: names.len(),
            index,
        })
    }

    /// The trimmed value of `column`; empty when the column is absent.
    fn get<'a>(&self, record: &'a Record, column: &str) -> &'a str {
        self.index
            .get(column)
            .and_then(|&i| record.fields.get(i))
            .map_or("", |v| v.trim())
    }

    /// The row as a new building, or every problem with it.
    fn check(
        &self,
        record: &Record,
        companies: &HashMap<String, Uuid>,
        is_test: bool,
    ) -> Result<NewBuilding, Vec<String>> {
        if record.unterminated {
            return Err(vec!["a quoted field is not closed".to_owned()]);
        }
        if record.fields.len() != self.count {
            return Err(vec![format!(
                "expected {} fields, found {}",
                self.count,
                record.fields.len()
            )]);
        }
        let mut errors = Vec::new();
        let mut text = |column: &str, max: usize| {
            let value = self.get(record, column);
            if value.is_empty() {
                errors.push(format!("{column}: must not be empty"));
            } else if value.chars().count() > max {
                errors.push(format!("{column}: must be at most {max} characters"));
            }
            value.to_owned()
        };
        let address = text("address", 300);
        let district = text("district", 100);

        let fias_id = self.get(record, "fias_id");
        if !fias_id.is_empty() && validate_fias_id(fias_id).is_err() {
            errors.push("fias_id: must be a ФИАС/ГАР id (a UUID)".to_owned());
        }
        let before = errors.len();
        let latitude = coordinate(self.get(record, "latitude"), "latitude", 90.0, &mut errors);
        let longitude = coordinate(
            self.get(record, "longitude"),
            "longitude",
            180.0,
            &mut errors,
        );
        if errors.len() == before && latitude.is_some() != longitude.is_some() {
            errors.push("latitude, longitude: give both coordinates or neither".to_owned());
        }
        let inn = self.get(record, "company_inn");
        let company_id = if inn.is_empty() {
            None
        } else if validate_inn(inn).is_err() {
            errors.push("company_inn: must be 10 or 12 digits".to_owned());
            None
        } else {
            let company = companies.get(inn).copied();
            if company.is_none() {
                errors.push(format!("company_inn: no management company has ИНН {inn}"));
            }
            company
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewBuilding {
            address,
            district,
            fias_id: (!fias_id.is_empty()).then(|| normalise_fias_id(fias_id)),
            latitude,
            longitude,
            company_id,
            is_test,
        })
    }
}

/// A coordinate in degrees, with a decimal point or comma, within ±`limit`.
fn coordinate(value: &str, column: &str, limit: f64, errors: &mut Vec<String>) -> Option<f64> {
    if value.is_empty() {
        return None;
    }
    match value.replace(',', ".").parse::<f64>() {
        Ok(n) if n.is_finite() && (-limit..=limit).contains(&n) => Some(n),
        Ok(_) => {
            errors.push(format!("{column}: must be -{limit} to {limit}"));
            None
        }
        Err(_) => {
            errors.push(format!("{column}: must be a number, e.g. 61.2540"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(records: &[Record]) -> Vec<(usize, Vec<&str>)> {
        records
            .iter()
            .map(|r| (r.line, r.fields.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn quoted_fields_hold_separators_quotes_and_line_breaks() {
        let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,row";
        let records = parse_records(text, ',');
        assert_eq!(
            fields(&records),
            vec![
                (1, vec!["a", "b"]),
                (2, vec!["x, y", "say \"hi\""]),
                (4, vec!["two\nlines", "z"]),
                (6, vec!["last", "row"]),
            ]
        );
        assert!(records.iter().all(|r| !r.unterminated));
    }

    #[test]
    fn semicolons_and_empty_fields() {
        let records = parse_records("a;b;c\n;;\nx;;61,5\n; ;\n", ';');
        assert_eq!(
            fields(&records),
            vec![(1, vec!["a", "b", "c"]), (3, vec!["x", "", "61,5"])]
        );
    }

    #[test]
    fn an_open_quote_marks_the_row() {
        let records = parse_records("a,b\n\"never closed,x\n", ',');
        assert_eq!(records.len(), 2);
        assert!(records[1].unterminated);
    }

    #[test]
    fn the_separator_comes_from_the_header() {
        assert_eq!(detect_separator("address;district;fias_id"), ';');
        assert_eq!(detect_separator("address,district"), ',');
        assert_eq!(detect_separator("address"), ',');
    }

    #[test]
    fn headers_are_checked() {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(Columns::from_header(&names(&COLUMNS)).is_ok());
        assert!(Columns::from_header(&names(&[" Address ", "DISTRICT"])).is_ok());
        assert!(Columns::from_header(&names(&["address"])).is_err());
        assert!(Columns::from_header(&names(&["address", "district", "floor"])).is_err());
        assert!(Columns::from_header(&names(&["address", "district", "address"])).is_err());
    }

    #[test]
    fn rows_are_checked_field_by_field() {
        let header: Vec<String> = COLUMNS.iter().map(|s| (*s).to_owned()).collect();
        let columns = Columns::from_header(&header).unwrap();
        let company = Uuid::now_v7();
        let companies = HashMap::from([("8602000001".to_owned(), company)]);
        let row = |fields: [&str; 6]| Record {
            line: 2,
            fields: fields.iter().map(|s| (*s).to_owned()).collect(),
            unterminated: false,
        };
        let ok = columns
            .check(
                &row([
                    "ул. Мира, 1",
                    "Центральный",
                    "0C5B2444-70A0-4932-980C-B4DC0D3F02B5",
                    "61,25",
                    "73.4",
                    "8602000001",
                ]),
                &companies,
                false,
            )
            .unwrap();
        assert_eq!(ok.latitude, Some(61.25));
        assert_eq!(ok.company_id, Some(company));
        assert_eq!(
            ok.fias_id.as_deref(),
            Some("0c5b2444-70a0-4932-980c-b4dc0d3f02b5")
        );

        let errors = columns
            .check(
                &row(["", "Центральный", "nope", "91", "", "8602999999"]),
                &companies,
                false,
            )
            .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("address:")));
        assert!(errors.iter().any(|e| e.starts_with("fias_id:")));
        assert!(errors.iter().any(|e| e.starts_with("latitude:")));
        assert!(errors.iter().any(|e| e.starts_with("company_inn:")));

        let errors = columns
            .check(
                &row(["ул. Мира, 2", "Центральный", "", "", "73.4", "86020"]),
                &companies,
                false,
            )
            .unwrap_err();
        assert_eq!(
            errors,
            [
                "latitude, longitude: give both coordinates or neither",
                "company_inn: must be 10 or 12 digits"
            ]
        );
        let short = Record {
            line: 9,
            fields: vec!["ул. Мира, 3".to_owned()],
            unterminated: false,
        };
        assert_eq!(
            columns.check(&short, &companies, false).unwrap_err(),
            ["expected 6 fields, found 1"]
        );
    }

    #[test]
    fn bodies_are_utf8_with_or_without_bom() {
        assert_eq!(decode("\u{feff}a,b".as_bytes()).unwrap(), "a,b");
        assert_eq!(decode(b"a,b").unwrap(), "a,b");
        assert!(
            decode(&[0xcf, 0xf0, 0xe8]).is_err(),
            "Windows-1251 is refused"
        );
    }
}
