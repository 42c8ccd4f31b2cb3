//! Whose history entries are internal (finding 11 of the security review). A company's own steps
//! (the executor it sent, its notes, its pauses) are its internal business: after a reroute the
//! next company sees that they happened and when, but not what they said.

use crate::{Actor, Event, EventDetails, Role};

/// How much of one history entry a caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryView {
    /// Everything: who, when, from, to, the comment and the details.
    Full,
    /// The step only (kind, when, from, to, round): another company's comment, details and
    /// service-account name are left out.
    StepOnly,
}

/// The company whose internal business an entry is: the company that did it, `None` for a step
/// of anybody else (the resident, the dispatcher, the inspection, the service).
pub fn internal_to(event: &Event) -> Option<uuid::Uuid> {
    if event.actor_role != Role::Company {
        return None;
    }
    match &event.details {
        // After "not our building" the complaint is routed to nobody: the company that declined
        // is in the details.
        EventDetails::NotOurBuilding { declined_by } => *declined_by,
        _ => event.company_id,
    }
}

/// What `actor` sees of `event` on a complaint it may view. Staff of another company than the one
/// an entry is internal to see the step only; everybody else sees it all (the resident and the
/// city's staff follow the whole case).
pub fn history_entry_view(event: &Event, actor: &Actor) -> EntryView {
    match (actor.role, internal_to(event)) {
        (Role::Company, Some(owner)) if actor.organisation_id != Some(owner) => EntryView::StepOnly,
        (Role::Company, None) if event.actor_role == Role::Company => EntryView::StepOnly,
        _ => EntryView::Full,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::{Principal, Status};

    fn event(actor_role: Role, company_id: Option<Uuid>, details: EventDetails) -> Event {
        Event {
            complaint_id: Uuid::from_u128(1),
            actor: Principal::User {
                id: Uuid::from_u128(2),
            },
            actor_role,
            from: Some(Status::Registered),
            to: Status::InProgress,
            at: Utc
                .with_ymd_and_hms(2026, 12, 6, 9, 0, 0)
                .single()
                .unwrap_or_default(),
            comment: Some("Ключ у соседки из кв. 15".to_owned()),
            company_id,
            round: 1,
            details,
        }
    }

    #[test]
    fn a_company_sees_its_own_steps_and_only_the_steps_of_another() {
        let (old, new) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let assign = event(
            Role::Company,
            Some(old),
            EventDetails::AssignExecutor {
                executor: "Петров И. И.".to_owned(),
            },
        );
        let declined = event(
            Role::Company,
            None,
            EventDetails::NotOurBuilding {
                declined_by: Some(old),
            },
        );
        let old_staff = Actor::person(Uuid::from_u128(20), Role::Company, Some(old));
        let new_staff = Actor::person(Uuid::from_u128(21), Role::Company, Some(new));
        let new_system = Actor::service_account(
            Uuid::from_u128(22),
            Uuid::from_u128(23),
            new,
            crate::OrganisationKind::ManagementCompany,
            [],
        );
        for entry in [&assign, &declined] {
            assert_eq!(history_entry_view(entry, &old_staff), EntryView::Full);
            assert_eq!(history_entry_view(entry, &new_staff), EntryView::StepOnly);
            assert_eq!(history_entry_view(entry, &new_system), EntryView::StepOnly);
        }
        // A company step of unknown owner is nobody's to read among companies.
        let unknown = event(
            Role::Company,
            None,
            EventDetails::NotOurBuilding { declined_by: None },
        );
        assert_eq!(
            history_entry_view(&unknown, &old_staff),
            EntryView::StepOnly
        );
    }

    #[test]
    fn steps_of_the_city_and_of_the_resident_are_everybodys_and_the_city_sees_all() {
        let (old, new) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let reroute = event(
            Role::Dispatcher,
            Some(new),
            EventDetails::Reroute {
                from_company_id: Some(old),
                to_company_id: Some(new),
                management_change: false,
            },
        );
        let new_staff = Actor::person(Uuid::from_u128(21), Role::Company, Some(new));
        let old_staff = Actor::person(Uuid::from_u128(20), Role::Company, Some(old));
        assert_eq!(history_entry_view(&reroute, &new_staff), EntryView::Full);
        assert_eq!(history_entry_view(&reroute, &old_staff), EntryView::Full);
        let assign = event(
            Role::Company,
            Some(old),
            EventDetails::AssignExecutor {
                executor: "Петров И. И.".to_owned(),
            },
        );
        for role in [
            Role::Resident,
            Role::Dispatcher,
            Role::Inspector,
            Role::Admin,
            Role::Clerk,
        ] {
            let actor = Actor::person(Uuid::from_u128(30), role, None);
            assert_eq!(
                history_entry_view(&assign, &actor),
                EntryView::Full,
                "{role:?}"
            );
        }
    }
}
