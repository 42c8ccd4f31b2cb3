//! A year of the production calendar uploaded by an administrator (issue 15), checked before it
//! is stored. The body is the format of `data/ru-production-calendar.json` with exactly one year:
//! `{"years": {"2027": {"days_off_weekdays": [...], "working_weekends": [...], "shortened": [...],
//! "source": "...", "status": "UNCONFIRMED"?}}}` (other top-level keys, such as `about`, are
//! ignored). Every refusal names its field, e.g. `years.2027.working_weekends[3]`, so that the
//! screen can point at the line; nothing is half-accepted.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;

use crate::YearCalendar;

/// The first year an upload may describe.
pub const MIN_CALENDAR_YEAR: i32 = 2000;
/// The last year an upload may describe.
pub const MAX_CALENDAR_YEAR: i32 = 2100;
/// Longest `source` text.
pub const MAX_CALENDAR_SOURCE: usize = 2000;

/// Field → messages, for a 422.
pub type CalendarErrors = BTreeMap<String, Vec<String>>;

const LISTS: [&str; 3] = ["days_off_weekdays", "working_weekends", "shortened"];
const KNOWN: [&str; 5] = [
    "days_off_weekdays",
    "working_weekends",
    "shortened",
    "source",
    "status",
];

fn push(errors: &mut CalendarErrors, field: impl Into<String>, message: impl Into<String>) {
    errors.entry(field.into()).or_default().push(message.into());
}

/// Whether a year may be uploaded at all (the path's year).
pub fn calendar_year_in_range(year: i32) -> bool {
    (MIN_CALENDAR_YEAR..=MAX_CALENDAR_YEAR).contains(&year)
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The dates of one list, each checked on its own: a real `YYYY-MM-DD` date of `year`, listed
/// once. Bad entries are reported and left out.
fn dates(
    errors: &mut CalendarErrors,
    prefix: &str,
    list: &str,
    value: Option<&Value>,
    year: i32,
) -> BTreeSet<NaiveDate> {
    let mut found = BTreeSet::new();
    let field = format!("{prefix}.{list}");
    let items = match value {
        None | Some(Value::Null) => return found,
        Some(Value::Array(items)) => items,
        Some(_) => {
            push(errors, field, "must be a list of dates (YYYY-MM-DD)");
            return found;
        }
    };
    for (i, item) in items.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let Some(text) = item.as_str() else {
            push(errors, at, "must be a date (YYYY-MM-DD)");
            continue;
        };
        let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
            push(errors, at, format!("`{text}` is not a date (YYYY-MM-DD)"));
            continue;
        };
        if date.year() != year {
            push(errors, at, format!("{date} is outside {year}"));
        } else if !found.insert(date) {
            push(errors, at, format!("{date} is listed twice"));
        }
    }
    found
}

