//! The whole story against the built binary.

use std::time::Duration;

use serde_json::{Value, json};

use crate::client::Client;
use crate::server::Server;

/// The three runs of the story against the built binary, over HTTP: satisfied after a second
/// round; not done, inspection, order, non-compliance, fine, fixed; a clerk's intake and the PIN.
#[tokio::test]
async fn the_whole_story_against_the_binary() {
    let dir = std::env::temp_dir().join(format!("dispatch-story-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/story.sqlite?mode=rwc", dir.display());
    let mut server = Server::start(&[("APP_DEMO", "true".into()), ("DATABASE_URL", url)]);
    server.wait_ready().await;
    let base = server.base.clone();
    let resident = Client::sign_in(&base, "resident@demo.test").await;
    let company = Client::sign_in(&base, "company@demo.test").await;
    let dispatcher = Client::sign_in(&base, "dispatcher@demo.test").await;
    let inspector = Client::sign_in(&base, "inspector@demo.test").await;
    let clerk = Client::sign_in(&base, "clerk@demo.test").await;

    let org = company.get("/api/v1/me").await["organisation"]["id"].clone();
    let buildings = resident.get("/api/v1/buildings?limit=50").await;
    let building = buildings
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["company_id"] == org)
        .unwrap()["id"]
        .clone();
    let categories = resident.get("/api/v1/categories").await;
    let category = categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["emergency"] == false)
        .unwrap()["id"]
        .clone();
    let file = |description: &str| json!({ "building_id": building, "category_id": category, "description": description });

    // 1. Unsatisfied, a second round, satisfied, closed.
    let c = resident
        .post("/api/v1/complaints", file("Не работает домофон"), 201)
        .await["complaint"]
        .clone();
    let c = company.act(&c, json!({ "type": "accept" })).await;
    let c = company
        .act(&c, json!({ "type": "report_done", "note": "Починили" }))
        .await;
    let c = dispatcher
        .act(
            &c,
            json!({ "type": "record_call", "outcome": "unsatisfied" }),
        )
        .await;
    assert_eq!(
        (c["round"].as_i64(), c["urgent"].as_bool()),
        (Some(2), Some(true))
    );
    let c = company
        .act(
            &c,
            json!({ "type": "report_done", "note": "Заменили блок" }),
        )
        .await;
    let c = resident
        .act(&c, json!({ "type": "resident_answer", "satisfied": true }))
        .await;
    assert_eq!(c["status"], "closed");

    // 2. Not done: inspection, order, non-compliance, fine, fixed, closed.
    let c = resident
        .post("/api/v1/complaints", file("Течёт крыша"), 201)
        .await["complaint"]
        .clone();
    let c = company.act(&c, json!({ "type": "accept" })).await;
    let c = company
        .act(&c, json!({ "type": "report_done", "note": "Готово" }))
        .await;
    let c = dispatcher
        .act(&c, json!({ "type": "record_call", "outcome": "not_done" }))
        .await;
    assert_eq!(c["status"], "under_inspection");
    let c = inspector
        .act(
            &c,
            json!({ "type": "record_findings", "violation": true, "findings": "Протечка есть" }),
        )
        .await;
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    let c = inspector
        .act(
            &c,
            json!({ "type": "issue_order", "due_at": due, "text": "Устранить протечку" }),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let c = inspector
        .act(&c, json!({ "type": "check_compliance", "complied": false }))
        .await;
    let c = inspector.act(&c, json!({ "type": "record_fine", "article": "19.5 ч.1", "offender": "legal_entity", "amount_rub": 15000 })).await;
    let c = inspector
        .act(&c, json!({ "type": "check_compliance", "complied": true }))
        .await;
    assert_eq!(c["status"], "closed");
    let events = inspector
        .get(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "registered",
            "accept",
            "report_done",
            "record_call",
            "record_findings",
            "issue_order",
            "check_compliance",
            "record_fine",
            "check_compliance"
        ]
    );

    // 3. A clerk files for a person without an account; the person checks with number and PIN.
    let created = clerk
        .post(
            "/api/v1/complaints",
            json!({ "building_id": building, "category_id": category, "description": "Нет света в подъезде",
                    "applicant": { "name": "Петров Иван", "phone": "+79221234567", "consent": { "accepted": true, "version": "2026-01" } } }),
            201,
        )
        .await;
    let lookup: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/public/complaints/lookup"))
        .json(&json!({ "number": created["complaint"]["number"], "pin": created["pin"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lookup["status"], "registered");
    assert_eq!(lookup["number"], created["complaint"]["number"]);

    assert!(server.terminate());
    std::fs::remove_dir_all(dir).ok();
}
