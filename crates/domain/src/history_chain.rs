//! Tamper-evident history: each event of a complaint carries a hash of its content and of the
//! previous event of the same complaint (a hash chain), and the chain heads of all complaints fold
//! into one Merkle root (a checkpoint).
//!
//! ## Canonical bytes of an event (`dispatch.event.v1`)
//!
//! The bytes hashed for one event are the compact JSON array
//!
//! ```text
//! ["dispatch.event.v1", complaint_id, kind, from_status|null, to_status, actor_kind,
//!  actor_id|null, round, at, payload]
//! ```
//!
//! - ids are lower-case hyphenated UUIDs; `kind`, the statuses and `actor_kind` are the stored
//!   strings (`registered`, `in_progress`, `user`, ...); `round` is an integer;
//! - `at` is RFC 3339 in UTC with exactly six fractional digits, truncated (`…T12:00:00.123456Z`):
//!   microseconds are what PostgreSQL keeps;
//! - `payload` is the stored payload (the typed details with `company_id` and `round`) as canonical
//!   JSON: no whitespace, object keys sorted by their bytes, strings escaped as `serde_json` does.
//!
//! Names, phones, flats and free text are not part of an event's canonical bytes (only what the
//! row stores in the columns above): `comment` and the details' personal fields
//! (`crate::PERSONAL_FIELDS`, stored in the `personal` column beside the payload) are not hashed,
//! so that erasure (152-ФЗ) can redact them and the chain still verifies.
//!
//! ## Hashes
//!
//! `hash = SHA-256(prev_hash ‖ canonical bytes)`, where `prev_hash` is the hash of the previous
//! event of the same complaint (oldest first) and 32 zero bytes for the first one.
//!
//! ## Merkle root
//!
//! Leaves are `SHA-256(0x00 ‖ complaint id (16 bytes) ‖ chain head)`, sorted by complaint id; an
//! inner node is `SHA-256(0x01 ‖ left ‖ right)`; an odd node at the end of a level moves up
//! unchanged. The root of no complaints is the zero hash.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The version tag at the start of an event's canonical bytes.
pub const CANONICAL_VERSION: &str = "dispatch.event.v1";

/// A SHA-256 digest, shown as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Digest32(pub [u8; 32]);

impl Digest32 {
    /// The `prev_hash` of a complaint's first event, and the root of no complaints.
    pub const ZERO: Digest32 = Digest32([0; 32]);

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Display for Digest32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest32({})", self.to_hex())
    }
}

/// A hash that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 hex digest: {0:?}")]
pub struct BadDigest(pub String);

impl FromStr for Digest32 {
    type Err = BadDigest;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return Err(BadDigest(s.to_owned()));
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let text = std::str::from_utf8(pair).map_err(|_| BadDigest(s.to_owned()))?;
            out[i] = u8::from_str_radix(text, 16).map_err(|_| BadDigest(s.to_owned()))?;
        }
        Ok(Digest32(out))
    }
}

/// What of a stored event its hash covers: the columns as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EventContent {
    pub complaint_id: Uuid,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// `user`, `service_account`, `system` or `applicant`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub round: i64,
    pub at: DateTime<Utc>,
    /// The stored payload: the typed details' fields with `company_id` and `round`.
    pub payload: Value,
}

/// The time as it is hashed: RFC 3339, UTC, six fractional digits (truncated).
pub fn canonical_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn json_string(s: &str, out: &mut String) {
    // Serialising a string cannot fail; the fallback is never taken.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

fn canonical_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(key, out);
                out.push(':');
                if let Some(v) = fields.get(key) {
                    canonical_json(v, out);
                }
            }
            out.push('}');
        }
    }
}

/// Any JSON value in the canonical form events are hashed in: compact, object keys sorted by
/// their bytes (what a signed history export signs).
pub fn canonical_json_bytes(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    canonical_json(value, &mut out);
    out.into_bytes()
}

/// The canonical bytes of an event (see the module documentation).
pub fn canonical_bytes(event: &EventContent) -> Vec<u8> {
    let optional = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
    let array = Value::Array(vec![
        Value::String(CANONICAL_VERSION.to_owned()),
        Value::String(event.complaint_id.hyphenated().to_string()),
        Value::String(event.kind.clone()),
        optional(&event.from_status),
        Value::String(event.to_status.clone()),
        Value::String(event.actor_kind.clone()),
        optional(&event.actor_id.map(|id| id.hyphenated().to_string())),
        Value::from(event.round),
        Value::String(canonical_time(event.at)),
        event.payload.clone(),
    ]);
    let mut out = String::new();
    canonical_json(&array, &mut out);
    out.into_bytes()
}

