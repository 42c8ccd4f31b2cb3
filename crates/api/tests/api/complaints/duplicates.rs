//! Duplicates (issue 16): suggestions while typing, joining an open complaint, and a duplicate's
//! rejection that names its original — on both databases.

use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    suggestions_show_open_complaints_of_the_same_building_only,
    joining_is_one_follow_and_the_follower_hears_of_the_closing,
    a_duplicate_names_its_original_and_its_author_follows_it,
    links_to_itself_in_a_cycle_or_to_a_closed_complaint_elsewhere_are_refused,
    erasure_forgets_the_follows_of_an_account_and_of_a_phone,
    migration_000112_moves_the_follows_phones_to_persons,
);

/// `sql` with PostgreSQL's numbered placeholders in place of `?` on PostgreSQL.
fn numbered(backend: sea_orm::DbBackend, sql: &str) -> String {
    if backend != sea_orm::DbBackend::Postgres {
        return sql.to_owned();
    }
    let mut n = 0;
    sql.chars()
        .map(|ch| {
            if ch == '?' {
                n += 1;
                format!("${n}")
            } else {
                ch.to_string()
            }
        })
        .collect()
}

/// How many persons hold `phone` (E.164).
async fn persons_with_phone(app: &TestApp, phone: &str) -> i64 {
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let sql = numbered(backend, "SELECT COUNT(*) AS n FROM persons WHERE phone = ?");
    db.query_one_raw(Statement::from_sql_and_values(backend, sql, [phone.into()]))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

/// Another building than `building`, managed or not.
async fn other_building(app: &TestApp, building: &str) -> String {
    let buildings: Value = app
        .get("/api/v1/buildings?limit=50", None)
        .await
        .json()
        .await
        .unwrap();
    buildings
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .find(|id| id != building)
        .unwrap()
}

fn id(c: &Value) -> &str {
    c["id"].as_str().unwrap()
}

/// Company accepts and reports done; the dispatcher's call finds the resident satisfied.
async fn close(app: &TestApp, c: &Value) -> Value {
    let (company, dispatcher) = (
        User::new(app, "company").await,
        User::new(app, "dispatcher").await,
    );
    let c = company.ok(c, json!({ "type": "accept" })).await;
    let c = company
        .ok(&c, json!({ "type": "report_done", "note": "Сделано" }))
        .await;
    let c = dispatcher
        .ok(
            &c,
            json!({ "type": "record_call", "outcome": "satisfied", "comment": null }),
        )
        .await;
    assert_eq!(c["status"], "closed");
    c
}

async fn notified_of(user: &User<'_>, complaint: &Value) -> Vec<String> {
    let inbox = user.get_json("/api/v1/notifications").await;
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["complaint_id"] == complaint["id"])
        .map(|n| n["text"].as_str().unwrap().to_owned())
        .collect()
}

async fn suggestions_show_open_complaints_of_the_same_building_only(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let elsewhere = other_building(&app, &building).await;
    let (resident, resident2) = (
        User::new(&app, "resident").await,
        User::new(&app, "resident2").await,
    );
    let here = resident
        .file(&building, &category, "Холодные батареи во всём подъезде")
        .await["complaint"]
        .clone();
    let there = resident
        .file(&elsewhere, &category, "Холодные батареи во всём подъезде")
        .await["complaint"]
        .clone();
    let path = format!(
        "/api/v1/complaints/similar?building_id={building}&category_id={category}&text=батарея%20холодная"
    );
    for role in ["resident2", "clerk", "dispatcher"] {
        let found = User::new(&app, role).await.get_json(&path).await;
        let found = found.as_array().unwrap();
        assert!(
            found.iter().any(|s| s["id"] == here["id"]),
            "{role}: {found:?}"
        );
        assert!(!found.iter().any(|s| s["id"] == there["id"]), "{role}");
        let first = found.iter().find(|s| s["id"] == here["id"]).unwrap();
        assert_eq!(first["number"], here["number"]);
        assert_eq!(first["status"], "registered");
        // Nothing personal, no free text.
        let text = first.to_string();
        assert!(!text.contains("подъезд") && first.get("applicant").is_none());
        assert!(first.get("description").is_none() && first["filed_on"].is_string());
    }
    let _ = &resident2;
    // Words alone find it too, in another category.
    let by_words = resident2
        .get_json(&format!(
            "/api/v1/complaints/similar?building_id={building}&text=холодные%20батареи"
        ))
        .await;
    assert!(
        by_words
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == here["id"])
    );
    for role in ["company", "inspector", "admin"] {
        let response = User::new(&app, role).await.get(&path).await;
        assert_eq!(response.status(), 403, "{role}");
    }
    let too_many = resident2
        .get(&format!(
            "/api/v1/complaints/similar?building_id={building}&limit=50"
        ))
        .await;
    assert_eq!(too_many.status(), 400);
}

