//! SMS and e-mail through real gateways: the local SMS centre (SMPP) and mail server (SMTP) of
//! `tests/sinks`, the worker driven with a clock of the test's choosing.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, User, fixtures, spawn_app_with};
use crate::sinks::{MailSink, Smsc, eventually};

/// Like `on_both_databases!`, with an SMS centre and a mail server of the test's own.
macro_rules! on_both_databases_with_sinks {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::with_sinks($crate::helpers::Backend::Sqlite, super::$name).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::with_sinks($crate::helpers::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

on_both_databases_with_sinks!(
    a_clerks_filing_sends_the_receipt_with_number_and_pin,
    a_reply_2_to_the_done_sms_opens_the_second_round,
    quiet_hours_hold_an_sms_until_nine,
    stop_stops_sms_to_the_number,
    an_smsc_restart_loses_and_duplicates_nothing,
    the_author_gets_status_by_e_mail_and_staff_new_complaints,
    a_person_out_of_reach_is_asked_by_sms_before_the_complaint_closes,
    staff_may_take_new_complaints_as_a_digest_and_mornings_bring_summaries,
);

/// What a test gets: the app, bound to its own SMS centre and mail server.
pub(crate) struct Sinks {
    pub app: TestApp,
    pub smsc: Smsc,
    pub mail: MailSink,
}

pub(crate) async fn with_sinks<F, Fut>(backend: crate::helpers::Backend, test: F)
where
    F: FnOnce(Sinks) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let smsc = Smsc::start().await;
    let mail = MailSink::start().await;
    let mut env = smsc.env();
    env.extend(mail.env());
    let app = spawn_app_with(
        backend,
        Options {
            env,
            ..Options::default()
        },
    )
    .await;
    eventually(
        StdDuration::from_secs(20),
        "the app binds to the SMSC",
        || smsc.bound(),
    )
    .await;
    test(Sinks { app, smsc, mail }).await;
}

pub(crate) const PHONE: &str = "+79221234567";

/// Files a complaint through the clerk for a person without an account; returns the 201 body.
pub(crate) async fn clerk_files(app: &TestApp, phone: &str) -> Value {
    let (building, category, _) = fixtures(app).await;
    let clerk = User::new(app, "clerk").await;
    let response = clerk
        .post(
            "/api/v1/complaints",
            &json!({
                "building_id": building, "category_id": category, "flat": "7",
                "description": "Не работает освещение в подъезде",
                "applicant": { "name": "Петров Иван Сергеевич", "phone": phone,
                               "consent": { "accepted": true, "version": "2026-01" } }
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// The first `hour`:`minute` UTC after now: the worker's clock runs ahead of the filing by less
/// than a day (older news is not sent off the screen).
fn next_utc(hour: u32, minute: u32) -> DateTime<Utc> {
    let now = Utc::now();
    let today = now
        .date_naive()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc();
    if today > now {
        today
    } else {
        today + Duration::days(1)
    }
}

/// The next 12:00 in Surgut (UTC+5): outside the quiet hours.
pub(crate) fn noon() -> DateTime<Utc> {
    next_utc(7, 0)
}

/// Runs the worker at `now` until the SMS centre has received `count` messages in all.
pub(crate) async fn tick_until_sms(s: &Sinks, now: DateTime<Utc>, count: usize) {
    eventually(StdDuration::from_secs(20), "the SMS arrive", || async {
        api::worker::tick(&s.app.state, now).await.unwrap();
        s.smsc.messages().len() >= count
    })
    .await;
}

async fn a_clerks_filing_sends_the_receipt_with_number_and_pin(s: Sinks) {
    let filed = clerk_files(&s.app, PHONE).await;
    let number = filed["complaint"]["number"].as_str().unwrap();
    let pin = filed["pin"].as_str().unwrap();
    tick_until_sms(&s, noon(), 1).await;
    let texts = s.smsc.texts_to(PHONE);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains(number), "{}", texts[0]);
    assert!(texts[0].contains(pin), "{}", texts[0]);
    assert!(texts[0].contains("/status?number="), "{}", texts[0]);

    // The administrator's view never shows the PIN, and the receipt of the SMS centre arrives.
    let id: uuid::Uuid = filed["complaint"]["id"].as_str().unwrap().parse().unwrap();
    eventually(
        StdDuration::from_secs(10),
        "the delivery receipt",
        || async {
            api::worker::tick(&s.app.state, noon()).await.unwrap();
            persistence::messaging::deliveries::of_complaint(&s.app.state.db, id)
                .await
                .unwrap()
                .iter()
                .any(|d| d.state == domain::DeliveryState::Delivered)
        },
    )
    .await;
    let stored = persistence::messaging::deliveries::of_complaint(&s.app.state.db, id)
        .await
        .unwrap();
    let receipt = stored
        .iter()
        .find(|d| d.kind == domain::MessageKind::Receipt)
        .unwrap();
    assert!(!receipt.shown_body.contains(pin), "{}", receipt.shown_body);
    assert!(receipt.shown_body.contains("••••••"));
    assert_eq!(receipt.segments, Some(2), "{} (UCS-2)", receipt.shown_body);
    assert_eq!(receipt.receipt_status.as_deref(), Some("DELIVRD"));
}

async fn a_reply_2_to_the_done_sms_opens_the_second_round(s: Sinks) {
    let filed = clerk_files(&s.app, PHONE).await;
    let company = User::new(&s.app, "company").await;
    let c = filed["complaint"].clone();
    let c = company.ok(&c, json!({ "type": "accept" })).await;
    company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Заменили лампы" }),
        )
        .await;
    // The receipt, then "done?".
    tick_until_sms(&s, noon(), 2).await;
    let texts = s.smsc.texts_to(PHONE);
    assert!(texts.iter().any(|t| t.contains("Ответьте 1")), "{texts:?}");

    s.smsc.reply(PHONE, "2").await;
    let dispatcher = User::new(&s.app, "dispatcher").await;
    let id = c["id"].as_str().unwrap();
    eventually(
        StdDuration::from_secs(20),
        "the answer is recorded",
        || async {
            api::worker::tick(&s.app.state, noon()).await.unwrap();
            dispatcher
                .get_json(&format!("/api/v1/complaints/{id}"))
                .await["status"]
                == "in_progress"
        },
    )
    .await;
    let complaint = dispatcher
        .get_json(&format!("/api/v1/complaints/{id}"))
        .await;
    assert_eq!(complaint["round"], 2);
    assert_eq!(complaint["urgent"], true);
    let history = dispatcher
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    let answer = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "resident_answer")
        .expect("the answer has its own history entry")
        .clone();
    assert_eq!(answer["actor_kind"], "applicant");
    assert_eq!(answer["comment"], "SMS: 2");
    assert_eq!(answer["details"]["satisfied"], false);

    // The person hears that it is back in work; a second "2" changes nothing.
    tick_until_sms(&s, noon(), 3).await;
    assert!(
        s.smsc
            .texts_to(PHONE)
            .last()
            .is_some_and(|t| t.contains("снова в работе"))
    );
    s.smsc.reply(PHONE, "2").await;
    eventually(StdDuration::from_secs(10), "the reply is read", || async {
        let report = api::worker::tick(&s.app.state, noon()).await.unwrap();
        report.inbound.shown == 1
    })
    .await;
    assert_eq!(
        dispatcher
            .get_json(&format!("/api/v1/complaints/{id}"))
            .await["round"],
        2
    );
}

async fn quiet_hours_hold_an_sms_until_nine(s: Sinks) {
    let filed = clerk_files(&s.app, PHONE).await;
    let company = User::new(&s.app, "company").await;
    let c = company
        .ok(&filed["complaint"], json!({ "type": "accept" }))
        .await;
    company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Заменили лампы" }),
        )
        .await;
    let id: uuid::Uuid = c["id"].as_str().unwrap().parse().unwrap();
    // 22:30 in Surgut: "done?" waits for the morning.
    let night = next_utc(17, 30);
    api::worker::tick(&s.app.state, night).await.unwrap();
    let nine = (night + Duration::days(1))
        .date_naive()
        .and_hms_opt(4, 0, 0)
        .unwrap()
        .and_utc();
    let deliveries = persistence::messaging::deliveries::of_complaint(&s.app.state.db, id)
        .await
        .unwrap();
    let done = deliveries
        .iter()
        .find(|d| d.kind == domain::MessageKind::Done && d.channel == domain::Channel::Sms)
        .expect("the done SMS is queued");
    assert_eq!(done.not_before, nine);
    assert_eq!(done.state, domain::DeliveryState::Queued);
    let asks = |s: &Sinks| {
        s.smsc
            .texts_to(PHONE)
            .iter()
            .any(|t| t.contains("Ответьте 1"))
    };
    for _ in 0..3 {
        api::worker::tick(&s.app.state, nine - Duration::minutes(1))
            .await
            .unwrap();
    }
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert!(
        !asks(&s),
        "nothing before nine: {:?}",
        s.smsc.texts_to(PHONE)
    );
    eventually(
        StdDuration::from_secs(20),
        "the SMS goes at nine",
        || async {
            api::worker::tick(&s.app.state, nine).await.unwrap();
            asks(&s)
        },
    )
    .await;
}

async fn stop_stops_sms_to_the_number(s: Sinks) {
    clerk_files(&s.app, PHONE).await;
    tick_until_sms(&s, noon(), 1).await;
    s.smsc.reply(PHONE, "СТОП").await;
    eventually(StdDuration::from_secs(10), "СТОП is read", || async {
        api::worker::tick(&s.app.state, noon())
            .await
            .unwrap()
            .inbound
            .stopped
            == 1
    })
    .await;
    let before = s.smsc.texts_to(PHONE).len();
    // A new filing for the same number: no receipt, no status SMS.
    clerk_files(&s.app, PHONE).await;
    for _ in 0..3 {
        api::worker::tick(&s.app.state, noon()).await.unwrap();
    }
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(s.smsc.texts_to(PHONE).len(), before);
    // Another number still gets its messages.
    clerk_files(&s.app, "+79221234568").await;
    tick_until_sms(&s, noon(), before + 1).await;
    assert_eq!(s.smsc.texts_to("+79221234568").len(), 1);
}

async fn an_smsc_restart_loses_and_duplicates_nothing(mut s: Sinks) {
    let phones: Vec<String> = (0..6).map(|i| format!("+7922555000{i}")).collect();
    let mut numbers = Vec::new();
    for phone in &phones[..3] {
        numbers.push(clerk_files(&s.app, phone).await["complaint"]["number"].clone());
    }
    tick_until_sms(&s, noon(), 3).await;
    s.smsc.kill();
    for phone in &phones[3..] {
        numbers.push(clerk_files(&s.app, phone).await["complaint"]["number"].clone());
    }
    // The SMS centre is down: the deliveries record the error and wait.
    let report = api::worker::tick(&s.app.state, noon()).await.unwrap();
    assert_eq!(report.sms.sent, 0, "{report:?}");
    assert!(report.sms.retried > 0, "{report:?}");
    s.smsc.restart().await;
    eventually(StdDuration::from_secs(30), "the client binds again", || {
        s.smsc.bound()
    })
    .await;
    // Retries are due after their wait.
    tick_until_sms(&s, noon() + Duration::minutes(5), 6).await;
    for _ in 0..3 {
        api::worker::tick(&s.app.state, noon() + Duration::minutes(10))
            .await
            .unwrap();
    }
    for (phone, number) in phones.iter().zip(&numbers) {
        let texts = s.smsc.texts_to(phone);
        let receipts = texts
            .iter()
            .filter(|t| t.contains(number.as_str().unwrap()) && t.contains("PIN"))
            .count();
        assert_eq!(receipts, 1, "{phone}: {texts:?}");
        assert_eq!(texts.len(), 1, "{phone}: {texts:?}");
    }
}

async fn the_author_gets_status_by_e_mail_and_staff_new_complaints(s: Sinks) {
    let (building, category, _) = fixtures(&s.app).await;
    let resident = User::new(&s.app, "resident").await;
    let c = resident.file(&building, &category, "Течёт крыша").await["complaint"].clone();
    let company = User::new(&s.app, "company").await;
    let c = company.ok(&c, json!({ "type": "accept" })).await;
    company
        .ok(&c, json!({ "type": "report_done", "note": "Залатали" }))
        .await;
    let number = c["number"].as_str().unwrap();
    eventually(StdDuration::from_secs(20), "the e-mails arrive", || async {
        api::worker::tick(&s.app.state, noon()).await.unwrap();
        !s.mail.to("resident@demo.test").is_empty() && !s.mail.to("company@demo.test").is_empty()
    })
    .await;
    let to_resident = s.mail.to("resident@demo.test");
    let done = to_resident
        .iter()
        .find(|m| m["subject"].as_str().unwrap().contains("выполнено"))
        .expect("the done e-mail");
    assert!(done["subject"].as_str().unwrap().contains(number));
    assert!(done["text"].as_str().unwrap().contains("/status?number="));
    assert!(
        !done["text"].as_str().unwrap().contains("Течёт крыша"),
        "never the description"
    );
    let to_staff = s.mail.to("company@demo.test");
    assert!(to_staff[0]["subject"].as_str().unwrap().contains(number));
    // And by SMS, since the resident has a phone and never switched it off.
    assert!(
        s.smsc
            .texts_to("+79220000001")
            .iter()
            .any(|t| t.contains(number) && t.contains("Ответьте 1"))
    );
}

async fn a_person_out_of_reach_is_asked_by_sms_before_the_complaint_closes(s: Sinks) {
    let company = User::new(&s.app, "company").await;
    let dispatcher = User::new(&s.app, "dispatcher").await;
    let mut ids = Vec::new();
    for phone in [PHONE, "+79221234568"] {
        let filed = clerk_files(&s.app, phone).await;
        let c = company
            .ok(&filed["complaint"], json!({ "type": "accept" }))
            .await;
        let mut c = company
            .ok(&c, json!({ "type": "report_done", "note": "Готово" }))
            .await;
        for _ in 0..3 {
            c = dispatcher
                .ok(&c, json!({ "type": "record_call", "outcome": "no_answer" }))
                .await;
        }
        assert_eq!(c["status"], "awaiting_verification", "it waits for a reply");
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    // Receipt, "done?" and "we could not reach you" to each.
    tick_until_sms(&s, noon(), 6).await;
    assert!(
        s.smsc
            .texts_to(PHONE)
            .iter()
            .any(|t| t.contains("не дозвонились"))
    );
    // One person answers "1": closed as satisfied. The other stays silent: after the wait the
    // complaint closes unconfirmed, as the system.
    s.smsc.reply(PHONE, "да").await;
    eventually(
        StdDuration::from_secs(20),
        "the answer is recorded",
        || async {
            api::worker::tick(&s.app.state, noon()).await.unwrap();
            dispatcher
                .get_json(&format!("/api/v1/complaints/{}", ids[0]))
                .await["status"]
                == "closed"
        },
    )
    .await;
    let wait_over = noon() + Duration::hours(25);
    api::worker::tick(&s.app.state, wait_over).await.unwrap();
    let silent = dispatcher
        .get_json(&format!("/api/v1/complaints/{}", ids[1]))
        .await;
    assert_eq!(silent["status"], "closed_unconfirmed");
}

async fn staff_may_take_new_complaints_as_a_digest_and_mornings_bring_summaries(s: Sinks) {
    let (building, category, _) = fixtures(&s.app).await;
    let company = User::new(&s.app, "company").await;
    let me = company.get_json("/api/v1/me").await;
    let company_user: uuid::Uuid = me["id"].as_str().unwrap().parse().unwrap();
    persistence::messaging::preferences::save(
        &s.app.state.db,
        company_user,
        &[],
        domain::Language::Ru,
        Some(30),
        Utc::now(),
    )
    .await
    .unwrap();
    let resident = User::new(&s.app, "resident").await;
    let mut numbers = Vec::new();
    for text in ["Нет отопления в квартире", "Не работает домофон"]
    {
        numbers.push(
            resident.file(&building, &category, text).await["complaint"]["number"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let start = noon();
    api::worker::tick(&s.app.state, start).await.unwrap();
    api::worker::tick(&s.app.state, start + Duration::minutes(10))
        .await
        .unwrap();
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    let digests = |s: &Sinks| {
        s.mail
            .to("company@demo.test")
            .into_iter()
            .filter(|m| m["subject"].as_str().unwrap().starts_with("Новые жалобы"))
            .collect::<Vec<_>>()
    };
    assert!(digests(&s).is_empty(), "not before the interval");
    eventually(StdDuration::from_secs(20), "the digest arrives", || async {
        api::worker::tick(&s.app.state, Utc::now().max(start) + Duration::minutes(31))
            .await
            .unwrap();
        !digests(&s).is_empty()
    })
    .await;
    let digest = digests(&s);
    assert_eq!(digest.len(), 1, "one digest for both");
    assert_eq!(digest[0]["subject"], "Новые жалобы: 2");
    for number in &numbers {
        assert!(
            digest[0]["text"]
                .as_str()
                .unwrap()
                .contains(number.as_str())
        );
    }

    // Days later, past the deadline: the morning brings the overdue list and the city summary.
    let morning = next_utc(5, 0) + Duration::days(20);
    eventually(
        StdDuration::from_secs(20),
        "the morning e-mails arrive",
        || async {
            api::worker::tick(&s.app.state, morning).await.unwrap();
            s.mail.to("company@demo.test").iter().any(|m| {
                m["subject"]
                    .as_str()
                    .unwrap()
                    .starts_with("Просроченные жалобы")
            }) && s
                .mail
                .to("dispatcher@demo.test")
                .iter()
                .any(|m| m["subject"].as_str().unwrap().starts_with("Сводка за"))
        },
    )
    .await;
    let overdue = s
        .mail
        .to("company@demo.test")
        .into_iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Просроченные жалобы")
        })
        .unwrap();
    assert_eq!(overdue["subject"], "Просроченные жалобы: 2");
    // Once a day, however many passes.
    let summaries = |s: &Sinks| {
        s.mail
            .to("dispatcher@demo.test")
            .iter()
            .filter(|m| m["subject"].as_str().unwrap().starts_with("Сводка за"))
            .count()
    };
    let before = summaries(&s);
    api::worker::tick(&s.app.state, morning + Duration::hours(1))
        .await
        .unwrap();
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(summaries(&s), before);
}
