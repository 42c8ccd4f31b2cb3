//! The throttles of `domain::throttle`, applied: an attempt is reserved in the database under
//! all its keys before any work, refused with 429 when a key is full, and released on success.

use chrono::{DateTime, Utc};
use domain::throttle::{Key, LOCKED_NOTICE_KIND, LOCKED_NOTICE_TEXT, decide, window_start};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// A reserved attempt. Dropped without [`Attempt::succeeded`] it stays counted (a failure).
#[must_use = "a reserved attempt is released on success"]
pub struct Attempt {
    ids: Vec<Uuid>,
}

/// Reserves an attempt under `keys`; 429 `code` with `Retry-After` when any of them is full.
/// `owner` is the account the attempt is on, told when it gets locked for everyone.
pub async fn reserve(
    state: &AppState,
    keys: &[Key],
    owner: Option<Uuid>,
    code: ErrorCode,
    now: DateTime<Utc>,
) -> Result<Attempt, ApiError> {
    let reservation = persistence::throttle::reserve(&state.db, keys, now).await?;
    let refused = reservation
        .others
        .iter()
        .filter_map(|(bucket, others)| decide(*bucket, others, now).err())
        .max_by_key(|refused| refused.retry_after_seconds);
    let Some(refused) = refused else {
        return Ok(Attempt {
            ids: reservation.ids,
        });
    };
    // A refused attempt does no work and counts for nothing: the lock does not grow.
    persistence::throttle::release(&state.db, &reservation.ids).await?;
    if let (true, Some(owner)) = (refused.bucket.locks_out_owner(), owner) {
        persistence::notifications::notify_account(
            &state.db,
            owner,
            LOCKED_NOTICE_KIND,
            LOCKED_NOTICE_TEXT,
            window_start(refused.bucket, now),
            now,
        )
        .await?;
    }
    Err(ApiError::of(code).retry_after(refused.retry_after_seconds))
}

impl Attempt {
    /// The attempt was no guess (the password was right): it stops counting.
    pub async fn succeeded(self, state: &AppState) -> Result<(), ApiError> {
        persistence::throttle::release(&state.db, &self.ids).await?;
        Ok(())
    }

    /// Runs the attempt's work; when the work itself fails (the hash pool is busy), the attempt
    /// was no guess either and is released.
    pub async fn run<T>(
        &self,
        state: &AppState,
        work: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        match work.await {
            Ok(value) => Ok(value),
            Err(error) => {
                persistence::throttle::release(&state.db, &self.ids).await?;
                Err(error)
            }
        }
    }
}
