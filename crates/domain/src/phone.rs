//! Russian phone numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A Russian phone number, normalised to E.164: `+7XXXXXXXXXX`.
///
/// Accepted input: `+7 912 345-67-89`, `8 (912) 345-67-89`, `7912…`, `912…` (ten digits), with
/// spaces, hyphens, dots and parentheses. The national number must start with 3, 4, 8 or 9
/// (geographic, toll-free and mobile codes of Russia; 6 and 7 after +7 are Kazakhstan).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, DomainError> {
        let invalid = |message: &str| DomainError::validation("phone", message);
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(11);
        for ch in rest.chars() {
            if ch.is_ascii_digit() {
                digits.push(ch);
            } else if !matches!(ch, ' ' | '-' | '(' | ')' | '.' | '\u{a0}') {
                return Err(invalid(
                    "may contain only digits, spaces, hyphens and parentheses",
                ));
            }
        }
        let national = match (plus, digits.len()) {
            (true, 11) if digits.starts_with('7') => &digits[1..],
            (true, _) => return Err(invalid("must be +7 followed by ten digits")),
            (false, 11) if digits.starts_with('8') || digits.starts_with('7') => &digits[1..],
            (false, 10) => digits.as_str(),
            (false, _) => return Err(invalid("must have ten digits after 8 or +7")),
        };
        if !matches!(national.as_bytes().first(), Some(b'3' | b'4' | b'8' | b'9')) {
            return Err(invalid("is not a Russian number"));
        }
        Ok(PhoneNumber(format!("+7{national}")))
    }

    /// `+7XXXXXXXXXX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For receipts and public pages: `+7 *** ***-**-67` (the last two digits only).
    pub fn masked(&self) -> String {
        let last_two = self.0.get(self.0.len().saturating_sub(2)..).unwrap_or("");
        format!("+7 *** ***-**-{last_two}")
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PhoneNumber {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PhoneNumber::parse(s)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> Self {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn normalises_common_spellings() {
        for input in [
            "+7 912 345-67-89",
            "8 (912) 345-67-89",
            "89123456789",
            "79123456789",
            "9123456789",
            " +7(912)345.67.89 ",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().as_str(),
                "+79123456789",
                "{input}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("8 (3462) 52-00-00").unwrap().as_str(),
            "+73462520000"
        );
    }

    #[test]
    fn rejects_garbage() {
        for input in [
            "",
            "12345",
            "+1 212 555 0100",
            "+7 712 345 67 89",
            "8 912 345 67",
            "8912345678901",
            "8-912-ABC-67-89",
            "+8 912 345 67 89",
            "0123456789",
        ] {
            let err = PhoneNumber::parse(input).unwrap_err();
            assert_eq!(err.code(), "validation", "{input}");
        }
    }

    #[test]
    fn masks_all_but_last_two_digits() {
        let phone = PhoneNumber::parse("8 912 345 67 67").unwrap();
        assert_eq!(phone.masked(), "+7 *** ***-**-67");
    }

    #[test]
    fn serde_round_trip_validates() {
        let phone: PhoneNumber = serde_json::from_str("\"8 912 345 67 89\"").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), "\"+79123456789\"");
        assert!(serde_json::from_str::<PhoneNumber>("\"123\"").is_err());
    }
}
