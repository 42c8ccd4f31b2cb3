//! Accounts: look-ups by login and by id.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::{organisation, user};

/// An account as the API needs it. The password hash leaves this crate only for verification.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: Uuid,
    pub login: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: domain::Role,
    pub organisation: Option<OrganisationRef>,
    pub password_hash: String,
    pub is_active: bool,
}

#[derive(Debug, Clone)]
pub struct OrganisationRef {
    pub id: Uuid,
    pub name: String,
}

pub async fn find_by_login(
    db: &DatabaseConnection,
    login: &str,
) -> Result<Option<UserRecord>, RepoError> {
    let found = user::Entity::find()
        .filter(user::Column::Login.eq(login.trim().to_lowercase()))
        .find_also_related(organisation::Entity)
        .one(db)
        .await?;
    found.map(to_record).transpose()
}

pub async fn find_by_id(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<UserRecord>, RepoError> {
    let found = user::Entity::find_by_id(id)
        .find_also_related(organisation::Entity)
        .one(db)
        .await?;
    found.map(to_record).transpose()
}

fn to_record(
    (row, org): (user::Model, Option<organisation::Model>),
) -> Result<UserRecord, RepoError> {
    let role = row.role.parse::<domain::Role>().map_err(|_| {
        RepoError::Db(sea_orm::DbErr::Custom(format!(
            "unknown role {:?}",
            row.role
        )))
    })?;
    Ok(UserRecord {
        id: row.id,
        login: row.login,
        name: row.name,
        phone: row.phone,
        role,
        organisation: org.map(|o| OrganisationRef {
            id: o.id,
            name: o.name,
        }),
        password_hash: row.password_hash,
        is_active: row.is_active,
    })
}