async fn joining_is_one_follow_and_the_follower_hears_of_the_closing(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, resident2, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "resident2").await,
        User::new(&app, "clerk").await,
    );
    let c = resident
        .file(&building, &category, "Не работает освещение на лестнице")
        .await["complaint"]
        .clone();
    let path = format!("/api/v1/complaints/{}/followers", id(&c));
    let first = resident2.post(&path, &json!({})).await;
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(
        (first["joined"].clone(), first["followers_count"].clone()),
        (json!(true), json!(1))
    );
    let again: Value = resident2
        .post(&path, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (again["joined"].clone(), again["followers_count"].clone()),
        (json!(false), json!(1))
    );
    // A clerk joins a person without an account by phone, with their consent.
    let by_phone = json!({ "phone": "8 (922) 765-43-21", "consent": { "accepted": true, "version": "2026-01" } });
    let joined: Value = clerk.post(&path, &by_phone).await.json().await.unwrap();
    assert_eq!(joined["followers_count"], 2);
    let no_phone = clerk.post(&path, &json!({})).await;
    assert_eq!(no_phone.status(), 422);
    // The author hears of it already; other roles may not join.
    assert_eq!(resident.post(&path, &json!({})).await.status(), 409);
    for role in ["company", "dispatcher", "inspector"] {
        let response = User::new(&app, role).await.post(&path, &json!({})).await;
        assert_eq!(response.status(), 403, "{role}");
    }
    let nowhere = format!("/api/v1/complaints/{}/followers", uuid::Uuid::now_v7());
    assert_eq!(resident2.post(&nowhere, &json!({})).await.status(), 404);

    let dispatcher = User::new(&app, "dispatcher").await;
    let links = dispatcher
        .get_json(&format!("/api/v1/complaints/{}/duplicates", id(&c)))
        .await;
    assert_eq!(links["followers_count"], 2);

    let closed = close(&app, &c).await;
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    let heard = notified_of(&resident2, &closed).await;
    let number = c["number"].as_str().unwrap();
    assert!(
        heard
            .iter()
            .any(|t| t.contains(number) && t.ends_with("закрыта")),
        "{heard:?}"
    );
    // Each change of status once; the filing itself is no news to a follower.
    assert!(
        !heard.iter().any(|t| t.ends_with("зарегистрирована")),
        "{heard:?}"
    );
    let sms =
        persistence::messaging::deliveries::of_complaint(&app.state.db, id(&c).parse().unwrap())
            .await
            .unwrap();
    assert!(sms.iter().any(|d| d.address == "+79227654321"
        && d.kind == domain::MessageKind::Closed
        && d.channel == domain::Channel::Sms));
    // A closed complaint cannot be joined any more.
    let late = User::new(&app, "resident2").await;
    let response = late
        .post(
            &format!("/api/v1/complaints/{}/followers", id(&closed)),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 409);
}

