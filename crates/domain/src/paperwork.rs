//! The inspection's paperwork (issue 15): numbers of orders (предписания) and inspection acts
//! (акты проверки), who may read the documents and the registers, the order's status in the
//! register, the document templates with their placeholders, and the visit schedule's rule.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{Actor, DomainError, Role, Scope};

/// The two documents the inspection prints.
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
pub enum DocumentKind {
    /// Предписание об устранении нарушений.
    Order,
    /// Акт проверки.
    Act,
}

wire_enum!(DocumentKind, "document kind");

impl DocumentKind {
    /// The letter a number starts with: `П` for an order, `А` for an act.
    pub const fn prefix(self) -> &'static str {
        match self {
            DocumentKind::Order => "П",
            DocumentKind::Act => "А",
        }
    }

    /// The name of the yearly gapless counter the numbers come from.
    pub fn counter(self, year: i32) -> String {
        match self {
            DocumentKind::Order => format!("order_number_{year}"),
            DocumentKind::Act => format!("act_number_{year}"),
        }
    }

    /// The document's number: `П-2026-00001`, `А-2026-00017` (five digits, more from the
    /// 100 000th document of a year on).
    pub fn number(self, year: i32, sequence: i64) -> String {
        format!("{}-{year:04}-{sequence:05}", self.prefix())
    }
}

/// Whose orders, acts and fines an actor may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperScope {
    /// Every one: the inspection, the city department and the administrator.
    All,
    /// Those addressed to one management company: its own staff.
    Company(Uuid),
}

impl PaperScope {
    /// Whether a paper addressed to `company_id` lies in this scope.
    pub fn includes(self, company_id: Uuid) -> bool {
        match self {
            PaperScope::All => true,
            PaperScope::Company(own) => own == company_id,
        }
    }
}

fn paper_scope(actor: &Actor, operation: &'static str) -> Result<PaperScope, DomainError> {
    let forbidden = || DomainError::Forbidden {
        role: actor.role,
        operation,
    };
    if !actor.has_scope(Scope::ComplaintsRead) {
        return Err(forbidden());
    }
    match actor.role {
        Role::Inspector | Role::Dispatcher | Role::Admin => Ok(PaperScope::All),
        Role::Company => actor
            .organisation_id
            .map(PaperScope::Company)
            .ok_or_else(forbidden),
        Role::Resident | Role::Clerk => Err(forbidden()),
    }
}

/// Who may read an order's or an act's document: the inspection, the city department, the
/// administrator (who keeps the documents' templates and reads every register), and the company
/// it is addressed to (another company hears "not found" by [`check_paper`]).
pub fn read_documents(actor: &Actor) -> Result<PaperScope, DomainError> {
    paper_scope(actor, "read_documents")
}

/// Who may read the registers of orders and fines: the inspection, the city department and the
/// administrator all of them; a management company its own.
pub fn read_registers(actor: &Actor) -> Result<PaperScope, DomainError> {
    paper_scope(actor, "read_registers")
}

/// A paper outside the caller's scope is "not found" (404), as a complaint is.
pub fn check_paper(scope: PaperScope, company_id: Uuid, actor: &Actor) -> Result<(), DomainError> {
    if scope.includes(company_id) {
        Ok(())
    } else {
        Err(DomainError::NotOwner {
            role: actor.role,
            operation: "read_documents",
        })
    }
}

/// Who may schedule inspection visits and read the calendar: the inspection.
pub fn schedule_visits(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Inspector && actor.has_scope(Scope::ComplaintsInspect) {
        Ok(())
    } else {
        Err(DomainError::Forbidden {
            role: actor.role,
            operation: "schedule_visits",
        })
    }
}

/// A visit is scheduled for a time still to come.
pub fn check_visit_time(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if at <= now {
        return Err(DomainError::validation(
            "at",
            "a visit is scheduled for a time still to come",
        ));
    }
    Ok(())
}

/// An order's place in the register.
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
pub enum OrderStatus {
    /// Issued, its deadline still to come, not checked.
    Open,
    /// Checked and complied with.
    Complied,
    /// Its deadline passed unchecked, or checked and not complied with, and no fine yet.
    Overdue,
    /// A fine was recorded for not complying with it.
    Fined,
}

wire_enum!(OrderStatus, "order status");

impl OrderStatus {
    /// The status of an order checked as `complied` (`None`: not yet), due at `due_at`, with
    /// `fined` telling whether a fine names it.
    pub fn of(
        complied: Option<bool>,
        due_at: DateTime<Utc>,
        fined: bool,
        now: DateTime<Utc>,
    ) -> OrderStatus {
        match complied {
            Some(true) => OrderStatus::Complied,
            _ if fined => OrderStatus::Fined,
            Some(false) => OrderStatus::Overdue,
            None if due_at < now => OrderStatus::Overdue,
            None => OrderStatus::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn numbers_per_kind_and_year() {
        assert_eq!(DocumentKind::Order.number(2026, 1), "П-2026-00001");
        assert_eq!(DocumentKind::Act.number(2026, 17), "А-2026-00017");
        assert_eq!(DocumentKind::Act.number(2027, 123_456), "А-2027-123456");
        assert_ne!(
            DocumentKind::Order.counter(2026),
            DocumentKind::Act.counter(2026)
        );
    }

    #[test]
    fn order_status_table() {
        let due = Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap();
        let before = due - chrono::Duration::hours(1);
        let after = due + chrono::Duration::hours(1);
        let cases = [
            (None, false, before, OrderStatus::Open),
            (None, false, after, OrderStatus::Overdue),
            (Some(false), false, before, OrderStatus::Overdue),
            (Some(false), true, after, OrderStatus::Fined),
            (None, true, after, OrderStatus::Fined),
            (Some(true), false, after, OrderStatus::Complied),
            (Some(true), true, after, OrderStatus::Complied),
        ];
        for (complied, fined, now, expected) in cases {
            assert_eq!(
                OrderStatus::of(complied, due, fined, now),
                expected,
                "{complied:?} {fined} {now}"
            );
        }
    }

    #[test]
    fn who_reads_papers() {
        let company = Uuid::now_v7();
        let person = |role, org| Actor::person(Uuid::now_v7(), role, org);
        let inspector = person(Role::Inspector, Some(Uuid::now_v7()));
        let dispatcher = person(Role::Dispatcher, Some(Uuid::now_v7()));
        let own = person(Role::Company, Some(company));
        let admin = person(Role::Admin, None);
        assert_eq!(read_documents(&inspector).unwrap(), PaperScope::All);
        assert_eq!(read_documents(&dispatcher).unwrap(), PaperScope::All);
        assert_eq!(read_documents(&own).unwrap(), PaperScope::Company(company));
        assert_eq!(read_documents(&admin).unwrap(), PaperScope::All);
        assert_eq!(read_registers(&admin).unwrap(), PaperScope::All);
        for role in [Role::Resident, Role::Clerk] {
            assert!(read_documents(&person(role, None)).is_err());
            assert!(read_registers(&person(role, None)).is_err());
        }
        let scope = read_documents(&own).unwrap();
        assert!(check_paper(scope, company, &own).is_ok());
        assert!(matches!(
            check_paper(scope, Uuid::now_v7(), &own),
            Err(DomainError::NotOwner { .. })
        ));
    }

    #[test]
    fn visits_only_ahead() {
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap();
        assert!(check_visit_time(now, now).is_err());
        assert!(check_visit_time(now + chrono::Duration::minutes(1), now).is_ok());
    }
}
