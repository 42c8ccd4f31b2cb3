//! Buildings, searched by address at intake and kept by the administrator.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::audit;
use super::management::open_period;
use super::organisations::organisation_names;
use crate::entities::building;
use crate::users::{Audit, write_audit};
use crate::{Db, RepoError};

#[derive(Debug, Clone)]
pub struct BuildingRecord {
    pub id: Uuid,
    pub address: String,
    pub district: String,
    pub fias_id: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub company_id: Option<Uuid>,
}

/// A building with the name of its management company.
#[derive(Debug, Clone)]
pub struct BuildingView {
    pub building: BuildingRecord,
    pub company_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewBuilding {
    pub address: String,
    pub district: String,
    pub fias_id: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// A management company; its management period starts at creation.
    pub company_id: Option<Uuid>,
    pub is_test: bool,
}

/// What to change; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct BuildingChanges {
    pub address: Option<String>,
    pub district: Option<String>,
    pub fias_id: Option<Option<String>>,
    pub latitude: Option<Option<f64>>,
    pub longitude: Option<Option<f64>>,
}

/// How addresses are compared for duplicates: case-insensitive (Cyrillic too, which SQLite's
/// `lower()` does not fold), with runs of white space as one space.
pub fn address_key(address: &str) -> String {
    address
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn building_record(row: building::Model) -> BuildingRecord {
    BuildingRecord {
        id: row.id,
        address: row.address,
        district: row.district,
        fias_id: row.fias_id,
        latitude: row.latitude,
        longitude: row.longitude,
        company_id: row.company_id,
    }
}

async fn with_company_names<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<building::Model>,
) -> Result<Vec<BuildingView>, RepoError> {
    let names = organisation_names(conn, rows.iter().filter_map(|b| b.company_id)).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let company_name = row.company_id.and_then(|id| names.get(&id).cloned());
            BuildingView {
                building: building_record(row),
                company_name,
            }
        })
        .collect())
}

/// `word` as typed in lower case and capitalised: SQLite's `LIKE` folds only ASCII.
fn word_variants(word: &str) -> [String; 2] {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    let capitalised = chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    });
    [lower, capitalised]
}

