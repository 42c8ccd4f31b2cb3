//! Public complaint numbers such as `СУР-2026-000123`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The city prefix of Surgut's complaint numbers.
pub const CITY_PREFIX: &str = "СУР";

const MAX_SEQUENCE: u32 = 9_999_999;

/// The number a resident is given: `PREFIX-YYYY-NNNNNN` — an upper-case prefix (Cyrillic or Latin,
/// 1–8 letters), the year of registration and the sequence within the year: six digits, and seven
/// from the millionth complaint of a year on (1–9999999), so that a busy year never stops filing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ComplaintNumber {
    prefix: String,
    year: u16,
    sequence: u32,
}

impl ComplaintNumber {
    /// Builds a number from its parts.
    pub fn new(prefix: &str, year: u16, sequence: u32) -> Result<ComplaintNumber, DomainError> {
        let invalid = |message: &str| DomainError::validation("number", message);
        let letters = prefix.chars().count();
        if letters == 0
            || letters > 8
            || !prefix
                .chars()
                .all(|c| c.is_alphabetic() && c.is_uppercase())
        {
            return Err(invalid("prefix must be 1–8 upper-case letters"));
        }
        if !(2000..=9999).contains(&year) {
            return Err(invalid("year must be between 2000 and 9999"));
        }
        if !(1..=MAX_SEQUENCE).contains(&sequence) {
            return Err(invalid("sequence must be between 1 and 9999999"));
        }
        Ok(ComplaintNumber {
            prefix: prefix.to_owned(),
            year,
            sequence,
        })
    }

    /// A Surgut number (`СУР-…`).
    pub fn surgut(year: u16, sequence: u32) -> Result<ComplaintNumber, DomainError> {
        ComplaintNumber::new(CITY_PREFIX, year, sequence)
    }

    /// Parses `PREFIX-YYYY-NNNNNN`: four digits, then six, or seven without a leading zero.
    pub fn parse(input: &str) -> Result<ComplaintNumber, DomainError> {
        let invalid = || DomainError::validation("number", "expected PREFIX-YYYY-NNNNNN");
        let mut parts = input.trim().split('-');
        let (Some(prefix), Some(year), Some(sequence), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let canonical_sequence =
            all_digits(sequence, 6) || (all_digits(sequence, 7) && !sequence.starts_with('0'));
        if !all_digits(year, 4) || !canonical_sequence {
            return Err(invalid());
        }
        let year: u16 = year.parse().map_err(|_| invalid())?;
        let sequence: u32 = sequence.parse().map_err(|_| invalid())?;
        ComplaintNumber::new(prefix, year, sequence)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for ComplaintNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:06}", self.prefix, self.year, self.sequence)
    }
}

impl FromStr for ComplaintNumber {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ComplaintNumber::parse(s)
    }
}

impl TryFrom<String> for ComplaintNumber {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ComplaintNumber::parse(&value)
    }
}

impl From<ComplaintNumber> for String {
    fn from(number: ComplaintNumber) -> Self {
        number.to_string()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn parses_and_displays() {
        let n = ComplaintNumber::parse("СУР-2026-000123").unwrap();
        assert_eq!((n.prefix(), n.year(), n.sequence()), ("СУР", 2026, 123));
        assert_eq!(n.to_string(), "СУР-2026-000123");
        assert_eq!(ComplaintNumber::surgut(2026, 123).unwrap(), n);
        assert_eq!(
            ComplaintNumber::surgut(2025, 999_999).unwrap().to_string(),
            "СУР-2025-999999"
        );
        let millionth = ComplaintNumber::surgut(2026, 1_000_000).unwrap();
        assert_eq!(millionth.to_string(), "СУР-2026-1000000");
        assert_eq!(
            ComplaintNumber::parse("СУР-2026-1000000").unwrap(),
            millionth
        );
    }

    #[test]
    fn rejects_malformed() {
        for input in [
            "",
            "СУР-2026-123",
            "СУР-26-000123",
            "сур-2026-000123",
            "СУР-2026-000000",
            "СУР-2026-0001234",
            "СУР-2026-12345678",
            "СУР2026000123",
            "СУР-2026-000123-1",
            "-2026-000123",
            "СУР-2026-+00123",
        ] {
            assert!(ComplaintNumber::parse(input).is_err(), "{input}");
        }
        assert!(ComplaintNumber::surgut(2026, 0).is_err());
        assert!(ComplaintNumber::surgut(2026, 10_000_000).is_err());
    }

    #[test]
    fn serde_as_string() {
        let n = ComplaintNumber::surgut(2026, 7).unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"СУР-2026-000007\"");
        assert_eq!(serde_json::from_str::<ComplaintNumber>(&json).unwrap(), n);
    }
}
