//! Issue 15: the policy as data over HTTP — read, versions, refusals naming the field, a future
//! version, replicas, and deadlines already given never moving.

use super::problem;
use crate::helpers::{TestApp, User, fixtures, spawn_replica};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

on_both_databases!(
    the_admin_reads_version_1_and_saves_a_new_one_audited,
    out_of_range_and_looping_policies_are_refused_naming_the_field,
    a_future_version_waits_for_its_moment_and_replicas_see_it,
    a_new_policy_never_moves_a_deadline_already_given,
);

type Change = Box<dyn FnOnce(&mut Value)>;

const PATH: &str = "/api/v1/admin/policy";
const VERSIONS: &str = "/api/v1/admin/policy/versions";

async fn current(admin: &User<'_>) -> Value {
    admin.get_json(PATH).await
}

/// The body of a new version: the current one with `change` applied.
async fn edited(admin: &User<'_>, change: impl FnOnce(&mut Value)) -> Value {
    let now = current(admin).await["current"].clone();
    let mut body = json!({ "policy": now["policy"], "rules": now["rules"] });
    change(&mut body);
    body
}

async fn the_admin_reads_version_1_and_saves_a_new_one_audited(app: TestApp) {
    let (admin, dispatcher) = (
        User::new(&app, "admin").await,
        User::new(&app, "dispatcher").await,
    );
    assert_eq!(dispatcher.get(PATH).await.status(), 403);
    let first = current(&admin).await;
    assert_eq!(first["current"]["version"], 1);
    assert_eq!(first["current"]["policy"]["max_unanswered_calls"], 3);
    assert!(first["current"]["editor_login"].is_null());
    assert_eq!(first["current"]["rules"].as_array().unwrap().len(), 7);

    let body = edited(&admin, |b| b["policy"]["max_unanswered_calls"] = json!(5)).await;
    assert_eq!(dispatcher.post(VERSIONS, &body).await.status(), 403);
    let response = admin.post(VERSIONS, &body).await;
    assert_eq!(response.status(), 201);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["current"]["version"], 2);
    assert_eq!(saved["current"]["policy"]["max_unanswered_calls"], 5);
    assert_eq!(saved["current"]["editor_login"], "admin@demo.test");
    let versions = saved["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (
            versions[0]["version"].clone(),
            versions[0]["in_force"].clone()
        ),
        (json!(2), json!(true))
    );
    assert_eq!(versions[1]["in_force"], false);

    let log = admin
        .get_json("/api/v1/admin/audit-log?action=policy_version_created")
        .await;
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["details"]["version"], 2);
}

async fn out_of_range_and_looping_policies_are_refused_naming_the_field(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|b| b["policy"]["max_unanswered_calls"] = json!(11)),
            "max_unanswered_calls",
        ),
        (
            Box::new(|b| b["policy"]["repeat_round_fraction"] = json!(0)),
            "repeat_round_fraction",
        ),
        (
            Box::new(|b| {
                b["policy"]["answer_deadline"] = json!({"unit": "calendar_days", "value": 45})
            }),
            "answer_deadline.value",
        ),
        (
            Box::new(|b| b["policy"]["scorecard_min_volume"] = json!(0)),
            "scorecard_min_volume",
        ),
        (
            Box::new(|b| {
                b["rules"][0]["statuses"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("under_inspection"))
            }),
            "rules[0].statuses",
        ),
        (
            Box::new(|b| b["rules"][2]["statuses"] = json!(["sleeping"])),
            "rules[2].statuses",
        ),
        (
            Box::new(|b| b["rules"][3]["code"] = b["rules"][1]["code"].clone()),
            "rules[3].code",
        ),
        (
            Box::new(|b| b["rules"][2]["overdue_for_hours"] = json!(null)),
            "rules[2]",
        ),
        (
            Box::new(|b| b["rules"][1]["effect"] = json!({"type": "explode"})),
            "rules[1].effect.type",
        ),
        (
            Box::new(|b| b["effective_from"] = json!(Utc::now() - Duration::days(1))),
            "effective_from",
        ),
    ];
    for (change, field) in cases {
        let body = edited(&admin, change).await;
        let (status, problem) = problem(admin.post(VERSIONS, &body).await).await;
        assert_eq!(status, 422, "{field}");
        assert!(problem["errors"].get(field).is_some(), "{field}: {problem}");
    }
    let after = current(&admin).await;
    assert_eq!(
        after["versions"].as_array().unwrap().len(),
        1,
        "nothing saved"
    );
}

async fn a_future_version_waits_for_its_moment_and_replicas_see_it(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let replica = spawn_replica(&app).await;
    // The replica reads the policy once before the change.
    let before = replica
        .state
        .policy
        .policy(&replica.state.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(before.scorecard_min_volume, 10);

    let from = Utc::now() + Duration::days(1);
    let body = edited(&admin, |b| {
        b["policy"]["scorecard_min_volume"] = json!(25);
        b["effective_from"] = json!(from);
    })
    .await;
    let saved: Value = admin.post(VERSIONS, &body).await.json().await.unwrap();
    assert_eq!(saved["current"]["version"], 1, "not yet in force");
    assert_eq!(saved["versions"][0]["version"], 2);

    let store = &replica.state.policy;
    let db = &replica.state.db;
    assert_eq!(
        store
            .policy(db, Utc::now())
            .await
            .unwrap()
            .scorecard_min_volume,
        10
    );
    let later = from + Duration::seconds(1);
    assert_eq!(
        store.policy(db, later).await.unwrap().scorecard_min_volume,
        25
    );

    // Effective now, saved on the replica, read at once on the first app.
    let body = edited(&admin, |b| b["policy"]["scorecard_min_volume"] = json!(40)).await;
    let on_replica = replica.login_as("admin").await;
    let response = replica
        .client
        .post(replica.url(VERSIONS))
        .bearer_auth(on_replica)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let now = app
        .state
        .policy
        .policy(&app.state.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(now.scorecard_min_volume, 40);
}

fn time(c: &Value, field: &str) -> DateTime<Utc> {
    c[field].as_str().unwrap().parse().unwrap()
}

async fn a_new_policy_never_moves_a_deadline_already_given(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (admin, resident, company) = (
        User::new(&app, "admin").await,
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
    );
    let mut old = resident
        .file(&building, &category, "Не работает домофон")
        .await["complaint"]
        .clone();
    old = company.ok(&old, json!({ "type": "accept" })).await;
    old = company
        .ok(&old, json!({ "type": "report_done", "note": "Починили" }))
        .await;
    let (due, answer_due) = (time(&old, "due_at"), time(&old, "answer_due_at"));

    let body = edited(&admin, |b| {
        b["policy"]["answer_deadline"] = json!({"unit": "calendar_days", "value": 10});
        b["policy"]["verification"] = json!({"unit": "hours", "value": 1});
    })
    .await;
    assert_eq!(admin.post(VERSIONS, &body).await.status(), 201);

    let id = old["id"].as_str().unwrap();
    let again = resident.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(
        time(&again, "due_at"),
        due,
        "the verification deadline stays"
    );
    assert_eq!(
        time(&again, "answer_due_at"),
        answer_due,
        "the 59-ФЗ deadline stays"
    );

    let new = resident
        .file(
            &building,
            &category,
            "Не работает домофон в другом подъезде",
        )
        .await["complaint"]
        .clone();
    let filed = time(&new, "registered_at");
    assert!(time(&new, "answer_due_at") <= filed + Duration::days(11));
    assert!(answer_due > filed + Duration::days(25));
}