/// `SHA-256(prev ‖ canonical bytes)`.
pub fn event_hash(prev: Digest32, event: &EventContent) -> Digest32 {
    let mut hasher = Sha256::new();
    hasher.update(prev.0);
    hasher.update(canonical_bytes(event));
    Digest32(hasher.finalize().into())
}

/// One stored event with its stored hashes (`None`: missing or not a digest).
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEvent {
    pub id: Uuid,
    pub content: EventContent,
    pub prev_hash: Option<Digest32>,
    pub hash: Option<Digest32>,
}

/// Why a chain does not verify at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokenWhy {
    /// The event has no hash or no previous hash stored.
    MissingHash,
    /// Its `prev_hash` is not the hash of the event before it: one was removed, inserted or
    /// reordered.
    PreviousMismatch,
    /// Its content does not hash to its stored hash: it was edited.
    ContentMismatch,
    /// It belongs to another complaint than the chain's first event.
    ForeignEvent,
}

impl BrokenWhy {
    pub fn as_str(self) -> &'static str {
        match self {
            BrokenWhy::MissingHash => "missing_hash",
            BrokenWhy::PreviousMismatch => "previous_mismatch",
            BrokenWhy::ContentMismatch => "content_mismatch",
            BrokenWhy::ForeignEvent => "foreign_event",
        }
    }
}

impl fmt::Display for BrokenWhy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BrokenWhy::MissingHash => "the event has no stored hash",
            BrokenWhy::PreviousMismatch => {
                "its previous hash is not the hash of the event before it (removed, inserted or reordered)"
            }
            BrokenWhy::ContentMismatch => "its content does not match its hash (edited)",
            BrokenWhy::ForeignEvent => "it belongs to another complaint",
        })
    }
}

/// The first event at which a chain does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("event {event_id} (position {position}): {why}")]
pub struct Broken {
    pub event_id: Uuid,
    /// Zero-based, oldest first.
    pub position: usize,
    pub why: BrokenWhy,
}

/// Checks one complaint's events, oldest first; the answer is the chain head (the last event's
/// hash; the zero hash for no events) or the first event that breaks it.
pub fn verify_chain(events: &[ChainedEvent]) -> Result<Digest32, Broken> {
    let mut prev = Digest32::ZERO;
    let first = events.first().map(|e| e.content.complaint_id);
    for (position, event) in events.iter().enumerate() {
        let broken = |why| Broken {
            event_id: event.id,
            position,
            why,
        };
        if Some(event.content.complaint_id) != first {
            return Err(broken(BrokenWhy::ForeignEvent));
        }
        let (Some(stored_prev), Some(stored)) = (event.prev_hash, event.hash) else {
            return Err(broken(BrokenWhy::MissingHash));
        };
        if stored_prev != prev {
            return Err(broken(BrokenWhy::PreviousMismatch));
        }
        if event_hash(prev, &event.content) != stored {
            return Err(broken(BrokenWhy::ContentMismatch));
        }
        prev = stored;
    }
    Ok(prev)
}

fn leaf_hash(complaint_id: Uuid, head: Digest32) -> Digest32 {
    let mut hasher = Sha256::new();
    hasher.update([0u8]);
    hasher.update(complaint_id.as_bytes());
    hasher.update(head.0);
    Digest32(hasher.finalize().into())
}

fn node_hash(left: Digest32, right: Digest32) -> Digest32 {
    let mut hasher = Sha256::new();
    hasher.update([1u8]);
    hasher.update(left.0);
    hasher.update(right.0);
    Digest32(hasher.finalize().into())
}

fn sorted_leaves(heads: &[(Uuid, Digest32)]) -> Vec<(Uuid, Digest32)> {
    let mut sorted = heads.to_vec();
    sorted.sort_by_key(|(id, _)| *id);
    sorted
}

fn next_level(level: &[Digest32]) -> Vec<Digest32> {
    level
        .chunks(2)
        .map(|pair| match pair {
            [left, right] => node_hash(*left, *right),
            [single] => *single,
            _ => Digest32::ZERO,
        })
        .collect()
}

