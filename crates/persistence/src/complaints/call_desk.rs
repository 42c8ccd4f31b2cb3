//! The call desk's rows (`call_desk`): who has taken a verification call and until when, the
//! attempts so far and a "call back at" time. A claim is taken by one guarded `UPDATE`, so of two
//! dispatchers racing for the same call exactly one gets it, on either database.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, Statement};
use uuid::Uuid;

use super::{ComplaintRecord, ComplaintRow, UnitOfWork, base_select, to_record};
use crate::entities::user;
use crate::sql::placeholders;
use crate::{Db, RepoError};

#[derive(Debug, FromQueryResult)]
struct StateRow {
    claimed_by: Option<Uuid>,
    claimed_until: Option<DateTime<Utc>>,
    attempts: i32,
    last_attempt_at: Option<DateTime<Utc>>,
    last_no_answer_at: Option<DateTime<Utc>>,
    call_back_at: Option<DateTime<Utc>>,
}

impl From<StateRow> for domain::CallState {
    fn from(r: StateRow) -> Self {
        domain::CallState {
            claimed_by: r.claimed_by,
            claimed_until: r.claimed_until,
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            last_attempt_at: r.last_attempt_at,
            last_no_answer_at: r.last_no_answer_at,
            call_back_at: r.call_back_at,
        }
    }
}

const COLUMNS: &str =
    "claimed_by, claimed_until, attempts, last_attempt_at, last_no_answer_at, call_back_at";

async fn state_of<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<domain::CallState, RepoError> {
    let backend = db.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM call_desk WHERE complaint_id = ?");
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, &sql),
            [id.into()],
        ))
        .await?;
    match row {
        Some(row) => Ok(StateRow::from_query_result(&row, "")?.into()),
        None => Ok(domain::CallState::default()),
    }
}

async fn ensure_row<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<(), RepoError> {
    let backend = db.get_database_backend();
    let sql = "INSERT INTO call_desk (complaint_id, attempts) VALUES (?, 0) \
               ON CONFLICT (complaint_id) DO NOTHING";
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        placeholders(backend, sql),
        [id.into()],
    ))
    .await?;
    Ok(())
}

/// The call desk's state of one complaint (empty when nobody has called yet).
pub async fn state(db: &Db, id: Uuid) -> Result<domain::CallState, RepoError> {
    state_of(db.connection(), id).await
}

/// Takes the call for `dispatcher` until `until`, unless another dispatcher holds it at `now`:
/// `true` when taken. One guarded statement decides, so two racing dispatchers never both win.
pub async fn claim(
    db: &Db,
    id: Uuid,
    dispatcher: Uuid,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let db = db.connection();
    ensure_row(db, id).await?;
    let backend = db.get_database_backend();
    let sql = "UPDATE call_desk SET claimed_by = ?, claimed_until = ? WHERE complaint_id = ? \
               AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until IS NULL OR claimed_until <= ?)";
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, sql),
            [
                dispatcher.into(),
                until.into(),
                id.into(),
                dispatcher.into(),
                now.into(),
            ],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives a call back: only its holder's claim is released. `true` when one was.
pub async fn release(db: &Db, id: Uuid, dispatcher: Uuid) -> Result<bool, RepoError> {
    let db = db.connection();
    let backend = db.get_database_backend();
    let sql = "UPDATE call_desk SET claimed_by = NULL, claimed_until = NULL \
               WHERE complaint_id = ? AND claimed_by = ?";
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, sql),
            [id.into(), dispatcher.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Sets when to call back; the claim is released, so the call returns to the queue then.
pub async fn set_call_back(db: &Db, id: Uuid, at: DateTime<Utc>) -> Result<(), RepoError> {
    let db = db.connection();
    ensure_row(db, id).await?;
    let backend = db.get_database_backend();
    let sql = "UPDATE call_desk SET call_back_at = ?, claimed_by = NULL, claimed_until = NULL \
               WHERE complaint_id = ?";
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        placeholders(backend, sql),
        [at.into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// The name of a user (who holds a call), when there is one.
pub async fn user_name(db: &Db, id: Uuid) -> Result<Option<String>, RepoError> {
    let db = db.connection();
    let users: Vec<user::Model> = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .into_iter()
        .collect();
    Ok(crate::persons::contacts_of(db, &users)
        .await?
        .remove(&id)
        .map(|c| c.name))
}

/// One call of the queue.
#[derive(Debug, Clone)]
pub struct QueuedCall {
    pub record: ComplaintRecord,
    pub state: domain::CallState,
    pub holder_name: Option<String>,
}

/// Every complaint awaiting a verification call (at most `limit`, the nearest deadlines first),
/// with its call desk state; the caller orders them by what is due.
pub async fn queue(db: &Db, limit: u64) -> Result<Vec<QueuedCall>, RepoError> {
    let conn = db.connection();
    let mut select = base_select();
    select
        .and_where(Expr::col(("c", "status")).eq(domain::Status::AwaitingVerification.as_str()))
        .order_by(("c", "due_at"), Order::Asc)
        .limit(limit);
    let rows = conn.query_all(&select).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let record = to_record(ComplaintRow::from_query_result(&row, "")?)?;
        let state = state_of(conn, record.complaint.id).await?;
        let holder_name = match state.claimed_by {
            Some(by) => user_name(db, by).await?,
            None => None,
        };
        out.push(QueuedCall {
            record,
            state,
            holder_name,
        });
    }
    Ok(out)
}

impl UnitOfWork {
    /// The call desk's state of a complaint, as this transaction sees it.
    pub async fn call_state(&self, id: Uuid) -> Result<domain::CallState, RepoError> {
        state_of(&self.txn, id).await
    }

    /// Stores the call desk's state after an attempt, in the transaction of the attempt.
    pub async fn save_call_state(
        &self,
        id: Uuid,
        state: &domain::CallState,
    ) -> Result<(), RepoError> {
        ensure_row(&self.txn, id).await?;
        let backend = self.txn.get_database_backend();
        let sql = "UPDATE call_desk SET claimed_by = ?, claimed_until = ?, attempts = ?, \
                   last_attempt_at = ?, last_no_answer_at = ?, call_back_at = ? WHERE complaint_id = ?";
        self.txn
            .execute_raw(Statement::from_sql_and_values(
                backend,
                placeholders(backend, sql),
                [
                    state.claimed_by.into(),
                    state.claimed_until.into(),
                    i32::try_from(state.attempts).unwrap_or(i32::MAX).into(),
                    state.last_attempt_at.into(),
                    state.last_no_answer_at.into(),
                    state.call_back_at.into(),
                    id.into(),
                ],
            ))
            .await?;
        Ok(())
    }
}
