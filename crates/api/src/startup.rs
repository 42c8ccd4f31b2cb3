//! Building and running the application: `Application::build(config)` binds (port 0 in tests),
//! connects, migrates, seeds the demo city when asked, and reports the real port.

use std::net::TcpListener;
use std::path::Path;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpMessage, HttpServer, web};
use chrono::Utc;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::TokenKeys;
use crate::config::Config;
use crate::error::{ApiError, ErrorCode};
use crate::openapi::{ApiDoc, RouteTable};
use crate::password;
use crate::routes;
use crate::state::AppState;
use utoipa::OpenApi;

/// The demo password of every demo account (listed in the README).
pub const DEMO_PASSWORD: &str = "demo2026";

/// Largest JSON body accepted.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

pub struct Application {
    port: u16,
    server: Server,
    /// `/metrics` on its own port, when `APP_METRICS_BIND` is set.
    metrics: Option<(u16, Server)>,
    state: web::Data<AppState>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot bind {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("database: {0}")]
    Database(#[from] persistence::RepoError),
    #[error("{0}")]
    Other(String),
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let db = connect(&config).await?;
        // Replicas started together take turns to migrate and to seed an empty database.
        let startup = persistence::startup_lock::StartupLock::acquire(&db).await?;
        persistence::migrate(&db).await?;
        let calendar = crate::calendar_store::CalendarStore::new(load_calendar(&config)?);
        persistence::policy::ensure_defaults(&db, Utc::now()).await?;
        let policy = crate::policy_store::PolicyStore::default();
        if config.demo && persistence::seed::is_empty(&db).await? {
            let hash =
                password::hash(DEMO_PASSWORD).map_err(|e| StartupError::Other(e.to_string()))?;
            persistence::seed::load_demo(&db, &hash, Utc::now()).await?;
            if config.demo_complaints > 0 {
                persistence::demo_complaints::load(
                    &db,
                    config.demo_complaints,
                    Utc::now(),
                    &policy
                        .policy(&db, Utc::now())
                        .await
                        .map_err(|e| StartupError::Other(e.to_string()))?,
                    &*calendar
                        .current(&db)
                        .await
                        .map_err(|e| StartupError::Other(e.to_string()))?,
                )
                .await?;
            }
            tracing::info!(complaints = config.demo_complaints, "loaded the demo city");
        }
        startup.release().await?;
        let dummy_password_hash = password::hash(&uuid::Uuid::new_v4().to_string())
            .map_err(|e| StartupError::Other(e.to_string()))?;
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| StartupError::Bind(config.bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(config.bind.clone(), e))?
            .port();
        let previous: Vec<&str> = config
            .jwt_previous_secrets
            .iter()
            .map(|secret| secret.expose())
            .collect();
        let keys = web::Data::new(TokenKeys::rotating(
            config.jwt_secret.expose(),
            &previous,
            &config.jwt_issuer,
        ));
        let (gateways, sms_received) =
            crate::messaging::Gateways::start(&config).map_err(StartupError::Other)?;
        let webhooks =
            crate::webhooks::client(config.webhook_rules()).map_err(StartupError::Other)?;
        let history_key = crate::signing::load(&config).map_err(StartupError::Other)?;
        let reads = match &config.database_read_url {
            Some(url) => {
                let max_lag = std::time::Duration::from_millis(config.read_max_lag_ms);
                persistence::reads::Reads::with_replica(
                    db.clone(),
                    url,
                    config.db_max_connections,
                    max_lag,
                )
                .await?
            }
            None => persistence::reads::Reads::primary_only(db.clone()),
        };
        let state = web::Data::new(AppState {
            history_key,
            reads,
            db,
            policy,
            calendar,
            config,
            dummy_password_hash,
            gateways,
            webhooks,
            standings: crate::auth::standing::Standings::default(),
            metrics: crate::metrics::registry::Metrics::default(),
        });
        if state.config.delivery_interval_ms > 0 {
            let interval = std::time::Duration::from_millis(state.config.delivery_interval_ms);
            tokio::spawn(crate::webhooks::send::run_forever(state.clone(), interval));
        }
        let has_gateway = state.gateways.sms.is_some() || state.gateways.mail.is_some();
        if has_gateway && state.config.delivery_interval_ms > 0 {
            let interval = std::time::Duration::from_millis(state.config.delivery_interval_ms);
            tokio::spawn(crate::messaging::send::run_forever(state.clone(), interval));
        }
        if let Some(received) = sms_received {
            tokio::spawn(crate::messaging::inbound::store_forever(
                state.clone(),
                received,
            ));
        }
        let scorecard_cache = web::Data::new(routes::public::ScorecardCache::default());
        if state.config.worker_interval_seconds > 0 {
            let interval = std::time::Duration::from_secs(state.config.worker_interval_seconds);
            tokio::spawn(crate::worker::run_forever(state.clone(), interval));
            // The public scorecard is read ahead of the first visitor (cheap: the database keeps
            // its counters).
            routes::public::ScorecardCache::refresh_in_background(
                scorecard_cache.clone(),
                state.clone(),
            );
        }
        let metrics = match &state.config.metrics_bind {
            Some(bind) => {
                let listener = TcpListener::bind(bind)
                    .and_then(|l| l.local_addr().map(|a| (l, a.port())))
                    .map_err(|e| StartupError::Bind(bind.clone(), e))?;
                let server = crate::metrics::serve(listener.0, state.clone())
                    .map_err(|e| StartupError::Bind(bind.clone(), e))?;
                Some((listener.1, server))
            }
            None => None,
        };
        let server_state = state.clone();
        let spec = openapi_spec();
        let spec_3_0 = web::Data::new(openapi_spec_3_0(&spec)?);
        let schedule = web::Data::new(crate::deprecation::Schedule::current());
        let routes = web::Data::new(RouteTable::from_spec(&spec));
        let server = HttpServer::new(move || {
            let web_dir = state.config.web_dir.clone();
            // The docs and the spec go first: the `/api/v1` scope would otherwise take the spec's path.
            App::new()
                .route(
                    "/docs",
                    web::route()
                        .guard(
                            actix_web::guard::Any(actix_web::guard::Get())
                                .or(actix_web::guard::Head()),
                        )
                        .to(redirect_to_docs),
                )
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", spec.clone()))
                .app_data(spec_3_0.clone())
                .app_data(schedule.clone())
                .route("/api/v1/openapi-3.0.json", web::get().to(serve_spec_3_0))
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(keys.clone())
                .app_data(routes.clone())
                .app_data(scorecard_cache.clone())
                .app_data(json_config())
                .app_data(path_config())
                .app_data(query_config())
                .configure(routes::configure)
                .into_app()
                .configure(|cfg| serve_spa_assets(cfg, &web_dir))
                .default_service(web::to(routes::fallback::fallback))
                .wrap(cors(state.config.cors_origin.as_deref()))
                .wrap(security_headers())
                .wrap(from_fn(crate::deprecation::announce))
                .wrap(from_fn(crate::conditional::conditional_get))
                .wrap(from_fn(rate_limit_headers))
                .wrap(from_fn(crate::hardening::guard))
                .wrap(from_fn(echo_request_id))
                .wrap(from_fn(crate::metrics::observe))
                .wrap(TracingLogger::<crate::route::RequestSpan>::new())
        })
        .listen(listener)
        .map_err(|e| StartupError::Bind("listener".to_owned(), e))?
        .shutdown_timeout(20)
        .run();
        Ok(Self {
            port,
            server,
            metrics,
            state: server_state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, e.g. for tests that drive the worker by hand.
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// The port of `/metrics`, when it is served.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Serves until SIGINT or SIGTERM; requests in flight are finished first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if let Some((_, metrics)) = self.metrics {
            tokio::spawn(metrics);
        }
        self.server.await
    }
}

/// The bundled production calendar, with the years of `APP_CALENDAR_FILE` laid over it.
fn load_calendar(config: &Config) -> Result<domain::Calendar, StartupError> {
    let mut calendar = domain::Calendar::russian_default();
    if let Some(path) = &config.calendar_file {
        let json = std::fs::read_to_string(path).map_err(|e| {
            StartupError::Other(format!("APP_CALENDAR_FILE {}: {e}", path.display()))
        })?;
        calendar.merge_json(&json).map_err(|e| {
            StartupError::Other(format!("APP_CALENDAR_FILE {}: {e}", path.display()))
        })?;
    }
    Ok(calendar)
}

/// Connects with the configured pool.
async fn connect(config: &Config) -> Result<persistence::Db, StartupError> {
    let mut settings = persistence::DbSettings::new(config.database_url.clone());
    settings.max_connections = config.db_max_connections;
    Ok(persistence::connect(&settings).await?)
}

/// Connects and applies pending migrations (one replica at a time).
pub async fn connect_and_migrate(config: &Config) -> Result<persistence::Db, StartupError> {
    let db = connect(config).await?;
    let startup = persistence::startup_lock::StartupLock::acquire(&db).await?;
    persistence::migrate(&db).await?;
    startup.release().await?;
    Ok(db)
}

/// The OpenAPI document of the real routes, without starting a server.
pub fn openapi_spec() -> utoipa::openapi::OpenApi {
    let (_, mut spec) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    crate::openapi::complete(&mut spec);
    spec
}

/// The OpenAPI 3.0 rendering of the spec, as JSON text.
pub fn openapi_spec_3_0(spec: &utoipa::openapi::OpenApi) -> Result<Spec30, StartupError> {
    let value = serde_json::to_value(spec).map_err(|e| StartupError::Other(e.to_string()))?;
    serde_json::to_string_pretty(&crate::openapi::v3_0::downgrade(value))
        .map(Spec30)
        .map_err(|e| StartupError::Other(e.to_string()))
}

/// The OpenAPI 3.0 document, rendered once at start.
pub struct Spec30(pub String);

async fn serve_spec_3_0(spec: web::Data<Spec30>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/json")
        .body(spec.0.clone())
}

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT_BYTES)
        .error_handler(|err, _req| json_error(&err).into())
}

