//! The registry of complaint categories.

use super::{all_pages, company_of, expect_code, invalid, patch};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(categories_are_created_changed_and_offered_for_filing);

async fn categories_are_created_changed_and_offered_for_filing(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let resident = User::new(&app, "resident").await;
    let company = company_of(&User::new(&app, "company").await).await;
    let building = admin
        .get_json(&format!(
            "/api/v1/admin/buildings?company_id={company}&limit=1"
        ))
        .await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let seeded = all_pages(&admin, "/api/v1/admin/categories", 4).await;
    assert!(seeded.len() > 4);

    let response = admin
        .post(
            "/api/v1/admin/categories",
            &json!({
                "code": "snow_on_roof",
                "name_ru": "Снег и наледь на кровле",
                "name_en": "Snow and ice on the roof",
                "emergency": false,
                "deadline": {"unit": "calendar_days", "value": 2},
                "legal_basis": "ПП РФ № 290, п. 7"
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(
        created["deadline"],
        json!({"unit": "calendar_days", "value": 2})
    );
    assert_eq!(created["is_active"], true);
    let id = created["id"].as_str().unwrap().to_owned();

    // Everyone sees it at once and can file with it.
    let public: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    let listed = public
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("the new category is public");
    assert_eq!(listed["code"], "snow_on_roof");
    let filed = resident
        .file(&building, &id, "С крыши свисают сосульки над входом")
        .await["complaint"]
        .clone();
    assert_eq!(filed["category"]["id"], id.as_str());
    assert_eq!(filed["company"]["id"], company.as_str());

    expect_code(
        admin
            .post(
                "/api/v1/admin/categories",
                &json!({
                    "code": "snow_on_roof", "name_ru": "Дубль", "name_en": "Duplicate",
                    "emergency": false, "deadline": {"unit": "hours", "value": 1}
                }),
            )
            .await,
        409,
        "conflict",
    )
    .await;
    let base = |extra: Value| {
        let mut body = json!({
            "code": "lift_stuck", "name_ru": "Застрял лифт", "name_en": "Stuck lift",
            "emergency": true, "deadline": {"unit": "hours", "value": 1}
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (body, field) in [
        (base(json!({ "code": "Lift-Stuck" })), "code"),
        (base(json!({ "code": "l" })), "code"),
        (base(json!({ "code": "a".repeat(65) })), "code"),
        (base(json!({ "name_ru": "" })), "name_ru"),
        (base(json!({ "name_en": "  " })), "name_en"),
        (
            base(json!({ "deadline": {"unit": "hours", "value": 0} })),
            "deadline.value",
        ),
        (
            base(json!({ "deadline": {"unit": "hours", "value": 8761} })),
            "deadline.value",
        ),
        (base(json!({ "legal_basis": "" })), "legal_basis"),
    ] {
        invalid(admin.post("/api/v1/admin/categories", &body).await, field).await;
    }
    for body in [
        base(json!({ "deadline": {"unit": "weeks", "value": 1} })),
        base(json!({ "colour": "red" })),
    ] {
        expect_code(
            admin.post("/api/v1/admin/categories", &body).await,
            400,
            "malformed_json",
        )
        .await;
    }
    let max = admin
        .post(
            "/api/v1/admin/categories",
            &base(json!({ "deadline": {"unit": "hours", "value": 8760} })),
        )
        .await;
    assert_eq!(max.status(), 201);

    // PATCH: a new deadline and no legal basis; then switched off.
    let path = format!("/api/v1/admin/categories/{id}");
    let response = patch(
        &admin,
        &path,
        &json!({ "deadline": {"unit": "working_days", "value": 3}, "emergency": true, "legal_basis": null, "name_en": "Snow on the roof" }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(
        updated["deadline"],
        json!({"unit": "working_days", "value": 3})
    );
    assert_eq!(updated["emergency"], true);
    assert_eq!(updated["legal_basis"], Value::Null);
    assert_eq!(updated["name_en"], "Snow on the roof");
    assert_eq!(updated["name_ru"], "Снег и наледь на кровле");
    assert_eq!(updated["code"], "snow_on_roof");
    // The complaint filed before keeps its urgency.
    let before = resident
        .get_json(&format!(
            "/api/v1/complaints/{}",
            filed["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(before["urgent"], false);
    assert_eq!(before["due_at"], filed["due_at"]);

    invalid(
        patch(
            &admin,
            &path,
            &json!({ "deadline": {"unit": "hours", "value": 0} }),
        )
        .await,
        "deadline.value",
    )
    .await;
    expect_code(
        patch(&admin, &path, &json!({ "code": "other" })).await,
        400,
        "malformed_json",
    )
    .await;
    let off: Value = patch(&admin, &path, &json!({ "is_active": false }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(off["is_active"], false);
    let public: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        public
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != id.as_str()),
        "an inactive category is not offered"
    );
    let refused = resident
        .post(
            "/api/v1/complaints",
            &json!({ "building_id": building, "category_id": id, "description": "Снова сосульки над входом" }),
        )
        .await;
    invalid(refused, "category_id").await;
    let listed = all_pages(&admin, "/api/v1/admin/categories", 50).await;
    assert!(
        listed
            .iter()
            .any(|c| c["id"] == id.as_str() && c["is_active"] == false),
        "the admin list keeps inactive categories"
    );
    assert_eq!(listed.len(), seeded.len() + 2);
    expect_code(
        patch(
            &admin,
            &format!("/api/v1/admin/categories/{}", uuid::Uuid::now_v7()),
            &json!({ "is_active": true }),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
