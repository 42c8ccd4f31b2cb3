//! Storage of the housing dispatch centre on SeaORM: PostgreSQL in production, SQLite embedded.
//!
//! Entities and migrations stay inside this crate; the repositories return plain records and
//! domain types, so the API never sees a SeaORM type.

pub mod api_keys;
pub mod attachments;
pub mod audit;
#[cfg(feature = "bench-unchained")]
pub mod bench_chain;
pub mod blobs;
pub mod calendar;
pub mod complaints;
pub mod demo_complaints;
mod entities;
mod error;
pub mod history;
mod mapping;
pub mod messaging;
pub mod metrics;
mod migration;
pub mod notifications;
pub mod paperwork;
mod persons;
pub mod policy;
pub mod privacy;
pub mod reads;
pub mod refresh_tokens;
pub mod registers;
pub mod registry;
pub mod retention;
pub mod seed;
mod sql;
pub mod startup_lock;
pub mod test_data;
pub mod throttle;
pub mod users;
pub mod verifications;
pub mod webhooks;
pub mod worker;

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use error::RepoError;
pub use mapping::deadline_columns;

/// A pool of connections to the database. What is behind it (SeaORM on sqlx) stays in this
/// crate: callers pass it to the repositories and nothing else.
#[derive(Clone)]
pub struct Db {
    connection: DatabaseConnection,
    /// Whether writes of legal clocks also write what they change in the scorecard's clock
    /// counters (see `complaints::clocks`): whether the counters' triggers are in place, as read
    /// after migrating. True until then.
    counts_clocks: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Db {
    fn new(connection: DatabaseConnection) -> Self {
        Self {
            connection,
            counts_clocks: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
        }
    }

    pub(crate) fn connection(&self) -> &DatabaseConnection {
        &self.connection
    }

    pub(crate) fn counts_clocks(&self) -> bool {
        self.counts_clocks
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Reads whether the clock counters' triggers are in place (after a migration, or the bench
    /// switching them).
    pub(crate) async fn refresh_counts_clocks(&self) -> Result<(), RepoError> {
        let on = complaints::clock_counters_installed(self.connection()).await?;
        self.counts_clocks
            .store(on, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Db").field(&backend_name(self)).finish()
    }
}

/// Starts a transaction that writes. On SQLite it takes the write lock at `BEGIN IMMEDIATE`: a
/// deferred transaction that has read cannot upgrade once another writer has committed
/// (`SQLITE_BUSY_SNAPSHOT`, which no busy timeout waits out), so a request racing the worker
/// failed with 500 instead of waiting its turn. PostgreSQL ignores the option.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Connection settings that the binary takes from its environment.
#[derive(Debug, Clone)]
pub struct DbSettings {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl DbSettings {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

/// The settings of every PostgreSQL session the API opens, on the primary and on a read replica.
///
/// One plan per prepared statement, never re-planned per request. Left to choose, PostgreSQL kept
/// custom plans for the complaint list (a five-table join planned again, ~1 ms, on every call)
/// because a timestamp or a search pattern was bound: the dispatcher board went 1,000 → 2,700 rps
/// and search 830 → 2,900 rps with generic plans (bench/results/FINDINGS.md §1).
///
/// The API reads pages of at most 200 rows, and a generic plan does not know a bound LIMIT: it
/// plans for a share of the whole table. So, for the pages' sake, two kinds of node that pay off
/// only over many rows are off:
/// - parallel query: at 1 M complaints the public list got a parallel Gather Merge whose two
///   workers' start took ~10 ms of every 12 ms page (1,789 → 590 rps; without it 245 → 1,158 rps
///   at 200 k; FINDINGS "The public list's growth");
/// - Memoize: a Memoize in front of the buildings sizes its hash table for every building the
///   plan expects to see, and builds it when the statement starts, so a page of 50 paid for the
///   city's buildings: at 3 M complaints (60,000 buildings) the public list ran 2.1 ms where
///   0.4 ms without (FINDINGS §17).
pub const POSTGRES_SESSION: [(&str, &str); 3] = [
    ("plan_cache_mode", "force_generic_plan"),
    ("max_parallel_workers_per_gather", "0"),
    ("enable_memoize", "off"),
];

/// Opens the pool. SQLite runs in WAL mode with `synchronous=FULL` and foreign keys on, so that an
/// acknowledged write survives a crash; its parent folder is created when missing.
pub async fn connect(settings: &DbSettings) -> Result<Db, RepoError> {
    if let Some(path) = sqlite_file_path(&settings.url)
        && let Some(parent) = std::path::Path::new(&path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| RepoError::Unavailable(e.to_string()))?;
    }
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        // Ping only connections idle long enough to have been dropped, not on every checkout:
        // the ping was a round trip per request. A connection broken under load fails its
        // query, which answers 503 and leaves the pool.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_postgres_opts(|opts| opts.options(POSTGRES_SESSION))
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .create_if_missing(true)
        });
    Ok(Db::new(Database::connect(options).await?))
}

/// The file behind a `sqlite:` URL, or `None` for other databases and in-memory SQLite.
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// Applies every pending migration.
pub async fn migrate(db: &Db) -> Result<(), RepoError> {
    migration::Migrator::up(db.connection(), None).await?;
    db.refresh_counts_clocks().await
}

/// Rolls back every applied migration after `last_kept` (a migration's name, e.g.
/// `m20261206_000022_history_chain`), newest first: an operator's way back, and how the tests
/// run a migration's rewrite over real rows.
pub async fn migrate_down_to(db: &Db, last_kept: &str) -> Result<u32, RepoError> {
    let connection = db.connection();
    let later = migration::Migrator::get_applied_migrations(connection)
        .await?
        .iter()
        .filter(|m| m.name() > last_kept)
        .count();
    let steps = u32::try_from(later).unwrap_or(u32::MAX);
    if steps > 0 {
        migration::Migrator::down(connection, Some(steps)).await?;
    }
    db.refresh_counts_clocks().await?;
    Ok(steps)
}

/// `SELECT 1`: the readiness probe.
pub async fn ping(db: &Db) -> Result<(), RepoError> {
    let db = db.connection();
    db.execute_unprepared("SELECT 1").await?;
    Ok(())
}

/// The backend in use, for logs and `/ready`.
pub fn backend_name(db: &Db) -> &'static str {
    let db = db.connection();
    match db.get_database_backend() {
        DbBackend::Postgres => "postgres",
        DbBackend::Sqlite => "sqlite",
        DbBackend::MySql => "mysql",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_found() {
        assert_eq!(
            sqlite_file_path("sqlite://./data/dispatch.sqlite?mode=rwc").as_deref(),
            Some("./data/dispatch.sqlite")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/x"), None);
    }

    /// Every pooled PostgreSQL connection, on the primary and on a read replica, plans each
    /// prepared statement once, and without parallel workers or Memoize (see
    /// [`POSTGRES_SESSION`]).
    #[tokio::test]
    async fn postgres_sessions_use_generic_plans_without_parallel_workers_or_memoize() {
        let url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let primary = connect(&DbSettings::new(url.clone()))
            .await
            .expect("PostgreSQL is needed for this test (TEST_DATABASE_URL)");
        // The replica stands in for itself on the same server; the fallback it reads past is a
        // pool with PostgreSQL's defaults, so a read that fell back would fail the check.
        let plain = Db::new(Database::connect(url.clone()).await.unwrap());
        let reads = reads::Reads::with_replica(plain, &url, 2, Duration::from_secs(60))
            .await
            .unwrap();
        let expected = [
            ("plan_cache_mode", "force_generic_plan"),
            ("max_parallel_workers_per_gather", "0"),
            ("enable_memoize", "off"),
        ];
        for (setting, value) in expected {
            let on_primary = current_setting(&primary, setting).await.unwrap();
            assert_eq!(on_primary, value, "{setting} on the primary");
            let on_replica = reads.run(|db| current_setting(db, setting)).await.unwrap();
            assert_eq!(on_replica, value, "{setting} on the read replica");
        }
    }

    async fn current_setting(db: &Db, setting: &str) -> Result<String, RepoError> {
        let row = db
            .connection()
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT current_setting('{setting}') AS value"),
            ))
            .await?
            .expect("one row");
        Ok(row.try_get("", "value")?)
    }
}
