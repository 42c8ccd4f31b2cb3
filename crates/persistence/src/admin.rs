//! The registries as administrators keep them: organisations, buildings with the history of
//! their management, and categories. Lists are keyset-paginated by id (UUIDv7, so in creation
//! order). Every change writes an `audit_log` row in the same transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{building, building_management, category, organisation};
use crate::mapping::deadline_from_columns;
use crate::registry::{BuildingRecord, CategoryRecord};
use crate::seed::MANAGEMENT_COMPANY;
use crate::users::{Audit, write_audit};

// ---------------------------------------------------------------------------------------------
// Organisations

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
pub async fn organisations(
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

pub async fn find_organisation(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<OrganisationDetail>, RepoError> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(organisation_detail))
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

// ---------------------------------------------------------------------------------------------
// Buildings

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

/// One period during which a company managed a building; `until` is `None` for the current one.
#[derive(Debug, Clone)]
pub struct ManagementPeriod {
    pub company_id: Uuid,
    pub company_name: String,
    pub since: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// Why a change of manager was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagementRefusal {
    /// The company already manages the building.
    SameCompany,
    /// The new period would start before (or when) the current one started.
    StartsTooEarly { current_since: DateTime<Utc> },
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

async fn organisation_names<C: ConnectionTrait>(
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
pub async fn buildings(
    db: &DatabaseConnection,
    company_id: Option<Uuid>,
    query: Option<&str>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<BuildingView>, RepoError> {
    let mut select = building::Entity::find();
    if let Some(company_id) = company_id {
        select = select.filter(building::Column::CompanyId.eq(company_id));
    }
    for word in query.unwrap_or_default().split_whitespace().take(6) {
        let [lower, capitalised] = word_variants(word);
        select = select.filter(
            Condition::any()
                .add(building::Column::Address.like(format!("%{lower}%")))
                .add(building::Column::Address.like(format!("%{capitalised}%"))),
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

pub async fn find_building(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<BuildingView>, RepoError> {
    let rows: Vec<_> = building::Entity::find_by_id(id)
        .one(db)
        .await?
        .into_iter()
        .collect();
    Ok(with_company_names(db, rows).await?.into_iter().next())
}

/// The [`address_key`] of every building, with its id.
pub async fn address_keys<C: ConnectionTrait>(
    conn: &C,
) -> Result<HashMap<String, Uuid>, RepoError> {
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

async fn open_period<C: ConnectionTrait>(
    conn: &C,
    building_id: Uuid,
    company_id: Uuid,
    since: DateTime<Utc>,
) -> Result<(), RepoError> {
    building_management::Entity::insert(building_management::ActiveModel {
        id: Set(Uuid::now_v7()),
        building_id: Set(building_id),
        company_id: Set(company_id),
        since: Set(since),
        until: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Creates a building (and its first management period when it has a company). An address
/// already in the registry is a [`RepoError::Conflict`].
pub async fn create_building(
    db: &DatabaseConnection,
    new: NewBuilding,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<BuildingView, RepoError> {
    let txn = db.begin().await?;
    if address_keys(&txn)
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
    db: &DatabaseConnection,
    rows: Vec<NewBuilding>,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<usize, RepoError> {
    let txn = db.begin().await?;
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
    db: &DatabaseConnection,
    id: Uuid,
    changes: BuildingChanges,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<BuildingView, RepoError> {
    let txn = db.begin().await?;
    let current = building::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let mut row: building::ActiveModel = current.into();
    if let Some(address) = changes.address {
        let other = address_keys(&txn)
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

/// Hands a building to another management company from `since`, in one transaction: the current
/// period ends at `since`, a new one starts there, and `buildings.company_id` follows. Open
/// complaints keep the company they were routed to.
pub async fn change_management(
    db: &DatabaseConnection,
    building_id: Uuid,
    company_id: Uuid,
    since: DateTime<Utc>,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Result<(), ManagementRefusal>, RepoError> {
    let txn = db.begin().await?;
    let current_building = building::Entity::find_by_id(building_id)
        .one(&txn)
        .await?
        .ok_or(RepoError::NotFound)?;
    let open = building_management::Entity::find()
        .filter(building_management::Column::BuildingId.eq(building_id))
        .filter(building_management::Column::Until.is_null())
        .one(&txn)
        .await?;
    let previous = open
        .as_ref()
        .map(|p| p.company_id)
        .or(current_building.company_id);
    if previous == Some(company_id) {
        return Ok(Err(ManagementRefusal::SameCompany));
    }
    if let Some(open) = &open {
        if since <= open.since {
            return Ok(Err(ManagementRefusal::StartsTooEarly {
                current_since: open.since,
            }));
        }
        // Guarded on `until IS NULL`: a concurrent change that closed it first makes this one a
        // conflict rather than a second open period.
        let closed = building_management::Entity::update_many()
            .col_expr(building_management::Column::Until, Expr::value(since))
            .filter(building_management::Column::Id.eq(open.id))
            .filter(building_management::Column::Until.is_null())
            .exec(&txn)
            .await?;
        if closed.rows_affected != 1 {
            return Err(RepoError::Conflict(
                "The building's management changed meanwhile; reload and try again.".to_owned(),
            ));
        }
    }
    open_period(&txn, building_id, company_id, since).await?;
    building::Entity::update_many()
        .col_expr(building::Column::CompanyId, Expr::value(company_id))
        .filter(building::Column::Id.eq(building_id))
        .exec(&txn)
        .await?;
    write_audit(
        &txn,
        actor_id,
        Audit {
            actor_id,
            action: "building_management_changed",
            details: serde_json::json!({
                "from_company": previous,
                "to_company": company_id,
                "since": since,
            }),
        },
        building_id,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

/// The management periods of a building, oldest first.
pub async fn management_history(
    db: &DatabaseConnection,
    building_id: Uuid,
) -> Result<Vec<ManagementPeriod>, RepoError> {
    let periods = building_management::Entity::find()
        .filter(building_management::Column::BuildingId.eq(building_id))
        .order_by_asc(building_management::Column::Since)
        .order_by_asc(building_management::Column::Id)
        .all(db)
        .await?;
    let names = organisation_names(db, periods.iter().map(|p| p.company_id)).await?;
    Ok(periods
        .into_iter()
        .map(|p| ManagementPeriod {
            company_name: names.get(&p.company_id).cloned().unwrap_or_default(),
            company_id: p.company_id,
            since: p.since,
            until: p.until,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Categories

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub emergency: bool,
    pub deadline: domain::Deadline,
    pub legal_basis: Option<String>,
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

/// One page of categories, inactive ones included, strictly after `after`.
pub async fn categories(
    db: &DatabaseConnection,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<CategoryRecord>, RepoError> {
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
    db: &DatabaseConnection,
    new: NewCategory,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CategoryRecord, RepoError> {
    let txn = db.begin().await?;
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
    }
    .insert(&txn)
    .await?;
    audit(&txn, actor_id, "category_created", id, now).await?;
    txn.commit().await?;
    category_record(row)
}

pub async fn update_category(
    db: &DatabaseConnection,
    id: Uuid,
    changes: CategoryChanges,
    actor_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CategoryRecord, RepoError> {
    let txn = db.begin().await?;
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
    let row = row.update(&txn).await?;
    audit(&txn, actor_id, "category_updated", id, now).await?;
    txn.commit().await?;
    category_record(row)
}

async fn audit<C: ConnectionTrait>(
    conn: &C,
    actor_id: Uuid,
    action: &'static str,
    subject: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    write_audit(
        conn,
        actor_id,
        Audit {
            actor_id,
            action,
            details: serde_json::json!({}),
        },
        subject,
        now,
    )
    .await
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
