//! Leaving test mode: the public leaves test data out once pilot mode is off, and the purge
//! deletes every row marked as test (and nothing else) past the append-only history.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with, spawn_replica};

const CONFIRM: &str = "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ";
const PURGE: &str = "/api/v1/admin/test-data/purge";

macro_rules! on_both_databases_from_pilot {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            }
        )*
    };
}

on_both_databases_from_pilot!(
    purge_deletes_only_test_data_in_one_audited_transaction,
    the_history_stays_append_only_outside_the_purge,
    purge_never_touches_real_data_in_a_random_mix,
);

async fn pilot(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            pilot_mode: true,
            ..Options::default()
        },
    )
    .await
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

fn rows_of(result: &Value, table: &str) -> u64 {
    result["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == table)
        .unwrap_or_else(|| panic!("{table} in {result}"))["rows"]
        .as_u64()
        .unwrap()
}

async fn public_numbers(app: &TestApp) -> (Vec<String>, Vec<bool>) {
    let page: Value = app
        .get("/api/v1/public/complaints?limit=200", None)
        .await
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    (
        items
            .iter()
            .map(|i| i["number"].as_str().unwrap().to_owned())
            .collect(),
        items.iter().map(|i| i["test_data"] == true).collect(),
    )
}

async fn scorecard(app: &TestApp) -> Value {
    app.get("/api/v1/public/scorecard", None)
        .await
        .json()
        .await
        .unwrap()
}

async fn sign_in<'a>(app: &'a TestApp, login: &str, password: &str) -> User<'a> {
    let response = app.login(login, password).await;
    assert_eq!(response.status(), 200, "{login} signs in");
    let body: Value = response.json().await.unwrap();
    User {
        app,
        token: body["access_token"].as_str().unwrap().to_owned(),
    }
}