fn json_error(err: &actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError;
    match err {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::of(ErrorCode::PayloadTooLarge)
        }
        JsonPayloadError::ContentType => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as application/json.".to_owned(),
        ),
        JsonPayloadError::Deserialize(cause) => {
            ApiError::new(ErrorCode::MalformedJson, cause.to_string())
        }
        other => ApiError::new(ErrorCode::MalformedJson, other.to_string()),
    }
}

/// A path that does not parse (`/complaints/not-a-uuid`) is not found, unless a more literal
/// route owns the path and does not take this method: then 405, as in the fallback.
fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, req| {
        let allowed = req
            .app_data::<web::Data<RouteTable>>()
            .and_then(|routes| routes.allowed_methods(req.path()));
        match allowed {
            Some(allow) if !allow.iter().any(|m| m == req.method().as_str()) => {
                ApiError::method_not_allowed(allow).into()
            }
            _ => ApiError::not_found().into(),
        }
    })
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _req| ApiError::new(ErrorCode::InvalidQuery, err.to_string()).into())
}

fn cors(origin: Option<&str>) -> actix_cors::Cors {
    let cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .allowed_header("Idempotency-Key")
        .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER])
        .expose_headers(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"])
        .expose_headers(["X-Request-Id"])
        .max_age(3600);
    match origin {
        Some(origin) => cors.allowed_origin(origin),
        None => cors,
    }
}

