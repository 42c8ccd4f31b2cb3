//! Roles, and the kinds of organisation their staff belong to.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::wire::wire_enum;

/// Who a user is in the dispatch centre. See the crate documentation for what each role may do.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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

wire_enum!(Role, "role");

impl Role {
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

    /// Whether an account of this role belongs to an organisation, and of which kind.
    pub const fn membership(self) -> Membership {
        match self {
            Role::Company => Membership::Required(OrganisationKind::ManagementCompany),
            Role::Clerk => Membership::Required(OrganisationKind::TosOffice),
            Role::Dispatcher => Membership::Required(OrganisationKind::CityDepartment),
            Role::Inspector => Membership::Required(OrganisationKind::Inspection),
            Role::Resident => Membership::None,
            Role::Admin => Membership::Optional,
        }
    }

    /// Checks that an account of this role may belong to an organisation of `kind` (`None`: to
    /// none). The field named in a refusal is `organisation_id`.
    pub fn check_membership(self, kind: Option<OrganisationKind>) -> Result<(), DomainError> {
        let refuse = |message: String| Err(DomainError::validation("organisation_id", message));
        match (self.membership(), kind) {
            (Membership::Required(required), None) => refuse(format!(
                "required for this role: an organisation of kind {required}"
            )),
            (Membership::Required(required), Some(kind)) if kind != required => refuse(format!(
                "must be an organisation of kind {required}, not {kind}"
            )),
            (Membership::None, Some(_)) => refuse(format!("a {self} belongs to no organisation")),
            (Membership::Required(_), Some(_))
            | (Membership::None, None)
            | (Membership::Optional, _) => Ok(()),
        }
    }
}

/// Whether the accounts of a role belong to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// Always, to one of this kind: its staff.
    Required(OrganisationKind),
    /// Never (residents).
    None,
    /// May or may not (the administrator).
    Optional,
}

/// The kinds of organisation in the city's registry.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OrganisationKind {
    /// A management company (УК): complaints about its buildings are routed to it.
    ManagementCompany,
    /// The city housing department (ДГХ): its dispatchers watch every complaint.
    CityDepartment,
    /// The municipal housing inspection (жилищный контроль).
    Inspection,
    /// A neighbourhood office (ТОС), where clerks file for people without a computer.
    TosOffice,
}

wire_enum!(OrganisationKind, "organisation kind");

impl OrganisationKind {
    /// The role of this organisation's staff, and of its service accounts (API keys).
    pub const fn staff_role(self) -> Role {
        match self {
            OrganisationKind::ManagementCompany => Role::Company,
            OrganisationKind::CityDepartment => Role::Dispatcher,
            OrganisationKind::Inspection => Role::Inspector,
            OrganisationKind::TosOffice => Role::Clerk,
        }
    }
}
