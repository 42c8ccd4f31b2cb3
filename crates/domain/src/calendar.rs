//! The Russian production calendar (5-day week) as data.
//!
//! The calendar knows, per year, the weekdays that are days off (holidays and transferred days),
//! the weekend days that are working days, and the shortened pre-holiday days. Years are loaded from
//! JSON (the format of `data/ru-production-calendar.json`) and can be replaced at runtime
//! ([`Calendar::load_year`], [`Calendar::merge_json`]) — 2027 is not confirmed by a government
//! resolution yet, and each new year is published in the autumn before it.
//!
//! Dates are local dates of the city. Surgut is UTC+5 (Asia/Yekaterinburg) all year round, so a fixed
//! offset is exact. For a year the calendar does not cover, every Monday–Friday is a working day
//! (check [`Calendar::covers`] to warn operators that a year is missing).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

/// Surgut's offset from UTC in seconds (+05:00, no daylight saving time).
pub const SURGUT_UTC_OFFSET_SECONDS: i32 = 5 * 3600;

/// The calendar bundled with the crate (copied from `shared/data/ru-production-calendar.json`).
pub const RUSSIAN_CALENDAR_JSON: &str = include_str!("../data/ru-production-calendar.json");

/// One year of the production calendar, as in the JSON file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    /// Monday–Friday dates that are days off (public holidays and days off moved onto weekdays).
    #[serde(default)]
    pub days_off_weekdays: BTreeSet<NaiveDate>,
    /// Saturday/Sunday dates that are working days (transferred working days).
    #[serde(default)]
    pub working_weekends: BTreeSet<NaiveDate>,
    /// Pre-holiday days shortened by one hour (working days all the same).
    #[serde(default)]
    pub shortened: BTreeSet<NaiveDate>,
    /// Where the data comes from.
    #[serde(default)]
    pub source: String,
    /// `"UNCONFIRMED"` while no government resolution backs the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl YearCalendar {
    /// `false` when the data is marked `"UNCONFIRMED"`.
    pub fn is_confirmed(&self) -> bool {
        !self
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("unconfirmed"))
    }
}

#[derive(Debug, Deserialize)]
struct CalendarFile {
    years: BTreeMap<String, YearCalendar>,
}

/// Why calendar data was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("calendar JSON is malformed: {0}")]
    Json(String),
    #[error("`{0}` is not a year")]
    BadYear(String),
    #[error("{date} is listed under {year} but belongs to another year")]
    WrongYear { year: i32, date: NaiveDate },
    #[error("{date} is listed as a weekday day off but is a {weekday}")]
    NotAWeekday { date: NaiveDate, weekday: Weekday },
    #[error("{date} is listed as a working weekend day but is a {weekday}")]
    NotAWeekend { date: NaiveDate, weekday: Weekday },
}

impl CalendarError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::Json(_) => "calendar_json",
            CalendarError::BadYear(_) => "calendar_bad_year",
            CalendarError::WrongYear { .. } => "calendar_wrong_year",
            CalendarError::NotAWeekday { .. } => "calendar_not_a_weekday",
            CalendarError::NotAWeekend { .. } => "calendar_not_a_weekend",
        }
    }
}

/// The production calendar plus the city's UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearCalendar>,
    offset: FixedOffset,
}

impl Default for Calendar {
    /// No years loaded (Monday–Friday working week), Surgut offset.
    fn default() -> Self {
        Calendar {
            years: BTreeMap::new(),
            offset: surgut_offset(),
        }
    }
}

fn surgut_offset() -> FixedOffset {
    // +05:00 is within ±24h, so `east_opt` cannot fail; UTC is only a formal fallback.
    FixedOffset::east_opt(SURGUT_UTC_OFFSET_SECONDS).unwrap_or_else(|| Utc.fix())
}

