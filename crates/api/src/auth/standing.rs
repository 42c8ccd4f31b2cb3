//! Whether a signed-in person's account may still act (`domain::accounts::may_act`), checked on
//! every request with a bearer token: a deactivated account, or a demo account once demo mode is
//! off, stops working within [`FRESH_FOR`] instead of when its token expires. The account lives in
//! the database, so every replica sees a change; each keeps what it read for a few seconds only.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::error::ApiError;

/// How long a replica trusts what it read about an account.
pub const FRESH_FOR: Duration = Duration::from_secs(3);
/// Past this many remembered accounts the memory starts over (a bound, not a policy).
const MAX_ENTRIES: usize = 50_000;

/// What this replica last read about accounts.
#[derive(Debug, Default)]
pub struct Standings {
    entries: Mutex<HashMap<Uuid, (Instant, bool)>>,
}

impl Standings {
    fn cached(&self, user: Uuid) -> Option<bool> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(&user)
            .filter(|(read_at, _)| read_at.elapsed() < FRESH_FOR)
            .map(|(_, may_act)| *may_act)
    }

    /// Forgets what this replica read about `user` (it was just changed here).
    pub fn forget(&self, user: Uuid) {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&user);
    }

    fn remember(&self, user: Uuid, may_act: bool) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(user, (Instant::now(), may_act));
    }
}

/// Whether `user` may act now, as the database says (at most [`FRESH_FOR`] old); `demo`: demo
/// mode is on.
pub async fn may_act(
    db: &persistence::Db,
    standings: &Standings,
    demo: bool,
    user: Uuid,
) -> Result<bool, ApiError> {
    if let Some(may_act) = standings.cached(user) {
        return Ok(may_act);
    }
    let may_act = persistence::users::standing(db, user)
        .await?
        .is_some_and(|account| domain::accounts::may_act(account.is_active, &account.login, demo));
    standings.remember(user, may_act);
    Ok(may_act)
}
