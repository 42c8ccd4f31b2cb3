//! Lag-tolerant reads on a PostgreSQL streaming replica (`DATABASE_READ_URL`), falling back to the
//! primary whenever the replica does not answer.
//!
//! Only reads that may be a moment behind go through [`Reads::run`]: the public scorecard, list and
//! map, and Open311's lists. Whatever must see its own writes reads the primary directly. A replica
//! that fails to answer is left alone for [`REST`] and every read meanwhile goes to the primary,
//! so stopping the replica costs at most one slow read per [`REST`], never a failed one.
//!
//! A replica that answers but lags is as bad for a reader as one that does not: at most once per
//! [`LAG_CHECK`] a read first asks the replica how far behind its replay is, and a replica behind
//! by more than the configured bound rests too.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend, Statement};

use crate::{Db, RepoError};

/// How long a replica that failed to answer is left alone.
pub const REST: Duration = Duration::from_secs(5);
/// How long a read waits for a replica connection before it goes to the primary instead.
const REPLICA_ACQUIRE: Duration = Duration::from_millis(500);
/// How often the replica's lag is measured.
pub const LAG_CHECK: Duration = Duration::from_secs(1);
/// How far behind the primary the replica is: zero when it has replayed all it received, else the
/// time since the last transaction it replayed (NULL, on a server that is no replica, counts as 0).
const LAG_SQL: &str = "SELECT COALESCE(CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() \
     THEN 0 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END, 0)::float8 AS lag";

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
    /// Milliseconds since `started` when its lag was last measured.
    lag_checked: AtomicI64,
    max_lag: Duration,
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
        max_lag: Duration,
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
            .map_sqlx_postgres_opts(|opts| opts.options(crate::POSTGRES_SESSION));
        let db = Database::connect(options).await?;
        Ok(Self {
            primary,
            replica: Some(std::sync::Arc::new(Replica {
                db: Db::new(db),
                started: Instant::now(),
                resting_until: AtomicI64::new(0),
                lag_checked: AtomicI64::new(i64::MIN),
                max_lag,
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
            && replica.keeps_up().await
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

    /// Whether the replica is within its lag bound, measured by one read per [`LAG_CHECK`] (the
    /// others meanwhile take the last answer). A replica that cannot say rests.
    async fn keeps_up(&self) -> bool {
        let now = self.now_ms();
        let last = self.lag_checked.load(Ordering::Relaxed);
        let due = now.saturating_sub(last) >= i64::try_from(LAG_CHECK.as_millis()).unwrap_or(0);
        if !due
            || self
                .lag_checked
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return self.awake();
        }
        let lag = self
            .db
            .connection()
            .query_one_raw(Statement::from_string(DbBackend::Postgres, LAG_SQL))
            .await
            .ok()
            .flatten()
            .and_then(|row| row.try_get::<f64>("", "lag").ok());
        match lag {
            Some(seconds) if seconds <= self.max_lag.as_secs_f64() => true,
            Some(seconds) => {
                tracing::warn!(
                    lag_seconds = seconds,
                    "the read replica lags: reading the primary"
                );
                self.rest();
                false
            }
            None => {
                self.rest();
                false
            }
        }
    }

    fn rest(&self) {
        let until = self.now_ms() + i64::try_from(REST.as_millis()).unwrap_or(i64::MAX);
        self.resting_until.store(until, Ordering::Relaxed);
    }
}
