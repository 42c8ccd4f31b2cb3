//! Personal data in one place (issue 14): the history holds no applicant's name or phone (the
//! API shows them, the phone masked, from the complaint's person), accounts hold no name, phone
//! or e-mail but their person's (the login aside: it is how one signs in), migration 000100
//! takes the phone out of events written before, and after an erasure no row of `complaints`,
//! `users`, `complaint_events` or `persons` holds the erased name or phone.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};

use super::history_layout::{clerk_filed_story, stored_events};
use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    after_erasure_no_table_holds_the_name_or_the_phone,
    migration_000100_takes_the_phone_out_of_existing_events,
);

/// Every row of `table`, each as one line of text.
async fn rows_as_text(db: &DatabaseConnection, table: &str) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => format!("SELECT t::text AS line FROM {table} t"),
        _ => {
            let columns: Vec<String> = db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT name FROM pragma_table_info('{table}')"),
                ))
                .await
                .unwrap()
                .into_iter()
                .map(|row| row.try_get::<String>("", "name").unwrap())
                .map(|column| format!("quote(\"{column}\")"))
                .collect();
            format!(
                "SELECT {} AS line FROM {table}",
                columns.join(" || '|' || ")
            )
        }
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get::<String>("", "line").unwrap())
        .collect()
}

/// The lines of the four tables that contain any of `needles`.
async fn traces(app: &TestApp, needles: &[&str]) -> Vec<String> {
    traces_in(
        app,
        &["complaints", "users", "complaint_events", "persons"],
        needles,
    )
    .await
}

/// The lines of `tables` that contain any of `needles`.
async fn traces_in(app: &TestApp, tables: &[&str], needles: &[&str]) -> Vec<String> {
    let db = app.direct_connection().await;
    let mut found = Vec::new();
    for &table in tables {
        for line in rows_as_text(&db, table).await {
            if needles.iter().any(|n| line.contains(n)) {
                found.push(format!("{table}: {line}"));
            }
        }
    }
    found
}

async fn after_erasure_no_table_holds_the_name_or_the_phone(app: TestApp) {
    let filed = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let (building, category, _) = fixtures(&app).await;
    let (resident, clerk, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "clerk").await,
        User::new(&app, "company").await,
    );
    resident.file(&building, &category, "Течёт кран").await;
    let person = ["79221234567", "Петров Иван"];
    // The demo resident's (persistence::seed::DEMO_USERS).
    let account = ["79220000001", "Иванова Мария", "resident@demo.test"];
    assert!(
        !traces(&app, &person).await.is_empty(),
        "the person is stored"
    );
    assert!(
        !traces(&app, &account).await.is_empty(),
        "the account is stored"
    );
    // In one place: the person's row. No event names anyone; no account row holds a name or a
    // phone (their person's row does).
    assert_eq!(
        traces_in(&app, &["complaint_events", "complaints"], &person).await,
        Vec::<String>::new()
    );
    assert_eq!(
        traces_in(
            &app,
            &["complaint_events", "complaints", "users"],
            &account[..2]
        )
        .await,
        Vec::<String>::new()
    );

    // The history holds no phone, yet names the applicant and shows their phone, masked, from
    // the person.
    for (kind, payload, personal) in stored_events(&app).await {
        let text = format!("{payload} {}", personal.unwrap_or_default());
        assert!(
            !text.contains("***") && !text.contains("applicant_phone"),
            "{kind}: {text}"
        );
    }
    let id = filed["id"].as_str().unwrap();
    let events = company
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    assert_eq!(events[0]["details"]["applicant_phone"], "+7 *** ***-**-67");
    assert_eq!(events[0]["on_behalf_of"], "Петров Иван Сергеевич");

    let request = json!({ "phone": "+79221234567", "ground": "erasure_request",
                          "reason": "Заявление вх. № 5" });
    let response = clerk.post("/api/v1/persons/erasure", &request).await;
    assert_eq!(response.status(), 200);
    let right = json!({ "ground": "erasure_request", "confirm": "УДАЛИТЬ МОИ ДАННЫЕ" });
    assert_eq!(
        resident.post("/api/v1/me/erasure", &right).await.status(),
        200
    );

    assert_eq!(traces(&app, &person).await, Vec::<String>::new());
    assert_eq!(traces(&app, &account).await, Vec::<String>::new());
    let events = company
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    assert!(
        events[0]["details"].get("applicant_phone").is_none(),
        "{events}"
    );
    assert!(events[0]["on_behalf_of"].is_null(), "{events}");
    let seen: Value = company.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert!(seen["applicant"]["phone"].is_null(), "{seen}");
    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));
}

