//! The daily filing limit, counted inside the filing's own transaction so that parallel filings
//! cannot all see the same count (finding 13).

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement,
};
use uuid::Uuid;

use super::UnitOfWork;
use crate::RepoError;
use crate::entities::complaint;

impl UnitOfWork {
    /// How many complaints `filer` filed since `since` (a resident, a clerk or an API key's
    /// service account: `filed_by`), counted while holding the filer's filing lock until this transaction ends: PostgreSQL takes a transaction-scoped advisory
    /// lock on the author; SQLite's write transaction (`BEGIN IMMEDIATE`) already excludes every
    /// other writer.
    pub async fn count_filed_since_locked(
        &self,
        filer: Uuid,
        since: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        if self.txn.get_database_backend() == DbBackend::Postgres {
            self.txn
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 17))",
                    [format!("filing:{filer}").into()],
                ))
                .await?;
        }
        Ok(complaint::Entity::find()
            .filter(complaint::Column::FiledBy.eq(filer))
            .filter(complaint::Column::RegisteredAt.gte(since))
            .count(&self.txn)
            .await?)
    }
}
