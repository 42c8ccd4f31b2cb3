//! Findings 13 and 14: the daily filing limit under a race, and the bounds a value must keep.

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with};

on_both_databases!(finding_14_fines_consent_versions_and_status_lists_are_bounded);

async fn daily_limit_app(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            env: vec![("APP_DAILY_COMPLAINT_LIMIT", "3".to_owned())],
            ..Options::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_13_parallel_filings_never_pass_the_daily_limit_sqlite() {
    finding_13_parallel_filings_never_pass_the_daily_limit(daily_limit_app(Backend::Sqlite).await)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_13_parallel_filings_never_pass_the_daily_limit_postgres() {
    finding_13_parallel_filings_never_pass_the_daily_limit(
        daily_limit_app(Backend::Postgres).await,
    )
    .await;
}

async fn finding_13_parallel_filings_never_pass_the_daily_limit(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let filings = (0..12).map(|n| {
        let body = json!({
            "building_id": building, "category_id": category, "flat": "12",
            "description": format!("Не работает лифт, попытка {n}"),
        });
        let resident = &resident;
        async move {
            resident
                .post("/api/v1/complaints", &body)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = join_all(filings).await;
    let filed = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((filed, refused), (3, 9), "{statuses:?}");
}

async fn finding_14_fines_consent_versions_and_status_lists_are_bounded(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    // A clerk's filing with an outdated consent text is refused.
    let clerk = User::new(&app, "clerk").await;
    let response = clerk
        .post(
            "/api/v1/complaints",
            &json!({
                "building_id": building, "category_id": category, "flat": "3",
                "description": "Течёт крыша над квартирой",
                "applicant": {
                    "name": "Петров Пётр", "phone": "+79125550077",
                    "consent": {"accepted": true, "version": "1999-01"},
                },
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["errors"]["applicant.consent.version"].is_array(),
        "{body}"
    );

    // A status list is at most 200 characters, whatever it repeats.
    let dispatcher = User::new(&app, "dispatcher").await;
    let long = vec!["registered"; 100].join(",");
    let response = dispatcher
        .get(&format!("/api/v1/complaints?status={long}"))
        .await;
    assert_eq!(response.status(), 400);
    let response = app
        .get(&format!("/api/v1/public/complaints?status={long}"), None)
        .await;
    assert_eq!(response.status(), 400);
    let ok = dispatcher
        .get("/api/v1/complaints?status=registered,registered,in_progress")
        .await;
    assert_eq!(ok.status(), 200);

    // A fine has an upper bound (the public sums of fines cannot overflow).
    let (resident, company, inspector) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "inspector").await,
    );
    let c = resident
        .file(&building, &category, "Течёт крыша над квартирой")
        .await["complaint"]
        .clone();
    let c = company.ok(&c, json!({ "type": "accept" })).await;
    let c = company
        .ok(&c, json!({ "type": "report_done", "note": "Готово" }))
        .await;
    let c = dispatcher
        .ok(&c, json!({ "type": "record_call", "outcome": "not_done" }))
        .await;
    let c = inspector
        .ok(
            &c,
            json!({ "type": "record_findings", "violation": true, "findings": "Подтверждено" }),
        )
        .await;
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    let c = inspector
        .ok(
            &c,
            json!({ "type": "issue_order", "due_at": due, "text": "Устранить" }),
        )
        .await;
    // Past the order's deadline (the domain refuses non-compliance before it).
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let c = inspector
        .ok(&c, json!({ "type": "check_compliance", "complied": false }))
        .await;
    // Above the article's range, above any article's (domain::MAX_FINE_RUB), above u64.
    for amount in [20_001_u64, 10_000_001, u64::MAX] {
        let response = inspector
            .act(
                &c,
                json!({ "type": "record_fine", "article": "19.5 ч.1", "offender": "legal_entity", "amount_rub": amount }),
            )
            .await;
        assert_eq!(response.status(), 422, "{amount}");
    }
    inspector
        .ok(
            &c,
            json!({ "type": "record_fine", "article": "19.5 ч.1", "offender": "legal_entity", "amount_rub": 20_000 }),
        )
        .await;
}
