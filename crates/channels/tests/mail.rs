//! The mail channel against a real SMTP server: the aiosmtpd sink in `tests/sinks/smtp.py`
//! (Python 3 with venv, set up on first use by `tests/sinks/venv.sh`), and `openssl` for the
//! self-signed certificate of the STARTTLS cases.
// The helpers below are test code too: a failed set-up should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use channels::mail::{MailClient, MailError, SmtpConfig, TlsMode};
use serde_json::Value;

const FROM: &str = "Диспетчерская ЖКХ <noreply@example.ru>";

fn sinks_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sinks")
}

/// The sink's Python, from the venv made once per test process (the script itself serialises
/// concurrent processes).
fn sink_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let out = Command::new("bash")
            .arg(sinks_dir().join("venv.sh"))
            .stderr(Stdio::inherit())
            .output()
            .expect("run tests/sinks/venv.sh (needs python3 with venv and PyPI)");
        assert!(out.status.success(), "tests/sinks/venv.sh failed");
        let venv = String::from_utf8(out.stdout).expect("venv path is UTF-8");
        PathBuf::from(venv.trim()).join("bin/python")
    })
}

fn scratch_dir(what: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("channels-mail-{what}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    dir
}

/// A self-signed certificate for `localhost` and 127.0.0.1, made on first use and kept in the
/// target's temporary directory (made aside, then renamed into place: concurrent test processes
/// agree on one pair).
fn certificate() -> &'static (PathBuf, PathBuf) {
    static CERT: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    CERT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("channels-mail-sink-cert");
        let pair = |dir: &Path| (dir.join("cert.pem"), dir.join("key.pem"));
        if !dir.join("key.pem").exists() {
            let fresh = scratch_dir("cert");
            let (cert, key) = pair(&fresh);
            let status = Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
                ])
                .args(["-subj", "/CN=localhost"])
                .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&cert)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run openssl (Debian package openssl)");
            assert!(status.success(), "openssl req failed");
            if std::fs::rename(&fresh, &dir).is_err() {
                // Another process got there first: use its pair.
                let _ = std::fs::remove_dir_all(&fresh);
            }
        }
        pair(&dir)
    })
}

/// One running sink on a port of its own, stopped and cleaned up on drop.
struct Sink {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Sink {
    fn start(extra: &[&str]) -> Sink {
        let dir = scratch_dir("sink");
        let mut child = Command::new(sink_python())
            .arg(sinks_dir().join("smtp.py"))
            .args(["--port", "0", "--dir"])
            .arg(&dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP sink");
        let stdout = child.stdout.take().expect("the sink's stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("the SMTP sink did not get ready within 30 s");
            }
        };
        let port = line
            .trim()
            .strip_prefix("READY ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from the sink: {line:?}"));
        Sink { child, dir, port }
    }

    fn starttls(extra: &[&str]) -> Sink {
        let (cert, key) = certificate();
        let mut args = vec![
            "--starttls",
            cert.to_str().expect("UTF-8 path"),
            key.to_str().expect("UTF-8 path"),
        ];
        args.extend_from_slice(extra);
        Sink::start(&args)
    }

    fn config(&self, host: &str) -> SmtpConfig {
        let mut config = SmtpConfig::new(host, self.port, FROM);
        config.timeout_seconds = 10;
        config
    }

