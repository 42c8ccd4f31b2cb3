//! Digests and once-a-day jobs: new complaints waiting for a staff member's digest, and which
//! morning jobs ran today (whichever replica records a day first does it).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::{daily_run, digest_entry};
use crate::{Db, RepoError};

/// Records that `job` runs for `day`; false when some replica already did.
pub async fn claim_day(
    db: &Db,
    job: &str,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let inserted = daily_run::Entity::insert(daily_run::ActiveModel {
        job: Set(job.to_owned()),
        day: Set(day),
        at: Set(now),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(db.connection())
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)))
}

/// Adds a new complaint to the next digest of each of `users`.
pub(crate) async fn add_to_digest_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    users: &[Uuid],
    complaint_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    if users.is_empty() {
        return Ok(());
    }
    digest_entry::Entity::insert_many(users.iter().map(|user| digest_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(*user),
        complaint_id: Set(complaint_id),
        at: Set(now),
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The complaints waiting in one staff member's digest, oldest first, with when each came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub user_id: Uuid,
    pub complaints: Vec<(Uuid, DateTime<Utc>)>,
}

/// The complaints waiting in digests, per user.
pub async fn waiting(db: &Db) -> Result<Vec<Waiting>, RepoError> {
    let rows = digest_entry::Entity::find()
        .order_by(digest_entry::Column::UserId, Order::Asc)
        .order_by(digest_entry::Column::At, Order::Asc)
        .all(db.connection())
        .await?;
    let mut out: Vec<Waiting> = Vec::new();
    for row in rows {
        match out.last_mut() {
            Some(waiting) if waiting.user_id == row.user_id => {
                waiting.complaints.push((row.complaint_id, row.at));
            }
            _ => out.push(Waiting {
                user_id: row.user_id,
                complaints: vec![(row.complaint_id, row.at)],
            }),
        }
    }
    Ok(out)
}

/// Sends a digest: writes its delivery and removes the entries it lists, in one transaction.
/// False (and nothing written) when another replica sent it first.
pub async fn send_digest(
    db: &Db,
    user_id: Uuid,
    complaints: &[Uuid],
    delivery: &super::deliveries::NewDelivery,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let removed = digest_entry::Entity::delete_many()
        .filter(digest_entry::Column::UserId.eq(user_id))
        .filter(digest_entry::Column::ComplaintId.is_in(complaints.iter().copied()))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    super::deliveries::enqueue_in(&txn, std::slice::from_ref(delivery), now).await?;
    txn.commit().await?;
    Ok(true)
}

/// The city's day in figures, for the department's morning summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayFigures {
    /// Filed in the day.
    pub filed: u64,
    /// Closed in the day (confirmed or not).
    pub closed: u64,
    /// Open and past their deadline now.
    pub overdue_now: u64,
    /// With the housing inspection now.
    pub at_inspection_now: u64,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct FiguresRow {
    filed: i64,
    closed: i64,
    overdue_now: i64,
    at_inspection_now: i64,
}

/// The figures of `[from, to)`; test complaints count only with `include_test` (a pilot).
pub async fn day_figures(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    include_test: bool,
) -> Result<DayFigures, RepoError> {
    use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
    let db = db.connection();
    let backend = db.get_database_backend();
    let open: Vec<String> = domain::Status::all()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let real = if include_test {
        "1 = 1"
    } else {
        "is_test = FALSE"
    };
    let sql = format!(
        "SELECT \
           (SELECT COUNT(*) FROM complaints WHERE {real} AND registered_at >= ? AND registered_at < ?) AS filed, \
           (SELECT COUNT(*) FROM complaints WHERE {real} AND closed_at >= ? AND closed_at < ?) AS closed, \
           (SELECT COUNT(*) FROM complaints WHERE {real} AND overdue = ? AND status IN ({})) AS overdue_now, \
           (SELECT COUNT(*) FROM complaints WHERE {real} AND status = '{}') AS at_inspection_now",
        open.join(", "),
        domain::Status::UnderInspection.as_str()
    );
    let statement = Statement::from_sql_and_values(
        backend,
        crate::sql::placeholders(backend, &sql),
        [from.into(), to.into(), from.into(), to.into(), true.into()],
    );
    let row = db
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| RepoError::Fault("the day's figures returned no row".into()))?;
    let row = FiguresRow::from_query_result(&row, "")?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(DayFigures {
        filed: count(row.filed),
        closed: count(row.closed),
        overdue_now: count(row.overdue_now),
        at_inspection_now: count(row.at_inspection_now),
    })
}
