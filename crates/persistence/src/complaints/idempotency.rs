//! Idempotency keys, claimed and completed inside the unit of work of the request they guard.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

use super::{UnitOfWork, placeholders};
use crate::RepoError;
use crate::entities::idempotency_key;

/// The stored outcome of an earlier request with the same idempotency key.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// Whether this request owns its idempotency key.
#[derive(Debug)]
pub enum Claim {
    /// First use: go ahead, then [`UnitOfWork::complete_idempotency`].
    Claimed,
    /// Used before: replay (same request) or refuse (different request).
    Existing(StoredResponse),
}

impl UnitOfWork {
    /// Takes `key` for `user`. A concurrent request with the same key waits for this
    /// transaction and then sees [`Claim::Existing`].
    pub async fn claim_idempotency(
        &self,
        user: Uuid,
        key: &str,
        request_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, RepoError> {
        let backend = self.txn.get_database_backend();
        let sql = "INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?) \
                   ON CONFLICT (user_id, key) DO NOTHING";
        let statement = Statement::from_sql_and_values(
            backend,
            placeholders(backend, sql),
            [user.into(), key.into(), request_hash.into(), now.into()],
        );
        if self.txn.execute_raw(statement).await?.rows_affected() == 1 {
            return Ok(Claim::Claimed);
        }
        let row = idempotency_key::Entity::find_by_id((user, key.to_owned()))
            .one(&self.txn)
            .await?
            .ok_or(RepoError::NotFound)?;
        Ok(Claim::Existing(StoredResponse {
            request_hash: row.request_hash,
            status: row
                .status
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(500),
            body: row.response.unwrap_or_default(),
        }))
    }

    pub async fn complete_idempotency(
        &self,
        user: Uuid,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), RepoError> {
        idempotency_key::Entity::update_many()
            .col_expr(
                idempotency_key::Column::Status,
                Expr::value(i32::from(status)),
            )
            .col_expr(idempotency_key::Column::Response, Expr::value(body))
            .filter(idempotency_key::Column::UserId.eq(user))
            .filter(idempotency_key::Column::Key.eq(key))
            .exec(&self.txn)
            .await?;
        Ok(())
    }
}
