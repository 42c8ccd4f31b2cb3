//! Residents register themselves.

use super::{expect_problem, me, post, refresh, sign_in, text};
use crate::helpers::TestApp;
use serde_json::{Value, json};

on_both_databases!(resident_registration);

async fn resident_registration(app: TestApp) {
    let registration = |phone: &str, email: Option<&str>| {
        let mut body = json!({
            "name": "Соколова Екатерина Андреевна",
            "phone": phone,
            "password": "correct horse battery",
            "consent": { "accepted": true, "version": "2026-01" }
        });
        if let Some(email) = email {
            body["email"] = json!(email);
        }
        body
    };
    let response = post(
        &app,
        "/api/v1/auth/register",
        registration("8 (912) 345-67-89", Some("Sokolova@Example.ru")),
        None,
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "resident");
    assert_eq!(body["user"]["login"], "sokolova@example.ru");
    assert!(body["user"]["organisation"].is_null());
    assert_eq!(
        refresh(&app, &text(&body, "refresh_token")).await.status(),
        200
    );
    let who: Value = me(&app, &text(&body, "access_token"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(who["role"], "resident");
    // Signs in with the phone in another spelling, and with the e-mail.
    sign_in(&app, "+79123456789", "correct horse battery").await;
    sign_in(&app, "sokolova@example.ru", "correct horse battery").await;

    // Duplicates: the same phone spelt differently, the same e-mail in capitals, a demo phone.
    for (phone, email) in [
        ("+7 912 345 67 89", None),
        ("+79120000000", Some("SOKOLOVA@example.ru")),
        ("+79220000001", None),
        ("+79120000001", Some("resident@demo.test")),
    ] {
        expect_problem(
            post(
                &app,
                "/api/v1/auth/register",
                registration(phone, email),
                None,
            )
            .await,
            409,
            "already_registered",
        )
        .await;
    }
    // No e-mail: the phone is the login.
    let response = post(
        &app,
        "/api/v1/auth/register",
        registration("89125550011", None),
        None,
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["login"], "+79125550011");
    sign_in(&app, "8 912 555 00 11", "correct horse battery").await;

    // Invalid input gets a message per field.
    for bad_phone in ["12345", "+1 212 555 0100", "8-912-ABC-67-89"] {
        let body = expect_problem(
            post(
                &app,
                "/api/v1/auth/register",
                registration(bad_phone, None),
                None,
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(body["errors"]["phone"].is_array(), "{body}");
    }
    let mut no_consent = registration("+79125550022", Some("not-an-email"));
    no_consent["consent"] = json!({ "accepted": false, "version": "2025-01" });
    no_consent["password"] = json!("short");
    let body = expect_problem(
        post(&app, "/api/v1/auth/register", no_consent, None).await,
        422,
        "validation_failed",
    )
    .await;
    for field in ["consent.accepted", "consent.version", "email", "password"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    // Staff cannot be created here.
    let mut as_admin = registration("+79125550033", None);
    as_admin["role"] = json!("admin");
    expect_problem(
        post(&app, "/api/v1/auth/register", as_admin, None).await,
        400,
        "malformed_json",
    )
    .await;
}
