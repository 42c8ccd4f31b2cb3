//! Roles and the acting user.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ParseEnumError;

/// Who a user is in the dispatch centre. See the crate documentation for what each role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Житель: files and tracks own complaints, confirms or disputes the result, withdraws.
    Resident,
    /// Специалист ТОС: files on behalf of a person without an account.
    Clerk,
    /// Сотрудник управляющей компании: works on complaints routed to its company.
    Company,
    /// Специалист ДГХ: control board, routing, verification calls, rejection, inspection requests.
    Dispatcher,
    /// Муниципальный жилищный контроль: findings, orders, compliance checks, fines.
    Inspector,
    /// Администратор: registries only, no part in the lifecycle.
    Admin,
}

impl Role {
    /// Every role, in declaration order.
    pub const ALL: [Role; 6] = [
        Role::Resident,
        Role::Clerk,
        Role::Company,
        Role::Dispatcher,
        Role::Inspector,
        Role::Admin,
    ];

    /// The stable snake_case identifier, as stored and as sent over the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Clerk => "clerk",
            Role::Company => "company",
            Role::Dispatcher => "dispatcher",
            Role::Inspector => "inspector",
            Role::Admin => "admin",
        }
    }

    /// Russian display name.
    pub const fn name_ru(self) -> &'static str {
        match self {
            Role::Resident => "житель",
            Role::Clerk => "специалист ТОС",
            Role::Company => "управляющая компания",
            Role::Dispatcher => "специалист ДГХ",
            Role::Inspector => "жилищный контроль",
            Role::Admin => "администратор",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| ParseEnumError::new("role", s))
    }
}

/// The authenticated user performing an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
    /// The management company of a `company` user; `None` for everybody else.
    pub organisation_id: Option<Uuid>,
}

impl Actor {
    pub fn new(user_id: Uuid, role: Role, organisation_id: Option<Uuid>) -> Self {
        Actor {
            user_id,
            role,
            organisation_id,
        }
    }

    /// The actor that applies automatic escalations ([`crate::due_escalations`]): a dispatcher with
    /// the nil user id, so events it produces are recognisable as the system's.
    pub fn system() -> Self {
        Actor {
            user_id: Uuid::nil(),
            role: Role::Dispatcher,
            organisation_id: None,
        }
    }
}
