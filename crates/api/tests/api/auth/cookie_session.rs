//! Issue 16: the browser keeps its refresh token in an `HttpOnly; Secure; SameSite=Strict` cookie
//! scoped to `/api/v1/auth`; a new tab refreshes with it (and a custom header against CSRF);
//! sign-out revokes the family and clears it. The body flow of apps and integrations still works.

use crate::helpers::{DEMO_PASSWORD, TestApp};
use serde_json::{Value, json};

on_both_databases!(the_refresh_cookie_signs_in_a_new_tab_and_sign_out_ends_it);

/// The `dispatch_refresh` cookie a response sets: (value, attributes).
fn set_cookie(response: &reqwest::Response) -> (String, String) {
    let header = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dispatch_refresh="))
        .expect("a dispatch_refresh cookie")
        .to_owned();
    let (pair, attributes) = header.split_once(';').unwrap();
    (
        pair.trim_start_matches("dispatch_refresh=").to_owned(),
        attributes.to_owned(),
    )
}

async fn with_cookie(app: &TestApp, path: &str, cookie: &str, header: bool) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("cookie", format!("dispatch_refresh={cookie}"))
        .json(&json!({}));
    if header {
        request = request.header("x-dispatch-session", "cookie");
    }
    request.send().await.unwrap()
}

async fn the_refresh_cookie_signs_in_a_new_tab_and_sign_out_ends_it(app: TestApp) {
    let response = app.login("dispatcher@demo.test", DEMO_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let (cookie, attributes) = set_cookie(&response);
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(attributes.contains(attribute), "{attributes}");
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["refresh_token"].as_str().unwrap(),
        cookie,
        "the body flow keeps its token"
    );

    // Without the custom header the cookie is not used: a cross-site request cannot add it.
    let refused = with_cookie(&app, "/api/v1/auth/refresh", &cookie, false).await;
    assert_eq!(refused.status(), 403);
    // A new tab: the cookie alone (and the header) gives a session and a rotated cookie.
    let response = with_cookie(&app, "/api/v1/auth/refresh", &cookie, true).await;
    assert_eq!(response.status(), 200);
    let (rotated, _) = set_cookie(&response);
    assert_ne!(rotated, cookie);
    let tab: Value = response.json().await.unwrap();
    let me = app.get("/api/v1/me", tab["access_token"].as_str()).await;
    assert_eq!(me.status(), 200);
    // Nothing to refresh with: 401.
    let response = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // Signing out in one tab revokes the family: the other tab's cookie no longer refreshes.
    let response = with_cookie(&app, "/api/v1/auth/logout", &rotated, true).await;
    assert_eq!(response.status(), 204);
    let (cleared, attributes) = set_cookie(&response);
    assert!(
        cleared.is_empty() && attributes.contains("Max-Age=0"),
        "{attributes}"
    );
    let response = with_cookie(&app, "/api/v1/auth/refresh", &rotated, true).await;
    assert_eq!(response.status(), 401);

    // The body flow (apps, integrations) still works on its own.
    let response = app.login("dispatcher@demo.test", DEMO_PASSWORD).await;
    let body: Value = response.json().await.unwrap();
    let response = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({ "refresh_token": body["refresh_token"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let renewed: Value = response.json().await.unwrap();
    let response = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .json(&json!({ "refresh_token": renewed["refresh_token"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}
