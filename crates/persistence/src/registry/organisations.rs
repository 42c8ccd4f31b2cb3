//! Organisations: management companies, the city department, the inspection and ТОС offices.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::audit;
use crate::entities::organisation;
use crate::mapping::parse_enum;
use crate::{Db, RepoError};

/// An organisation with its contacts.
#[derive(Debug, Clone)]
pub struct OrganisationRecord {
    pub id: Uuid,
    pub kind: domain::OrganisationKind,
    pub name: String,
    pub inn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Offered in the staff pickers; an administrator retires a company by clearing it.
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub kind: domain::OrganisationKind,
    pub name: String,
    pub inn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_test: bool,
}

/// What to change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    pub name: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub active: Option<bool>,
}

/// A name as the directory compares it: lower case (Cyrillic too, which SQLite's `LIKE` does not
/// fold), `ё` as `е`, runs of white space as one space.
pub fn fold_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

pub(super) fn organisation_record(
    row: organisation::Model,
) -> Result<OrganisationRecord, RepoError> {
    Ok(OrganisationRecord {
        id: row.id,
        kind: parse_enum(&row.kind)?,
        name: row.name,
        inn: row.inn,
        phone: row.phone,
        email: row.email,
        created_at: row.created_at,
        active: row.active,
    })
}

/// One page of organisations strictly after `after`, optionally of one kind.
pub async fn organisations_page(
    db: &Db,
    kind: Option<domain::OrganisationKind>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<OrganisationRecord>, RepoError> {
    let db = db.connection();
    let mut select = organisation::Entity::find();
    if let Some(kind) = kind {
        select = select.filter(organisation::Column::Kind.eq(kind.as_str()));
    }
    if let Some(after) = after {
        select = select.filter(organisation::Column::Id.gt(after));
    }
    select
        .order_by_asc(organisation::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(organisation_record)
        .collect()
}

/// Creates an organisation. An ИНН already in use is a [`RepoError::Conflict`].
pub async fn create_organisation(
    db: &Db,
    new: NewOrganisation,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<OrganisationRecord, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    if let Some(inn) = &new.inn
        && organisation::Entity::find()
            .filter(organisation::Column::Inn.eq(inn.as_str()))
            .one(&txn)
            .await?
            .is_some()
    {
        return Err(RepoError::Conflict(format!(
            "An organisation with ИНН {inn} already exists."
        )));
    }
    let id = Uuid::now_v7();
    let row = organisation::ActiveModel {
        id: Set(id),
        kind: Set(new.kind.as_str().to_owned()),
        name_folded: Set(fold_name(&new.name)),
        active: Set(true),
        name: Set(new.name),
        inn: Set(new.inn),
        phone: Set(new.phone),
        email: Set(new.email),
        is_test: Set(new.is_test),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit(&txn, actor_id, "organisation_created", id, now).await?;
    txn.commit().await?;
    organisation_record(row)
}

pub async fn update_organisation(
    db: &Db,
    id: Uuid,
    changes: OrganisationChanges,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<OrganisationRecord, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let current = organisation::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut row: organisation::ActiveModel = current.into();
    if let Some(name) = changes.name {
        row.name_folded = Set(fold_name(&name));
        row.name = Set(name);
    }
    if let Some(active) = changes.active {
        row.active = Set(active);
    }
    if let Some(phone) = changes.phone {
        row.phone = Set(phone);
    }
    if let Some(email) = changes.email {
        row.email = Set(email);
    }
    let row = row.update(&txn).await?;
    audit(&txn, actor_id, "organisation_updated", id, now).await?;
    txn.commit().await?;
    organisation_record(row)
}

/// Management companies that have an ИНН: ИНН → id.
pub async fn management_companies_by_inn(db: &Db) -> Result<HashMap<String, Uuid>, RepoError> {
    let db = db.connection();
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(domain::OrganisationKind::ManagementCompany.as_str()))
        .filter(organisation::Column::Inn.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| o.inn.map(|inn| (inn, o.id)))
        .collect())
}

pub async fn organisation(db: &Db, id: Uuid) -> Result<Option<OrganisationRecord>, RepoError> {
    let db = db.connection();
    organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(organisation_record)
        .transpose()
}

pub async fn organisations(db: &Db) -> Result<Vec<OrganisationRecord>, RepoError> {
    let db = db.connection();
    organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(organisation_record)
        .collect()
}

/// Whether `id` is an organisation of `kind`.
pub async fn organisation_is(
    db: &Db,
    id: Uuid,
    kind: domain::OrganisationKind,
) -> Result<bool, RepoError> {
    let db = db.connection();
    Ok(organisation::Entity::find_by_id(id)
        .filter(organisation::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?
        .is_some())
}

pub(super) async fn organisation_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, RepoError> {
    let ids: Vec<Uuid> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
