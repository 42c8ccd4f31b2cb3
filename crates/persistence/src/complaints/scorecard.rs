//! The public scorecard recomputed from the whole history, streamed through the domain's builder:
//! the reference the counters (`super::score_counters`) are checked and repaired against.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{ComplaintRow, base_select, event_from_row, to_record};
use crate::entities::complaint_event;
use crate::{Db, RepoError};

/// The scorecard of every company and the city's counts, streamed through the domain's
/// [`domain::ScorecardBuilder`] a page at a time: memory stays bounded however long the history.
pub async fn recompute_scorecard(
    db: &Db,
    now: DateTime<Utc>,
    min_volume: u32,
    include_test: bool,
) -> Result<CityScorecard, RepoError> {
    let db = db.connection();
    const COMPLAINT_PAGE: u64 = 2_000;
    const EVENT_PAGE: u64 = 10_000;
    let mut builder = domain::ScorecardBuilder::new(now, min_volume);
    let mut city = CityScorecard::default();
    // Test complaints left out, so that their events are left out too (events carry no flag).
    let mut left_out: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = base_select();
        if let Some(last) = after {
            select.and_where(Expr::col(("c", "id")).gt(last));
        }
        select
            .order_by(("c", "id"), Order::Asc)
            .limit(COMPLAINT_PAGE);
        let rows = db.query_all(&select).await?;
        for row in &rows {
            let record = to_record(ComplaintRow::from_query_result(row, "")?)?;
            let c = &record.complaint;
            after = Some(c.id);
            if record.is_test && !include_test {
                left_out.insert(c.id);
                continue;
            }
            city.received += 1;
            if c.is_open() {
                city.open += 1;
            } else {
                city.closed += 1;
            }
            if domain::is_overdue(c, now) {
                city.overdue += 1;
            }
            builder.add_complaint(c);
        }
        if (rows.len() as u64) < COMPLAINT_PAGE {
            break;
        }
    }
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = complaint_event::Entity::find().order_by_asc(complaint_event::Column::Id);
        if let Some(last) = after {
            select = select.filter(complaint_event::Column::Id.gt(last));
        }
        let rows = sea_orm::QuerySelect::limit(select, EVENT_PAGE)
            .all(db)
            .await?;
        let full = rows.len() as u64 == EVENT_PAGE;
        for row in rows {
            after = Some(row.id);
            if left_out.contains(&row.complaint_id) {
                continue;
            }
            builder.add_event(&event_from_row(row)?.event);
        }
        if !full {
            break;
        }
    }
    city.scores = builder.finish();
    Ok(city)
}

/// What [`scorecard`] computes.
#[derive(Debug, Clone, Default)]
pub struct CityScorecard {
    pub scores: Vec<domain::CompanyScore>,
    pub received: u32,
    pub open: u32,
    pub closed: u32,
    pub overdue: u32,
}

impl CityScorecard {
    /// Whether two scorecards give the same figures, leaving out companies whose figures are all
    /// zero (one computation may list such a company and the other not).
    pub fn same_figures(&self, other: &CityScorecard) -> bool {
        fn listed(card: &CityScorecard) -> Vec<&domain::CompanyScore> {
            card.scores
                .iter()
                .filter(|s| {
                    [
                        s.received,
                        s.open,
                        s.closed,
                        s.overdue,
                        s.reports,
                        s.reopened,
                        s.verified,
                        s.inspections,
                        s.orders,
                        s.fines,
                    ]
                    .iter()
                    .any(|v| *v != 0)
                })
                .collect()
        }
        listed(self) == listed(other)
            && (self.received, self.open, self.closed, self.overdue)
                == (other.received, other.open, other.closed, other.overdue)
    }
}
