//! API keys wherever their scopes reach: an organisation's key acts as its staff do, within its
//! scopes, on what its staff may see; everything it does is recorded as done by the
//! organisation's service account; expiry, rotation and the per-key rate limit.

use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures, kinds};

on_both_databases!(
    a_company_key_works_its_queue_and_nothing_else,
    a_tos_key_files_for_people_and_the_city_and_inspection_keys_do_their_part,
    keys_expire_rotate_and_are_rate_limited,
);

/// Creates a key for the organisation of the demo user `role` and returns it (as `User`, whose
/// bearer is the key) with the creation answer.
async fn key_for<'a>(app: &'a TestApp, role: &str, extra: Value) -> (User<'a>, Value) {
    let admin = User::new(app, "admin").await;
    let staff = User::new(app, role).await;
    let organisation = staff.get_json("/api/v1/me").await["organisation"]["id"].clone();
    let mut body = json!({ "name": format!("{role} system"), "organisation_id": organisation });
    for (field, value) in extra.as_object().unwrap() {
        body[field] = value.clone();
    }
    let response = admin.post("/api/v1/admin/api-keys", &body).await;
    assert_eq!(response.status(), 201, "{body}");
    let created: Value = response.json().await.unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    (User { app, token: key }, created)
}

async fn problem_code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

async fn a_company_key_works_its_queue_and_nothing_else(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let ours = resident
        .file(&building, &category, "Не закрывается дверь подъезда")
        .await["complaint"]
        .clone();
    // A complaint of another company.
    let dispatcher = User::new(&app, "dispatcher").await;
    let board = dispatcher.get_json("/api/v1/complaints?limit=100").await;
    let foreign = board["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["company"]["id"] != ours["company"]["id"] && !c["company"].is_null())
        .cloned();

    let (key, created) = key_for(
        &app,
        "company",
        json!({ "scopes": ["complaints:read", "complaints:work"] }),
    )
    .await;
    assert_eq!(
        created["scopes"],
        json!(["complaints:read", "complaints:work"])
    );

    // It sees the company's queue, exactly as the company's staff do.
    let staff = User::new(&app, "company").await;
    let as_key = key.get_json("/api/v1/complaints?limit=100").await;
    let as_staff = staff.get_json("/api/v1/complaints?limit=100").await;
    let ids = |page: &Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&as_key), ids(&as_staff));
    let id = ours["id"].as_str().unwrap();
    let seen = key.get_json(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(seen["allowed_actions"][0], "accept", "{seen}");
    assert_eq!(seen["applicant"]["phone_masked"], true);
    if let Some(foreign) = foreign {
        let path = format!("/api/v1/complaints/{}", foreign["id"].as_str().unwrap());
        assert_eq!(
            problem_code(key.get(&path).await).await,
            (404, "not_found".to_owned())
        );
    }

    // It works the queue: accept, assign, attach a photo, report done.
    let accepted = key.ok(&seen, json!({ "type": "accept" })).await;
    let assigned = key
        .ok(
            &accepted,
            json!({ "type": "assign_executor", "executor": "Бригада 3" }),
        )
        .await;
    // A valid 1×1 PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let upload = app
        .client
        .post(app.url(&format!(
            "/api/v1/complaints/{id}/attachments?filename=done.png"
        )))
        .header("x-api-key", &key.token)
        .header("content-type", "image/png")
        .body(png.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201);
    let attachment: Value = upload.json().await.unwrap();
    assert_eq!(attachment["kind"], "work_report");
    let done = key
        .ok(
            &assigned,
            json!({ "type": "report_done", "note": "Заменили доводчик" }),
        )
        .await;
    assert_eq!(done["status"], "awaiting_verification");

    // The history says who: the company's service account.
    let events = key
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    let accept = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "accept")
        .unwrap();
    assert_eq!(accept["actor_kind"], "service_account");
    assert_eq!(accept["actor_role"], "company");
    assert!(
        accept["actor_name"].as_str().unwrap().ends_with("(API)"),
        "{accept}"
    );
    // ... and the audit log has each step with the key.
    {
        use sea_orm::{ConnectionTrait, Statement};
        let db = app.direct_connection().await;
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT details FROM audit_log WHERE action = 'api_key_action'",
            ))
            .await
            .unwrap();
        assert_eq!(
            rows.len(),
            4,
            "accept, assign_executor, the upload, report_done"
        );
        let key_id = created["id"].as_str().unwrap();
        for row in rows {
            let details: String = row
                .try_get::<serde_json::Value>("", "details")
                .map(|v| v.to_string())
                .unwrap_or_else(|_| row.try_get::<String>("", "details").unwrap());
            assert!(details.contains(key_id), "{details}");
        }
    }

    // Never what the company's staff may not, never beyond its scopes.
    assert_eq!(
        problem_code(
            key.act(
                &done,
                json!({ "type": "record_call", "outcome": "satisfied" })
            )
            .await
        )
        .await,
        (403, "forbidden".to_owned())
    );
    let (reader, _) = key_for(&app, "company", json!({ "scopes": ["complaints:read"] })).await;
    let fresh = resident
        .file(&building, &category, "Течёт кран во дворе")
        .await["complaint"]
        .clone();
    let response = reader.act(&fresh, json!({ "type": "accept" })).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "insufficient_scope");
    assert!(
        body["detail"].as_str().unwrap().contains("complaints:work"),
        "{body}"
    );
    assert_eq!(
        problem_code(
            reader
                .post(
                    &format!("/api/v1/complaints/{id}/reveal-phone"),
                    &json!({"reason": "Звонок по проверке"})
                )
                .await
        )
        .await,
        (403, "forbidden".to_owned())
    );
    // A key is not a person, and no administrator.
    assert_eq!(
        problem_code(key.get("/api/v1/me").await).await,
        (401, "invalid_token".to_owned())
    );
    assert_eq!(
        problem_code(key.get("/api/v1/admin/organisations").await).await,
        (403, "insufficient_scope".to_owned())
    );
}