async fn a_duplicate_names_its_original_and_its_author_follows_it(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, resident2, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "resident2").await,
        User::new(&app, "dispatcher").await,
    );
    let original = resident
        .file(&building, &category, "Течёт крыша над пятым этажом")
        .await["complaint"]
        .clone();
    let duplicate = resident2
        .file(&building, &category, "Протекает крыша, пятый этаж")
        .await["complaint"]
        .clone();
    let unnamed = dispatcher
        .act(
            &duplicate,
            json!({ "type": "reject", "reason": "duplicate", "comment": "" }),
        )
        .await;
    assert_eq!(unnamed.status(), 422);
    let body: Value = unnamed.json().await.unwrap();
    assert!(body["errors"]["duplicate_of"].is_array(), "{body}");
    let unknown = dispatcher
        .act(&duplicate, json!({ "type": "reject", "reason": "duplicate", "comment": "", "duplicate_of": "СУР-1999-000001" }))
        .await;
    assert_eq!(unknown.status(), 422);
    // Only the dispatcher links.
    let company = User::new(&app, "company").await;
    let refused = company
        .act(&duplicate, json!({ "type": "reject", "reason": "duplicate", "comment": "", "duplicate_of": original["number"] }))
        .await;
    assert_eq!(refused.status(), 403);

    let rejected = dispatcher
        .ok(&duplicate, json!({ "type": "reject", "reason": "duplicate", "comment": "Та же крыша", "duplicate_of": original["number"] }))
        .await;
    assert_eq!(rejected["status"], "rejected");
    let events = dispatcher
        .get_json(&format!("/api/v1/complaints/{}/events", id(&duplicate)))
        .await;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "reject");
    assert_eq!(last["details"]["duplicate_of"], original["id"]);

    let links = dispatcher
        .get_json(&format!("/api/v1/complaints/{}/duplicates", id(&original)))
        .await;
    assert_eq!(links["linked"][0]["number"], duplicate["number"]);
    assert_eq!(links["followers_count"], 1);
    let back = resident2
        .get_json(&format!("/api/v1/complaints/{}/duplicates", id(&duplicate)))
        .await;
    assert_eq!(back["duplicate_of"]["number"], original["number"]);
    // Somebody else's complaint stays hidden.
    let hidden = resident2
        .get(&format!("/api/v1/complaints/{}/duplicates", id(&original)))
        .await;
    assert_eq!(hidden.status(), 404);

    // The duplicate's author hears when the original closes.
    let closed = close(&app, &original).await;
    api::worker::tick(&app.state, Utc::now()).await.unwrap();
    let heard = notified_of(&resident2, &closed).await;
    assert!(
        heard
            .iter()
            .any(|t| t.contains(original["number"].as_str().unwrap())),
        "{heard:?}"
    );
}

async fn links_to_itself_in_a_cycle_or_to_a_closed_complaint_elsewhere_are_refused(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let elsewhere = other_building(&app, &building).await;
    let (resident, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
    );
    let file = |b: String, text: &'static str| {
        let resident = &resident;
        let category = category.clone();
        async move { resident.file(&b, &category, text).await["complaint"].clone() }
    };
    let code = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        body["code"].as_str().unwrap().to_owned()
    };
    let reject_as_dup = |of: &Value| json!({ "type": "reject", "reason": "duplicate", "comment": "", "duplicate_of": of["number"] });

    let x = file(building.clone(), "Сломан почтовый ящик").await;
    let by_id =
        json!({ "type": "reject", "reason": "duplicate", "comment": "", "duplicate_of": x["id"] });
    assert_eq!(
        code(dispatcher.act(&x, by_id).await).await,
        "link_to_itself"
    );

    let a = file(building.clone(), "Не закрывается дверь подъезда").await;
    let b = file(building.clone(), "Дверь подъезда не закрывается").await;
    dispatcher.ok(&a, reject_as_dup(&b)).await;
    assert_eq!(
        code(dispatcher.act(&b, reject_as_dup(&a)).await).await,
        "link_cycle"
    );

    let far = file(elsewhere.clone(), "Разбито окно в подъезде").await;
    let far = dispatcher
        .ok(
            &far,
            json!({ "type": "reject", "reason": "not_housing_matter", "comment": "" }),
        )
        .await;
    let e = file(building.clone(), "Разбито окно на лестнице").await;
    assert_eq!(
        code(dispatcher.act(&e, reject_as_dup(&far)).await).await,
        "link_to_closed_elsewhere"
    );
    // Nothing was written by the refusals: each complaint still takes a valid link.
    let e = dispatcher.ok(&e, reject_as_dup(&x)).await;
    assert_eq!(e["status"], "rejected");
}

