//! Retention with the clock passed in: attachments of closed complaints go after three years,
//! personal data after five, each pass is in the administrator's report, the chain holds.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(the_worker_applies_the_retention_schedule);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

async fn the_worker_applies_the_retention_schedule(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, admin, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "admin").await,
        User::new(&app, "company").await,
    );
    let closed = resident
        .file(&building, &category, "Шумят соседи из кв. 13")
        .await["complaint"]
        .clone();
    let open = resident
        .file(&building, &category, "Не убирают подъезд")
        .await["complaint"]
        .clone();
    let id = closed["id"].as_str().unwrap();
    let uploaded = app
        .client
        .post(app.url(&format!(
            "/api/v1/complaints/{id}/attachments?filename=akt.pdf"
        )))
        .bearer_auth(&resident.token)
        .header("content-type", "application/pdf")
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let closed = resident.ok(&closed, json!({ "type": "withdraw" })).await;
    assert!(!closed["closed_at"].is_null(), "{closed}");
    let now = Utc::now();

    // Nothing is due today (idempotency keys aside).
    let run = api::worker::tick(&app.state, now).await.unwrap().retention;
    assert_eq!(run.complaints_erased + run.attachments_deleted, 0);

    // Four years on: the attachment of the closed complaint is gone, its text is not.
    let four_years = now + TimeDelta::days(4 * 365);
    let run = api::worker::tick(&app.state, four_years)
        .await
        .unwrap()
        .retention;
    assert_eq!(run.attachments_deleted, 1);
    assert_eq!(run.complaints_erased, 0);
    let seen = company.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(seen["description"], "Шумят соседи из кв. 13");

    // Five years and a bit: its personal data is erased; the open complaint keeps its own.
    let five_years = now + TimeDelta::days(5 * 365 + 5);
    let run = api::worker::tick(&app.state, five_years)
        .await
        .unwrap()
        .retention;
    assert_eq!(run.complaints_erased, 1);
    let seen = company.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(seen["description"], "");
    assert_eq!(seen["number"], closed["number"]);
    assert_eq!(seen["status"], closed["status"]);
    let open_id = open["id"].as_str().unwrap();
    let still = company
        .get_json(&format!("/api/v1/complaints/{open_id}"))
        .await;
    assert_eq!(still["description"], "Не убирают подъезд");
    // Done once.
    let again = api::worker::tick(&app.state, five_years)
        .await
        .unwrap()
        .retention;
    assert_eq!(again.complaints_erased, 0);

    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));

    // The administrator's report: the schedule, the passes, what is due next.
    let report: Value = admin.get_json("/api/v1/admin/retention").await;
    assert_eq!(report["schedule"]["personal_data_days"], 1826);
    assert_eq!(report["schedule"]["idempotency_key_hours"], 24);
    let runs = report["runs"].as_array().unwrap();
    assert!(runs.iter().any(|r| r["complaints_erased"] == 1), "{report}");
    assert!(
        runs.iter().any(|r| r["attachments_deleted"] == 1),
        "{report}"
    );
    assert_eq!(company.get("/api/v1/admin/retention").await.status(), 403);
}