/// The date in Surgut of an instant, as people of the city read it: `15.04.2026`.
pub fn city_date_text(at: DateTime<Utc>) -> String {
    at.with_timezone(&surgut_offset())
        .date_naive()
        .format("%d.%m.%Y")
        .to_string()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Parses the JSON format of `data/ru-production-calendar.json`:
    /// `{"years": {"2025": {"days_off_weekdays": [...], "working_weekends": [...], "shortened": [...],
    /// "source": "...", "status": "UNCONFIRMED"?}}}`. Other top-level keys are ignored.
    /// Uses the Surgut offset.
    pub fn from_json(json: &str) -> Result<Calendar, CalendarError> {
        let file: CalendarFile =
            serde_json::from_str(json).map_err(|e| CalendarError::Json(e.to_string()))?;
        let mut calendar = Calendar::default();
        for (key, data) in file.years {
            let year: i32 = key
                .trim()
                .parse()
                .map_err(|_| CalendarError::BadYear(key.clone()))?;
            calendar.load_year(year, data)?;
        }
        Ok(calendar)
    }

    /// The calendar bundled with the crate (2024–2027; 2027 unconfirmed).
    ///
    /// The bundled data is checked by the crate's tests; should it ever fail to parse, the result is
    /// an empty (Monday–Friday) calendar rather than a panic.
    pub fn russian_default() -> Calendar {
        Calendar::from_json(RUSSIAN_CALENDAR_JSON).unwrap_or_default()
    }

    /// The offset used to turn instants into local dates.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// Adds or replaces one year after checking it: every date must belong to `year`, days off must be
    /// Monday–Friday and working weekend days must be Saturday/Sunday. Returns the replaced year.
    pub fn load_year(
        &mut self,
        year: i32,
        data: YearCalendar,
    ) -> Result<Option<YearCalendar>, CalendarError> {
        let all = data
            .days_off_weekdays
            .iter()
            .chain(&data.working_weekends)
            .chain(&data.shortened);
        for &date in all {
            if date.year() != year {
                return Err(CalendarError::WrongYear { year, date });
            }
        }
        for &date in &data.days_off_weekdays {
            if is_weekend(date) {
                return Err(CalendarError::NotAWeekday {
                    date,
                    weekday: date.weekday(),
                });
            }
        }
        for &date in &data.working_weekends {
            if !is_weekend(date) {
                return Err(CalendarError::NotAWeekend {
                    date,
                    weekday: date.weekday(),
                });
            }
        }
        Ok(self.years.insert(year, data))
    }

    /// Loads every year in `json` (same format as [`Calendar::from_json`]), replacing years already
    /// present. All or nothing: on error the calendar is unchanged.
    pub fn merge_json(&mut self, json: &str) -> Result<(), CalendarError> {
        let other = Calendar::from_json(json)?;
        self.years.extend(other.years);
        Ok(())
    }

    /// The loaded years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// One loaded year.
    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    /// Whether the calendar has data for the year of `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.years.get(&date.year()) {
            Some(year) if is_weekend(date) => year.working_weekends.contains(&date),
            Some(year) => !year.days_off_weekdays.contains(&date),
            None => !is_weekend(date),
        }
    }

    /// Whether `date` is a shortened pre-holiday working day.
    pub fn is_shortened(&self, date: NaiveDate) -> bool {
        self.years
            .get(&date.year())
            .is_some_and(|year| year.shortened.contains(&date))
    }

    /// The `n`-th working day strictly after `start` (`start` itself for `n == 0`). The term starts
    /// on the day after the event, as in the Civil Code (ГК РФ ст. 191).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut date = start;
        let mut counted = 0;
        while counted < n {
            match date.succ_opt() {
                Some(next) => date = next,
                None => return date,
            }
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        date
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_working_day(date) {
            date
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// The number of working days `d` with `from < d <= to` (0 when `to <= from`), so that
    /// `working_days_between(d, add_working_days(d, n)) == n`. Counted by weeks, not day by day.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        let total = (to - from).num_days();
        let full_weeks = total / 7;
        let mut count = full_weeks * 5;
        let mut date = from + Duration::days(full_weeks * 7);
        for _ in 0..(total % 7) {
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
            if !is_weekend(date) {
                count += 1;
            }
        }
        let range = (Bound::Excluded(from), Bound::Included(to));
        for year in self.years.range(from.year()..=to.year()).map(|(_, y)| y) {
            let off = year.days_off_weekdays.range(range).count();
            let on = year.working_weekends.range(range).count();
            count = count - off as i64 + on as i64;
        }
        u32::try_from(count.max(0)).unwrap_or(u32::MAX)
    }

    /// The local (city) date of an instant.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset).date_naive()
    }

    /// The instant a local date ends: local midnight at the start of the next day.
    pub fn end_of_local_day(&self, date: NaiveDate) -> DateTime<Utc> {
        let next = date.succ_opt().unwrap_or(date);
        let local_midnight = next.and_time(NaiveTime::MIN);
        let utc = local_midnight - Duration::seconds(i64::from(self.offset.local_minus_utc()));
        DateTime::from_naive_utc_and_offset(utc, Utc)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn bundled_calendar_parses_with_four_years() {
        let calendar = Calendar::from_json(RUSSIAN_CALENDAR_JSON).unwrap();
        assert_eq!(calendar.years(), vec![2024, 2025, 2026, 2027]);
        assert!(calendar.year(2026).unwrap().is_confirmed());
        assert!(!calendar.year(2027).unwrap().is_confirmed());
        assert_eq!(
            calendar.offset().local_minus_utc(),
            SURGUT_UTC_OFFSET_SECONDS
        );
    }
}
