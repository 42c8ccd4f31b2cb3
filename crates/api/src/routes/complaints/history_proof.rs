use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::load_visible;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// One event's link in the complaint's hash chain, as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainLink {
    pub event_id: Uuid,
    pub at: DateTime<Utc>,
    /// Hex SHA-256 of the previous event (64 zeros for the first).
    pub prev_hash: Option<String>,
    /// Hex SHA-256 of `prev_hash` and the event's canonical bytes.
    pub hash: Option<String>,
}

/// The first event at which the chain does not verify.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainBreak {
    pub event_id: Uuid,
    /// Zero-based position in the history, oldest first.
    pub position: usize,
    /// `missing_hash`, `previous_mismatch`, `content_mismatch` or `foreign_event`.
    #[schema(example = "content_mismatch")]
    pub reason: String,
    pub message: String,
}

/// One step of a Merkle inclusion proof, from the leaf up.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProofStep {
    /// Where the sibling goes: `left` (sibling ‖ running) or `right` (running ‖ sibling).
    #[schema(example = "right")]
    pub side: String,
    pub sibling: String,
}

/// The latest daily checkpoint and this complaint's inclusion in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointInclusion {
    /// The UTC day the checkpoint covers.
    pub day: NaiveDate,
    /// Events before this instant are folded into it.
    pub cutoff: DateTime<Utc>,
    /// Hex Merkle root over (complaint id, chain head) of every complaint.
    pub root: String,
    pub complaints: u64,
    pub created_at: DateTime<Utc>,
    /// The complaint's chain head at the cutoff; null when it had no event before it.
    pub head: Option<String>,
    pub proof: Vec<ProofStep>,
    /// The proof leads from `head` to `root`.
    pub included: bool,
}

/// A complaint's hash chain, whether it verifies, and its inclusion in the latest checkpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryProof {
    pub complaint_id: Uuid,
    pub events: Vec<ChainLink>,
    /// True when every event's hash matches its content and its predecessor.
    pub verified: bool,
    /// The last event's hash when the chain verifies.
    pub head: Option<String>,
    pub broken: Option<ChainBreak>,
    /// Null until the first daily checkpoint.
    pub checkpoint: Option<CheckpointInclusion>,
}

impl From<(Uuid, persistence::history::ChainProof)> for HistoryProof {
    fn from((complaint_id, proof): (Uuid, persistence::history::ChainProof)) -> Self {
        let (head, broken) = match proof.verified {
            Ok(head) => (Some(head.to_hex()), None),
            Err(broken) => (
                None,
                Some(ChainBreak {
                    event_id: broken.event_id,
                    position: broken.position,
                    reason: broken.why.as_str().to_owned(),
                    message: broken.why.to_string(),
                }),
            ),
        };
        HistoryProof {
            complaint_id,
            events: proof
                .events
                .into_iter()
                .map(|e| ChainLink {
                    event_id: e.event_id,
                    at: e.at,
                    prev_hash: e.prev_hash,
                    hash: e.hash,
                })
                .collect(),
            verified: broken.is_none(),
            head,
            broken,
            checkpoint: proof.checkpoint.map(|c| CheckpointInclusion {
                day: c.checkpoint.day,
                cutoff: c.checkpoint.cutoff,
                root: c.checkpoint.root.to_hex(),
                complaints: c.checkpoint.complaints,
                created_at: c.checkpoint.created_at,
                head: c.head.map(|h| h.to_hex()),
                proof: c
                    .proof
                    .into_iter()
                    .map(|s| ProofStep {
                        side: s.side.as_str().to_owned(),
                        sibling: s.sibling.to_hex(),
                    })
                    .collect(),
                included: c.included,
            }),
        }
    }
}

/// The complaint's tamper-evident history: each event's hash and the previous one, whether the
/// chain verifies (and else the first event that breaks it), and the latest daily checkpoint
/// with the Merkle proof that the complaint's chain head is in it. Anyone who may see the
/// complaint may see its proof.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = HistoryProof),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/history/proof")]
pub async fn history_proof(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = load_visible(&state, *id, &caller.actor).await?;
    let proof = persistence::history::proof(&state.db, record.complaint.id).await?;
    Ok(HttpResponse::Ok().json(HistoryProof::from((record.complaint.id, proof))))
}
