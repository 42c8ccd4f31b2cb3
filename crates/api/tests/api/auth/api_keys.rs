//! API keys: issued by administrators, shown once, scoped, revocable.

use super::{expect_problem, organisation_of, post, text};
use crate::helpers::TestApp;
use serde_json::{Value, json};

on_both_databases!(api_keys);

async fn whoami_with(app: &TestApp, header: &str, value: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/auth/whoami"))
        .header(header, value)
        .send()
        .await
        .unwrap()
}

async fn api_keys(app: TestApp) {
    let admin = app.login_as("admin").await;
    let company = organisation_of(&app, "company").await;
    let response = post(
        &app,
        "/api/v1/admin/api-keys",
        json!({
            "name": "1С: УК Северный город",
            "organisation_id": company,
            "scopes": ["complaints:read", "complaints:work", "complaints:read"]
        }),
        Some(&admin),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let key = text(&created, "key");
    let id = text(&created, "id");
    let (prefix, rest) = key.split_at(3);
    assert_eq!(prefix, "dk_");
    let (key_id, secret) = rest.split_once('_').unwrap();
    assert_eq!(key_id, id.replace('-', ""));
    assert_eq!(secret.len(), 43);
    assert_eq!(
        created["scopes"],
        json!(["complaints:read", "complaints:work"])
    );
    assert_eq!(created["organisation"]["id"], company.as_str());

    // The list never shows the secret.
    let raw = app
        .get("/api/v1/admin/api-keys", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(!raw.contains(secret), "{raw}");
    let list: Value = serde_json::from_str(&raw).unwrap();
    let listed = &list["items"][0];
    assert_eq!(listed["id"], id.as_str());
    assert!(listed.get("key").is_none() && listed.get("key_hash").is_none());
    assert!(listed["revoked_at"].is_null());

    // The key authenticates, in either header, as a service account of its organisation.
    for (header, value) in [
        ("authorization", format!("Bearer {key}")),
        ("x-api-key", key.clone()),
    ] {
        let response = whoami_with(&app, header, &value).await;
        assert_eq!(response.status(), 200, "{header}");
        let who: Value = response.json().await.unwrap();
        assert_eq!(who["kind"], "service_account");
        assert_eq!(who["organisation_id"], company.as_str());
        assert_eq!(who["api_key_id"], id.as_str());
        assert_eq!(who["scopes"], json!(["complaints:read", "complaints:work"]));
        assert!(who["role"].is_null());
    }
    // A person's token also works there.
    let who: Value = app
        .get("/api/v1/auth/whoami", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (who["kind"].as_str(), who["role"].as_str()),
        (Some("user"), Some("admin"))
    );
    // A key is not a person: handlers that need a signed-in user refuse it.
    expect_problem(
        app.get("/api/v1/me", Some(&key)).await,
        401,
        "invalid_token",
    )
    .await;
    expect_problem(
        app.get("/api/v1/admin/api-keys", Some(&key)).await,
        401,
        "invalid_token",
    )
    .await;
    // Forged and unknown keys.
    let forged = format!("dk_{key_id}_{}", "A".repeat(43));
    let unknown = format!("dk_{}_{secret}", uuid::Uuid::new_v4().simple());
    for bad in [forged.as_str(), unknown.as_str(), "dk_", "dk_123_abc"] {
        expect_problem(
            whoami_with(&app, "x-api-key", bad).await,
            401,
            "invalid_api_key",
        )
        .await;
    }
    // Both headers at once are refused rather than guessed at.
    let both = app
        .client
        .get(app.url("/api/v1/auth/whoami"))
        .header("x-api-key", &key)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_problem(both, 400, "ambiguous_credentials").await;

    // Revocation.
    let response = post(
        &app,
        &format!("/api/v1/admin/api-keys/{id}/revoke"),
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(response.status(), 204);
    expect_problem(
        whoami_with(&app, "x-api-key", &key).await,
        401,
        "invalid_api_key",
    )
    .await;
    expect_problem(
        whoami_with(&app, "authorization", &format!("Bearer {key}")).await,
        401,
        "invalid_api_key",
    )
    .await;
    let list: Value = app
        .get("/api/v1/admin/api-keys", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"][0]["revoked_at"].is_string());
    let again = post(
        &app,
        &format!("/api/v1/admin/api-keys/{id}/revoke"),
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(again.status(), 204);
    expect_problem(
        post(
            &app,
            "/api/v1/admin/api-keys/00000000-0000-0000-0000-000000000000/revoke",
            json!({}),
            Some(&admin),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Bad requests.
    let create = |body: Value| post(&app, "/api/v1/admin/api-keys", body, Some(&admin));
    expect_problem(
        create(json!({ "name": "x", "organisation_id": company, "scopes": ["complaints:delete"] }))
            .await,
        400,
        "malformed_json",
    )
    .await;
    let body = expect_problem(
        create(json!({ "name": "", "organisation_id": company, "scopes": [] })).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        body["errors"]["name"].is_array() && body["errors"]["scopes"].is_array(),
        "{body}"
    );
    let body = expect_problem(
        create(json!({ "name": "x", "organisation_id": "00000000-0000-0000-0000-000000000000", "scopes": ["complaints:read"] })).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["organisation_id"].is_array(), "{body}");
}
