//! Throttle reservations (`domain::throttle`), kept in the database so that a limit holds across
//! replicas and cannot be raced: an attempt is inserted under all its keys first and counted
//! after, so of N parallel attempts the k-th to commit always sees at least k rows.

use chrono::{DateTime, Utc};
use domain::throttle::{Bucket, Key, window_start};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::throttle_attempt;
use crate::{Db, RepoError};

/// An attempt's rows, and what else each of its keys counted when they were inserted.
#[derive(Debug)]
pub struct Reservation {
    pub ids: Vec<Uuid>,
    /// For each key, in the order given: the times of the other attempts within its window,
    /// oldest first.
    pub others: Vec<(Bucket, Vec<DateTime<Utc>>)>,
}

/// Inserts one row per key at `now` (one statement, committed), then counts every key.
pub async fn reserve(db: &Db, keys: &[Key], now: DateTime<Utc>) -> Result<Reservation, RepoError> {
    let conn = db.connection();
    let ids: Vec<Uuid> = keys.iter().map(|_| Uuid::now_v7()).collect();
    if keys.is_empty() {
        return Ok(Reservation {
            ids,
            others: Vec::new(),
        });
    }
    throttle_attempt::Entity::insert_many(keys.iter().zip(&ids).map(|(key, id)| {
        throttle_attempt::ActiveModel {
            id: Set(*id),
            bucket: Set(key.bucket.as_str().to_owned()),
            key: Set(key.value.clone()),
            at: Set(now),
        }
    }))
    .exec(conn)
    .await?;
    let mut others = Vec::with_capacity(keys.len());
    for key in keys {
        let limit = key.bucket.limit().attempts;
        let times: Vec<DateTime<Utc>> = throttle_attempt::Entity::find()
            .select_only()
            .column(throttle_attempt::Column::At)
            .filter(throttle_attempt::Column::Bucket.eq(key.bucket.as_str()))
            .filter(throttle_attempt::Column::Key.eq(key.value.as_str()))
            .filter(throttle_attempt::Column::At.gt(window_start(key.bucket, now)))
            .filter(throttle_attempt::Column::Id.is_not_in(ids.clone()))
            .order_by_desc(throttle_attempt::Column::At)
            // Only the newest `limit` matter for the decision and its Retry-After.
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .into_tuple()
            .all(conn)
            .await?;
        others.push((key.bucket, times.into_iter().rev().collect()));
    }
    Ok(Reservation { ids, others })
}

/// Deletes an attempt's rows: it succeeded, or it was refused without doing anything.
pub async fn release(db: &Db, ids: &[Uuid]) -> Result<(), RepoError> {
    if ids.is_empty() {
        return Ok(());
    }
    throttle_attempt::Entity::delete_many()
        .filter(throttle_attempt::Column::Id.is_in(ids.to_vec()))
        .exec(db.connection())
        .await?;
    Ok(())
}

/// Deletes the attempts from before `before` (past every window): the worker's purge.
pub async fn purge(db: &Db, before: DateTime<Utc>) -> Result<u64, RepoError> {
    Ok(throttle_attempt::Entity::delete_many()
        .filter(throttle_attempt::Column::At.lt(before))
        .exec(db.connection())
        .await?
        .rows_affected)
}

/// How many attempts are stored (tests and the reliability suite watch it stay bounded).
pub async fn count(db: &Db) -> Result<u64, RepoError> {
    use sea_orm::PaginatorTrait;
    Ok(throttle_attempt::Entity::find()
        .count(db.connection())
        .await?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::{Duration, TimeZone};
    use domain::throttle::{ClientKey, sign_in_keys};

    #[tokio::test]
    async fn counts_the_others_within_the_window_compared_as_times() {
        let db = crate::connect(&crate::DbSettings::new("sqlite::memory:"))
            .await
            .unwrap();
        crate::migrate(&db).await.unwrap();
        let base = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let client = ClientKey::new("10.0.0.1".parse().unwrap());
        let keys = sign_in_keys("a@b.c", &client);
        let old = reserve(&db, &keys, base - Duration::minutes(16))
            .await
            .unwrap();
        assert!(old.others.iter().all(|(_, times)| times.is_empty()));
        let times = [
            base,
            base + Duration::milliseconds(500),
            base + Duration::microseconds(500_123),
        ];
        for at in times {
            reserve(&db, &keys, at).await.unwrap();
        }
        let now = base + Duration::seconds(1);
        let mine = reserve(&db, &keys, now).await.unwrap();
        for (_, counted) in &mine.others {
            // The one from 16 minutes before is out of the window; this attempt's own row is not
            // among the others.
            assert_eq!(counted, &times.to_vec());
        }
        release(&db, &mine.ids).await.unwrap();
        // Released: four attempts of three keys each are left.
        assert_eq!(count(&db).await.unwrap(), 4 * 3);
        assert_eq!(purge(&db, base).await.unwrap(), 3);
        assert_eq!(count(&db).await.unwrap(), 3 * 3);
    }
}
