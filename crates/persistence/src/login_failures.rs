//! Failed sign-ins per account, kept in the database so that the limit holds across replicas.
//! A success erases nothing; failures simply stop counting once they are older than the window.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::login_failure;
use crate::{Db, RepoError};

/// The times of the failures on `login` after `since`, oldest first.
pub async fn since(
    db: &Db,
    login: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, RepoError> {
    let db = db.connection();
    Ok(login_failure::Entity::find()
        .filter(login_failure::Column::Login.eq(login))
        .filter(login_failure::Column::At.gt(since))
        .order_by_asc(login_failure::Column::At)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.at)
        .collect())
}

/// Records a failure at `at`, and forgets this login's failures from before `forget_before`.
pub async fn record(
    db: &Db,
    login: &str,
    at: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> Result<(), RepoError> {
    let db = db.connection();
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Login.eq(login))
        .filter(login_failure::Column::At.lt(forget_before))
        .exec(db)
        .await?;
    login_failure::Entity::insert(login_failure::ActiveModel {
        id: Set(Uuid::now_v7()),
        login: Set(login.to_owned()),
        at: Set(at),
    })
    .exec(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::{Duration, TimeZone};

    #[tokio::test]
    async fn the_window_compares_times_not_text() {
        let db = crate::connect(&crate::DbSettings::new("sqlite::memory:"))
            .await
            .unwrap();
        crate::migrate(&db).await.unwrap();
        let base = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let times = [
            base,
            base + Duration::milliseconds(500),
            base + Duration::microseconds(500_123),
            base + Duration::seconds(1),
            base + Duration::minutes(20),
        ];
        for at in times {
            record(&db, "a@b.c", at, base - Duration::hours(1))
                .await
                .unwrap();
        }
        record(&db, "other@b.c", base, base).await.unwrap();
        let all = since(&db, "a@b.c", base - Duration::seconds(1))
            .await
            .unwrap();
        assert_eq!(all, times.to_vec());
        let later = since(&db, "a@b.c", base + Duration::milliseconds(500))
            .await
            .unwrap();
        assert_eq!(later, times[2..].to_vec());
        // Recording forgets what is older than asked.
        record(
            &db,
            "a@b.c",
            base + Duration::minutes(21),
            base + Duration::minutes(19),
        )
        .await
        .unwrap();
        let left = since(&db, "a@b.c", base - Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(left.len(), 2);
    }
}
