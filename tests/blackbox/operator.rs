//! Operating the binary: the demo on SQLite across a restart, `migrate` then `serve` on
//! PostgreSQL, and the refusal of a weak secret.

use std::process::Command;

use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

use crate::server::{BIN, Server, sign_in_and_read_me};

#[tokio::test]
async fn demo_on_sqlite_serves_signs_in_and_stops_cleanly() {
    let dir = std::env::temp_dir().join(format!("dispatch-bb-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/nested/dispatch.sqlite?mode=rwc", dir.display());
    let mut server = Server::start(&[("APP_DEMO", "true".into()), ("DATABASE_URL", url.clone())]);
    assert_eq!(server.wait_ready().await["database"], "sqlite");
    let me = sign_in_and_read_me(&server.base).await;
    assert_eq!(me["role"], "dispatcher");
    assert_eq!(me["name"], "Смирнова Ольга Викторовна");
    let docs = reqwest::get(format!("{}/docs/", server.base))
        .await
        .unwrap();
    assert_eq!(docs.status(), 200);
    let spec: Value = reqwest::get(format!("{}/api/v1/openapi.json", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/me"]["get"].is_object());
    assert!(server.terminate(), "SIGTERM ends the process with status 0");

    // A restart on the same file keeps the data and does not seed it twice.
    let mut again = Server::start(&[("APP_DEMO", "true".into()), ("DATABASE_URL", url)]);
    again.wait_ready().await;
    assert_eq!(sign_in_and_read_me(&again.base).await["id"], me["id"]);
    assert!(again.terminate());
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn postgres_migrates_by_subcommand_and_serves() {
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is needed at {admin_url} (set TEST_DATABASE_URL): {e}")
    });
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);

    let migrate = Command::new(BIN)
        .arg("migrate")
        .env_clear()
        .env("DATABASE_URL", &url)
        .env(
            "APP_JWT_SECRET",
            "a-strong-secret-for-the-black-box-test-0123",
        )
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let mut server = Server::start(&[("APP_DEMO", "true".into()), ("DATABASE_URL", url)]);
    assert_eq!(server.wait_ready().await["database"], "postgres");
    assert_eq!(
        sign_in_and_read_me(&server.base).await["role"],
        "dispatcher"
    );
    assert!(server.terminate());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}

#[test]
fn refuses_to_start_without_a_strong_secret() {
    let output = Command::new(BIN)
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", "sqlite::memory:")
        .env("APP_JWT_SECRET", "too-short")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("APP_JWT_SECRET"));
}

/// `dispatch verify-export`: a history exported from the running server verifies offline against
/// its published key, and a changed copy does not (exit status 1, `FAILED`).
#[tokio::test]
async fn a_signed_history_export_verifies_offline_and_a_changed_one_fails() {
    let dir = std::env::temp_dir().join(format!("dispatch-bb-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/dispatch.sqlite?mode=rwc", dir.display());
    let mut server = Server::start(&[
        ("APP_DEMO", "true".into()),
        ("APP_DEMO_COMPLAINTS", "3".into()),
        ("DATABASE_URL", url),
    ]);
    server.wait_ready().await;
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&serde_json::json!({ "login": "inspector@demo.test", "password": "demo2026" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let list: Value = client
        .get(format!("{}/api/v1/complaints", server.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"].as_str().expect("a demo complaint");
    let export = client
        .get(format!(
            "{}/api/v1/complaints/{id}/history/export",
            server.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key: Value = reqwest::get(format!("{}/api/v1/history/signing-key", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = key["public_key"].as_str().unwrap().to_owned();
    assert!(server.terminate());

    let file = dir.join("history.json");
    std::fs::write(&file, &export).unwrap();
    let run = |path: &std::path::Path| {
        Command::new(BIN)
            .arg("verify-export")
            .arg(path)
            .args(["--public-key", &key])
            .env_clear()
            .output()
            .unwrap()
    };
    let ok = run(&file);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{stdout}");
    assert!(
        stdout.contains("chain verified") && stdout.ends_with("OK\n"),
        "{stdout}"
    );

    let mut changed: Value = serde_json::from_str(&export).unwrap();
    changed["document"]["events"][0]["round"] = serde_json::json!(9);
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, changed.to_string()).unwrap();
    let failed = run(&tampered);
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stdout).starts_with("FAILED"));
    std::fs::remove_dir_all(dir).ok();
}
