//! Messages off the screen: which event tells the person what, templates as data, quiet hours
//! and what a reply by SMS means.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, Utc};
use common::{Story, World, at, ordinary};
use domain::{
    Action, CallOutcome, Changed, Channel, Language, MessageKind, QuietHours, Reply, Template,
    TemplateError, Vars, author_message, company_message, default_templates, parse_reply,
};

#[test]
fn each_step_that_matters_tells_the_author_and_the_company() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let last = |s: &Story| s.events.last().unwrap().clone();
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        Some(MessageKind::Routed)
    );
    assert_eq!(
        company_message(&Changed::of(&last(&s))),
        Some(MessageKind::NewForCompany)
    );
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        None,
        "accepting is the company's business"
    );
    s.step(
        Action::ReportDone {
            note: "Готово".into(),
        },
        &w.company,
        at("2026-03-02T12:00:00+05:00"),
    );
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        Some(MessageKind::Done)
    );
    let call = |outcome| Action::RecordCall {
        outcome,
        comment: None,
    };
    s.step(
        call(CallOutcome::Unsatisfied),
        &w.dispatcher,
        at("2026-03-03T10:00:00+05:00"),
    );
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        Some(MessageKind::SecondRound)
    );
    assert_eq!(company_message(&Changed::of(&last(&s))), None);
    s.step(
        Action::ReportDone {
            note: "Переделали".into(),
        },
        &w.company,
        at("2026-03-03T12:00:00+05:00"),
    );
    s.step(
        call(CallOutcome::NotDone),
        &w.dispatcher,
        at("2026-03-04T10:00:00+05:00"),
    );
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        Some(MessageKind::ToInspection)
    );
    s.step(
        Action::RecordFindings {
            violation: true,
            findings: "Нарушение".into(),
        },
        &w.inspector,
        at("2026-03-04T12:00:00+05:00"),
    );
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        None,
        "still with the inspection: nothing new"
    );
    s.step(
        Action::RecordFindings {
            violation: false,
            findings: "Устранено".into(),
        },
        &w.inspector,
        at("2026-03-05T12:00:00+05:00"),
    );
    assert_eq!(
        author_message(&Changed::of(&last(&s)), &s.complaint),
        Some(MessageKind::Closed)
    );
}

#[test]
fn templates_are_data_and_never_guess() {
    let vars = Vars {
        number: Some("СУР-2026-000123".into()),
        pin: Some("402913".into()),
        lookup_url: Some("https://example.ru/status".into()),
        ..Vars::default()
    };
    let templates = default_templates();
    let receipt = &templates[&(MessageKind::Receipt, Channel::Sms, Language::Ru)];
    assert_eq!(
        receipt.render(&vars).unwrap().body,
        "Жалоба СУР-2026-000123 принята. PIN 402913. Статус: https://example.ru/status"
    );
    // Every default template names only known fields, in both languages.
    for ((kind, channel, _), template) in &templates {
        template.check().unwrap();
        assert_eq!(
            template.subject.is_some(),
            *channel == Channel::Email,
            "{kind}"
        );
        for language in Language::all() {
            assert!(
                templates.contains_key(&(*kind, *channel, language)),
                "{kind} {channel} {language}"
            );
        }
    }
    // A field no message has, or a brace left open, is refused at save time.
    let bad = Template {
        subject: None,
        body: "Жалоба {number}: {description}".into(),
    };
    assert_eq!(
        bad.check(),
        Err(TemplateError::UnknownField("description".into()))
    );
    let open = Template {
        subject: None,
        body: "Жалоба {number".into(),
    };
    assert_eq!(open.check(), Err(TemplateError::Unclosed));
    // A value a message does not have is an error, not an empty gap.
    let no_pin = Vars {
        number: Some("N".into()),
        ..Vars::default()
    };
    assert_eq!(
        receipt.render(&no_pin),
        Err(TemplateError::Missing("pin".into()))
    );
}

fn local(s: &str) -> DateTime<Utc> {
    at(&format!("{s}+05:00"))
}

#[test]
fn sms_to_residents_wait_out_the_night() {
    let quiet = QuietHours::default();
    let cases = [
        ("2026-03-02T10:00:00", "2026-03-02T10:00:00"),
        ("2026-03-02T20:59:00", "2026-03-02T20:59:00"),
        ("2026-03-02T21:00:00", "2026-03-03T09:00:00"),
        ("2026-03-02T23:30:00", "2026-03-03T09:00:00"),
        ("2026-03-03T03:00:00", "2026-03-03T09:00:00"),
        ("2026-03-03T09:00:00", "2026-03-03T09:00:00"),
    ];
    for (now, expected) in cases {
        assert_eq!(
            quiet.send_at(MessageKind::Done, false, local(now)),
            local(expected),
            "{now}"
        );
    }
    // One-time codes go at once: the person is waiting for them.
    let night = local("2026-03-03T03:00:00");
    assert_eq!(
        quiet.send_at(MessageKind::VerificationCode, false, night),
        night
    );
    // So does news of an emergency.
    assert_eq!(quiet.send_at(MessageKind::Done, true, night), night);
}

