//! The walking skeleton over real HTTP: health, readiness, sign-in, `/me`, and the error contract.

use crate::helpers::{Backend, Options, TestApp, spawn_app_with};
use serde_json::{Value, json};

on_both_databases!(
    health_and_readiness,
    every_demo_role_signs_in_and_sees_itself,
    wrong_password_is_a_problem,
    invalid_fields_get_a_message_each,
    bad_bodies_are_problems_not_crashes,
    tokens_are_checked,
    unknown_routes_and_methods,
    every_documented_route_is_served,
);

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert_eq!(
        body["type"],
        format!("urn:dispatch:problem:{}", body["code"].as_str().unwrap())
    );
    (status, body)
}

async fn health_and_readiness(app: TestApp) {
    let response = app.get("/health", None).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");

    let ready: Value = app.get("/ready", None).await.json().await.unwrap();
    let expected = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(ready, json!({ "status": "ready", "database": expected }));
}

async fn every_demo_role_signs_in_and_sees_itself(app: TestApp) {
    for role in [
        "resident",
        "clerk",
        "company",
        "dispatcher",
        "inspector",
        "admin",
    ] {
        let response = app
            .login(&format!("  {}@DEMO.test ", role.to_uppercase()), "demo2026")
            .await;
        assert_eq!(response.status(), 200, "{role}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["user"]["role"], role);
        let token = body["access_token"].as_str().unwrap();

        let me: Value = app
            .get("/api/v1/me", Some(token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["role"], role);
        assert_eq!(me["login"], format!("{role}@demo.test"));
        assert_eq!(me["id"], body["user"]["id"]);
        assert_eq!(
            me["organisation"].is_null(),
            role == "resident",
            "{role}: {me}"
        );
    }
}

async fn wrong_password_is_a_problem(app: TestApp) {
    let (status, body) = problem(app.login("dispatcher@demo.test", "wrong").await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let (status, body) = problem(app.login("nobody@demo.test", "demo2026").await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
}

async fn invalid_fields_get_a_message_each(app: TestApp) {
    let (status, body) = problem(app.login("x", "").await).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "validation_failed");
    assert!(
        body["errors"]["login"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        body["errors"]["password"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
}

async fn bad_bodies_are_problems_not_crashes(app: TestApp) {
    let url = app.url("/api/v1/auth/login");
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases: [(Vec<u8>, &str, u16, &str); 6] = [
        (
            b"{not json".to_vec(),
            "application/json",
            400,
            "malformed_json",
        ),
        (b"[]".to_vec(), "application/json", 400, "malformed_json"),
        (
            br#"{"login":"a@b.c","password":"x","admin":true}"#.to_vec(),
            "application/json",
            400,
            "malformed_json",
        ),
        (
            vec![0xff, 0xfe, 0x00],
            "application/json",
            400,
            "malformed_json",
        ),
        (
            br#"{"login":"a@b.c","password":"x"}"#.to_vec(),
            "text/plain",
            415,
            "unsupported_media_type",
        ),
        (
            format!(r#"{{"login":"{}","password":"x"}}"#, "a".repeat(70_000)).into_bytes(),
            "application/json",
            413,
            "payload_too_large",
        ),
    ];
    for (body, content_type, expected_status, expected_code) in cases {
        let (status, problem) = problem(send(body, content_type).await.unwrap()).await;
        assert_eq!(
            (status, problem["code"].as_str().unwrap()),
            (expected_status, expected_code)
        );
    }
}

async fn tokens_are_checked(app: TestApp) {
    let (status, body) = problem(app.get("/api/v1/me", None).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("missing_token"))
    );
    for token in ["garbage", "a.b.c", ""] {
        let (status, body) = problem(app.get("/api/v1/me", Some(token)).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("invalid_token")),
            "{token:?}"
        );
    }
    let token = app.login_as("resident").await;
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    // A token signed with another secret is refused.
    let foreign =
        api::auth::TokenKeys::new("another-secret-0123456789abcdef-0123456789", "dispatch")
            .issue(
                uuid::Uuid::new_v4(),
                domain::Role::Admin,
                None,
                chrono::Utc::now(),
            )
            .unwrap();
    let (status, _) = problem(app.get("/api/v1/me", Some(&foreign)).await).await;
    assert_eq!(status, 401);
}

async fn unknown_routes_and_methods(app: TestApp) {
    let response = app
        .client
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET");
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (405, Some("method_not_allowed"))
    );

    let response = app
        .client
        .get(app.url("/api/v1/auth/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "POST");
    assert_eq!(response.status(), 405);

    let (status, body) = problem(app.get("/api/v1/no-such-thing", None).await).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
}

/// Every path and method in the spec reaches a handler (never the 404/405 fallback), and the spec
/// is served at the documented address.
async fn every_documented_route_is_served(app: TestApp) {
    let spec: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 5);
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace(['{', '}'], "");
            let request = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(&concrete));
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            if status == 404 || status == 405 {
                let body: Value = response.json().await.unwrap_or(Value::Null);
                assert_ne!(
                    body["code"], "method_not_allowed",
                    "{method} {path} is not routed"
                );
                assert!(
                    body["code"] != "not_found" || path.contains('{'),
                    "{method} {path} is not routed"
                );
            }
        }
    }
    let docs = app.get("/docs/", None).await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
}

#[tokio::test]
async fn pilot_mode_and_the_spa_fallback() {
    let web_dir = std::env::temp_dir().join(format!("dispatch-web-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(web_dir.join("assets")).unwrap();
    std::fs::write(
        web_dir.join("index.html"),
        "<!doctype html><title>SPA</title>",
    )
    .unwrap();
    std::fs::write(web_dir.join("assets/app.js"), "console.log(1)").unwrap();
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            pilot_mode: true,
            web_dir: Some(web_dir.clone()),
            ..Options::default()
        },
    )
    .await;

    let meta: Value = app.get("/api/v1/meta", None).await.json().await.unwrap();
    assert_eq!(meta["pilot_mode"], true);
    assert_eq!(meta["time_zone"], "Asia/Yekaterinburg");

    for page in ["/", "/dispatcher", "/resident/complaints/42"] {
        let response = app.get(page, None).await;
        assert_eq!(response.status(), 200, "{page}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>SPA</title>"),
            "{page}"
        );
    }
    assert_eq!(
        app.get("/assets/app.js", None).await.text().await.unwrap(),
        "console.log(1)"
    );
    assert_eq!(app.get("/api/v1/nothing", None).await.status(), 404);
    assert_eq!(
        app.client
            .post(app.url("/dispatcher"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    std::fs::remove_dir_all(web_dir).ok();
}
