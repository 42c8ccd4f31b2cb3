//! The administrators' registries over HTTP: organisations, buildings with the history of their
//! management, categories, and the CSV import of buildings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(
    only_admins_reach_the_registries,
    organisations_are_listed_created_and_changed,
    buildings_are_listed_created_and_changed,
    management_changes_keep_history_and_route_new_complaints,
    categories_are_created_changed_and_offered_for_filing,
    csv_import_takes_good_rows_and_reports_bad_ones,
    csv_import_refuses_what_it_cannot_read,
);

const BOM: &str = "\u{feff}";

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/problem+json"),
        "status {status}"
    );
    (status, response.json().await.unwrap())
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method.parse().unwrap(), app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap()
}

async fn patch(user: &User<'_>, path: &str, body: &Value) -> reqwest::Response {
    send(user.app, "PATCH", path, Some(&user.token), Some(body)).await
}

async fn import(user: &User<'_>, csv: impl Into<Vec<u8>>, content_type: &str) -> reqwest::Response {
    user.app
        .client
        .post(user.app.url("/api/v1/admin/buildings/import"))
        .bearer_auth(&user.token)
        .header("content-type", content_type)
        .body(csv.into())
        .send()
        .await
        .unwrap()
}

/// Asserts a 422 with a message for `field`.
async fn invalid(response: reqwest::Response, field: &str) {
    let (status, body) = problem(response).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed")),
        "{body}"
    );
    assert!(
        body["errors"][field]
            .as_array()
            .is_some_and(|m| !m.is_empty()),
        "no message for {field}: {body}"
    );
}

async fn expect_code(response: reqwest::Response, status: u16, code: &str) -> Value {
    let (got, body) = problem(response).await;
    assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
    body
}

/// Every item of every page of a keyset-paginated admin list.
async fn all_pages(user: &User<'_>, path: &str, limit: u32) -> Vec<Value> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let url = match &cursor {
            Some(c) => format!("{path}{separator}limit={limit}&cursor={c}"),
            None => format!("{path}{separator}limit={limit}"),
        };
        let page = user.get_json(&url).await;
        let batch = page["items"].as_array().unwrap();
        assert!(batch.len() <= limit as usize);
        items.extend(batch.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
    panic!("pagination of {path} does not end");
}

async fn organisation_id(admin: &User<'_>, kind: &str, index: usize) -> String {
    let page = admin
        .get_json(&format!("/api/v1/admin/organisations?kind={kind}"))
        .await;
    page["items"][index]["id"].as_str().unwrap().to_owned()
}

async fn company_of(user: &User<'_>) -> String {
    user.get_json("/api/v1/me").await["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn any_category(app: &TestApp) -> String {
    let categories: Value = app
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    categories[0]["id"].as_str().unwrap().to_owned()
}

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
            Some(json!({ "company_id": organisation })),
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
        422,
        "validation_failed",
    )
    .await;
}

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
        422,
        "validation_failed",
    )
    .await;
}

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
            .post(&path, &json!({ "company_id": second, "since": future }))
            .await,
        "since",
    )
    .await;
    invalid(
        admin
            .post(
                &path,
                &json!({ "company_id": second, "since": "2020-01-01T00:00:00Z" }),
            )
            .await,
        "since",
    )
    .await;
    let department = organisation_id(&admin, "city_department", 0).await;
    invalid(
        admin
            .post(&path, &json!({ "company_id": department }))
            .await,
        "company_id",
    )
    .await;
    expect_code(
        admin.post(&path, &json!({ "company_id": first })).await,
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
                &json!({ "company_id": second }),
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

    // The change: two periods, the first closed where the second starts.
    let response = admin.post(&path, &json!({ "company_id": second })).await;
    assert_eq!(response.status(), 200);
    let returned: Value = response.json().await.unwrap();
    let history = admin.get_json(&path).await;
    assert_eq!(returned, history);
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
        .post(&path, &json!({ "company_id": first, "since": since }))
        .await;
    // `since` may fall before the second period began (same millisecond); both answers are fine,
    // but a refusal must name the field.
    if response.status() == 200 {
        let history: Value = response.json().await.unwrap();
        assert_eq!(history.as_array().unwrap().len(), 3);
        assert_eq!(history[1]["until"], history[2]["since"]);
    } else {
        invalid(response, "since").await;
    }
}

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

/// Good rows, and one bad row of each kind, with the lines they are on (the header is line 1).
fn sample_csv(separator: char, tag: &str, inn: &str, existing: &str) -> (String, Vec<usize>) {
    let s = separator;
    // Excel in Russia writes decimal commas and quotes only what needs it.
    let (lat, lon, q) = if s == ';' {
        ("61,2551", "73,3844", "")
    } else {
        ("61.2551", "73.3844", "\"")
    };
    let rows = [
        // 2: a good row, quoted because the address has commas, with a company.
        format!(
            "{q}г. Сургут, улица {tag}, д. 1{q}{s}Центральный{s}0c5b2444-70a0-4932-980c-b4dc0d3f02b5{s}{lat}{s}{lon}{s}{inn}"
        ),
        // 3: bad coordinates.
        format!("{q}г. Сургут, улица {tag}, д. 2{q}{s}Центральный{s}{s}95{s}{lon}{s}"),
        // 4: an unknown company.
        format!("{q}г. Сургут, улица {tag}, д. 3{q}{s}Центральный{s}{s}{s}{s}7700000000"),
        // 5: no address.
        format!("{s}Центральный{s}{s}{s}{s}"),
        // 6: an address already in the registry, in other letters.
        format!(
            "{q}{}{q}{s}Центральный{s}{s}{s}{s}",
            existing.to_uppercase()
        ),
        // 7: a good row without a company or coordinates.
        format!("{q}г. Сургут, улица {tag}, д. 4{q}{s}Северный жилой{s}{s}{s}{s}"),
        // 8: the same address as line 2.
        format!("{q}Г. Сургут, улица {tag}, д. 1{q}{s}Центральный{s}{s}{s}{s}"),
    ];
    let header = [
        "address",
        "district",
        "fias_id",
        "latitude",
        "longitude",
        "company_inn",
    ]
    .join(&s.to_string());
    let csv = format!("{BOM}{header}\r\n{}\r\n\r\n", rows.join("\r\n"));
    (csv, vec![3, 4, 5, 6, 8])
}