/// Scripts only from this origin, for the SPA and the vendored Swagger UI alike (neither has an
/// inline script): markup that slips into a page (an address from a CSV import on the map) cannot
/// run an inline handler. Styles keep `'unsafe-inline'`: Leaflet and Swagger UI set style
/// attributes, and a style cannot run script.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob: https:; \
     style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(self)",
        ))
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
}

async fn redirect_to_docs() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Copies the request id that `TracingLogger` put on the request span into `X-Request-Id`.
async fn echo_request_id(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let request_id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut response = next.call(req).await?;
    if let Some(id) = request_id
        && let Ok(value) = header::HeaderValue::from_str(&id)
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

/// Adds `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` to every answer to an API
/// key (its extractor left where the key stands in its window).
async fn rate_limit_headers(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let rate_limit = response
        .request()
        .extensions()
        .get::<crate::rate_limit::RateLimit>()
        .copied();
    if let Some(rate_limit) = rate_limit {
        for (name, value) in rate_limit.headers() {
            if let Ok(value) = header::HeaderValue::from_str(&value) {
                response
                    .headers_mut()
                    .insert(header::HeaderName::from_static(name), value);
            }
        }
    }
    Ok(response)
}

/// The SPA's hashed assets; everything else that is not an API route falls back to index.html.
fn serve_spa_assets(cfg: &mut web::ServiceConfig, web_dir: &Path) {
    let assets = web_dir.join("assets");
    if assets.is_dir() {
        cfg.service(actix_files::Files::new("/assets", assets).use_etag(true));
    }
}