/// One page of buildings strictly after `after`: optionally of one company, and whose address
/// contains every word of `query`.
pub async fn buildings_page(
    db: &Db,
    company_id: Option<Uuid>,
    query: Option<&str>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<BuildingView>, RepoError> {
    let db = db.connection();
    let mut select = building::Entity::find();
    if let Some(company_id) = company_id {
        select = select.filter(building::Column::CompanyId.eq(company_id));
    }
    for word in query.unwrap_or_default().split_whitespace().take(6) {
        let [lower, capitalised] = word_variants(word);
        select = select.filter(
            Condition::any()
                .add(building::Column::Address.like(crate::sql::contains(&lower)))
                .add(building::Column::Address.like(crate::sql::contains(&capitalised))),
        );
    }
    if let Some(after) = after {
        select = select.filter(building::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(building::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    with_company_names(db, rows).await
}

pub async fn find_building(db: &Db, id: Uuid) -> Result<Option<BuildingView>, RepoError> {
    let db = db.connection();
    let rows: Vec<_> = building::Entity::find_by_id(id)
        .one(db)
        .await?
        .into_iter()
        .collect();
    Ok(with_company_names(db, rows).await?.into_iter().next())
}

/// The [`address_key`] of every building, with its id.
pub async fn address_keys(db: &Db) -> Result<HashMap<String, Uuid>, RepoError> {
    address_keys_in(db.connection()).await
}

async fn address_keys_in<C: ConnectionTrait>(conn: &C) -> Result<HashMap<String, Uuid>, RepoError> {
    Ok(building::Entity::find()
        .select_only()
        .column(building::Column::Id)
        .column(building::Column::Address)
        .into_tuple::<(Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, address)| (address_key(&address), id))
        .collect())
}

fn duplicate_address(address: &str) -> RepoError {
    RepoError::Conflict(format!(
        "A building with the address {address:?} is already in the registry."
    ))
}

async fn insert_building<C: ConnectionTrait>(
    conn: &C,
    new: NewBuilding,
    now: DateTime<Utc>,
) -> Result<Uuid, RepoError> {
    let id = Uuid::now_v7();
    building::Entity::insert(building::ActiveModel {
        id: Set(id),
        address: Set(new.address),
        district: Set(new.district),
        fias_id: Set(new.fias_id),
        latitude: Set(new.latitude),
        longitude: Set(new.longitude),
        company_id: Set(new.company_id),
        is_test: Set(new.is_test),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    if let Some(company_id) = new.company_id {
        open_period(conn, id, company_id, now).await?;
    }
    Ok(id)
}

/// Creates a building (and its first management period when it has a company). An address
/// already in the registry is a [`RepoError::Conflict`].
pub async fn create_building(
    db: &Db,
    new: NewBuilding,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<BuildingView, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    if address_keys_in(&txn)
        .await?
        .contains_key(&address_key(&new.address))
    {
        return Err(duplicate_address(&new.address));
    }
    let id = insert_building(&txn, new, now).await?;
    audit(&txn, actor_id, "building_created", id, now).await?;
    txn.commit().await?;
    find_building(db, id).await?.ok_or(RepoError::NotFound)
}

/// Inserts every building in one transaction, each with its first management period; returns
/// how many. The caller has checked them (see [`address_keys`]).
pub async fn import_buildings(
    db: &Db,
    rows: Vec<NewBuilding>,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<usize, RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let count = rows.len();
    for row in rows {
        insert_building(&txn, row, now).await?;
    }
    write_audit(
        &txn,
        actor_id,
        Audit {
            actor_id,
            action: "buildings_imported",
            details: serde_json::json!({ "imported": count }),
        },
        actor_id,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(count)
}

/// Changes a building's address, district, ФИАС id or coordinates. A new address that another
/// building already has is a [`RepoError::Conflict`].
pub async fn update_building(
    db: &Db,
    id: Uuid,
    changes: BuildingChanges,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<BuildingView, RepoError> {
    let txn = crate::begin_write(db.connection()).await?;
    let current = building::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut row: building::ActiveModel = current.into();
    if let Some(address) = changes.address {
        let other = address_keys_in(&txn)
            .await?
            .get(&address_key(&address))
            .copied();
        if other.is_some_and(|other| other != id) {
            return Err(duplicate_address(&address));
        }
        row.address = Set(address);
    }
    if let Some(district) = changes.district {
        row.district = Set(district);
    }
    if let Some(fias_id) = changes.fias_id {
        row.fias_id = Set(fias_id);
    }
    if let Some(latitude) = changes.latitude {
        row.latitude = Set(latitude);
    }
    if let Some(longitude) = changes.longitude {
        row.longitude = Set(longitude);
    }
    row.update(&txn).await?;
    audit(&txn, actor_id, "building_updated", id, now).await?;
    txn.commit().await?;
    find_building(db, id).await?.ok_or(RepoError::NotFound)
}

pub async fn building(db: &Db, id: Uuid) -> Result<Option<BuildingRecord>, RepoError> {
    let db = db.connection();
    Ok(building::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(building_record))
}

/// Buildings with coordinates inside `area`, at most `limit` (the caller picks the nearest: see
/// [`domain::nearest_within`]).
pub async fn buildings_within(
    db: &Db,
    area: domain::GeoBox,
    limit: u64,
) -> Result<Vec<BuildingRecord>, RepoError> {
    let db = db.connection();
    Ok(building::Entity::find()
        .filter(building::Column::Latitude.between(area.south, area.north))
        .filter(building::Column::Longitude.between(area.west, area.east))
        .order_by_asc(building::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(building_record)
        .collect())
}

/// Buildings whose address contains every word of `query` (case-insensitive), at most `limit`.
pub async fn search_buildings(
    db: &Db,
    query: &str,
    limit: u64,
) -> Result<Vec<BuildingRecord>, RepoError> {
    let db = db.connection();
    let mut select = building::Entity::find();
    for word in query.split_whitespace().take(6) {
        let [lower, capitalised] = word_variants(word);
        select = select.filter(
            Condition::any()
                .add(building::Column::Address.like(crate::sql::contains(&lower)))
                .add(building::Column::Address.like(crate::sql::contains(&capitalised))),
        );
    }
    Ok(select
        .order_by_asc(building::Column::Address)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(building_record)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_compare_without_case_and_extra_spaces() {
        assert_eq!(
            address_key("  г. Сургут,  ПРОСПЕКТ Ленина, д. 1 "),
            address_key("г. сургут, проспект ленина, Д. 1")
        );
        assert_ne!(address_key("ул. Мира, 1"), address_key("ул. Мира, 11"));
    }

    #[test]
    fn words_match_as_typed_and_capitalised() {
        assert_eq!(
            word_variants("ЛЕНИНА"),
            ["ленина".to_owned(), "Ленина".to_owned()]
        );
        assert_eq!(word_variants("12"), ["12".to_owned(), "12".to_owned()]);
    }
}
