//! One replica at a time through start-up: replicas started together on an empty PostgreSQL
//! database would otherwise run the same migrations, or seed the demo city, at once.
//!
//! The lock is a session-level advisory lock held on one connection taken out of the pool for
//! the purpose; a replica that dies while holding it drops that connection, and PostgreSQL frees
//! the lock. SQLite needs none: it is one process's file.

use sea_orm::DbBackend;
use sea_orm::sqlx::{self, Postgres, pool::PoolConnection};

use crate::{Db, RepoError};

/// The advisory lock's key: any constant of our own (`"dispatch"` in ASCII).
const STARTUP_LOCK_KEY: i64 = 0x6469_7370_6174_6368;

/// Held while a replica migrates and seeds; [`StartupLock::release`] lets the next one in.
pub struct StartupLock(Option<PoolConnection<Postgres>>);

impl StartupLock {
    /// Waits until no other replica is starting up on this database, then holds the lock.
    pub async fn acquire(db: &Db) -> Result<Self, RepoError> {
        let connection = db.connection();
        if connection.get_database_backend() != DbBackend::Postgres {
            return Ok(Self(None));
        }
        let mut held = connection
            .get_postgres_connection_pool()
            .acquire()
            .await
            .map_err(unavailable)?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(STARTUP_LOCK_KEY)
            .execute(&mut *held)
            .await
            .map_err(unavailable)?;
        Ok(Self(Some(held)))
    }

    /// Lets the next replica start.
    pub async fn release(mut self) -> Result<(), RepoError> {
        if let Some(mut held) = self.0.take() {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(STARTUP_LOCK_KEY)
                .execute(&mut *held)
                .await
                .map_err(unavailable)?;
        }
        Ok(())
    }
}

fn unavailable(e: sqlx::Error) -> RepoError {
    RepoError::Unavailable(e.to_string())
}