/// Checks an uploaded year against the year of the path and returns it as data.
pub fn check_calendar_upload(path_year: i32, body: &Value) -> Result<YearCalendar, CalendarErrors> {
    let mut errors = CalendarErrors::new();
    if !calendar_year_in_range(path_year) {
        push(
            &mut errors,
            "year",
            format!("must be {MIN_CALENDAR_YEAR} to {MAX_CALENDAR_YEAR}"),
        );
        return Err(errors);
    }
    let Some(years) = body.get("years").and_then(Value::as_object) else {
        push(
            &mut errors,
            "years",
            "must be an object with one year: {\"years\": {\"YYYY\": {...}}}",
        );
        return Err(errors);
    };
    let mut entries = years.iter();
    let (key, data) = match (entries.next(), entries.next()) {
        (Some(one), None) => one,
        (None, _) => {
            push(&mut errors, "years", "must hold the year being uploaded");
            return Err(errors);
        }
        (Some(_), Some(_)) => {
            push(&mut errors, "years", "must hold exactly one year");
            return Err(errors);
        }
    };
    let prefix = format!("years.{key}");
    match key.trim().parse::<i32>() {
        Ok(year) if year == path_year => {}
        Ok(year) => {
            push(
                &mut errors,
                &prefix,
                format!("the year in the body ({year}) differs from the path ({path_year})"),
            );
            return Err(errors);
        }
        Err(_) => {
            push(&mut errors, &prefix, format!("`{key}` is not a year"));
            return Err(errors);
        }
    }
    let Some(object) = data.as_object() else {
        push(&mut errors, &prefix, "must be an object");
        return Err(errors);
    };
    for name in object.keys() {
        if !KNOWN.contains(&name.as_str()) {
            push(
                &mut errors,
                format!("{prefix}.{name}"),
                format!("unknown field; expected one of {}", KNOWN.join(", ")),
            );
        }
    }
    let [off, on, short] =
        LISTS.map(|list| dates(&mut errors, &prefix, list, object.get(list), path_year));
    check_weekdays(&mut errors, &prefix, object, &off);
    for (i, date) in listed(object, "shortened") {
        let working = if is_weekend(date) {
            on.contains(&date)
        } else {
            !off.contains(&date)
        };
        if short.contains(&date) && !working {
            push(
                &mut errors,
                format!("{prefix}.shortened[{i}]"),
                format!("{date} is not a working day, so it cannot be shortened"),
            );
        }
    }
    let source = match object.get("source") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            if s.chars().count() > MAX_CALENDAR_SOURCE {
                push(
                    &mut errors,
                    format!("{prefix}.source"),
                    format!("must be at most {MAX_CALENDAR_SOURCE} characters"),
                );
            }
            s.trim().to_owned()
        }
        _ => {
            push(
                &mut errors,
                format!("{prefix}.source"),
                "must name where the data comes from (e.g. the government resolution)",
            );
            String::new()
        }
    };
    let status = match object.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("unconfirmed") => {
            Some("UNCONFIRMED".to_owned())
        }
        Some(Value::String(s)) if s.eq_ignore_ascii_case("confirmed") => None,
        Some(_) => {
            push(
                &mut errors,
                format!("{prefix}.status"),
                "must be \"CONFIRMED\", \"UNCONFIRMED\" or absent",
            );
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(YearCalendar {
        days_off_weekdays: off,
        working_weekends: on,
        shortened: short,
        source,
        status,
    })
}

