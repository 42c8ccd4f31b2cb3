//! Findings 4, 9 and 10: demo accounts outside demo mode, deactivated accounts, and how long a
//! session lasts.

use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{DEMO_PASSWORD, Options, TestApp, User, spawn_replica, spawn_replica_with};

on_both_databases!(
    finding_04_demo_accounts_stop_working_when_demo_mode_is_off,
    finding_09_a_deactivated_account_stops_at_once_on_every_replica,
    finding_10_refreshing_never_extends_a_session_past_ninety_days,
);

async fn finding_04_demo_accounts_stop_working_when_demo_mode_is_off(app: TestApp) {
    let token = app.login_as("admin").await;
    let restarted = spawn_replica_with(
        &app,
        Options {
            env: vec![("APP_DEMO", "false".to_owned())],
            ..Options::default()
        },
    )
    .await;
    for role in ["admin", "dispatcher", "resident"] {
        let response = restarted
            .login(&format!("{role}@demo.test"), DEMO_PASSWORD)
            .await;
        assert_eq!(response.status(), 401, "{role}");
    }
    // A token issued before the restart is refused too, and its session cannot be refreshed.
    assert_eq!(
        restarted.get("/api/v1/me", Some(&token)).await.status(),
        401
    );
    let session: Value = app
        .login("dispatcher@demo.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let refreshed = restarted
        .client
        .post(restarted.url("/api/v1/auth/refresh"))
        .json(&json!({ "refresh_token": session["refresh_token"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 401);
    // The spec's examples hold no working password.
    let spec = restarted
        .get("/api/v1/openapi.json", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!spec.contains(DEMO_PASSWORD));
}

async fn finding_09_a_deactivated_account_stops_at_once_on_every_replica(app: TestApp) {
    let replica = spawn_replica(&app).await;
    let dispatcher = app.login_as("dispatcher").await;
    let company = app.login_as("company").await;
    let admin = User::new(&app, "admin").await;
    // Both work now, on both replicas.
    assert_eq!(app.get("/api/v1/me", Some(&dispatcher)).await.status(), 200);
    assert_eq!(
        replica
            .get("/api/v1/complaints", Some(&company))
            .await
            .status(),
        200
    );
    let me: Value = app
        .get("/api/v1/me", Some(&company))
        .await
        .json()
        .await
        .unwrap();
    let company_id = me["id"].as_str().unwrap();
    let me: Value = app
        .get("/api/v1/me", Some(&dispatcher))
        .await
        .json()
        .await
        .unwrap();
    let dispatcher_id = me["id"].as_str().unwrap();
    for id in [dispatcher_id, company_id] {
        let response = admin
            .post(&format!("/api/v1/admin/users/{id}/deactivate"), &json!({}))
            .await;
        assert_eq!(response.status(), 204);
    }
    // On the replica that deactivated them: at once, the phone reveal included.
    assert_eq!(app.get("/api/v1/me", Some(&dispatcher)).await.status(), 401);
    let reveal = app
        .client
        .post(app.url(&format!(
            "/api/v1/complaints/{}/reveal-phone",
            uuid::Uuid::now_v7()
        )))
        .bearer_auth(&dispatcher)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(reveal.status(), 401);
    // On a replica that never saw the account's tokens: at once as well (it reads the database).
    let fresh = spawn_replica(&app).await;
    assert_eq!(
        fresh
            .get("/api/v1/complaints", Some(&company))
            .await
            .status(),
        401
    );
}

async fn finding_10_refreshing_never_extends_a_session_past_ninety_days(app: TestApp) {
    let session: Value = app
        .login("resident@demo.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    // The session began 89 days ago.
    let db = app.direct_connection().await;
    let began = Utc::now() - Duration::days(89);
    db.execute(
        &sea_orm::sea_query::Query::update()
            .table("refresh_tokens")
            .value("created_at", began)
            .to_owned(),
    )
    .await
    .unwrap();
    let refresh = |token: Value| {
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .json(&json!({ "refresh_token": token }))
            .send()
    };
    let response = refresh(session["refresh_token"].clone()).await.unwrap();
    assert_eq!(response.status(), 200);
    let refreshed: Value = response.json().await.unwrap();
    let left = refreshed["refresh_expires_in"].as_i64().unwrap();
    assert!((23 * 3600..=24 * 3600).contains(&left), "{left}");
    // Past ninety days no refresh is possible, however fresh the last token.
    db.execute(
        &sea_orm::sea_query::Query::update()
            .table("refresh_tokens")
            .value("created_at", Utc::now() - Duration::days(91))
            .to_owned(),
    )
    .await
    .unwrap();
    let response = refresh(refreshed["refresh_token"].clone()).await.unwrap();
    assert_eq!(response.status(), 401);
}
