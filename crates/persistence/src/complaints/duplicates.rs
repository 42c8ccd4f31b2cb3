//! Duplicates' rows: a duplicate's link to its original (`complaint_links`) and the followers of
//! a complaint (`complaint_followers`). A follow is one row per person and complaint: a second
//! join changes nothing. A person without an account is followed through their person
//! (`persistence::persons`, migration 000112): no follow holds a phone.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement, Value};
use uuid::Uuid;

use super::UnitOfWork;
use crate::sql::placeholders;
use crate::{Db, RepoError};

/// The longest chain of links followed (a guard; links never form a cycle).
const MAX_CHAIN: usize = 64;

/// Someone who follows a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowerRecord {
    /// A resident's account, told in the app.
    pub user_id: Option<Uuid>,
    /// A person without an account, told by SMS (with their consent): their phone, from their
    /// person.
    pub phone: Option<String>,
    pub consent_version: Option<String>,
}

/// A new follow: `via` is the duplicate whose author it is, for a merge.
#[derive(Debug, Clone)]
pub struct NewFollower {
    pub complaint_id: Uuid,
    pub follower: FollowerRecord,
    pub via: Option<Uuid>,
    pub created_by: Uuid,
    pub at: DateTime<Utc>,
    /// The followed complaint is test data: a new person made for the follow is too.
    pub is_test: bool,
}

/// Another complaint by its id and number.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct LinkedRef {
    pub id: Uuid,
    pub number: String,
}

async fn exec<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> Result<u64, RepoError> {
    let backend = db.get_database_backend();
    let done = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, sql),
            values,
        ))
        .await?;
    Ok(done.rows_affected())
}

/// Erasure (152-ФЗ): the follows of an account or of a phone go — a follow is no legal fact,
/// only a wish to be told. Returns how many there were.
pub async fn forget_follows<C: ConnectionTrait>(
    db: &C,
    user_id: Option<Uuid>,
    phone: Option<&str>,
) -> Result<u64, RepoError> {
    let mut forgotten = 0;
    if let Some(user) = user_id {
        forgotten += exec(
            db,
            "DELETE FROM complaint_followers WHERE user_id = ?",
            vec![user.into()],
        )
        .await?;
    }
    if let Some(phone) = phone {
        forgotten += exec(
            db,
            "DELETE FROM complaint_followers \
             WHERE person_id IN (SELECT id FROM persons WHERE phone = ?)",
            vec![phone.into()],
        )
        .await?;
    }
    Ok(forgotten)
}

async fn rows<C: ConnectionTrait, T: FromQueryResult>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<T>, RepoError> {
    let backend = db.get_database_backend();
    let found = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            placeholders(backend, sql),
            values,
        ))
        .await?;
    found
        .iter()
        .map(|row| T::from_query_result(row, "").map_err(RepoError::from))
        .collect()
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

#[derive(FromQueryResult)]
struct Original {
    original_id: Uuid,
}

#[derive(FromQueryResult)]
struct FollowerRow {
    user_id: Option<Uuid>,
    phone: Option<String>,
    consent_version: Option<String>,
}

async fn insert_follower<C: ConnectionTrait>(db: &C, new: &NewFollower) -> Result<bool, RepoError> {
    let person = match &new.follower.phone {
        Some(phone) => Some(crate::persons::follower(db, phone, new.is_test, new.at).await?),
        None => None,
    };
    let sql = "INSERT INTO complaint_followers \
               (id, complaint_id, user_id, person_id, consent_version, via_complaint_id, created_by, created_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    let added = exec(
        db,
        sql,
        vec![
            Uuid::now_v7().into(),
            new.complaint_id.into(),
            new.follower.user_id.into(),
            person.into(),
            new.follower.consent_version.clone().into(),
            new.via.into(),
            new.created_by.into(),
            new.at.into(),
        ],
    )
    .await?;
    Ok(added > 0)
}

