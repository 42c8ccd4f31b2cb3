//! Lists of complaints: the control board and the queues, filtered and a keyset page at a time.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Func, LikeExpr, Order, SelectStatement};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use super::{ComplaintRecord, ComplaintRow, base_select, to_record};
use crate::{Db, RepoError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest first (`registered_at` descending).
    Newest,
    /// Oldest first.
    Oldest,
    /// Nearest deadline first; complaints without a deadline last.
    DueSoon,
}

/// Filters of the control board and the queues. Empty fields do not filter.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// What the caller may see: [`domain::complaint_scope`] of the caller.
    pub scope: domain::ComplaintScope,
    pub statuses: Vec<domain::Status>,
    /// Any of these complaint numbers (empty: no filter).
    pub numbers: Vec<String>,
    pub company_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    /// Any of these categories (empty: no filter).
    pub category_ids: Vec<Uuid>,
    pub building_id: Option<Uuid>,
    pub district: Option<String>,
    pub overdue: Option<bool>,
    pub min_round: Option<u32>,
    pub registered_from: Option<DateTime<Utc>>,
    pub registered_to: Option<DateTime<Utc>>,
    pub search: Option<String>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: u64,
    pub now: DateTime<Utc>,
    /// Whether complaints marked as test are listed (the public list leaves them out once pilot
    /// mode is off).
    pub include_test: bool,
    /// Only categories the public may see ([`domain::category_is_public`]): the public list, the
    /// map and Open311 leave out complaints about one flat.
    pub public_only: bool,
}

impl ListQuery {
    /// No filters, newest first, 20 a page.
    pub fn new(scope: domain::ComplaintScope, now: DateTime<Utc>) -> Self {
        Self {
            scope,
            statuses: Vec::new(),
            numbers: Vec::new(),
            company_id: None,
            category_id: None,
            category_ids: Vec::new(),
            building_id: None,
            district: None,
            overdue: None,
            min_round: None,
            registered_from: None,
            registered_to: None,
            search: None,
            sort: Sort::Newest,
            after: None,
            limit: 20,
            now,
            include_test: true,
            public_only: false,
        }
    }
}

/// A keyset position: the sort key and the id of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: DateTime<Utc>,
    pub id: Uuid,
}

pub struct Page {
    pub items: Vec<ComplaintRecord>,
    pub next: Option<Cursor>,
}

/// The far future that stands in for "no deadline" when sorting by deadline.
fn no_deadline() -> DateTime<Utc> {
    DateTime::<Utc>::MAX_UTC.with_timezone(&Utc) - chrono::Duration::days(365 * 1000)
}

/// `c.status IN ('…', …)` with the statuses written into the SQL rather than bound.
///
/// PostgreSQL can then prove that a query implies the partial indexes on open complaints and
/// keep one generic plan per statement. Bound, every request planned a five-table join again
/// (most of the database's time in the company queue at 1 M complaints), because a generic plan
/// over `status IN ($2, $3)` cannot use those indexes. The values are the domain's own status
/// names, never user text.
fn status_in(statuses: impl IntoIterator<Item = domain::Status>) -> Expr {
    Expr::col(("c", "status")).is_in(
        statuses
            .into_iter()
            .map(|status| Expr::cust(format!("'{}'", status.as_str()))),
    )
}

/// The condition "open, not paused, past its deadline".
fn overdue_condition(now: DateTime<Utc>) -> Cond {
    Cond::all()
        .add(status_in(domain::Status::all().filter(|s| s.is_open())))
        .add(Expr::col(("c", "paused_since")).is_null())
        .add(Expr::col(("c", "due_at")).lt(now))
}

/// Narrows `select` to what the scope lets its caller see; `false` when that is nothing.
pub(super) fn within(select: &mut SelectStatement, scope: domain::ComplaintScope) -> bool {
    let column = match scope {
        domain::ComplaintScope::All => return true,
        domain::ComplaintScope::Nothing => return false,
        domain::ComplaintScope::AuthoredBy(_) => "author_id",
        domain::ComplaintScope::FiledBy(_) => "filed_by",
        domain::ComplaintScope::RoutedTo(_) => "company_id",
        domain::ComplaintScope::Only(_) => "id",
    };
    if let domain::ComplaintScope::AuthoredBy(id)
    | domain::ComplaintScope::FiledBy(id)
    | domain::ComplaintScope::RoutedTo(id)
    | domain::ComplaintScope::Only(id) = scope
    {
        select.and_where(Expr::col(("c", column)).eq(id));
    }
    true
}

