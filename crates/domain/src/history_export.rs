//! A complaint's history as a signed document that the housing inspection can attach to a КоАП
//! case file, and signed checkpoint files. Pure: the key is passed in, nothing is read or written.
//!
//! ## The signed file
//!
//! ```text
//! { "document": { "format": "dispatch.history-export.v1", "complaint": …, "events": […],
//!                 "head": hex, "checkpoint": …|null, "exported_at": …, "exported_by": …,
//!                 "signer": { "algorithm": "Ed25519", "public_key": hex, "key_id": hex } },
//!   "signature": { "algorithm": "Ed25519", "public_key": hex, "value": hex } }
//! ```
//!
//! The signature is Ed25519 over the canonical bytes of `document`
//! ([`crate::history_chain::canonical_json_bytes`]: compact JSON, keys sorted by their bytes).
//! Each event carries the stored columns its hash covers, `prev_hash` and `hash`, so anyone can
//! recompute the chain ([`crate::history_chain`] describes the bytes) and the checkpoint's Merkle
//! inclusion proof without the server. Events hold no names, phones or comments.

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::{Signer as _, Verifier as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::history_chain::{
    Broken, ChainedEvent, Digest32, EventContent, ProofStep, Side, canonical_json_bytes,
    verify_chain, verify_proof,
};

/// The `format` of a history export.
pub const EXPORT_FORMAT: &str = "dispatch.history-export.v1";
/// The `format` of a signed checkpoint file.
pub const CHECKPOINT_FORMAT: &str = "dispatch.checkpoint.v1";
pub const ALGORITHM: &str = "Ed25519";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, pair) in s.as_bytes().chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

/// A signing key from its 32-byte seed written as 64 hex digits (how a key file holds it).
pub fn signing_key_from_hex(seed: &str) -> Option<SigningKey> {
    unhex::<32>(seed.trim()).map(|bytes| SigningKey::from_bytes(&bytes))
}

/// The 64 hex digits of a signing key's seed, for its key file.
pub fn signing_key_to_hex(key: &SigningKey) -> String {
    hex(&key.to_bytes())
}

/// A public key from 64 hex digits.
pub fn verifying_key_from_hex(s: &str) -> Option<VerifyingKey> {
    unhex::<32>(s.trim()).and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
}

/// Who signs: the server's public key and its short id (the first 16 hex digits of its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub algorithm: String,
    pub public_key: String,
    pub key_id: String,
}

impl Signer {
    pub fn of(key: &VerifyingKey) -> Signer {
        let digest = Sha256::digest(key.as_bytes());
        Signer {
            algorithm: ALGORITHM.to_owned(),
            public_key: hex(key.as_bytes()),
            key_id: hex(&digest[..8]),
        }
    }
}

/// One event as exported: the stored columns its hash covers, and its links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedEvent {
    pub event_id: Uuid,
    pub complaint_id: Uuid,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub round: i64,
    pub at: DateTime<Utc>,
    pub payload: Value,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl ExportedEvent {
    pub fn new(
        event_id: Uuid,
        c: EventContent,
        prev_hash: Option<String>,
        hash: Option<String>,
    ) -> Self {
        ExportedEvent {
            event_id,
            complaint_id: c.complaint_id,
            kind: c.kind,
            from_status: c.from_status,
            to_status: c.to_status,
            actor_kind: c.actor_kind,
            actor_id: c.actor_id,
            round: c.round,
            at: c.at,
            payload: c.payload,
            prev_hash,
            hash,
        }
    }

    fn chained(&self) -> ChainedEvent {
        ChainedEvent {
            id: self.event_id,
            content: EventContent {
                complaint_id: self.complaint_id,
                kind: self.kind.clone(),
                from_status: self.from_status.clone(),
                to_status: self.to_status.clone(),
                actor_kind: self.actor_kind.clone(),
                actor_id: self.actor_id,
                round: self.round,
                at: self.at,
                payload: self.payload.clone(),
            },
            prev_hash: self.prev_hash.as_deref().and_then(|h| h.parse().ok()),
            hash: self.hash.as_deref().and_then(|h| h.parse().ok()),
        }
    }
}