/// The Merkle root over `(complaint id, chain head)` pairs, in any order (they are sorted by id).
pub fn merkle_root(heads: &[(Uuid, Digest32)]) -> Digest32 {
    let mut level: Vec<Digest32> = sorted_leaves(heads)
        .into_iter()
        .map(|(id, head)| leaf_hash(id, head))
        .collect();
    if level.is_empty() {
        return Digest32::ZERO;
    }
    while level.len() > 1 {
        level = next_level(&level);
    }
    level[0]
}

/// Which side of the running hash a proof's sibling goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "left" => Some(Side::Left),
            "right" => Some(Side::Right),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// One step of an inclusion proof, from the leaf up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProofStep {
    pub side: Side,
    pub sibling: Digest32,
}

/// The inclusion proof of one complaint in the root of `heads`; `None` when it is not there.
pub fn merkle_proof(heads: &[(Uuid, Digest32)], complaint_id: Uuid) -> Option<Vec<ProofStep>> {
    let sorted = sorted_leaves(heads);
    let mut index = sorted.iter().position(|(id, _)| *id == complaint_id)?;
    let mut level: Vec<Digest32> = sorted
        .into_iter()
        .map(|(id, head)| leaf_hash(id, head))
        .collect();
    let mut proof = Vec::new();
    while level.len() > 1 {
        let sibling = index ^ 1;
        if let Some(hash) = level.get(sibling) {
            proof.push(ProofStep {
                side: if sibling < index {
                    Side::Left
                } else {
                    Side::Right
                },
                sibling: *hash,
            });
        }
        level = next_level(&level);
        index /= 2;
    }
    Some(proof)
}

