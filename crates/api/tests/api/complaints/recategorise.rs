//! The dispatcher corrects a complaint's category (issue 16), over HTTP: the category and the
//! deadline change, the history keeps both categories and the reason, the company is told; bad
//! input changes nothing.

use crate::helpers::{TestApp, User, fixtures};
use serde_json::{Value, json};

on_both_databases!(the_dispatcher_recategorises_a_complaint,);

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    response.json().await.unwrap()
}

async fn category_by_code(app: &TestApp, code: &str) -> Value {
    let categories: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {categories}"))
        .clone()
}

async fn the_dispatcher_recategorises_a_complaint(app: TestApp) {
    let (building, _, _) = fixtures(&app).await;
    let (admin, resident, company, dispatcher) = (
        User::new(&app, "admin").await,
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );
    let other = category_by_code(&app, "other").await;
    let flooding = category_by_code(&app, "flooding").await;
    let c = resident
        .file(
            &building,
            other["id"].as_str().unwrap(),
            "С потолка в ванной льёт вода",
        )
        .await["complaint"]
        .clone();
    let id = c["id"].as_str().unwrap().to_owned();
    let seen = dispatcher
        .get_json(&format!("/api/v1/complaints/{id}"))
        .await;
    assert!(
        seen["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("recategorise"))
    );
    let to = |category: &Value, reason: &str| json!({ "type": "recategorise", "category_id": category["id"], "reason": reason });

    // Refusals: none of them changes anything.
    let body = problem(company.act(&c, to(&flooding, "Авария")).await, 403).await;
    assert_eq!(body["code"], "forbidden");
    let body = problem(dispatcher.act(&c, to(&other, "Та же")).await, 422).await;
    assert!(body["errors"]["category_id"].is_array(), "{body}");
    let unknown = json!({ "id": uuid::Uuid::now_v7() });
    let body = problem(dispatcher.act(&c, to(&unknown, "Нет такой")).await, 422).await;
    assert!(body["errors"]["category_id"].is_array(), "{body}");
    let body = problem(dispatcher.act(&c, to(&flooding, "  ")).await, 422).await;
    assert!(body["errors"]["reason"].is_array(), "{body}");
    let retired = category_by_code(&app, "gutters").await;
    let patched = app
        .client
        .patch(app.url(&format!(
            "/api/v1/admin/categories/{}",
            retired["id"].as_str().unwrap()
        )))
        .bearer_auth(&admin.token)
        .json(&json!({ "is_active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let body = problem(dispatcher.act(&c, to(&retired, "Водосток")).await, 422).await;
    assert!(body["errors"]["category_id"].is_array(), "{body}");
    let mut stale = c.clone();
    stale["version"] = json!(c["version"].as_i64().unwrap() + 5);
    let body = problem(dispatcher.act(&stale, to(&flooding, "Авария")).await, 412).await;
    assert_eq!(body["code"], "version_mismatch");
    let unchanged = dispatcher
        .get_json(&format!("/api/v1/complaints/{id}"))
        .await;
    assert_eq!(unchanged["version"], c["version"]);
    assert_eq!(unchanged["category"]["id"], other["id"]);

    // The change: an emergency now, on the clock of hours from the change.
    let before = chrono::Utc::now();
    let reason = "Затопление из вышерасположенной квартиры, а не прочее";
    let after = dispatcher.ok(&c, to(&flooding, reason)).await;
    let done = chrono::Utc::now();
    assert_eq!(after["status"], "registered");
    assert_eq!(after["category"]["id"], flooding["id"]);
    assert_eq!(after["urgent"], true);
    let due: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(after["due_at"].clone()).unwrap();
    assert!(
        due >= before + chrono::Duration::hours(72) && due <= done + chrono::Duration::hours(72),
        "{due}"
    );

    // The clocks follow the category: the flood's 30 minutes run from the change, the old
    // category's 3-day answer clock stops, the fix clock takes the new deadline.
    let shown = dispatcher
        .get_json(&format!("/api/v1/complaints/{id}"))
        .await;
    let clock = |code: &str| {
        shown["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no {code} clock in {}", shown["clocks"]))
    };
    assert_eq!(clock("answer")["state"], "stopped", "{}", shown["clocks"]);
    assert_eq!(clock("localise")["state"], "running");
    let localise_due: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(clock("localise")["due_at"].clone()).unwrap();
    assert!(
        localise_due >= before + chrono::Duration::minutes(30)
            && localise_due <= done + chrono::Duration::minutes(30),
        "{localise_due}"
    );
    assert_eq!(clock("fix")["due_at"], after["due_at"]);

    // The history: old and new category and the reason.
    let events = company
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    let event = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "recategorise")
        .unwrap_or_else(|| panic!("no recategorise event in {events}"));
    assert_eq!(event["details"]["from_category"], "other");
    assert_eq!(event["details"]["to_category"], "flooding");
    assert_eq!(event["details"]["from_category_id"], other["id"]);
    assert_eq!(event["details"]["to_category_id"], flooding["id"]);
    assert_eq!(event["comment"], reason);

    // The company hears of it in the app.
    api::worker::tick(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    let inbox = company.get_json("/api/v1/notifications").await;
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["complaint_id"] == id.as_str() && n["kind"] == "recategorise")
        .unwrap_or_else(|| panic!("no notice of the recategorisation in {inbox}"));
    assert!(
        told["text"]
            .as_str()
            .unwrap()
            .contains("категория изменена"),
        "{told}"
    );

    // A rejected complaint is not recategorised.
    let rejected = dispatcher
        .ok(
            &after,
            json!({ "type": "reject", "reason": "not_housing_matter", "comment": "" }),
        )
        .await;
    let body = problem(dispatcher.act(&rejected, to(&other, "Поздно")).await, 409).await;
    assert_eq!(body["code"], "invalid_transition");
}
