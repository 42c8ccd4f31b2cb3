//! **Bench instrument only** (cargo feature `bench-unchained`, never in a deployed build): the
//! hash chains of a city whose events were inserted by SQL (the bench's seed), computed exactly as
//! the unit of work links them (`domain::history_chain::event_hash` over
//! `history::content_of`), so that `dispatch verify-history` has real chains to check. It only
//! reads; the bench writes the hashes with the append-only trigger lifted, as migration 22 did.

use domain::history_chain::{Digest32, event_hash};
use futures_util::TryStreamExt;
use sea_orm::{EntityTrait, QueryOrder};
use uuid::Uuid;

use crate::entities::complaint_event;
use crate::history::content_of;
use crate::{Db, RepoError};

/// One event's hashes as its chain makes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventLink {
    pub event_id: Uuid,
    pub prev_hash: Digest32,
    pub hash: Digest32,
    /// The row already stores exactly these hashes.
    pub stored: bool,
}

/// Streams every event in chain order (complaint, `at`, id) and hands each one's link to `each`;
/// memory stays bounded. Returns the number of events.
pub async fn chain_links(db: &Db, mut each: impl FnMut(EventLink)) -> Result<u64, RepoError> {
    let mut rows = complaint_event::Entity::find()
        .order_by_asc(complaint_event::Column::ComplaintId)
        .order_by_asc(complaint_event::Column::At)
        .order_by_asc(complaint_event::Column::Id)
        .stream(db.connection())
        .await?;
    let mut previous: Option<(Uuid, Digest32)> = None;
    let mut events = 0;
    while let Some(row) = rows.try_next().await? {
        let prev_hash = match previous {
            Some((complaint, hash)) if complaint == row.complaint_id => hash,
            _ => Digest32::ZERO,
        };
        let hash = event_hash(prev_hash, &content_of(&row));
        let stored = row.prev_hash.as_deref() == Some(prev_hash.to_hex().as_str())
            && row.hash.as_deref() == Some(hash.to_hex().as_str());
        each(EventLink {
            event_id: row.id,
            prev_hash,
            hash,
            stored,
        });
        previous = Some((row.complaint_id, hash));
        events += 1;
    }
    Ok(events)
}
