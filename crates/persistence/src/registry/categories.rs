//! Categories of complaints, with their deadlines.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::audit;
use crate::entities::category;
use crate::mapping::deadline_from_columns;
use crate::{Db, RepoError};

#[derive(Debug, Clone)]
pub struct CategoryRecord {
    pub category: domain::Category,
    pub name_ru: String,
    pub name_en: String,
    pub legal_basis: Option<String>,
    pub is_active: bool,
    /// About one flat: its complaints stay out of every public view.
    pub identifies_occupant: bool,
}

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub emergency: bool,
    pub deadline: domain::Deadline,
    pub legal_basis: Option<String>,
    pub identifies_occupant: bool,
}

/// What to change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct CategoryChanges {
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub emergency: Option<bool>,
    pub deadline: Option<domain::Deadline>,
    pub legal_basis: Option<Option<String>>,
    pub is_active: Option<bool>,
    pub identifies_occupant: Option<bool>,
}

fn category_record(row: category::Model) -> Result<CategoryRecord, RepoError> {
    Ok(CategoryRecord {
        category: domain::Category {
            id: row.id,
            code: row.code,
            emergency: row.emergency,
            deadline: deadline_from_columns(&row.deadline_unit, row.deadline_value)?,
        },
        name_ru: row.name_ru,
        name_en: row.name_en,
        legal_basis: row.legal_basis,
        is_active: row.is_active,
        identifies_occupant: row.identifies_occupant,
    })
}

/// One page of categories, inactive ones included, strictly after `after`.
pub async fn categories_page(
    db: &Db,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<CategoryRecord>, RepoError> {
    let db = db.connection();
    let mut select = category::Entity::find();
    if let Some(after) = after {
        select = select.filter(category::Column::Id.gt(after));
    }
    select
        .order_by_asc(category::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(category_record)
        .collect()
}

/// Creates a category. A code already in use is a [`RepoError::Conflict`].
pub async fn create_category(
    db: &Db,
    new: NewCategory,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CategoryRecord, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    if category::Entity::find()
        .filter(category::Column::Code.eq(new.code.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(RepoError::Conflict(format!(
            "A category with the code {:?} already exists.",
            new.code
        )));
    }
    let id = Uuid::now_v7();
    let (unit, value) = crate::deadline_columns(&new.deadline);
    let row = category::ActiveModel {
        id: Set(id),
        code: Set(new.code),
        name_ru: Set(new.name_ru),
        name_en: Set(new.name_en),
        emergency: Set(new.emergency),
        deadline_unit: Set(unit.to_owned()),
        deadline_value: Set(value),
        legal_basis: Set(new.legal_basis),
        is_active: Set(true),
        identifies_occupant: Set(new.identifies_occupant),
    }
    .insert(&txn)
    .await?;
    audit(&txn, actor_id, "category_created", id, now).await?;
    txn.commit().await?;
    category_record(row)
}

pub async fn update_category(
    db: &Db,
    id: Uuid,
    changes: CategoryChanges,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CategoryRecord, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let current = category::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut row: category::ActiveModel = current.into();
    if let Some(name_ru) = changes.name_ru {
        row.name_ru = Set(name_ru);
    }
    if let Some(name_en) = changes.name_en {
        row.name_en = Set(name_en);
    }
    if let Some(emergency) = changes.emergency {
        row.emergency = Set(emergency);
    }
    if let Some(deadline) = changes.deadline {
        let (unit, value) = crate::deadline_columns(&deadline);
        row.deadline_unit = Set(unit.to_owned());
        row.deadline_value = Set(value);
    }
    if let Some(legal_basis) = changes.legal_basis {
        row.legal_basis = Set(legal_basis);
    }
    if let Some(is_active) = changes.is_active {
        row.is_active = Set(is_active);
    }
    if let Some(identifies_occupant) = changes.identifies_occupant {
        row.identifies_occupant = Set(identifies_occupant);
    }
    let row = row.update(&txn).await?;
    audit(&txn, actor_id, "category_updated", id, now).await?;
    txn.commit().await?;
    category_record(row)
}

pub async fn categories(db: &Db) -> Result<Vec<CategoryRecord>, RepoError> {
    let db = db.connection();
    category::Entity::find()
        .order_by_desc(category::Column::Emergency)
        .order_by_asc(category::Column::NameRu)
        .all(db)
        .await?
        .into_iter()
        .map(category_record)
        .collect()
}

pub async fn category(db: &Db, id: Uuid) -> Result<Option<CategoryRecord>, RepoError> {
    let db = db.connection();
    category::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(category_record)
        .transpose()
}
