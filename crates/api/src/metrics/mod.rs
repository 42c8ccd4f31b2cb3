//! `/metrics` in the Prometheus text format, on a port of its own (`APP_METRICS_BIND`), never on
//! the public one: request counts and latencies per route and status, the database pool, the
//! depth and age of every queue, the worker's ticks and the scorecard's age.
//!
//! Requests are labelled by their route's pattern (`/api/v1/complaints/{id}`), never by the path
//! as sent, so that made-up paths cannot grow the series without bound (they count as `other`).

pub mod registry;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use chrono::Utc;

use crate::state::AppState;

/// Middleware: counts and times every request by its route's pattern.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = crate::route::matched_route(&req);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await;
    if let Some(state) = state {
        let status = match &response {
            Ok(res) => res.status().as_u16(),
            Err(e) => e.as_response_error().status_code().as_u16(),
        };
        state.metrics.observe_request(
            &method,
            route.as_deref().unwrap_or("other"),
            status,
            started.elapsed().as_secs_f64(),
        );
    }
    response
}

/// `GET /metrics`: reads the pool and the queues now, then writes every metric.
pub async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let metrics = &state.metrics;
    let pool = persistence::metrics::pool_usage(&state.db);
    metrics.set_pool(
        i64::from(pool.open.saturating_sub(pool.idle)),
        i64::from(pool.idle),
    );
    match persistence::metrics::queue_depths(&state.db, Utc::now()).await {
        Ok(depths) => {
            for depth in depths {
                let waiting = i64::try_from(depth.waiting).unwrap_or(i64::MAX);
                metrics.set_queue(depth.channel, waiting, depth.oldest_age_seconds);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: the queues could not be read"),
    }
    let Ok(body) = metrics.encode() else {
        return HttpResponse::InternalServerError().finish();
    };
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body)
}

/// The metrics server on its own listener: `/metrics` and nothing else.
pub fn serve(
    listener: std::net::TcpListener,
    state: web::Data<AppState>,
) -> std::io::Result<actix_web::dev::Server> {
    Ok(actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .listen(listener)?
    .shutdown_timeout(5)
    .run())
}
