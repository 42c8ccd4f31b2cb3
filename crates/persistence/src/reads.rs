//! Lag-tolerant reads on a PostgreSQL streaming replica (`DATABASE_READ_URL`), falling back to the
//! primary whenever the replica does not answer.
//!
//! Only reads that may be a moment behind go through [`Reads::run`]: the public scorecard, list and
//! map, and Open311's lists. Whatever must see its own writes reads the primary directly. A replica
//! that fails to answer is left alone for [`REST`] and every read meanwhile goes to the primary,
//! so stopping the replica costs at most one slow read per [`REST`], never a failed one.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectOptions, Database};

use crate::{Db, RepoError};

/// How long a replica that failed to answer is left alone.
pub const REST: Duration = Duration::from_secs(5);
/// How long a read waits for a replica connection before it goes to the primary instead.
const REPLICA_ACQUIRE: Duration = Duration::from_millis(500);

/// The primary, and the read replica when one is configured.
#[derive(Debug, Clone)]
pub struct Reads {
    primary: Db,
    replica: Option<std::sync::Arc<Replica>>,
}

#[derive(Debug)]
struct Replica {
    db: Db,
    started: Instant,
    /// Milliseconds since `started` before which the replica is not asked; 0: ask it.
    resting_until: AtomicI64,
}

impl Reads {
    /// Reads on the primary only.
    pub fn primary_only(primary: Db) -> Self {
        Self {
            primary,
            replica: None,
        }
    }

    /// Reads on the replica at `url` when it answers. The pool connects lazily: a replica that is
    /// down at start (or later) only sends reads to the primary.
    pub async fn with_replica(
        primary: Db,
        url: &str,
        max_connections: u32,
    ) -> Result<Self, RepoError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .min_connections(0)
            .connect_lazy(true)
            .acquire_timeout(REPLICA_ACQUIRE)
            .connect_timeout(REPLICA_ACQUIRE)
            // A replica restarts more often than the primary (it is the one stopped to upgrade or
            // rebuild); checking each connection before use costs a round trip and spares a
            // failed read per connection the restart broke.
            .test_before_acquire(true)
            .sqlx_logging(false)
            .map_sqlx_postgres_opts(|opts| {
                opts.options([("plan_cache_mode", "force_generic_plan")])
            });
        let db = Database::connect(options).await?;
        Ok(Self {
            primary,
            replica: Some(std::sync::Arc::new(Replica {
                db: Db(db),
                started: Instant::now(),
                resting_until: AtomicI64::new(0),
            })),
        })
    }

    /// The primary, for reads that must see the latest writes.
    pub fn primary(&self) -> &Db {
        &self.primary
    }

    /// Runs a lag-tolerant read on the replica, or on the primary when there is none, when it
    /// rests, or when it fails to answer now.
    ///
    /// `read` is called with the replica first and, if it fails to answer, with the primary: it
    /// returns the future of one repository call, e.g. `|db| complaints::list(db, &query)`.
    pub async fn run<'a, T, F, Fut>(&'a self, read: F) -> Result<T, RepoError>
    where
        F: Fn(&'a Db) -> Fut,
        Fut: Future<Output = Result<T, RepoError>> + 'a,
    {
        if let Some(replica) = &self.replica
            && replica.awake()
        {
            match read(&replica.db).await {
                Err(RepoError::Unavailable(cause)) => {
                    tracing::warn!(%cause, "the read replica does not answer: reading the primary");
                    replica.rest();
                }
                answer => return answer,
            }
        }
        read(&self.primary).await
    }
}

impl Replica {
    fn now_ms(&self) -> i64 {
        i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    fn awake(&self) -> bool {
        self.now_ms() >= self.resting_until.load(Ordering::Relaxed)
    }

    fn rest(&self) {
        let until = self.now_ms() + i64::try_from(REST.as_millis()).unwrap_or(i64::MAX);
        self.resting_until.store(until, Ordering::Relaxed);
    }
}
