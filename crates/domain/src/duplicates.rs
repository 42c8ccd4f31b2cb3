//! Duplicates (issue 16): suggestions of open complaints while a complaint is typed in, following
//! (joining) an open complaint instead of filing another, and linking a duplicate to its original.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Actor, Complaint, Consent, DailyQuota, DomainError, PhoneNumber, Role};

/// At most this many suggestions are shown.
pub const MAX_SUGGESTIONS: usize = 5;
/// Words are compared by their first characters: Russian endings vary by case and number
/// («батарея», «батареи», «батарею» share «батар»).
const STEM_CHARS: usize = 5;
/// Shorter words (prepositions, «не», «в») say nothing about the problem.
const MIN_WORD_CHARS: usize = 3;
/// Frequent words of any complaint that would make everything look alike.
const STOP_WORDS: &[&str] = &[
    "что",
    "это",
    "как",
    "уже",
    "нет",
    "для",
    "при",
    "под",
    "над",
    "все",
    "всё",
    "так",
    "его",
    "она",
    "они",
    "или",
    "the",
    "and",
    "нас",
    "наш",
    "наше",
    "мы",
    "очень",
    "дом",
    "дома",
    "доме",
];
const SAME_CATEGORY_SCORE: u32 = 10;
const SHARED_WORD_SCORE: u32 = 3;

/// The stems of the words of `text`: lowercase, «ё» as «е», split on anything but letters and
/// digits, short and stop words dropped, each cut to its first `STEM_CHARS` characters.
pub fn word_stems(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .replace('ё', "е")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= MIN_WORD_CHARS && !STOP_WORDS.contains(w))
        .map(|w| w.chars().take(STEM_CHARS).collect())
        .collect()
}

/// One open complaint of the building that may be suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub id: Uuid,
    pub category_id: Uuid,
    /// Its description: compared, never shown.
    pub text: &'a str,
    pub registered_at: DateTime<Utc>,
    /// Still open (a closed complaint is never suggested).
    pub open: bool,
    /// Its category may be shown to the public ([`crate::category_is_public`]); a complaint
    /// about one flat is never suggested to anyone else.
    pub public: bool,
}

/// A suggestion: the candidate's id and how alike it is (higher first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    pub id: Uuid,
    pub score: u32,
}