/// Writes `personal` of the registration events as events before migration 000100 held it,
/// past the append-only rule (lifted in this one transaction, as an administrator could).
async fn write_old_shape(db: &DatabaseConnection) {
    let backend = db.get_database_backend();
    let txn = db.begin().await.unwrap();
    let update = match backend {
        DbBackend::Postgres => {
            "UPDATE complaint_events SET personal = personal || \
             '{\"applicant_phone\": \"+7 *** ***-**-67\"}'::jsonb WHERE kind = 'registered'"
        }
        _ => {
            "UPDATE complaint_events SET personal = \
             json_set(personal, '$.applicant_phone', '+7 *** ***-**-67') WHERE kind = 'registered'"
        }
    };
    match backend {
        DbBackend::Postgres => {
            txn.execute_unprepared(&format!(
                "ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only; \
                 {update}; \
                 ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only;"
            ))
            .await
            .unwrap();
        }
        _ => {
            let trigger: String = txn
                .query_one_raw(Statement::from_string(
                    backend,
                    "SELECT sql FROM sqlite_master WHERE name = 'complaint_events_no_update'",
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get("", "sql")
                .unwrap();
            txn.execute_unprepared(&format!(
                "DROP TRIGGER complaint_events_no_update; {update}; {trigger};"
            ))
            .await
            .unwrap();
        }
    }
    txn.commit().await.unwrap();
}

async fn migration_000100_takes_the_phone_out_of_existing_events(app: TestApp) {
    let c = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let undone = persistence::migrate_down_to(&app.state.db, "m20261207_000095_persons").await;
    assert!(undone.unwrap() >= 1);
    let db = app.direct_connection().await;
    write_old_shape(&db).await;
    let stored = stored_events(&app).await;
    assert!(
        stored[0].2.as_deref().unwrap().contains("***-**-67"),
        "{stored:?}"
    );
    // The phone is outside the chain: the old shape verifies as well.
    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));

    persistence::migrate(&app.state.db).await.unwrap();
    let stored = stored_events(&app).await;
    for (kind, payload, personal) in &stored {
        let personal = personal.as_deref().unwrap_or_default();
        assert!(!personal.contains("applicant_phone"), "{kind}: {personal}");
        assert!(!payload.contains("***"), "{kind}: {payload}");
    }
    assert!(stored[0].2.as_deref().unwrap().contains("Петров из кв. 7"));
    let report = api::history::verify(&app.state.db).await.unwrap();
    assert!(report.is_intact(), "{}", api::history::summary(&report));
    // The rule stands again.
    let id: uuid::Uuid = c["id"].as_str().unwrap().parse().unwrap();
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "UPDATE complaint_events SET comment = 'x' WHERE complaint_id = $1",
        _ => "UPDATE complaint_events SET comment = 'x' WHERE complaint_id = ?",
    };
    assert!(
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [id.into()]
        ))
        .await
        .is_err()
    );
    // And the history still shows the applicant, from the person.
    let company = User::new(&app, "company").await;
    let events = company
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    assert_eq!(events[0]["details"]["applicant_phone"], "+7 *** ***-**-67");
}
