//! Refresh tokens: stored as SHA-256 hashes, rotated on every use, grouped in families. Presenting
//! a token that was already used revokes its whole family (someone holds a stolen copy).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::entities::refresh_token;
use crate::{Db, RepoError};

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now used, and the replacement belongs to the same family.
    Rotated {
        user_id: Uuid,
        family_id: Uuid,
        /// When the replacement expires: 30 days on, capped by the session's lifetime.
        expires_at: DateTime<Utc>,
    },
    /// The token had already been used: its family is now revoked.
    Reused { user_id: Uuid, family_id: Uuid },
    /// Unknown, expired or revoked.
    Invalid,
}

/// Stores a token of a new family (a new sign-in) and returns the family id.
pub async fn start_family(
    db: &Db,
    user_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    let db = db.connection();
    let family_id = Uuid::now_v7();
    insert(db, user_id, family_id, token_hash, expires_at, now).await?;
    Ok(family_id)
}

/// Marks the presented token used and stores its replacement, in one transaction. A token that
/// is already used (even by a concurrent request) revokes its family.
pub async fn rotate(
    db: &Db,
    presented_hash: &str,
    replacement_hash: String,
    now: DateTime<Utc>,
) -> Result<Rotation, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(presented_hash))
        .one(&txn)
        .await?
    else {
        return Ok(Rotation::Invalid);
    };
    let reused = Rotation::Reused {
        user_id: token.user_id,
        family_id: token.family_id,
    };
    if token.used_at.is_some() {
        revoke_family(&txn, token.family_id, now).await?;
        txn.commit().await?;
        return Ok(reused);
    }
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    // The session began with its family's first token; rotation never takes it past its
    // lifetime (`domain::accounts`).
    let started: Option<DateTime<Utc>> = refresh_token::Entity::find()
        .select_only()
        .column_as(refresh_token::Column::CreatedAt.min(), "started")
        .filter(refresh_token::Column::FamilyId.eq(token.family_id))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    let Some(replacement_expires_at) =
        domain::accounts::refresh_expiry(started.unwrap_or(token.created_at), now)
    else {
        return Ok(Rotation::Invalid);
    };
    let marked = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        // A concurrent request used it first: that is reuse too.
        revoke_family(&txn, token.family_id, now).await?;
        txn.commit().await?;
        return Ok(reused);
    }
    insert(
        &txn,
        token.user_id,
        token.family_id,
        replacement_hash,
        replacement_expires_at,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Rotation::Rotated {
        user_id: token.user_id,
        family_id: token.family_id,
        expires_at: replacement_expires_at,
    })
}

/// Revokes the family of the presented token (sign-out). `false` when the token is unknown.
pub async fn revoke_family_of(
    db: &Db,
    presented_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, RepoError> {
    let db = db.connection();
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(presented_hash))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    revoke_family(db, token.family_id, now).await?;
    Ok(true)
}

/// Revokes every refresh token of an account.
pub async fn revoke_all_for_user(
    db: &Db,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let db = db.connection();
    crate::users::revoke_refresh_tokens(db, user_id, now).await
}

async fn revoke_family(
    conn: &impl ConnectionTrait,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

async fn insert(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    refresh_token::Entity::insert(refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        family_id: Set(family_id),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(())
}
