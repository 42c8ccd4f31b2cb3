//! Messages off the screen: which event tells the person what, templates as data, quiet hours
//! and what a reply by SMS means.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, Utc};
use common::{Story, World, at, ordinary};
use domain::{
    Action, CallOutcome, Channel, Language, MessageKind, QuietHours, Reply, Template,
    TemplateError, Vars, author_message, company_message, default_templates, parse_reply,
};

#[test]
fn each_step_that_matters_tells_the_author_and_the_company() {
    let w = World::new();
    let mut s = Story::start(&w, w.file(ordinary(), at("2026-03-02T10:00:00+05:00")));
    let last = |s: &Story| s.events.last().unwrap().clone();
    assert_eq!(author_message(&last(&s)), Some(MessageKind::Routed));
    assert_eq!(company_message(&last(&s)), Some(MessageKind::NewForCompany));
    s.step(Action::Accept, &w.company, at("2026-03-02T11:00:00+05:00"));
    assert_eq!(
        author_message(&last(&s)),
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
    assert_eq!(author_message(&last(&s)), Some(MessageKind::Done));
    let call = |outcome| Action::RecordCall {
        outcome,
        comment: None,
    };
    s.step(
        call(CallOutcome::Unsatisfied),
        &w.dispatcher,
        at("2026-03-03T10:00:00+05:00"),
    );
    assert_eq!(author_message(&last(&s)), Some(MessageKind::SecondRound));
    assert_eq!(company_message(&last(&s)), None);
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
    assert_eq!(author_message(&last(&s)), Some(MessageKind::ToInspection));
    s.step(
        Action::RecordFindings {
            violation: true,
            findings: "Нарушение".into(),
        },
        &w.inspector,
        at("2026-03-04T12:00:00+05:00"),
    );
    assert_eq!(
        author_message(&last(&s)),
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
    assert_eq!(author_message(&last(&s)), Some(MessageKind::Closed));
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
            quiet.send_at(MessageKind::Done, local(now)),
            local(expected),
            "{now}"
        );
    }
    // One-time codes go at once: the person is waiting for them.
    let night = local("2026-03-03T03:00:00");
    assert_eq!(quiet.send_at(MessageKind::VerificationCode, night), night);
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
