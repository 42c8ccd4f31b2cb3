//! The reading of import files: rows, separators, headers and each row's check.

use std::collections::HashMap;

use uuid::Uuid;

use super::COLUMNS;
use super::decode;
use super::rows::{Columns, Record, detect_separator, parse_records};

fn fields(records: &[Record]) -> Vec<(usize, Vec<&str>)> {
    records
        .iter()
        .map(|r| (r.line, r.fields.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn quoted_fields_hold_separators_quotes_and_line_breaks() {
    let text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,row";
    let records = parse_records(text, b',').unwrap();
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
    let records = parse_records("a;b;c\n;;\nx;;61,5\n; ;\n", b';').unwrap();
    assert_eq!(
        fields(&records),
        vec![(1, vec!["a", "b", "c"]), (3, vec!["x", "", "61,5"])]
    );
}

#[test]
fn an_open_quote_marks_the_row() {
    let records = parse_records("a,b\n\"never closed,x\n", b',').unwrap();
    assert_eq!(records.len(), 2);
    assert!(records[1].unterminated);
}

#[test]
fn the_separator_comes_from_the_header() {
    assert_eq!(detect_separator("address;district;fias_id"), b';');
    assert_eq!(detect_separator("address,district"), b',');
    assert_eq!(detect_separator("address"), b',');
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
            "company_inn: must be 10 or 12 digits",
            "latitude: give both coordinates or neither",
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
