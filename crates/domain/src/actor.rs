//! The one caller type: a person by role, an organisation's service account (an API key), or the
//! system itself. Every permission, visibility and masking rule takes an [`Actor`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{DomainError, OrganisationKind, Role};

/// Who is behind an [`Actor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// A signed-in person: their account.
    User { id: Uuid },
    /// An organisation's system, proven by one of its API keys: the organisation's service
    /// account (an account of its own, so that everything it does is recorded like a person's)
    /// and the key used.
    ServiceAccount { account: Uuid, key: Uuid },
    /// The service itself (automatic escalations).
    System,
    /// The person a complaint was filed for, answering by SMS from the number on it: heard on
    /// that one complaint only.
    Applicant { complaint_id: Uuid },
}

impl Principal {
    /// The account recorded as "who did it": the person's or the service account's; nil for the
    /// system.
    pub fn id(self) -> Uuid {
        match self {
            Principal::User { id } | Principal::ServiceAccount { account: id, .. } => id,
            Principal::System | Principal::Applicant { .. } => Uuid::nil(),
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
    /// Read the complaints the organisation may see, their history and attachments.
    #[serde(rename = "complaints:read")]
    #[strum(serialize = "complaints:read")]
    ComplaintsRead,
    /// File complaints for people (a ТОС office), with their consent.
    #[serde(rename = "complaints:file")]
    #[strum(serialize = "complaints:file")]
    ComplaintsFile,
    /// Work the queue (a management company): accept, assign, report done, attach photos.
    #[serde(rename = "complaints:work")]
    #[strum(serialize = "complaints:work")]
    ComplaintsWork,
    /// The city department's steps: reroute, verification calls, inspection requests, rejection.
    #[serde(rename = "complaints:verify")]
    #[strum(serialize = "complaints:verify")]
    ComplaintsVerify,
    /// The inspection's steps: findings, orders, compliance checks, fines.
    #[serde(rename = "complaints:inspect")]
    #[strum(serialize = "complaints:inspect")]
    ComplaintsInspect,
    /// Read the registries: organisations, buildings and categories (never accounts).
    #[serde(rename = "admin:read")]
    #[strum(serialize = "admin:read")]
    AdminRead,
    /// Manage the organisation's own webhook subscriptions.
    #[serde(rename = "webhooks")]
    #[strum(serialize = "webhooks")]
    Webhooks,
}

wire_enum!(Scope, "scope");

impl Scope {
    /// The scopes a key of an organisation of `kind` may be granted: what its staff may do.
    pub fn grantable_to(kind: OrganisationKind) -> &'static [Scope] {
        use Scope as S;
        match kind {
            OrganisationKind::ManagementCompany => {
                &[S::ComplaintsRead, S::ComplaintsWork, S::Webhooks]
            }
            OrganisationKind::CityDepartment => &[
                S::ComplaintsRead,
                S::ComplaintsVerify,
                S::AdminRead,
                S::Webhooks,
            ],
            OrganisationKind::Inspection => &[
                S::ComplaintsRead,
                S::ComplaintsInspect,
                S::AdminRead,
                S::Webhooks,
            ],
            OrganisationKind::TosOffice => &[S::ComplaintsRead, S::ComplaintsFile, S::Webhooks],
        }
    }

    /// The scope a key needs to act as staff of `role`; `None` for roles no key acts as.
    pub const fn acting_as(role: Role) -> Option<Scope> {
        match role {
            Role::Company => Some(Scope::ComplaintsWork),
            Role::Clerk => Some(Scope::ComplaintsFile),
            Role::Dispatcher => Some(Scope::ComplaintsVerify),
            Role::Inspector => Some(Scope::ComplaintsInspect),
            Role::Resident | Role::Admin => None,
        }
    }
}

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
            principal: Principal::User { id: user_id },
            role,
            organisation_id,
            scopes: None,
        }
    }

    /// An organisation's service account, through one of its keys: it acts as that
    /// organisation's staff, within the key's `scopes`.
    pub fn service_account(
        account: Uuid,
        key: Uuid,
        organisation_id: Uuid,
        kind: OrganisationKind,
        scopes: impl IntoIterator<Item = Scope>,
    ) -> Self {
        Actor {
            principal: Principal::ServiceAccount { account, key },
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

    /// The person who complained, answering by SMS from the number on `complaint_id`; when they
    /// have an account, that account speaks instead.
    pub fn applicant(complaint_id: Uuid) -> Self {
        Actor {
            principal: Principal::Applicant { complaint_id },
            role: Role::Resident,
            organisation_id: None,
            scopes: None,
        }
    }

    /// The person's account, if a person acts.
    pub fn user_id(&self) -> Option<Uuid> {
        match self.principal {
            Principal::User { id } => Some(id),
            Principal::ServiceAccount { .. } | Principal::System | Principal::Applicant { .. } => {
                None
            }
        }
    }

    /// The account recorded as "who did it": the person's or the service account's; nil for the
    /// system.
    pub fn id(&self) -> Uuid {
        self.principal.id()
    }

    /// Whether the actor's scopes reach `scope` (always, for people and the system).
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|scopes| scopes.contains(&scope))
    }

    /// [`DomainError::MissingScope`] unless the actor's scopes reach `scope`.
    pub fn require_scope(&self, scope: Scope) -> Result<(), DomainError> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(DomainError::MissingScope { scope })
        }
    }

    /// A key acting as staff of its role needs that role's scope ([`Scope::acting_as`]).
    pub fn require_acting_scope(&self) -> Result<(), DomainError> {
        match Scope::acting_as(self.role) {
            Some(scope) => self.require_scope(scope),
            None => Ok(()),
        }
    }
}
