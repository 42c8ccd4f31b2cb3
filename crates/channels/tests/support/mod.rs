//! The local SMSC simulator (`tests/sinks/smsc.py`, on the smpp34 codec) as a test fixture:
//! a real SMPP server on a free port, with its HTTP control endpoint.

use std::{
    fs::File,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use channels::sms::{Inbound, SmppConfig, SmsClient};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::mpsc,
};

pub const SYSTEM_ID: &str = "dispatch";
pub const PASSWORD: &str = "s3cret";

fn sinks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sinks")
}

/// The simulator's virtualenv, made once per test process by `tests/sinks/venv.sh`.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let out = Command::new(sinks().join("venv.sh"))
            .stderr(Stdio::inherit())
            .output()
            .expect("tests/sinks/venv.sh runs (python3 with venv and pip, PyPI reachable)");
        assert!(out.status.success(), "tests/sinks/venv.sh failed");
        let venv = String::from_utf8(out.stdout).unwrap();
        Path::new(venv.trim()).join("bin/python")
    })
}

/// A free port below the kernel's ephemeral range (32768–60999), where no outgoing connection
/// takes it as its own port: a server restarted on it binds again.
pub fn free_port() -> u16 {
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

pub struct Smsc {
    pub port: u16,
    pub control: u16,
    pub dir: PathBuf,
    args: Vec<String>,
    child: Option<Child>,
}

impl Smsc {
    /// Starts a simulator that requires [`SYSTEM_ID`] / [`PASSWORD`], with extra arguments.
    pub async fn start(extra: &[&str]) -> Smsc {
        let dir = std::env::temp_dir().join(format!(
            "channels-smsc-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut smsc = Smsc {
            port: free_port(),
            control: free_port(),
            dir,
            args: extra.iter().map(|s| s.to_string()).collect(),
            child: None,
        };
        smsc.restart().await;
        smsc
    }

    /// (Re)starts the simulator on the same ports and folder, and waits until it answers.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "kill it first");
        let log = File::options()
            .create(true)
            .append(true)
            .open(self.dir.join("smsc.log"))
            .unwrap();
        let child = Command::new(python())
            .arg(sinks().join("smsc.py"))
            .args(["--port", &self.port.to_string()])
            .args(["--control-port", &self.control.to_string()])
            .args(["--dir", self.dir.to_str().unwrap()])
            .args(["--system-id", SYSTEM_ID, "--password", PASSWORD])
            .args(&self.args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start the SMSC simulator");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.http("GET", "/health", "").await.is_none() {
            assert!(
                Instant::now() < deadline,
                "the simulator did not start: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Kills the simulator at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("smsc.log")).unwrap_or_default()
    }

    pub fn config(&self) -> SmppConfig {
        let mut config = SmppConfig::new("127.0.0.1", self.port, SYSTEM_ID, PASSWORD, "DISPATCH");
        config.connect_timeout_seconds = 2;
        config.response_timeout_seconds = 3;
        config
    }

    /// A client bound to this simulator (waits for the bind).
    pub async fn client(&self) -> (SmsClient, mpsc::Receiver<Inbound>) {
        let (client, inbound) = SmsClient::start(self.config());
        wait_until(Duration::from_secs(10), || client.is_connected()).await;
        (client, inbound)
    }

    pub async fn messages(&self) -> Vec<Value> {
        self.get("/messages").await.as_array().unwrap().clone()
    }

    pub async fn binds(&self) -> Vec<Value> {
        self.get("/binds").await.as_array().unwrap().clone()
    }

    pub async fn bound(&self) -> u64 {
        self.health().await["bound"].as_u64().unwrap()
    }

    pub async fn health(&self) -> Value {
        self.get("/health").await
    }

    /// A phone replies through the control endpoint: (HTTP status, answer).
    pub async fn reply(&self, from: &str, text: &str, encoding: &str) -> (u16, Value) {
        let body = serde_json::json!({"from": from, "text": text, "encoding": encoding});
        self.http("POST", "/reply", &body.to_string())
            .await
            .expect("the control endpoint answers")
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = self.http("GET", path, "").await.expect("control answers");
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    async fn http(&self, method: &str, path: &str, body: &str) -> Option<(u16, Value)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.control)).await.ok()?;
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
}

impl Drop for Smsc {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub async fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(
            Instant::now() < deadline,
            "condition not met within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The next inbound message, within `limit`.
pub async fn next_inbound(inbound: &mut mpsc::Receiver<Inbound>, limit: Duration) -> Inbound {
    tokio::time::timeout(limit, inbound.recv())
        .await
        .expect("an inbound message in time")
        .expect("the inbound channel is open")
}
