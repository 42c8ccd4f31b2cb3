//! The tamper-evident history as stored: each complaint's hash chain (`prev_hash`, `hash` of its
//! events), the daily checkpoints of all chain heads, and their verification.
//!
//! A checkpoint of day `D` (UTC) folds the stored hash of every complaint's last event before
//! the next midnight (`cutoff`) into one Merkle root (`domain::history_chain::merkle_root`). It is
//! made once the day is over, so that the heads it folded can be recomputed later from the events
//! (for an inclusion proof, or to check the root) without storing a leaf per complaint per day.
//! That recomputation reads the hash of every event before the cutoff: fine for a city, but it is
//! a full scan of the history per proof (see the README).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use domain::history_chain::{
    Broken, ChainedEvent, Digest32, EventContent, ProofStep, merkle_proof, merkle_root,
    verify_chain, verify_proof,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::entities::{complaint, complaint_event, history_checkpoint};
use crate::{Db, RepoError};

/// What an event's hash covers, as the row stores it.
pub(crate) fn content_of(row: &complaint_event::Model) -> EventContent {
    EventContent {
        complaint_id: row.complaint_id,
        kind: row.kind.clone(),
        from_status: row.from_status.clone(),
        to_status: row.to_status.clone(),
        actor_kind: row.actor_kind.clone(),
        actor_id: row.actor_id,
        round: i64::from(row.round),
        at: row.at,
        payload: row.payload.clone(),
    }
}

fn digest(stored: Option<&str>) -> Option<Digest32> {
    stored.and_then(|s| s.parse().ok())
}

fn chained(row: &complaint_event::Model) -> ChainedEvent {
    ChainedEvent {
        id: row.id,
        content: content_of(row),
        prev_hash: digest(row.prev_hash.as_deref()),
        hash: digest(row.hash.as_deref()),
    }
}

/// The stored hash of a complaint's last event, seen from `conn` (inside the unit of work that
/// appends the next one; the version guard serialises writers of one complaint). Zero for none.
#[cfg_attr(feature = "bench-unchained", allow(dead_code))]
pub(crate) async fn last_hash_in<C: ConnectionTrait>(
    conn: &C,
    complaint_id: Uuid,
) -> Result<Digest32, RepoError> {
    let last: Option<Option<String>> = complaint_event::Entity::find()
        .select_only()
        .column(complaint_event::Column::Hash)
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_desc(complaint_event::Column::At)
        .order_by_desc(complaint_event::Column::Id)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(match last {
        None => Digest32::ZERO,
        // A stored hash that is not one is already a broken chain; the new event links to zeros
        // and verification names the earlier one.
        Some(stored) => digest(stored.as_deref()).unwrap_or(Digest32::ZERO),
    })
}

/// A new event linked to the last one of its complaint, seen from `conn` (the unit of work that
/// appends it): its `prev_hash` and `hash` set.
#[cfg(not(feature = "bench-unchained"))]
pub(crate) async fn linked<C: ConnectionTrait>(
    conn: &C,
    row: complaint_event::Model,
) -> Result<complaint_event::Model, RepoError> {
    let prev = last_hash_in(conn, row.complaint_id).await?;
    let hash = domain::history_chain::event_hash(prev, &content_of(&row));
    Ok(complaint_event::Model {
        prev_hash: Some(prev.to_hex()),
        hash: Some(hash.to_hex()),
        ..row
    })
}

/// **Bench instrument only** (cargo feature `bench-unchained`, off by default, never in a
/// deployed build): the event is written without its chain (NULL `prev_hash` and `hash`), with
/// no read of the previous hash and no hashing, so that the bench can measure what the chain
/// costs a transition. `verify-history` names every event written so as `missing_hash`.
#[cfg(feature = "bench-unchained")]
pub(crate) async fn linked<C: ConnectionTrait>(
    _conn: &C,
    row: complaint_event::Model,
) -> Result<complaint_event::Model, RepoError> {
    Ok(row)
}

/// One event's place in its chain, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EventHashes {
    pub event_id: Uuid,
    pub at: DateTime<Utc>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
    /// What the hash covers, as stored (for a signed export that anyone can recompute).
    pub content: EventContent,
}

