//! Signed webhooks to a receiver that verifies every delivery with `standardwebhooks`, the
//! Standard Webhooks reference library (`tests/sinks/webhooks.py`); the worker is driven with a
//! clock of the test's choosing.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with};
use crate::sinks::{WebhookReceiver, eventually};

macro_rules! on_both_databases_with_receiver {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::with_receiver($crate::helpers::Backend::Sqlite, super::$name).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::with_receiver($crate::helpers::Backend::Postgres, super::$name).await;
                }
            }
        )*
    };
}

on_both_databases_with_receiver!(
    the_story_reaches_the_company_and_the_city_signed_masked_and_in_order,
    a_receiver_answering_500_twice_gets_the_event_three_times_with_one_id,
    a_rotated_secret_signs_beside_the_new_one_during_the_grace,
    events_of_a_complaint_wait_for_the_earlier_ones,
    an_endpoint_failing_for_a_day_is_switched_off_and_its_owner_told,
    events_are_replayed_by_id_and_by_time_range,
    keys_keep_only_their_own_subscriptions,
);

struct Setup {
    app: TestApp,
    receiver: WebhookReceiver,
}

async fn with_receiver<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Setup) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let receiver = WebhookReceiver::start().await;
    let app = spawn_app_with(backend, Options::default()).await;
    test(Setup { app, receiver }).await;
}

