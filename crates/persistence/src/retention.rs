//! The retention schedule carried out (`domain::privacy::Retention` decides what is due when):
//! personal data of complaints closed long enough ago is erased as an erasure request would
//! erase it, old attachments, audit entries and idempotency keys are deleted, and each pass
//! that did anything is recorded for the administrator's report.

use chrono::{DateTime, Utc};
use domain::privacy::{Retention, RetentionCutoffs};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Query,
};
use uuid::Uuid;

use crate::entities::{attachment, audit_log, complaint, idempotency_key, retention_run};
use crate::{Db, RepoError, begin_write};

/// What one pass erased and deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionRun {
    pub at: DateTime<Utc>,
    pub complaints_erased: u64,
    pub attachments_deleted: u64,
    pub audit_entries_deleted: u64,
    pub idempotency_keys_deleted: u64,
}

impl RetentionRun {
    pub fn is_empty(&self) -> bool {
        self.complaints_erased
            + self.attachments_deleted
            + self.audit_entries_deleted
            + self.idempotency_keys_deleted
            == 0
    }
}

/// Complaints whose personal data is due: closed before the cutoff, or closed with an erasure
/// request waiting; not yet erased.
fn due_complaints(cutoffs: &RetentionCutoffs) -> Condition {
    Condition::all()
        .add(complaint::Column::ErasedAt.is_null())
        .add(complaint::Column::ClosedAt.is_not_null())
        .add(
            Condition::any()
                .add(complaint::Column::ClosedAt.lt(cutoffs.personal_data))
                .add(complaint::Column::ErasureRequestedAt.is_not_null()),
        )
}

/// Applies the schedule at `now`, at most `batch` complaints per pass; records the pass when it
/// did anything.
pub async fn apply(
    db: &Db,
    retention: &Retention,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<RetentionRun, RepoError> {
    let cutoffs = retention.cutoffs(now);
    let mut run = RetentionRun {
        at: now,
        ..RetentionRun::default()
    };
    let txn = begin_write(db.connection()).await?;
    let due = complaint::Entity::find()
        .filter(due_complaints(&cutoffs))
        .order_by_asc(complaint::Column::ClosedAt)
        .limit(batch)
        .all(&txn)
        .await?;
    if !due.is_empty() {
        crate::privacy::erase_mode_in(&txn, true).await?;
        for row in &due {
            // The domain has the last word on each (the query is its rule, as SQL).
            let requested = row.erasure_requested_at.is_some();
            if domain::privacy::personal_data_due(retention, row.closed_at, requested, now) {
                run.attachments_deleted += crate::privacy::erase_complaint(&txn, row, now).await?;
                run.complaints_erased += 1;
            }
        }
        crate::privacy::erase_mode_in(&txn, false).await?;
    }
    // Attachments of closed complaints only: an open case keeps its evidence.
    run.attachments_deleted += attachment::Entity::delete_many()
        .filter(attachment::Column::CreatedAt.lt(cutoffs.attachments))
        .filter(
            attachment::Column::ComplaintId.in_subquery(
                Query::select()
                    .column(complaint::Column::Id)
                    .from(complaint::Entity)
                    .and_where(complaint::Column::ClosedAt.is_not_null())
                    .to_owned(),
            ),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    run.audit_entries_deleted = audit_log::Entity::delete_many()
        .filter(audit_log::Column::At.lt(cutoffs.audit_log))
        .exec(&txn)
        .await?
        .rows_affected;
    run.idempotency_keys_deleted = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(cutoffs.idempotency_keys))
        .exec(&txn)
        .await?
        .rows_affected;
    if !run.is_empty() {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        retention_run::Entity::insert(retention_run::ActiveModel {
            id: Set(Uuid::now_v7()),
            at: Set(now),
            complaints_erased: Set(count(run.complaints_erased)),
            attachments_deleted: Set(count(run.attachments_deleted)),
            audit_entries_deleted: Set(count(run.audit_entries_deleted)),
            idempotency_keys_deleted: Set(count(run.idempotency_keys_deleted)),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(run)
}

/// What is due next under the schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueNext {
    /// The earliest moment a closed complaint's personal data is due, and how many are due
    /// within 30 days of `now`.
    pub personal_data_at: Option<DateTime<Utc>>,
    pub personal_data_within_30_days: u64,
    /// Closed complaints waiting for an erasure asked for while they were kept.
    pub erasure_requests_waiting: u64,
    pub attachments_at: Option<DateTime<Utc>>,
    pub audit_log_at: Option<DateTime<Utc>>,
}

/// The retention report: the latest passes (newest first) and what is due next.
pub async fn report(
    db: &Db,
    retention: &Retention,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<(Vec<RetentionRun>, DueNext), RepoError> {
    let conn = db.connection();
    let runs = retention_run::Entity::find()
        .order_by_desc(retention_run::Column::At)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| {
            let count = |n: i64| u64::try_from(n).unwrap_or_default();
            RetentionRun {
                at: r.at,
                complaints_erased: count(r.complaints_erased),
                attachments_deleted: count(r.attachments_deleted),
                audit_entries_deleted: count(r.audit_entries_deleted),
                idempotency_keys_deleted: count(r.idempotency_keys_deleted),
            }
        })
        .collect();
    let oldest_closed: Option<Option<DateTime<Utc>>> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::ClosedAt)
        .filter(complaint::Column::ErasedAt.is_null())
        .filter(complaint::Column::ClosedAt.is_not_null())
        .order_by_asc(complaint::Column::ClosedAt)
        .into_tuple()
        .one(conn)
        .await?;
    let soon = retention.cutoffs(now + chrono::TimeDelta::days(30));
    let within_30_days = complaint::Entity::find()
        .filter(complaint::Column::ErasedAt.is_null())
        .filter(complaint::Column::ClosedAt.lt(soon.personal_data))
        .count(conn)
        .await?;
    let waiting = complaint::Entity::find()
        .filter(complaint::Column::ErasedAt.is_null())
        .filter(complaint::Column::ErasureRequestedAt.is_not_null())
        .count(conn)
        .await?;
    let oldest_attachment: Option<DateTime<Utc>> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::CreatedAt)
        .order_by_asc(attachment::Column::CreatedAt)
        .into_tuple()
        .one(conn)
        .await?;
    let oldest_audit: Option<DateTime<Utc>> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::At)
        .order_by_asc(audit_log::Column::At)
        .into_tuple()
        .one(conn)
        .await?;
    Ok((
        runs,
        DueNext {
            personal_data_at: oldest_closed
                .flatten()
                .map(|c| retention.personal_data_due(c)),
            personal_data_within_30_days: within_30_days,
            erasure_requests_waiting: waiting,
            attachments_at: oldest_attachment.map(|c| retention.attachment_due(c)),
            audit_log_at: oldest_audit.map(|a| retention.audit_due(a)),
        },
    ))
}
