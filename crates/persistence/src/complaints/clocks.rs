//! Legal clocks as stored (issue 15): started with the complaint, changed with each transition
//! in its unit of work, marked missed by the worker, counted for the public scorecard.
//!
//! Each write of clocks also writes what it changes in the scorecard's clock counters
//! ([`domain::ClockTally`]), in the same statement on PostgreSQL and the same transaction on
//! SQLite, from the clocks as they were under the complaint's row lock (a transition holds it
//! from its version-guarded update on, the worker takes it before marking a miss). Triggers did
//! this per clock row (migration 000106); on an accept they were the counters' largest cost.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement, Value,
};
use uuid::Uuid;

use super::UnitOfWork;
use crate::entities::{complaint, complaint_clock};
use crate::migration::m20261207_000106_scorecard_clocks as clock_counters;
use crate::{Db, RepoError};

fn to_clock(row: complaint_clock::Model) -> Result<domain::Clock, RepoError> {
    let kind = row
        .code
        .parse::<domain::ClockKind>()
        .map_err(|e| RepoError::Fault(e.to_string()))?;
    let round = u32::try_from(row.round)
        .map_err(|_| RepoError::Fault(format!("negative clock round {}", row.round)))?;
    Ok(domain::Clock {
        kind,
        round,
        basis: row.basis,
        started_at: row.started_at,
        due_at: row.due_at,
        paused_at: row.paused_at,
        paused_seconds: row.paused_seconds,
        met_at: row.met_at,
        missed_at: row.missed_at,
        stopped_at: row.stopped_at,
    })
}

fn to_active(complaint_id: Uuid, clock: &domain::Clock) -> complaint_clock::ActiveModel {
    complaint_clock::ActiveModel {
        id: Set(Uuid::now_v7()),
        complaint_id: Set(complaint_id),
        code: Set(clock.kind.as_str().to_owned()),
        round: Set(i32::try_from(clock.round).unwrap_or(i32::MAX)),
        basis: Set(clock.basis.clone()),
        started_at: Set(clock.started_at),
        due_at: Set(clock.due_at),
        paused_at: Set(clock.paused_at),
        paused_seconds: Set(clock.paused_seconds),
        met_at: Set(clock.met_at),
        missed_at: Set(clock.missed_at),
        stopped_at: Set(clock.stopped_at),
    }
}

async fn load<C: ConnectionTrait>(
    db: &C,
    complaint_id: Uuid,
) -> Result<Vec<domain::Clock>, RepoError> {
    complaint_clock::Entity::find()
        .filter(complaint_clock::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_clock::Column::Round)
        .order_by_asc(complaint_clock::Column::StartedAt)
        .order_by_asc(complaint_clock::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_clock)
        .collect()
}

/// A complaint's stored clocks, in the order they started.
pub async fn clocks_of(db: &Db, complaint_id: Uuid) -> Result<Vec<domain::Clock>, RepoError> {
    load(db.connection(), complaint_id).await
}

/// The company and test flag a complaint's clocks count for, as its unit of work wrote them.
#[derive(Debug, Clone, Copy)]
pub(super) struct CountedFor {
    pub company_id: Uuid,
    pub is_test: bool,
}

/// The counters' upsert of `tallies` for `complaint_id`'s company (`given`, or else read from its
/// stored row), with its values; its PostgreSQL placeholders are numbered from `first`.
fn count_statement(
    backend: DbBackend,
    complaint_id: Uuid,
    given: Option<CountedFor>,
    tallies: &[(&str, domain::ClockTally)],
    first: usize,
) -> (String, Vec<Value>) {
    let mut values = Vec::with_capacity(tallies.len() * 4 + 3);
    values.push(Value::from(complaint_id));
    if let Some(counted) = given {
        values.extend([
            Value::from(counted.company_id),
            Value::from(counted.is_test),
        ]);
    }
    for (code, tally) in tallies {
        values.extend([
            Value::from(*code),
            Value::from(tally.clocks),
            Value::from(tally.met_on_time),
            Value::from(tally.missed),
        ]);
    }
    let sql = clock_counters::count_changes(backend, tallies.len(), given.is_some());
    (crate::sql::placeholders_from(backend, &sql, first), values)
}

/// Whether the clock counters are kept in their current form, where writes of clocks count
/// their own changes: the trigger of that form is in place. The bench's switch drops every
/// counters' trigger, and a server started then counts nothing either.
pub(crate) async fn clock_counters_installed(db: &DatabaseConnection) -> Result<bool, RepoError> {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Postgres {
        "SELECT COUNT(*) AS n FROM pg_trigger WHERE tgname = $1"
    } else {
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = ?"
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(clock_counters::COUNTED_BY_WRITES)],
        ))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(n > 0)
}

