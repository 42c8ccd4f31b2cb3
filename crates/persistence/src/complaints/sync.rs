//! Delta sync: what changed after a position, in order, within a caller's scope; and what left a
//! company's view meanwhile.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::list::within;
use super::{ComplaintRecord, ComplaintRow, Cursor, base_select, to_record};
use crate::entities::{complaint, complaint_departure};
use crate::{Db, RepoError};

/// Up to `limit` complaints of `scope` whose last change is after `after` (a position
/// `(updated_at, id)`), in that order; one query, whatever the page size.
pub async fn changes(
    db: &Db,
    scope: domain::ComplaintScope,
    after: Option<&Cursor>,
    limit: u64,
) -> Result<Vec<ComplaintRecord>, RepoError> {
    let mut select = base_select();
    if !within(&mut select, scope) {
        return Ok(Vec::new());
    }
    if let Some(cursor) = after {
        select.cond_where(
            Cond::any()
                .add(Expr::col(("c", "updated_at")).gt(cursor.key))
                .add(
                    Cond::all()
                        .add(Expr::col(("c", "updated_at")).eq(cursor.key))
                        .add(Expr::col(("c", "id")).gt(cursor.id)),
                ),
        );
    }
    select
        .order_by(("c", "updated_at"), Order::Asc)
        .order_by(("c", "id"), Order::Asc)
        .limit(limit);
    db.connection()
        .query_all(&select)
        .await?
        .iter()
        .map(|row| {
            ComplaintRow::from_query_result(row, "")
                .map_err(RepoError::from)
                .and_then(to_record)
        })
        .collect()
}

/// The complaints that left `company`'s view after `since` and up to `upto` (rerouted elsewhere,
/// or declined), and are not routed to it now; at most `limit`.
pub async fn departures(
    db: &Db,
    company: Uuid,
    since: Option<DateTime<Utc>>,
    upto: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, RepoError> {
    let db = db.connection();
    let mut query = complaint_departure::Entity::find()
        .filter(complaint_departure::Column::CompanyId.eq(company))
        .filter(complaint_departure::Column::At.lte(upto));
    if let Some(since) = since {
        query = query.filter(complaint_departure::Column::At.gt(since));
    }
    let left: Vec<Uuid> = query
        .order_by_asc(complaint_departure::Column::At)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.complaint_id)
        .collect();
    if left.is_empty() {
        return Ok(left);
    }
    let back: std::collections::HashSet<Uuid> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .filter(complaint::Column::Id.is_in(left.clone()))
        .filter(complaint::Column::CompanyId.eq(company))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut gone: Vec<Uuid> = left.into_iter().filter(|id| !back.contains(id)).collect();
    gone.sort();
    gone.dedup();
    Ok(gone)
}
