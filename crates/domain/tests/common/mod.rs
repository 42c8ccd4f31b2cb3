//! Shared fixtures of the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use domain::{
    Action, Actor, Calendar, Category, Complaint, DailyQuota, Deadline, Event, NewComplaint,
    Policy, Role, Transition, apply, default_categories, register,
};
use uuid::Uuid;

pub mod samples;

/// Parses an RFC 3339 instant, e.g. `"2026-03-02T10:00:00+05:00"`.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn category(code: &str) -> Category {
    default_categories()
        .iter()
        .find(|seed| seed.code == code)
        .unwrap()
        .to_category(Uuid::new_v4())
}

pub fn ordinary() -> Category {
    Category {
        id: Uuid::new_v4(),
        code: "other".into(),
        emergency: false,
        deadline: Deadline::WorkingDays(10),
    }
}

/// The people of the stories.
pub struct World {
    pub policy: Policy,
    pub calendar: Calendar,
    pub resident: Actor,
    pub neighbour: Actor,
    pub clerk: Actor,
    pub company: Actor,
    pub other_company: Actor,
    pub dispatcher: Actor,
    pub inspector: Actor,
    pub admin: Actor,
}

impl World {
    pub fn new() -> World {
        World {
            policy: Policy::default(),
            calendar: Calendar::russian_default(),
            resident: Actor::person(Uuid::new_v4(), Role::Resident, None),
            neighbour: Actor::person(Uuid::new_v4(), Role::Resident, None),
            clerk: Actor::person(Uuid::new_v4(), Role::Clerk, None),
            company: Actor::person(Uuid::new_v4(), Role::Company, Some(Uuid::new_v4())),
            other_company: Actor::person(Uuid::new_v4(), Role::Company, Some(Uuid::new_v4())),
            dispatcher: Actor::person(Uuid::new_v4(), Role::Dispatcher, None),
            inspector: Actor::person(Uuid::new_v4(), Role::Inspector, None),
            admin: Actor::person(Uuid::new_v4(), Role::Admin, None),
        }
    }

    pub fn actor(&self, role: Role) -> &Actor {
        match role {
            Role::Resident => &self.resident,
            Role::Clerk => &self.clerk,
            Role::Company => &self.company,
            Role::Dispatcher => &self.dispatcher,
            Role::Inspector => &self.inspector,
            Role::Admin => &self.admin,
        }
    }

    pub fn company_id(&self) -> Uuid {
        self.company.organisation_id.unwrap()
    }

    pub fn other_company_id(&self) -> Uuid {
        self.other_company.organisation_id.unwrap()
    }

    /// The resident files a complaint in `category` about a building of `company`.
    pub fn file(&self, category: Category, now: DateTime<Utc>) -> Transition {
        let input = NewComplaint {
            id: Uuid::new_v4(),
            category,
            company_id: Some(self.company_id()),
            description: "Течёт кран в подвале".into(),
            applicant: None,
            quota: DailyQuota::UNLIMITED,
        };
        register(input, &self.resident, now, &self.policy, &self.calendar).unwrap()
    }

    pub fn apply(
        &self,
        c: &Complaint,
        action: Action,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Transition, domain::DomainError> {
        apply(c, &action, actor, now, &self.policy, &self.calendar)
    }
}

/// A story: the current snapshot and the history so far.
pub struct Story<'w> {
    pub world: &'w World,
    pub complaint: Complaint,
    pub events: Vec<Event>,
    /// The clocks the last step started (a recategorisation's).
    pub started_clocks: Vec<domain::Clock>,
}

impl<'w> Story<'w> {
    pub fn start(world: &'w World, t: Transition) -> Story<'w> {
        Story {
            world,
            complaint: t.complaint,
            events: vec![t.event],
            started_clocks: t.started_clocks,
        }
    }

    /// Applies an action that must succeed, checking the transition invariants.
    pub fn step(&mut self, action: Action, actor: &Actor, now: DateTime<Utc>) -> Complaint {
        let t = self
            .world
            .apply(&self.complaint, action.clone(), actor, now)
            .unwrap_or_else(|e| panic!("{action:?} by {}: {e}", actor.role));
        assert_eq!(t.complaint.version, self.complaint.version + 1);
        assert_eq!(t.event.from, Some(self.complaint.status));
        assert_eq!(t.event.to, t.complaint.status);
        assert_eq!(t.event.kind(), action.kind().into());
        self.complaint = t.complaint;
        self.events.push(t.event);
        self.started_clocks = t.started_clocks;
        self.complaint.clone()
    }

    pub fn kinds(&self) -> Vec<&'static str> {
        self.events.iter().map(|e| e.kind().as_str()).collect()
    }
}

/// A fine under КоАП РФ ст. 19.5 ч.1 on the company (10,000 to 20,000 roubles).
pub fn fine(amount_rub: u64) -> domain::Action {
    domain::Action::RecordFine {
        article: domain::default_fine_articles()
            .into_iter()
            .find(|a| a.code == "19.5 ч.1")
            .expect("19.5 ч.1 is a default article"),
        offender: domain::Offender::LegalEntity,
        amount_rub,
    }
}
