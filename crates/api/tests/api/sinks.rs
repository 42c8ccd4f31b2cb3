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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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
