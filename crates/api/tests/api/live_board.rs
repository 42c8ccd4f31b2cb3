//! The live board (issue 16): the SPA polls a list's first page with `If-None-Match` every few
//! seconds; the tag is computed from what the database holds, so a change made through one replica
//! is seen through another, and nothing changed costs a 304 without a body.

use crate::helpers::{TestApp, User, fixtures, spawn_replica};
use serde_json::Value;

on_both_databases!(a_complaint_filed_through_one_replica_changes_the_board_on_another);

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