async fn organisation_of(app: &TestApp, role: &str) -> String {
    User::new(app, role).await.get_json("/api/v1/me").await["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Subscribes `url` for the organisation of the demo user `role`; returns the answer (with
/// the secret).
async fn subscribe(app: &TestApp, role: &str, url: &str, types: &[&str]) -> Value {
    let admin = User::new(app, "admin").await;
    let organisation = organisation_of(app, role).await;
    let response = admin
        .post(
            "/api/v1/webhooks",
            &json!({ "organisation_id": organisation, "url": url, "event_types": types }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    created
}

fn secret(created: &Value) -> String {
    created["secret"].as_str().unwrap().to_owned()
}

/// Runs the worker at `now` until `condition` holds.
async fn tick_until<F, Fut>(app: &TestApp, now: DateTime<Utc>, what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + StdDuration::from_secs(20);
    loop {
        api::worker::tick(&app.state, now).await.unwrap();
        if condition().await {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not within 20 s"
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

const ALL: &[&str] = &[
    "complaint.filed",
    "complaint.routed",
    "complaint.accepted",
    "complaint.done",
    "complaint.call_recorded",
    "complaint.round_opened",
    "complaint.closed",
];

async fn the_story_reaches_the_company_and_the_city_signed_masked_and_in_order(s: Setup) {
    let app = &s.app;
    let company = subscribe(app, "company", &s.receiver.url("company"), ALL).await;
    let city = subscribe(app, "dispatcher", &s.receiver.url("city"), ALL).await;
    let other = subscribe(app, "company2", &s.receiver.url("other"), ALL).await;
    s.receiver
        .configure("company", &[&secret(&company)], 0, 200)
        .await;
    s.receiver
        .configure("city", &[&secret(&city)], 0, 204)
        .await;
    s.receiver
        .configure("other", &[&secret(&other)], 0, 200)
        .await;

    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    let staff = User::new(app, "company").await;
    let dispatcher = User::new(app, "dispatcher").await;
    let c = resident
        .file(&building, &category, "Течёт крыша над кв. 12")
        .await["complaint"]
        .clone();
    let c = staff.ok(&c, json!({ "type": "accept" })).await;
    let c = staff
        .ok(&c, json!({ "type": "report_done", "note": "Залатали" }))
        .await;
    let c = dispatcher
        .ok(
            &c,
            json!({ "type": "record_call", "outcome": "unsatisfied" }),
        )
        .await;
    let c = staff
        .ok(&c, json!({ "type": "report_done", "note": "Переделали" }))
        .await;
    dispatcher
        .ok(&c, json!({ "type": "record_call", "outcome": "satisfied" }))
        .await;

    let expected = [
        "complaint.filed",
        "complaint.routed",
        "complaint.accepted",
        "complaint.done",
        "complaint.call_recorded",
        "complaint.round_opened",
        "complaint.done",
        "complaint.call_recorded",
        "complaint.closed",
    ];
    for name in ["company", "city"] {
        tick_until(app, Utc::now(), "every event arrives", || async {
            s.receiver.accepted_types(name).await.len() >= expected.len()
        })
        .await;
        let received = s.receiver.received(name).await;
        let types: Vec<&str> = received
            .iter()
            .map(|d| d["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, expected, "{name}");
        let mut ids: Vec<&str> = received
            .iter()
            .map(|d| d["webhook_id"].as_str().unwrap())
            .collect();
        for delivery in &received {
            assert_eq!(delivery["verified"], true, "{name}: {delivery}");
            assert_eq!(delivery["signatures"], 1);
            let body: Value = serde_json::from_str(delivery["body"].as_str().unwrap()).unwrap();
            assert_eq!(body["data"]["number"], c["number"]);
            // 152-ФЗ: the applicant's phone as the organisation's staff see it.
            let complaint = &body["data"]["complaint"];
            assert_eq!(complaint["applicant"]["phone_masked"], true, "{complaint}");
            assert!(
                complaint["applicant"]["phone"]
                    .as_str()
                    .is_none_or(|p| p.contains('*')),
                "{complaint}"
            );
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), expected.len(), "one id per event");
    }
    let last: Value = serde_json::from_str(
        s.receiver.received("city").await.last().unwrap()["body"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["data"]["from"], "awaiting_verification");
    assert_eq!(last["data"]["to"], "closed");
    // Another company's endpoint hears nothing of complaints it may not see.
    assert!(s.receiver.received("other").await.is_empty());
}

async fn a_receiver_answering_500_twice_gets_the_event_three_times_with_one_id(s: Setup) {
    let app = &s.app;
    let created = subscribe(
        app,
        "company",
        &s.receiver.url("flaky"),
        &["complaint.filed"],
    )
    .await;
    s.receiver
        .configure("flaky", &[&secret(&created)], 2, 200)
        .await;
    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    resident
        .file(&building, &category, "Нет света в подъезде")
        .await;

    // The schedule: at once, 5 s later, 5 min later (each ± a fifth).
    let start = Utc::now();
    for (at, count) in [
        (start, 1),
        (start + Duration::seconds(7), 2),
        (start + Duration::minutes(7), 3),
    ] {
        tick_until(app, at, "the next attempt", || async {
            s.receiver.received("flaky").await.len() >= count
        })
        .await;
    }
    let received = s.receiver.received("flaky").await;
    assert_eq!(received.len(), 3);
    let answered: Vec<u64> = received
        .iter()
        .map(|d| d["answered"].as_u64().unwrap())
        .collect();
    assert_eq!(answered, [500, 500, 200]);
    assert!(received.iter().all(|d| d["verified"] == true));
    assert!(
        received
            .iter()
            .all(|d| d["webhook_id"] == received[0]["webhook_id"])
    );

    let admin = User::new(app, "admin").await;
    let id = created["id"].as_str().unwrap();
    let attempts = admin
        .get_json(&format!("/api/v1/webhooks/{id}/attempts"))
        .await;
    let statuses: Vec<u64> = attempts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [200, 500, 500], "newest first");
    assert!(
        attempts["items"][1]["error"]
            .as_str()
            .unwrap()
            .contains("500")
    );
    let details = admin.get_json(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(details["delivered"], 1);
    assert_eq!(details["pending"], 0);
    assert_eq!(details["failing_since"], Value::Null, "a success heals");
    // Nothing more goes out later.
    api::worker::tick(&app.state, start + Duration::hours(30))
        .await
        .unwrap();
    assert_eq!(s.receiver.received("flaky").await.len(), 3);
}

async fn a_rotated_secret_signs_beside_the_new_one_during_the_grace(s: Setup) {
    let app = &s.app;
    let created = subscribe(
        app,
        "company",
        &s.receiver.url("rotating"),
        &["complaint.filed"],
    )
    .await;
    let old = secret(&created);
    let id = created["id"].as_str().unwrap();
    let admin = User::new(app, "admin").await;
    let rotated: Value = admin
        .post(
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            &json!({ "grace_minutes": 60 }),
        )
        .await
        .json()
        .await
        .unwrap();
    let new = secret(&rotated);
    assert_ne!(old, new);
    assert!(rotated["previous_secret_valid_until"].is_string());
    s.receiver
        .configure("rotating", &[&old, &new], 0, 200)
        .await;

    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    resident.file(&building, &category, "Сломан домофон").await;
    tick_until(app, Utc::now(), "the delivery", || async {
        !s.receiver.received("rotating").await.is_empty()
    })
    .await;
    let first = &s.receiver.received("rotating").await[0];
    assert_eq!(first["signatures"], 2);
    assert_eq!(first["verified_by"], json!([0, 1]), "both secrets verify");

    // With no grace, only the newest secret signs.
    let again: Value = admin
        .post(
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            &json!({ "grace_minutes": 0 }),
        )
        .await
        .json()
        .await
        .unwrap();
    let newest = secret(&again);
    s.receiver
        .configure("rotating", &[&old, &new, &newest], 0, 200)
        .await;
    resident
        .file(&building, &category, "Сломан домофон снова")
        .await;
    tick_until(app, Utc::now(), "the second delivery", || async {
        s.receiver.received("rotating").await.len() >= 2
    })
    .await;
    let second = &s.receiver.received("rotating").await[1];
    assert_eq!(second["signatures"], 1);
    assert_eq!(second["verified_by"], json!([2]));
}

async fn events_of_a_complaint_wait_for_the_earlier_ones(s: Setup) {
    let app = &s.app;
    let created = subscribe(app, "company", &s.receiver.url("ordered"), ALL).await;
    // Every event is refused once: each must arrive before the next one is tried.
    s.receiver
        .configure("ordered", &[&secret(&created)], 1, 200)
        .await;
    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    let staff = User::new(app, "company").await;
    let c = resident
        .file(&building, &category, "Протечка в подвале")
        .await["complaint"]
        .clone();
    let c = staff.ok(&c, json!({ "type": "accept" })).await;
    staff
        .ok(&c, json!({ "type": "report_done", "note": "Устранили" }))
        .await;
    let mut clock = Utc::now();
    tick_until(app, clock, "the first attempt", || async {
        !s.receiver.received("ordered").await.is_empty()
    })
    .await;
    for _ in 0..12 {
        clock += Duration::seconds(10);
        api::worker::tick(&app.state, clock).await.unwrap();
    }
    let received = s.receiver.received("ordered").await;
    let attempts: Vec<(String, u64)> = received
        .iter()
        .map(|d| {
            (
                d["type"].as_str().unwrap().to_owned(),
                d["answered"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = [
        "complaint.filed",
        "complaint.routed",
        "complaint.accepted",
        "complaint.done",
    ]
    .iter()
    .flat_map(|t| [((*t).to_owned(), 500), ((*t).to_owned(), 200)])
    .collect();
    assert_eq!(attempts, expected);
}

async fn an_endpoint_failing_for_a_day_is_switched_off_and_its_owner_told(s: Setup) {
    let app = &s.app;
    let created = subscribe(
        app,
        "company",
        &s.receiver.url("down"),
        &["complaint.filed"],
    )
    .await;
    s.receiver
        .configure("down", &[&secret(&created)], 0, 503)
        .await;
    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    resident
        .file(&building, &category, "Не работает лифт")
        .await;
    let start = Utc::now();
    tick_until(app, start, "the first attempt", || async {
        !s.receiver.received("down").await.is_empty()
    })
    .await;
    let admin = User::new(app, "admin").await;
    let id = created["id"].as_str().unwrap();
    let details = admin.get_json(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(details["enabled"], true);
    assert!(details["failing_since"].is_string());

    tick_until(
        app,
        start + Duration::hours(25),
        "the attempt a day later",
        || async { s.receiver.received("down").await.len() >= 2 },
    )
    .await;
    let details = admin.get_json(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(details["enabled"], false);
    assert!(
        details["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("a day")
    );
    assert_eq!(details["pending"], 1, "its event waits");
    let staff = User::new(app, "company").await;
    let inbox = staff.get_json("/api/v1/notifications").await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "webhook_disabled"),
        "{inbox}"
    );
    // Nothing goes to a switched-off endpoint.
    api::worker::tick(&app.state, start + Duration::hours(40))
        .await
        .unwrap();
    assert_eq!(s.receiver.received("down").await.len(), 2);

    // Fixed and switched back on: the waiting event goes out.
    s.receiver
        .configure("down", &[&secret(&created)], 0, 200)
        .await;
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/webhooks/{id}")))
        .bearer_auth(&admin.token)
        .json(&json!({ "enabled": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    tick_until(
        app,
        start + Duration::hours(41),
        "the event after the fix",
        || async { s.receiver.accepted_types("down").await == ["complaint.filed"] },
    )
    .await;
}

async fn events_are_replayed_by_id_and_by_time_range(s: Setup) {
    let app = &s.app;
    let created = subscribe(
        app,
        "company",
        &s.receiver.url("replay"),
        &["complaint.filed"],
    )
    .await;
    s.receiver
        .configure("replay", &[&secret(&created)], 0, 200)
        .await;
    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    let before = Utc::now() - Duration::seconds(1);
    resident
        .file(&building, &category, "Грязь в подъезде")
        .await;
    resident.file(&building, &category, "Грязь во дворе").await;
    tick_until(app, Utc::now(), "both events", || async {
        s.receiver.received("replay").await.len() >= 2
    })
    .await;
    let first_id = s.receiver.received("replay").await[0]["webhook_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = User::new(app, "admin").await;
    let id = created["id"].as_str().unwrap();
    let replay = admin
        .post(
            &format!("/api/v1/webhooks/{id}/replay"),
            &json!({ "webhook_id": first_id }),
        )
        .await;
    assert_eq!(replay.status(), 202);
    assert_eq!(replay.json::<Value>().await.unwrap()["queued"], 1);
    tick_until(app, Utc::now(), "the replayed event", || async {
        s.receiver.received("replay").await.len() >= 3
    })
    .await;
    assert_eq!(
        s.receiver.received("replay").await[2]["webhook_id"],
        first_id
    );

    let range = admin
        .post(
            &format!("/api/v1/webhooks/{id}/replay"),
            &json!({ "from": before, "to": Utc::now() + Duration::seconds(1) }),
        )
        .await;
    assert_eq!(range.json::<Value>().await.unwrap()["queued"], 2);
    tick_until(app, Utc::now(), "the replayed range", || async {
        s.receiver.received("replay").await.len() >= 5
    })
    .await;

    for (body, field) in [
        (json!({}), "webhook_id"),
        (
            json!({ "from": Utc::now(), "to": Utc::now() - Duration::hours(1) }),
            "to",
        ),
        (
            json!({ "from": before, "to": before + Duration::days(40) }),
            "to",
        ),
    ] {
        let response = admin
            .post(&format!("/api/v1/webhooks/{id}/replay"), &body)
            .await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert!(problem["errors"][field].is_array(), "{problem}");
    }
    let unknown = admin
        .post(
            &format!("/api/v1/webhooks/{id}/replay"),
            &json!({ "webhook_id": "msg_unknown" }),
        )
        .await;
    assert_eq!(unknown.status(), 404);
}

async fn keys_keep_only_their_own_subscriptions(s: Setup) {
    let app = &s.app;
    let admin = User::new(app, "admin").await;
    let organisation = organisation_of(app, "company").await;
    let other = organisation_of(app, "company2").await;
    let key_with = |scopes: Value| {
        let admin = &admin;
        let organisation = organisation.clone();
        async move {
            let response = admin
                .post(
                    "/api/v1/admin/api-keys",
                    &json!({ "name": "CRM", "organisation_id": organisation, "scopes": scopes }),
                )
                .await;
            assert_eq!(response.status(), 201);
            let created: Value = response.json().await.unwrap();
            User {
                app,
                token: created["key"].as_str().unwrap().to_owned(),
            }
        }
    };
    let key = key_with(json!(["complaints:read", "webhooks"])).await;
    let url = s.receiver.url("crm");
    let own = key
        .post(
            "/api/v1/webhooks",
            &json!({ "url": url, "event_types": ["complaint.routed"] }),
        )
        .await;
    assert_eq!(own.status(), 201);
    let own: Value = own.json().await.unwrap();
    assert_eq!(own["organisation"]["id"], organisation.as_str());
    let theirs = key
        .post(
            "/api/v1/webhooks",
            &json!({ "organisation_id": other, "url": url, "event_types": ["complaint.routed"] }),
        )
        .await;
    assert_eq!(theirs.status(), 404);
    // The administrator's subscription for the other company is not the key's to see.
    subscribe(app, "company2", &url, &["complaint.routed"]).await;
    let listed = key.get_json("/api/v1/webhooks").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        admin.get_json("/api/v1/webhooks").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let admins = admin.get_json("/api/v1/webhooks").await;
    let foreign = admins["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["organisation"]["id"] == other.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        key.get(&format!("/api/v1/webhooks/{foreign}"))
            .await
            .status(),
        404
    );

    let without = key_with(json!(["complaints:read"])).await;
    let refused = without.get("/api/v1/webhooks").await;
    assert_eq!(refused.status(), 403);
    let staff = User::new(app, "company").await;
    assert_eq!(staff.get("/api/v1/webhooks").await.status(), 403);

    for (body, field) in [
        (
            json!({ "url": "not a url", "event_types": ["complaint.filed"] }),
            "url",
        ),
        (
            json!({ "url": "ftp://example.org/", "event_types": ["complaint.filed"] }),
            "url",
        ),
        (json!({ "url": url, "event_types": [] }), "event_types"),
    ] {
        let response = key.post("/api/v1/webhooks", &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert!(problem["errors"][field].is_array(), "{problem}");
    }
    let unknown_type = key
        .post(
            "/api/v1/webhooks",
            &json!({ "url": url, "event_types": ["complaint.exploded"] }),
        )
        .await;
    assert_eq!(unknown_type.status(), 400);
}

/// Outside demo and test mode, only `https` to public addresses is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_endpoints_must_be_public_https() {
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            env: vec![("APP_WEBHOOKS_ALLOW_PRIVATE", "false".to_owned())],
            ..Options::default()
        },
    )
    .await;
    let admin = User::new(&app, "admin").await;
    let organisation = organisation_of(&app, "company").await;
    for url in [
        "http://crm.example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "https://[::1]/hook",
    ] {
        let response = admin
            .post(
                "/api/v1/webhooks",
                &json!({ "organisation_id": organisation, "url": url, "event_types": ["complaint.filed"] }),
            )
            .await;
        assert_eq!(response.status(), 422, "{url}");
        let problem: Value = response.json().await.unwrap();
        assert!(problem["errors"]["url"].is_array(), "{url}: {problem}");
    }
    let public = admin
        .post(
            "/api/v1/webhooks",
            &json!({ "organisation_id": organisation, "url": "https://crm.example.org/hook", "event_types": ["complaint.filed"] }),
        )
        .await;
    assert_eq!(public.status(), 201);
}

/// With a sender running of its own, a receiver that takes seconds per answer holds only its own
/// places: a healthy one gets every event while the slow one is still answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_endpoint_does_not_hold_up_the_others() {
    let receiver = WebhookReceiver::start().await;
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            env: vec![("APP_DELIVERY_INTERVAL_MS", "50".to_owned())],
            ..Options::default()
        },
    )
    .await;
    let slow = subscribe(&app, "company", &receiver.url("slow"), &["complaint.filed"]).await;
    let fast = subscribe(
        &app,
        "dispatcher",
        &receiver.url("fast"),
        &["complaint.filed"],
    )
    .await;
    receiver.configure("fast", &[&secret(&fast)], 0, 200).await;
    receiver
        .configure_slow("slow", &[&secret(&slow)], 5000)
        .await;
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    for n in 0..8 {
        resident
            .file(&building, &category, &format!("Жалоба номер {n}"))
            .await;
    }
    // The outbox is read by the worker's pass; sending runs on its own.
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    eventually(
        StdDuration::from_secs(20),
        "the fast receiver gets all 8",
        || async { receiver.accepted_types("fast").await.len() == 8 },
    )
    .await;
    let slow_so_far = receiver.received("slow").await.len();
    assert!(
        slow_so_far <= 4,
        "the slow endpoint had at most its 4 places in flight, not {slow_so_far} answered"
    );
}
