//! The registry of organisations.

use super::{all_pages, expect_code, invalid, patch};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(organisations_are_listed_created_and_changed);

async fn organisations_are_listed_created_and_changed(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let all = all_pages(&admin, "/api/v1/admin/organisations", 3).await;
    assert_eq!(all.len(), 8, "the demo city has eight organisations");
    let mut ids: Vec<&str> = all.iter().map(|o| o["id"].as_str().unwrap()).collect();
    let in_order = ids.clone();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids, in_order, "pages follow the id order without repeats");
    let companies = admin
        .get_json("/api/v1/admin/organisations?kind=management_company")
        .await;
    let companies = companies["items"].as_array().unwrap();
    assert_eq!(companies.len(), 4);
    assert!(companies.iter().all(|c| c["kind"] == "management_company"));
    assert_eq!(companies[0]["inn"], "8602000001");

    let response = admin
        .post(
            "/api/v1/admin/organisations",
            &json!({
                "kind": "management_company",
                "name": "  ООО «УК Новый квартал» ",
                "inn": "860200000512",
                "phone": "8 (3462) 52-45-00",
                "email": "Info@UK-Kvartal.ru"
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["name"], "ООО «УК Новый квартал»");
    assert_eq!(created["kind"], "management_company");
    assert_eq!(created["phone"], "+73462524500");
    assert_eq!(created["email"], "info@uk-kvartal.ru");
    let id = created["id"].as_str().unwrap();
    let companies = admin
        .get_json("/api/v1/admin/organisations?kind=management_company")
        .await;
    assert_eq!(companies["items"].as_array().unwrap().len(), 5);

    // The same ИНН twice is a conflict.
    let duplicate = admin
        .post(
            "/api/v1/admin/organisations",
            &json!({ "kind": "tos_office", "name": "ТОС «Двойник»", "inn": "8602000001" }),
        )
        .await;
    expect_code(duplicate, 409, "conflict").await;

    // Field errors.
    for (body, field) in [
        (
            json!({ "kind": "inspection", "name": "X", "inn": "123" }),
            "inn",
        ),
        (
            json!({ "kind": "inspection", "name": "X", "inn": "12345678901a" }),
            "inn",
        ),
        (json!({ "kind": "inspection", "name": "" }), "name"),
        (json!({ "kind": "inspection", "name": "   " }), "name"),
        (
            json!({ "kind": "inspection", "name": "X", "email": "nope" }),
            "email",
        ),
        (
            json!({ "kind": "inspection", "name": "X", "phone": "12" }),
            "phone",
        ),
    ] {
        invalid(
            admin.post("/api/v1/admin/organisations", &body).await,
            field,
        )
        .await;
    }
    for body in [
        json!({ "kind": "bank", "name": "Банк" }),
        json!({ "kind": "inspection", "name": "X", "boss": "Y" }),
        json!({ "name": "X" }),
    ] {
        let response = admin.post("/api/v1/admin/organisations", &body).await;
        expect_code(response, 400, "malformed_json").await;
    }

    // PATCH: name and phone change, e-mail is cleared, the rest stays.
    let path = format!("/api/v1/admin/organisations/{id}");
    let response = patch(
        &admin,
        &path,
        &json!({ "name": "ООО «УК Квартал»", "phone": "+7 3462 52-45-01", "email": null }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["name"], "ООО «УК Квартал»");
    assert_eq!(updated["phone"], "+73462524501");
    assert_eq!(updated["email"], Value::Null);
    assert_eq!(updated["inn"], "860200000512");
    let unchanged: Value = patch(&admin, &path, &json!({})).await.json().await.unwrap();
    assert_eq!(unchanged, updated);

    invalid(
        patch(&admin, &path, &json!({ "email": "nope" })).await,
        "email",
    )
    .await;
    invalid(patch(&admin, &path, &json!({ "name": "" })).await, "name").await;
    expect_code(
        patch(&admin, &path, &json!({ "kind": "inspection" })).await,
        400,
        "malformed_json",
    )
    .await;
    expect_code(
        patch(
            &admin,
            &format!("/api/v1/admin/organisations/{}", uuid::Uuid::now_v7()),
            &json!({ "name": "Нет такой" }),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Bad queries.
    expect_code(
        admin.get("/api/v1/admin/organisations?kind=bank").await,
        400,
        "invalid_query",
    )
    .await;
    expect_code(
        admin.get("/api/v1/admin/organisations?cursor=abc").await,
        400,
        "invalid_query",
    )
    .await;
    expect_code(
        admin.get("/api/v1/admin/organisations?limit=0").await,
        400,
        "invalid_query",
    )
    .await;
}

on_both_databases!(an_api_key_is_created_for_an_organisation_with_the_longest_name);

/// The fuzz found it on PostgreSQL (seed 20261128): an organisation may be named with 300
/// characters, its service account took that name plus " (API)", which PostgreSQL refused for a
/// user's name (200 characters), and creating the key answered 500. SQLite let it pass.
async fn an_api_key_is_created_for_an_organisation_with_the_longest_name(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let name = "Ж".repeat(300);
    let response = admin
        .post(
            "/api/v1/admin/organisations",
            &json!({ "kind": "management_company", "name": name }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let organisation: Value = response.json().await.unwrap();
    let response = admin
        .post(
            "/api/v1/admin/api-keys",
            &json!({ "name": "1С", "organisation_id": organisation["id"], "scopes": ["complaints:read"] }),
        )
        .await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["organisation"]["name"], name.as_str());

    // The key works, as its service account (whose name is made when shown, shortened to a
    // person's name: `persistence::api_keys` tests it).
    let listed = app
        .client
        .get(app.url("/api/v1/complaints"))
        .header("x-api-key", created["key"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
}
