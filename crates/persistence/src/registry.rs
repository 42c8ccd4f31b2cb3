//! Registries read by intake and the screens: categories, buildings and organisations.

use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{building, category, organisation};
use crate::mapping::deadline_from_columns;

#[derive(Debug, Clone)]
pub struct CategoryRecord {
    pub category: domain::Category,
    pub name_ru: String,
    pub name_en: String,
    pub legal_basis: Option<String>,
    pub is_active: bool,
}

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

#[derive(Debug, Clone)]
pub struct OrganisationRecord {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
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
    })
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

pub async fn categories(db: &DatabaseConnection) -> Result<Vec<CategoryRecord>, RepoError> {
    category::Entity::find()
        .order_by_desc(category::Column::Emergency)
        .order_by_asc(category::Column::NameRu)
        .all(db)
        .await?
        .into_iter()
        .map(category_record)
        .collect()
}

pub async fn category(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<CategoryRecord>, RepoError> {
    category::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(category_record)
        .transpose()
}

pub async fn building(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<BuildingRecord>, RepoError> {
    Ok(building::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(building_record))
}

/// Buildings whose address contains every word of `query` (case-insensitive), at most `limit`.
pub async fn search_buildings(
    db: &DatabaseConnection,
    query: &str,
    limit: u64,
) -> Result<Vec<BuildingRecord>, RepoError> {
    let mut select = building::Entity::find();
    for word in query.split_whitespace().take(6) {
        // SQLite's lower() folds only ASCII, so match both the word as typed and capitalised.
        let lower = word.to_lowercase();
        let capitalised: String = lower
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                if i == 0 {
                    c.to_uppercase().collect::<Vec<_>>()
                } else {
                    vec![c]
                }
            })
            .collect();
        select = select.filter(
            Condition::any()
                .add(building::Column::Address.like(format!("%{lower}%")))
                .add(building::Column::Address.like(format!("%{capitalised}%"))),
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
