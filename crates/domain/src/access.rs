//! Who may see what, in one place: a complaint, its applicant's contacts and its history, and the
//! scope a list of complaints is filtered by (the storage turns [`ComplaintScope`] into SQL, so the
//! list and the single complaint obey the same rule).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{Actor, Complaint, DomainError, Principal, Role, Scope};

/// The complaints an actor may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintScope {
    /// Every complaint: the city department, the inspection, the administrator.
    All,
    /// A resident's own complaints (`author_id`).
    AuthoredBy(Uuid),
    /// What a clerk filed (`filed_by`).
    FiledBy(Uuid),
    /// What is routed to a management company now (`company_id`).
    RoutedTo(Uuid),
    /// One complaint (its applicant answering by SMS).
    Only(Uuid),
    /// None at all.
    Nothing,
}

impl ComplaintScope {
    /// Whether the complaint lies in this scope.
    pub fn includes(self, c: &Complaint) -> bool {
        match self {
            ComplaintScope::All => true,
            ComplaintScope::AuthoredBy(author) => c.author_id == Some(author),
            ComplaintScope::FiledBy(filer) => c.filed_by == filer,
            ComplaintScope::RoutedTo(company) => c.company_id == Some(company),
            ComplaintScope::Only(id) => c.id == id,
            ComplaintScope::Nothing => false,
        }
    }
}

/// The complaints `actor` may see: a resident their own, a clerk what they filed, a company what is
/// routed to it; dispatchers, inspectors and the admin everything. An API key needs
/// [`Scope::ComplaintsRead`] on top.
pub fn complaint_scope(actor: &Actor) -> ComplaintScope {
    if !actor.has_scope(Scope::ComplaintsRead) {
        return ComplaintScope::Nothing;
    }
    match (actor.role, actor.principal) {
        (Role::Resident, Principal::User { id }) => ComplaintScope::AuthoredBy(id),
        (Role::Resident, Principal::Applicant { complaint_id }) => {
            ComplaintScope::Only(complaint_id)
        }
        (Role::Clerk, Principal::User { id } | Principal::ServiceAccount { account: id, .. }) => {
            ComplaintScope::FiledBy(id)
        }
        (Role::Company, _) => actor
            .organisation_id
            .map_or(ComplaintScope::Nothing, ComplaintScope::RoutedTo),
        (Role::Dispatcher | Role::Inspector | Role::Admin, _) => ComplaintScope::All,
        (Role::Resident, Principal::ServiceAccount { .. } | Principal::System)
        | (Role::Clerk, Principal::System | Principal::Applicant { .. }) => ComplaintScope::Nothing,
    }
}

/// Object-level visibility of one complaint (and of its history and attachments).
pub fn can_view(c: &Complaint, actor: &Actor) -> bool {
    complaint_scope(actor).includes(c)
}

/// Whether the actor sees the applicant's phone in full (152-ФЗ): the resident themself and the
/// clerk who filed. Everyone else sees it masked; the city dispatcher may [`reveal_phone`].
pub fn sees_applicant_contact(c: &Complaint, actor: &Actor) -> bool {
    match actor.role {
        Role::Resident | Role::Clerk => can_view(c, actor),
        Role::Company | Role::Dispatcher | Role::Inspector | Role::Admin => false,
    }
}

/// Whether the actor may reveal the applicant's full phone for a verification call (an audited
/// read): a city dispatcher in person (not a service account), on a complaint they may see.
pub fn reveal_phone(c: &Complaint, actor: &Actor) -> Result<(), DomainError> {
    if actor.role != Role::Dispatcher || actor.user_id().is_none() {
        return Err(DomainError::Forbidden {
            role: actor.role,
            operation: "reveal_phone",
        });
    }
    if !can_view(c, actor) {
        return Err(DomainError::NotOwner {
            role: actor.role,
            operation: "reveal_phone",
        });
    }
    Ok(())
}

/// Whether the actor may read the registries (organisations, buildings, categories; not the
/// accounts): an administrator in person, or a service account with [`Scope::AdminRead`].
pub fn read_registries(actor: &Actor) -> Result<(), DomainError> {
    match actor.principal {
        Principal::ServiceAccount { .. } => actor.require_scope(Scope::AdminRead),
        Principal::User { .. } | Principal::System | Principal::Applicant { .. } => {
            administer(actor)
        }
    }
}

/// Whether the actor may read the organisation directory (id, name, kind, active: what the
/// reroute picker and the company filters need): the city's staff in person (dispatcher,
/// inspector, clerk, administrator), or a service account with [`Scope::AdminRead`]. Residents
/// and company staff have no use for the list of every organisation.
pub fn read_organisation_directory(actor: &Actor) -> Result<(), DomainError> {
    let forbidden = DomainError::Forbidden {
        role: actor.role,
        operation: "read_organisation_directory",
    };
    match actor.principal {
        Principal::ServiceAccount { .. } => actor.require_scope(Scope::AdminRead),
        Principal::User { .. } => match actor.role {
            Role::Dispatcher | Role::Inspector | Role::Clerk | Role::Admin => Ok(()),
            Role::Resident | Role::Company => Err(forbidden),
        },
        Principal::System | Principal::Applicant { .. } => Err(forbidden),
    }
}

/// Whether the actor may keep the registries, accounts and API keys: an administrator in person.
pub fn administer(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Admin && actor.user_id().is_some() {
        Ok(())
    } else {
        Err(DomainError::Forbidden {
            role: actor.role,
            operation: "administer",
        })
    }
}

/// Whether the actor may read what went out by SMS and e-mail (the delivery log and its daily
/// counts, recipients masked): an administrator or a city dispatcher (the department keeps the
/// service under control, read-only), in person.
pub fn read_deliveries(actor: &Actor) -> Result<(), DomainError> {
    match actor.role {
        Role::Admin | Role::Dispatcher if actor.user_id().is_some() => Ok(()),
        Role::Resident
        | Role::Clerk
        | Role::Company
        | Role::Dispatcher
        | Role::Inspector
        | Role::Admin => Err(DomainError::Forbidden {
            role: actor.role,
            operation: "read_deliveries",
        }),
    }
}

/// Whether the actor may edit the message templates: an administrator in person.
pub fn edit_templates(actor: &Actor) -> Result<(), DomainError> {
    administer(actor)
}

/// What an attached file documents, by who attached it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AttachmentKind {
    /// The resident's or the clerk's photos of the problem.
    Complaint,
    /// The company's photos of the work done.
    WorkReport,
    /// The dispatcher's, from the verification.
    Verification,
    /// The inspection's, from the site.
    Inspection,
}

wire_enum!(AttachmentKind, "attachment kind");

/// Whether the actor may attach a file to the complaint now, and as what: anyone who may see an
/// open complaint, except the administrator.
pub fn attach(c: &Complaint, actor: &Actor) -> Result<AttachmentKind, DomainError> {
    let kind = match actor.role {
        Role::Resident | Role::Clerk => AttachmentKind::Complaint,
        Role::Company => AttachmentKind::WorkReport,
        Role::Dispatcher => AttachmentKind::Verification,
        Role::Inspector => AttachmentKind::Inspection,
        Role::Admin => {
            return Err(DomainError::Forbidden {
                role: actor.role,
                operation: "attach",
            });
        }
    };
    if !can_view(c, actor) {
        return Err(DomainError::NotOwner {
            role: actor.role,
            operation: "attach",
        });
    }
    actor.require_acting_scope()?;
    if c.status.is_final() {
        return Err(DomainError::Closed);
    }
    Ok(kind)
}
