//! What filing a complaint requires besides the lifecycle: the person's consent to the processing
//! of their personal data (152-ФЗ) and the daily limit.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The version of the consent text (152-ФЗ) that residents accept when they register and that
/// clerks read out to the people they file for.
pub const CONSENT_VERSION: &str = "2026-01";

/// A person's consent to the processing of their personal data, as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub accepted: bool,
    /// The version of the text the person was shown or read.
    pub version: String,
}

impl Consent {
    /// The consent a partner system (a ТОС office's app filing through Open311) states for the
    /// person it files for: under the terms its API key was issued on, it files only with the
    /// person's consent to the current text, so the filing records that text's version exactly as
    /// a clerk's intake does.
    pub fn stated_by_partner() -> Consent {
        Consent {
            accepted: true,
            version: CONSENT_VERSION.to_owned(),
        }
    }

    /// The same check at registration and at a clerk's intake: accepted, and for the current text.
    /// Refusals name `consent.accepted` and `consent.version`.
    pub fn check(&self) -> Result<(), DomainError> {
        self.refusals().into_iter().next().map_or(Ok(()), Err)
    }

    /// Every reason [`Consent::check`] refuses, for a form that reports all fields at once.
    pub fn refusals(&self) -> Vec<DomainError> {
        let mut refusals = Vec::new();
        if !self.accepted {
            refusals.push(DomainError::validation(
                "consent.accepted",
                "the person must consent to the processing of their personal data",
            ));
        }
        if self.version != CONSENT_VERSION {
            refusals.push(DomainError::validation(
                "consent.version",
                format!("the current consent version is {CONSENT_VERSION}"),
            ));
        }
        refusals
    }
}

/// How many complaints one resident may file in 24 hours, and how many they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyQuota {
    pub limit: u32,
    pub used: u32,
}

impl DailyQuota {
    /// No limit at all (tests, imports).
    pub const UNLIMITED: DailyQuota = DailyQuota {
        limit: u32::MAX,
        used: 0,
    };

    /// [`DomainError::LimitReached`] once the limit is used up.
    pub fn check(self) -> Result<(), DomainError> {
        if self.used >= self.limit {
            return Err(DomainError::LimitReached {
                limit: "daily_complaints",
                retry_after_seconds: 3600,
            });
        }
        Ok(())
    }
}

/// How many complaints each kind of filer may file in 24 hours: a resident for themself, a ТОС
/// clerk in person, an organisation's API key. Counted by who filed (`filed_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingLimits {
    pub resident: u32,
    pub clerk: u32,
    pub api_key: u32,
}

impl FilingLimits {
    /// The limit that binds `actor`, if any (the city's staff and the system file without one).
    pub fn for_actor(&self, actor: &crate::Actor) -> Option<u32> {
        use crate::{Principal, Role};
        match actor.principal {
            Principal::ServiceAccount { .. } => Some(self.api_key),
            Principal::User { .. } => match actor.role {
                Role::Resident => Some(self.resident),
                Role::Clerk => Some(self.clerk),
                Role::Company | Role::Dispatcher | Role::Inspector | Role::Admin => None,
            },
            Principal::System | Principal::Applicant { .. } => None,
        }
    }
}