async fn purge_deletes_only_test_data_in_one_audited_transaction(backend: Backend) {
    // The pilot: two test complaints and two test accounts.
    let pilot = pilot(backend).await;
    let (building, category, _) = fixtures(&pilot).await;
    let resident = User::new(&pilot, "resident").await;
    let test_one = resident
        .file(&building, &category, "Пилот: течёт кран")
        .await;
    let test_two = resident
        .file(&building, &category, "Пилот: нет света")
        .await;
    let admin = User::new(&pilot, "admin").await;
    for login in ["pilot-tester@demo.test", "pilot-keeper@demo.test"] {
        let response = admin
            .post(
                "/api/v1/admin/users",
                &json!({"login": login, "name": "Тестов Тест", "role": "resident", "password": "pilot password 2026"}),
            )
            .await;
        assert_eq!(response.status(), 201);
    }

    // While the pilot runs, the public sees its data, labelled.
    let (numbers, flags) = public_numbers(&pilot).await;
    assert_eq!(numbers.len(), 2);
    assert!(flags.iter().all(|f| *f));
    let card = scorecard(&pilot).await;
    assert_eq!(card["test_data"], true);
    assert_eq!(card["city"]["received"], 2);

    // Pilot mode off, on the same database: real complaints, one by an account made in the pilot.
    let live = spawn_replica(&pilot).await;
    let resident = User::new(&live, "resident").await;
    let real_one = resident.file(&building, &category, "Течёт крыша").await;
    let keeper = sign_in(&live, "pilot-keeper@demo.test", "pilot password 2026").await;
    let real_two = keeper.file(&building, &category, "Дует из окна").await;
    let real_events_path = format!(
        "/api/v1/complaints/{}/events",
        real_one["complaint"]["id"].as_str().unwrap()
    );
    let real_events = resident.get_json(&real_events_path).await;

    // The public leaves test data out once pilot mode is off.
    let (numbers, flags) = public_numbers(&live).await;
    let mut expected = vec![
        real_two["complaint"]["number"].as_str().unwrap().to_owned(),
        real_one["complaint"]["number"].as_str().unwrap().to_owned(),
    ];
    expected.sort();
    let mut numbers = numbers;
    numbers.sort();
    assert_eq!(numbers, expected);
    assert!(flags.iter().all(|f| !*f));
    let card = scorecard(&live).await;
    assert_eq!(card["test_data"], false);
    assert_eq!(card["city"]["received"], 2);

    // Only an administrator may purge.
    let response = resident.post(PURGE, &json!({"dry_run": true})).await;
    assert_eq!(response.status(), 403);

    // The dry run counts and changes nothing.
    let admin = User::new(&live, "admin").await;
    let dry: Value = admin
        .post(PURGE, &json!({"dry_run": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["deleted"], false);
    assert_eq!(rows_of(&dry, "complaints"), 2);
    assert!(rows_of(&dry, "complaint_events") >= 2, "{dry}");
    assert!(rows_of(&dry, "outbox") >= 2, "{dry}");
    // The tester goes; the keeper, named by a real complaint, stays.
    assert_eq!(rows_of(&dry, "users"), 1, "{dry}");
    // And the tester's person row (migration 000095) with them.
    assert_eq!(rows_of(&dry, "persons"), 1, "{dry}");
    let again: Value = admin
        .post(PURGE, &json!({"dry_run": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["tables"], dry["tables"]);

    // A wrong or missing confirmation is refused, naming `confirm`.
    for body in [
        json!({"confirm": "удалить тестовые данные"}),
        json!({"confirm": "DELETE"}),
        json!({}),
        json!({"dry_run": false}),
    ] {
        let response = admin.post(PURGE, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert!(problem["errors"]["confirm"].is_array(), "{problem}");
    }

    // The purge deletes what the dry run counted.
    let response = admin.post(PURGE, &json!({"confirm": CONFIRM})).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["deleted"], true);
    assert_eq!(done["tables"], dry["tables"]);
    assert_eq!(done["total"], dry["total"]);

    // The test complaints are gone; the real ones, their history and the scorecard are not.
    for gone in [&test_one, &test_two] {
        let response = admin
            .get(&format!(
                "/api/v1/complaints/{}",
                gone["complaint"]["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(response.status(), 404);
    }
    assert_eq!(resident.get_json(&real_events_path).await, real_events);
    let (numbers, _) = public_numbers(&live).await;
    assert_eq!(numbers.len(), 2);
    let card = scorecard(&live).await;
    assert_eq!(card["city"]["received"], 2);
    assert_eq!(
        live.login("pilot-tester@demo.test", "pilot password 2026")
            .await
            .status(),
        401
    );
    sign_in(&live, "pilot-keeper@demo.test", "pilot password 2026").await;

    let db = live.direct_connection().await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM complaints WHERE is_test").await,
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM complaints").await, 2);
    assert!(count(&db, "SELECT COUNT(*) FROM complaint_events").await >= 2);
    let audit = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT details FROM audit_log WHERE action = 'test_data.purged'".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let details: Value = audit.try_get_by_index(0).unwrap();
    assert_eq!(details["total"], done["total"], "{details}");
    assert_eq!(details["tables"]["complaints"], 2, "{details}");

    // With no test data left, a purge deletes nothing and says so.
    let empty: Value = admin
        .post(PURGE, &json!({"confirm": CONFIRM}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["deleted"], false);
    assert_eq!(empty["total"], 0);
    assert!(
        empty["message"]
            .as_str()
            .unwrap()
            .contains("nothing was deleted"),
        "{empty}"
    );
}

/// Tries a `DELETE` of events in a transaction of its own; `true` when the database refused it.
async fn refused(db: &DatabaseConnection, purge_mode: bool, which: &str) -> bool {
    let txn = db.begin().await.unwrap();
    if purge_mode {
        let switch_on = match db.get_database_backend() {
            DbBackend::Postgres => "SELECT set_config('dispatch.purge', 'on', true)",
            _ => "INSERT INTO purge_mode (id) VALUES (1)",
        };
        txn.execute_unprepared(switch_on).await.unwrap();
    }
    let result = txn
        .execute_unprepared(&format!(
            "DELETE FROM complaint_events WHERE complaint_id IN (SELECT id FROM complaints WHERE {which})"
        ))
        .await;
    txn.rollback().await.unwrap();
    result.is_err()
}

async fn the_history_stays_append_only_outside_the_purge(backend: Backend) {
    let pilot = pilot(backend).await;
    let (building, category, _) = fixtures(&pilot).await;
    User::new(&pilot, "resident")
        .await
        .file(&building, &category, "Пилот")
        .await;
    let live = spawn_replica(&pilot).await;
    User::new(&live, "resident")
        .await
        .file(&building, &category, "Настоящая")
        .await;
    let db = live.direct_connection().await;
    let events = count(&db, "SELECT COUNT(*) FROM complaint_events").await;

    // Outside a purge no event goes, test or real.
    assert!(refused(&db, false, "is_test").await);
    assert!(refused(&db, false, "NOT is_test").await);
    // Inside one, a real complaint's events are still refused, row by row.
    assert!(refused(&db, true, "NOT is_test").await);
    // And updates are refused whatever the mode.
    assert!(
        db.execute_unprepared("UPDATE complaint_events SET comment = 'x'")
            .await
            .is_err()
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM complaint_events").await,
        events
    );

    // Purge mode with a test complaint's events is the one way through.
    assert!(!refused(&db, true, "is_test").await);
}

/// A random mix of test and real complaints (some taken into work), filed alternately on the
/// pilot and on the live instance: after the purge, exactly the real ones remain, with the same
/// history, and the public scorecard counts the same.
async fn purge_never_touches_real_data_in_a_random_mix(backend: Backend) {
    let pilot = pilot(backend).await;
    let (building, category, _) = fixtures(&pilot).await;
    let live = spawn_replica(&pilot).await;
    let seed = u64::from(uuid::Uuid::new_v4().as_fields().0);
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64: enough randomness for a mix, and the seed is printed on failure.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut real = Vec::new();
    for i in 0..8 {
        let is_test = next() % 2 == 0;
        let app = if is_test { &pilot } else { &live };
        let resident = User::new(app, "resident").await;
        let filed = resident
            .file(&building, &category, &format!("Смесь {i}"))
            .await;
        if next() % 2 == 0 {
            let company = User::new(app, "company").await;
            company
                .ok(&filed["complaint"], json!({"type": "accept"}))
                .await;
        }
        if !is_test {
            let id = filed["complaint"]["id"].as_str().unwrap().to_owned();
            let events = resident
                .get_json(&format!("/api/v1/complaints/{id}/events"))
                .await;
            real.push((id, events));
        }
    }
    let before = scorecard(&live).await;
    let admin = User::new(&live, "admin").await;
    let response = admin.post(PURGE, &json!({"confirm": CONFIRM})).await;
    assert_eq!(response.status(), 200, "seed {seed}");

    let db = live.direct_connection().await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM complaints").await,
        i64::try_from(real.len()).unwrap(),
        "seed {seed}"
    );
    let resident = User::new(&live, "resident").await;
    for (id, events) in &real {
        let now = resident
            .get_json(&format!("/api/v1/complaints/{id}/events"))
            .await;
        assert_eq!(&now, events, "seed {seed}");
    }
    let after = scorecard(&live).await;
    assert_eq!(after["city"], before["city"], "seed {seed}");
    assert_eq!(after["companies"], before["companies"], "seed {seed}");
}
