//! The local SMS centre and mail server of the tests (`tests/sinks/smsc.py`, `tests/sinks/smtp.py`
//! at the repository root): real SMPP and SMTP servers on free ports, read back through their
//! logs and the SMS centre's control endpoint.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

pub const SYSTEM_ID: &str = "dispatch";
pub const PASSWORD: &str = "s3cret";

fn sinks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sinks")
}

/// The sinks' Python, from the virtualenv `tests/sinks/venv.sh` makes once.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let out = Command::new(sinks().join("venv.sh"))
            .stderr(Stdio::inherit())
            .output()
            .expect("tests/sinks/venv.sh runs (python3 with venv, PyPI reachable)");
        assert!(out.status.success(), "tests/sinks/venv.sh failed");
        let venv = String::from_utf8(out.stdout).unwrap();
        Path::new(venv.trim()).join("bin/python")
    })
}

/// A free port below the kernel's ephemeral range (32768–60999), where no outgoing connection
/// takes it as its own port: a server restarted on it binds again.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static TAKEN: AtomicU32 = AtomicU32::new(0);
    // Processes of one test run start at different places of the range.
    let base = std::process::id() % 1000 * 12;
    loop {
        let offset = (base + TAKEN.fetch_add(1, Ordering::SeqCst)) % 12_000;
        let port = 20_000 + u16::try_from(offset).unwrap_or(0);
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dispatch-{name}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn wait_for_port(port: u16, what: &str, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "{what} did not start: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The SMS centre simulator.
pub struct Smsc {
    pub port: u16,
    control: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Smsc {
    pub async fn start() -> Smsc {
        let mut smsc = Smsc {
            port: free_port(),
            control: free_port(),
            dir: scratch("smsc"),
            child: None,
        };
        smsc.restart().await;
        smsc
    }

    /// (Re)starts it on the same ports and log: what it received before stays in the log.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "kill it first");
        let log = self.dir.join("smsc.log");
        let out = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        self.child = Some(
            Command::new(python())
                .arg(sinks().join("smsc.py"))
                .args(["--port", &self.port.to_string()])
                .args(["--control-port", &self.control.to_string()])
                .args(["--dir", self.dir.to_str().unwrap()])
                .args(["--system-id", SYSTEM_ID, "--password", PASSWORD])
                .args(["--receipt-delay", "0.1"])
                .stdout(out.try_clone().unwrap())
                .stderr(out)
                .spawn()
                .expect("start the SMSC simulator"),
        );
        wait_for_port(self.control, "the SMSC simulator", &log).await;
        wait_for_port(self.port, "the SMSC simulator", &log).await;
    }

    /// SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every SMS it accepted, in order.
    pub fn messages(&self) -> Vec<Value> {
        read_jsonl(&self.dir.join("sms.jsonl"))
    }

    /// The texts sent to `phone`.
    pub fn texts_to(&self, phone: &str) -> Vec<String> {
        self.messages()
            .iter()
            .filter(|m| m["to"] == phone)
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Whether a client is bound.
    pub async fn bound(&self) -> bool {
        self.http("GET", "/health", "")
            .await
            .is_some_and(|(_, body)| body["bound"].as_u64().unwrap_or(0) > 0)
    }

    /// A phone sends a text to the service.
    pub async fn reply(&self, from: &str, text: &str) {
        let body = serde_json::json!({ "from": from, "text": text }).to_string();
        let (status, answer) = self
            .http("POST", "/reply", &body)
            .await
            .expect("the control endpoint answers");
        assert_eq!(status, 200, "reply: {answer}");
    }

    async fn http(&self, method: &str, path: &str, body: &str) -> Option<(u16, Value)> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.control))
            .await
            .ok()?;
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.ok()?;
        let response = String::from_utf8(response).ok()?;
        let (head, body) = response.split_once("\r\n\r\n")?;
        let status = head.split_whitespace().nth(1)?.parse().ok()?;
        Some((status, serde_json::from_str(body).ok()?))
    }

    /// The app's settings for this SMS centre.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("APP_SMPP_HOST", "127.0.0.1".to_owned()),
            ("APP_SMPP_PORT", self.port.to_string()),
            ("APP_SMPP_SYSTEM_ID", SYSTEM_ID.to_owned()),
            ("APP_SMPP_PASSWORD", PASSWORD.to_owned()),
            ("APP_SMPP_SOURCE", "Dispatch".to_owned()),
        ]
    }
}