#[test]
fn replies_are_read_as_people_write_them() {
    for yes in ["1", " 1 ", "Да", "да!", "СДЕЛАНО", "Выполнено."] {
        assert_eq!(parse_reply(yes), Reply::Satisfied, "{yes}");
    }
    for no in ["2", "нет", "Нет.", "не сделано", "НЕ ВЫПОЛНЕНО"] {
        assert_eq!(parse_reply(no), Reply::Unsatisfied, "{no}");
    }
    for stop in ["СТОП", "стоп", "Stop"] {
        assert_eq!(parse_reply(stop), Reply::Stop, "{stop}");
    }
    assert_eq!(
        parse_reply("  вода так и не появилась "),
        Reply::Other("вода так и не появилась".into())
    );
    assert_eq!(parse_reply("12"), Reply::Other("12".into()));
}

#[test]
fn preferences_default_to_everything_offered_and_never_mute_what_must_go() {
    use domain::{Choice, Contact, Preferences, Role, channels_for};
    let none = Preferences::default();
    assert!(none.wants(Role::Resident, MessageKind::Done, Channel::Sms));
    assert!(none.wants(Role::Resident, MessageKind::Closed, Channel::Email));
    assert!(!none.wants(Role::Resident, MessageKind::NewForCompany, Channel::Email));
    assert!(none.wants(Role::Company, MessageKind::NewForCompany, Channel::Email));
    assert!(
        !none.wants(Role::Company, MessageKind::NewForCompany, Channel::Sms),
        "staff are not sent SMS"
    );

    let quiet = Preferences::new(
        [Choice {
            kind: MessageKind::Done,
            channel: Channel::Sms,
            enabled: false,
        }],
        None,
    );
    assert!(!quiet.wants(Role::Resident, MessageKind::Done, Channel::Sms));
    assert!(quiet.wants(Role::Resident, MessageKind::Done, Channel::Email));
    assert!(
        quiet.wants(Role::Resident, MessageKind::ReplyRequest, Channel::Sms),
        "a request to answer cannot be switched off"
    );
    let screen = quiet.choices(Role::Resident);
    assert_eq!(screen.len(), 15, "five kinds by three channels");
    assert!(screen.contains(&Choice {
        kind: MessageKind::Done,
        channel: Channel::Sms,
        enabled: false
    }));

    let phone = Contact {
        phone: Some("+79001234567".into()),
        email: Some("a@example.org".into()),
        sms_stopped: false,
    };
    assert_eq!(
        channels_for(MessageKind::Done, Role::Resident, &phone, &none),
        [Channel::Sms, Channel::Email]
    );
    assert_eq!(
        channels_for(MessageKind::Done, Role::Resident, &phone, &quiet),
        [Channel::Email]
    );
    let stopped = Contact {
        sms_stopped: true,
        ..phone.clone()
    };
    assert_eq!(
        channels_for(MessageKind::Receipt, Role::Resident, &stopped, &none),
        Vec::<Channel>::new(),
        "СТОП stops even receipts"
    );
    assert_eq!(
        channels_for(
            MessageKind::VerificationCode,
            Role::Resident,
            &stopped,
            &none
        ),
        [Channel::Sms],
        "a code the person asked for still goes"
    );
    assert_eq!(
        channels_for(
            MessageKind::Done,
            Role::Resident,
            &Contact::default(),
            &none
        ),
        Vec::<Channel>::new()
    );
}

#[test]
fn preferences_refuse_what_is_not_offered() {
    use domain::{Choice, DomainError, Preferences, Role};
    let not_offered = [Choice {
        kind: MessageKind::NewForCompany,
        channel: Channel::Email,
        enabled: false,
    }];
    assert!(matches!(
        Preferences::check(Role::Resident, &not_offered, None),
        Err(DomainError::Validation { .. })
    ));
    assert!(Preferences::check(Role::Company, &not_offered, Some(30)).is_ok());
    assert!(Preferences::check(Role::Company, &[], Some(1)).is_err());
    assert!(
        Preferences::check(Role::Resident, &[], Some(30)).is_err(),
        "digests are for staff"
    );
    let mandatory = [Choice {
        kind: MessageKind::Receipt,
        channel: Channel::Sms,
        enabled: false,
    }];
    assert!(Preferences::check(Role::Resident, &mandatory, None).is_err());
}

