//! The inspection's registers: orders (with their status and the fines recorded for them) and
//! fines, filtered, newest first, a page at a time (keyset on the id, a UUIDv7), with totals
//! under the same filter. The register of inspection acts is in [`acts`].

pub mod acts;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{building, complaint, fine, order, organisation};
use crate::{Db, RepoError};

/// What the register of orders is filtered by.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only the orders addressed to this company (a company's own scope, or a filter).
    pub company_id: Option<Uuid>,
    pub status: Option<domain::OrderStatus>,
    /// Issued from this moment, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Issued before this moment.
    pub to: Option<DateTime<Utc>>,
}

/// One order of the register.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: Uuid,
    pub number: String,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub address: String,
    pub company_id: Uuid,
    pub company_name: String,
    pub issued_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub checked_at: Option<DateTime<Utc>>,
    pub status: domain::OrderStatus,
    /// The fines recorded for not complying with it, in roubles.
    pub fined_rub: i64,
}

/// The count and the fines' sum of everything under a filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromQueryResult)]
pub struct Totals {
    pub count: i64,
    pub sum_rub: i64,
}

const FINED: &str = "EXISTS (SELECT 1 FROM fines f WHERE f.order_id = orders.id)";

fn order_condition(filter: &OrderFilter, now: DateTime<Utc>) -> Condition {
    let mut cond = Condition::all();
    if let Some(company) = filter.company_id {
        cond = cond.add(order::Column::CompanyId.eq(company));
    }
    if let Some(from) = filter.from {
        cond = cond.add(order::Column::IssuedAt.gte(from));
    }
    if let Some(to) = filter.to {
        cond = cond.add(order::Column::IssuedAt.lt(to));
    }
    let fined = || SimpleExpr::from(Expr::cust(FINED));
    let not_complied = || {
        Condition::any()
            .add(order::Column::Complied.is_null())
            .add(order::Column::Complied.eq(false))
    };
    match filter.status {
        None => cond,
        Some(domain::OrderStatus::Complied) => cond.add(order::Column::Complied.eq(true)),
        Some(domain::OrderStatus::Fined) => cond.add(not_complied()).add(fined()),
        Some(domain::OrderStatus::Overdue) => cond.add(fined().not()).add(
            Condition::any().add(order::Column::Complied.eq(false)).add(
                Condition::all()
                    .add(order::Column::Complied.is_null())
                    .add(order::Column::DueAt.lt(now)),
            ),
        ),
        Some(domain::OrderStatus::Open) => cond
            .add(order::Column::Complied.is_null())
            .add(order::Column::DueAt.gte(now))
            .add(fined().not()),
    }
}

