//! The register of inspection acts (акты проверки): filtered, newest first, a page at a time
//! (keyset on the id, a UUIDv7), with the count and how many found a violation under the same
//! filter.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{company_names, complaints_by_id};
use crate::entities::{inspection_act, user};
use crate::{Db, RepoError};

/// What the register of acts is filtered by.
#[derive(Debug, Clone, Default)]
pub struct ActFilter {
    /// Only the acts about this company (a company's own scope, or a filter). An act of a
    /// complaint never routed to a company has none and is left out then.
    pub company_id: Option<Uuid>,
    /// Only the acts that found (`true`) or did not find (`false`) a violation.
    pub violation: Option<bool>,
    /// Recorded from this moment, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Recorded before this moment.
    pub to: Option<DateTime<Utc>>,
}

/// One act of the register.
#[derive(Debug, Clone)]
pub struct ActRow {
    pub id: Uuid,
    pub number: String,
    pub complaint_id: Uuid,
    pub complaint_number: String,
    pub address: String,
    pub company_id: Option<Uuid>,
    pub company_name: Option<String>,
    pub violation: bool,
    pub findings: String,
    /// The inspector's name; empty once their personal data is erased.
    pub inspector_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// How many acts a filter holds and how many of them found a violation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, FromQueryResult)]
pub struct ActTotals {
    pub count: i64,
    pub violations: i64,
}

fn act_condition(filter: &ActFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(company) = filter.company_id {
        cond = cond.add(inspection_act::Column::CompanyId.eq(company));
    }
    if let Some(violation) = filter.violation {
        cond = cond.add(inspection_act::Column::Violation.eq(violation));
    }
    if let Some(from) = filter.from {
        cond = cond.add(inspection_act::Column::RecordedAt.gte(from));
    }
    if let Some(to) = filter.to {
        cond = cond.add(inspection_act::Column::RecordedAt.lt(to));
    }
    cond
}

/// A page of the register of acts, newest first, after the act `before` when given.
pub async fn acts_page(
    db: &Db,
    filter: &ActFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ActRow>, RepoError> {
    let conn = db.connection();
    let mut select = inspection_act::Entity::find().filter(act_condition(filter));
    if let Some(before) = before {
        select = select.filter(inspection_act::Column::Id.lt(before));
    }
    let acts = select
        .order_by_desc(inspection_act::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let complaints = complaints_by_id(db, acts.iter().map(|a| a.complaint_id)).await?;
    let companies = company_names(db, acts.iter().filter_map(|a| a.company_id)).await?;
    let inspectors: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(acts.iter().map(|a| a.inspector_id)))
        .all(conn)
        .await?
        .into_iter()
        .filter(|u| u.erased_at.is_none())
        .collect();
    let inspectors: HashMap<Uuid, String> = crate::persons::contacts_of(conn, &inspectors)
        .await?
        .into_iter()
        .map(|(id, c)| (id, c.name))
        .collect();
    Ok(acts
        .into_iter()
        .map(|a| {
            let (complaint_number, address) =
                complaints.get(&a.complaint_id).cloned().unwrap_or_default();
            ActRow {
                company_name: a
                    .company_id
                    .map(|id| companies.get(&id).cloned().unwrap_or_default()),
                inspector_name: inspectors.get(&a.inspector_id).cloned().unwrap_or_default(),
                id: a.id,
                number: a.number,
                complaint_id: a.complaint_id,
                complaint_number,
                address,
                company_id: a.company_id,
                violation: a.violation,
                findings: a.findings,
                recorded_at: a.recorded_at,
            }
        })
        .collect())
}

/// How many acts the filter holds and how many of them found a violation.
pub async fn acts_totals(db: &Db, filter: &ActFilter) -> Result<ActTotals, RepoError> {
    let totals = inspection_act::Entity::find()
        .filter(act_condition(filter))
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "count")
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(CASE WHEN violation THEN 1 ELSE 0 END), 0) AS BIGINT)"),
            "violations",
        )
        .into_model::<ActTotals>()
        .one(db.connection())
        .await?;
    Ok(totals.unwrap_or_default())
}