/// The well-formed dates of a list with their positions (for messages about one entry).
fn listed(object: &serde_json::Map<String, Value>, list: &str) -> Vec<(usize, NaiveDate)> {
    object
        .get(list)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let date = NaiveDate::parse_from_str(v.as_str()?.trim(), "%Y-%m-%d").ok()?;
                    Some((i, date))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Days off must fall on Monday–Friday, working weekend days on Saturday/Sunday, and no date may
/// be both.
fn check_weekdays(
    errors: &mut CalendarErrors,
    prefix: &str,
    object: &serde_json::Map<String, Value>,
    off: &BTreeSet<NaiveDate>,
) {
    for (i, date) in listed(object, "days_off_weekdays") {
        if is_weekend(date) {
            push(
                errors,
                format!("{prefix}.days_off_weekdays[{i}]"),
                format!(
                    "{date} is a {}: a weekend day is off anyway, only weekdays belong here",
                    weekday_name(date.weekday())
                ),
            );
        }
    }
    for (i, date) in listed(object, "working_weekends") {
        if !is_weekend(date) {
            push(
                errors,
                format!("{prefix}.working_weekends[{i}]"),
                format!(
                    "{date} is a {}: only a Saturday or a Sunday can be a working weekend day",
                    weekday_name(date.weekday())
                ),
            );
        } else if off.contains(&date) {
            push(
                errors,
                format!("{prefix}.working_weekends[{i}]"),
                format!("{date} is also listed as a day off"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(year: &str, data: Value) -> Value {
        json!({ "about": "ignored", "years": { year: data } })
    }

    fn fields(result: Result<YearCalendar, CalendarErrors>) -> Vec<String> {
        result.unwrap_err().into_keys().collect()
    }

    #[test]
    fn a_good_year_is_accepted_with_its_status() {
        let year = check_calendar_upload(
            2027,
            &body(
                "2027",
                json!({
                    "days_off_weekdays": ["2027-01-01", "2027-05-10"],
                    "working_weekends": ["2027-11-06"],
                    "shortened": ["2027-11-06", "2027-04-30"],
                    "source": "ПП РФ",
                    "status": "UNCONFIRMED"
                }),
            ),
        )
        .unwrap();
        assert_eq!(year.days_off_weekdays.len(), 2);
        assert!(!year.is_confirmed());
        let year = check_calendar_upload(2027, &body("2027", json!({"source": "ПП РФ"}))).unwrap();
        assert!(year.is_confirmed());
    }

    #[test]
    fn each_mistake_names_its_field() {
        let cases = [
            (body("2028", json!({"source": "x"})), "years.2028"),
            (body("year", json!({"source": "x"})), "years.year"),
            (json!({"year": 2027}), "years"),
            (
                json!({"years": {"2027": {"source": "x"}, "2028": {"source": "x"}}}),
                "years",
            ),
            (
                body(
                    "2027",
                    json!({"source": "x", "days_off_weekdays": ["2028-01-03"]}),
                ),
                "years.2027.days_off_weekdays[0]",
            ),
            (
                body(
                    "2027",
                    json!({"source": "x", "days_off_weekdays": ["2027-01-01", "2027-01-01"]}),
                ),
                "years.2027.days_off_weekdays[1]",
            ),
            (
                body(
                    "2027",
                    json!({"source": "x", "days_off_weekdays": ["2027-01-02"]}),
                ),
                "years.2027.days_off_weekdays[0]",
            ),
            (
                body(
                    "2027",
                    json!({"source": "x", "working_weekends": ["2027-01-04"]}),
                ),
                "years.2027.working_weekends[0]",
            ),
            (
                body(
                    "2027",
                    json!({"source": "x", "working_weekends": ["2027-13-01"]}),
                ),
                "years.2027.working_weekends[0]",
            ),
            (
                body(
                    "2027",
                    json!({"source": "x", "shortened": ["2027-01-01"], "days_off_weekdays": ["2027-01-01"]}),
                ),
                "years.2027.shortened[0]",
            ),
            (body("2027", json!({"source": " "})), "years.2027.source"),
            (
                body("2027", json!({"source": "x", "status": "maybe"})),
                "years.2027.status",
            ),
            (
                body("2027", json!({"source": "x", "working_weekend": []})),
                "years.2027.working_weekend",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                fields(check_calendar_upload(2027, &input)),
                vec![field.to_owned()],
                "{input}"
            );
        }
        assert_eq!(
            fields(check_calendar_upload(1999, &body("1999", json!({})))),
            vec!["year".to_owned()]
        );
    }

    #[test]
    fn a_saturday_both_off_and_working_is_refused() {
        // 2027-01-02 is a Saturday: as a day off it is not a weekday, as a working day it clashes.
        let errors = check_calendar_upload(
            2027,
            &body(
                "2027",
                json!({
                    "source": "x",
                    "days_off_weekdays": ["2027-01-02"],
                    "working_weekends": ["2027-01-02"]
                }),
            ),
        )
        .unwrap_err();
        assert!(errors.contains_key("years.2027.days_off_weekdays[0]"));
        assert!(errors.contains_key("years.2027.working_weekends[0]"));
    }

    #[test]
    fn the_bundled_years_pass_the_upload_check() {
        let file: Value = serde_json::from_str(crate::RUSSIAN_CALENDAR_JSON).unwrap();
        for (key, data) in file["years"].as_object().unwrap() {
            let year: i32 = key.parse().unwrap();
            let one = json!({ "years": { key.clone(): data.clone() } });
            check_calendar_upload(year, &one).unwrap();
        }
    }
}
