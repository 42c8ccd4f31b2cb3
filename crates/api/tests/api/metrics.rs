//! Issue 18: `/metrics` in the Prometheus text format on its own port (`APP_METRICS_BIND`), never
//! on the public one.

use crate::helpers::{Options, User, fixtures, spawn_app_with};

/// The value of the one sample whose line starts with `series` (name and labels).
fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape
        .lines()
        .find(|line| line.starts_with(series) && line[series.len()..].starts_with(' '))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

async fn metrics(app: &crate::helpers::TestApp) -> String {
    let address = app.metrics_address.as_ref().expect("APP_METRICS_BIND set");
    let answer = app
        .client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    answer.text().await.unwrap()
}

async fn scrape_counts_requests_queues_and_the_pool(app: crate::helpers::TestApp) {
    // Not on the public port.
    assert_eq!(app.get("/metrics", None).await.status(), 404);

    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let filed = resident
        .file(&building, &category, "Нет горячей воды")
        .await["complaint"]
        .clone();
    let id = filed["id"].as_str().unwrap();
    for _ in 0..2 {
        assert_eq!(
            resident
                .get(&format!("/api/v1/complaints/{id}"))
                .await
                .status(),
            200
        );
    }
    assert_eq!(
        app.get("/api/v1/made-up-path-4711", None).await.status(),
        404
    );

    let scrape = metrics(&app).await;
    let by_id = r#"dispatch_http_requests_total{method="GET",route="/api/v1/complaints/{id}",status="200"}"#;
    assert_eq!(sample(&scrape, by_id), Some(2.0), "{scrape}");
    let timed = r#"dispatch_http_request_duration_seconds_count{method="GET",route="/api/v1/complaints/{id}",status="200"}"#;
    assert_eq!(sample(&scrape, timed), Some(2.0), "{scrape}");
    // A made-up path is counted, but never named: it cannot grow the series.
    assert!(!scrape.contains("made-up-path"), "{scrape}");
    assert!(
        sample(
            &scrape,
            r#"dispatch_http_requests_total{method="GET",route="other",status="404"}"#
        )
        .is_some_and(|n| n >= 1.0),
        "{scrape}"
    );
    // The filing left its message in the outbox (the worker is off in tests) …
    let waiting = sample(&scrape, r#"dispatch_queue_waiting{channel="outbox"}"#).unwrap();
    assert!(waiting >= 1.0, "{scrape}");
    assert!(
        sample(
            &scrape,
            r#"dispatch_queue_oldest_age_seconds{channel="outbox"}"#
        )
        .is_some()
    );
    for channel in ["sms", "email", "webhook"] {
        let series = format!(r#"dispatch_queue_waiting{{channel="{channel}"}}"#);
        assert!(sample(&scrape, &series).is_some(), "{series} in {scrape}");
    }
    assert!(sample(&scrape, r#"dispatch_db_pool_connections{state="idle"}"#).is_some());
    assert!(sample(&scrape, "dispatch_worker_tick_duration_seconds_count").is_some());
    assert!(sample(&scrape, "dispatch_scorecard_age_seconds").is_some());

    // … which one tick of the worker drains.
    api::worker::tick(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    let scrape = metrics(&app).await;
    assert_eq!(
        sample(&scrape, r#"dispatch_queue_waiting{channel="outbox"}"#),
        Some(0.0),
        "{scrape}"
    );
}

mod scrape_counts_requests_queues_and_the_pool {
    use crate::helpers::{Backend, Options, spawn_app_with};

    fn options() -> Options {
        Options {
            env: vec![("APP_METRICS_BIND", "127.0.0.1:0".to_owned())],
            ..Options::default()
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::scrape_counts_requests_queues_and_the_pool(
            spawn_app_with(Backend::Sqlite, options()).await,
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::scrape_counts_requests_queues_and_the_pool(
            spawn_app_with(Backend::Postgres, options()).await,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_metrics_port_unless_asked() {
    let app = spawn_app_with(crate::helpers::Backend::Sqlite, Options::default()).await;
    assert!(app.metrics_address.is_none());
    assert_eq!(app.get("/metrics", None).await.status(), 404);
}
