//! The call desk's settings from the environment: `APP_CALL_CLAIM_MINUTES` (default 10),
//! `APP_CALL_MIN_GAP_MINUTES` (120), `APP_CALL_HOURS_START` and `APP_CALL_HOURS_END` (`09:00` and
//! `21:00`, the city's local time; equal times mean any time) and `APP_CALL_BACK_MAX_DAYS` (14).

use chrono::NaiveTime;

/// A setting that does not parse: its name, its value and what was expected.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

pub(crate) fn from_lookup(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<domain::CallDesk, Invalid> {
    let d = domain::CallDesk::default();
    Ok(domain::CallDesk {
        claim_minutes: number(get, "APP_CALL_CLAIM_MINUTES", d.claim_minutes)?,
        min_gap_minutes: number(get, "APP_CALL_MIN_GAP_MINUTES", d.min_gap_minutes)?,
        hours: domain::CallingHours {
            opens: time(get, "APP_CALL_HOURS_START", d.hours.opens)?,
            closes: time(get, "APP_CALL_HOURS_END", d.hours.closes)?,
            ..d.hours
        },
        max_call_back_days: number(get, "APP_CALL_BACK_MAX_DAYS", d.max_call_back_days)?,
    })
}

fn number(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u32,
) -> Result<u32, Invalid> {
    match get(name) {
        None => Ok(default),
        Some(value) => value
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100_000)
            .ok_or(Invalid {
                name,
                value,
                expected: "a whole number up to 100000",
            }),
    }
}

fn time(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: NaiveTime,
) -> Result<NaiveTime, Invalid> {
    match get(name) {
        None => Ok(default),
        Some(value) => NaiveTime::parse_from_str(&value, "%H:%M").map_err(|_| Invalid {
            name,
            value,
            expected: "a time of day as HH:MM",
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let none = |_: &str| None;
        assert_eq!(from_lookup(&none).unwrap(), domain::CallDesk::default());
        let set = |name: &str| match name {
            "APP_CALL_MIN_GAP_MINUTES" => Some("30".to_owned()),
            "APP_CALL_HOURS_START" => Some("08:30".to_owned()),
            _ => None,
        };
        let desk = from_lookup(&set).unwrap();
        assert_eq!(desk.min_gap_minutes, 30);
        assert_eq!(desk.hours.opens, NaiveTime::from_hms_opt(8, 30, 0).unwrap());
        let bad = |name: &str| (name == "APP_CALL_HOURS_END").then(|| "9pm".to_owned());
        assert!(from_lookup(&bad).is_err());
    }
}
