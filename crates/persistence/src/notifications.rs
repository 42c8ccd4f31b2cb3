//! In-app notifications: a user's inbox.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::notification;
use crate::{Db, RepoError};

#[derive(Debug, Clone)]
pub struct NotificationRecord {
    pub id: Uuid,
    pub complaint_id: Option<Uuid>,
    pub kind: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// The newest notifications of `user` older than `before` (an id; keyset), at most `limit`.
pub async fn inbox(
    db: &Db,
    user: Uuid,
    unread_only: bool,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<NotificationRecord>, RepoError> {
    let db = db.connection();
    let mut select = notification::Entity::find().filter(notification::Column::UserId.eq(user));
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    if let Some(before) = before {
        select = select.filter(notification::Column::Id.lt(before));
    }
    Ok(select
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|n| NotificationRecord {
            id: n.id,
            complaint_id: n.complaint_id,
            kind: n.kind,
            text: n.text,
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect())
}

pub async fn unread_count(db: &Db, user: Uuid) -> Result<u64, RepoError> {
    let db = db.connection();
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks one of the user's notifications read; `NotFound` when it is not theirs.
pub async fn mark_read(db: &Db, user: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<(), RepoError> {
    let db = db.connection();
    let found = notification::Entity::find_by_id(id)
        .filter(notification::Column::UserId.eq(user))
        .one(db)
        .await?;
    if found.is_none() {
        return Err(RepoError::NotFound);
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(now)))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Puts a notice about the account itself (no complaint) in `user`'s inbox, unless an unread
/// one of the same `kind` arrived after `not_since`: a lock told once, not once per attempt.
pub async fn notify_account(
    db: &Db,
    user: Uuid,
    kind: &str,
    text: &str,
    not_since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let db = db.connection();
    let recent = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::Kind.eq(kind))
        .filter(notification::Column::ReadAt.is_null())
        .filter(notification::Column::CreatedAt.gt(not_since))
        .count(db)
        .await?;
    if recent > 0 {
        return Ok(());
    }
    notification::Entity::insert(notification::ActiveModel {
        id: sea_orm::ActiveValue::Set(Uuid::now_v7()),
        user_id: sea_orm::ActiveValue::Set(user),
        complaint_id: sea_orm::ActiveValue::Set(None),
        kind: sea_orm::ActiveValue::Set(kind.to_owned()),
        text: sea_orm::ActiveValue::Set(text.to_owned()),
        created_at: sea_orm::ActiveValue::Set(now),
        read_at: sea_orm::ActiveValue::Set(None),
    })
    .exec(db)
    .await?;
    Ok(())
}
