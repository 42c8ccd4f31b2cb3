//! Who may see and do what, as tables of (actor, complaint) → decision: visibility, the list's
//! scope, the applicant's phone, the phone reveal, attachments, organisation membership and who is
//! notified. Every row is written out: a change of a rule changes a row here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{World, at, ordinary};
use domain::{
    Action, Actor, AttachmentKind, ComplaintScope, Membership, OrganisationKind, OutboxMessage,
    Recipient, Role, Scope, Status, attach, can_view, complaint_scope, notice, permissions,
    reveal_phone, sees_applicant_contact,
};
use uuid::Uuid;

/// One row of the table: who looks (by name), and what the rules must say: sees it, sees the
/// phone in full, may reveal the phone, attaches as.
type Viewer = (
    &'static str,
    Actor,
    bool,
    bool,
    bool,
    Option<AttachmentKind>,
);

/// Everyone who might look at the world's complaint (filed by `w.resident`, routed to
/// `w.company`).
fn viewers(w: &World) -> Vec<Viewer> {
    let key = |kind: OrganisationKind, org: Uuid, scopes: Vec<Scope>| {
        Actor::service_account(Uuid::new_v4(), Uuid::new_v4(), org, kind, scopes)
    };
    let read = vec![Scope::ComplaintsRead];
    let work = vec![Scope::ComplaintsRead, Scope::ComplaintsWork];
    let verify = vec![Scope::ComplaintsRead, Scope::ComplaintsVerify];
    vec![
        (
            "author",
            w.resident.clone(),
            true,
            true,
            false,
            Some(AttachmentKind::Complaint),
        ),
        (
            "another resident",
            w.neighbour.clone(),
            false,
            false,
            false,
            None,
        ),
        ("another clerk", w.clerk.clone(), false, false, false, None),
        (
            "its company",
            w.company.clone(),
            true,
            false,
            false,
            Some(AttachmentKind::WorkReport),
        ),
        (
            "another company",
            w.other_company.clone(),
            false,
            false,
            false,
            None,
        ),
        (
            "dispatcher",
            w.dispatcher.clone(),
            true,
            false,
            true,
            Some(AttachmentKind::Verification),
        ),
        (
            "inspector",
            w.inspector.clone(),
            true,
            false,
            false,
            Some(AttachmentKind::Inspection),
        ),
        ("admin", w.admin.clone(), true, false, false, None),
        (
            "system",
            Actor::system(),
            true,
            false,
            false,
            Some(AttachmentKind::Verification),
        ),
        (
            "its company's key",
            key(OrganisationKind::ManagementCompany, w.company_id(), work),
            true,
            false,
            false,
            Some(AttachmentKind::WorkReport),
        ),
        (
            "its company's read-only key",
            key(
                OrganisationKind::ManagementCompany,
                w.company_id(),
                read.clone(),
            ),
            true,
            false,
            false,
            None,
        ),
        (
            "its company's key without read",
            key(
                OrganisationKind::ManagementCompany,
                w.company_id(),
                vec![Scope::ComplaintsWork],
            ),
            false,
            false,
            false,
            None,
        ),
        (
            "another company's key",
            key(
                OrganisationKind::ManagementCompany,
                w.other_company_id(),
                read.clone(),
            ),
            false,
            false,
            false,
            None,
        ),
        (
            "the city's key",
            key(OrganisationKind::CityDepartment, Uuid::new_v4(), verify),
            true,
            false,
            false,
            Some(AttachmentKind::Verification),
        ),
        (
            "a ТОС key",
            key(OrganisationKind::TosOffice, Uuid::new_v4(), read),
            false,
            false,
            false,
            None,
        ),
    ]
}

#[test]
fn who_sees_a_complaint_and_its_applicant() {
    let w = World::new();
    let complaint = w
        .file(ordinary(), at("2026-03-02T10:00:00+05:00"))
        .complaint;
    for (name, actor, sees, full_phone, reveals, attaches) in viewers(&w) {
        assert_eq!(can_view(&complaint, &actor), sees, "{name}: sees");
        assert_eq!(
            complaint_scope(&actor).includes(&complaint),
            sees,
            "{name}: the list's scope agrees with the single complaint"
        );
        assert_eq!(
            sees_applicant_contact(&complaint, &actor),
            full_phone,
            "{name}: phone"
        );
        assert_eq!(
            reveal_phone(&complaint, &actor).is_ok(),
            reveals,
            "{name}: reveal"
        );
        assert_eq!(attach(&complaint, &actor).ok(), attaches, "{name}: attach");
        let p = permissions(&complaint, &actor);
        assert_eq!(
            (p.sees_applicant_contact, p.may_reveal_phone, p.may_attach),
            (full_phone, reveals, attaches.is_some()),
            "{name}: permissions"
        );
        if !sees {
            assert!(
                p.allowed_actions.is_empty(),
                "{name}: acts on what it cannot see"
            );
        }
    }
}