    fn messages(&self) -> Vec<Value> {
        match std::fs::read_to_string(self.dir.join("mail.jsonl")) {
            Ok(text) => text
                .lines()
                .map(|l| serde_json::from_str(l).expect("a JSON line"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("read mail.jsonl: {e}"),
        }
    }

    fn only_message(&self) -> Value {
        let mut messages = self.messages();
        assert_eq!(messages.len(), 1, "{messages:#?}");
        messages.remove(0)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const SUBJECT: &str = "Заявка №42 принята: протечка кровли над кв. 17, дом 5 по ул. Ленина — ответ управляющей компании ожидается до 12:00 «завтра» (ёЁ)";
const TEXT: &str = "Здравствуйте, Анна Петровна!\n\nВаша заявка №42 принята диспетчерской.\nСрок ответа управляющей компании — 24 часа.\n\nСтрока с пробелом в конце \nи длинная строка: Съешь же ещё этих мягких французских булок, да выпей чаю. Съешь же ещё этих мягких французских булок, да выпей чаю. Съешь же ещё этих мягких французских булок, да выпей чаю.\n";
const HTML: &str = "<!doctype html><html><body><p>Здравствуйте, <b>Анна Петровна</b>!</p><p>Ваша заявка <a href=\"https://example.ru/c/42\">№42</a> принята.</p></body></html>";

#[tokio::test]
async fn russian_subject_and_both_parts_arrive_intact() {
    let sink = Sink::start(&[]);
    let client = MailClient::new(sink.config("127.0.0.1")).unwrap();
    let sent = client
        .send("resident@example.ru", SUBJECT, TEXT, Some(HTML))
        .await
        .unwrap();

    let id = sent
        .message_id
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix("@example.ru>"))
        .unwrap_or_else(|| panic!("Message-ID not <uuid@example.ru>: {}", sent.message_id));
    uuid::Uuid::parse_str(id).expect("a UUID left of the @");

    let m = sink.only_message();
    assert_eq!(m["message_id"], sent.message_id.as_str());
    assert_eq!(m["subject"], SUBJECT);
    assert_eq!(m["text"], TEXT);
    assert_eq!(m["html"], HTML);
    assert_eq!(m["from"], FROM);
    assert_eq!(m["envelope_from"], "noreply@example.ru");
    assert_eq!(m["to"], serde_json::json!(["resident@example.ru"]));
    assert_eq!(m["tls"], false, "the sink offered no STARTTLS");

    // Proper MIME: the raw message is 7-bit ASCII, the Russian text travels encoded.
    let raw = std::fs::read(sink.dir.join(m["eml"].as_str().unwrap())).unwrap();
    assert!(raw.is_ascii(), "raw 8-bit bytes in the message");
    let raw = String::from_utf8(raw).unwrap();
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("=?utf-8?"), "no RFC 2047 encoded words: {raw}");
}

#[tokio::test]
async fn without_html_a_single_plain_part_is_sent() {
    let sink = Sink::start(&[]);
    let client = MailClient::new(sink.config("127.0.0.1")).unwrap();
    let sent = client
        .send(
            "Анна Петровна <resident@example.ru>",
            "Тест",
            "Только текст.",
            None,
        )
        .await
        .unwrap();
    let m = sink.only_message();
    assert_eq!(m["message_id"], sent.message_id.as_str());
    assert_eq!(m["text"], "Только текст.");
    assert_eq!(m["html"], Value::Null);
}

#[tokio::test]
async fn a_refused_address_is_a_permanent_error() {
    let sink = Sink::start(&["--refuse", "gone@example.ru"]);
    let client = MailClient::new(sink.config("127.0.0.1")).unwrap();
    let error = client
        .send("gone@example.ru", "Тема", "Текст", Some("<p>Текст</p>"))
        .await
        .unwrap_err();
    assert!(matches!(error, MailError::Permanent(_)), "{error:?}");
    assert!(error.is_permanent());
    assert!(error.to_string().contains("550"), "{error}");
    assert!(sink.messages().is_empty());

    // The same client carries on for other recipients.
    client
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap();
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_dead_port_is_a_connection_error_at_once() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut config = SmtpConfig::new("127.0.0.1", port, FROM);
    config.timeout_seconds = 5;
    let client = MailClient::new(config).unwrap();
    let started = Instant::now();
    let error = client
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap_err();
    assert!(matches!(error, MailError::Connection(_)), "{error:?}");
    assert!(!error.is_permanent());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_silent_server_times_out_within_the_deadline() {
    // Accepts connections and never says a word: no greeting, so the client must give up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let mut config = SmtpConfig::new("127.0.0.1", port, FROM);
    config.timeout_seconds = 1;
    let client = MailClient::new(config).unwrap();
    let started = Instant::now();
    let error = client
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    holder.abort();
    match &error {
        MailError::Connection(text) => assert!(text.starts_with("timed out"), "{text}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(900),
        "gave up early: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "overran the deadline: {elapsed:?}"
    );
}

#[tokio::test]
async fn starttls_offered_is_used_in_opportunistic_mode() {
    let sink = Sink::starttls(&[]);
    let mut config = sink.config("localhost");
    config.accept_invalid_certs = true; // the sink's certificate is self-signed
    let client = MailClient::new(config).unwrap();
    let sent = client
        .send("resident@example.ru", SUBJECT, TEXT, Some(HTML))
        .await
        .unwrap();
    let m = sink.only_message();
    assert_eq!(m["tls"], true);
    assert_eq!(m["message_id"], sent.message_id.as_str());
    assert_eq!(m["subject"], SUBJECT);
}

#[tokio::test]
async fn an_untrusted_certificate_fails_instead_of_falling_back_to_plain_text() {
    let sink = Sink::starttls(&[]);
    let client = MailClient::new(sink.config("localhost")).unwrap();
    let error = client
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap_err();
    match &error {
        MailError::Connection(text) => assert!(text.contains("certificate"), "{text}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn required_tls_refuses_a_server_without_starttls() {
    let sink = Sink::start(&[]);
    let mut config = sink.config("127.0.0.1");
    config.tls = TlsMode::Required;
    let client = MailClient::new(config).unwrap();
    let error = client
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap_err();
    match &error {
        MailError::Connection(text) => assert!(text.contains("STARTTLS"), "{text}"),
        other => panic!("expected a connection error, got {other:?}"),
    }
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn required_tls_works_when_offered() {
    let sink = Sink::starttls(&[]);
    let mut config = sink.config("localhost");
    config.tls = TlsMode::Required;
    config.accept_invalid_certs = true;
    MailClient::new(config)
        .unwrap()
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap();
    assert_eq!(sink.only_message()["tls"], true);
}

#[tokio::test]
async fn tls_none_stays_plain_even_when_starttls_is_offered() {
    let sink = Sink::starttls(&[]);
    let mut config = sink.config("localhost");
    config.tls = TlsMode::None;
    MailClient::new(config)
        .unwrap()
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap();
    assert_eq!(sink.only_message()["tls"], false);
}

#[tokio::test]
async fn credentials_authenticate_after_starttls() {
    let sink = Sink::starttls(&["--auth", "dispatch", "пароль-secret"]);
    let mut config = sink.config("localhost");
    config.accept_invalid_certs = true;
    config.username = Some("dispatch".into());
    config.password = Some("пароль-secret".into());
    MailClient::new(config.clone())
        .unwrap()
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap();
    let m = sink.only_message();
    assert_eq!(m["auth"], "dispatch");
    assert_eq!(m["tls"], true);

    config.password = Some("wrong".into());
    let error = MailClient::new(config)
        .unwrap()
        .send("resident@example.ru", "Тема", "Текст", None)
        .await
        .unwrap_err();
    assert!(matches!(error, MailError::Permanent(_)), "{error:?}");
    assert!(error.to_string().contains("535"), "{error}");
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn clones_send_concurrently() {
    let sink = Sink::start(&[]);
    let client = MailClient::new(sink.config("127.0.0.1")).unwrap();
    let sends = (0..5).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .send(
                    &format!("resident{i}@example.ru"),
                    &format!("Письмо {i}"),
                    "Текст",
                    None,
                )
                .await
        })
    });
    let mut ids = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        ids.push(send.await.unwrap().unwrap().message_id);
    }
    let mut seen: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    seen.sort();
    assert_eq!(ids, seen);
}
