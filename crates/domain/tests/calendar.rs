//! The production calendar on known dates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Calendar, CalendarError, Deadline, RUSSIAN_CALENDAR_JSON};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn cal() -> Calendar {
    Calendar::russian_default()
}

#[test]
fn new_year_holidays() {
    let c = cal();
    for day in ["2025-01-01", "2025-01-03", "2025-01-06", "2025-01-08"] {
        assert!(!c.is_working_day(d(day)), "{day}");
    }
    assert!(c.is_working_day(d("2025-01-09")));
    for day in 1..=9 {
        let date = NaiveDate::from_ymd_opt(2026, 1, day).unwrap();
        assert!(!c.is_working_day(date), "{date}");
    }
    assert!(c.is_working_day(d("2026-01-12")));
    // 2026-01-09 is a Friday made a day off by transfer.
    assert!(!c.is_working_day(d("2026-01-09")));
}

#[test]
fn may_holidays() {
    let c = cal();
    for day in ["2025-05-01", "2025-05-02", "2025-05-08", "2025-05-09"] {
        assert!(!c.is_working_day(d(day)), "{day}");
    }
    for day in ["2025-05-05", "2025-05-06", "2025-05-07", "2025-05-12"] {
        assert!(c.is_working_day(d(day)), "{day}");
    }
    assert!(!c.is_working_day(d("2026-05-01")));
    assert!(!c.is_working_day(d("2026-05-11")));
    assert!(c.is_working_day(d("2026-05-08")));
    assert!(c.is_shortened(d("2026-05-08")));
}

#[test]
fn transferred_days() {
    let c = cal();
    // 2025-11-01 is a Saturday, worked (and shortened) for 2025-11-03.
    assert!(c.is_working_day(d("2025-11-01")));
    assert!(c.is_shortened(d("2025-11-01")));
    assert!(!c.is_working_day(d("2025-11-03")));
    assert!(!c.is_working_day(d("2025-11-04")));
    assert!(!c.is_working_day(d("2025-12-31")));
    // Ordinary weekends stay days off.
    assert!(!c.is_working_day(d("2025-11-02")));
    // 2024: working Saturdays.
    assert!(c.is_working_day(d("2024-04-27")));
    assert!(c.is_working_day(d("2024-12-28")));
    assert!(!c.is_working_day(d("2024-12-30")));
    // 2026-03-09: Monday off for 8 March falling on a Sunday.
    assert!(!c.is_working_day(d("2026-03-09")));
}

#[test]
fn working_days_per_year_match_the_official_totals() {
    let c = cal();
    assert_eq!(
        c.working_days_between(d("2023-12-31"), d("2024-12-31")),
        248
    );
    assert_eq!(
        c.working_days_between(d("2024-12-31"), d("2025-12-31")),
        247
    );
    assert_eq!(
        c.working_days_between(d("2025-12-31"), d("2026-12-31")),
        247
    );
}

#[test]
fn adding_working_days_skips_holidays() {
    let c = cal();
    assert_eq!(c.add_working_days(d("2025-12-30"), 1), d("2026-01-12"));
    assert_eq!(c.add_working_days(d("2026-04-27"), 10), d("2026-05-13"));
    assert_eq!(c.add_working_days(d("2025-10-31"), 1), d("2025-11-01"));
    assert_eq!(c.add_working_days(d("2026-03-04"), 0), d("2026-03-04"));
    assert_eq!(c.working_day_on_or_after(d("2026-01-03")), d("2026-01-12"));
}

