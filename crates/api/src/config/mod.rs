//! Configuration from `APP_*` environment variables, with defaults for the embedded demo.

mod parse;

use std::path::PathBuf;

pub use parse::ConfigError;
use parse::{parse_bool, parse_number};

/// Where logs go and in what shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// A secret that never shows up in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `APP_BIND`, default `127.0.0.1:8080`. Port 0 picks a free port (tests).
    pub bind: String,
    /// `DATABASE_URL`, default `sqlite://./data/dispatch.sqlite?mode=rwc`.
    pub database_url: String,
    /// `APP_DB_MAX_CONNECTIONS`, default 16.
    pub db_max_connections: u32,
    /// `DATABASE_READ_URL`: a PostgreSQL streaming replica for lag-tolerant public reads, and
    /// `APP_READ_MAX_LAG_MS` (default 5000): beyond this lag the replica is bypassed.
    pub database_read_url: Option<String>,
    pub read_max_lag_ms: u64,
    /// `APP_METRICS_BIND`: where `/metrics` listens (unset: nowhere); never the public port.
    pub metrics_bind: Option<String>,
    /// `APP_JWT_SECRET`: at least 32 characters. Required outside demo mode.
    pub jwt_secret: Secret,
    /// `APP_JWT_PREVIOUS_SECRETS`: retiring JWT secrets, comma-separated, each at least 32
    /// characters. Tokens they signed (named by `kid`) still verify; only `APP_JWT_SECRET` signs.
    /// Rotate by moving the old secret here and setting a new one; retire it by removing it after
    /// 15 minutes (the access tokens' lifetime).
    pub jwt_previous_secrets: Vec<Secret>,
    /// `APP_JWT_ISSUER`, default `dispatch`.
    pub jwt_issuer: String,
    /// `APP_CORS_ORIGIN`: one allowed browser origin for a SPA served elsewhere; unset = same origin only.
    pub cors_origin: Option<String>,
    /// `APP_LOG_FORMAT`: `pretty` (default) or `json`.
    pub log_format: LogFormat,
    /// `APP_DEMO`: load the demo city into an empty database; allows a generated JWT secret.
    pub demo: bool,
    /// `APP_PILOT_MODE`: the service runs in test mode; everything it creates is marked as test data.
    pub pilot_mode: bool,
    /// `APP_WEB_DIR`, default `web/dist`: the built SPA.
    pub web_dir: PathBuf,
    /// `APP_CALENDAR_FILE`: a production-calendar JSON whose years replace the bundled ones
    /// (e.g. when the government confirms 2027); unset = the bundled 2024–2027 calendar.
    pub calendar_file: Option<PathBuf>,
    /// Complaints one filer may file in 24 hours: `APP_DAILY_COMPLAINT_LIMIT` (a resident, 10),
    /// `APP_DAILY_COMPLAINT_LIMIT_CLERK` (a clerk, 200), `APP_DAILY_COMPLAINT_LIMIT_API_KEY` (1000).
    pub filing_limits: domain::FilingLimits,
    /// Attachments: `APP_ATTACHMENTS_PER_COMPLAINT` (20), `APP_ATTACHMENT_BYTES_PER_COMPLAINT`
    /// (60 MiB), `APP_ATTACHMENTS_PER_USER_DAY` (40), `APP_ATTACHMENT_BYTES_PER_USER_DAY` (150 MiB).
    pub attachment_limits: domain::AttachmentLimits,
    /// How far (metres) an Open311 request's `lat`/`long` may be from the nearest registered
    /// building (`APP_OPEN311_MAX_DISTANCE_METERS`, default 150).
    pub open311_max_distance_m: u32,
    /// `APP_API_KEY_RATE_LIMIT`, default 600: requests per minute an API key may make, unless the
    /// key has a limit of its own. Counted in the database, so every replica shares it.
    pub api_key_rate_limit: u32,
    /// `APP_WORKER_INTERVAL_SECONDS`, default 30; 0 disables the background worker.
    pub worker_interval_seconds: u64,
    /// `APP_DEMO_COMPLAINTS`, default 0: with `APP_DEMO`, how many complaints of the past month to
    /// play through the lifecycle into a new demo database (`make run` asks for 120).
    pub demo_complaints: usize,
    /// `APP_PUBLIC_URL`, default `http://127.0.0.1:8080`: where people open the service; the
    /// status link in SMS and e-mail points here.
    pub public_url: String,
    /// `APP_SMPP_HOST`, `APP_SMPP_PORT` (default 2775), `APP_SMPP_SYSTEM_ID`, `APP_SMPP_PASSWORD`,
    /// `APP_SMPP_SOURCE` (the sender shown on phones, default `Dispatch`): the operator's SMS
    /// centre. Unset host = SMS wait in the outbox.
    pub smpp: Option<SmppSettings>,
    /// `APP_SMTP_HOST`, `APP_SMTP_PORT` (default 587), `APP_SMTP_USER`, `APP_SMTP_PASSWORD`,
    /// `APP_SMTP_FROM`, `APP_SMTP_TLS` (`starttls` when offered, the default; `required`; `none`):
    /// the mail relay. Unset host = e-mails wait in the outbox.
    pub smtp: Option<SmtpSettings>,
    /// `APP_SMS_PER_PERSON_PER_DAY` (default 10) and `APP_SMS_PER_DAY` (default 50000): what SMS
    /// may cost, counted in the database across replicas.
    pub sms_limits: domain::SmsLimits,
    /// `APP_DELIVERY_INTERVAL_MS`, default 1000: how often the senders look for due messages
    /// (when a gateway is configured) and webhooks are due; 0 leaves sending to the worker's passes.
    pub delivery_interval_ms: u64,
    /// `APP_WEBHOOKS_ALLOW_PRIVATE`, default on in demo and pilot mode, off otherwise: webhook
    /// endpoints may use `http` and point to private and loopback addresses (receivers on the
    /// same machine). Off, only `https` to public addresses is taken and called.
    pub webhooks_allow_private: bool,
    /// `APP_TRUSTED_PROXIES`: addresses or networks (`10.0.0.0/8`) of the reverse proxies in front
    /// of the service, comma-separated. Only from these is `X-Forwarded-For` believed; unset =
    /// the header is ignored and the connection's peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `APP_HISTORY_KEY`: the server's Ed25519 signing key (its 32-byte seed as 64 hex digits)
    /// for history exports and checkpoint files. Wins over `APP_HISTORY_KEY_FILE`.
    pub history_key: Option<Secret>,
    /// `APP_HISTORY_KEY_FILE`: a file holding that key (64 hex digits); made with a new key,
    /// readable by its owner only, when it does not exist. With neither set, a key is generated
    /// at each start (demo and tests): exports then verify only against that run's public key.
    pub history_key_file: Option<PathBuf>,
    /// `APP_CHECKPOINT_DIR`: each daily checkpoint is also stored there as a signed file
    /// `checkpoint-YYYY-MM-DD.json`; unset = only the database and the log.
    pub checkpoint_dir: Option<PathBuf>,
    /// The retention schedule (152-ФЗ): `APP_RETENTION_PERSONAL_DATA_DAYS` (default 1826, five
    /// years from a complaint's closing), `APP_RETENTION_ATTACHMENTS_DAYS` (1096),
    /// `APP_RETENTION_AUDIT_LOG_DAYS` (1826), `APP_RETENTION_IDEMPOTENCY_HOURS` (24).
    pub retention: domain::privacy::Retention,
    /// The call desk (`APP_CALL_*`, see `call_desk_config`).
    pub call_desk: domain::CallDesk,
}