impl UnitOfWork {
    /// Stores the clocks a complaint starts with (filing, `before` empty) or that a change
    /// started or changed (`before`: its clocks as stored, under the complaint's row lock), and
    /// counts what they change for the company it is routed to (`counted_for`, as this unit of
    /// work wrote the complaint; none, nothing counts): one statement on PostgreSQL.
    pub(super) async fn upsert_clocks(
        &self,
        complaint_id: Uuid,
        counted_for: Option<CountedFor>,
        before: &[domain::Clock],
        clocks: &[domain::Clock],
    ) -> Result<(), RepoError> {
        // One row per clock (kind and round); the last one given wins, as written one by one.
        let mut written: Vec<&domain::Clock> = Vec::with_capacity(clocks.len());
        for clock in clocks {
            written.retain(|c| (c.kind, c.round) != (clock.kind, clock.round));
            written.push(clock);
        }
        if written.is_empty() {
            return Ok(());
        }
        let backend = self.txn.get_database_backend();
        let write = complaint_clock::Entity::insert_many(
            written.iter().map(|clock| to_active(complaint_id, clock)),
        )
        .on_conflict(
            OnConflict::columns([
                complaint_clock::Column::ComplaintId,
                complaint_clock::Column::Code,
                complaint_clock::Column::Round,
            ])
            .update_columns([
                complaint_clock::Column::Basis,
                complaint_clock::Column::StartedAt,
                complaint_clock::Column::DueAt,
                complaint_clock::Column::PausedAt,
                complaint_clock::Column::PausedSeconds,
                complaint_clock::Column::MetAt,
                complaint_clock::Column::MissedAt,
                complaint_clock::Column::StoppedAt,
            ])
            .to_owned(),
        )
        .build(backend);
        let counted = counted_for
            .filter(|_| self.counts_clocks)
            .map(|counted| {
                let changes = domain::ClockTally::changes(before, written.iter().copied());
                let tallies: Vec<(&str, domain::ClockTally)> = changes
                    .into_iter()
                    .map(|(kind, tally)| (kind.as_str(), tally))
                    .collect();
                (counted, tallies)
            })
            .filter(|(_, tallies)| !tallies.is_empty());
        let Some((counted, tallies)) = counted else {
            self.txn.execute_raw(write).await?;
            return Ok(());
        };
        if backend == DbBackend::Postgres {
            // The clocks' upsert runs as a data-modifying CTE of the counters' upsert: one round
            // trip. Its placeholders come first, so the counters' are numbered after them.
            let mut values = write.values.map(|v| v.0).unwrap_or_default();
            let (count, count_values) = count_statement(
                backend,
                complaint_id,
                Some(counted),
                &tallies,
                values.len() + 1,
            );
            values.extend(count_values);
            let sql = format!("WITH written AS ({}) {count}", write.sql);
            self.txn
                .execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        } else {
            let (count, count_values) =
                count_statement(backend, complaint_id, Some(counted), &tallies, 1);
            self.txn.execute_raw(write).await?;
            self.txn
                .execute_raw(Statement::from_sql_and_values(backend, count, count_values))
                .await?;
        }
        Ok(())
    }

    /// What a transition does to the complaint's clocks ([`domain::after_transition`]), in its
    /// transaction (the complaint row is already locked by the version-guarded update, which
    /// wrote its company; `is_test` is its stored test flag).
    pub(super) async fn advance_clocks(
        &self,
        before: &domain::Complaint,
        transition: &domain::Transition,
        is_test: bool,
    ) -> Result<(), RepoError> {
        let kind = transition.event.kind();
        let Some(action) = domain::ActionKind::all().find(|a| domain::EventKind::from(*a) == kind)
        else {
            return Ok(());
        };
        let clocks = load(&self.txn, before.id).await?;
        let changed = domain::after_transition(
            &clocks,
            before,
            &transition.complaint,
            action,
            &transition.started_clocks,
            transition.event.at,
        );
        let counted_for = transition
            .complaint
            .company_id
            .map(|company_id| CountedFor {
                company_id,
                is_test,
            });
        self.upsert_clocks(before.id, counted_for, &clocks, &changed)
            .await
    }
}

