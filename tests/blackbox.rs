//! Black-box tests: the built `dispatch` binary as an operator runs it, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_dispatch");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(envs: &[(&str, String)]) -> Self {
        let port = free_port();
        let child = Command::new(BIN)
            .arg("serve")
            .env_clear()
            .env("APP_BIND", format!("127.0.0.1:{port}"))
            .env("APP_WEB_DIR", "/nonexistent")
            .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn wait_ready(&mut self) -> Value {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(response) = client.get(format!("{}/ready", self.base)).send().await
                && response.status() == 200
            {
                return response.json().await.unwrap();
            }
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "the server exited before it was ready"
            );
            assert!(
                Instant::now() < deadline,
                "the server did not become ready in 30 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends SIGTERM and returns whether the process exited with status 0.
    fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(25);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill().ok();
        false
    }
}

async fn sign_in_and_read_me(base: &str) -> Value {
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "login": "dispatcher@demo.test", "password": "demo2026" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().expect("a token");
    client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

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