#[test]
fn the_list_scope_of_each_actor() {
    let w = World::new();
    let company = w.company_id();
    let cases = [
        (
            w.resident.clone(),
            ComplaintScope::AuthoredBy(w.resident.id()),
        ),
        (w.clerk.clone(), ComplaintScope::FiledBy(w.clerk.id())),
        (w.company.clone(), ComplaintScope::RoutedTo(company)),
        (w.dispatcher.clone(), ComplaintScope::All),
        (w.inspector.clone(), ComplaintScope::All),
        (w.admin.clone(), ComplaintScope::All),
        (
            Actor::person(Uuid::new_v4(), Role::Company, None),
            ComplaintScope::Nothing,
        ),
    ];
    for (actor, scope) in cases {
        assert_eq!(complaint_scope(&actor), scope, "{}", actor.role);
    }
}

#[test]
fn closed_complaints_take_no_attachments() {
    let w = World::new();
    let t = w.file(ordinary(), at("2026-03-02T10:00:00+05:00"));
    let withdrawn = w
        .apply(
            &t.complaint,
            Action::Withdraw,
            &w.resident,
            at("2026-03-02T11:00:00+05:00"),
        )
        .unwrap()
        .complaint;
    assert_eq!(withdrawn.status, Status::Withdrawn);
    assert_eq!(
        attach(&withdrawn, &w.resident).unwrap_err().code(),
        "closed"
    );
    assert_eq!(
        attach(&t.complaint, &w.admin).unwrap_err().code(),
        "forbidden"
    );
    assert_eq!(
        attach(&t.complaint, &w.neighbour).unwrap_err().code(),
        "not_owner"
    );
    assert_eq!(
        reveal_phone(&t.complaint, &w.company).unwrap_err().code(),
        "forbidden"
    );
}

#[test]
fn every_role_belongs_to_its_kind_of_organisation() {
    use OrganisationKind as K;
    let expected = [
        (Role::Resident, Membership::None),
        (Role::Clerk, Membership::Required(K::TosOffice)),
        (Role::Company, Membership::Required(K::ManagementCompany)),
        (Role::Dispatcher, Membership::Required(K::CityDepartment)),
        (Role::Inspector, Membership::Required(K::Inspection)),
        (Role::Admin, Membership::Optional),
    ];
    for (role, membership) in expected {
        assert_eq!(role.membership(), membership, "{role}");
    }
    for kind in OrganisationKind::all() {
        let role = kind.staff_role();
        assert_eq!(role.membership(), Membership::Required(kind), "{kind}");
        assert!(role.check_membership(Some(kind)).is_ok());
        assert!(role.check_membership(None).is_err());
        for other in OrganisationKind::all().filter(|k| *k != kind) {
            assert!(
                role.check_membership(Some(other)).is_err(),
                "{role} in {other}"
            );
        }
    }
    assert!(Role::Resident.check_membership(None).is_ok());
    assert!(Role::Resident.check_membership(Some(K::TosOffice)).is_err());
    assert!(Role::Admin.check_membership(None).is_ok());
    assert!(
        Role::Admin
            .check_membership(Some(K::CityDepartment))
            .is_ok()
    );
}

#[test]
fn who_hears_of_what() {
    let w = World::new();
    let now = at("2026-03-02T10:00:00+05:00");
    let filed = w.file(ordinary(), now);
    let author = Recipient::User(w.resident.id());
    let company = Recipient::StaffOf(w.company_id());

    let registered = notice(
        &OutboxMessage::of_event(&filed.event),
        &filed.complaint,
        "СУР-2026-000001",
        "Прочее",
    );
    assert_eq!(registered.recipients, vec![author, company]);
    assert_eq!(
        registered.except,
        Some(w.resident.id()),
        "the author filed it"
    );
    assert_eq!(registered.kind, "registered");
    assert_eq!(registered.text, "Новая жалоба СУР-2026-000001: Прочее");

    let declined = w
        .apply(
            &filed.complaint,
            Action::NotOurBuilding {
                reason: "Не наш дом".into(),
            },
            &w.company,
            now,
        )
        .unwrap();
    let routing = notice(
        &OutboxMessage::of_event(&declined.event),
        &declined.complaint,
        "N",
        "C",
    );
    assert_eq!(
        routing.recipients,
        vec![author, Recipient::Everyone(Role::Dispatcher)]
    );
    assert_eq!(routing.except, Some(w.company.id()));
    assert_eq!(routing.text, "Жалоба N: требует маршрутизации");

    let flagged = OutboxMessage::Flagged(domain::Flagged {
        complaint_id: filed.complaint.id,
        rule: "execution_overdue".into(),
        notify_role: Role::Dispatcher,
        reason: domain::FlagReason::Overdue,
    });
    let overdue = notice(&flagged, &filed.complaint, "N", "C");
    assert_eq!(
        overdue.recipients,
        vec![company, Recipient::Everyone(Role::Dispatcher)]
    );
    assert_eq!((overdue.kind.as_str(), overdue.except), ("overdue", None));
}