/// Marks missed every running clock whose due time has passed by `now` (up to `limit`, oldest
/// first), as [`domain::Clock::miss_if_due`] decides; returns the complaints and clocks marked.
/// Each row changes at most once: the update is conditional on the clock still running to the
/// due time read, so another pass or another replica marking it first leaves it alone. Each mark
/// is a transaction of its own that first takes the complaint's row lock (shared), so that it and
/// a transition of the complaint (which meets or stops clocks) come one after the other and each
/// counts its change from what the other left.
pub async fn mark_missed_clocks(
    db: &Db,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(Uuid, domain::ClockKind)>, RepoError> {
    let counts_clocks = db.counts_clocks();
    let db = db.connection();
    let backend = db.get_database_backend();
    let due: Vec<complaint_clock::Model> = complaint_clock::Entity::find()
        .filter(complaint_clock::Column::MetAt.is_null())
        .filter(complaint_clock::Column::MissedAt.is_null())
        .filter(complaint_clock::Column::StoppedAt.is_null())
        .filter(complaint_clock::Column::PausedAt.is_null())
        .filter(complaint_clock::Column::DueAt.lte(now))
        .order_by_asc(complaint_clock::Column::DueAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut marked = Vec::new();
    for row in due {
        let (id, complaint_id) = (row.id, row.complaint_id);
        let running = to_clock(row)?;
        let mut clock = running.clone();
        if !clock.miss_if_due(now) {
            continue;
        }
        let txn = crate::begin_write(db).await?;
        complaint::Entity::find_by_id(complaint_id)
            .select_only()
            .column(complaint::Column::Id)
            .lock_shared()
            .into_tuple::<Uuid>()
            .one(&txn)
            .await?;
        let result = complaint_clock::Entity::update_many()
            .col_expr(
                complaint_clock::Column::MissedAt,
                Expr::value(clock.missed_at),
            )
            .filter(complaint_clock::Column::Id.eq(id))
            .filter(complaint_clock::Column::MetAt.is_null())
            .filter(complaint_clock::Column::MissedAt.is_null())
            .filter(complaint_clock::Column::StoppedAt.is_null())
            .filter(complaint_clock::Column::PausedAt.is_null())
            // Paused and resumed since it was read, it runs to a later due time.
            .filter(complaint_clock::Column::DueAt.eq(running.due_at))
            .exec(&txn)
            .await?;
        if result.rows_affected == 1 {
            let change = domain::ClockTally::change(Some(&running), &clock);
            if counts_clocks && !change.is_zero() {
                let (sql, values) = count_statement(
                    backend,
                    complaint_id,
                    None,
                    &[(clock.kind.as_str(), change)],
                    1,
                );
                txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                    .await?;
            }
            marked.push((complaint_id, clock.kind));
        }
        txn.commit().await?;
    }
    Ok(marked)
}

/// Per company and clock: clocks met on time and clocks missed (public scorecard).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct ClockCount {
    pub company_id: Uuid,
    pub code: String,
    pub met_on_time: i64,
    pub missed: i64,
}

/// Counts of met-on-time and missed clocks per company and clock, of complaints routed to a
/// company (test complaints left out unless `include_test`), from the counters the database keeps
/// with each change (migration `m20261207_000106_scorecard_clocks`): O(companies × clocks) rows,
/// whatever the size of the history. A company and clock with clocks but none met or missed yet
/// is there with zeros, as in [`recompute_clock_counts`] (a property test holds them equal).
pub async fn clock_counts(db: &Db, include_test: bool) -> Result<Vec<ClockCount>, RepoError> {
    let test = if include_test {
        ""
    } else {
        " WHERE NOT is_test"
    };
    grouped(
        db,
        format!(
            "SELECT company_id, code, CAST(SUM(met_on_time) AS BIGINT) AS met_on_time, \
             CAST(SUM(missed) AS BIGINT) AS missed FROM scorecard_clocks{test} \
             GROUP BY company_id, code HAVING SUM(clocks) > 0 ORDER BY company_id, code"
        ),
    )
    .await
}

/// [`clock_counts`] computed from every clock and its complaint: the check of the counters (and
/// what the scorecard read before them; a scan that grows with the history).
pub async fn recompute_clock_counts(
    db: &Db,
    include_test: bool,
) -> Result<Vec<ClockCount>, RepoError> {
    let test = if include_test {
        ""
    } else {
        " AND NOT c.is_test"
    };
    grouped(
        db,
        format!(
            "SELECT c.company_id AS company_id, k.code AS code, \
             CAST(SUM(CASE WHEN k.met_at IS NOT NULL AND k.missed_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS met_on_time, \
             CAST(SUM(CASE WHEN k.missed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS missed \
             FROM complaint_clocks k JOIN complaints c ON c.id = k.complaint_id \
             WHERE c.company_id IS NOT NULL{test} \
             GROUP BY c.company_id, k.code ORDER BY c.company_id, k.code"
        ),
    )
    .await
}

async fn grouped(db: &Db, sql: String) -> Result<Vec<ClockCount>, RepoError> {
    let db = db.connection();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    rows.iter()
        .map(|row| ClockCount::from_query_result(row, "").map_err(RepoError::from))
        .collect()
}