/// Ranks `candidates` (complaints of the same building) against what is being typed: the same
/// category counts `SAME_CATEGORY_SCORE`, each shared word stem `SHARED_WORD_SCORE`. Only
/// open, public candidates with some likeness are kept, best first, then newest first, at most
/// `limit` (capped at [`MAX_SUGGESTIONS`]).
pub fn rank_similar(
    candidates: &[Candidate<'_>],
    category_id: Option<Uuid>,
    text: &str,
    limit: usize,
) -> Vec<Suggestion> {
    let typed = word_stems(text);
    let mut scored: Vec<(u32, DateTime<Utc>, Uuid)> = candidates
        .iter()
        .filter(|c| c.open && c.public)
        .filter_map(|c| {
            let category = if category_id == Some(c.category_id) {
                SAME_CATEGORY_SCORE
            } else {
                0
            };
            let shared = word_stems(c.text).intersection(&typed).count();
            let words = u32::try_from(shared)
                .unwrap_or(u32::MAX)
                .saturating_mul(SHARED_WORD_SCORE);
            let score = category.saturating_add(words);
            (score > 0).then_some((score, c.registered_at, c.id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored
        .into_iter()
        .take(limit.min(MAX_SUGGESTIONS))
        .map(|(score, _, id)| Suggestion { id, score })
        .collect()
}

/// Who may see suggestions: those who file (residents, clerks) and the city's dispatchers.
pub fn may_suggest(actor: &Actor) -> Result<(), DomainError> {
    match actor.role {
        Role::Resident | Role::Clerk | Role::Dispatcher => Ok(()),
        Role::Company | Role::Inspector | Role::Admin => Err(DomainError::Forbidden {
            role: actor.role,
            operation: "see similar complaints",
        }),
    }
}

/// Who follows a complaint and hears how it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follower {
    /// A resident's account: told in the app.
    User(Uuid),
    /// A person without an account a clerk joined: told by SMS, with their consent.
    Phone {
        phone: PhoneNumber,
        consent: Consent,
    },
}

/// The person a clerk joins to a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowerPerson {
    pub phone: PhoneNumber,
    pub consent: Consent,
}

/// A resident (for themself) or a clerk (for a person by phone) joins an open complaint instead
/// of filing another; `quota` counts joins like filings. Others may not; a final complaint cannot
/// be joined ([`DomainError::Closed`]); its author already hears of it.
pub fn follow(
    actor: &Actor,
    complaint: &Complaint,
    person: Option<FollowerPerson>,
    quota: DailyQuota,
) -> Result<Follower, DomainError> {
    actor.require_acting_scope()?;
    let follower = match (actor.role, person) {
        (Role::Resident, None) => {
            let me = actor.id();
            if complaint.author_id == Some(me) {
                return Err(DomainError::precondition(
                    "this is your own complaint: you hear of it already",
                ));
            }
            Follower::User(me)
        }
        (Role::Resident, Some(_)) => {
            return Err(DomainError::validation(
                "phone",
                "a resident joins for themself only",
            ));
        }
        (Role::Clerk, Some(person)) => {
            person.consent.check()?;
            Follower::Phone {
                phone: person.phone,
                consent: person.consent,
            }
        }
        (Role::Clerk, None) => {
            return Err(DomainError::validation(
                "phone",
                "a clerk names the person's phone",
            ));
        }
        (Role::Company | Role::Dispatcher | Role::Inspector | Role::Admin, _) => {
            return Err(DomainError::Forbidden {
                role: actor.role,
                operation: "join a complaint",
            });
        }
    };
    if !complaint.is_open() {
        return Err(DomainError::Closed);
    }
    quota.check()?;
    Ok(follower)
}

/// Why a duplicate cannot be linked to the complaint named as its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum LinkRefusal {
    /// The complaint named itself as its original.
    LinkToItself,
    /// The original is closed and about another building.
    LinkToClosedElsewhere,
    /// The original is (through its own links) a duplicate of this complaint.
    LinkCycle,
}

impl LinkRefusal {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One side of a link: the complaint and its building.
#[derive(Debug, Clone, Copy)]
pub struct LinkEnd<'a> {
    pub complaint: &'a Complaint,
    pub building_id: Uuid,
}

/// Whether `duplicate` may be linked to `original`. `original_chain` lists the complaints the
/// original is itself linked to, in order (its original, that one's original, ...). The original
/// may be open anywhere, or closed in the same building (the same problem, already dealt with).
pub fn check_link(
    duplicate: LinkEnd<'_>,
    original: LinkEnd<'_>,
    original_chain: &[Uuid],
) -> Result<(), DomainError> {
    if duplicate.complaint.id == original.complaint.id {
        return Err(DomainError::LinkRefused(LinkRefusal::LinkToItself));
    }
    if original_chain.contains(&duplicate.complaint.id) {
        return Err(DomainError::LinkRefused(LinkRefusal::LinkCycle));
    }
    if original.complaint.status.is_final() && original.building_id != duplicate.building_id {
        return Err(DomainError::LinkRefused(LinkRefusal::LinkToClosedElsewhere));
    }
    Ok(())
}

/// What a follower reads in the app of a change of the complaint they follow: every change of
/// its status after the filing, nothing else. `None` when the status did not change.
pub fn follower_text(
    from: Option<crate::Status>,
    to: crate::Status,
    number: &str,
) -> Option<String> {
    from.is_some_and(|from| from != to).then(|| {
        format!(
            "Жалоба {number}, к которой вы присоединились: {}",
            to.name_ru()
        )
    })
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;
