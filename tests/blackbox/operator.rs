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
