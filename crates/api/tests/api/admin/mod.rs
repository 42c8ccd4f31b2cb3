//! The administrators' registries over HTTP: organisations, buildings with the history of their
//! management, categories, and the CSV import of buildings. The helpers below serve every
//! module here.

mod access;
mod buildings;
mod calendar;
mod categories;
mod import;
mod management;
mod management_moves;
mod organisations;
mod policy;

use crate::helpers::{TestApp, User};
use serde_json::Value;

const BOM: &str = "\u{feff}";

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "status {status}"
    );
    (status, response.json().await.unwrap())
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method.parse().unwrap(), app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

async fn patch(user: &User<'_>, path: &str, body: &Value) -> reqwest::Response {
    send(user.app, "PATCH", path, Some(&user.token), Some(body)).await
}

async fn import(user: &User<'_>, csv: impl Into<Vec<u8>>, content_type: &str) -> reqwest::Response {
    user.app
        .client
        .post(user.app.url("/api/v1/admin/buildings/import"))
        .bearer_auth(&user.token)
        .header("content-type", content_type)
        .body(csv.into())
        .send()
        .await
        .unwrap()
}

/// Asserts a 422 with a message for `field`.
async fn invalid(response: reqwest::Response, field: &str) {
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed")),
        "{body}"
    );
    assert!(
        body["errors"][field]
            .as_array()
            .is_some_and(|m| !m.is_empty()),
        "no message for {field}: {body}"
    );
}

async fn expect_code(response: reqwest::Response, status: u16, code: &str) -> Value {
    let (got, body) = problem(response).await;
    assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
    body
}

/// Every item of every page of a keyset-paginated admin list.
async fn all_pages(user: &User<'_>, path: &str, limit: u32) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let url = match &cursor {
            Some(c) => format!("{path}{separator}limit={limit}&cursor={c}"),
            None => format!("{path}{separator}limit={limit}"),
        };
        let page = user.get_json(&url).await;
        let batch = page["items"].as_array().unwrap();
        assert!(batch.len() <= limit as usize);
        items.extend(batch.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
    panic!("pagination of {path} does not end");
}

async fn organisation_id(admin: &User<'_>, kind: &str, index: usize) -> String {
    let page = admin
        .get_json(&format!("/api/v1/admin/organisations?kind={kind}"))
        .await;
    page["items"][index]["id"].as_str().unwrap().to_owned()
}

async fn company_of(user: &User<'_>) -> String {
    user.get_json("/api/v1/me").await["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn any_category(app: &TestApp) -> String {
    let categories: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    categories[0]["id"].as_str().unwrap().to_owned()
}
