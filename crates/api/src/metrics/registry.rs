//! The process's metrics, as the state holds them: updated by requests, the worker and the
//! scorecard, read by the scrape (`super`). A leaf: it imports nothing of the application.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use chrono::Utc;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    channel: String,
}

type Seconds = Gauge<f64, AtomicU64>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The process's metrics. Cheap to update from every request; read by the scrape.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    worker_ticks: Histogram,
    pool: Family<PoolLabels, Gauge>,
    queue_waiting: Family<QueueLabels, Gauge>,
    queue_age: Family<QueueLabels, Seconds>,
    scorecard_age: Seconds,
    /// When the scorecard was last computed (Unix milliseconds; 0: never).
    scorecard_at_ms: AtomicI64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("dispatch");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern and status",
            requests.clone(),
        );
        let latency = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route pattern and status",
            latency.clone(),
        );
        let worker_ticks = latency_histogram();
        registry.register(
            "worker_tick_duration_seconds",
            "Time one background worker tick took",
            worker_ticks.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections of this process's pool, by state (in_use, idle)",
            pool.clone(),
        );
        let queue_waiting = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "queue_waiting",
            "Messages waiting per channel (outbox, sms, email, webhook)",
            queue_waiting.clone(),
        );
        let queue_age = Family::<QueueLabels, Seconds>::default();
        registry.register(
            "queue_oldest_age_seconds",
            "Age of the oldest waiting message per channel",
            queue_age.clone(),
        );
        let scorecard_age = Seconds::default();
        registry.register(
            "scorecard_age_seconds",
            "Age of this replica's public scorecard (-1: not computed yet)",
            scorecard_age.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            worker_ticks,
            pool,
            queue_waiting,
            queue_age,
            scorecard_age,
            scorecard_at_ms: AtomicI64::new(0),
        }
    }
}

impl Metrics {
    pub(super) fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let labels = RequestLabels {
            method: method.to_owned(),
            route: route.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// Sets the pool gauges.
    pub(super) fn set_pool(&self, in_use: i64, idle: i64) {
        self.pool
            .get_or_create(&PoolLabels { state: "in_use" })
            .set(in_use);
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(idle);
    }

    /// Sets one queue's gauges.
    pub(super) fn set_queue(&self, channel: String, waiting: i64, oldest_age_seconds: f64) {
        let labels = QueueLabels { channel };
        self.queue_waiting.get_or_create(&labels).set(waiting);
        self.queue_age
            .get_or_create(&labels)
            .set(oldest_age_seconds);
    }

    /// Sets the scorecard's age from when it was last computed, and writes every metric.
    pub(super) fn encode(&self) -> Result<String, std::fmt::Error> {
        let at = self.scorecard_at_ms.load(Ordering::Relaxed);
        self.scorecard_age.set(if at == 0 {
            -1.0
        } else {
            (Utc::now().timestamp_millis() - at) as f64 / 1000.0
        });
        let mut body = String::new();
        prometheus_client::encoding::text::encode(&mut body, &self.registry)?;
        Ok(body)
    }

    /// One worker tick took `seconds`.
    pub fn observe_tick(&self, seconds: f64) {
        self.worker_ticks.observe(seconds);
    }

    /// The scorecard was computed now.
    pub fn scorecard_computed(&self) {
        self.scorecard_at_ms
            .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
    }
}
