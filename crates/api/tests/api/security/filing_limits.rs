//! Issue 16: clerks and API keys have daily filing limits like residents, counted atomically
//! (finding 13's lock, keyed by who filed): 20 parallel filings with a limit of 10 make exactly 10.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with};

async fn limited_app(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            env: vec![
                ("APP_DAILY_COMPLAINT_LIMIT_CLERK", "10".to_owned()),
                ("APP_DAILY_COMPLAINT_LIMIT_API_KEY", "10".to_owned()),
            ],
            ..Options::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_and_api_key_limits_hold_under_a_race_sqlite() {
    clerk_and_api_key_limits_hold_under_a_race(limited_app(Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_and_api_key_limits_hold_under_a_race_postgres() {
    clerk_and_api_key_limits_hold_under_a_race(limited_app(Backend::Postgres).await).await;
}

/// Files 20 complaints at once as `filer`; returns (filed, refused with 429).
async fn race(filer: &User<'_>, building: &str, category: &str) -> (usize, usize) {
    let filings = (0..20).map(|n| {
        let body = json!({
            "building_id": building, "category_id": category, "flat": "7",
            "description": format!("Не работает лифт, обращение {n}"),
            "applicant": { "name": "Сидорова Анна Петровна", "phone": "+7 922 555-12-34",
                           "consent": { "accepted": true, "version": "2026-01" } }
        });
        async move {
            filer
                .post("/api/v1/complaints", &body)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = join_all(filings).await;
    let filed = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(filed + refused, 20, "{statuses:?}");
    (filed, refused)
}

async fn clerk_and_api_key_limits_hold_under_a_race(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let clerk = User::new(&app, "clerk").await;
    assert_eq!(
        race(&clerk, &building, &category).await,
        (10, 10),
        "a clerk"
    );

    let admin = User::new(&app, "admin").await;
    let organisation = clerk.get_json("/api/v1/me").await["organisation"]["id"].clone();
    let response = admin
        .post(
            "/api/v1/admin/api-keys",
            &json!({ "name": "ТОС system", "organisation_id": organisation,
                     "scopes": ["complaints:read", "complaints:file"] }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let key = User {
        app: &app,
        token: created["key"].as_str().unwrap().to_owned(),
    };
    // The key's own count: the clerk's ten do not use it up.
    assert_eq!(
        race(&key, &building, &category).await,
        (10, 10),
        "an API key"
    );

    // The refusal says which limit and when to retry.
    let response = clerk
        .post(
            "/api/v1/complaints",
            &json!({ "building_id": building, "category_id": category, "flat": "7",
                     "description": "Ещё одно обращение",
                     "applicant": { "name": "Сидорова Анна Петровна", "phone": "+7 922 555-12-34",
                                    "consent": { "accepted": true, "version": "2026-01" } } }),
        )
        .await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "daily_limit_reached");
}
