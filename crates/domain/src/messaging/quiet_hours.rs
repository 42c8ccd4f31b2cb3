use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::MessageKind;

/// SMS to residents wait out the night: 21:00–09:00 in the city's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// Seconds east of UTC of the city's time zone.
    pub utc_offset_seconds: i32,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            utc_offset_seconds: crate::SURGUT_UTC_OFFSET_SECONDS,
            starts: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            ends: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        }
    }
}

impl QuietHours {
    /// The city's date once its night is over (from 09:00 until 21:00 local), when the morning
    /// digests go; `None` at night.
    pub fn morning_of(&self, now: DateTime<Utc>) -> Option<chrono::NaiveDate> {
        let zone = FixedOffset::east_opt(self.utc_offset_seconds)?;
        let local = now.with_timezone(&zone);
        let time = local.time();
        let day = if self.ends < self.starts {
            time >= self.ends && time < self.starts
        } else {
            time >= self.ends || time < self.starts
        };
        day.then(|| local.date_naive())
    }

    /// When a message of `kind` may go out by SMS: `now`, or the end of the quiet hours. News of
    /// an emergency (no heating in winter, a burst pipe) and one-time codes go at once.
    pub fn send_at(&self, kind: MessageKind, emergency: bool, now: DateTime<Utc>) -> DateTime<Utc> {
        if emergency || kind.ignores_quiet_hours() {
            return now;
        }
        let Some(zone) = FixedOffset::east_opt(self.utc_offset_seconds) else {
            return now;
        };
        let local = now.with_timezone(&zone);
        let time = local.time();
        let quiet = if self.starts > self.ends {
            time >= self.starts || time < self.ends
        } else {
            time >= self.starts && time < self.ends
        };
        if !quiet {
            return now;
        }
        let day = if time >= self.ends {
            local.date_naive() + Duration::days(1)
        } else {
            local.date_naive()
        };
        zone.from_local_datetime(&day.and_time(self.ends))
            .single()
            .map_or(now, |at| at.with_timezone(&Utc))
    }
}
