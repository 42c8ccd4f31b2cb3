//! 152-ФЗ duties as rules: who may export or erase whose personal data, what erasure of one
//! complaint keeps, and the typed confirmation it takes. Persistence carries them out.
//!
//! Erasure anonymises the person (name, phone, e-mail, flat) and redacts their free text (the
//! description, comments, attachments) while a complaint keeps its number, category, building,
//! dates, statuses and outcome: the history's hashed facts, the public figures and the
//! company's record do not change. Executors' names (the company's staff, not the applicant)
//! stay.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::wire::wire_enum;
use crate::{Actor, DomainError, Role, Status};

/// The words a resident types to have their data erased, exactly.
pub const ERASURE_CONFIRMATION: &str = "УДАЛИТЬ МОИ ДАННЫЕ";

/// The name an erased account shows.
pub const ERASED_NAME: &str = "Данные удалены";

/// The details' fields of an event that erasure redacts: the applicant's free text. (`executor`,
/// also kept out of the hashed payload, is a company employee's name and stays.) No event holds
/// the applicant's phone (migration 000100) or name (migration 000111): they are the person's.
pub const ERASED_EVENT_FIELDS: [&str; 1] = ["description"];

/// Whether `typed` is the erasure confirmation (white space around it forgiven).
pub fn confirms_erasure(typed: &str) -> bool {
    typed.trim() == ERASURE_CONFIRMATION
}

/// Why personal data is erased.
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
pub enum ErasureGround {
    /// The person withdrew their consent to processing (152-ФЗ art. 9 p. 2).
    ConsentWithdrawn,
    /// The person asked for their data to be destroyed (art. 21).
    ErasureRequest,
    /// The retention period ran out (art. 5 p. 7).
    Retention,
}

wire_enum!(ErasureGround, "erasure ground");

/// Why a complaint's personal data is kept for now, despite a request.
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
pub enum KeptBecause {
    /// The housing inspection deals with the complaint: the applicant is a party to the
    /// inspection's case (КоАП РФ art. 28.2) until it closes.
    UnderInspection,
    /// An order was issued and is not yet checked: the applicant's statement is evidence of the
    /// violation until the complaint closes.
    UnderOrder,
}

wire_enum!(KeptBecause, "kept because");

impl KeptBecause {
    /// What is kept and why, in Russian, for the person.
    pub const fn explanation_ru(self) -> &'static str {
        match self {
            KeptBecause::UnderInspection => {
                "Жалобой занимается жилищный контроль: имя, телефон, квартира и текст жалобы \
                 нужны для дела об административном правонарушении (КоАП РФ, ст. 28.2). Они \
                 будут удалены, как только жалоба будет закрыта."
            }
            KeptBecause::UnderOrder => {
                "По жалобе выдано предписание: текст жалобы и данные заявителя — доказательство \
                 нарушения до проверки исполнения. Они будут удалены, как только жалоба будет \
                 закрыта."
            }
        }
    }
}

/// Whether a complaint's personal data may be erased now, or why it is kept until it closes.
/// A closed complaint is always erased; an open one under the inspection or under an order is
/// kept (and erased once it closes); any other open complaint is erased and goes on without the
/// applicant's contact (the company still sees the building and the category).
pub fn erasure_decision(status: Status, has_order: bool) -> Result<(), KeptBecause> {
    if !status.is_open() {
        return Ok(());
    }
    match status {
        Status::UnderInspection => Err(KeptBecause::UnderInspection),
        _ if has_order => Err(KeptBecause::UnderOrder),
        Status::Registered
        | Status::InProgress
        | Status::AwaitingVerification
        | Status::NeedsRouting
        | Status::Closed
        | Status::ClosedUnconfirmed
        | Status::Withdrawn
        | Status::Rejected => Ok(()),
    }
}

/// Whether the actor may export or erase their own data: a resident, in person.
pub fn manage_own_data(actor: &Actor) -> Result<(), DomainError> {
    if actor.role == Role::Resident && actor.user_id().is_some() {
        Ok(())
    } else {
        Err(DomainError::Forbidden {
            role: actor.role,
            operation: "manage_own_data",
        })
    }
}

/// Whether the actor may export or erase the data of a person without an account (filed for
/// by a clerk), on that person's request: a clerk or an administrator, in person, always with a
/// reason that goes to the audit log.
pub fn manage_person_data(actor: &Actor) -> Result<(), DomainError> {
    if matches!(actor.role, Role::Clerk | Role::Admin) && actor.user_id().is_some() {
        Ok(())
    } else {
        Err(DomainError::Forbidden {
            role: actor.role,
            operation: "manage_person_data",
        })
    }
}

/// How long personal data and records are kept (152-ФЗ art. 5 p. 7: no longer than the purpose
/// needs), in whole days (hours for idempotency keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retention {
    /// Personal data of a closed complaint, counted from its closing (default 5 years).
    pub personal_data_days: u32,
    /// Attachments of a closed complaint, counted from their upload (default 3 years).
    pub attachments_days: u32,
    /// Audit log entries (default 5 years).
    pub audit_log_days: u32,
    /// Idempotency keys (default 24 hours).
    pub idempotency_key_hours: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            personal_data_days: 5 * 365 + 1,
            attachments_days: 3 * 365 + 1,
            audit_log_days: 5 * 365 + 1,
            idempotency_key_hours: 24,
        }
    }
}

