//! The public scorecard from the counters the database keeps in the same transaction as each
//! change (migration `m20261207_000091_scorecard_counters`): O(companies) rows, plus the open
//! complaints past their deadline, counted through a partial index of open complaints (what is
//! overdue depends on the clock, so no trigger can keep it).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait};
use uuid::Uuid;

use super::CityScorecard;
use crate::migration::m20261207_000091_scorecard_counters as counters;
use crate::migration::m20261207_000106_scorecard_clocks as clock_counters;
use crate::{Db, RepoError};

#[derive(FromQueryResult)]
struct CountRow {
    company_id: Uuid,
    is_test: bool,
    complaints_total: i64,
    open_total: i64,
    closed_total: i64,
    received: i64,
    reports: i64,
    late_reports: i64,
    verified: i64,
    satisfied: i64,
    inspections: i64,
    orders: i64,
    fines: i64,
    fines_total_rub: i64,
    reopened: i64,
}

#[derive(FromQueryResult)]
struct OverdueRow {
    company_id: Option<Uuid>,
    is_test: bool,
    status: String,
    n: i64,
}

/// A company's figures added up over its rows, before they are narrowed to the domain's `u32`.
#[derive(Default)]
struct Sums {
    complaints: i64,
    open: i64,
    closed: i64,
    overdue: i64,
    received: i64,
    reports: i64,
    late_reports: i64,
    reopened: i64,
    verified: i64,
    satisfied: i64,
    inspections: i64,
    orders: i64,
    fines: i64,
    fines_total_rub: i64,
}

impl Sums {
    fn add(&mut self, r: &CountRow) {
        self.complaints += r.complaints_total;
        self.open += r.open_total;
        self.closed += r.closed_total;
        self.received += r.received;
        self.reports += r.reports;
        self.late_reports += r.late_reports;
        self.reopened += r.reopened;
        self.verified += r.verified;
        self.satisfied += r.satisfied;
        self.inspections += r.inspections;
        self.orders += r.orders;
        self.fines += r.fines;
        self.fines_total_rub += r.fines_total_rub;
    }

    fn is_empty(&self) -> bool {
        [
            self.complaints,
            self.overdue,
            self.received,
            self.reports,
            self.reopened,
            self.verified,
            self.inspections,
            self.orders,
            self.fines,
        ]
        .iter()
        .all(|v| *v == 0)
    }

    fn counts(&self) -> domain::CompanyCounts {
        domain::CompanyCounts {
            received: narrow(self.received),
            open: narrow(self.open),
            closed: narrow(self.closed),
            overdue: narrow(self.overdue),
            reports: narrow(self.reports),
            late_reports: narrow(self.late_reports),
            reopened: narrow(self.reopened),
            verified: narrow(self.verified),
            satisfied: narrow(self.satisfied),
            inspections: narrow(self.inspections),
            orders: narrow(self.orders),
            fines: narrow(self.fines),
            fines_total_rub: u64::try_from(self.fines_total_rub).unwrap_or(0),
        }
    }
}

fn narrow(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

/// The scorecard of every company with any figure, and the city's counts, from the counters: the
/// same figures as [`super::recompute_scorecard`] (a property test holds them equal), leaving out
/// companies whose figures are all zero.
pub async fn scorecard(
    db: &Db,
    now: DateTime<Utc>,
    min_volume: u32,
    include_test: bool,
) -> Result<CityScorecard, RepoError> {
    let conn = db.connection();
    let backend = conn.get_database_backend();
    let rows = CountRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT company_id, is_test, complaints_total, open_total, closed_total, received, \
         reports, late_reports, verified, satisfied, inspections, orders, fines, \
         fines_total_rub, reopened FROM scorecard_counts",
    ))
    .all(conn)
    .await?;
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    // The predicate repeats the partial index's own, so that both planners use it.
    let overdue = OverdueRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT company_id, is_test, status, COUNT(*) AS n FROM complaints \
             WHERE status IN ({}) AND due_at < {placeholder} \
             AND (paused_since IS NULL OR paused_since > due_at) \
             GROUP BY company_id, is_test, status",
            counters::OPEN_STATUSES
        ),
        [now.into()],
    ))
    .all(conn)
    .await?;

    let mut companies: BTreeMap<Uuid, Sums> = BTreeMap::new();
    let mut city = Sums::default();
    for row in rows.iter().filter(|r| include_test || !r.is_test) {
        city.add(row);
        if !row.company_id.is_nil() {
            companies.entry(row.company_id).or_default().add(row);
        }
    }
    for row in overdue.iter().filter(|r| include_test || !r.is_test) {
        city.overdue += row.n;
        // A company is held to its deadline while it has the complaint to work on.
        if let Some(company) = row.company_id
            && matches!(row.status.as_str(), "registered" | "in_progress")
        {
            companies.entry(company).or_default().overdue += row.n;
        }
    }
    Ok(CityScorecard {
        scores: companies
            .iter()
            .filter(|(_, sums)| !sums.is_empty())
            .map(|(id, sums)| domain::score(*id, &sums.counts(), min_volume))
            .collect(),
        received: narrow(city.complaints),
        open: narrow(city.open),
        closed: narrow(city.complaints - city.open),
        overdue: narrow(city.overdue),
    })
}

/// Recomputes the counters from the complaints and events as stored, in one transaction that
/// holds off writers (on PostgreSQL) meanwhile: the repair behind `dispatch rebuild-scorecard`.
pub async fn rebuild_scorecard(db: &Db) -> Result<(), RepoError> {
    let conn = db.connection();
    let backend = conn.get_database_backend();
    let txn = conn.begin().await?;
    if backend == DbBackend::Postgres {
        txn.execute_unprepared(
            "LOCK TABLE complaints, complaint_events, complaint_clocks IN SHARE MODE",
        )
        .await?;
    }
    txn.execute_unprepared("DELETE FROM scorecard_counts")
        .await?;
    txn.execute_unprepared("DELETE FROM scorecard_reopened")
        .await?;
    txn.execute_unprepared("DELETE FROM scorecard_clocks")
        .await?;
    for sql in counters::backfill(backend)
        .into_iter()
        .chain([clock_counters::backfill(backend)])
    {
        txn.execute_unprepared(&sql).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Switches the counters' triggers off, or on again (and then rebuilds the counters, which went
/// stale meanwhile). Only for the bench, which measures transitions with and without them.
pub async fn set_scorecard_triggers(db: &Db, on: bool) -> Result<(), RepoError> {
    let conn = db.connection();
    let backend = conn.get_database_backend();
    for sql in counters::drop_triggers(backend)
        .into_iter()
        .chain(clock_counters::drop_triggers(backend))
    {
        conn.execute_unprepared(&sql).await?;
    }
    if on {
        for sql in counters::triggers(backend)
            .into_iter()
            .chain(clock_counters::triggers(backend))
        {
            conn.execute_unprepared(&sql).await?;
        }
        rebuild_scorecard(db).await?;
    }
    db.refresh_counts_clocks().await
}
