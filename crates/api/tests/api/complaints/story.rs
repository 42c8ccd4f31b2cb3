//! The three runs of the story: a second round, the inspection with its order and fine, and a
//! clerk's intake checked with the PIN.

use crate::helpers::{TestApp, User, fixtures, kinds};
use serde_json::{Value, json};

on_both_databases!(
    unsatisfied_then_second_round_then_closed,
    not_done_inspection_order_fine_fixed_closed,
    clerk_intake_and_pin_lookup,
);

async fn unsatisfied_then_second_round_then_closed(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );

    let created = resident
        .file(
            &building,
            &category,
            "Не работает домофон во втором подъезде",
        )
        .await;
    let c = &created["complaint"];
    assert_eq!(c["status"], "registered");
    assert_eq!(c["round"], 1);
    assert!(c["number"].as_str().unwrap().starts_with("СУР-20"));
    assert_eq!(c["allowed_actions"], json!(["withdraw"]));
    assert!(created["pin"].is_null(), "only clerks get a PIN");

    // The company sees it in its queue at once; so does the city's board.
    let queue = company
        .get_json("/api/v1/complaints?status=registered")
        .await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == c["id"])
    );
    let board = dispatcher.get_json("/api/v1/complaints").await;
    assert!(
        board["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == c["id"])
    );

    let c = company.ok(c, json!({ "type": "accept" })).await;
    assert_eq!(c["status"], "in_progress");
    let c = company
        .ok(
            &c,
            json!({ "type": "assign_executor", "executor": "Электрик Петров" }),
        )
        .await;
    let c = company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Заменили блок питания" }),
        )
        .await;
    assert_eq!(c["status"], "awaiting_verification");

    let c = dispatcher.ok(&c, json!({ "type": "record_call", "outcome": "unsatisfied", "comment": "Снова не работает" })).await;
    assert_eq!(
        (
            c["status"].as_str(),
            c["round"].as_i64(),
            c["urgent"].as_bool()
        ),
        (Some("in_progress"), Some(2), Some(true))
    );
    assert!(c["due_at"].as_str().unwrap() > chrono::Utc::now().to_rfc3339().as_str());

    let c = company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Заменили панель" }),
        )
        .await;
    let c = resident
        .ok(
            &c,
            json!({ "type": "resident_answer", "satisfied": true, "comment": "Спасибо" }),
        )
        .await;
    assert_eq!(c["status"], "closed");
    assert!(c["closed_at"].is_string());
    assert_eq!(c["allowed_actions"], json!([]));

    assert_eq!(
        kinds(&resident, &c).await,
        [
            "registered",
            "accept",
            "assign_executor",
            "report_done",
            "record_call",
            "report_done",
            "resident_answer"
        ]
    );
    // A final state is never left.
    let response = dispatcher
        .act(&c, json!({ "type": "send_to_inspection", "reason": "x" }))
        .await;
    assert_eq!(response.status(), 409);
}

async fn not_done_inspection_order_fine_fixed_closed(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, dispatcher, inspector) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "inspector").await,
    );
    let c = resident
        .file(&building, &category, "Течёт крыша над квартирой")
        .await["complaint"]
        .clone();
    let c = company.ok(&c, json!({ "type": "accept" })).await;
    let c = company
        .ok(&c, json!({ "type": "report_done", "note": "Готово" }))
        .await;
    let c = dispatcher
        .ok(&c, json!({ "type": "record_call", "outcome": "not_done" }))
        .await;
    assert_eq!(c["status"], "under_inspection");

    let queue = inspector
        .get_json("/api/v1/complaints?status=under_inspection")
        .await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == c["id"])
    );

    let c = inspector.ok(&c, json!({ "type": "record_findings", "violation": true, "findings": "Протечка подтверждена" })).await;
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    let c = inspector
        .ok(
            &c,
            json!({ "type": "issue_order", "due_at": due, "text": "Устранить протечку" }),
        )
        .await;
    assert_eq!(
        (c["status"].as_str(), c["round"].as_i64()),
        (Some("in_progress"), Some(2))
    );
    assert_eq!(c["order"]["complied"], Value::Null);

    // Non-compliance can be found only after the order's deadline.
    let early = inspector
        .act(&c, json!({ "type": "check_compliance", "complied": false }))
        .await;
    assert_eq!(early.status(), 409);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let c = inspector
        .ok(&c, json!({ "type": "check_compliance", "complied": false }))
        .await;
    assert_eq!(c["status"], "under_inspection");
    let c = inspector.ok(&c, json!({ "type": "record_fine", "article": "19.5 ч.1", "offender": "legal_entity", "amount_rub": 15000 })).await;
    assert_eq!(c["status"], "under_inspection", "stays open until fixed");
    let c = inspector
        .ok(&c, json!({ "type": "check_compliance", "complied": true }))
        .await;
    assert_eq!(c["status"], "closed");

    let events = inspector
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    let fine = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "record_fine")
        .unwrap();
    assert_eq!(fine["details"]["amount_rub"], 15000);
    assert_eq!(fine["actor_role"], "inspector");
}

async fn clerk_intake_and_pin_lookup(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let clerk = User::new(&app, "clerk").await;
    let body = json!({
        "building_id": building, "category_id": category, "flat": "7",
        "description": "В подъезде не горит свет третью неделю",
        "applicant": { "name": "Петров Иван Сергеевич", "phone": "8 (922) 123-45-67", "consent": { "accepted": true, "version": "2026-01" } }
    });
    let response = clerk.post("/api/v1/complaints", &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let pin = created["pin"].as_str().unwrap().to_owned();
    assert_eq!(pin.len(), 6);
    let c = &created["complaint"];
    assert_eq!(c["applicant"]["name"], "Петров Иван Сергеевич");
    assert_eq!(
        c["applicant"]["phone"], "+79221234567",
        "the clerk who filed sees the phone"
    );

    // The clerk's list holds what they filed.
    let mine = clerk.get_json("/api/v1/complaints").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    // The history names the person filed for.
    let events = clerk
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(events[0]["on_behalf_of"], "Петров Иван Сергеевич");
    assert_eq!(events[0]["actor_role"], "clerk");

    // Without consent nothing is filed.
    let mut no_consent = body.clone();
    no_consent["applicant"]["consent"]["accepted"] = json!(false);
    let response = clerk.post("/api/v1/complaints", &no_consent).await;
    assert_eq!(response.status(), 422);

    // The person checks the status with number and PIN, with no account.
    let lookup = |pin: String| {
        app.client
            .post(app.url("/api/v1/public/complaints/lookup"))
            .json(&json!({ "number": c["number"], "pin": pin }))
            .send()
    };
    let found: Value = lookup(pin.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(found["status"], "registered");
    assert_eq!(found["steps"][0]["kind"], "registered");
    assert!(found.get("applicant").is_none() && !found.to_string().contains("1234567"));

    let wrong = if pin == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(lookup(wrong.to_owned()).await.unwrap().status(), 404);
    }
    let locked = lookup(pin).await.unwrap();
    assert_eq!(
        locked.status(),
        429,
        "five wrong PINs lock the number for a while"
    );
    assert!(locked.headers().contains_key("retry-after"));
}
