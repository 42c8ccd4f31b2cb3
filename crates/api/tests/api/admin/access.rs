//! Only administrators reach the registries.

use super::{expect_code, import, organisation_id, send};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(only_admins_reach_the_registries);

async fn only_admins_reach_the_registries(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let building = admin.get_json("/api/v1/admin/buildings?limit=1").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let organisation = organisation_id(&admin, "management_company", 0).await;
    let category = admin.get_json("/api/v1/admin/categories?limit=1").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let routes: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", "/api/v1/admin/organisations".to_owned(), None),
        (
            "POST",
            "/api/v1/admin/organisations".to_owned(),
            Some(json!({ "kind": "tos_office", "name": "ТОС «Взлом»" })),
        ),
        (
            "PATCH",
            format!("/api/v1/admin/organisations/{organisation}"),
            Some(json!({ "name": "Взлом" })),
        ),
        ("GET", "/api/v1/admin/buildings".to_owned(), None),
        (
            "POST",
            "/api/v1/admin/buildings".to_owned(),
            Some(json!({ "address": "г. Сургут, ул. Взлома, 1", "district": "Центральный" })),
        ),
        (
            "PATCH",
            format!("/api/v1/admin/buildings/{building}"),
            Some(json!({ "district": "Взлом" })),
        ),
        (
            "POST",
            format!("/api/v1/admin/buildings/{building}/management"),
            Some(json!({ "company_id": organisation, "open_complaints": "keep" })),
        ),
        (
            "GET",
            format!("/api/v1/admin/buildings/{building}/management"),
            None,
        ),
        ("GET", "/api/v1/admin/categories".to_owned(), None),
        (
            "POST",
            "/api/v1/admin/categories".to_owned(),
            Some(json!({
                "code": "hacked", "name_ru": "Взлом", "name_en": "Hack", "emergency": false,
                "deadline": {"unit": "hours", "value": 1}
            })),
        ),
        (
            "PATCH",
            format!("/api/v1/admin/categories/{category}"),
            Some(json!({ "is_active": false })),
        ),
    ];
    for role in ["resident", "clerk", "company", "dispatcher", "inspector"] {
        let token = app.login_as(role).await;
        for (method, path, body) in &routes {
            let response = send(&app, method, path, Some(&token), body.as_ref()).await;
            expect_code(response, 403, "forbidden").await;
        }
        let csv = import(
            &User {
                app: &app,
                token: token.clone(),
            },
            "address,district\nг. Сургут, ул. Взлома, 2,Центральный\n",
            "text/csv",
        )
        .await;
        expect_code(csv, 403, "forbidden").await;
    }
    for (method, path, body) in &routes {
        let response = send(&app, method, path, None, body.as_ref()).await;
        expect_code(response, 401, "missing_token").await;
    }
    // Nothing was changed by the refused calls.
    let page = admin
        .get_json("/api/v1/admin/organisations?kind=tos_office")
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert!(
        admin.get_json("/api/v1/admin/categories?limit=200").await["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["is_active"] == true && c["code"] != "hacked")
    );
}
