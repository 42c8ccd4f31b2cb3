//! Erasure: a person without an account (by a clerk, audited), a resident's own account; the
//! facts, the chain and the public figures stay; the triggers allow this redaction only.

use chrono::{TimeDelta, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};

use super::history_layout::{clerk_filed_story, stored_events};
use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    a_person_without_an_account_is_erased_and_the_facts_stay,
    the_triggers_allow_this_redaction_and_nothing_else,
    a_resident_erases_their_account_and_an_inspection_case_is_kept,
);

async fn figures(app: &TestApp) -> String {
    let card = persistence::complaints::scorecard(&app.state.db, Utc::now(), 0, true)
        .await
        .unwrap();
    format!("{card:?}")
}

async fn audit_rows(app: &TestApp, action: &str) -> Vec<String> {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT details::text AS details FROM audit_log WHERE action = $1",
        _ => "SELECT CAST(details AS TEXT) AS details FROM audit_log WHERE action = ?",
    };
    db.query_all_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [action.into()],
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|row| row.try_get("", "details").unwrap())
    .collect()
}

async fn a_person_without_an_account_is_erased_and_the_facts_stay(app: TestApp) {
    let c = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let other = clerk_filed_story(&app, "+7 922 765-43-21").await;
    let tomorrow = Utc::now() + TimeDelta::days(1);
    api::history::checkpoint(&app.state, tomorrow)
        .await
        .unwrap()
        .unwrap();
    let before = figures(&app).await;
    let (clerk, company) = (
        User::new(&app, "clerk").await,
        User::new(&app, "company").await,
    );
    let request = json!({ "phone": "8 (922) 123-45-67", "ground": "consent_withdrawn",
                          "reason": "Заявление вх. № 17 от 06.12.2026" });

    // Only a clerk or an administrator, with a reason; for anyone else the person is unknown.
    assert_eq!(
        company
            .post("/api/v1/persons/erasure", &request)
            .await
            .status(),
        404
    );
    let mut no_reason = request.clone();
    no_reason["reason"] = json!(" ");
    let response = clerk.post("/api/v1/persons/erasure", &no_reason).await;
    assert_eq!(response.status(), 422);
    let unknown =
        json!({ "phone": "+79990000000", "ground": "erasure_request", "reason": "Заявление" });
    assert_eq!(
        clerk
            .post("/api/v1/persons/erasure", &unknown)
            .await
            .status(),
        404
    );

    let response = clerk.post("/api/v1/persons/erasure", &request).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["erased"][0]["number"], c["number"], "{report}");
    assert_eq!(report["erased"].as_array().unwrap().len(), 1);
    assert!(report["kept"].as_array().unwrap().is_empty());
    assert_eq!(report["account_anonymised"], false);

    // The complaint keeps its facts; the person and their text are gone.
    let id = c["id"].as_str().unwrap();
    let seen = company.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(seen["number"], c["number"]);
    assert_eq!(seen["status"], c["status"]);
    assert_eq!(seen["category"], c["category"]);
    assert_eq!(seen["building"], c["building"]);
    assert_eq!(seen["registered_at"], c["registered_at"]);
    assert_eq!(seen["description"], "");
    assert!(
        seen["applicant"].is_null() || seen["applicant"]["name"].is_null(),
        "{seen}"
    );
    assert!(seen["flat"].is_null(), "{seen}");
    let events = company
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    assert_eq!(events.as_array().unwrap().len(), 4);
    assert_eq!(events[0]["details"]["description"], "");
    assert!(events[0]["on_behalf_of"].is_null());
    assert!(events[3]["comment"].is_null());
    assert_eq!(
        events[2]["details"]["executor"], "Электрик Сидоров",
        "the company's employee is not the person erased"
    );
    let text = serde_json::to_string(&stored_events(&app).await).unwrap();
    assert_eq!(
        text.matches("Петров из кв. 7").count(),
        1,
        "only the other complaint's"
    );

    // The other person is untouched.
    let other_id = other["id"].as_str().unwrap();
    let untouched = company
        .get_json(&format!("/api/v1/complaints/{other_id}"))
        .await;
    assert_eq!(untouched["description"], "Петров из кв. 7: не горит свет");

    // The history still verifies, the checkpoint still matches, the figures are the same.
    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));
    assert!(report.checkpoint.as_ref().unwrap().matches());
    assert_eq!(figures(&app).await, before);

    // Audited with the reason, but without the phone.
    let audit = audit_rows(&app, "personal_data.erased").await;
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("Заявление вх. № 17"), "{}", audit[0]);
    assert!(audit[0].contains("consent_withdrawn"), "{}", audit[0]);
    assert!(!audit[0].contains("79221234567"), "{}", audit[0]);

    // Done once: the phone is no longer known.
    assert_eq!(
        clerk
            .post("/api/v1/persons/erasure", &request)
            .await
            .status(),
        404
    );
}

