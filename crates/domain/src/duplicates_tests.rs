#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::*;
use crate::{Category, Complaint, Deadline, Status};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-07T09:00:00+05:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn complaint(status: Status) -> Complaint {
    Complaint {
        id: Uuid::now_v7(),
        status,
        round: 1,
        urgent: false,
        author_id: Some(Uuid::now_v7()),
        filed_by: Uuid::now_v7(),
        company_id: Some(Uuid::now_v7()),
        category: Category {
            id: Uuid::now_v7(),
            code: "heating".into(),
            emergency: false,
            deadline: Deadline::WorkingDays(5),
        },
        registered_at: now() - Duration::days(1),
        due_at: None,
        answer_due_at: now() + Duration::days(29),
        answer_extended: false,
        paused_since: None,
        unanswered_calls: 0,
        executor: None,
        order: None,
        violation_found: false,
        version: 1,
    }
}

fn candidate(text: &str, category_id: Uuid, days_ago: i64) -> Candidate<'_> {
    Candidate {
        id: Uuid::now_v7(),
        category_id,
        text,
        registered_at: now() - Duration::days(days_ago),
        open: true,
        public: true,
    }
}

#[test]
fn stems_are_lowercase_prefixes_of_longer_words() {
    let stems = word_stems("Холодные БАТАРЕИ в подъезде, всё ещё!");
    assert!(stems.contains("холод") && stems.contains("батар") && stems.contains("подъе"));
    assert!(!stems.iter().any(|s| s == "в" || s == "всё" || s == "все"));
    assert_eq!(word_stems("батарея"), word_stems("батарею"));
}

#[test]
fn the_same_category_and_shared_words_rank_first() {
    let heating = Uuid::now_v7();
    let other = Uuid::now_v7();
    let list = [
        candidate("Не убран мусор во дворе", other, 1),
        candidate("Холодная батарея в квартире", heating, 3),
        candidate("Батареи холодные весь подъезд", heating, 2),
        candidate("Лифт стоит", heating, 1),
    ];
    let ranked = rank_similar(&list, Some(heating), "холодные батареи", 10);
    let ids: Vec<Uuid> = ranked.iter().map(|s| s.id).collect();
    // Both heating complaints share two words (newest first), then the lift by category only.
    assert_eq!(ids, vec![list[2].id, list[1].id, list[3].id]);
    assert!(ranked[0].score > ranked[2].score);
}

#[test]
fn closed_private_and_unlike_complaints_are_never_suggested_and_the_list_is_short() {
    let heating = Uuid::now_v7();
    let mut closed = candidate("холодные батареи", heating, 1);
    closed.open = false;
    let mut private = candidate("холодные батареи", heating, 1);
    private.public = false;
    let unlike = candidate("мусор", Uuid::now_v7(), 1);
    assert!(rank_similar(&[closed, private, unlike], Some(heating), "батареи", 5).is_empty());
    let many: Vec<_> = (0..20).map(|i| candidate("батареи", heating, i)).collect();
    assert_eq!(
        rank_similar(&many, None, "батареи", 100).len(),
        MAX_SUGGESTIONS
    );
}

#[test]
fn only_those_who_file_and_dispatchers_see_suggestions() {
    for role in [Role::Resident, Role::Clerk, Role::Dispatcher] {
        assert!(may_suggest(&Actor::person(Uuid::now_v7(), role, None)).is_ok());
    }
    for role in [Role::Company, Role::Inspector, Role::Admin] {
        let err = may_suggest(&Actor::person(Uuid::now_v7(), role, None)).unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}

#[test]
fn residents_and_clerks_join_open_complaints_only() {
    let c = complaint(Status::InProgress);
    let resident = Actor::person(Uuid::now_v7(), Role::Resident, None);
    assert_eq!(
        follow(&resident, &c, None, DailyQuota::UNLIMITED).unwrap(),
        Follower::User(resident.id())
    );
    let author = Actor::person(c.author_id.unwrap(), Role::Resident, None);
    assert_eq!(
        follow(&author, &c, None, DailyQuota::UNLIMITED)
            .unwrap_err()
            .code(),
        "precondition_failed"
    );
    let clerk = Actor::person(Uuid::now_v7(), Role::Clerk, None);
    let person = FollowerPerson {
        phone: PhoneNumber::parse("+7 922 123-45-67").unwrap(),
        consent: Consent::stated_by_partner(),
    };
    assert!(matches!(
        follow(&clerk, &c, Some(person.clone()), DailyQuota::UNLIMITED).unwrap(),
        Follower::Phone { .. }
    ));
    let no_consent = FollowerPerson {
        consent: Consent {
            accepted: false,
            version: crate::CONSENT_VERSION.into(),
        },
        ..person.clone()
    };
    let err = follow(&clerk, &c, Some(no_consent), DailyQuota::UNLIMITED).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert_eq!(
        follow(&clerk, &c, None, DailyQuota::UNLIMITED)
            .unwrap_err()
            .code(),
        "validation"
    );
    let company = Actor::person(Uuid::now_v7(), Role::Company, c.company_id);
    assert_eq!(
        follow(&company, &c, None, DailyQuota::UNLIMITED)
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let closed = complaint(Status::Closed);
    assert_eq!(
        follow(&resident, &closed, None, DailyQuota::UNLIMITED)
            .unwrap_err()
            .code(),
        "closed"
    );
    let used_up = DailyQuota { limit: 1, used: 1 };
    assert_eq!(
        follow(&resident, &c, None, used_up).unwrap_err().code(),
        "limit_reached"
    );
}

#[test]
fn links_to_itself_in_a_cycle_or_to_a_closed_complaint_elsewhere_are_refused() {
    let here = Uuid::now_v7();
    let elsewhere = Uuid::now_v7();
    let dup = complaint(Status::Registered);
    let open = complaint(Status::InProgress);
    let closed = complaint(Status::Closed);
    let end = |complaint, building_id| LinkEnd {
        complaint,
        building_id,
    };
    let code = |r: Result<(), DomainError>| r.unwrap_err().code();
    assert_eq!(
        code(check_link(end(&dup, here), end(&dup, here), &[])),
        "link_to_itself"
    );
    assert_eq!(
        code(check_link(
            end(&dup, here),
            end(&open, here),
            &[Uuid::now_v7(), dup.id]
        )),
        "link_cycle"
    );
    assert_eq!(
        code(check_link(end(&dup, here), end(&closed, elsewhere), &[])),
        "link_to_closed_elsewhere"
    );
    assert!(check_link(end(&dup, here), end(&closed, here), &[]).is_ok());
    assert!(check_link(end(&dup, here), end(&open, elsewhere), &[]).is_ok());
}

#[test]
fn followers_hear_of_status_changes_only() {
    let text = follower_text(Some(Status::InProgress), Status::Closed, "СУР-2026-000001");
    assert!(text.unwrap().contains("СУР-2026-000001"));
    assert!(follower_text(Some(Status::InProgress), Status::InProgress, "N").is_none());
    assert!(follower_text(None, Status::Registered, "N").is_none());
}
