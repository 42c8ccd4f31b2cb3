//! Refresh-token rotation and reuse detection, sign-out, and the password change.

use super::{expect_problem, me, post, refresh, sign_in, text};
use crate::helpers::{DEMO_PASSWORD, TestApp};
use serde_json::{Value, json};

on_both_databases!(
    refresh_rotates,
    refresh_reuse_revokes_the_family,
    logout_revokes_the_family,
    password_change,
);

async fn refresh_rotates(app: TestApp) {
    let session = sign_in(&app, "dispatcher@demo.test", DEMO_PASSWORD).await;
    let first = text(&session, "refresh_token");
    let response = refresh(&app, &first).await;
    assert_eq!(response.status(), 200);
    let rotated: Value = response.json().await.unwrap();
    let second = text(&rotated, "refresh_token");
    assert_ne!(first, second);
    assert_eq!(rotated["user"]["role"], "dispatcher");
    assert_eq!(rotated["refresh_expires_in"], 30 * 24 * 3600);
    let access = text(&rotated, "access_token");
    let who: Value = me(&app, &access).await.json().await.unwrap();
    assert_eq!(who["login"], "dispatcher@demo.test");
    // The new one rotates again.
    let third: Value = refresh(&app, &second).await.json().await.unwrap();
    assert_ne!(text(&third, "refresh_token"), second);
    // Garbage and unknown tokens.
    expect_problem(
        refresh(&app, "not-a-token").await,
        401,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(
        post(
            &app,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": "" }),
            None,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

async fn refresh_reuse_revokes_the_family(app: TestApp) {
    let session = sign_in(&app, "company@demo.test", DEMO_PASSWORD).await;
    let other_session = sign_in(&app, "company@demo.test", DEMO_PASSWORD).await;
    let first = text(&session, "refresh_token");
    let second: Value = refresh(&app, &first).await.json().await.unwrap();
    let second = text(&second, "refresh_token");

    // The first token is replayed: someone else holds a copy.
    expect_problem(refresh(&app, &first).await, 401, "refresh_token_reused").await;
    // The whole family is gone, the newer token too.
    expect_problem(refresh(&app, &second).await, 401, "invalid_refresh_token").await;
    expect_problem(refresh(&app, &first).await, 401, "refresh_token_reused").await;
    // Another sign-in of the same account is another family and still works.
    assert_eq!(
        refresh(&app, &text(&other_session, "refresh_token"))
            .await
            .status(),
        200
    );
}

async fn logout_revokes_the_family(app: TestApp) {
    let session = sign_in(&app, "inspector@demo.test", DEMO_PASSWORD).await;
    let first = text(&session, "refresh_token");
    let second: Value = refresh(&app, &first).await.json().await.unwrap();
    let second = text(&second, "refresh_token");
    let response = post(
        &app,
        "/api/v1/auth/logout",
        json!({ "refresh_token": second }),
        None,
    )
    .await;
    assert_eq!(response.status(), 204);
    expect_problem(refresh(&app, &second).await, 401, "invalid_refresh_token").await;
    // Idempotent, and tells nothing about unknown tokens.
    let again = post(
        &app,
        "/api/v1/auth/logout",
        json!({ "refresh_token": second }),
        None,
    )
    .await;
    assert_eq!(again.status(), 204);
    let unknown = post(
        &app,
        "/api/v1/auth/logout",
        json!({ "refresh_token": "nope" }),
        None,
    )
    .await;
    assert_eq!(unknown.status(), 204);
    expect_problem(
        post(
            &app,
            "/api/v1/auth/logout",
            json!({ "refresh_token": "x", "all": true }),
            None,
        )
        .await,
        400,
        "malformed_json",
    )
    .await;
}

async fn change(app: &TestApp, current: &str, new: &str, token: Option<&str>) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/password",
        json!({ "current_password": current, "new_password": new }),
        token,
    )
    .await
}

async fn password_change(app: TestApp) {
    let session = sign_in(&app, "resident2@demo.test", DEMO_PASSWORD).await;
    let other_device = sign_in(&app, "+79220000002", DEMO_PASSWORD).await;
    let access = text(&session, "access_token");
    let body = expect_problem(
        change(&app, "wrong", "new password 1", Some(&access)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["current_password"].is_array(), "{body}");
    let body = expect_problem(
        change(&app, DEMO_PASSWORD, DEMO_PASSWORD, Some(&access)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["new_password"].is_array(), "{body}");
    let body = expect_problem(
        change(&app, DEMO_PASSWORD, "short", Some(&access)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["new_password"].is_array(), "{body}");
    expect_problem(
        change(&app, DEMO_PASSWORD, "new password 1", None).await,
        401,
        "missing_token",
    )
    .await;

    assert_eq!(
        change(&app, DEMO_PASSWORD, "new password 1", Some(&access))
            .await
            .status(),
        204
    );
    expect_problem(
        app.login("resident2@demo.test", DEMO_PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    sign_in(&app, "resident2@demo.test", "new password 1").await;
    for session in [&session, &other_device] {
        expect_problem(
            refresh(&app, &text(session, "refresh_token")).await,
            401,
            "invalid_refresh_token",
        )
        .await;
    }
}
