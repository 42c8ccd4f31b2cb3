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
    #[error(transparent)]
    Db(DbErr),
}

impl From<DbErr> for RepoError {
    fn from(err: DbErr) -> Self {
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Self::Unavailable(err.to_string()),
            _ => match err.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => Self::Conflict(detail),
                _ => Self::Db(err),
            },
        }
    }
}
