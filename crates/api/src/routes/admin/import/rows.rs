//! The rows of an import file: read with the `csv` crate, each checked as a new building.

use std::collections::HashMap;

use uuid::Uuid;

use persistence::registry::NewBuilding;

use super::super::buildings::CreateBuildingRequest;
use super::super::validate_inn;
use super::{COLUMNS, REQUIRED_COLUMNS, malformed};
use crate::error::ApiError;

/// One row of the file and the line where it starts.
#[derive(Debug, PartialEq)]
pub(super) struct Record {
    pub(super) line: usize,
    pub(super) fields: Vec<String>,
    /// The row ends inside a quoted field.
    pub(super) unterminated: bool,
}

/// Splits CSV text into rows with the `csv` crate (RFC 4180: quoted fields may hold the
/// separator, line breaks and `""`). Rows with nothing but white space and separators are
/// skipped; a row whose quote is never closed is kept and marked.
pub(super) fn parse_records(text: &str, separator: u8) -> Result<Vec<Record>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| malformed(format!("The file could not be read: {e}")))?;
        let position = record
            .position()
            .cloned()
            .unwrap_or_else(csv::Position::new);
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        // The one text rule (`domain::text`), as for JSON bodies; quoted fields may hold line
        // breaks, which the row's own checks judge.
        if let Some(fault) = fields
            .iter()
            .find_map(|field| domain::text::check(field, true).err())
        {
            return Err(malformed(format!(
                "Line {}: a field {}.",
                position.line(),
                fault.message()
            )));
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((position, fields));
    }
    // A row's raw text runs to the next row's start: an odd number of quotes in it means a quote
    // that was never closed (the reader then takes everything to the end as one field).
    // The reader's position of a row lies before the line break that ends the row above.
    let starts: Vec<usize> = rows
        .iter()
        .map(|(position, _)| {
            let byte = usize::try_from(position.byte()).unwrap_or(text.len());
            let breaks = text
                .get(byte..)
                .unwrap_or_default()
                .bytes()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            byte + breaks
        })
        .collect();
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, (_, fields))| {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let raw = text.get(starts[i]..end).unwrap_or_default();
            Record {
                line: 1 + text
                    .get(..starts[i])
                    .unwrap_or_default()
                    .matches('\n')
                    .count(),
                fields,
                unterminated: raw.bytes().filter(|b| *b == b'"').count() % 2 == 1,
            }
        })
        .collect())
}

/// The separator of the file: a semicolon when the header has more of them than commas.
pub(super) fn detect_separator(header_line: &str) -> u8 {
    let count = |c: char| header_line.chars().filter(|&x| x == c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

pub(super) struct ParsedFile {
    pub(super) columns: Columns,
    pub(super) records: Vec<Record>,
}

pub(super) fn parse_file(text: &str) -> Result<ParsedFile, ApiError> {
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
    let mut records = parse_records(text, detect_separator(header_line))?.into_iter();
    let header = records
        .next()
        .ok_or_else(|| malformed("The file has no header row."))?;
    Ok(ParsedFile {
        columns: Columns::from_header(&header.fields)?,
        records: records.collect(),
    })
}

/// Where each known column is.
pub(super) struct Columns {
    count: usize,
    index: HashMap<&'static str, usize>,
}

impl Columns {
    pub(super) fn from_header(names: &[String]) -> Result<Self, ApiError> {
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

    /// The row as a new building, or every problem with it (`field: message`). The row's text is
    /// read here (decimal commas, a company by its ИНН); the building is checked by the same
    /// [`CreateBuildingRequest::check`] as `POST /admin/buildings`.
    pub(super) fn check(
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
        let latitude = coordinate(self.get(record, "latitude"), "latitude", &mut errors);
        let longitude = coordinate(self.get(record, "longitude"), "longitude", &mut errors);
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
        let fias_id = self.get(record, "fias_id");
        let building = CreateBuildingRequest {
            address: self.get(record, "address").to_owned(),
            district: self.get(record, "district").to_owned(),
            fias_id: (!fias_id.is_empty()).then(|| fias_id.to_owned()),
            latitude,
            longitude,
            company_id,
        };
        let checked = building.check(is_test).map_err(|e| {
            e.into_field_errors()
                .unwrap_or_default()
                .into_iter()
                .flat_map(|(field, messages)| {
                    messages.into_iter().map(move |m| format!("{field}: {m}"))
                })
                .collect::<Vec<_>>()
        });
        match checked {
            Ok(building) if errors.is_empty() => Ok(building),
            Ok(_) => Err(errors),
            Err(mut problems) => {
                problems.extend(errors);
                problems.sort();
                Err(problems)
            }
        }
    }
}

/// A coordinate in degrees, with a decimal point or comma (its range is the building's check).
fn coordinate(value: &str, column: &str, errors: &mut Vec<String>) -> Option<f64> {
    if value.is_empty() {
        return None;
    }
    match value.replace(',', ".").parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        Ok(_) | Err(_) => {
            errors.push(format!("{column}: must be a number, e.g. 61.2540"));
            None
        }
    }
}