/// One page of complaints in one query, whatever the page size.
pub async fn list(db: &Db, query: &ListQuery) -> Result<Page, RepoError> {
    let db = db.connection();
    let mut select = base_select();
    if !within(&mut select, query.scope) {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    if !query.statuses.is_empty() {
        select.and_where(status_in(query.statuses.iter().copied()));
    }
    if !query.numbers.is_empty() {
        select
            .and_where(Expr::col(("c", "number")).is_in(query.numbers.iter().map(String::as_str)));
    }
    if !query.include_test {
        select.and_where(Expr::col(("c", "is_test")).eq(false));
    }
    if query.public_only {
        // `category_is_public(identifies_occupant)` is `!identifies_occupant`.
        select.and_where(Expr::col(("k", "identifies_occupant")).eq(false));
    }
    if let Some(id) = query.company_id {
        select.and_where(Expr::col(("c", "company_id")).eq(id));
    }
    if let Some(id) = query.category_id {
        select.and_where(Expr::col(("c", "category_id")).eq(id));
    }
    if !query.category_ids.is_empty() {
        select.and_where(Expr::col(("c", "category_id")).is_in(query.category_ids.iter().copied()));
    }
    if let Some(id) = query.building_id {
        select.and_where(Expr::col(("c", "building_id")).eq(id));
    }
    if let Some(district) = &query.district {
        select.and_where(Expr::col(("b", "district")).eq(district.as_str()));
    }
    match query.overdue {
        Some(true) => {
            select.cond_where(overdue_condition(query.now));
        }
        Some(false) => {
            select.cond_where(overdue_condition(query.now).not());
        }
        None => {}
    }
    if let Some(round) = query.min_round {
        select.and_where(Expr::col(("c", "round")).gte(i64::from(round)));
    }
    if let Some(from) = query.registered_from {
        select.and_where(Expr::col(("c", "registered_at")).gte(from));
    }
    if let Some(to) = query.registered_to {
        select.and_where(Expr::col(("c", "registered_at")).lt(to));
    }
    if let Some(text) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = format!("%{}%", crate::sql::escape_like(&text.to_lowercase()));
        select.and_where(Expr::col(("c", "search_text")).like(LikeExpr::new(pattern).escape('\\')));
    }
    let due_key: Expr =
        Func::coalesce([Expr::col(("c", "due_at")), Expr::value(no_deadline())]).into();
    let (key, descending): (Expr, bool) = match query.sort {
        Sort::Newest => (Expr::col(("c", "registered_at")), true),
        Sort::Oldest => (Expr::col(("c", "registered_at")), false),
        Sort::DueSoon => (due_key, false),
    };
    if let Some(cursor) = &query.after {
        let (key_after, id_after) = if descending {
            (
                key.clone().lt(cursor.key),
                Expr::col(("c", "id")).lt(cursor.id),
            )
        } else {
            (
                key.clone().gt(cursor.key),
                Expr::col(("c", "id")).gt(cursor.id),
            )
        };
        select.cond_where(
            Cond::any()
                .add(key_after)
                .add(Cond::all().add(key.clone().eq(cursor.key)).add(id_after)),
        );
    }
    let order = if descending { Order::Desc } else { Order::Asc };
    select
        .order_by_expr(key, order.clone())
        .order_by(("c", "id"), order)
        .limit(query.limit + 1);
    let rows = db.query_all(&select).await?;
    let mut items = rows
        .iter()
        .map(|r| {
            ComplaintRow::from_query_result(r, "")
                .map_err(RepoError::from)
                .and_then(to_record)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let has_more = items.len() as u64 > query.limit;
    items.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
    let next = if has_more {
        items.last().map(|last| Cursor {
            key: match query.sort {
                Sort::Newest | Sort::Oldest => last.complaint.registered_at,
                Sort::DueSoon => last.complaint.due_at.unwrap_or_else(no_deadline),
            },
            id: last.complaint.id,
        })
    } else {
        None
    };
    Ok(Page { items, next })
}
