//! The registry of buildings.

use super::{all_pages, company_of, expect_code, invalid, organisation_id, patch};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(buildings_are_listed_created_and_changed);

async fn buildings_are_listed_created_and_changed(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let company = company_of(&User::new(&app, "company").await).await;
    let all = all_pages(&admin, "/api/v1/admin/buildings", 20).await;
    assert_eq!(all.len(), 50);
    let mine = all_pages(
        &admin,
        &format!("/api/v1/admin/buildings?company_id={company}"),
        5,
    )
    .await;
    assert!(!mine.is_empty() && mine.len() < 50);
    assert!(mine.iter().all(|b| b["company"]["id"] == company.as_str()));
    assert_eq!(mine[0]["company"]["name"], "ООО «УК Северный город»");
    let lenina = admin
        .get_json("/api/v1/admin/buildings?q=ЛЕНИНА&limit=200")
        .await;
    let lenina = lenina["items"].as_array().unwrap();
    assert_eq!(lenina.len(), 5);
    assert!(
        lenina
            .iter()
            .all(|b| b["address"].as_str().unwrap().contains("проспект Ленина"))
    );

    let body = json!({
        "address": "г. Сургут, улица Республики, д. 75",
        "district": "Центральный",
        "fias_id": "0C5B2444-70A0-4932-980C-B4DC0D3F02B5",
        "latitude": 61.2551,
        "longitude": 73.3844,
        "company_id": company
    });
    let response = admin.post("/api/v1/admin/buildings", &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["address"], "г. Сургут, улица Республики, д. 75");
    assert_eq!(created["fias_id"], "0c5b2444-70a0-4932-980c-b4dc0d3f02b5");
    assert_eq!(created["company"]["id"], company.as_str());
    let id = created["id"].as_str().unwrap().to_owned();
    // It is in the public address picker and has its first management period.
    let picker: Value = app
        .get("/api/v1/buildings?q=Республики", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(picker[0]["id"], id.as_str());
    let history = admin
        .get_json(&format!("/api/v1/admin/buildings/{id}/management"))
        .await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["until"], Value::Null);

    // The same address in other letters is a conflict.
    let again = admin
        .post(
            "/api/v1/admin/buildings",
            &json!({ "address": "Г. СУРГУТ,  УЛИЦА РЕСПУБЛИКИ, Д. 75", "district": "Центральный" }),
        )
        .await;
    expect_code(again, 409, "conflict").await;

    // A building without a company, then field errors.
    let bare = admin
        .post(
            "/api/v1/admin/buildings",
            &json!({ "address": "г. Сургут, улица Новая, д. 1", "district": "Восточный" }),
        )
        .await;
    assert_eq!(bare.status(), 201);
    let bare: Value = bare.json().await.unwrap();
    assert_eq!(bare["company"], Value::Null);
    let department = organisation_id(&admin, "city_department", 0).await;
    let base = |extra: Value| {
        let mut body =
            json!({ "address": "г. Сургут, улица Новая, д. 2", "district": "Восточный" });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (body, field) in [
        (base(json!({ "company_id": department })), "company_id"),
        (
            base(json!({ "company_id": uuid::Uuid::now_v7() })),
            "company_id",
        ),
        (
            base(json!({ "latitude": 91.0, "longitude": 73.0 })),
            "latitude",
        ),
        (
            base(json!({ "latitude": 61.0, "longitude": -181.0 })),
            "longitude",
        ),
        (base(json!({ "latitude": 61.0 })), "longitude"),
        (base(json!({ "fias_id": "not-a-fias-id" })), "fias_id"),
        (base(json!({ "address": "" })), "address"),
        (base(json!({ "district": " " })), "district"),
    ] {
        invalid(admin.post("/api/v1/admin/buildings", &body).await, field).await;
    }
    expect_code(
        admin
            .post("/api/v1/admin/buildings", &base(json!({ "floors": 9 })))
            .await,
        400,
        "malformed_json",
    )
    .await;

    // PATCH: new address and coordinates; clearing one coordinate alone is refused.
    let path = format!("/api/v1/admin/buildings/{id}");
    let response = patch(
        &admin,
        &path,
        &json!({ "address": "г. Сургут, улица Республики, д. 75/1", "latitude": 61.26, "longitude": 73.39, "fias_id": null }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["address"], "г. Сургут, улица Республики, д. 75/1");
    assert_eq!(updated["latitude"], 61.26);
    assert_eq!(updated["fias_id"], Value::Null);
    assert_eq!(updated["company"]["id"], company.as_str());
    invalid(
        patch(&admin, &path, &json!({ "latitude": null })).await,
        "latitude",
    )
    .await;
    invalid(
        patch(&admin, &path, &json!({ "latitude": 100.0 })).await,
        "latitude",
    )
    .await;
    invalid(
        patch(&admin, &path, &json!({ "fias_id": "x" })).await,
        "fias_id",
    )
    .await;
    let cleared: Value = patch(
        &admin,
        &path,
        &json!({ "latitude": null, "longitude": null }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (&cleared["latitude"], &cleared["longitude"]),
        (&Value::Null, &Value::Null)
    );
    // Its own address in other letters is fine; another building's is a conflict.
    let same = patch(
        &admin,
        &path,
        &json!({ "address": "Г. Сургут, улица Республики, Д. 75/1" }),
    )
    .await;
    assert_eq!(same.status(), 200);
    expect_code(
        patch(
            &admin,
            &path,
            &json!({ "address": "г. Сургут, улица Новая, д. 1" }),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    expect_code(
        patch(&admin, &path, &json!({ "company_id": company })).await,
        400,
        "malformed_json",
    )
    .await;
    expect_code(
        patch(
            &admin,
            &format!("/api/v1/admin/buildings/{}", uuid::Uuid::now_v7()),
            &json!({ "district": "Нигде" }),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    expect_code(
        admin.get("/api/v1/admin/buildings?limit=201").await,
        400,
        "invalid_query",
    )
    .await;
}
