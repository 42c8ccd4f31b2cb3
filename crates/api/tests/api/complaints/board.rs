//! The board's filters and keyset pages, and the append-only history.

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    board_filters_and_keyset_pages,
    history_is_append_only_in_the_database,
);

async fn board_filters_and_keyset_pages(app: TestApp) {
    let (building, category, emergency) = fixtures(&app).await;
    let (resident, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
    );
    let mut ids = Vec::new();
    for n in 0..5 {
        let cat = if n == 0 { &emergency } else { &category };
        ids.push(
            resident
                .file(&building, cat, &format!("Жалоба номер {n} про лифт"))
                .await["complaint"]["id"]
                .clone(),
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/complaints?limit=2&cursor={c}"),
            None => "/api/v1/complaints?limit=2".to_owned(),
        };
        let page = dispatcher.get_json(&path).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, every complaint exactly once");

    let found = dispatcher
        .get_json("/api/v1/complaints?q=%D0%9D%D0%9E%D0%9C%D0%95%D0%A0%203")
        .await; // "НОМЕР 3"
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let by_category = dispatcher
        .get_json(&format!("/api/v1/complaints?category_id={emergency}"))
        .await;
    assert_eq!(by_category["items"].as_array().unwrap().len(), 1);
    let due_soon = dispatcher
        .get_json("/api/v1/complaints?sort=due_soon&limit=1")
        .await;
    assert_eq!(
        due_soon["items"][0]["id"], ids[4],
        "the emergency is due first"
    );
    let none = dispatcher.get_json("/api/v1/complaints?overdue=true").await;
    assert!(none["items"].as_array().unwrap().is_empty());

    // A district filters on the complaint's building: one complaint elsewhere, five here.
    let buildings = dispatcher.get_json("/api/v1/buildings?limit=50").await;
    let buildings = buildings.as_array().unwrap();
    let district_of = |id: &str| {
        buildings.iter().find(|b| b["id"] == id).unwrap()["district"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let here = district_of(&building);
    let elsewhere = buildings
        .iter()
        .find(|b| b["district"] != here.as_str())
        .expect("the demo city has buildings in two districts");
    let (other_building, other_district) = (
        elsewhere["id"].as_str().unwrap(),
        elsewhere["district"].as_str().unwrap(),
    );
    resident
        .file(other_building, &category, "Жалоба в другом районе")
        .await;
    for (district, expected) in [(here.as_str(), 5), (other_district, 1), ("Нет такого", 0)]
    {
        let page = dispatcher
            .get_json(&format!(
                "/api/v1/complaints?district={}",
                percent_encoding::utf8_percent_encode(district, percent_encoding::NON_ALPHANUMERIC)
            ))
            .await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), expected, "{district}");
        assert!(
            items.iter().all(|i| i["building"]["district"] == district),
            "{district}: {items:?}"
        );
    }
    for bad in [
        "limit=0",
        "limit=101",
        "status=nope",
        "cursor=zzz",
        "sort=sideways",
        "unknown=1",
    ] {
        assert_eq!(
            dispatcher
                .get(&format!("/api/v1/complaints?{bad}"))
                .await
                .status(),
            400,
            "{bad}"
        );
    }
}

async fn history_is_append_only_in_the_database(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let c = resident
        .file(&building, &category, "Проверка неизменности истории")
        .await["complaint"]
        .clone();
    let db = app.direct_connection().await;
    assert!(
        db.execute_unprepared("UPDATE complaint_events SET comment = 'rewritten'")
            .await
            .is_err()
    );
    assert!(
        db.execute_unprepared("DELETE FROM complaint_events")
            .await
            .is_err()
    );
    let events = resident
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(events.as_array().unwrap().len(), 1);
    assert!(events[0]["comment"].is_null());
}