/// A step of the Merkle inclusion proof, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedProofStep {
    /// `left` or `right`.
    pub side: String,
    pub sibling: String,
}

/// The daily checkpoint the complaint's chain is folded into, with the inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedCheckpoint {
    pub day: NaiveDate,
    pub cutoff: DateTime<Utc>,
    pub root: String,
    pub complaints: u64,
    /// The chain head at the cutoff: the hash of the last event before it.
    pub head: Option<String>,
    pub proof: Vec<ExportedProofStep>,
    pub included: bool,
}

/// The applicant as the exporting role may see them (152-ФЗ): masked unless they may see it all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedApplicant {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub masked: bool,
}

/// What the complaint is, for the reader of the document (not covered by the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedComplaint {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub category: String,
    pub address: Option<String>,
    pub company: Option<String>,
    pub registered_at: DateTime<Utc>,
    pub applicant: ExportedApplicant,
}

/// Who exported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedBy {
    pub role: String,
    pub name: Option<String>,
}

/// The document that is signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryExport {
    pub format: String,
    pub complaint: ExportedComplaint,
    pub events: Vec<ExportedEvent>,
    /// The chain's final hash (the last event's).
    pub head: String,
    pub checkpoint: Option<ExportedCheckpoint>,
    pub exported_at: DateTime<Utc>,
    pub exported_by: ExportedBy,
    pub signer: Signer,
}

/// Why a signed file does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportFault {
    #[error("not a signed document: {0}")]
    Malformed(String),
    #[error("the signature does not match the document (it was changed after signing)")]
    BadSignature,
    #[error("signed with key {found}, not the expected {expected}")]
    WrongKey { expected: String, found: String },
    #[error("the history chain is broken at {0}")]
    Chain(Broken),
    #[error("the document's final hash {stated} is not the chain's {computed}")]
    HeadMismatch { stated: String, computed: String },
    #[error("the checkpoint does not hold the chain: {0}")]
    Checkpoint(String),
}

/// Signs any document: `{"document": …, "signature": {algorithm, public_key, value}}`.
pub fn sign<T: Serialize>(document: &T, key: &SigningKey) -> Result<Value, ExportFault> {
    let document =
        serde_json::to_value(document).map_err(|e| ExportFault::Malformed(e.to_string()))?;
    let signature = key.sign(&canonical_json_bytes(&document));
    Ok(serde_json::json!({
        "document": document,
        "signature": {
            "algorithm": ALGORITHM,
            "public_key": hex(key.verifying_key().as_bytes()),
            "value": hex(&signature.to_bytes()),
        }
    }))
}

/// Checks a signed file's signature (against `expected` when given, else the key it names);
/// returns the document and the key that signed it.
pub fn verify_signature(
    file: &Value,
    expected: Option<&VerifyingKey>,
) -> Result<(Value, VerifyingKey), ExportFault> {
    let malformed = |what: &str| ExportFault::Malformed(what.to_owned());
    let document = file
        .get("document")
        .ok_or_else(|| malformed("no `document`"))?;
    let signature = file
        .get("signature")
        .ok_or_else(|| malformed("no `signature`"))?;
    let field = |name: &str| {
        signature
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| malformed(&format!("no `signature.{name}`")))
    };
    if field("algorithm")? != ALGORITHM {
        return Err(malformed("the algorithm is not Ed25519"));
    }
    let key = verifying_key_from_hex(field("public_key")?)
        .ok_or_else(|| malformed("`signature.public_key` is not an Ed25519 key"))?;
    if let Some(expected) = expected
        && expected != &key
    {
        return Err(ExportFault::WrongKey {
            expected: Signer::of(expected).key_id,
            found: Signer::of(&key).key_id,
        });
    }
    let value = unhex::<64>(field("value")?)
        .ok_or_else(|| malformed("`signature.value` is not 128 hex digits"))?;
    key.verify(
        &canonical_json_bytes(document),
        &ed25519_dalek::Signature::from_bytes(&value),
    )
    .map_err(|_| ExportFault::BadSignature)?;
    Ok((document.clone(), key))
}

