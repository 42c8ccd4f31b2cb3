//! Issue 15: several legal clocks per complaint. Both ПП 416 clocks of an emergency (localised in
//! time, fixed late), the worker marking a clock missed once across passes and replicas, the
//! board's clock filter and the scorecard's per-clock figures; the worker's clock is passed in.

use crate::helpers::{TestApp, User, fixtures, spawn_replica};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

on_both_databases!(
    an_emergency_is_localised_in_time_and_fixed_late,
    the_board_filters_by_clock_and_state,
);

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn category_id(app: &TestApp, code: &str) -> String {
    let categories: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn clock<'a>(complaint: &'a Value, code: &str) -> &'a Value {
    complaint["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no {code} clock in {}", complaint["clocks"]))
}

async fn detail(user: &User<'_>, complaint: &Value) -> Value {
    user.get_json(&format!(
        "/api/v1/complaints/{}",
        complaint["id"].as_str().unwrap()
    ))
    .await
}

async fn an_emergency_is_localised_in_time_and_fixed_late(app: TestApp) {
    let (building, _, _) = fixtures(&app).await;
    let flooding = category_id(&app, "flooding").await;
    let (resident, company, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );
    let filed = resident
        .file(&building, &flooding, "Прорвало трубу отопления в подвале")
        .await["complaint"]
        .clone();
    let registered = time(&filed["registered_at"]);
    let c = detail(&dispatcher, &filed).await;
    let codes: Vec<&str> = c["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["localise", "fix", "city_answer"]);
    let localise = clock(&c, "localise");
    assert_eq!(
        time(&localise["due_at"]),
        registered + Duration::minutes(30)
    );
    assert!(localise["basis"].as_str().unwrap().contains("416"));
    assert_eq!(localise["state"], "running");
    let fix_due = time(&clock(&c, "fix")["due_at"]);
    assert_eq!(fix_due, registered + Duration::hours(72));
    assert_eq!(
        time(&clock(&c, "city_answer")["due_at"]),
        time(&c["answer_due_at"])
    );

    // The company takes the emergency at once: localised in time.
    company.ok(&filed, json!({ "type": "accept" })).await;
    let c = detail(&dispatcher, &filed).await;
    assert_eq!(clock(&c, "localise")["state"], "met");
    assert_eq!(clock(&c, "fix")["state"], "running");

    // Editing the category afterwards moves no clock already running.
    let admin = User::new(&app, "admin").await;
    let edited = app
        .client
        .patch(app.url(&format!("/api/v1/admin/categories/{flooding}")))
        .bearer_auth(&admin.token)
        .json(&json!({ "deadline": {"unit": "hours", "value": 24} }))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 200);

    // Before its due time the worker leaves the fix clock alone; after it, marks it missed once,
    // whichever replica looks.
    let early = api::worker::tick(&app.state, fix_due - Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(early.missed_clocks, 0);
    let late = fix_due + Duration::hours(2);
    let first = api::worker::tick(&app.state, late).await.unwrap();
    assert_eq!(first.missed_clocks, 1);
    let replica = spawn_replica(&app).await;
    let again = api::worker::tick(&replica.state, late + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(again.missed_clocks, 0);
    let c = detail(&dispatcher, &filed).await;
    let fix = clock(&c, "fix");
    assert_eq!(fix["state"], "missed");
    assert_eq!(time(&fix["due_at"]), fix_due, "the due time never moved");
    assert_eq!(time(&fix["missed_at"]), fix_due);
    assert_eq!(clock(&c, "localise")["state"], "met");

    // Done late: it stays missed, and the scorecard counts one of each for the company.
    let c = company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Заменили участок трубы" }),
        )
        .await;
    let c = detail(&dispatcher, &c).await;
    assert_eq!(clock(&c, "fix")["state"], "missed");
    assert!(clock(&c, "fix")["met_at"].is_string());
    let card: Value = app
        .get("/api/v1/public/scorecard", None)
        .await
        .json()
        .await
        .unwrap();
    let company_id = c["company"]["id"].as_str().unwrap();
    let of = |code: &str| {
        card["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["company_id"] == company_id && k["clock"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no {code} in {}", card["clocks"]))
    };
    assert_eq!(
        (
            of("localise")["met_on_time"].as_u64(),
            of("localise")["missed"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(
        (
            of("fix")["met_on_time"].as_u64(),
            of("fix")["missed"].as_u64()
        ),
        (Some(0), Some(1))
    );
}

async fn the_board_filters_by_clock_and_state(app: TestApp) {
    let (building, ordinary, _) = fixtures(&app).await;
    let flooding = category_id(&app, "flooding").await;
    let (resident, company, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );
    let taken = resident
        .file(&building, &flooding, "Течёт стояк в подъезде")
        .await["complaint"]
        .clone();
    company.ok(&taken, json!({ "type": "accept" })).await;
    let waiting = resident.file(&building, &flooding, "Затопило подвал").await["complaint"].clone();
    let plain = resident
        .file(&building, &ordinary, "Не закрывается дверь")
        .await["complaint"]
        .clone();
    // Half an hour later nobody has localised the second flood.
    let registered = time(&waiting["registered_at"]);
    api::worker::tick(&app.state, registered + Duration::minutes(31))
        .await
        .unwrap();

    let ids = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let id = |c: &Value| c["id"].as_str().unwrap().to_owned();
    let missed = ids(dispatcher
        .get_json("/api/v1/complaints?clock=localise&clock_state=missed")
        .await);
    assert_eq!(missed, [id(&waiting)]);
    let met = ids(dispatcher
        .get_json("/api/v1/complaints?clock=localise&clock_state=met")
        .await);
    assert_eq!(met, [id(&taken)]);
    let mut localise = ids(dispatcher
        .get_json("/api/v1/complaints?clock=localise")
        .await);
    localise.sort();
    let mut both = vec![id(&taken), id(&waiting)];
    both.sort();
    assert_eq!(
        localise, both,
        "the ordinary complaint runs no localise clock"
    );
    let answering = ids(dispatcher
        .get_json("/api/v1/complaints?clock=answer&clock_state=running")
        .await);
    assert_eq!(answering, [id(&plain)]);
    let city = ids(dispatcher
        .get_json("/api/v1/complaints?clock=city_answer&clock_state=running")
        .await);
    assert_eq!(city.len(), 3);
    // The company sees only its own through the same filter; a bad value is a 400 problem.
    let own = ids(company
        .get_json("/api/v1/complaints?clock=localise&clock_state=missed")
        .await);
    assert_eq!(own, [id(&waiting)]);
    let bad = dispatcher
        .get("/api/v1/complaints?clock=sometime&clock_state=missed")
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
}
