//! Personal data is never in an event's hashed payload: new events keep it beside the payload,
//! and migration 000023 moves it out of events written before it, recomputing the chains and the
//! checkpoints so that `verify-history` still passes.

use chrono::{TimeDelta, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(personal_data_moves_out_of_the_hashed_payload_and_the_chain_holds);

/// A clerk files for a person (name, phone, free text) and the company assigns an executor.
pub async fn clerk_filed_story(app: &TestApp, phone: &str) -> Value {
    let (building, category, _) = fixtures(app).await;
    let (clerk, company) = (
        User::new(app, "clerk").await,
        User::new(app, "company").await,
    );
    let body = json!({
        "building_id": building, "category_id": category, "flat": "7",
        "description": "Петров из кв. 7: не горит свет",
        "applicant": { "name": "Петров Иван Сергеевич", "phone": phone,
                       "consent": { "accepted": true, "version": domain::CONSENT_VERSION } }
    });
    let response = clerk.post("/api/v1/complaints", &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let c = company
        .ok(&created["complaint"], json!({ "type": "accept" }))
        .await;
    let c = company
        .ok(
            &c,
            json!({ "type": "assign_executor", "executor": "Электрик Сидоров" }),
        )
        .await;
    company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Заменили лампу, Петров доволен" }),
        )
        .await
}

/// Every stored payload and personal part, as text, oldest first.
pub async fn stored_events(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT kind, payload::text AS payload, personal::text AS personal \
             FROM complaint_events ORDER BY complaint_id, at, id"
        }
        _ => {
            "SELECT kind, CAST(payload AS TEXT) AS payload, CAST(personal AS TEXT) AS personal \
             FROM complaint_events ORDER BY complaint_id, at, id"
        }
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                row.try_get("", "kind").unwrap(),
                row.try_get("", "payload").unwrap(),
                row.try_get("", "personal").unwrap(),
            )
        })
        .collect()
}

fn assert_intact(report: &persistence::history::HistoryReport) {
    assert!(report.is_intact(), "{}", api::history::summary(report));
    assert!(report.checkpoint.as_ref().unwrap().matches());
}

async fn personal_data_moves_out_of_the_hashed_payload_and_the_chain_holds(app: TestApp) {
    let c = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let tomorrow = Utc::now() + TimeDelta::days(1);
    api::history::checkpoint(&app.state, tomorrow)
        .await
        .unwrap()
        .expect("a checkpoint");

    // New events: nothing personal in the hashed payload.
    let stored = stored_events(&app).await;
    assert_eq!(stored.len(), 4);
    for (kind, payload, _) in &stored {
        for needle in ["Петров", "Сидоров", "***", "description", "executor"] {
            assert!(!payload.contains(needle), "{kind}: {payload}");
        }
    }
    assert!(stored[0].2.as_deref().unwrap().contains("Петров из кв. 7"));
    assert!(stored[2].2.as_deref().unwrap().contains("Электрик Сидоров"));
    assert_intact(&api::history::verify(&app.state.db).await.unwrap());

    // Back to the layout before 000023: the fields return to the payload and the chain is
    // recomputed over them (what an existing database held).
    let undone =
        persistence::migrate_down_to(&app.state.db, "m20261206_000022_history_chain").await;
    assert!(undone.unwrap() >= 1);
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let cast = match backend {
        sea_orm::DbBackend::Postgres => "payload::text",
        _ => "CAST(payload AS TEXT)",
    };
    let old_layout: Vec<String> = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT {cast} AS payload FROM complaint_events ORDER BY complaint_id, at, id"),
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get("", "payload").unwrap())
        .collect();
    assert!(old_layout[0].contains("Петров из кв. 7"), "{old_layout:?}");
    assert!(old_layout[2].contains("Электрик Сидоров"), "{old_layout:?}");
    let old_checkpoint: String = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT root FROM history_checkpoints",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "root")
        .unwrap();

    // And forward again: the migration's own rewrite of existing rows.
    persistence::migrate(&app.state.db).await.unwrap();
    let stored = stored_events(&app).await;
    for (kind, payload, _) in &stored {
        assert!(!payload.contains("Петров"), "{kind}: {payload}");
        assert!(!payload.contains("Сидоров"), "{kind}: {payload}");
    }
    let report = api::history::verify(&app.state.db).await.unwrap();
    assert_intact(&report);
    assert_ne!(
        report.checkpoint.unwrap().checkpoint.root.to_hex(),
        old_checkpoint,
        "the checkpoint was recomputed over the new heads"
    );

    // The API still shows the details in full.
    let company = User::new(&app, "company").await;
    let id = c["id"].as_str().unwrap();
    let events = company
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    assert_eq!(
        events[0]["details"]["description"],
        "Петров из кв. 7: не горит свет"
    );
    assert_eq!(events[2]["details"]["executor"], "Электрик Сидоров");
    assert_eq!(events[3]["comment"], "Заменили лампу, Петров доволен");
}