/// What a verified history export shows.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedExport {
    pub export: HistoryExport,
    pub head: Digest32,
    pub key_id: String,
    /// The checkpoint's day and root, when the export claims inclusion in one (and it holds).
    pub checkpoint: Option<(NaiveDate, String)>,
}

/// Verifies a signed history export: the signature, that the signer named inside is the key that
/// signed, every event's hash from its content and predecessor, the final hash, and the
/// checkpoint's inclusion proof.
pub fn verify_history_export(
    file: &Value,
    expected: Option<&VerifyingKey>,
) -> Result<VerifiedExport, ExportFault> {
    let (document, key) = verify_signature(file, expected)?;
    let export: HistoryExport = serde_json::from_value(document)
        .map_err(|e| ExportFault::Malformed(format!("not a history export: {e}")))?;
    if export.format != EXPORT_FORMAT {
        return Err(ExportFault::Malformed(format!(
            "format {:?}, expected {EXPORT_FORMAT}",
            export.format
        )));
    }
    let signer = Signer::of(&key);
    if export.signer != signer {
        return Err(ExportFault::Malformed(
            "the signer named in the document is not the key that signed it".to_owned(),
        ));
    }
    if let Some(foreign) = export
        .events
        .iter()
        .position(|e| e.complaint_id != export.complaint.id)
    {
        return Err(ExportFault::Malformed(format!(
            "event {foreign} belongs to another complaint"
        )));
    }
    let chain: Vec<ChainedEvent> = export.events.iter().map(ExportedEvent::chained).collect();
    let head = verify_chain(&chain).map_err(ExportFault::Chain)?;
    if export.head != head.to_hex() {
        return Err(ExportFault::HeadMismatch {
            stated: export.head.clone(),
            computed: head.to_hex(),
        });
    }
    let checkpoint = match &export.checkpoint {
        Some(cp) if cp.included => Some(check_inclusion(&export, cp)?),
        _ => None,
    };
    Ok(VerifiedExport {
        head,
        key_id: signer.key_id,
        checkpoint,
        export,
    })
}

fn check_inclusion(
    export: &HistoryExport,
    cp: &ExportedCheckpoint,
) -> Result<(NaiveDate, String), ExportFault> {
    let fault = |what: &str| ExportFault::Checkpoint(what.to_owned());
    // The head at the cutoff is the hash of the last exported event before it.
    let at_cutoff = export
        .events
        .iter()
        .rfind(|e| e.at < cp.cutoff)
        .and_then(|e| e.hash.clone());
    if at_cutoff.is_none() || at_cutoff != cp.head {
        return Err(fault("its head is not the chain's hash at the cutoff"));
    }
    let head: Digest32 = at_cutoff
        .as_deref()
        .and_then(|h| h.parse().ok())
        .ok_or_else(|| fault("its head is not a hash"))?;
    let root: Digest32 = cp
        .root
        .parse()
        .map_err(|_| fault("its root is not a hash"))?;
    let proof = cp
        .proof
        .iter()
        .map(|s| {
            Some(ProofStep {
                side: Side::parse(&s.side)?,
                sibling: s.sibling.parse().ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| fault("a proof step is malformed"))?;
    if !verify_proof(root, export.complaint.id, head, &proof) {
        return Err(fault("the proof does not lead to the root"));
    }
    Ok((cp.day, cp.root.clone()))
}

/// A daily checkpoint as a signed file (`APP_CHECKPOINT_DIR`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointFile {
    pub format: String,
    pub day: NaiveDate,
    pub cutoff: DateTime<Utc>,
    pub root: String,
    pub complaints: u64,
    pub created_at: DateTime<Utc>,
    pub signer: Signer,
}