/// Runs `update` (its `{id}` the complaint's id, bound) inside a transaction, with erase mode
/// on or off; whether the database let it through and it changed a row. Always rolled back.
async fn try_update(app: &TestApp, erase_mode: bool, update: &str) -> bool {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let txn = db.begin().await.unwrap();
    if erase_mode {
        let on = match backend {
            DbBackend::Postgres => "SELECT set_config('dispatch.erase', 'on', true)",
            _ => "INSERT INTO erase_mode (id) VALUES (1)",
        };
        txn.execute_unprepared(on).await.unwrap();
    }
    let (sql, id) = update.split_once("|").unwrap();
    let placeholder = match backend {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    let id: uuid::Uuid = id.parse().unwrap();
    let result = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql.replace("{id}", placeholder),
            [id.into()],
        ))
        .await;
    txn.rollback().await.unwrap();
    result.is_ok_and(|done| done.rows_affected() > 0)
}

async fn the_triggers_allow_this_redaction_and_nothing_else(app: TestApp) {
    let c = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let other = clerk_filed_story(&app, "+7 922 765-43-21").await;
    let clerk = User::new(&app, "clerk").await;
    let response = clerk
        .post(
            "/api/v1/persons/erasure",
            &json!({ "phone": "+79221234567", "ground": "erasure_request", "reason": "Заявление" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let erased = c["id"].as_str().unwrap();
    let kept = other["id"].as_str().unwrap();
    let null_personal = match app.backend {
        crate::helpers::Backend::Postgres => "NULL::jsonb",
        crate::helpers::Backend::Sqlite => "NULL",
    };
    let redact = |id: &str| {
        format!(
            "UPDATE complaint_events SET comment = NULL, \
             personal = {null_personal} WHERE complaint_id = {{id}} AND kind = 'registered'|{id}"
        )
    };
    // The redaction itself, on an erased complaint in erase mode: allowed.
    assert!(try_update(&app, true, &redact(erased)).await);
    // Not in erase mode, or on a complaint not erased: refused.
    assert!(!try_update(&app, false, &redact(erased)).await);
    assert!(!try_update(&app, true, &redact(kept)).await);
    // Anything but the redaction, even in erase mode on an erased complaint: refused.
    for edit in [
        "round = round + 1",
        "to_status = 'closed'",
        "comment = 'переписано'",
        "actor_role = 'admin'",
        "hash = prev_hash",
    ] {
        let sql =
            format!("UPDATE complaint_events SET {edit} WHERE complaint_id = {{id}}|{erased}");
        assert!(!try_update(&app, true, &sql).await, "{edit}");
    }
    // The personal part may lose the applicant's fields only: putting text back, or dropping the
    // executor's name, is refused.
    let (text_back, executor_gone) = match app.backend {
        crate::helpers::Backend::Postgres => (
            "personal = '{\"description\": \"новый текст\"}'::jsonb",
            "personal = NULL::jsonb",
        ),
        crate::helpers::Backend::Sqlite => (
            "personal = '{\"description\":\"новый текст\"}'",
            "personal = NULL",
        ),
    };
    for (edit, kind) in [
        (text_back, "registered"),
        (executor_gone, "assign_executor"),
    ] {
        let sql = format!(
            "UPDATE complaint_events SET {edit} WHERE complaint_id = {{id}} AND kind = '{kind}'|{erased}"
        );
        assert!(!try_update(&app, true, &sql).await, "{edit}");
    }
    // Deleting stays forbidden.
    let delete = format!("DELETE FROM complaint_events WHERE complaint_id = {{id}}|{erased}");
    assert!(!try_update(&app, true, &delete).await);
}

async fn a_resident_erases_their_account_and_an_inspection_case_is_kept(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
    );
    let plain = resident
        .file(&building, &category, "Не закрывается окно в подъезде")
        .await;
    let inspected = resident
        .file(&building, &category, "Течёт крыша, УК не отвечает")
        .await;
    let inspected = dispatcher
        .ok(
            &inspected["complaint"],
            json!({ "type": "send_to_inspection", "reason": "Жалоба повторная" }),
        )
        .await;
    assert_eq!(inspected["status"], "under_inspection");
    let inspected_id = inspected["id"].as_str().unwrap().to_owned();
    let applicant_of = |id: String| {
        let dispatcher = &dispatcher;
        async move {
            dispatcher
                .get_json(&format!("/api/v1/complaints/{id}"))
                .await["applicant"]["name"]
                .clone()
        }
    };
    let applicant = applicant_of(inspected_id.clone()).await;
    assert!(
        applicant.as_str().is_some_and(|name| !name.is_empty()),
        "{applicant}"
    );
    let before = figures(&app).await;

    // Only with the exact words, and only a resident.
    let wrong = json!({ "ground": "erasure_request", "confirm": "удалить" });
    assert_eq!(
        resident.post("/api/v1/me/erasure", &wrong).await.status(),
        422
    );
    let right = json!({ "ground": "erasure_request", "confirm": "УДАЛИТЬ МОИ ДАННЫЕ" });
    assert_eq!(
        dispatcher.post("/api/v1/me/erasure", &right).await.status(),
        403
    );
    let retention = json!({ "ground": "retention", "confirm": "УДАЛИТЬ МОИ ДАННЫЕ" });
    assert_eq!(
        resident
            .post("/api/v1/me/erasure", &retention)
            .await
            .status(),
        422
    );

    let resident_id = resident.get_json("/api/v1/me").await["id"].clone();
    let response = resident.post("/api/v1/me/erasure", &right).await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["account_anonymised"], true);
    assert_eq!(report["erased"][0]["number"], plain["complaint"]["number"]);
    assert_eq!(report["kept"][0]["number"], inspected["number"]);
    assert_eq!(report["kept"][0]["because"], "under_inspection");
    assert!(
        report["kept"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("КоАП"),
        "{report}"
    );

    // The account is gone: it no longer signs in, nor uses its token.
    assert_eq!(resident.get("/api/v1/me").await.status(), 401);
    assert_eq!(
        app.login("resident@demo.test", crate::helpers::DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    // The plain complaint lost its text; the inspection's case keeps it.
    let plain_id = plain["complaint"]["id"].as_str().unwrap();
    let seen = dispatcher
        .get_json(&format!("/api/v1/complaints/{plain_id}"))
        .await;
    assert_eq!(seen["description"], "");
    assert_eq!(seen["applicant"]["name"], Value::Null);
    let seen = dispatcher
        .get_json(&format!("/api/v1/complaints/{inspected_id}"))
        .await;
    assert_eq!(seen["description"], "Течёт крыша, УК не отвечает");
    // The case kept for the inspection still names its applicant (the account's person stays
    // while the case needs it) ...
    assert_eq!(applicant_of(inspected_id.clone()).await, applicant);
    assert_eq!(figures(&app).await, before);
    // The account itself names no one, though its person is kept for the case.
    let admin = User::new(&app, "admin").await;
    let accounts = admin.get_json("/api/v1/admin/users?limit=100").await;
    let account = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == resident_id)
        .unwrap_or_else(|| panic!("{accounts}"));
    assert_eq!(account["name"], "Данные удалены", "{account}");
    assert!(account["phone"].is_null(), "{account}");
    // The erased account's phone (the demo resident's) is free for a new account, though the
    // kept case's person still holds it: phones are unique among living accounts only. Once.
    let new_owner = |login: &str| {
        json!({ "login": login, "name": "Новикова Ольга Павловна", "phone": "+7 922 000-00-01",
                "role": "admin", "password": "initial password 2026" })
    };
    let response = admin
        .post("/api/v1/admin/users", &new_owner("new-owner@demo.test"))
        .await;
    assert_eq!(response.status(), 201);
    let response = admin
        .post("/api/v1/admin/users", &new_owner("second-owner@demo.test"))
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(applicant_of(inspected_id.clone()).await, applicant);
    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));

    // ... until the case closes: the worker's next pass erases it, and the person with it.
    let inspection = User::new(&app, "inspector").await;
    let closed = inspection
        .ok(
            &seen,
            json!({ "type": "record_findings", "violation": false, "findings": "Кровля отремонтирована" }),
        )
        .await;
    assert_eq!(closed["status"], "closed");
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    let seen = dispatcher
        .get_json(&format!("/api/v1/complaints/{inspected_id}"))
        .await;
    assert_eq!(seen["description"], "", "{seen}");
    assert_eq!(seen["applicant"]["name"], Value::Null, "{seen}");
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT count(*) AS n FROM persons WHERE name = $1",
        _ => "SELECT count(*) AS n FROM persons WHERE name = ?",
    };
    let named: i64 = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [applicant.as_str().unwrap().into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(named, 0, "the person is anonymised with the last kept case");
}