async fn a_tos_key_files_for_people_and_the_city_and_inspection_keys_do_their_part(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (office, _) = key_for(
        &app,
        "clerk",
        json!({ "scopes": ["complaints:read", "complaints:file"] }),
    )
    .await;
    let filing = json!({
        "building_id": building, "category_id": category, "flat": "7",
        "description": "Не работает лифт во втором подъезде",
        "applicant": { "name": "Сидорова Анна Петровна", "phone": "+7 922 555-12-34",
                       "consent": { "accepted": true, "version": "2026-01" } }
    });
    let response = office.post("/api/v1/complaints", &filing).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["pin"].as_str().unwrap().len(), 6);
    let complaint = created["complaint"].clone();
    // It sees what it filed, with the person's phone, as the filing clerk does.
    let mine = office.get_json("/api/v1/complaints").await;
    assert_eq!(mine["items"][0]["id"], complaint["id"]);
    assert_eq!(mine["items"][0]["applicant"]["phone_masked"], false);
    // Consent is checked as for a clerk.
    let mut without = filing.clone();
    without["applicant"]["consent"]["accepted"] = json!(false);
    assert_eq!(
        problem_code(office.post("/api/v1/complaints", &without).await).await,
        (422, "validation_failed".to_owned())
    );

    // The city's key reads the board, and its verify scope sends to the inspection.
    let (city, _) = key_for(
        &app,
        "dispatcher",
        json!({ "scopes": ["complaints:read", "complaints:verify", "admin:read"] }),
    )
    .await;
    let on_board = city
        .get_json(&format!(
            "/api/v1/complaints/{}",
            complaint["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(on_board["applicant"]["phone_masked"], true);
    let organisations = city.get_json("/api/v1/admin/organisations").await;
    assert!(!organisations["items"].as_array().unwrap().is_empty());
    let sent = city
        .ok(
            &on_board,
            json!({ "type": "send_to_inspection", "reason": "Лифт не работает неделю" }),
        )
        .await;
    assert_eq!(sent["status"], "under_inspection");
    // The inspection's key records its findings.
    let (inspection, _) = key_for(
        &app,
        "inspector",
        json!({ "scopes": ["complaints:read", "complaints:inspect"] }),
    )
    .await;
    let found = inspection
        .ok(
            &sent,
            json!({ "type": "record_findings", "violation": false, "findings": "Лифт исправен" }),
        )
        .await;
    assert_eq!(found["status"], "closed");
    assert_eq!(
        kinds(&inspection, &found).await,
        ["registered", "send_to_inspection", "record_findings"]
    );

    // A key is granted only what its organisation's staff may do.
    let admin = User::new(&app, "admin").await;
    let company = User::new(&app, "company")
        .await
        .get_json("/api/v1/me")
        .await["organisation"]["id"]
        .clone();
    let response = admin
        .post(
            "/api/v1/admin/api-keys",
            &json!({ "name": "x", "organisation_id": company, "scopes": ["complaints:inspect"] }),
        )
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "validation_failed");
    assert!(body["errors"]["scopes"].is_array(), "{body}");
}

async fn keys_expire_rotate_and_are_rate_limited(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    // A key whose expiry is in the past is refused at creation; one that expires works until then.
    let company = User::new(&app, "company")
        .await
        .get_json("/api/v1/me")
        .await["organisation"]["id"]
        .clone();
    let past = admin
        .post(
            "/api/v1/admin/api-keys",
            &json!({ "name": "x", "organisation_id": company, "scopes": ["complaints:read"],
                     "expires_at": "2020-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(
        problem_code(past).await,
        (422, "validation_failed".to_owned())
    );
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let (expiring, _) = key_for(
        &app,
        "company",
        json!({ "scopes": ["complaints:read"], "expires_at": soon }),
    )
    .await;
    assert_eq!(expiring.get("/api/v1/complaints").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        problem_code(expiring.get("/api/v1/complaints").await).await,
        (401, "invalid_api_key".to_owned())
    );

    // Rotation: the new secret works at once, the old one during the grace period only.
    let (old, created) = key_for(&app, "company", json!({ "scopes": ["complaints:read"] })).await;
    let id = created["id"].as_str().unwrap();
    let rotated: Value = admin
        .post(
            &format!("/api/v1/admin/api-keys/{id}/rotate"),
            &json!({ "grace_minutes": 60 }),
        )
        .await
        .json()
        .await
        .unwrap();
    let new = User {
        app: &app,
        token: rotated["key"].as_str().unwrap().to_owned(),
    };
    assert_ne!(new.token, old.token);
    assert!(rotated["previous_valid_until"].is_string(), "{rotated}");
    assert_eq!(new.get("/api/v1/complaints").await.status(), 200);
    assert_eq!(old.get("/api/v1/complaints").await.status(), 200);
    admin
        .post(
            &format!("/api/v1/admin/api-keys/{id}/rotate"),
            &json!({ "grace_minutes": 0 }),
        )
        .await;
    assert_eq!(
        problem_code(new.get("/api/v1/complaints").await).await,
        (401, "invalid_api_key".to_owned())
    );

    // The rate limit: 3 a minute, counted in the database, with its headers.
    let (limited, _) = key_for(
        &app,
        "company",
        json!({ "scopes": ["complaints:read"], "rate_limit_per_minute": 3 }),
    )
    .await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = limited.get("/api/v1/complaints").await;
        if response.status() == 429 {
            // The minute turned between two requests: start again in the new one.
            break;
        }
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["ratelimit-limit"], "3");
        remaining.push(
            response.headers()["ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
    }
    let refused = limited.get("/api/v1/complaints").await;
    if remaining.len() == 3 && refused.status() != 200 {
        assert_eq!(remaining, ["2", "1", "0"]);
        assert_eq!(refused.status(), 429);
        assert!(refused.headers().contains_key("retry-after"));
        assert_eq!(refused.headers()["ratelimit-remaining"], "0");
        assert_eq!(
            problem_code(refused).await,
            (429, "rate_limited".to_owned())
        );
    }
}
