//! The live board (issue 16): the SPA polls a list's first page with `If-None-Match` every few
//! seconds; the tag is computed from what the database holds, so a change made through one replica
//! is seen through another, and nothing changed costs a 304 without a body.

use crate::helpers::{TestApp, User, fixtures, spawn_replica};
use serde_json::Value;

on_both_databases!(a_complaint_filed_through_one_replica_changes_the_board_on_another);
on_both_databases!(the_company_queue_tag_moves_only_with_what_the_company_may_see);
on_both_databases!(the_verification_queue_answers_304_until_a_call_changes);

const BOARD: &str =
    "/api/v1/complaints?sort=newest&limit=20&status=registered,needs_routing,in_progress";
const QUEUE: &str = "/api/v1/complaints?sort=due_soon&limit=20&status=registered,in_progress";

async fn poll(user: &User<'_>, path: &str, etag: &str) -> reqwest::Response {
    user.app
        .client
        .get(user.app.url(path))
        .bearer_auth(&user.token)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap()
}

async fn tag(user: &User<'_>, path: &str) -> (String, Value) {
    let response = user.get(path).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    (etag, response.json().await.unwrap())
}

async fn a_complaint_filed_through_one_replica_changes_the_board_on_another(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let other = spawn_replica(&app).await;
    let dispatcher = User::new(&other, "dispatcher").await;
    let company = User::new(&other, "company").await;
    let resident = User::new(&app, "resident").await;

    let (board_tag, _) = tag(&dispatcher, BOARD).await;
    let (queue_tag, _) = tag(&company, QUEUE).await;
    // Nothing changed: 304, no body, the same tag.
    let response = poll(&dispatcher, BOARD, &board_tag).await;
    assert_eq!(response.status(), 304);
    assert_eq!(response.headers()["etag"].to_str().unwrap(), board_tag);
    assert!(response.bytes().await.unwrap().is_empty());
    assert_eq!(poll(&company, QUEUE, &queue_tag).await.status(), 304);

    // Filed through the first replica…
    let filed = resident.file(&building, &category, "Live board test").await["complaint"].clone();
    // …seen through the second: the old tag no longer matches, the new page holds it.
    let response = poll(&dispatcher, BOARD, &board_tag).await;
    assert_eq!(response.status(), 200);
    let new_tag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_tag, board_tag);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], filed["id"]);
    assert_eq!(poll(&dispatcher, BOARD, &new_tag).await.status(), 304);
    let response = poll(&company, QUEUE, &queue_tag).await;
    assert_eq!(response.status(), 200, "the company's queue changed too");

    // A transition through the first replica changes the tag again (a changed complaint).
    let (queue_tag, _) = tag(&company, QUEUE).await;
    let company_there = User::new(&app, "company").await;
    let filed = company_there
        .get_json(&format!(
            "/api/v1/complaints/{}",
            filed["id"].as_str().unwrap()
        ))
        .await;
    company_there
        .ok(&filed, serde_json::json!({ "type": "accept" }))
        .await;
    assert_eq!(poll(&company, QUEUE, &queue_tag).await.status(), 200);
}

/// A building managed by a company other than the demo company.
async fn foreign_building(app: &TestApp) -> String {
    let company = User::new(app, "company").await;
    let org = company.get_json("/api/v1/me").await["organisation"]["id"].clone();
    let buildings = app
        .get("/api/v1/buildings?limit=50", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    buildings
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["company_id"] != org && !b["company_id"].is_null())
        .expect("a building of another company")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn the_company_queue_tag_moves_only_with_what_the_company_may_see(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let elsewhere = foreign_building(&app).await;
    let company = User::new(&app, "company").await;
    let resident = User::new(&app, "resident").await;
    const ALL: &str = "/api/v1/complaints?sort=due_soon&limit=20";

    let (queue_tag, _) = tag(&company, QUEUE).await;
    let (all_tag, _) = tag(&company, ALL).await;
    // Nothing changed: 304 without a body.
    let response = poll(&company, QUEUE, &queue_tag).await;
    assert_eq!(response.status(), 304);
    assert!(response.bytes().await.unwrap().is_empty());

    // Another company's new complaint does not show through the tag.
    let foreign = resident
        .file(&elsewhere, &category, "Чужой дом: течёт труба")
        .await["complaint"]
        .clone();
    assert_ne!(foreign["company"]["id"], Value::Null);
    assert_eq!(poll(&company, QUEUE, &queue_tag).await.status(), 304);
    assert_eq!(poll(&company, ALL, &all_tag).await.status(), 304);

    // Its own new complaint moves the tag; the new page holds it, and is then quiet again.
    let ours = resident
        .file(&building, &category, "Свой дом: течёт труба")
        .await["complaint"]
        .clone();
    let response = poll(&company, QUEUE, &queue_tag).await;
    assert_eq!(response.status(), 200);
    let new_tag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_tag, queue_tag);
    let page: Value = response.json().await.unwrap();
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == ours["id"])
    );
    assert_eq!(poll(&company, QUEUE, &new_tag).await.status(), 304);
}

async fn the_verification_queue_answers_304_until_a_call_changes(app: TestApp) {
    const CALLS: &str = "/api/v1/calls";
    let (building, category, _) = fixtures(&app).await;
    let dispatcher = User::new(&app, "dispatcher").await;
    let company = User::new(&app, "company").await;
    let resident = User::new(&app, "resident").await;

    let (calls_tag, _) = tag(&dispatcher, CALLS).await;
    assert_eq!(poll(&dispatcher, CALLS, &calls_tag).await.status(), 304);

    // Work reported done: the complaint waits for its call, and the queue's tag moves.
    let filed = resident.file(&building, &category, "Ждёт звонка").await["complaint"].clone();
    let c = company
        .ok(&filed, serde_json::json!({ "type": "accept" }))
        .await;
    company
        .ok(
            &c,
            serde_json::json!({ "type": "report_done", "note": "Сделано" }),
        )
        .await;
    let response = poll(&dispatcher, CALLS, &calls_tag).await;
    assert_eq!(response.status(), 200);
    let new_tag = response.headers()["etag"].to_str().unwrap().to_owned();
    let queue: Value = response.json().await.unwrap();
    assert!(
        queue["calls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|call| call["complaint_id"] == filed["id"])
    );
    // Read again (the clock has moved on): the same page, so 304 — a call due now keeps its time.
    assert_eq!(poll(&dispatcher, CALLS, &new_tag).await.status(), 304);

    // Taken by a dispatcher: changed again.
    let claim = dispatcher
        .post(
            &format!("/api/v1/calls/{}/claim", filed["id"].as_str().unwrap()),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(claim.status(), 200);
    assert_eq!(poll(&dispatcher, CALLS, &new_tag).await.status(), 200);
}
