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

/// One signed-in user of the running binary.
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn sign_in(base: &str, login: &str) -> Self {
        let http = reqwest::Client::new();
        let body: Value = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "login": login, "password": "demo2026" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{login} signs in: {body}"))
            .to_owned();
        Self {
            http,
            base: base.to_owned(),
            token,
        }
    }

    async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value, status: u16) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&body)
            .send()
            .await
            .unwrap();
        let got = response.status().as_u16();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "POST {path} {body}: {value}");
        value
    }

    /// A transition with the complaint's version as If-Match; returns the new complaint.
    async fn act(&self, complaint: &Value, action: Value) -> Value {
        let id = complaint["id"].as_str().unwrap();
        let response = self
            .http
            .post(format!("{}/api/v1/complaints/{id}/transitions", self.base))
            .bearer_auth(&self.token)
            .header("if-match", format!("\"{}\"", complaint["version"]))
            .json(&action)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let value: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{action}: {value}");
        value
    }
}

/// The three runs of the story against the built binary, over HTTP: satisfied after a second
/// round; not done, inspection, order, non-compliance, fine, fixed; a clerk's intake and the PIN.
#[tokio::test]
async fn the_whole_story_against_the_binary() {
    let dir = std::env::temp_dir().join(format!("dispatch-story-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/story.sqlite?mode=rwc", dir.display());
    let mut server = Server::start(&[("APP_DEMO", "true".into()), ("DATABASE_URL", url)]);
    server.wait_ready().await;
    let base = server.base.clone();
    let resident = Client::sign_in(&base, "resident@demo.test").await;
    let company = Client::sign_in(&base, "company@demo.test").await;
    let dispatcher = Client::sign_in(&base, "dispatcher@demo.test").await;
    let inspector = Client::sign_in(&base, "inspector@demo.test").await;
    let clerk = Client::sign_in(&base, "clerk@demo.test").await;

    let org = company.get("/api/v1/me").await["organisation"]["id"].clone();
    let buildings = resident.get("/api/v1/buildings?limit=50").await;
    let building = buildings
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["company_id"] == org)
        .unwrap()["id"]
        .clone();
    let categories = resident.get("/api/v1/categories").await;
    let category = categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["emergency"] == false)
        .unwrap()["id"]
        .clone();
    let file = |description: &str| json!({ "building_id": building, "category_id": category, "description": description });

    // 1. Unsatisfied, a second round, satisfied, closed.
    let c = resident
        .post("/api/v1/complaints", file("Не работает домофон"), 201)
        .await["complaint"]
        .clone();
    let c = company.act(&c, json!({ "type": "accept" })).await;
    let c = company
        .act(&c, json!({ "type": "report_done", "note": "Починили" }))
        .await;
    let c = dispatcher
        .act(
            &c,
            json!({ "type": "record_call", "outcome": "unsatisfied" }),
        )
        .await;
    assert_eq!(
        (c["round"].as_i64(), c["urgent"].as_bool()),
        (Some(2), Some(true))
    );
    let c = company
        .act(
            &c,
            json!({ "type": "report_done", "note": "Заменили блок" }),
        )
        .await;
    let c = resident
        .act(&c, json!({ "type": "resident_answer", "satisfied": true }))
        .await;
    assert_eq!(c["status"], "closed");

    // 2. Not done: inspection, order, non-compliance, fine, fixed, closed.
    let c = resident
        .post("/api/v1/complaints", file("Течёт крыша"), 201)
        .await["complaint"]
        .clone();
    let c = company.act(&c, json!({ "type": "accept" })).await;
    let c = company
        .act(&c, json!({ "type": "report_done", "note": "Готово" }))
        .await;
    let c = dispatcher
        .act(&c, json!({ "type": "record_call", "outcome": "not_done" }))
        .await;
    assert_eq!(c["status"], "under_inspection");
    let c = inspector
        .act(
            &c,
            json!({ "type": "record_findings", "violation": true, "findings": "Протечка есть" }),
        )
        .await;
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    let c = inspector
        .act(
            &c,
            json!({ "type": "issue_order", "due_at": due, "text": "Устранить протечку" }),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let c = inspector
        .act(&c, json!({ "type": "check_compliance", "complied": false }))
        .await;
    let c = inspector.act(&c, json!({ "type": "record_fine", "amount_rub": 15000, "legal_basis": "КоАП РФ ст. 19.5 ч. 1" })).await;
    let c = inspector
        .act(&c, json!({ "type": "check_compliance", "complied": true }))
        .await;
    assert_eq!(c["status"], "closed");
    let events = inspector
        .get(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "registered",
            "accept",
            "report_done",
            "record_call",
            "record_findings",
            "issue_order",
            "check_compliance",
            "record_fine",
            "check_compliance"
        ]
    );

    // 3. A clerk files for a person without an account; the person checks with number and PIN.
    let created = clerk
        .post(
            "/api/v1/complaints",
            json!({ "building_id": building, "category_id": category, "description": "Нет света в подъезде",
                    "applicant": { "name": "Петров Иван", "phone": "+79221234567", "consent": { "accepted": true, "version": "2026-01" } } }),
            201,
        )
        .await;
    let lookup: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/public/complaints/lookup"))
        .json(&json!({ "number": created["complaint"]["number"], "pin": created["pin"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(lookup["status"], "registered");
    assert_eq!(lookup["number"], created["complaint"]["number"]);

    assert!(server.terminate());
    std::fs::remove_dir_all(dir).ok();
}
