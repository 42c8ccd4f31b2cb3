//! Legal clocks as stored (issue 15): started with the complaint, changed with each transition
//! in its unit of work, marked missed by the worker, counted for the public scorecard.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use super::UnitOfWork;
use crate::entities::complaint_clock;
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

impl UnitOfWork {
    /// Stores the clocks a complaint starts with (filing) or that a change started.
    pub(super) async fn upsert_clocks(
        &self,
        complaint_id: Uuid,
        clocks: &[domain::Clock],
    ) -> Result<(), RepoError> {
        for clock in clocks {
            complaint_clock::Entity::insert(to_active(complaint_id, clock))
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
                .exec_without_returning(&self.txn)
                .await?;
        }
        Ok(())
    }

    /// What a transition does to the complaint's clocks ([`domain::after_transition`]), in its
    /// transaction (the complaint row is already locked by the version-guarded update).
    pub(super) async fn advance_clocks(
        &self,
        before: &domain::Complaint,
        transition: &domain::Transition,
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
        self.upsert_clocks(before.id, &changed).await
    }
}

/// Marks missed every running clock whose due time has passed by `now` (up to `limit`, oldest
/// first), as [`domain::Clock::miss_if_due`] decides; returns the complaints and clocks marked.
/// Each row changes at most once: the update is conditional on the clock still being running,
/// so another pass or another replica marking it first leaves it alone.
pub async fn mark_missed_clocks(
    db: &Db,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(Uuid, domain::ClockKind)>, RepoError> {
    let db = db.connection();
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
        let mut clock = to_clock(row)?;
        if !clock.miss_if_due(now) {
            continue;
        }
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
            .exec(db)
            .await?;
        if result.rows_affected == 1 {
            marked.push((complaint_id, clock.kind));
        }
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
