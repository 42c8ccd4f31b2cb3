//! Authentication over real HTTP: phone sign-in, refresh-token rotation and reuse detection,
//! sign-out, password change, residents' registration, admin-managed accounts and API keys, the
//! per-account sign-in limit, and forged JWTs. The helpers below serve every module here.

mod accounts;
mod api_keys;
mod cookie_session;
mod forged_tokens;
mod registration;
mod sessions;
mod sign_in;

use crate::helpers::TestApp;
use serde_json::{Value, json};

async fn post(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// Asserts a problem+json answer and returns its status and code.
async fn problem(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "status {status}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    (status, body["code"].as_str().unwrap().to_owned(), body)
}

async fn expect_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    let (actual_status, actual_code, body) = problem(response).await;
    assert_eq!(
        (actual_status, actual_code.as_str()),
        (status, code),
        "{body}"
    );
    body
}

/// Signs in and returns the whole token response.
async fn sign_in(app: &TestApp, login: &str, password: &str) -> Value {
    let response = app.login(login, password).await;
    assert_eq!(response.status(), 200, "{login} signs in");
    response.json().await.unwrap()
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap().to_owned()
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/refresh",
        json!({ "refresh_token": token }),
        None,
    )
    .await
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/me", Some(token)).await
}

async fn organisation_of(app: &TestApp, role: &str) -> String {
    let token = app.login_as(role).await;
    let me: Value = me(app, &token).await.json().await.unwrap();
    me["organisation"]["id"].as_str().unwrap().to_owned()
}
