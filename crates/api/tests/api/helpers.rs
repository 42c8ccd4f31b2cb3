//! `spawn_app`: the real application on port 0, on a fresh database of its own — a temporary
//! SQLite file or a new PostgreSQL database that is dropped afterwards.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use api::config::Config;
use api::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const DEMO_PASSWORD: &str = "demo2026";
pub const SECRET: &str = "test-secret-0123456789abcdef-0123456789";

pub struct TestApp {
    pub address: String,
    /// `http://127.0.0.1:PORT` of `/metrics`, when the test set `APP_METRICS_BIND`.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The running app's state: tests drive the background worker through it.
    pub state: actix_web::web::Data<api::state::AppState>,
    database: std::sync::Arc<TestDatabase>,
}

/// Options a test may change before the app starts.
#[derive(Default)]
pub struct Options {
    pub pilot_mode: bool,
    pub web_dir: Option<PathBuf>,
    pub demo_complaints: usize,
    /// More settings (the SMS centre's, the mail relay's).
    pub env: Vec<(&'static str, String)>,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    let database = std::sync::Arc::new(TestDatabase::create(backend).await);
    start(backend, database, options).await
}

/// A second replica of `app` on the same database, as in a deployment with several instances.
pub async fn spawn_replica(app: &TestApp) -> TestApp {
    spawn_replica_with(app, Options::default()).await
}

/// A replica (or a restart) of `app` on the same database with other options.
pub async fn spawn_replica_with(app: &TestApp, options: Options) -> TestApp {
    start(app.backend, app.database.clone(), options).await
}

async fn start(
    backend: Backend,
    database: std::sync::Arc<TestDatabase>,
    options: Options,
) -> TestApp {
    let mut vars = vec![
        ("APP_BIND", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", database.url.clone()),
        ("APP_JWT_SECRET", SECRET.to_owned()),
        ("APP_DEMO", "true".to_owned()),
        ("APP_PILOT_MODE", options.pilot_mode.to_string()),
        ("APP_DB_MAX_CONNECTIONS", "5".to_owned()),
        ("APP_WORKER_INTERVAL_SECONDS", "0".to_owned()),
        // The tests drive sending through `worker::tick`, with a clock of their choosing.
        ("APP_DELIVERY_INTERVAL_MS", "0".to_owned()),
        ("APP_DEMO_COMPLAINTS", options.demo_complaints.to_string()),
        // Tests act on the wall clock: calls at any hour, repeated at once. The call desk's own
        // tests set the real hours and gap and pass the clock in (tests/api/calls.rs).
        ("APP_CALL_HOURS_START", "00:00".to_owned()),
        ("APP_CALL_HOURS_END", "00:00".to_owned()),
        ("APP_CALL_MIN_GAP_MINUTES", "0".to_owned()),
        (
            "APP_WEB_DIR",
            options.web_dir.map_or_else(
                || "/nonexistent-web-dir".to_owned(),
                |p| p.display().to_string(),
            ),
        ),
    ];
    // A test's own settings win over these defaults.
    vars.extend(options.env);
    let config = Config::from_lookup(|name| {
        vars.iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .expect("test configuration");
    let app = Application::build(config)
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        metrics_address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        backend,
        state,
        database,
    }
}

impl TestApp {
    /// A connection of the test's own to the app's database, to look past the API (the API
    /// never hands out its pool).
    pub async fn direct_connection(&self) -> sea_orm::DatabaseConnection {
        Database::connect(&self.database.url)
            .await
            .expect("connect to the test database")
    }

    /// The URL of the app's database (for a second app that reads it as its replica).
    pub fn database_url(&self) -> String {
        self.database.url.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// Signs in as the demo user of `role` and returns the access token.
    pub async fn login_as(&self, role: &str) -> String {
        let response = self
            .login(&format!("{role}@demo.test"), DEMO_PASSWORD)
            .await;
        assert_eq!(response.status(), 200, "demo {role} signs in");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }
}

/// A database that exists for one test only.
struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    async fn create(backend: Backend) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("dispatch-test-{id}.sqlite"));
                Self {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
                let name = format!("t_{id}");
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is needed for these tests and is not reachable at {admin_url} ({e}). \
                         Start it, or set TEST_DATABASE_URL to a server where this user may CREATE DATABASE."
                    )
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                admin.close().await.ok();
                let (base, _) = admin_url
                    .rsplit_once('/')
                    .expect("TEST_DATABASE_URL ends with /<database>");
                Self {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop cannot await; a short-lived runtime on its own thread drops the database.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime.block_on(async {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Runs each named `async fn(TestApp)` twice: on SQLite and on PostgreSQL.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await).await;
                }
            }
        )*
    };
}

/// A signed-in demo user.
pub struct User<'a> {
    pub app: &'a TestApp,
    pub token: String,
}

impl<'a> User<'a> {
    pub async fn new(app: &'a TestApp, role: &str) -> Self {
        Self {
            app,
            token: app.login_as(role).await,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.app.get(path, Some(&self.token)).await
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.app
            .client
            .post(self.app.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Files a complaint about `building` in `category`; returns the 201 body.
    pub async fn file(&self, building: &str, category: &str, description: &str) -> Value {
        let response = self
            .post("/api/v1/complaints", &json!({ "building_id": building, "category_id": category, "flat": "12", "description": description }))
            .await;
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// Sends a transition with the complaint's current version.
    pub async fn act(&self, complaint: &Value, action: Value) -> reqwest::Response {
        let id = complaint["id"].as_str().unwrap();
        self.app
            .client
            .post(
                self.app
                    .url(&format!("/api/v1/complaints/{id}/transitions")),
            )
            .bearer_auth(&self.token)
            .header("if-match", format!("\"{}\"", complaint["version"]))
            .json(&action)
            .send()
            .await
            .unwrap()
    }

    /// Sends a transition that must succeed; returns the new complaint.
    pub async fn ok(&self, complaint: &Value, action: Value) -> Value {
        let response = self.act(complaint, action.clone()).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{action} → {body}");
        body
    }
}

/// A building managed by the demo company, an ordinary category and an emergency one.
pub async fn fixtures(app: &TestApp) -> (String, String, String) {
    let company = User::new(app, "company").await;
    let org = company.get_json("/api/v1/me").await["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let buildings = app
        .get("/api/v1/buildings?limit=50", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let building = buildings
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["company_id"] == org.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let categories = app
        .get("/api/v1/categories", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let categories = categories.as_array().unwrap();
    let ordinary = categories.iter().find(|c| c["emergency"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let emergency = categories.iter().find(|c| c["emergency"] == true).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (building, ordinary, emergency)
}

pub async fn kinds(user: &User<'_>, complaint: &Value) -> Vec<String> {
    let events = user
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            complaint["id"].as_str().unwrap()
        ))
        .await;
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// The text of a PDF, by poppler's `pdftotext` (poppler-utils; `.ci/run` installs it).
pub fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("paper-{}.pdf", uuid::Uuid::now_v7()));
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    let output = output.unwrap_or_else(|e| {
        panic!("pdftotext is needed to check the printed documents (apt-get install poppler-utils): {e}")
    });
    assert!(output.status.success(), "pdftotext failed: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}