#[test]
fn outbox_messages_read_back_from_their_stored_form() {
    let w = World::new();
    let filed = w.file(ordinary(), at("2026-03-02T10:00:00+05:00"));
    let changed = OutboxMessage::of_event(&filed.event);
    assert_eq!(changed.topic(), "complaint.registered");
    let flagged = OutboxMessage::Flagged(domain::Flagged {
        complaint_id: filed.complaint.id,
        rule: "routing_overdue".into(),
        notify_role: Role::Inspector,
        reason: domain::FlagReason::Overdue,
    });
    assert_eq!(flagged.topic(), "complaint.overdue");
    for message in [changed, flagged] {
        let back = OutboxMessage::decode(&message.topic(), message.payload()).unwrap();
        assert_eq!(back, message);
    }
    assert!(OutboxMessage::decode("complaint.accept", serde_json::json!({})).is_err());
    assert!(OutboxMessage::decode("complaint.nonsense", serde_json::json!({})).is_err());
}

#[test]
fn keys_act_within_their_scopes_and_their_organisation_kind() {
    use domain::{Action, DailyQuota, NewComplaint, Scope as S, register};
    let w = World::new();
    let now = at("2026-03-02T10:00:00+05:00");
    let filed = w.file(ordinary(), now).complaint;
    let company_key = |scopes: Vec<S>| {
        Actor::service_account(
            Uuid::new_v4(),
            Uuid::new_v4(),
            w.company_id(),
            OrganisationKind::ManagementCompany,
            scopes,
        )
    };
    // A company's key with the work scope accepts as the company's staff do.
    let worker = company_key(vec![S::ComplaintsRead, S::ComplaintsWork]);
    let accepted = w.apply(&filed, Action::Accept, &worker, now).unwrap();
    assert_eq!(accepted.complaint.status, Status::InProgress);
    assert_eq!(accepted.event.actor, worker.principal);
    // Without it, the refusal names the scope.
    let reader = company_key(vec![S::ComplaintsRead]);
    let err = w.apply(&filed, Action::Accept, &reader, now).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the API key lacks the scope `complaints:work`"
    );
    // A key never does what its organisation's staff may not: a company does not verify.
    let err = w
        .apply(
            &accepted.complaint,
            Action::Withdraw,
            &company_key(S::all().collect()),
            now,
        )
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    // A ТОС office's key files for a person with the file scope, and sees what it filed.
    let tos = |scopes: Vec<S>| {
        Actor::service_account(
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            OrganisationKind::TosOffice,
            scopes,
        )
    };
    let input = |_: ()| NewComplaint {
        id: Uuid::new_v4(),
        category: ordinary(),
        company_id: Some(w.company_id()),
        description: "Не работает освещение в подъезде".into(),
        applicant: Some(domain::Applicant {
            name: "Петров Пётр".into(),
            phone: None,
            consent: domain::Consent {
                accepted: true,
                version: domain::CONSENT_VERSION.into(),
            },
        }),
        quota: DailyQuota::UNLIMITED,
    };
    let office = tos(vec![S::ComplaintsRead, S::ComplaintsFile]);
    let t = register(input(()), &office, now, &w.policy, &w.calendar).unwrap();
    assert!(can_view(&t.complaint, &office));
    assert_eq!(t.complaint.filed_by, office.id());
    let err = register(
        input(()),
        &tos(vec![S::ComplaintsRead]),
        now,
        &w.policy,
        &w.calendar,
    )
    .unwrap_err();
    assert_eq!(err.code(), "missing_scope");
}

#[test]
fn each_kind_of_organisation_is_granted_only_what_its_staff_may_do() {
    for kind in OrganisationKind::all() {
        let grantable = Scope::grantable_to(kind);
        assert!(grantable.contains(&Scope::ComplaintsRead), "{kind}");
        let acting = Scope::acting_as(kind.staff_role()).unwrap();
        assert!(grantable.contains(&acting), "{kind}");
        for other in OrganisationKind::all().filter(|k| *k != kind) {
            let theirs = Scope::acting_as(other.staff_role()).unwrap();
            assert!(!grantable.contains(&theirs), "{kind} may act as {other}");
        }
    }
}

#[test]
fn who_reads_the_delivery_log_and_edits_the_templates() {
    use domain::{edit_templates, read_deliveries};
    let person = |role| Actor::person(Uuid::new_v4(), role, None);
    let city_key = Actor::service_account(
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        OrganisationKind::CityDepartment,
        Scope::all().collect::<Vec<_>>(),
    );
    // (who, reads the log, edits the templates)
    let table = [
        ("resident", person(Role::Resident), false, false),
        ("clerk", person(Role::Clerk), false, false),
        ("company", person(Role::Company), false, false),
        ("dispatcher", person(Role::Dispatcher), true, false),
        ("inspector", person(Role::Inspector), false, false),
        ("admin", person(Role::Admin), true, true),
        ("the city's API key", city_key, false, false),
    ];
    for (who, actor, reads, edits) in table {
        assert_eq!(read_deliveries(&actor).is_ok(), reads, "{who} reads");
        assert_eq!(edit_templates(&actor).is_ok(), edits, "{who} edits");
    }
}
