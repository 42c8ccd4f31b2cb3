//! The one caller type: a person by role, an organisation's service account (an API key), or the
//! system itself. Every permission, visibility and masking rule takes an [`Actor`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{OrganisationKind, Role};

/// Who is behind an [`Actor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Principal {
    /// A signed-in person: their account.
    User(Uuid),
    /// An organisation's system, proven by an API key: the key.
    ServiceAccount(Uuid),
    /// The service itself (automatic escalations).
    System,
}

impl Principal {
    /// The id recorded as "who did it": the account, the API key, or nil for the system.
    pub fn id(self) -> Uuid {
        match self {
            Principal::User(id) | Principal::ServiceAccount(id) => id,
            Principal::System => Uuid::nil(),
        }
    }
}

/// What an API key may do, on top of what its organisation's staff may do. A closed set.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scope {
    /// Read complaints of the key's organisation.
    #[serde(rename = "complaints:read")]
    #[strum(serialize = "complaints:read")]
    ComplaintsRead,
    /// File complaints.
    #[serde(rename = "complaints:create")]
    #[strum(serialize = "complaints:create")]
    ComplaintsCreate,
    /// Read the published company scorecards.
    #[serde(rename = "scorecard:read")]
    #[strum(serialize = "scorecard:read")]
    ScorecardRead,
}

wire_enum!(Scope, "scope");

/// The caller of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub principal: Principal,
    /// A person's role; for a service account, the role of its organisation's staff.
    pub role: Role,
    /// The organisation a person works for, or a service account belongs to.
    pub organisation_id: Option<Uuid>,
    /// A service account's scopes; `None` for people and the system, whose role alone decides.
    pub scopes: Option<BTreeSet<Scope>>,
}

impl Actor {
    /// A signed-in person.
    pub fn person(user_id: Uuid, role: Role, organisation_id: Option<Uuid>) -> Self {
        Actor {
            principal: Principal::User(user_id),
            role,
            organisation_id,
            scopes: None,
        }
    }

    /// An organisation's service account: it acts as that organisation's staff, within `scopes`.
    pub fn service_account(
        key_id: Uuid,
        organisation_id: Uuid,
        kind: OrganisationKind,
        scopes: impl IntoIterator<Item = Scope>,
    ) -> Self {
        Actor {
            principal: Principal::ServiceAccount(key_id),
            role: kind.staff_role(),
            organisation_id: Some(organisation_id),
            scopes: Some(scopes.into_iter().collect()),
        }
    }

    /// The service itself, applying automatic escalations ([`crate::due_escalations`]) with a
    /// dispatcher's rights.
    pub fn system() -> Self {
        Actor {
            principal: Principal::System,
            role: Role::Dispatcher,
            organisation_id: None,
            scopes: None,
        }
    }

    /// The person's account, if a person acts.
    pub fn user_id(&self) -> Option<Uuid> {
        match self.principal {
            Principal::User(id) => Some(id),
            Principal::ServiceAccount(_) | Principal::System => None,
        }
    }

    /// The id recorded as "who did it": the account, the API key, or nil for the system.
    pub fn id(&self) -> Uuid {
        self.principal.id()
    }

    /// Whether the actor's scopes reach `scope` (always, for people and the system).
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|scopes| scopes.contains(&scope))
    }
}
