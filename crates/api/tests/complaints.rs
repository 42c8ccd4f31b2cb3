//! The story over HTTP: filing, the company's work, verification, rounds, inspection, the
//! clerk's intake and the PIN check — plus access, concurrency and idempotency rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestApp, User, fixtures, kinds};
use serde_json::{Value, json};

on_both_databases!(
    unsatisfied_then_second_round_then_closed,
    not_done_inspection_order_fine_fixed_closed,
    clerk_intake_and_pin_lookup,
    access_is_scoped_and_phones_are_masked,
    stale_versions_and_wrong_roles_change_nothing,
    idempotent_filing,
    board_filters_and_keyset_pages,
    history_is_append_only_in_the_database,
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
    let c = inspector.ok(&c, json!({ "type": "record_fine", "amount_rub": 15000, "legal_basis": "КоАП РФ ст. 19.5 ч. 1" })).await;
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

async fn access_is_scoped_and_phones_are_masked(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, other_resident, company, other_company, dispatcher, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "resident2").await,
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "clerk").await,
    );
    let c = resident
        .file(&building, &category, "Сломан почтовый ящик")
        .await["complaint"]
        .clone();
    let path = format!("/api/v1/complaints/{}", c["id"].as_str().unwrap());
    assert_eq!(
        c["applicant"]["phone"], "+79220000001",
        "the resident sees their own phone"
    );

    for outsider in [&other_resident, &other_company, &clerk] {
        let response = outsider.get(&path).await;
        assert_eq!(response.status(), 404);
        assert_eq!(outsider.get(&format!("{path}/events")).await.status(), 404);
        let list = outsider.get_json("/api/v1/complaints").await;
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["id"] != c["id"]),
            "lists never leak"
        );
    }
    // Another company cannot act on it either, and learns nothing.
    assert_eq!(
        other_company
            .act(&c, json!({ "type": "accept" }))
            .await
            .status(),
        404
    );

    let seen_by_company = company.get_json(&path).await;
    assert_eq!(seen_by_company["applicant"]["phone"], "+7 *** ***-**-01");
    assert_eq!(seen_by_company["applicant"]["phone_masked"], true);
    let seen_by_dispatcher = dispatcher.get_json(&path).await;
    assert_eq!(seen_by_dispatcher["applicant"]["phone_masked"], true);

    // The dispatcher reveals it through an audited action; nobody else may.
    let revealed: Value = dispatcher
        .post(&format!("{path}/reveal-phone"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["phone"], "+79220000001");
    assert_eq!(
        company
            .post(&format!("{path}/reveal-phone"), &json!({}))
            .await
            .status(),
        403
    );
}