/// A daily checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub day: NaiveDate,
    pub cutoff: DateTime<Utc>,
    pub root: Digest32,
    pub complaints: u64,
    pub created_at: DateTime<Utc>,
}

/// A complaint's chain, verified, and its inclusion in the latest checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainProof {
    pub events: Vec<EventHashes>,
    /// The chain head, or the first event that breaks the chain.
    pub verified: Result<Digest32, Broken>,
    pub checkpoint: Option<CheckpointProof>,
}

/// The latest checkpoint with a complaint's head at its cutoff and the inclusion proof.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointProof {
    pub checkpoint: Checkpoint,
    /// `None`: the complaint had no event before the cutoff.
    pub head: Option<Digest32>,
    pub proof: Vec<ProofStep>,
    /// The proof leads from the head to the stored root.
    pub included: bool,
}

async fn chain_rows(db: &Db, complaint_id: Uuid) -> Result<Vec<complaint_event::Model>, RepoError> {
    Ok(complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .all(db.connection())
        .await?)
}

/// The stored hash of every complaint's last event before `cutoff`, sorted by complaint id.
pub async fn heads_before(
    db: &Db,
    cutoff: DateTime<Utc>,
) -> Result<Vec<(Uuid, Digest32)>, RepoError> {
    let rows: Vec<(Uuid, Option<String>)> = complaint_event::Entity::find()
        .select_only()
        .column(complaint_event::Column::ComplaintId)
        .column(complaint_event::Column::Hash)
        .filter(complaint_event::Column::At.lt(cutoff))
        .order_by_asc(complaint_event::Column::ComplaintId)
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .into_tuple()
        .all(db.connection())
        .await?;
    let mut heads = BTreeMap::new();
    for (complaint_id, hash) in rows {
        heads.insert(
            complaint_id,
            digest(hash.as_deref()).unwrap_or(Digest32::ZERO),
        );
    }
    Ok(heads.into_iter().collect())
}

fn checkpoint_from(row: history_checkpoint::Model) -> Result<Checkpoint, RepoError> {
    Ok(Checkpoint {
        day: row.day,
        cutoff: row.cutoff,
        root: row
            .root
            .parse()
            .map_err(|e| RepoError::Fault(format!("checkpoint {}: {e}", row.day)))?,
        complaints: u64::try_from(row.complaints)
            .map_err(|_| RepoError::Fault(format!("checkpoint {}: count", row.day)))?,
        created_at: row.created_at,
    })
}

/// The most recent checkpoint, if any.
pub async fn latest_checkpoint(db: &Db) -> Result<Option<Checkpoint>, RepoError> {
    history_checkpoint::Entity::find()
        .order_by_desc(history_checkpoint::Column::Day)
        .one(db.connection())
        .await?
        .map(checkpoint_from)
        .transpose()
}

/// Makes the checkpoint of the day before `now` (UTC) unless it exists: `None` then.
pub async fn make_checkpoint(db: &Db, now: DateTime<Utc>) -> Result<Option<Checkpoint>, RepoError> {
    let today = now.date_naive();
    let day = today - TimeDelta::days(1);
    let exists = history_checkpoint::Entity::find_by_id(day)
        .one(db.connection())
        .await?
        .is_some();
    if exists {
        return Ok(None);
    }
    let cutoff = today.and_time(chrono::NaiveTime::MIN).and_utc();
    let heads = heads_before(db, cutoff).await?;
    let checkpoint = Checkpoint {
        day,
        cutoff,
        root: merkle_root(&heads),
        complaints: heads.len() as u64,
        created_at: now,
    };
    let inserted = history_checkpoint::Entity::insert(history_checkpoint::ActiveModel {
        day: Set(day),
        cutoff: Set(cutoff),
        root: Set(checkpoint.root.to_hex()),
        complaints: Set(i64::try_from(heads.len()).unwrap_or(i64::MAX)),
        created_at: Set(now),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(db.connection())
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)).then_some(checkpoint))
}

