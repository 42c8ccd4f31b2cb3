//! Finding 16: tokens and personal data are never cached; HSTS over TLS.

use crate::helpers::{Backend, DEMO_PASSWORD, Options, TestApp, spawn_app_with};

on_both_databases!(finding_16_token_and_personal_answers_are_no_store);

async fn finding_16_token_and_personal_answers_are_no_store(app: TestApp) {
    let cache = |r: &reqwest::Response| {
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let signed_in = app.login("resident@demo.test", DEMO_PASSWORD).await;
    assert_eq!(cache(&signed_in).as_deref(), Some("no-store"));
    let wrong = app.login("resident@demo.test", "wrong").await;
    assert_eq!(cache(&wrong).as_deref(), Some("no-store"));
    let token = app.login_as("dispatcher").await;
    for path in ["/api/v1/me", "/api/v1/complaints", "/api/v1/notifications"] {
        let response = app.get(path, Some(&token)).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(cache(&response).as_deref(), Some("no-store"), "{path}");
    }
    // Anonymous public reads stay cacheable; no HSTS over plain HTTP.
    let public = app.get("/api/v1/categories", None).await;
    assert_eq!(cache(&public), None);
    assert!(!public.headers().contains_key("strict-transport-security"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_16_hsts_over_tls() {
    // Behind a TLS proxy on 127.0.0.1 that says so.
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            env: vec![("APP_TRUSTED_PROXIES", "127.0.0.1".to_owned())],
            ..Options::default()
        },
    )
    .await;
    let over_tls = app
        .client
        .get(app.url("/api/v1/categories"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        over_tls.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    // Without a trusted proxy the header proves nothing.
    let direct = spawn_app_with(Backend::Sqlite, Options::default()).await;
    let spoofed = direct
        .client
        .get(direct.url("/api/v1/categories"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(!spoofed.headers().contains_key("strict-transport-security"));
    // A public https address: always.
    let public = spawn_app_with(
        Backend::Sqlite,
        Options {
            env: vec![("APP_PUBLIC_URL", "https://dispatch.example.ru".to_owned())],
            ..Options::default()
        },
    )
    .await;
    let response = public.get("/api/v1/categories", None).await;
    assert!(response.headers().contains_key("strict-transport-security"));
}