async fn stale_versions_and_wrong_roles_change_nothing(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "clerk").await,
    );
    let c = resident
        .file(&building, &category, "Не закрывается дверь подъезда")
        .await["complaint"]
        .clone();
    let id = c["id"].as_str().unwrap();

    // Without If-Match: 428.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/complaints/{id}/transitions")))
        .bearer_auth(&company.token)
        .json(&json!({ "type": "accept" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 428);

    let accepted = company.ok(&c, json!({ "type": "accept" })).await;
    assert_eq!(accepted["version"], c["version"].as_i64().unwrap() + 1);
    // The old version is stale: 412, and nothing changes.
    let stale = company
        .act(&c, json!({ "type": "report_done", "note": "x" }))
        .await;
    assert_eq!(stale.status(), 412);
    let problem: Value = stale.json().await.unwrap();
    assert_eq!(problem["code"], "version_mismatch");
    let now = company.get(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(
        now.headers()["etag"],
        format!("\"{}\"", accepted["version"])
    );
    assert_eq!(now.json::<Value>().await.unwrap()["status"], "in_progress");

    // A clerk may never accept: 403. A resident may not report done on their own complaint.
    assert_eq!(
        clerk
            .act(&accepted, json!({ "type": "accept" }))
            .await
            .status(),
        404,
        "the clerk does not see it"
    );
    let forbidden = resident
        .act(
            &accepted,
            json!({ "type": "report_done", "note": "сама починила" }),
        )
        .await;
    assert_eq!(forbidden.status(), 403);
    // Unknown action types and extra fields are refused.
    assert_eq!(
        company
            .act(&accepted, json!({ "type": "teleport" }))
            .await
            .status(),
        400
    );
    assert_eq!(
        company
            .act(&accepted, json!({ "type": "accept", "extra": 1 }))
            .await
            .status(),
        400
    );
    // Empty text is a field error.
    let empty = company
        .act(&accepted, json!({ "type": "report_done", "note": "  " }))
        .await;
    assert_eq!(empty.status(), 422);
    assert!(empty.json::<Value>().await.unwrap()["errors"]["note"].is_array());
    assert_eq!(kinds(&resident, &accepted).await, ["registered", "accept"]);
}

async fn idempotent_filing(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let body = json!({ "building_id": building, "category_id": category, "description": "Шумит насос в подвале" });
    let send = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/complaints"))
            .bearer_auth(&resident.token)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first = send("key-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send("key-1", body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        again.json::<Value>().await.unwrap()["complaint"]["id"],
        first["complaint"]["id"]
    );

    let mut other = body.clone();
    other["description"] = json!("Другой текст жалобы");
    let reused = send("key-1", other).await.unwrap();
    assert_eq!(reused.status(), 422);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["code"],
        "idempotency_key_reused"
    );

    // Parallel duplicates make one complaint.
    let racers: Vec<_> = (0..8).map(|_| send("key-2", body.clone())).collect();
    let mut ids = std::collections::HashSet::new();
    for response in futures_util::future::join_all(racers).await {
        let response = response.unwrap();
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        ids.insert(body["complaint"]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "every racer got the same complaint");
    let mine = resident.get_json("/api/v1/complaints?limit=100").await;
    assert_eq!(
        mine["items"].as_array().unwrap().len(),
        2,
        "key-1 and key-2 made one complaint each"
    );
}

async fn board_filters_and_keyset_pages(app: TestApp) {
    let (building, category, emergency) = fixtures(&app).await;
    let (resident, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
    );
    let mut ids = Vec::new();
    for n in 0..5 {
        let cat = if n == 0 { &emergency } else { &category };
        ids.push(
            resident
                .file(&building, cat, &format!("Жалоба номер {n} про лифт"))
                .await["complaint"]["id"]
                .clone(),
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/complaints?limit=2&cursor={c}"),
            None => "/api/v1/complaints?limit=2".to_owned(),
        };
        let page = dispatcher.get_json(&path).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, every complaint exactly once");

    let found = dispatcher
        .get_json("/api/v1/complaints?q=%D0%9D%D0%9E%D0%9C%D0%95%D0%A0%203")
        .await; // "НОМЕР 3"
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let by_category = dispatcher
        .get_json(&format!("/api/v1/complaints?category_id={emergency}"))
        .await;
    assert_eq!(by_category["items"].as_array().unwrap().len(), 1);
    let due_soon = dispatcher
        .get_json("/api/v1/complaints?sort=due_soon&limit=1")
        .await;
    assert_eq!(
        due_soon["items"][0]["id"], ids[4],
        "the emergency is due first"
    );
    let none = dispatcher.get_json("/api/v1/complaints?overdue=true").await;
    assert!(none["items"].as_array().unwrap().is_empty());
    for bad in [
        "limit=0",
        "limit=101",
        "status=nope",
        "cursor=zzz",
        "sort=sideways",
        "unknown=1",
    ] {
        assert_eq!(
            dispatcher
                .get(&format!("/api/v1/complaints?{bad}"))
                .await
                .status(),
            400,
            "{bad}"
        );
    }
}

async fn history_is_append_only_in_the_database(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let c = resident
        .file(&building, &category, "Проверка неизменности истории")
        .await["complaint"]
        .clone();
    let db = &app.state.db;
    assert!(
        db.execute_unprepared("UPDATE complaint_events SET comment = 'rewritten'")
            .await
            .is_err()
    );
    assert!(
        db.execute_unprepared("DELETE FROM complaint_events")
            .await
            .is_err()
    );
    let events = resident
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(events.as_array().unwrap().len(), 1);
    assert!(events[0]["comment"].is_null());
}
