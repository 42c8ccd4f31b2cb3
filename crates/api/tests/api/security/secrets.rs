//! Finding 17 and key rotation: what is stored holds no PIN or phone in the clear, and JWT keys
//! rotate by `kid`.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{DEMO_PASSWORD, Options, SECRET, TestApp, User, fixtures, spawn_replica_with};

on_both_databases!(
    finding_17_a_stored_idempotent_answer_holds_no_pin_or_phone_in_the_clear,
    jwt_keys_rotate_by_kid,
);

async fn finding_17_a_stored_idempotent_answer_holds_no_pin_or_phone_in_the_clear(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let clerk = User::new(&app, "clerk").await;
    let filing = json!({
        "building_id": building, "category_id": category, "flat": "7",
        "description": "Не работает лифт во втором подъезде",
        "applicant": { "name": "Сидорова Анна Петровна", "phone": "+7 922 555-12-34",
                       "consent": { "accepted": true, "version": domain::CONSENT_VERSION } }
    });
    let send = || {
        app.client
            .post(app.url("/api/v1/complaints"))
            .bearer_auth(&clerk.token)
            .header("idempotency-key", "receipt-1")
            .json(&filing)
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let pin = first["pin"].as_str().unwrap().to_owned();
    // What the database keeps for the replay.
    let db = app.direct_connection().await;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT response FROM idempotency_keys",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let stored: String = rows[0].try_get("", "response").unwrap();
    for secret in [pin.as_str(), "79225551234", "555-12-34", "Сидорова"] {
        assert!(!stored.contains(secret), "{secret} is stored in the clear");
    }
    // The replay is the first answer, PIN included.
    let replay = send().await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay, first);
}

async fn jwt_keys_rotate_by_kid(app: TestApp) {
    let token = app.login_as("dispatcher").await;
    let header = token.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header).unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], api::auth::key_id(SECRET));
    const NEW: &str = "a-new-secret-after-rotation-0123456789";
    // Rotated: the new key signs, the old one still verifies.
    let rotated = spawn_replica_with(
        &app,
        Options {
            env: vec![
                ("APP_JWT_SECRET", NEW.to_owned()),
                ("APP_JWT_PREVIOUS_SECRETS", SECRET.to_owned()),
            ],
            ..Options::default()
        },
    )
    .await;
    assert_eq!(rotated.get("/api/v1/me", Some(&token)).await.status(), 200);
    let fresh: Value = rotated
        .login("dispatcher@demo.test", DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let fresh = fresh["access_token"].as_str().unwrap().to_owned();
    assert_eq!(rotated.get("/api/v1/me", Some(&fresh)).await.status(), 200);
    // Retired: the old key is left out and its tokens stop.
    let retired = spawn_replica_with(
        &app,
        Options {
            env: vec![("APP_JWT_SECRET", NEW.to_owned())],
            ..Options::default()
        },
    )
    .await;
    assert_eq!(retired.get("/api/v1/me", Some(&token)).await.status(), 401);
    assert_eq!(retired.get("/api/v1/me", Some(&fresh)).await.status(), 200);
}
