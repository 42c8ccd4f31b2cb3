//! The background worker (overdue marking, escalation, notifications) and what the public sees.

use crate::helpers::{
    Backend, Options, TestApp, User, fixtures, kinds, spawn_app_with, spawn_replica,
};
use chrono::{Duration, Utc};
use serde_json::{Value, json};

on_both_databases!(
    registration_notifies_the_company_and_reads_are_private,
    overdue_is_flagged_once_and_the_board_shows_it,
    third_round_overdue_goes_to_inspection_exactly_once_with_two_replicas,
    a_message_two_replicas_race_to_deliver_is_delivered_once,
    public_scorecard_and_anonymised_list,
);

async fn registration_notifies_the_company_and_reads_are_private(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, other_company) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
    );
    let c = resident
        .file(&building, &category, "Протекает кран в подвале")
        .await["complaint"]
        .clone();
    let report = api::worker::tick(&app.state, Utc::now()).await.unwrap();
    assert!(report.delivered >= 1);

    let inbox = company.get_json("/api/v1/notifications").await;
    let item = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["complaint_id"] == c["id"])
        .unwrap()
        .clone();
    assert_eq!(item["kind"], "registered");
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .contains(c["number"].as_str().unwrap())
    );
    let unread = inbox["unread"].as_u64().unwrap();
    assert!(
        other_company.get_json("/api/v1/notifications").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Delivered once: another tick adds nothing.
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    assert_eq!(
        company.get_json("/api/v1/notifications").await["unread"]
            .as_u64()
            .unwrap(),
        unread
    );

    let path = format!(
        "/api/v1/notifications/{}/read",
        item["id"].as_str().unwrap()
    );
    assert_eq!(
        other_company.post(&path, &json!({})).await.status(),
        404,
        "not theirs"
    );
    assert_eq!(company.post(&path, &json!({})).await.status(), 204);
    assert_eq!(
        company.get_json("/api/v1/notifications").await["unread"]
            .as_u64()
            .unwrap(),
        unread - 1
    );

    // The company accepts; the resident hears of it.
    company.ok(&c, json!({ "type": "accept" })).await;
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    let mine = resident.get_json("/api/v1/notifications?unread=true").await;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "accept")
    );
}

async fn overdue_is_flagged_once_and_the_board_shows_it(app: TestApp) {
    let (building, _, emergency) = fixtures(&app).await;
    let (resident, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
    );
    let c = resident
        .file(&building, &emergency, "Нет отопления во всём доме")
        .await["complaint"]
        .clone();
    let later = Utc::now() + Duration::days(5);
    let report = api::worker::tick(&app.state, later).await.unwrap();
    assert_eq!(report.newly_overdue, 1);
    api::worker::tick(&app.state, later).await.unwrap();
    let again = api::worker::tick(&app.state, later + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(again.newly_overdue, 0, "flagged once per deadline");

    let alerts = dispatcher.get_json("/api/v1/notifications").await;
    let overdue: Vec<&Value> = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "overdue")
        .collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["complaint_id"], c["id"]);
    // Nothing changed in the complaint's own history.
    assert_eq!(kinds(&resident, &c).await, ["registered"]);
}

async fn third_round_overdue_goes_to_inspection_exactly_once_with_two_replicas(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );
    let mut c = resident
        .file(&building, &category, "Не работает лифт")
        .await["complaint"]
        .clone();
    c = company.ok(&c, json!({ "type": "accept" })).await;
    for _ in 0..2 {
        c = company
            .ok(&c, json!({ "type": "report_done", "note": "Починили" }))
            .await;
        c = dispatcher
            .ok(
                &c,
                json!({ "type": "record_call", "outcome": "unsatisfied" }),
            )
            .await;
    }
    assert_eq!(
        (c["round"].as_i64(), c["status"].as_str()),
        (Some(3), Some("in_progress"))
    );

    let replica = spawn_replica(&app).await;
    let later = Utc::now() + Duration::days(60);
    let (first, second) = tokio::join!(
        api::worker::tick(&app.state, later),
        api::worker::tick(&replica.state, later)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(
        first.escalated + second.escalated,
        1,
        "one replica escalates it, never both"
    );
    assert_eq!(first.newly_overdue + second.newly_overdue, 1);

    let now = dispatcher
        .get_json(&format!("/api/v1/complaints/{}", c["id"].as_str().unwrap()))
        .await;
    assert_eq!(now["status"], "under_inspection");
    let history = kinds(&dispatcher, &c).await;
    assert_eq!(
        history
            .iter()
            .filter(|k| *k == "send_to_inspection")
            .count(),
        1
    );
    let events = dispatcher
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        events.as_array().unwrap().last().unwrap()["actor_role"],
        "dispatcher",
        "applied by the system"
    );
}

