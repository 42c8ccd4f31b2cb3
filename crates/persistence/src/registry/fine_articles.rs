//! The register of КоАП РФ articles the inspection fines under. Articles are never deleted (fines
//! name them); an article no longer applied is made inactive.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::entities::{audit_log, fine_article};
use crate::{Db, RepoError};

/// An article as kept in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FineArticleRecord {
    pub article: domain::FineArticle,
    pub is_active: bool,
}

fn rub(column: &str, value: i64) -> Result<u64, RepoError> {
    u64::try_from(value).map_err(|_| RepoError::Fault(format!("{column} is {value}")))
}

fn column(value: u64) -> i64 {
    // Articles are validated to at most `domain::MAX_FINE_RUB`.
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn record(row: fine_article::Model) -> Result<FineArticleRecord, RepoError> {
    Ok(FineArticleRecord {
        article: domain::FineArticle {
            legal_entity: domain::RubRange {
                min: rub("legal_entity_min", row.legal_entity_min)?,
                max: rub("legal_entity_max", row.legal_entity_max)?,
            },
            official: domain::RubRange {
                min: rub("official_min", row.official_min)?,
                max: rub("official_max", row.official_max)?,
            },
            code: row.code,
            title_ru: row.title_ru,
        },
        is_active: row.is_active,
    })
}

/// Every article, by code; inactive ones only when asked for.
pub async fn fine_articles(
    db: &Db,
    include_inactive: bool,
) -> Result<Vec<FineArticleRecord>, RepoError> {
    let mut select = fine_article::Entity::find().order_by_asc(fine_article::Column::Code);
    if !include_inactive {
        select = select.filter(fine_article::Column::IsActive.eq(true));
    }
    select
        .all(db.connection())
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The active article `code`, for a fine.
pub async fn active_fine_article(
    db: &Db,
    code: &str,
) -> Result<Option<domain::FineArticle>, RepoError> {
    fine_article::Entity::find_by_id(code.to_owned())
        .filter(fine_article::Column::IsActive.eq(true))
        .one(db.connection())
        .await?
        .map(record)
        .transpose()
        .map(|found| found.map(|r| r.article))
}

/// Adds the article or replaces its title and ranges (validated by the caller with
/// [`domain::FineArticle::validate`]), audited with the ranges before and after.
pub async fn save_fine_article(
    db: &Db,
    saved: FineArticleRecord,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<FineArticleRecord, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let before = fine_article::Entity::find_by_id(saved.article.code.clone())
        .one(&txn)
        .await?;
    let a = &saved.article;
    let row = fine_article::ActiveModel {
        code: Set(a.code.clone()),
        title_ru: Set(a.title_ru.clone()),
        legal_entity_min: Set(column(a.legal_entity.min)),
        legal_entity_max: Set(column(a.legal_entity.max)),
        official_min: Set(column(a.official.min)),
        official_max: Set(column(a.official.max)),
        is_active: Set(saved.is_active),
    };
    let ranges = |m: &fine_article::Model| {
        serde_json::json!({
            "title_ru": m.title_ru,
            "legal_entity": [m.legal_entity_min, m.legal_entity_max],
            "official": [m.official_min, m.official_max],
            "is_active": m.is_active,
        })
    };
    let before_json = before.as_ref().map(ranges);
    let row = if before.is_some() {
        row.update(&txn).await?
    } else {
        row.insert(&txn).await?
    };
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        action: Set("fine_article_saved".to_owned()),
        complaint_id: Set(None),
        details: Set(serde_json::json!({
            "code": row.code,
            "before": before_json,
            "after": ranges(&row),
        })),
        at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    record(row)
}
