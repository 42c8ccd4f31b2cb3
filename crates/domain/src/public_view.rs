//! What the public list, the map and Open311 may tell about a complaint (finding 19 of the
//! security review): with the address and coordinates of a building on show, an exact time or a
//! category about one flat would point at the people who live there.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};

use crate::calendar::SURGUT_UTC_OFFSET_SECONDS;

/// An instant as the public sees it: the start of its day in Surgut (00:00 local time, as UTC).
/// A neighbour who saw the dispatcher's car at 14:05 cannot match it to a complaint filed at 14:03.
pub fn public_time(at: DateTime<Utc>) -> DateTime<Utc> {
    let Some(offset) = chrono::FixedOffset::east_opt(SURGUT_UTC_OFFSET_SECONDS) else {
        return at;
    };
    let day = at.with_timezone(&offset).date_naive();
    offset
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map_or(at, |start| start.with_timezone(&Utc))
}

/// Whether complaints of a category are shown to the public at all. A category that identifies a
/// flat's occupant (a leak through the ceiling from one bathroom) stays out of every public view;
/// the scorecard still counts it.
pub fn category_is_public(identifies_occupant: bool) -> bool {
    !identifies_occupant
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn public_times_are_the_start_of_the_local_day() {
        // 14:03 in Surgut (UTC+5) is 09:03 UTC; the day starts at 19:00 UTC the day before.
        assert_eq!(
            public_time(at("2026-12-06T09:03:27.123Z")),
            at("2026-12-05T19:00:00Z")
        );
        // 23:30 UTC is already the next day in Surgut.
        assert_eq!(
            public_time(at("2026-12-06T23:30:00Z")),
            at("2026-12-06T19:00:00Z")
        );
        // Midnight stays where it is, and rounding twice changes nothing.
        let midnight = at("2026-12-06T19:00:00Z");
        assert_eq!(public_time(midnight), midnight);
        assert_eq!(
            public_time(public_time(at("2026-03-01T04:59:59Z"))),
            at("2026-02-28T19:00:00Z")
        );
    }

    #[test]
    fn categories_about_one_flat_stay_private() {
        assert!(category_is_public(false));
        assert!(!category_is_public(true));
    }
}
