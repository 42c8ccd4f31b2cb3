//! What the worker needs to evaluate every escalation rule on its own (issue 15): the open
//! complaints a rule could match and has not fired for at their threshold, and the firing
//! recorded in the transaction of the rule's effect.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, FromQueryResult, Statement, Value};
use uuid::Uuid;

use super::{ComplaintRecord, ComplaintRow, UnitOfWork, base_select, to_record};
use crate::entities::escalation_firing;
use crate::sql::placeholders;
use crate::{Db, RepoError};

#[derive(Debug, FromQueryResult)]
struct IdRow {
    id: Uuid,
}

/// The column holding the deadline a rule watches (see [`domain::FiringKey`]).
fn watched_column(rule: &domain::EscalationRule) -> &'static str {
    if rule.overdue_for_hours.is_some() {
        "c.due_at"
    } else if rule.answer_due_within_hours.is_some() {
        "c.answer_due_at"
    } else {
        "c.registered_at"
    }
}

/// Up to `limit` open complaints that `rule` may match at `now` and has not fired for at their
/// current threshold, oldest deadline first. A superset: the domain decides
/// ([`domain::EscalationRule::matches`]), e.g. for a clock paused before it ran late enough.
pub async fn candidates(
    db: &Db,
    rule: &domain::EscalationRule,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<ComplaintRecord>, RepoError> {
    let db = db.connection();
    let backend = db.get_database_backend();
    let statuses: Vec<domain::Status> = if rule.statuses.is_empty() {
        domain::Status::all().filter(|s| s.is_open()).collect()
    } else {
        rule.statuses
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect()
    };
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = Vec::new();
    let mut sql = format!(
        "SELECT c.id FROM complaints c WHERE c.status IN ({})",
        vec!["?"; statuses.len()].join(", ")
    );
    values.extend(statuses.iter().map(|s| Value::from(s.as_str())));
    if let Some(min) = rule.min_round {
        sql.push_str(" AND c.round >= ?");
        values.push(Value::from(i64::from(min)));
    }
    if let Some(hours) = rule.overdue_for_hours {
        sql.push_str(" AND c.due_at IS NOT NULL AND c.due_at <= ?");
        values.push(Value::from(now - Duration::hours(i64::from(hours))));
    }
    if let Some(hours) = rule.answer_due_within_hours {
        sql.push_str(" AND c.answer_due_at <= ?");
        values.push(Value::from(now + Duration::hours(i64::from(hours))));
    }
    if let Some(min) = rule.min_unanswered_calls {
        sql.push_str(" AND c.unanswered_calls >= ?");
        values.push(Value::from(i64::from(min)));
    }
    let watched = watched_column(rule);
    sql.push_str(&format!(
        " AND NOT EXISTS (SELECT 1 FROM escalation_firings f WHERE f.complaint_id = c.id \
         AND f.rule = ? AND f.round = c.round AND f.deadline = {watched}) \
         ORDER BY {watched}, c.id LIMIT {limit}"
    ));
    values.push(Value::from(rule.code.as_str()));
    let statement = Statement::from_sql_and_values(backend, placeholders(backend, &sql), values);
    let ids: Vec<Uuid> = db
        .query_all_raw(statement)
        .await?
        .iter()
        .map(|row| IdRow::from_query_result(row, "").map(|r| r.id))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = base_select();
    select.and_where(Expr::col(("c", "id")).is_in(ids));
    let mut records: Vec<ComplaintRecord> = db
        .query_all(&select)
        .await?
        .iter()
        .map(|r| {
            ComplaintRow::from_query_result(r, "")
                .map_err(RepoError::from)
                .and_then(to_record)
        })
        .collect::<Result<_, _>>()?;
    records.sort_by_key(|r| r.complaint.id);
    Ok(records)
}

impl UnitOfWork {
    /// Records that a rule fired at its threshold; false when it already had (by another pass or
    /// replica): roll back and leave the effect undone.
    pub async fn record_firing(
        &self,
        key: &domain::FiringKey,
        now: DateTime<Utc>,
    ) -> Result<bool, RepoError> {
        let inserted = escalation_firing::Entity::insert(escalation_firing::ActiveModel {
            id: Set(Uuid::now_v7()),
            complaint_id: Set(key.complaint_id),
            rule: Set(key.rule.clone()),
            round: Set(i32::try_from(key.round).unwrap_or(i32::MAX)),
            deadline: Set(key.deadline),
            fired_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                escalation_firing::Column::ComplaintId,
                escalation_firing::Column::Rule,
                escalation_firing::Column::Round,
                escalation_firing::Column::Deadline,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.txn)
        .await?;
        Ok(inserted == 1)
    }

    /// Writes an outbox message in this transaction (an escalation rule's flag).
    pub async fn enqueue(
        &self,
        message: &domain::OutboxMessage,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError> {
        crate::worker::enqueue_in(&self.txn, message, now).await
    }
}