/// The moments before which each kind of record is due at `now`: what was closed, uploaded or
/// written before its cutoff goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionCutoffs {
    /// Complaints closed before this lose their personal data.
    pub personal_data: DateTime<Utc>,
    /// Attachments of closed complaints uploaded before this are deleted.
    pub attachments: DateTime<Utc>,
    pub audit_log: DateTime<Utc>,
    pub idempotency_keys: DateTime<Utc>,
}

impl Retention {
    /// What is due at `now`.
    pub fn cutoffs(&self, now: DateTime<Utc>) -> RetentionCutoffs {
        let days = |d: u32| now - TimeDelta::days(i64::from(d));
        RetentionCutoffs {
            personal_data: days(self.personal_data_days),
            attachments: days(self.attachments_days),
            audit_log: days(self.audit_log_days),
            idempotency_keys: now - TimeDelta::hours(i64::from(self.idempotency_key_hours)),
        }
    }

    /// When a complaint closed at `closed_at` loses its personal data.
    pub fn personal_data_due(&self, closed_at: DateTime<Utc>) -> DateTime<Utc> {
        closed_at + TimeDelta::days(i64::from(self.personal_data_days))
    }

    /// When an attachment uploaded at `created_at` (of a closed complaint) is deleted.
    pub fn attachment_due(&self, created_at: DateTime<Utc>) -> DateTime<Utc> {
        created_at + TimeDelta::days(i64::from(self.attachments_days))
    }

    /// When an audit entry written at `at` is deleted.
    pub fn audit_due(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at + TimeDelta::days(i64::from(self.audit_log_days))
    }
}

/// Whether a complaint's personal data is due for erasure at `now`: closed longer ago than the
/// retention period, or closed with an erasure asked for while it was kept.
pub fn personal_data_due(
    retention: &Retention,
    closed_at: Option<DateTime<Utc>>,
    erasure_requested: bool,
    now: DateTime<Utc>,
) -> bool {
    match closed_at {
        None => false,
        Some(closed) => erasure_requested || retention.personal_data_due(closed) <= now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn personal_data_of_a_closed_complaint_goes_after_five_years() {
        let r = Retention::default();
        let closed = at("2026-03-01T10:00:00Z");
        assert!(!personal_data_due(
            &r,
            Some(closed),
            false,
            at("2031-02-28T10:00:00Z")
        ));
        assert!(personal_data_due(
            &r,
            Some(closed),
            false,
            at("2031-03-02T10:00:00Z")
        ));
        assert!(
            !personal_data_due(&r, None, true, at("2040-01-01T00:00:00Z")),
            "open: kept"
        );
        assert!(
            personal_data_due(&r, Some(closed), true, closed),
            "a request waiting for the close is done at once"
        );
        let cut = r.cutoffs(at("2031-03-02T10:00:00Z"));
        assert!(closed < cut.personal_data);
        assert!(cut.attachments > cut.personal_data);
        assert_eq!(
            cut.idempotency_keys,
            at("2031-03-01T10:00:00Z"),
            "idempotency keys: a day"
        );
    }

    #[test]
    fn closed_complaints_are_always_erased() {
        for status in Status::all().filter(|s| !s.is_open()) {
            assert_eq!(erasure_decision(status, true), Ok(()));
            assert_eq!(erasure_decision(status, false), Ok(()));
        }
    }

    #[test]
    fn open_complaints_under_the_inspection_or_an_order_are_kept() {
        assert_eq!(
            erasure_decision(Status::UnderInspection, false),
            Err(KeptBecause::UnderInspection)
        );
        assert_eq!(
            erasure_decision(Status::InProgress, true),
            Err(KeptBecause::UnderOrder)
        );
        assert_eq!(erasure_decision(Status::InProgress, false), Ok(()));
        assert_eq!(erasure_decision(Status::Registered, false), Ok(()));
    }

    #[test]
    fn only_the_exact_words_confirm() {
        assert!(confirms_erasure(" УДАЛИТЬ МОИ ДАННЫЕ\n"));
        for wrong in [
            "",
            "удалить мои данные",
            "УДАЛИТЬ",
            "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ",
        ] {
            assert!(!confirms_erasure(wrong), "{wrong:?}");
        }
    }

    #[test]
    fn who_may_manage_whose_data() {
        let id = uuid::Uuid::nil();
        for role in [
            Role::Resident,
            Role::Clerk,
            Role::Admin,
            Role::Company,
            Role::Dispatcher,
            Role::Inspector,
        ] {
            let actor = Actor::person(id, role, None);
            assert_eq!(manage_own_data(&actor).is_ok(), role == Role::Resident);
            assert_eq!(
                manage_person_data(&actor).is_ok(),
                matches!(role, Role::Clerk | Role::Admin)
            );
        }
    }
}
