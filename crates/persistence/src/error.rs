use sea_orm::DbErr;

/// What a repository can fail with. It knows nothing of HTTP.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("not found")]
    NotFound,
    /// A unique key or a version guard rejected the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The row changed since it was read (optimistic lock): nothing was written.
    #[error("stale version")]
    Stale,
    /// The database cannot be reached right now (pool timeout, connection refused).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A fault of the database or of the stored data (a row that does not decode): logged, and
    /// answered as an internal error. Never guessed around.
    #[error("{0}")]
    Fault(String),
}

/// Whether a database error means "the server is gone or going", not "this statement is wrong":
/// a lost connection, a closed pool, or PostgreSQL shutting down (SQLSTATE class 08, 57P01–57P03).
fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx::Error as Sqlx};
    let runtime = match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Query(runtime) | DbErr::Exec(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    match sqlx.as_ref() {
        Sqlx::Io(_) | Sqlx::PoolClosed | Sqlx::PoolTimedOut | Sqlx::WorkerCrashed => true,
        Sqlx::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

impl From<DbErr> for RepoError {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            return Self::Unavailable(err.to_string());
        }
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => Self::Conflict(detail),
            _ => Self::Fault(err.to_string()),
        }
    }
}
