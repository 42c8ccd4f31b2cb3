//! Findings 12 and 15: text the database must never see, and search words taken literally.

use serde_json::{Value, json};

use crate::helpers::{DEMO_PASSWORD, TestApp, User, fixtures};

on_both_databases!(
    finding_12_control_characters_and_bidi_overrides_are_refused_with_422_everywhere,
    finding_15_percent_and_underscore_match_themselves_in_building_searches,
);

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn finding_12_control_characters_and_bidi_overrides_are_refused_with_422_everywhere(
    app: TestApp,
) {
    // Anonymous, before anything is looked up (a NUL used to answer 500 on PostgreSQL).
    let (status, body) = problem(app.login("admin\u{0}@demo.test", DEMO_PASSWORD).await).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "validation_failed");
    assert!(body["errors"]["login"].is_array(), "{body}");
    let (status, body) = problem(app.login("admin@demo.test", "demo\u{0}2026").await).await;
    assert_eq!((status, &body["code"]), (422, &json!("validation_failed")));

    let resident = User::new(&app, "resident").await;
    let (building, category, _) = fixtures(&app).await;
    let file = |flat: &str, description: &str| json!({ "building_id": building, "category_id": category, "flat": flat, "description": description });
    // Long texts keep their line breaks and tabs...
    let filed = resident
        .post(
            "/api/v1/complaints",
            &file("12", "Течёт крыша.\nВторой день.\tСрочно."),
        )
        .await;
    assert_eq!(filed.status(), 201);
    // ...one-line fields do not, and no field takes other controls or bidi overrides.
    for (flat, description, field) in [
        ("1\n2", "Течёт крыша второй день", "flat"),
        ("12", "Течёт крыша\u{0} второй день", "description"),
        ("12", "Течёт крыша \u{1b}[2J второй день", "description"),
        ("12\u{202E}21", "Течёт крыша второй день", "flat"),
        (
            "12",
            "Течёт \u{2066}крыша\u{2069} второй день",
            "description",
        ),
    ] {
        let (status, body) = problem(
            resident
                .post("/api/v1/complaints", &file(flat, description))
                .await,
        )
        .await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    // Nested fields too, by their path.
    let (status, body) = problem(
        app.client
            .post(app.url("/api/v1/auth/register"))
            .json(&json!({
                "name": "Соколова", "phone": "+79125550101", "password": "correct horse battery",
                "consent": {"accepted": true, "version": "2026\u{0}"},
            }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["consent.version"].is_array(), "{body}");

    // Queries and paths, before any handler reads them.
    let (status, body) = problem(app.get("/api/v1/buildings?q=%00", None).await).await;
    assert_eq!(
        (status, &body["code"]),
        (400, &json!("invalid_query")),
        "{body}"
    );
    let (status, _) = problem(app.get("/api/v1/buildings?q=%E2%80%AE", None).await).await;
    assert_eq!(status, 400);
    let (status, _) = problem(app.get("/api/v1/public/complaints/%00%01", None).await).await;
    assert_eq!(status, 404);
    // Open311 forms too (a GeoReport error, its own format).
    let response = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("api_key=dk_x&service_code=1&address_string=%00&description=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

async fn finding_15_percent_and_underscore_match_themselves_in_building_searches(app: TestApp) {
    // Every demo address has some letter, so a wildcard would match them all.
    for wildcard in ["%25", "_", "%25%25", "__"] {
        let found: Value = app
            .get(&format!("/api/v1/buildings?q={wildcard}"), None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(found, json!([]), "public search for {wildcard}");
    }
    let admin = User::new(&app, "admin").await;
    for wildcard in ["%25", "_"] {
        let page = admin
            .get_json(&format!("/api/v1/admin/buildings?q={wildcard}"))
            .await;
        assert_eq!(page["items"], json!([]), "admin list for {wildcard}");
    }
    // Ordinary words still find.
    let found: Value = app
        .get(
            "/api/v1/buildings?q=%D0%BB%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!found.as_array().unwrap().is_empty());
}
