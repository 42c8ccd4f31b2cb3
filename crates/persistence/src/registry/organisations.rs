//! Organisations: management companies, the city department, the inspection and ТОС offices.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::audit;
use crate::RepoError;
use crate::entities::organisation;
use crate::seed::MANAGEMENT_COMPANY;

#[derive(Debug, Clone)]
pub struct OrganisationRecord {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
}

/// An organisation with its contacts.
#[derive(Debug, Clone)]
pub struct OrganisationDetail {
    pub id: Uuid,
    /// `management_company`, `city_department`, `inspection` or `tos_office`.
    pub kind: String,
    pub name: String,
    pub inn: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub kind: &'static str,
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
}

fn organisation_detail(row: organisation::Model) -> OrganisationDetail {
    OrganisationDetail {
        id: row.id,
        kind: row.kind,
        name: row.name,
        inn: row.inn,
        phone: row.phone,
        email: row.email,
        created_at: row.created_at,
    }
}

/// One page of organisations strictly after `after`, optionally of one kind.
pub async fn organisations_page(
    db: &DatabaseConnection,
    kind: Option<&str>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<OrganisationDetail>, RepoError> {
    let mut select = organisation::Entity::find();
    if let Some(kind) = kind {
        select = select.filter(organisation::Column::Kind.eq(kind));
    }
    if let Some(after) = after {
        select = select.filter(organisation::Column::Id.gt(after));
    }
    Ok(select
        .order_by_asc(organisation::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(organisation_detail)
        .collect())
}

/// Creates an organisation. An ИНН already in use is a [`RepoError::Conflict`].
pub async fn create_organisation(
    db: &DatabaseConnection,
    new: NewOrganisation,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<OrganisationDetail, RepoError> {
    let txn = db.begin().await?;
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
        kind: Set(new.kind.to_owned()),
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
    Ok(organisation_detail(row))
}

pub async fn update_organisation(
    db: &DatabaseConnection,
    id: Uuid,
    changes: OrganisationChanges,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<OrganisationDetail, RepoError> {
    let txn = db.begin().await?;
    let current = organisation::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut row: organisation::ActiveModel = current.into();
    if let Some(name) = changes.name {
        row.name = Set(name);
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
    Ok(organisation_detail(row))
}

/// Management companies that have an ИНН: ИНН → id.
pub async fn management_companies_by_inn(
    db: &DatabaseConnection,
) -> Result<HashMap<String, Uuid>, RepoError> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(MANAGEMENT_COMPANY))
        .filter(organisation::Column::Inn.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|o| o.inn.map(|inn| (inn, o.id)))
        .collect())
}

pub async fn organisation(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<OrganisationRecord>, RepoError> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|o| OrganisationRecord {
            id: o.id,
            kind: o.kind,
            name: o.name,
        }))
}

pub async fn organisations(db: &DatabaseConnection) -> Result<Vec<OrganisationRecord>, RepoError> {
    Ok(organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| OrganisationRecord {
            id: o.id,
            kind: o.kind,
            name: o.name,
        })
        .collect())
}

/// Whether `id` is an organisation of `kind`.
pub async fn organisation_is(
    db: &DatabaseConnection,
    id: Uuid,
    kind: &str,
) -> Result<bool, RepoError> {
    Ok(organisation::Entity::find_by_id(id)
        .filter(organisation::Column::Kind.eq(kind))
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
