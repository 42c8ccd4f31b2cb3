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
    /// Only complaints running this legal clock (with `clock_state`: in that state).
    pub clock: Option<domain::ClockKind>,
    /// Only complaints with a clock (of `clock`, or any) in this state at `now`.
    pub clock_state: Option<domain::ClockState>,
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
            clock: None,
            clock_state: None,
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

/// Whether a stored clock (alias `ck`) is in `state` at `now`: a running clock past its due time
/// counts as missed before the worker has marked it.
fn clock_state_condition(state: domain::ClockState, now: DateTime<Utc>) -> Cond {
    let col = |name: &'static str| Expr::col(("ck", name));
    let open = || {
        Cond::all()
            .add(col("met_at").is_null())
            .add(col("missed_at").is_null())
            .add(col("stopped_at").is_null())
    };
    match state {
        domain::ClockState::Running => open()
            .add(col("paused_at").is_null())
            .add(col("due_at").gt(now)),
        domain::ClockState::Paused => open().add(col("paused_at").is_not_null()),
        domain::ClockState::Met => Cond::all()
            .add(col("met_at").is_not_null())
            .add(col("missed_at").is_null()),
        domain::ClockState::Missed => Cond::any().add(col("missed_at").is_not_null()).add(
            open()
                .add(col("paused_at").is_null())
                .add(col("due_at").lte(now)),
        ),
        domain::ClockState::Stopped => Cond::all()
            .add(col("stopped_at").is_not_null())
            .add(col("met_at").is_null())
            .add(col("missed_at").is_null()),
    }
}

/// The city's 59-ФЗ clock is the complaint's own `answer_due_at`, met when the complaint ends
/// by then ([`domain::city_answer_clock`]); it never pauses or stops.
fn city_answer_condition(state: Option<domain::ClockState>, now: DateTime<Utc>) -> Cond {
    let open = || status_in(domain::Status::all().filter(|s| s.is_open()));
    let ended = || status_in(domain::Status::all().filter(|s| s.is_final()));
    let due = || Expr::col(("c", "answer_due_at"));
    let closed = || Expr::col(("c", "closed_at"));
    match state {
        None => Cond::all(),
        Some(domain::ClockState::Running) => Cond::all().add(open()).add(due().gt(now)),
        Some(domain::ClockState::Missed) => Cond::any()
            .add(Cond::all().add(open()).add(due().lte(now)))
            .add(Cond::all().add(ended()).add(closed().gt(due()))),
        Some(domain::ClockState::Met) => Cond::all().add(ended()).add(closed().lte(due())),
        Some(domain::ClockState::Paused | domain::ClockState::Stopped) => {
            Cond::all().add(Expr::cust("1 = 0"))
        }
    }
}

/// Complaints with the clock `kind` (or any stored clock) in `state` (or in any state).
fn clock_condition(
    kind: Option<domain::ClockKind>,
    state: Option<domain::ClockState>,
    now: DateTime<Utc>,
) -> Cond {
    if kind == Some(domain::ClockKind::CityAnswer) {
        return city_answer_condition(state, now);
    }
    let mut sub = sea_orm::sea_query::Query::select();
    sub.expr(Expr::val(1))
        .from_as("complaint_clocks", "ck")
        .and_where(Expr::col(("ck", "complaint_id")).equals(("c", "id")));
    if let Some(kind) = kind {
        sub.and_where(Expr::col(("ck", "code")).eq(kind.as_str()));
    }
    if let Some(state) = state {
        sub.cond_where(clock_state_condition(state, now));
    }
    Cond::all().add(Expr::exists(sub))
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
    if query.clock.is_some() || query.clock_state.is_some() {
        select.cond_where(clock_condition(query.clock, query.clock_state, query.now));
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
        .order_by(("c", "id"), order);
    // The page size is written into the SQL, not bound, as the statuses are: the API's sessions
    // keep generic plans, and a generic plan does not know a bound LIMIT; for the unfiltered public
    // list at 3 M complaints it planned for a tenth of the table and spent ~10 ms before its first
    // row (FINDINGS §13). Page sizes are few, and so are the statements cached per connection.
    let mut statement = db.get_database_backend().build(&select);
    statement
        .sql
        .push_str(&format!(" LIMIT {}", query.limit + 1));
    let rows = db.query_all_raw(statement).await?;
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
