//! The tamper-evident history: a story's chain verifies and is in the daily checkpoint; an event
//! edited in the database past the triggers is named by the proof endpoint and by
//! `dispatch verify-history` (through the same library function).

use chrono::{TimeDelta, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    a_story_chain_verifies_and_is_in_the_checkpoint,
    an_event_edited_past_the_triggers_is_named,
);

async fn proof(user: &User<'_>, complaint: &Value) -> Value {
    let id = complaint["id"].as_str().unwrap();
    user.get_json(&format!("/api/v1/complaints/{id}/history/proof"))
        .await
}

async fn a_story_chain_verifies_and_is_in_the_checkpoint(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "clerk").await,
    );
    let created = resident
        .file(&building, &category, "Течёт крыша над пятым этажом")
        .await;
    let c = company
        .ok(&created["complaint"], json!({ "type": "accept" }))
        .await;
    let c = company
        .ok(
            &c,
            json!({ "type": "assign_executor", "executor": "Кровельщик Иванов" }),
        )
        .await;

    let p = proof(&resident, &c).await;
    assert_eq!(p["verified"], true, "{p}");
    assert!(p["broken"].is_null());
    let events = p["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["prev_hash"], "0".repeat(64));
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
    assert_eq!(p["head"], events[2]["hash"]);
    assert!(p["checkpoint"].is_null(), "no checkpoint yet");

    // Whoever may not see the complaint gets 404, as for any foreign object.
    let id = c["id"].as_str().unwrap();
    let path = format!("/api/v1/complaints/{id}/history/proof");
    assert_eq!(clerk.get(&path).await.status(), 404);
    assert_eq!(app.get(&path, None).await.status(), 401);
    let unknown = format!("/api/v1/complaints/{}/history/proof", Uuid::now_v7());
    assert_eq!(resident.get(&unknown).await.status(), 404);

    // Tomorrow the worker folds today's chain heads into a checkpoint, once.
    let tomorrow = Utc::now() + TimeDelta::days(1);
    let made = api::history::checkpoint(&app.state, tomorrow)
        .await
        .unwrap()
        .expect("a checkpoint is made");
    assert!(made.complaints >= 1);
    assert!(
        api::history::checkpoint(&app.state, tomorrow)
            .await
            .unwrap()
            .is_none(),
        "once a day"
    );
    let p = proof(&company, &c).await;
    let checkpoint = &p["checkpoint"];
    assert_eq!(checkpoint["root"], made.root.to_hex());
    assert_eq!(checkpoint["head"], p["head"]);
    assert_eq!(checkpoint["included"], true, "{p}");

    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));
    assert!(report.events >= 3);
    assert!(report.checkpoint.as_ref().unwrap().matches());
}

/// Runs `sql` on the events with the append-only triggers lifted, as a database administrator
/// could.
pub(crate) async fn edit_past_the_triggers(app: &TestApp, event_id: Uuid) {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let (lift, edit, restore) = match backend {
        DbBackend::Postgres => (
            "ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only",
            "UPDATE complaint_events SET round = round + 1 WHERE id = $1",
            "ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only",
        ),
        _ => (
            "DROP TRIGGER complaint_events_no_update",
            "UPDATE complaint_events SET round = round + 1 WHERE id = ?",
            "CREATE TRIGGER IF NOT EXISTS complaint_events_no_update BEFORE UPDATE ON complaint_events \
             BEGIN SELECT RAISE(ABORT, 'complaint_events is append-only'); END",
        ),
    };
    let update = || Statement::from_sql_and_values(backend, edit, [event_id.into()]);
    assert!(
        db.execute_raw(update()).await.is_err(),
        "the triggers refuse the edit"
    );
    db.execute_unprepared(lift).await.unwrap();
    let done = db.execute_raw(update()).await.unwrap();
    assert_eq!(done.rows_affected(), 1);
    db.execute_unprepared(restore).await.unwrap();
}

async fn an_event_edited_past_the_triggers_is_named(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
    );
    let untouched = resident
        .file(&building, &category, "Не горит свет в подъезде")
        .await;
    let created = resident
        .file(&building, &category, "Сломана дверь в подвал")
        .await;
    let c = company
        .ok(&created["complaint"], json!({ "type": "accept" }))
        .await;
    let c = company
        .ok(
            &c,
            json!({ "type": "assign_executor", "executor": "Слесарь" }),
        )
        .await;
    let before = proof(&resident, &c).await;
    assert_eq!(before["verified"], true);
    let edited: Uuid = before["events"][1]["event_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    edit_past_the_triggers(&app, edited).await;

    let after = proof(&resident, &c).await;
    assert_eq!(after["verified"], false, "{after}");
    assert!(after["head"].is_null());
    assert_eq!(after["broken"]["event_id"], edited.to_string());
    assert_eq!(after["broken"]["position"], 1);
    assert_eq!(after["broken"]["reason"], "content_mismatch");
    assert_eq!(
        proof(&resident, &untouched["complaint"]).await["verified"],
        true
    );

    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(!report.is_intact());
    assert_eq!(report.broken.len(), 1, "{}", api::history::summary(&report));
    let broken = &report.broken[0];
    assert_eq!(broken.complaint_id.to_string(), c["id"].as_str().unwrap());
    assert_eq!(broken.broken.event_id, edited);
    let summary = api::history::summary(&report);
    assert!(summary.contains(&format!("event {edited}")), "{summary}");
    assert!(summary.contains(c["number"].as_str().unwrap()), "{summary}");
    assert!(summary.trim_end().ends_with("FAILED"), "{summary}");
}