/// A page of the register of orders, newest first, after the order `before` when given.
pub async fn orders_page(
    db: &Db,
    filter: &OrderFilter,
    before: Option<Uuid>,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<OrderRow>, RepoError> {
    let conn = db.connection();
    let mut select = order::Entity::find().filter(order_condition(filter, now));
    if let Some(before) = before {
        select = select.filter(order::Column::Id.lt(before));
    }
    let orders = select
        .order_by_desc(order::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let mut fined: HashMap<Uuid, i64> = HashMap::new();
    for f in fine::Entity::find()
        .filter(fine::Column::OrderId.is_in(ids))
        .all(conn)
        .await?
    {
        if let Some(id) = f.order_id {
            *fined.entry(id).or_default() += f.amount_rub;
        }
    }
    let complaints = complaints_by_id(db, orders.iter().map(|o| o.complaint_id)).await?;
    let companies = company_names(db, orders.iter().map(|o| o.company_id)).await?;
    Ok(orders
        .into_iter()
        .map(|o| {
            let fined_rub = fined.get(&o.id).copied().unwrap_or(0);
            let (complaint_number, address) =
                complaints.get(&o.complaint_id).cloned().unwrap_or_default();
            OrderRow {
                status: domain::OrderStatus::of(
                    o.complied,
                    o.due_at,
                    fined.contains_key(&o.id),
                    now,
                ),
                id: o.id,
                number: o.number.unwrap_or_default(),
                complaint_id: o.complaint_id,
                complaint_number,
                address,
                company_id: o.company_id,
                company_name: companies.get(&o.company_id).cloned().unwrap_or_default(),
                issued_at: o.issued_at,
                due_at: o.due_at,
                checked_at: o.checked_at,
                fined_rub,
            }
        })
        .collect())
}

/// How many orders the filter holds and the sum of the fines recorded for them.
pub async fn orders_totals(
    db: &Db,
    filter: &OrderFilter,
    now: DateTime<Utc>,
) -> Result<Totals, RepoError> {
    let totals = order::Entity::find()
        .filter(order_condition(filter, now))
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust(
                "CAST(COALESCE(SUM((SELECT SUM(f.amount_rub) FROM fines f \
                 WHERE f.order_id = orders.id)), 0) AS BIGINT)",
            ),
            "sum_rub",
        )
        .into_model::<Totals>()
        .one(db.connection())
        .await?;
    Ok(totals.unwrap_or_default())
}

/// What the register of fines is filtered by.
#[derive(Debug, Clone, Default)]
pub struct FineFilter {
    pub company_id: Option<Uuid>,
    /// The article's code, e.g. `7.22`.
    pub article: Option<String>,
    pub offender: Option<domain::Offender>,
    /// Recorded from this moment, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Recorded before this moment.
    pub to: Option<DateTime<Utc>>,
}

/// One fine of the register.
#[derive(Debug, Clone)]
pub struct FineRow {
    pub id: Uuid,
    pub article: Option<String>,
    pub legal_basis: String,
    pub offender: Option<String>,
    pub amount_rub: i64,
    pub company_id: Uuid,
    pub company_name: String,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub order_id: Option<Uuid>,
    pub order_number: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

fn fine_condition(filter: &FineFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(company) = filter.company_id {
        cond = cond.add(fine::Column::CompanyId.eq(company));
    }
    if let Some(article) = &filter.article {
        cond = cond.add(fine::Column::Article.eq(article.as_str()));
    }
    if let Some(offender) = filter.offender {
        cond = cond.add(fine::Column::Offender.eq(offender.as_str()));
    }
    if let Some(from) = filter.from {
        cond = cond.add(fine::Column::RecordedAt.gte(from));
    }
    if let Some(to) = filter.to {
        cond = cond.add(fine::Column::RecordedAt.lt(to));
    }
    cond
}

/// A page of the register of fines, newest first, after the fine `before` when given.
pub async fn fines_page(
    db: &Db,
    filter: &FineFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<FineRow>, RepoError> {
    let conn = db.connection();
    let mut select = fine::Entity::find().filter(fine_condition(filter));
    if let Some(before) = before {
        select = select.filter(fine::Column::Id.lt(before));
    }
    let fines = select
        .order_by_desc(fine::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let complaints = complaints_by_id(db, fines.iter().map(|f| f.complaint_id)).await?;
    let companies = company_names(db, fines.iter().map(|f| f.company_id)).await?;
    let order_ids: Vec<Uuid> = fines.iter().filter_map(|f| f.order_id).collect();
    let order_numbers: HashMap<Uuid, String> = order::Entity::find()
        .filter(order::Column::Id.is_in(order_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.number.unwrap_or_default()))
        .collect();
    Ok(fines
        .into_iter()
        .map(|f| FineRow {
            complaint_number: complaints
                .get(&f.complaint_id)
                .map(|c| c.0.clone())
                .unwrap_or_default(),
            company_name: companies.get(&f.company_id).cloned().unwrap_or_default(),
            order_number: f.order_id.and_then(|id| order_numbers.get(&id).cloned()),
            id: f.id,
            article: f.article,
            legal_basis: f.legal_basis,
            offender: f.offender,
            amount_rub: f.amount_rub,
            company_id: f.company_id,
            complaint_id: f.complaint_id,
            order_id: f.order_id,
            recorded_at: f.recorded_at,
        })
        .collect())
}

/// How many fines the filter holds and their sum.
pub async fn fines_totals(db: &Db, filter: &FineFilter) -> Result<Totals, RepoError> {
    let totals = fine::Entity::find()
        .filter(fine_condition(filter))
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount_rub), 0) AS BIGINT)"),
            "sum_rub",
        )
        .into_model::<Totals>()
        .one(db.connection())
        .await?;
    Ok(totals.unwrap_or_default())
}

/// Each complaint's number and its building's address.
async fn complaints_by_id(
    db: &Db,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, (String, String)>, RepoError> {
    let conn = db.connection();
    let complaints = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .all(conn)
        .await?;
    let addresses: HashMap<Uuid, String> = building::Entity::find()
        .filter(building::Column::Id.is_in(complaints.iter().map(|c| c.building_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.id, b.address))
        .collect();
    Ok(complaints
        .into_iter()
        .map(|c| {
            let address = addresses.get(&c.building_id).cloned().unwrap_or_default();
            (c.id, (c.number, address))
        })
        .collect())
}

async fn company_names(
    db: &Db,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, RepoError> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .all(db.connection())
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