#[test]
fn deadlines_use_local_dates_of_surgut() {
    let c = cal();
    // 20:00 UTC on Sunday 11 January is 01:00 on Monday 12 January in Surgut.
    let start = at("2026-01-11T20:00:00Z");
    assert_eq!(c.local_date(start), d("2026-01-12"));
    assert_eq!(
        Deadline::WorkingDays(1).due_from(start, &c),
        at("2026-01-14T00:00:00+05:00")
    );
    // 10 working days from Monday 27 April skip the May holidays (1 and 11 May): due at the end of 13 May.
    assert_eq!(
        Deadline::WorkingDays(10).due_from(at("2026-04-27T09:00:00+05:00"), &c),
        at("2026-05-14T00:00:00+05:00")
    );
    // Emergencies count hours round the clock, holidays included.
    assert_eq!(
        Deadline::Hours(2).due_from(at("2026-01-01T03:00:00+05:00"), &c),
        at("2026-01-01T05:00:00+05:00")
    );
    // 59-ФЗ: 30 calendar days, to the end of the 30th day.
    assert_eq!(
        Deadline::CalendarDays(30).due_from(at("2026-03-02T10:00:00+05:00"), &c),
        at("2026-04-02T00:00:00+05:00")
    );
}

#[test]
fn years_without_data_fall_back_to_a_five_day_week() {
    let c = cal();
    assert!(!c.covers(d("2028-01-03")));
    assert!(c.is_working_day(d("2028-01-03")));
    assert!(!c.is_working_day(d("2028-01-08")));
    assert!(c.covers(d("2027-01-04")));
    assert!(!c.year(2027).unwrap().is_confirmed());
}

#[test]
fn a_year_can_be_replaced_at_runtime() {
    let mut c = cal();
    assert!(!c.is_working_day(d("2027-02-22")));
    let replacement = r#"{"years": {"2027": {
        "days_off_weekdays": ["2027-01-01", "2027-02-23"],
        "working_weekends": [],
        "shortened": [],
        "source": "ПП РФ (test)"
    }, "2028": {"days_off_weekdays": ["2028-01-03"], "working_weekends": ["2028-01-08"]}}}"#;
    c.merge_json(replacement).unwrap();
    assert!(c.is_working_day(d("2027-02-22")));
    assert!(c.year(2027).unwrap().is_confirmed());
    assert!(!c.is_working_day(d("2028-01-03")));
    assert!(c.is_working_day(d("2028-01-08")));
    assert_eq!(c.years(), vec![2024, 2025, 2026, 2027, 2028]);
    // 2026 untouched.
    assert!(!c.is_working_day(d("2026-01-09")));
}

#[test]
fn malformed_data_is_refused() {
    let err = |json: &str| Calendar::from_json(json).unwrap_err();
    assert!(matches!(err("{"), CalendarError::Json(_)));
    assert!(matches!(
        err(r#"{"years": {"20x6": {}}}"#),
        CalendarError::BadYear(_)
    ));
    assert!(matches!(
        err(r#"{"years": {"2026": {"days_off_weekdays": ["2025-01-01"]}}}"#),
        CalendarError::WrongYear { .. }
    ));
    // 2026-01-03 is a Saturday: not a weekday day off.
    let e = err(r#"{"years": {"2026": {"days_off_weekdays": ["2026-01-03"]}}}"#);
    assert!(matches!(e, CalendarError::NotAWeekday { .. }));
    assert_eq!(e.code(), "calendar_not_a_weekday");
    // 2026-01-12 is a Monday: not a working weekend day.
    assert!(matches!(
        err(r#"{"years": {"2026": {"working_weekends": ["2026-01-12"]}}}"#),
        CalendarError::NotAWeekend { .. }
    ));
    // A failed merge leaves the calendar unchanged.
    let mut c = cal();
    let before = c.clone();
    assert!(
        c.merge_json(r#"{"years": {"2026": {"days_off_weekdays": ["2026-01-03"]}}}"#)
            .is_err()
    );
    assert_eq!(c, before);
}

#[test]
fn bundled_json_is_the_shared_data_format() {
    let value: serde_json::Value = serde_json::from_str(RUSSIAN_CALENDAR_JSON).unwrap();
    assert!(value["years"]["2026"]["days_off_weekdays"].is_array());
    assert_eq!(Calendar::from_json(RUSSIAN_CALENDAR_JSON).unwrap(), cal());
}