async fn csv_import_takes_good_rows_and_reports_bad_ones(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let company = company_of(&User::new(&app, "company").await).await;
    let existing = admin.get_json("/api/v1/admin/buildings?limit=1").await["items"][0]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();

    for (separator, tag, content_type) in [
        (',', "Запятая", "text/csv"),
        (';', "Точка с запятой", "text/csv; charset=utf-8"),
    ] {
        let (csv, bad_lines) = sample_csv(separator, tag, "8602000001", &existing);
        let response = import(&admin, csv, content_type).await;
        assert_eq!(response.status(), 200, "{separator}");
        let report: Value = response.json().await.unwrap();
        assert_eq!(report["imported"], 2, "{separator}: {report}");
        let rejected = report["rejected"].as_array().unwrap();
        let lines: Vec<u64> = rejected
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert_eq!(
            lines,
            bad_lines.iter().map(|&l| l as u64).collect::<Vec<_>>(),
            "{report}"
        );
        let first_error = |line: u64| {
            rejected.iter().find(|r| r["line"] == line).unwrap()["errors"][0]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(first_error(3).starts_with("latitude:"), "{report}");
        assert!(first_error(4).starts_with("company_inn:"), "{report}");
        assert!(first_error(5).starts_with("address:"), "{report}");
        assert!(
            first_error(6).contains("already in the registry"),
            "{report}"
        );
        assert!(first_error(8).contains("line 2"), "{report}");

        // The good rows are in the registry, with their company and management period.
        let found = admin
            .get_json(&format!(
                "/api/v1/admin/buildings?q={}&limit=200",
                tag.split(' ').next().unwrap()
            ))
            .await;
        let found = found["items"].as_array().unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        let with_company = found
            .iter()
            .find(|b| b["address"] == format!("г. Сургут, улица {tag}, д. 1"))
            .unwrap();
        assert_eq!(with_company["company"]["id"], company.as_str());
        assert_eq!(with_company["latitude"], 61.2551);
        assert_eq!(with_company["longitude"], 73.3844);
        assert_eq!(
            with_company["fias_id"],
            "0c5b2444-70a0-4932-980c-b4dc0d3f02b5"
        );
        let history = admin
            .get_json(&format!(
                "/api/v1/admin/buildings/{}/management",
                with_company["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(history.as_array().unwrap().len(), 1);
        assert_eq!(history[0]["company"]["id"], company.as_str());
        let without = found
            .iter()
            .find(|b| b["address"] == format!("г. Сургут, улица {tag}, д. 4"))
            .unwrap();
        assert_eq!(without["company"], Value::Null);
        assert_eq!(without["district"], "Северный жилой");
    }
    let after = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();
    assert_eq!(after, before + 4);

    // The same file again: every row is now a duplicate or bad, nothing is added.
    let (csv, _) = sample_csv(',', "Запятая", "8602000001", &existing);
    let report: Value = import(&admin, csv, "text/csv").await.json().await.unwrap();
    assert_eq!(report["imported"], 0);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 7);

    // Only the header, without a BOM, in another column order and without optional columns.
    let report: Value = import(&admin, "district,address\n", "text/csv")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report, json!({ "imported": 0, "rejected": [] }));
    let report: Value = import(
        &admin,
        "District,Address\nЗападный,\"г. Сургут, улица Без колонок, д. 1\"\nЗападный,лишнее,поле\n",
        "text/csv",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["rejected"][0]["line"], 3);
}

async fn csv_import_refuses_what_it_cannot_read(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let before = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();

    // Larger than 2 MiB: 413 as a problem, and nothing is imported.
    let mut big = String::from("address,district\n");
    let mut n = 0;
    while big.len() <= 2 * 1024 * 1024 {
        n += 1;
        big.push_str(&format!(
            "\"г. Сургут, улица Длинная, д. {n}\",Центральный\n"
        ));
    }
    expect_code(
        import(&admin, big, "text/csv").await,
        413,
        "payload_too_large",
    )
    .await;

    expect_code(
        import(&admin, "address,district\n", "application/json").await,
        415,
        "unsupported_media_type",
    )
    .await;
    expect_code(
        import(
            &admin,
            "address,district\n",
            "text/csv; charset=windows-1251",
        )
        .await,
        415,
        "unsupported_media_type",
    )
    .await;
    // Windows-1251 bytes sent as UTF-8.
    expect_code(
        import(
            &admin,
            b"address,district\n\xcf\xf0\xe8,\xcc\xe8\xf0\n".to_vec(),
            "text/csv",
        )
        .await,
        422,
        "malformed_csv",
    )
    .await;
    for csv in [
        "",
        "\u{feff}\n\n",
        "address\nг. Сургут,Центральный\n",
        "address,district,floors\n",
    ] {
        expect_code(import(&admin, csv, "text/csv").await, 422, "malformed_csv").await;
    }
    let unauthenticated = app
        .client
        .post(app.url("/api/v1/admin/buildings/import"))
        .header("content-type", "text/csv")
        .body("address,district\n")
        .send()
        .await
        .unwrap();
    expect_code(unauthenticated, 401, "missing_token").await;

    let after = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();
    assert_eq!(before, after);
}
