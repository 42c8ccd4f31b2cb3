//! A change of manager moves the building's open complaints when the administrator says so
//! (issue 16): `move` hands them to the new company in the same transaction, with a reroute event
//! on each and a notice to both companies; `keep` leaves them; final complaints never move.

use super::{any_category, company_of, invalid};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(
    moving_open_complaints_hands_them_to_the_new_company,
    keeping_open_complaints_leaves_them,
);

/// The ids of the building's complaints in `user`'s queue.
async fn queue(user: &User<'_>, building: &str) -> Vec<String> {
    user.get_json(&format!(
        "/api/v1/complaints?building_id={building}&limit=100"
    ))
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Two buildings of the first demo company.
async fn buildings_of(admin: &User<'_>, company: &str) -> (String, String) {
    let page = admin
        .get_json(&format!(
            "/api/v1/admin/buildings?company_id={company}&limit=2"
        ))
        .await;
    let id = |i: usize| page["items"][i]["id"].as_str().unwrap().to_owned();
    (id(0), id(1))
}

async fn moving_open_complaints_hands_them_to_the_new_company(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let resident = User::new(&app, "resident").await;
    let dispatcher = User::new(&app, "dispatcher").await;
    let (first_staff, second_staff) = (
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
    );
    let first = company_of(&first_staff).await;
    let second = company_of(&second_staff).await;
    let (building, _) = buildings_of(&admin, &first).await;
    let category = any_category(&app).await;

    // One registered, one in progress with the old company's executor, one closed, one rejected.
    let registered = resident
        .file(&building, &category, "Не горит свет на лестнице")
        .await["complaint"]
        .clone();
    let working = resident
        .file(&building, &category, "Протекает кран в подвале")
        .await["complaint"]
        .clone();
    let working = first_staff
        .ok(
            &working,
            json!({ "type": "assign_executor", "executor": "Бригада № 2" }),
        )
        .await;
    let closed = resident
        .file(&building, &category, "Сломана ручка входной двери")
        .await["complaint"]
        .clone();
    let closed = first_staff.ok(&closed, json!({ "type": "accept" })).await;
    let closed = first_staff
        .ok(
            &closed,
            json!({ "type": "report_done", "note": "Заменили" }),
        )
        .await;
    let closed = dispatcher
        .ok(
            &closed,
            json!({ "type": "record_call", "outcome": "satisfied" }),
        )
        .await;
    assert_eq!(closed["status"], "closed");
    let rejected = resident
        .file(&building, &category, "Повтор жалобы про свет")
        .await["complaint"]
        .clone();
    let rejected = dispatcher
        .ok(
            &rejected,
            json!({ "type": "reject", "reason": "not_housing_matter", "comment": "" }),
        )
        .await;

    // Every open complaint of the building is the old company's before the change.
    let all = dispatcher
        .get_json(&format!(
            "/api/v1/complaints?building_id={building}&limit=100"
        ))
        .await;
    let open_before = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            !["closed", "closed_unconfirmed", "rejected", "withdrawn"]
                .contains(&c["status"].as_str().unwrap())
        })
        .count();
    assert!(open_before >= 2, "{all}");

    let path = format!("/api/v1/admin/buildings/{building}/management");
    invalid(
        admin
            .post(
                &path,
                &json!({ "company_id": second, "open_complaints": "Move" }),
            )
            .await,
        "open_complaints",
    )
    .await;
    let response = admin
        .post(
            &path,
            &json!({ "company_id": second, "open_complaints": "move" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["moved_complaints"], open_before, "{answer}");
    assert_eq!(answer["periods"].as_array().unwrap().len(), 2);

    let get = |c: &Value| {
        let id = c["id"].as_str().unwrap().to_owned();
        let dispatcher = &dispatcher;
        async move {
            dispatcher
                .get_json(&format!("/api/v1/complaints/{id}"))
                .await
        }
    };
    let moved = get(&registered).await;
    assert_eq!(moved["company"]["id"], second.as_str());
    assert_eq!(moved["status"], "registered");
    let moved_working = get(&working).await;
    assert_eq!(moved_working["company"]["id"], second.as_str());
    assert_eq!(
        moved_working["status"], "registered",
        "the new company accepts"
    );
    assert_eq!(moved_working["executor"], Value::Null);
    // Final complaints stay as they were.
    for (before, status) in [(&closed, "closed"), (&rejected, "rejected")] {
        let now = get(before).await;
        assert_eq!(now["status"], status);
        assert_eq!(now["version"], before["version"], "{status} untouched");
        assert_eq!(now["company"]["id"], first.as_str());
    }

    // The queues: the new company has them, the old one no longer.
    let new_queue = queue(&second_staff, &building).await;
    let old_queue = queue(&first_staff, &building).await;
    for c in [&registered, &working] {
        let id = c["id"].as_str().unwrap().to_owned();
        assert!(new_queue.contains(&id), "{id} in the new company's queue");
        assert!(
            !old_queue.contains(&id),
            "{id} gone from the old company's queue"
        );
    }
    assert!(old_queue.contains(&closed["id"].as_str().unwrap().to_owned()));

    // The history: a reroute naming both companies and the reason.
    let events = dispatcher
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            working["id"].as_str().unwrap()
        ))
        .await;
    let reroute = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reroute")
        .unwrap_or_else(|| panic!("no reroute in {events}"));
    assert_eq!(reroute["details"]["from_company_id"], first.as_str());
    assert_eq!(reroute["details"]["to_company_id"], second.as_str());
    assert_eq!(reroute["details"]["management_change"], true);
    assert_eq!(reroute["actor_role"], "admin");
    assert_eq!(reroute["comment"], domain::MANAGEMENT_CHANGE_REASON);

    // Both companies hear of it in the app.
    api::worker::tick(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    for staff in [&first_staff, &second_staff] {
        let inbox = staff.get_json("/api/v1/notifications?limit=100").await;
        assert!(
            inbox["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["complaint_id"] == working["id"] && n["kind"] == "reroute"),
            "no notice of the move in {inbox}"
        );
    }
}

async fn keeping_open_complaints_leaves_them(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let resident = User::new(&app, "resident").await;
    let (first_staff, second_staff) = (
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
    );
    let first = company_of(&first_staff).await;
    let second = company_of(&second_staff).await;
    let (_, building) = buildings_of(&admin, &first).await;
    let category = any_category(&app).await;
    let open = resident
        .file(&building, &category, "Не закрывается окно в подъезде")
        .await["complaint"]
        .clone();
    let path = format!("/api/v1/admin/buildings/{building}/management");
    let response = admin
        .post(
            &path,
            &json!({ "company_id": second, "open_complaints": "keep" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["moved_complaints"], 0);
    let now = first_staff
        .get_json(&format!(
            "/api/v1/complaints/{}",
            open["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(now["company"]["id"], first.as_str());
    assert_eq!(now["version"], open["version"]);
    let id = open["id"].as_str().unwrap().to_owned();
    assert!(queue(&first_staff, &building).await.contains(&id));
    assert!(!queue(&second_staff, &building).await.contains(&id));
}