/// Two workers that both hold an outbox message (a claim that ran out, say) deliver it once: the
/// second finds it delivered and writes nothing of what it would have become.
async fn a_message_two_replicas_race_to_deliver_is_delivered_once(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
    );
    resident
        .file(&building, &category, "Нет горячей воды")
        .await;
    let company_id: uuid::Uuid = company.get_json("/api/v1/me").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let unread_before = company.get_json("/api/v1/notifications").await["unread"]
        .as_u64()
        .unwrap();
    let now = Utc::now();
    let claimed = persistence::worker::claim_outbox(&app.state.db, now, Duration::minutes(1), 100)
        .await
        .unwrap();
    assert!(!claimed.is_empty(), "the filing left a message to deliver");
    let replica = spawn_replica(&app).await;
    for message in &claimed {
        let fanout = || persistence::worker::Fanout {
            notifications: vec![persistence::worker::NewNotification {
                user_id: company_id,
                complaint_id: None,
                kind: "registered".to_owned(),
                text: "Новая заявка".to_owned(),
            }],
            ..Default::default()
        };
        let (first, second) = (fanout(), fanout());
        let (first, second) = tokio::join!(
            persistence::worker::deliver(&app.state.db, message.id, uuid::Uuid::nil(), &first, now),
            persistence::worker::deliver(
                &replica.state.db,
                message.id,
                uuid::Uuid::nil(),
                &second,
                now
            )
        );
        assert_eq!(
            [first.unwrap(), second.unwrap()]
                .iter()
                .filter(|d| **d)
                .count(),
            1,
            "one worker delivers the message, never both"
        );
    }
    assert_eq!(
        company.get_json("/api/v1/notifications").await["unread"]
            .as_u64()
            .unwrap(),
        unread_before + claimed.len() as u64,
        "one notification per message"
    );
}

async fn public_scorecard_and_anonymised_list(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let secret = "Квартира 45, звоните Марии по телефону 89220000001";
    resident.file(&building, &category, secret).await;

    let card: Value = app
        .get("/api/v1/public/scorecard", None)
        .await
        .json()
        .await
        .unwrap();
    let companies = card["companies"].as_array().unwrap();
    assert_eq!(companies.len(), 4, "every management company is listed");
    assert_eq!(card["city"]["received"], 1);
    let company = companies.iter().find(|c| c["received"] == 1).unwrap();
    assert_eq!(company["published"], false);
    assert!(
        company["on_time_pct"].is_null(),
        "no rates below the minimum volume"
    );
    assert_eq!(card["min_volume"], 10);

    let list: Value = app
        .get("/api/v1/public/complaints", None)
        .await
        .json()
        .await
        .unwrap();
    let item = &list["items"][0];
    assert!(item["address"].as_str().unwrap().starts_with("г. Сургут"));
    let text = list.to_string();
    for leak in [
        "description",
        "flat",
        "applicant",
        "phone",
        "89220000001",
        "Марии",
    ] {
        assert!(!text.contains(leak), "the public list leaks {leak}");
    }
}

/// `make run`'s month of demo complaints: played through the lifecycle, so the scorecard
/// publishes rates and the history of every complaint starts with its registration.
#[tokio::test]
async fn demo_month_fills_the_scorecard_with_real_histories() {
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            demo_complaints: 60,
            ..Options::default()
        },
    )
    .await;
    let card: Value = app
        .get("/api/v1/public/scorecard", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(card["city"]["received"], 60);
    assert!(card["city"]["closed"].as_u64().unwrap() > 0);
    assert!(card["city"]["orders"].as_u64().unwrap() > 0);
    assert!(card["city"]["fines"].as_u64().unwrap() > 0);
    let published = card["companies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["published"] == true)
        .count();
    assert!(published >= 2, "{card}");

    let dispatcher = User::new(&app, "dispatcher").await;
    let board = dispatcher.get_json("/api/v1/complaints?limit=100").await;
    let items = board["items"].as_array().unwrap();
    assert_eq!(items.len(), 60);
    let statuses: std::collections::HashSet<&str> = items
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.len() >= 4, "{statuses:?}");
    assert!(items.iter().any(|c| c["round"] == 2));
    for c in items.iter().take(12) {
        let history = kinds(&dispatcher, c).await;
        assert_eq!(history[0], "registered");
        assert!(c["registered_at"].as_str().unwrap() < Utc::now().to_rfc3339().as_str());
    }
}