/// A resident's complaint that a clerk joined a person without an account to, by the phone
/// +7 922 111-22-33; with the path of its followers.
async fn followed_by_phone(
    app: &TestApp,
    resident: &User<'_>,
    clerk: &User<'_>,
) -> (Value, String) {
    let (building, category, _) = fixtures(app).await;
    let c = resident
        .file(&building, &category, "Не закрывается дверь подъезда")
        .await["complaint"]
        .clone();
    let path = format!("/api/v1/complaints/{}/followers", id(&c));
    let by_phone = json!({ "phone": "+7 922 111-22-33", "consent": { "accepted": true, "version": "2026-01" } });
    assert_eq!(clerk.post(&path, &by_phone).await.status(), 200);
    (c, path)
}

/// 152-ФЗ: an erased person follows nothing any more, whether they joined with an account or a
/// clerk joined them by phone (a person with only a follow is still known to the erasure).
async fn erasure_forgets_the_follows_of_an_account_and_of_a_phone(app: TestApp) {
    let (resident, resident2, clerk, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "resident2").await,
        User::new(&app, "clerk").await,
        User::new(&app, "dispatcher").await,
    );
    let (c, path) = followed_by_phone(&app, &resident, &clerk).await;
    assert_eq!(resident2.post(&path, &json!({})).await.status(), 200);
    let links = format!("/api/v1/complaints/{}/duplicates", id(&c));
    assert_eq!(dispatcher.get_json(&links).await["followers_count"], 2);

    let request =
        json!({ "phone": "8 922 111 22 33", "ground": "erasure_request", "reason": "Заявление" });
    assert_eq!(persons_with_phone(&app, "+79221112233").await, 1);
    let response = clerk.post("/api/v1/persons/erasure", &request).await;
    assert_eq!(response.status(), 200, "a person known only by a follow");
    assert_eq!(dispatcher.get_json(&links).await["followers_count"], 1);
    assert_eq!(
        persons_with_phone(&app, "+79221112233").await,
        0,
        "the follow's person is anonymised with it"
    );

    let response = resident2
        .post(
            "/api/v1/me/erasure",
            &json!({ "ground": "erasure_request", "confirm": "УДАЛИТЬ МОИ ДАННЫЕ" }),
        )
        .await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(dispatcher.get_json(&links).await["followers_count"], 0);
}

/// Follows made before migration 000112 held the phone: each moves to the person known by it,
/// or to a new one, and is still counted and told.
async fn migration_000112_moves_the_follows_phones_to_persons(app: TestApp) {
    let (resident, clerk, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "clerk").await,
        User::new(&app, "dispatcher").await,
    );
    let (c, _followers) = followed_by_phone(&app, &resident, &clerk).await;

    let undone =
        persistence::migrate_down_to(&app.state.db, "m20261207_000111_name_out_of_history").await;
    assert!(undone.unwrap() >= 1);
    // A second follow written in the old shape, by a phone no person has.
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let sql = "INSERT INTO complaint_followers \
               (id, complaint_id, user_id, phone, consent_version, via_complaint_id, created_by, created_at) \
               VALUES (?, ?, NULL, ?, '2026-01', NULL, ?, ?)";
    let complaint: uuid::Uuid = id(&c).parse().unwrap();
    let clerk_id: uuid::Uuid = clerk.get_json("/api/v1/me").await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        numbered(backend, sql),
        [
            uuid::Uuid::now_v7().into(),
            complaint.into(),
            "+79224445566".into(),
            clerk_id.into(),
            Utc::now().into(),
        ],
    ))
    .await
    .unwrap();

    persistence::migrate(&app.state.db).await.unwrap();
    let links = format!("/api/v1/complaints/{}/duplicates", id(&c));
    assert_eq!(dispatcher.get_json(&links).await["followers_count"], 2);
    assert_eq!(persons_with_phone(&app, "+79221112233").await, 1);
    assert_eq!(persons_with_phone(&app, "+79224445566").await, 1);
    let sql = "SELECT COUNT(*) AS n FROM complaint_followers f \
               JOIN persons p ON p.id = f.person_id WHERE f.complaint_id = ?";
    let moved: i64 = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            numbered(backend, sql),
            [complaint.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(moved, 2);
}
