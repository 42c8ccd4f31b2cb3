//! Sign-in by phone in any spelling, and the per-account limit on failed sign-ins.

use super::{expect_problem, me, sign_in, text};
use crate::helpers::{DEMO_PASSWORD, TestApp};
use serde_json::json;

on_both_databases!(
    phone_login,
    failed_logins_are_limited_per_account,
    forwarded_for_spoofing_does_not_help,
);

async fn phone_login(app: TestApp) {
    for spelling in [
        "+79220000001",
        "8 (922) 000-00-01",
        " 9220000001 ",
        "7-922-000-00-01",
    ] {
        let body = sign_in(&app, spelling, DEMO_PASSWORD).await;
        assert_eq!(body["user"]["login"], "resident@demo.test", "{spelling}");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["refresh_expires_in"], 30 * 24 * 3600);
        let refresh_token = text(&body, "refresh_token");
        assert_eq!(refresh_token.len(), 43, "256 bits, base64url");
        assert!(
            refresh_token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(me(&app, &text(&body, "access_token")).await.status(), 200);
    }
    expect_problem(
        app.login("+79220000001", "wrong").await,
        401,
        "invalid_credentials",
    )
    .await;
    expect_problem(
        app.login("+79999999999", DEMO_PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
}

async fn failed_logins_are_limited_per_account(app: TestApp) {
    for attempt in 1..=5 {
        expect_problem(
            app.login("company@demo.test", &format!("wrong {attempt}"))
                .await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    // Now even the right password is refused, by e-mail and by phone alike.
    for login in ["company@demo.test", "+79220000004"] {
        let response = app.login(login, DEMO_PASSWORD).await;
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry_after), "{retry_after}");
        expect_problem(response, 429, "too_many_requests").await;
    }
    // Other accounts are untouched.
    sign_in(&app, "company2@demo.test", DEMO_PASSWORD).await;

    // A success in between erases nothing: 4 failures, a success, 1 failure lock the account.
    for attempt in 1..=4 {
        expect_problem(
            app.login("inspector@demo.test", &format!("x{attempt}"))
                .await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    sign_in(&app, "inspector@demo.test", DEMO_PASSWORD).await;
    expect_problem(
        app.login("+79220000007", "x5").await,
        401,
        "invalid_credentials",
    )
    .await;
    expect_problem(
        app.login("inspector@demo.test", DEMO_PASSWORD).await,
        429,
        "too_many_requests",
    )
    .await;

    // Unknown accounts are limited too, so the answer does not tell which accounts exist.
    for _ in 1..=5 {
        expect_problem(
            app.login("ghost@demo.test", "x").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    expect_problem(
        app.login("ghost@demo.test", "x").await,
        429,
        "too_many_requests",
    )
    .await;
}

async fn forwarded_for_spoofing_does_not_help(app: TestApp) {
    let attempt = |password: &'static str, n: u32| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .header("x-real-ip", format!("198.51.100.{n}"))
            .header("forwarded", format!("for=192.0.2.{n}"))
            .json(&json!({ "login": "dispatcher@demo.test", "password": password }))
            .send()
    };
    for n in 1..=5 {
        expect_problem(
            attempt("wrong", n).await.unwrap(),
            401,
            "invalid_credentials",
        )
        .await;
    }
    expect_problem(
        attempt(DEMO_PASSWORD, 99).await.unwrap(),
        429,
        "too_many_requests",
    )
    .await;
}
