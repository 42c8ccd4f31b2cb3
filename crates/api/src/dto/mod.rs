//! Wire types shared by several handlers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A role, as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleDto {
    Resident,
    Clerk,
    Company,
    Dispatcher,
    Inspector,
    Admin,
}

impl From<domain::Role> for RoleDto {
    fn from(role: domain::Role) -> Self {
        match role {
            domain::Role::Resident => Self::Resident,
            domain::Role::Clerk => Self::Clerk,
            domain::Role::Company => Self::Company,
            domain::Role::Dispatcher => Self::Dispatcher,
            domain::Role::Inspector => Self::Inspector,
            domain::Role::Admin => Self::Admin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    #[schema(example = "ООО «УК Северный город»")]
    pub name: String,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    #[schema(example = "Смирнова Ольга Викторовна")]
    pub name: String,
    #[schema(example = "dispatcher@demo.test")]
    pub login: String,
    pub role: RoleDto,
    pub organisation: Option<OrganisationRef>,
}

impl From<persistence::users::UserRecord> for Me {
    fn from(user: persistence::users::UserRecord) -> Self {
        Self {
            id: user.id,
            name: user.name,
            login: user.login,
            role: user.role.into(),
            organisation: user.organisation.map(|o| OrganisationRef {
                id: o.id,
                name: o.name,
            }),
        }
    }
}