impl Drop for Smsc {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The SMTP sink.
pub struct MailSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

impl MailSink {
    pub async fn start() -> MailSink {
        let port = free_port();
        let dir = scratch("mail");
        let log = dir.join("smtp.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(python())
            .arg(sinks().join("smtp.py"))
            .args(["--port", &port.to_string()])
            .args(["--dir", dir.to_str().unwrap()])
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start the SMTP sink");
        wait_for_port(port, "the SMTP sink", &log).await;
        MailSink { port, dir, child }
    }

    /// Every message it accepted.
    pub fn messages(&self) -> Vec<Value> {
        read_jsonl(&self.dir.join("mail.jsonl"))
    }

    /// The messages to `address`.
    pub fn to(&self, address: &str) -> Vec<Value> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m["to"]
                    .as_array()
                    .is_some_and(|to| to.iter().any(|a| a == address))
            })
            .collect()
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("APP_SMTP_HOST", "127.0.0.1".to_owned()),
            ("APP_SMTP_PORT", self.port.to_string()),
            ("APP_SMTP_TLS", "none".to_owned()),
            (
                "APP_SMTP_FROM",
                "Диспетчерская ЖКХ <noreply@dispatch.test>".to_owned(),
            ),
        ]
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits until `condition` holds (polling every 50 ms), for at most `limit`.
pub async fn eventually<F, Fut>(limit: Duration, what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !condition().await {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The webhook receiver (`tests/sinks/webhooks.py`): verifies each delivery with
/// `standardwebhooks`, the Standard Webhooks reference library, and tells what arrived.
pub struct WebhookReceiver {
    pub port: u16,
    dir: PathBuf,
    child: Child,
    client: reqwest::Client,
}

impl WebhookReceiver {
    pub async fn start() -> WebhookReceiver {
        let port = free_port();
        let dir = scratch("webhooks");
        let log = dir.join("webhooks.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(python())
            .arg(sinks().join("webhooks.py"))
            .args(["--port", &port.to_string()])
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start the webhook receiver");
        wait_for_port(port, "the webhook receiver", &log).await;
        WebhookReceiver {
            port,
            dir,
            child,
            client: reqwest::Client::new(),
        }
    }

    /// The URL of the receiver `name`.
    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/hooks/{name}", self.port)
    }

    /// Sets up (or changes) the receiver `name`: the secrets it verifies with, how many
    /// deliveries of each webhook-id it answers 500 first, and its answer after that.
    pub async fn configure(&self, name: &str, secrets: &[&str], fail_first: u32, status: u16) {
        self.setup(name, secrets, fail_first, status, 0).await;
    }

    /// Sets up a receiver that takes `delay_ms` to answer 200.
    pub async fn configure_slow(&self, name: &str, secrets: &[&str], delay_ms: u64) {
        self.setup(name, secrets, 0, 200, delay_ms).await;
    }

    async fn setup(
        &self,
        name: &str,
        secrets: &[&str],
        fail_first: u32,
        status: u16,
        delay_ms: u64,
    ) {
        let response = self
            .client
            .put(format!(
                "http://127.0.0.1:{}/_control/receivers/{name}",
                self.port
            ))
            .json(&serde_json::json!({
                "secrets": secrets, "fail_first": fail_first, "status": status,
                "delay_ms": delay_ms
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }

    /// Every delivery `name` received, in order.
    pub async fn received(&self, name: &str) -> Vec<Value> {
        self.client
            .get(format!(
                "http://127.0.0.1:{}/_control/received/{name}",
                self.port
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The event types `name` accepted (answered 2xx), in order.
    pub async fn accepted_types(&self, name: &str) -> Vec<String> {
        self.received(name)
            .await
            .iter()
            .filter(|d| d["answered"].as_u64().is_some_and(|s| s < 300))
            .map(|d| d["type"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