#[test]
fn retries_double_up_to_a_cap_then_give_up() {
    use chrono::Duration;
    use domain::Retry;
    let retry = Retry::default();
    assert_eq!(retry.wait_after(1), Some(Duration::seconds(30)));
    assert_eq!(retry.wait_after(2), Some(Duration::seconds(60)));
    assert_eq!(retry.wait_after(3), Some(Duration::seconds(120)));
    assert_eq!(retry.wait_after(6), Some(Duration::seconds(960)));
    assert_eq!(retry.wait_after(7), Some(Duration::minutes(30)), "capped");
    assert_eq!(retry.wait_after(8), None);
}

#[test]
fn sms_limits_count_per_number_and_in_all_but_not_codes() {
    use domain::SmsLimits;
    let limits = SmsLimits {
        per_person_per_day: 3,
        per_day: 100,
    };
    assert!(limits.allows(MessageKind::Done, 2, 50));
    assert!(!limits.allows(MessageKind::Done, 3, 50));
    assert!(!limits.allows(MessageKind::Closed, 0, 100));
    assert!(limits.allows(MessageKind::VerificationCode, 3, 100));
}

#[test]
fn a_reply_answers_only_a_complaint_waiting_for_it() {
    use domain::{ReplyOutcome, reply_outcome};
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    assert_eq!(
        reply_outcome(&Reply::Unsatisfied, "2", Some(&s.complaint)),
        ReplyOutcome::ShowToDispatchers,
        "not waiting for an answer yet"
    );
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(
        Action::ReportDone {
            note: "Готово".into(),
        },
        &w.company,
        at("2026-03-02T12:00:00+05:00"),
    );
    assert_eq!(
        reply_outcome(&Reply::Unsatisfied, " Нет ", Some(&s.complaint)),
        ReplyOutcome::Answer(Action::ResidentAnswer {
            satisfied: false,
            comment: Some("SMS: Нет".into())
        })
    );
    assert_eq!(
        reply_outcome(&Reply::Stop, "СТОП", Some(&s.complaint)),
        ReplyOutcome::StopSms
    );
    assert_eq!(
        reply_outcome(&Reply::Other("когда?".into()), "когда?", Some(&s.complaint)),
        ReplyOutcome::ShowToDispatchers
    );
    assert_eq!(
        reply_outcome(&Reply::Satisfied, "1", None),
        ReplyOutcome::ShowToDispatchers,
        "an unknown number changes nothing"
    );
}

#[test]
fn the_applicant_answers_by_sms_on_their_own_complaint_only() {
    use domain::{Actor, apply, can_view};
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let other = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    s.step(
        Action::ReportDone {
            note: "Готово".into(),
        },
        &w.company,
        at("2026-03-02T12:00:00+05:00"),
    );
    let applicant = Actor::applicant(s.complaint.id);
    assert!(can_view(&s.complaint, &applicant));
    assert!(!can_view(&other.complaint, &applicant));
    let answer = Action::ResidentAnswer {
        satisfied: false,
        comment: Some("SMS: 2".into()),
    };
    let t = apply(
        &s.complaint,
        &answer,
        &applicant,
        at("2026-03-02T13:00:00+05:00"),
        &w.policy,
        &w.calendar,
    )
    .unwrap();
    assert_eq!(t.complaint.status, domain::Status::InProgress);
    assert_eq!(t.complaint.round, 2);
    assert!(matches!(
        t.event.actor,
        domain::Principal::Applicant { complaint_id } if complaint_id == s.complaint.id
    ));
    assert!(
        apply(
            &s.complaint,
            &Action::Accept,
            &applicant,
            at("2026-03-02T13:00:00+05:00"),
            &w.policy,
            &w.calendar
        )
        .is_err()
    );
}

#[test]
fn news_older_than_a_day_stays_in_the_app() {
    let happened = at("2026-03-02T10:00:00+05:00");
    assert!(!domain::too_late_to_send(
        happened,
        at("2026-03-03T09:59:00+05:00")
    ));
    assert!(domain::too_late_to_send(
        happened,
        at("2026-03-03T10:01:00+05:00")
    ));
}

#[test]
fn the_morning_begins_when_the_night_ends() {
    let quiet = QuietHours::default();
    assert_eq!(quiet.morning_of(local("2026-03-03T08:59:00")), None);
    assert_eq!(
        quiet.morning_of(local("2026-03-03T09:00:00")),
        chrono::NaiveDate::from_ymd_opt(2026, 3, 3)
    );
    assert_eq!(quiet.morning_of(local("2026-03-03T21:00:00")), None);
}
