//! What `/metrics` reads from storage: the connection pool's use and the depth and age of every
//! queue the worker drains.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};

use crate::entities::{delivery, outbox, webhook_message};
use crate::{Db, RepoError};

/// Connections open in the pool, and how many of them are idle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolUsage {
    pub open: u32,
    pub idle: u32,
}

/// The pool's use now (no query).
pub fn pool_usage(db: &Db) -> PoolUsage {
    let connection = db.connection();
    let (open, idle) = match connection.get_database_backend() {
        DbBackend::Postgres => {
            let pool = connection.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = connection.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    PoolUsage {
        open,
        idle: u32::try_from(idle).unwrap_or(u32::MAX),
    }
}

/// One queue: messages waiting, and the age of the oldest.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueDepth {
    /// `outbox` (events not yet fanned out), `sms`, `email`, or `webhook`.
    pub channel: String,
    pub waiting: u64,
    pub oldest_age_seconds: f64,
}

#[derive(Debug, FromQueryResult)]
struct DepthRow {
    channel: String,
    waiting: i64,
    oldest: Option<DateTime<Utc>>,
}

/// Every queue's depth at `now`; each channel is listed, also when empty.
pub async fn queue_depths(db: &Db, now: DateTime<Utc>) -> Result<Vec<QueueDepth>, RepoError> {
    let connection = db.connection();
    let mut rows = outbox::Entity::find()
        .select_only()
        .column_as(Expr::val("outbox"), "channel")
        .column_as(outbox::Column::Id.count(), "waiting")
        .column_as(outbox::Column::CreatedAt.min(), "oldest")
        .filter(outbox::Column::DeliveredAt.is_null())
        .into_model::<DepthRow>()
        .all(connection)
        .await?;
    rows.extend(
        delivery::Entity::find()
            .select_only()
            .column_as(delivery::Column::Channel, "channel")
            .column_as(delivery::Column::Id.count(), "waiting")
            .column_as(delivery::Column::CreatedAt.min(), "oldest")
            .filter(delivery::Column::State.eq(domain::DeliveryState::Queued.as_str()))
            .group_by(delivery::Column::Channel)
            .into_model::<DepthRow>()
            .all(connection)
            .await?,
    );
    rows.extend(
        webhook_message::Entity::find()
            .select_only()
            .column_as(Expr::val("webhook"), "channel")
            .column_as(webhook_message::Column::Id.count(), "waiting")
            .column_as(webhook_message::Column::CreatedAt.min(), "oldest")
            .filter(
                webhook_message::Column::State.eq(crate::webhooks::MessageState::Pending.as_str()),
            )
            .into_model::<DepthRow>()
            .all(connection)
            .await?,
    );
    let mut depths: Vec<QueueDepth> = ["outbox", "sms", "email", "webhook"]
        .into_iter()
        .map(|channel| QueueDepth {
            channel: channel.to_owned(),
            waiting: 0,
            oldest_age_seconds: 0.0,
        })
        .collect();
    for row in rows {
        let age = row
            .oldest
            .map_or(0.0, |oldest| (now - oldest).as_seconds_f64().max(0.0));
        let waiting = u64::try_from(row.waiting).unwrap_or(0);
        match depths.iter_mut().find(|d| d.channel == row.channel) {
            Some(depth) => {
                depth.waiting += waiting;
                depth.oldest_age_seconds = depth.oldest_age_seconds.max(age);
            }
            None => depths.push(QueueDepth {
                channel: row.channel,
                waiting,
                oldest_age_seconds: age,
            }),
        }
    }
    Ok(depths)
}