/// A complaint's chain, verified, with its inclusion in the latest checkpoint.
pub async fn proof(db: &Db, complaint_id: Uuid) -> Result<ChainProof, RepoError> {
    let rows = chain_rows(db, complaint_id).await?;
    let verified = verify_chain(&rows.iter().map(chained).collect::<Vec<_>>());
    let events = rows
        .into_iter()
        .map(|row| EventHashes {
            content: content_of(&row),
            event_id: row.id,
            at: row.at,
            prev_hash: row.prev_hash,
            hash: row.hash,
        })
        .collect();
    let checkpoint = match latest_checkpoint(db).await? {
        None => None,
        Some(checkpoint) => {
            let heads = heads_before(db, checkpoint.cutoff).await?;
            let head = heads
                .iter()
                .find(|(id, _)| *id == complaint_id)
                .map(|(_, h)| *h);
            let proof = merkle_proof(&heads, complaint_id).unwrap_or_default();
            let included =
                head.is_some_and(|h| verify_proof(checkpoint.root, complaint_id, h, &proof));
            Some(CheckpointProof {
                checkpoint,
                head,
                proof,
                included,
            })
        }
    };
    Ok(ChainProof {
        events,
        verified,
        checkpoint,
    })
}

/// One complaint whose chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenChain {
    pub complaint_id: Uuid,
    pub number: String,
    pub broken: Broken,
}

/// The latest checkpoint against the heads recomputed from the events before its cutoff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointCheck {
    pub checkpoint: Checkpoint,
    pub recomputed_root: Digest32,
    pub recomputed_complaints: u64,
}

impl CheckpointCheck {
    pub fn matches(&self) -> bool {
        self.recomputed_root == self.checkpoint.root
            && self.recomputed_complaints == self.checkpoint.complaints
    }
}

/// What `dispatch verify-history` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryReport {
    pub complaints: u64,
    pub events: u64,
    pub broken: Vec<BrokenChain>,
    pub checkpoint: Option<CheckpointCheck>,
}

impl HistoryReport {
    /// Every chain verifies and the latest checkpoint (if any) matches.
    pub fn is_intact(&self) -> bool {
        self.broken.is_empty()
            && self
                .checkpoint
                .as_ref()
                .is_none_or(CheckpointCheck::matches)
    }
}

/// Checks every complaint's chain, a page of complaints at a time, and the latest checkpoint.
pub async fn verify_all(db: &Db) -> Result<HistoryReport, RepoError> {
    const PAGE: u64 = 500;
    let conn = db.connection();
    let mut report = HistoryReport {
        complaints: 0,
        events: 0,
        broken: Vec::new(),
        checkpoint: None,
    };
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = complaint::Entity::find()
            .select_only()
            .column(complaint::Column::Id)
            .column(complaint::Column::Number)
            .order_by_asc(complaint::Column::Id)
            .limit(PAGE);
        if let Some(last) = after {
            select = select.filter(complaint::Column::Id.gt(last));
        }
        let page: Vec<(Uuid, String)> = select.into_tuple().all(conn).await?;
        let Some((last, _)) = page.last() else { break };
        after = Some(*last);
        let ids: Vec<Uuid> = page.iter().map(|(id, _)| *id).collect();
        let rows = complaint_event::Entity::find()
            .filter(complaint_event::Column::ComplaintId.is_in(ids))
            .order_by_asc(complaint_event::Column::ComplaintId)
            .order_by_asc(complaint_event::Column::At)
            .order_by_asc(complaint_event::Column::Id)
            .all(conn)
            .await?;
        let mut by_complaint: BTreeMap<Uuid, Vec<ChainedEvent>> = BTreeMap::new();
        for row in &rows {
            by_complaint
                .entry(row.complaint_id)
                .or_default()
                .push(chained(row));
        }
        report.events += rows.len() as u64;
        for (id, number) in page {
            report.complaints += 1;
            let chain = by_complaint.remove(&id).unwrap_or_default();
            if let Err(broken) = verify_chain(&chain) {
                report.broken.push(BrokenChain {
                    complaint_id: id,
                    number,
                    broken,
                });
            }
        }
    }
    if let Some(checkpoint) = latest_checkpoint(db).await? {
        let heads = heads_before(db, checkpoint.cutoff).await?;
        report.checkpoint = Some(CheckpointCheck {
            recomputed_root: merkle_root(&heads),
            recomputed_complaints: heads.len() as u64,
            checkpoint,
        });
    }
    Ok(report)
}