async fn count_follows<C: ConnectionTrait>(
    db: &C,
    by: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, RepoError> {
    let sql = "SELECT COUNT(*) AS n FROM complaint_followers \
               WHERE created_by = ? AND created_at >= ? AND via_complaint_id IS NULL";
    let found: Vec<Count> = rows(db, sql, vec![by.into(), since.into()]).await?;
    Ok(found.first().map_or(0, |c| u64::try_from(c.n).unwrap_or(0)))
}

impl UnitOfWork {
    /// Records that `duplicate` is a duplicate of `original`.
    pub async fn link_duplicate(
        &self,
        duplicate: Uuid,
        original: Uuid,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        let sql = "INSERT INTO complaint_links (complaint_id, original_id, linked_by, linked_at) \
                   VALUES (?, ?, ?, ?)";
        exec(
            &self.txn,
            sql,
            vec![duplicate.into(), original.into(), by.into(), at.into()],
        )
        .await?;
        Ok(())
    }

    /// Adds a follower; `false` when they already follow.
    pub async fn add_follower(&self, new: &NewFollower) -> Result<bool, RepoError> {
        insert_follower(&self.txn, new).await
    }

    /// Joins by `by` since `since` (the daily limit), as this transaction sees them.
    pub async fn count_follows_since(
        &self,
        by: Uuid,
        since: DateTime<Utc>,
    ) -> Result<u64, RepoError> {
        count_follows(&self.txn, by, since).await
    }
}

/// Joins by `by` since `since` (merges by a dispatcher are not counted).
pub async fn count_follows_since(
    db: &Db,
    by: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, RepoError> {
    count_follows(db.connection(), by, since).await
}

/// The complaints `id` is linked to, in order: its original, that one's original, ...
pub async fn chain_from(db: &Db, id: Uuid) -> Result<Vec<Uuid>, RepoError> {
    let db = db.connection();
    let mut chain = Vec::new();
    let mut at = id;
    while chain.len() < MAX_CHAIN {
        let found: Vec<Original> = rows(
            db,
            "SELECT original_id FROM complaint_links WHERE complaint_id = ?",
            vec![at.into()],
        )
        .await?;
        let Some(next) = found.first().map(|o| o.original_id) else {
            break;
        };
        if chain.contains(&next) {
            break;
        }
        chain.push(next);
        at = next;
    }
    Ok(chain)
}

/// The original `id` is a duplicate of, if any.
pub async fn original_of(db: &Db, id: Uuid) -> Result<Option<LinkedRef>, RepoError> {
    let sql = "SELECT c.id AS id, c.number AS number FROM complaint_links l \
               JOIN complaints c ON c.id = l.original_id WHERE l.complaint_id = ?";
    Ok(rows(db.connection(), sql, vec![id.into()])
        .await?
        .into_iter()
        .next())
}

/// The duplicates linked to `id`, oldest link first.
pub async fn linked_to(db: &Db, id: Uuid) -> Result<Vec<LinkedRef>, RepoError> {
    let sql = "SELECT c.id AS id, c.number AS number FROM complaint_links l \
               JOIN complaints c ON c.id = l.complaint_id WHERE l.original_id = ? \
               ORDER BY l.linked_at, c.id";
    rows(db.connection(), sql, vec![id.into()]).await
}

/// Everyone who follows `id`.
pub async fn followers(db: &Db, id: Uuid) -> Result<Vec<FollowerRecord>, RepoError> {
    let sql = "SELECT f.user_id AS user_id, p.phone AS phone, f.consent_version AS consent_version \
               FROM complaint_followers f LEFT JOIN persons p ON p.id = f.person_id \
               WHERE f.complaint_id = ? AND (f.user_id IS NOT NULL OR p.phone IS NOT NULL) \
               ORDER BY f.created_at, f.id";
    let found: Vec<FollowerRow> = rows(db.connection(), sql, vec![id.into()]).await?;
    Ok(found
        .into_iter()
        .map(|r| FollowerRecord {
            user_id: r.user_id,
            phone: r.phone,
            consent_version: r.consent_version,
        })
        .collect())
}

/// Whether `user` follows `id`.
pub async fn follows(db: &Db, id: Uuid, user: Uuid) -> Result<bool, RepoError> {
    let sql =
        "SELECT COUNT(*) AS n FROM complaint_followers WHERE complaint_id = ? AND user_id = ?";
    let found: Vec<Count> = rows(db.connection(), sql, vec![id.into(), user.into()]).await?;
    Ok(found.first().is_some_and(|c| c.n > 0))
}