/// The operator's SMS centre.
#[derive(Debug, Clone)]
pub struct SmppSettings {
    pub host: String,
    pub port: u16,
    pub system_id: String,
    pub password: Secret,
    pub source: String,
}

/// How the mail relay's connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    StartTlsWhenOffered,
    Required,
    None,
}

/// The mail relay.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub from: String,
    pub tls: SmtpTls,
}

pub const MIN_SECRET_LEN: usize = 32;

impl Config {
    /// Where webhook endpoints may point.
    pub fn webhook_rules(&self) -> domain::EndpointRules {
        domain::EndpointRules {
            allow_private: self.webhooks_allow_private,
        }
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so that tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let demo = parse_bool(&get, "APP_DEMO")?;
        let jwt_secret = match get("APP_JWT_SECRET") {
            Some(secret) if secret.chars().count() >= MIN_SECRET_LEN => Secret::new(secret),
            Some(_) => return Err(ConfigError::WeakSecret),
            None if demo => Secret::new(format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            )),
            None => return Err(ConfigError::WeakSecret),
        };
        let log_format = match get("APP_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "APP_LOG_FORMAT",
                    value: other.to_owned(),
                    expected: "pretty or json",
                });
            }
        };
        let db_max_connections = match get("APP_DB_MAX_CONNECTIONS") {
            None => 16,
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError::Invalid {
                    name: "APP_DB_MAX_CONNECTIONS",
                    value: v,
                    expected: "a positive whole number",
                })?,
        };
        let trusted_proxies = match get("APP_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => {
                crate::proxies::parse_trusted(&list).map_err(|value| ConfigError::Invalid {
                    name: "APP_TRUSTED_PROXIES",
                    value,
                    expected: "IP addresses or networks (10.0.0.0/8), comma-separated",
                })?
            }
        };
        let jwt_previous_secrets = get("APP_JWT_PREVIOUS_SECRETS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        if s.chars().count() >= MIN_SECRET_LEN {
                            Ok(Secret::new(s))
                        } else {
                            Err(ConfigError::WeakSecret)
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(Self {
            call_desk: crate::call_desk_config::from_lookup(&get).map_err(|e| {
                ConfigError::Invalid {
                    name: e.name,
                    value: e.value,
                    expected: e.expected,
                }
            })?,
            trusted_proxies,
            jwt_previous_secrets,
            bind: get("APP_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            database_url: get("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://./data/dispatch.sqlite?mode=rwc".to_owned()),
            db_max_connections,
            database_read_url: get("DATABASE_READ_URL"),
            read_max_lag_ms: parse_number(&get, "APP_READ_MAX_LAG_MS", 5000)?,
            metrics_bind: get("APP_METRICS_BIND"),
            jwt_secret,
            jwt_issuer: get("APP_JWT_ISSUER").unwrap_or_else(|| "dispatch".to_owned()),
            cors_origin: get("APP_CORS_ORIGIN"),
            log_format,
            demo,
            pilot_mode: parse_bool(&get, "APP_PILOT_MODE")?,
            web_dir: get("APP_WEB_DIR").map_or_else(|| PathBuf::from("web/dist"), PathBuf::from),
            calendar_file: get("APP_CALENDAR_FILE").map(PathBuf::from),
            filing_limits: domain::FilingLimits {
                resident: parse_number(&get, "APP_DAILY_COMPLAINT_LIMIT", 10)?,
                clerk: parse_number(&get, "APP_DAILY_COMPLAINT_LIMIT_CLERK", 200)?,
                api_key: parse_number(&get, "APP_DAILY_COMPLAINT_LIMIT_API_KEY", 1000)?,
            },
            attachment_limits: {
                let d = domain::AttachmentLimits::DEFAULT;
                domain::AttachmentLimits {
                    files_per_complaint: parse_number(
                        &get,
                        "APP_ATTACHMENTS_PER_COMPLAINT",
                        d.files_per_complaint,
                    )?,
                    bytes_per_complaint: parse_number(
                        &get,
                        "APP_ATTACHMENT_BYTES_PER_COMPLAINT",
                        d.bytes_per_complaint,
                    )?,
                    files_per_user_day: parse_number(
                        &get,
                        "APP_ATTACHMENTS_PER_USER_DAY",
                        d.files_per_user_day,
                    )?,
                    bytes_per_user_day: parse_number(
                        &get,
                        "APP_ATTACHMENT_BYTES_PER_USER_DAY",
                        d.bytes_per_user_day,
                    )?,
                }
            },
            open311_max_distance_m: parse_number(&get, "APP_OPEN311_MAX_DISTANCE_METERS", 150)?,
            api_key_rate_limit: parse_number(&get, "APP_API_KEY_RATE_LIMIT", 600)?,
            worker_interval_seconds: parse_number(&get, "APP_WORKER_INTERVAL_SECONDS", 30)?,
            demo_complaints: parse_number(&get, "APP_DEMO_COMPLAINTS", 0)?,
            public_url: get("APP_PUBLIC_URL")
                .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned())
                .trim_end_matches('/')
                .to_owned(),
            smpp: match get("APP_SMPP_HOST") {
                None => None,
                Some(host) => Some(SmppSettings {
                    host,
                    port: parse_number(&get, "APP_SMPP_PORT", 2775)?,
                    system_id: get("APP_SMPP_SYSTEM_ID").unwrap_or_else(|| "dispatch".to_owned()),
                    password: Secret::new(get("APP_SMPP_PASSWORD").unwrap_or_default()),
                    source: get("APP_SMPP_SOURCE").unwrap_or_else(|| "Dispatch".to_owned()),
                }),
            },
            smtp: match get("APP_SMTP_HOST") {
                None => None,
                Some(host) => Some(SmtpSettings {
                    host,
                    port: parse_number(&get, "APP_SMTP_PORT", 587)?,
                    user: get("APP_SMTP_USER"),
                    password: get("APP_SMTP_PASSWORD").map(Secret::new),
                    from: get("APP_SMTP_FROM")
                        .unwrap_or_else(|| "Диспетчерская ЖКХ <noreply@dispatch.local>".to_owned()),
                    tls: match get("APP_SMTP_TLS").as_deref() {
                        None | Some("starttls") => SmtpTls::StartTlsWhenOffered,
                        Some("required") => SmtpTls::Required,
                        Some("none") => SmtpTls::None,
                        Some(other) => {
                            return Err(ConfigError::Invalid {
                                name: "APP_SMTP_TLS",
                                value: other.to_owned(),
                                expected: "starttls, required or none",
                            });
                        }
                    },
                }),
            },
            sms_limits: domain::SmsLimits {
                per_person_per_day: parse_number(&get, "APP_SMS_PER_PERSON_PER_DAY", 10)?,
                per_day: parse_number(&get, "APP_SMS_PER_DAY", 50_000)?,
            },
            delivery_interval_ms: parse_number(&get, "APP_DELIVERY_INTERVAL_MS", 1000)?,
            webhooks_allow_private: match get("APP_WEBHOOKS_ALLOW_PRIVATE") {
                Some(_) => parse_bool(&get, "APP_WEBHOOKS_ALLOW_PRIVATE")?,
                None => demo || parse_bool(&get, "APP_PILOT_MODE")?,
            },
            history_key: get("APP_HISTORY_KEY").map(Secret::new),
            history_key_file: get("APP_HISTORY_KEY_FILE").map(PathBuf::from),
            checkpoint_dir: get("APP_CHECKPOINT_DIR").map(PathBuf::from),
            retention: {
                let d = domain::privacy::Retention::default();
                domain::privacy::Retention {
                    personal_data_days: parse_number(
                        &get,
                        "APP_RETENTION_PERSONAL_DATA_DAYS",
                        d.personal_data_days,
                    )?,
                    attachments_days: parse_number(
                        &get,
                        "APP_RETENTION_ATTACHMENTS_DAYS",
                        d.attachments_days,
                    )?,
                    audit_log_days: parse_number(
                        &get,
                        "APP_RETENTION_AUDIT_LOG_DAYS",
                        d.audit_log_days,
                    )?,
                    idempotency_key_hours: parse_number(
                        &get,
                        "APP_RETENTION_IDEMPOTENCY_HOURS",
                        d.idempotency_key_hours,
                    )?,
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn refuses_to_start_without_a_strong_secret_outside_demo() {
        assert!(matches!(config(&[]), Err(ConfigError::WeakSecret)));
        assert!(matches!(
            config(&[("APP_JWT_SECRET", "short")]),
            Err(ConfigError::WeakSecret)
        ));
        assert!(matches!(
            config(&[("APP_DEMO", "true"), ("APP_JWT_SECRET", "short")]),
            Err(ConfigError::WeakSecret)
        ));
    }

    #[test]
    fn demo_mode_generates_a_secret_and_uses_defaults() {
        let c = config(&[("APP_DEMO", "true")]).unwrap();
        assert!(c.jwt_secret.expose().len() >= MIN_SECRET_LEN);
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert!(c.database_url.starts_with("sqlite://"));
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert!(!format!("{c:?}").contains(c.jwt_secret.expose()));
    }

    #[test]
    fn rejects_malformed_values() {
        let secret = ("APP_JWT_SECRET", "0123456789abcdef0123456789abcdef");
        assert!(config(&[secret, ("APP_LOG_FORMAT", "xml")]).is_err());
        assert!(config(&[secret, ("APP_PILOT_MODE", "maybe")]).is_err());
        assert!(config(&[secret, ("APP_DB_MAX_CONNECTIONS", "0")]).is_err());
        assert!(
            config(&[secret, ("APP_PILOT_MODE", "on")])
                .unwrap()
                .pilot_mode
        );
    }
}
