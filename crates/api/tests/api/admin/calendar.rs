//! Issue 15: the production calendar as data over HTTP — the years listed with their status, an
//! upload applied to new working-day deadlines at once on every replica, refusals naming the
//! field with nothing saved, and only the administrator.

use super::problem;
use crate::helpers::{TestApp, User, fixtures, spawn_replica};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde_json::{Value, json};
use std::collections::BTreeMap;

on_both_databases!(
    the_years_are_listed_and_only_the_admin_reads_or_uploads,
    an_upload_moves_new_working_day_deadlines_on_every_replica,
    bad_years_are_refused_naming_the_field_and_nothing_is_saved,
);

const PATH: &str = "/api/v1/admin/calendar";

async fn put(user: &User<'_>, year: i32, body: &Value) -> reqwest::Response {
    user.app
        .client
        .put(user.app.url(&format!("{PATH}/{year}")))
        .bearer_auth(&user.token)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn year_of(overview: &Value, year: i32) -> &Value {
    overview["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == year)
        .unwrap_or_else(|| panic!("{year} not listed: {overview}"))
}

async fn the_years_are_listed_and_only_the_admin_reads_or_uploads(app: TestApp) {
    let (admin, dispatcher) = (
        User::new(&app, "admin").await,
        User::new(&app, "dispatcher").await,
    );
    let before = admin.get_json(PATH).await;
    let years: Vec<i64> = before["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, vec![2024, 2025, 2026, 2027]);
    assert_eq!(year_of(&before, 2026)["status"], "confirmed");
    assert_eq!(year_of(&before, 2027)["status"], "unconfirmed");
    assert_eq!(year_of(&before, 2027)["origin"], "compiled");
    assert!(year_of(&before, 2027)["upload"].is_null());
    assert_eq!(before["uploads"], json!([]));

    let body = json!({"years": {"2027": {
        "days_off_weekdays": ["2027-01-01", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"],
        "working_weekends": [],
        "shortened": ["2027-12-30"],
        "source": "ПП РФ (test)",
    }}});
    assert_eq!(dispatcher.get(PATH).await.status(), 403);
    assert_eq!(put(&dispatcher, 2027, &body).await.status(), 403);
    let response = put(&admin, 2027, &body).await;
    assert_eq!(response.status(), 200);
    let after: Value = response.json().await.unwrap();
    let y2027 = year_of(&after, 2027);
    assert_eq!(y2027["status"], "confirmed");
    assert_eq!(y2027["origin"], "uploaded");
    assert_eq!(y2027["upload"]["version"], 1);
    assert_eq!(y2027["upload"]["editor_login"], "admin@demo.test");
    assert_eq!(y2027["days_off_weekdays"].as_array().unwrap().len(), 6);
    assert_eq!(after["uploads"].as_array().unwrap().len(), 1);
    assert_eq!(
        admin.get_json(PATH).await,
        after,
        "the listing reads the same"
    );

    let log = admin
        .get_json("/api/v1/admin/audit-log?action=calendar_year_uploaded")
        .await;
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["details"]["year"], 2027);
    assert_eq!(items[0]["details"]["version"], 1);
}

/// One upload per year touched: every weekday from tomorrow to `days` ahead is a day off.
fn days_off_ahead(today: NaiveDate, days: i64) -> BTreeMap<i32, Vec<NaiveDate>> {
    let mut by_year: BTreeMap<i32, Vec<NaiveDate>> = BTreeMap::new();
    for d in 1..=days {
        let date = today + Duration::days(d);
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            by_year.entry(date.year()).or_default().push(date);
        }
    }
    by_year
}

fn time(c: &Value, field: &str) -> DateTime<Utc> {
    c[field].as_str().unwrap().parse().unwrap()
}

async fn an_upload_moves_new_working_day_deadlines_on_every_replica(app: TestApp) {
    let (building, _, _) = fixtures(&app).await;
    let (admin, resident) = (
        User::new(&app, "admin").await,
        User::new(&app, "resident").await,
    );
    let response = admin
        .post(
            "/api/v1/admin/categories",
            &json!({
                "code": "stuck_door",
                "name_ru": "Не закрывается дверь подъезда",
                "name_en": "The entrance door does not close",
                "emergency": false,
                "deadline": {"unit": "working_days", "value": 2},
                "legal_basis": "ПП РФ № 290"
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let category = response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let replica = spawn_replica(&app).await;
    let store = &replica.state.calendar;
    let compiled = store.current(&replica.state.db).await.unwrap();
    let today = compiled.local_date(Utc::now());
    let before = resident.file(&building, &category, "Течёт кран").await["complaint"].clone();
    // The category's deadline (2 working days) falls within the next days on the compiled data.
    assert!(compiled.local_date(time(&before, "due_at")) <= today + Duration::days(12));

    let uploads = days_off_ahead(today, 20);
    let mut expected = (*compiled).clone();
    for (year, dates) in &uploads {
        let body = json!({"years": {year.to_string(): {
            "days_off_weekdays": dates,
            "source": "test: three weeks off",
        }}});
        let response = put(&admin, *year, &body).await;
        assert_eq!(response.status(), 200, "{year}");
        expected
            .merge_json(&body.to_string())
            .expect("the uploaded year loads");
    }
    // The replica read the calendar before the upload; it sees the new one at once.
    let seen = store.current(&replica.state.db).await.unwrap();
    assert_eq!(*seen, expected);

    let after = resident.file(&building, &category, "Течёт кран").await["complaint"].clone();
    let due = time(&after, "due_at");
    assert!(
        compiled.local_date(due) > today + Duration::days(20),
        "{due} skips the uploaded days off"
    );
    let registered = time(&after, "registered_at");
    assert_eq!(
        due,
        domain::Deadline::WorkingDays(2).due_from(registered, &expected)
    );
    assert_eq!(
        time(&before, "due_at"),
        time(
            &resident
                .get_json(&format!(
                    "/api/v1/complaints/{}",
                    before["id"].as_str().unwrap()
                ))
                .await,
            "due_at"
        ),
        "a deadline already given does not move"
    );
}

async fn bad_years_are_refused_naming_the_field_and_nothing_is_saved(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let year = |data: Value| json!({"years": {"2027": data}});
    let cases: Vec<(i32, Value, &str)> = vec![
        (
            2027,
            json!({"years": {"2028": {"source": "x"}}}),
            "years.2028",
        ),
        (2027, json!({"source": "x"}), "years"),
        (
            2027,
            year(json!({"source": "x", "days_off_weekdays": ["2026-12-31"]})),
            "years.2027.days_off_weekdays[0]",
        ),
        (
            2027,
            year(json!({"source": "x", "days_off_weekdays": ["2027-01-01", "2027-01-01"]})),
            "years.2027.days_off_weekdays[1]",
        ),
        (
            2027,
            // 2027-01-04 is a Monday.
            year(json!({"source": "x", "working_weekends": ["2027-01-04"]})),
            "years.2027.working_weekends[0]",
        ),
        (
            2027,
            // 2027-01-02 is a Saturday.
            year(json!({"source": "x", "days_off_weekdays": ["2027-01-04", "2027-01-02"]})),
            "years.2027.days_off_weekdays[1]",
        ),
        (
            2027,
            year(json!({"source": "x", "shortened": ["31.12.2027"]})),
            "years.2027.shortened[0]",
        ),
        (
            2027,
            year(json!({"days_off_weekdays": []})),
            "years.2027.source",
        ),
        (1999, json!({"years": {"1999": {"source": "x"}}}), "year"),
    ];
    for (path_year, body, field) in cases {
        let (status, problem) = problem(put(&admin, path_year, &body).await).await;
        assert_eq!(status, 422, "{field}");
        assert!(problem["errors"].get(field).is_some(), "{field}: {problem}");
    }
    let response = put(&admin, 2027, &json!(["not", "an", "object"])).await;
    assert_eq!(response.status(), 400);
    let after = admin.get_json(PATH).await;
    assert_eq!(after["uploads"], json!([]), "nothing saved");
    assert_eq!(year_of(&after, 2027)["status"], "unconfirmed");
}