/// Whether `proof` shows `(complaint_id, head)` in the tree of `root`.
pub fn verify_proof(
    root: Digest32,
    complaint_id: Uuid,
    head: Digest32,
    proof: &[ProofStep],
) -> bool {
    let folded = proof
        .iter()
        .fold(leaf_hash(complaint_id, head), |acc, step| match step.side {
            Side::Left => node_hash(step.sibling, acc),
            Side::Right => node_hash(acc, step.sibling),
        });
    folded == root
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn content(complaint: Uuid, n: u32) -> EventContent {
        EventContent {
            complaint_id: complaint,
            kind: if n == 0 { "registered" } else { "accept" }.to_owned(),
            from_status: (n > 0).then(|| "registered".to_owned()),
            to_status: "in_progress".to_owned(),
            actor_kind: "user".to_owned(),
            actor_id: Some(Uuid::from_u128(7)),
            round: 1,
            at: Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, n).unwrap(),
            payload: json!({ "round": 1, "company_id": null, "n": n }),
        }
    }

    fn chain(complaint: Uuid, len: u32) -> Vec<ChainedEvent> {
        let mut prev = Digest32::ZERO;
        (0..len)
            .map(|n| {
                let c = content(complaint, n);
                let hash = event_hash(prev, &c);
                let e = ChainedEvent {
                    id: Uuid::from_u128(1000 + u128::from(n)),
                    content: c,
                    prev_hash: Some(prev),
                    hash: Some(hash),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn canonical_bytes_are_documented_and_stable() {
        let mut c = content(Uuid::from_u128(1), 1);
        c.at = Utc
            .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
            .unwrap()
            .checked_add_signed(chrono::TimeDelta::nanoseconds(123_456_789))
            .unwrap();
        let text = String::from_utf8(canonical_bytes(&c)).unwrap();
        assert_eq!(
            text,
            "[\"dispatch.event.v1\",\"00000000-0000-0000-0000-000000000001\",\"accept\",\
             \"registered\",\"in_progress\",\"user\",\"00000000-0000-0000-0000-000000000007\",1,\
             \"2026-12-01T10:00:00.123456Z\",{\"company_id\":null,\"n\":1,\"round\":1}]"
        );
        // Key order of the stored payload does not matter; nanoseconds beyond micros do not.
        let mut reordered = c.clone();
        reordered.payload = json!({ "n": 1, "round": 1, "company_id": null });
        reordered.at = c.at - chrono::TimeDelta::nanoseconds(789);
        assert_eq!(canonical_bytes(&c), canonical_bytes(&reordered));
    }

    #[test]
    fn digests_print_and_parse_as_hex() {
        let h = event_hash(Digest32::ZERO, &content(Uuid::from_u128(1), 0));
        assert_eq!(h.to_hex().len(), 64);
        assert_eq!(h.to_hex().parse::<Digest32>().unwrap(), h);
        assert!("xyz".parse::<Digest32>().is_err());
        assert!("zz".repeat(32).parse::<Digest32>().is_err());
    }

    #[test]
    fn an_untouched_chain_verifies_to_its_last_hash() {
        let events = chain(Uuid::from_u128(1), 4);
        assert_eq!(verify_chain(&events), Ok(events[3].hash.unwrap()));
        assert_eq!(verify_chain(&[]), Ok(Digest32::ZERO));
        assert_eq!(events[0].prev_hash, Some(Digest32::ZERO));
    }

    #[test]
    fn a_tampered_event_is_named() {
        let mut events = chain(Uuid::from_u128(1), 4);
        events[2].content.payload = json!({ "round": 1, "company_id": null, "n": 99 });
        assert_eq!(
            verify_chain(&events),
            Err(Broken {
                event_id: events[2].id,
                position: 2,
                why: BrokenWhy::ContentMismatch
            })
        );
        let mut events = chain(Uuid::from_u128(1), 4);
        events[1].content.at += chrono::TimeDelta::seconds(1);
        assert_eq!(verify_chain(&events).unwrap_err().position, 1);
    }

    #[test]
    fn a_removed_event_breaks_the_next_one() {
        let mut events = chain(Uuid::from_u128(1), 4);
        events.remove(1);
        assert_eq!(
            verify_chain(&events),
            Err(Broken {
                event_id: Uuid::from_u128(1002),
                position: 1,
                why: BrokenWhy::PreviousMismatch
            })
        );
        let mut events = chain(Uuid::from_u128(1), 4);
        events.remove(0);
        assert_eq!(
            verify_chain(&events).unwrap_err().why,
            BrokenWhy::PreviousMismatch
        );
    }

    #[test]
    fn a_reordered_event_is_found() {
        let mut events = chain(Uuid::from_u128(1), 4);
        events.swap(1, 2);
        let broken = verify_chain(&events).unwrap_err();
        assert_eq!(broken.position, 1);
        assert_eq!(broken.event_id, Uuid::from_u128(1002));
        assert_eq!(broken.why, BrokenWhy::PreviousMismatch);
    }

    #[test]
    fn a_missing_hash_or_a_foreign_event_is_named() {
        let mut events = chain(Uuid::from_u128(1), 3);
        events[2].hash = None;
        assert_eq!(
            verify_chain(&events).unwrap_err().why,
            BrokenWhy::MissingHash
        );
        let mut events = chain(Uuid::from_u128(1), 3);
        events.push(chain(Uuid::from_u128(2), 1).remove(0));
        assert_eq!(
            verify_chain(&events).unwrap_err().why,
            BrokenWhy::ForeignEvent
        );
    }

    #[test]
    fn every_complaint_has_a_proof_of_inclusion() {
        for n in 0..12u128 {
            let heads: Vec<(Uuid, Digest32)> = (0..n)
                .rev()
                .map(|i| {
                    let id = Uuid::from_u128(i + 1);
                    (id, verify_chain(&chain(id, 2)).unwrap())
                })
                .collect();
            let root = merkle_root(&heads);
            if n == 0 {
                assert_eq!(root, Digest32::ZERO);
            }
            for (id, head) in &heads {
                let proof = merkle_proof(&heads, *id).unwrap();
                assert!(verify_proof(root, *id, *head, &proof), "n={n} id={id}");
                // Another head, another complaint or another root does not verify.
                assert!(!verify_proof(root, *id, Digest32::ZERO, &proof));
                assert!(!verify_proof(root, Uuid::from_u128(999), *head, &proof));
                assert!(!verify_proof(Digest32([9; 32]), *id, *head, &proof));
            }
            assert!(merkle_proof(&heads, Uuid::from_u128(999)).is_none());
        }
    }

    #[test]
    fn the_root_does_not_depend_on_order_but_on_every_head() {
        let heads: Vec<(Uuid, Digest32)> = (1..=5u128)
            .map(|i| (Uuid::from_u128(i), Digest32([i as u8; 32])))
            .collect();
        let mut reversed = heads.clone();
        reversed.reverse();
        assert_eq!(merkle_root(&heads), merkle_root(&reversed));
        let mut changed = heads.clone();
        changed[3].1 = Digest32([42; 32]);
        assert_ne!(merkle_root(&heads), merkle_root(&changed));
    }
}
