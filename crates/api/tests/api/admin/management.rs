//! Changes of a building's managing company: the history, and where new complaints go.

use super::{any_category, company_of, expect_code, invalid, organisation_id};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(management_changes_keep_history_and_route_new_complaints);

async fn management_changes_keep_history_and_route_new_complaints(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let resident = User::new(&app, "resident").await;
    let first = company_of(&User::new(&app, "company").await).await;
    let second = company_of(&User::new(&app, "company2").await).await;
    let building = admin
        .get_json(&format!(
            "/api/v1/admin/buildings?company_id={first}&limit=1"
        ))
        .await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let category = any_category(&app).await;
    let before = resident
        .file(&building, &category, "Не работает лифт во втором подъезде")
        .await["complaint"]
        .clone();
    assert_eq!(before["company"]["id"], first.as_str());

    let path = format!("/api/v1/admin/buildings/{building}/management");
    let history = admin.get_json(&path).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    let started = history[0]["since"].as_str().unwrap().to_owned();

    // Refusals first: none of them changes anything.
    let future = chrono::Utc::now() + chrono::Duration::days(1);
    invalid(
        admin
            .post(
                &path,
                &json!({ "company_id": second, "since": future, "open_complaints": "keep" }),
            )
            .await,
        "since",
    )
    .await;
    invalid(
        admin
            .post(
                &path,
                &json!({ "company_id": second, "since": "2020-01-01T00:00:00Z", "open_complaints": "keep" }),
            )
            .await,
        "since",
    )
    .await;
    let department = organisation_id(&admin, "city_department", 0).await;
    invalid(
        admin
            .post(
                &path,
                &json!({ "company_id": department, "open_complaints": "keep" }),
            )
            .await,
        "company_id",
    )
    .await;
    expect_code(
        admin
            .post(
                &path,
                &json!({ "company_id": first, "open_complaints": "keep" }),
            )
            .await,
        409,
        "conflict",
    )
    .await;
    expect_code(
        admin
            .post(
                &format!(
                    "/api/v1/admin/buildings/{}/management",
                    uuid::Uuid::now_v7()
                ),
                &json!({ "company_id": second, "open_complaints": "keep" }),
            )
            .await,
        404,
        "not_found",
    )
    .await;
    expect_code(
        admin
            .get(&format!(
                "/api/v1/admin/buildings/{}/management",
                uuid::Uuid::now_v7()
            ))
            .await,
        404,
        "not_found",
    )
    .await;
    expect_code(
        admin.post(&path, &json!({ "company": second })).await,
        400,
        "malformed_json",
    )
    .await;
    assert_eq!(admin.get_json(&path).await.as_array().unwrap().len(), 1);

    // The choice about open complaints is required, and only `move` or `keep`.
    invalid(
        admin.post(&path, &json!({ "company_id": second })).await,
        "open_complaints",
    )
    .await;
    invalid(
        admin
            .post(
                &path,
                &json!({ "company_id": second, "open_complaints": "later" }),
            )
            .await,
        "open_complaints",
    )
    .await;
    assert_eq!(admin.get_json(&path).await.as_array().unwrap().len(), 1);

    // The change: two periods, the first closed where the second starts.
    let response = admin
        .post(
            &path,
            &json!({ "company_id": second, "open_complaints": "keep" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let returned: Value = response.json().await.unwrap();
    let history = admin.get_json(&path).await;
    assert_eq!(returned["periods"], history);
    assert_eq!(returned["moved_complaints"], 0);
    let periods = history.as_array().unwrap();
    assert_eq!(periods.len(), 2, "{history}");
    assert_eq!(periods[0]["company"]["id"], first.as_str());
    assert_eq!(periods[0]["company"]["name"], "ООО «УК Северный город»");
    assert_eq!(periods[0]["since"].as_str().unwrap(), started);
    assert!(
        periods[0]["until"].is_string(),
        "the first period is closed"
    );
    assert_eq!(periods[0]["until"], periods[1]["since"]);
    assert_eq!(periods[1]["company"]["id"], second.as_str());
    assert_eq!(
        periods[1]["company"]["name"],
        "ООО «УК ДЕЗ Центрального района»"
    );
    assert_eq!(periods[1]["until"], Value::Null);

    let moved = admin
        .get_json(&format!(
            "/api/v1/admin/buildings?company_id={second}&limit=200"
        ))
        .await;
    assert!(
        moved["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["id"] == building.as_str())
    );

    // A complaint filed now goes to the new company; the open one stays where it was.
    let after = resident
        .file(
            &building,
            &category,
            "Снова не работает лифт во втором подъезде",
        )
        .await["complaint"]
        .clone();
    assert_eq!(after["company"]["id"], second.as_str());
    let before_now = resident
        .get_json(&format!(
            "/api/v1/complaints/{}",
            before["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(before_now["company"]["id"], first.as_str());

    // A third period with an explicit start, then the history has three.
    let since = chrono::Utc::now() - chrono::Duration::milliseconds(1);
    let response = admin
        .post(
            &path,
            &json!({ "company_id": first, "since": since, "open_complaints": "keep" }),
        )
        .await;
    // `since` may fall before the second period began (same millisecond); both answers are fine,
    // but a refusal must name the field.
    if response.status() == 200 {
        let answer: Value = response.json().await.unwrap();
        let history = &answer["periods"];
        assert_eq!(history.as_array().unwrap().len(), 3);
        assert_eq!(history[1]["until"], history[2]["since"]);
    } else {
        invalid(response, "since").await;
    }
}
