//! Finding 19: the public list gave exact times next to an address and coordinates, and listed
//! complaints about one flat. Public times are now the day only, and a category that identifies a
//! flat's occupant stays out of the public list, the map and Open311.
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(finding_19_public_times_are_days_and_flat_categories_are_private);

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
        .unwrap_or_else(|| panic!("no category {code}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn public_numbers(app: &TestApp) -> Vec<Value> {
    let page: Value = app
        .get("/api/v1/public/complaints?limit=200", None)
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn finding_19_public_times_are_days_and_flat_categories_are_private(app: TestApp) {
    let (building, ordinary, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let shown = resident
        .file(&building, &ordinary, "Водосток оторван у второго подъезда.")
        .await;
    resident
        .file(&building, &ordinary, "Разбито стекло в подъезде.")
        .await;
    let leak = category_id(&app, "bathroom_leak").await;
    let private = resident
        .file(&building, &leak, "Течёт с потолка в ванной, сверху кв. 16.")
        .await;
    let (shown_number, private_number) = (
        shown["complaint"]["number"].as_str().unwrap(),
        private["complaint"]["number"].as_str().unwrap(),
    );

    // The public list: the day, not the minute; no complaint about one flat.
    let items = public_numbers(&app).await;
    let item = items
        .iter()
        .find(|i| i["number"] == shown_number)
        .expect("the ordinary complaint is public");
    let exact = resident
        .get_json(&format!(
            "/api/v1/complaints/{}",
            shown["complaint"]["id"].as_str().unwrap()
        ))
        .await["registered_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let public = item["registered_at"].as_str().unwrap();
    assert_ne!(public, exact, "the public time is not the exact one");
    let public_at = chrono::DateTime::parse_from_rfc3339(public).unwrap();
    let exact_at = chrono::DateTime::parse_from_rfc3339(&exact).unwrap();
    let local = chrono::FixedOffset::east_opt(5 * 3600).unwrap();
    assert_eq!(
        public_at.with_timezone(&local).time(),
        chrono::NaiveTime::MIN,
        "{public} is the start of a day in Surgut"
    );
    assert_eq!(
        public_at.with_timezone(&local).date_naive(),
        exact_at.with_timezone(&local).date_naive(),
        "{public} is the day of {exact}"
    );
    let due = item["due_at"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(due)
            .unwrap()
            .with_timezone(&local)
            .time(),
        chrono::NaiveTime::MIN,
        "the deadline {due} is a day too"
    );
    assert!(
        items.iter().all(|i| i["number"] != private_number),
        "a complaint about one flat is not in the public list"
    );

    // The page cursor gives no time away either: it is the last complaint's number.
    let first: Value = app
        .get("/api/v1/public/complaints?limit=1", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["next_cursor"], first["items"][0]["number"], "{first}");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/public/complaints?limit=1&cursor={cursor}"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"][0]["number"], items[1]["number"], "{second}");
    let unknown: Value = app
        .get("/api/v1/public/complaints?cursor=СУР-2099-999999", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unknown["items"], json!([]));
    // What is no complaint number at all is refused, not read as "nothing after it".
    let malformed = app.get("/api/v1/public/complaints?cursor=12", None).await;
    assert_eq!(malformed.status(), 400);

    // Open311: the same view.
    let all: Value = app
        .get("/open311/v2/requests.json", None)
        .await
        .json()
        .await
        .unwrap();
    let all = all.as_array().unwrap();
    let request = all
        .iter()
        .find(|r| r["service_request_id"] == shown_number)
        .expect("the ordinary complaint is an Open311 request");
    for field in ["requested_datetime", "updated_datetime"] {
        let at = chrono::DateTime::parse_from_rfc3339(request[field].as_str().unwrap()).unwrap();
        assert_eq!(
            at.with_timezone(&local).time(),
            chrono::NaiveTime::MIN,
            "{field}"
        );
    }
    assert!(
        all.iter()
            .all(|r| r["service_request_id"] != private_number)
    );
    let one = app
        .get(&format!("/open311/v2/requests/{private_number}.json"), None)
        .await;
    assert_eq!(
        one.status(),
        404,
        "a complaint about one flat is no Open311 request"
    );

    // An administrator marks a category as being about one flat: its complaints leave the
    // public views, those already filed included.
    let admin = User::new(&app, "admin").await;
    let response = admin
        .app
        .client
        .patch(app.url(&format!("/api/v1/admin/categories/{ordinary}")))
        .bearer_auth(&admin.token)
        .json(&json!({ "identifies_occupant": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["identifies_occupant"], true);
    assert!(
        public_numbers(&app)
            .await
            .iter()
            .all(|i| i["number"] != shown_number)
    );
}
