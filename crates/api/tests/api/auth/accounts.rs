//! Staff accounts managed by administrators: creation, the paged list, deactivation.

use super::{expect_problem, me, organisation_of, post, refresh, sign_in, text};
use crate::helpers::{DEMO_PASSWORD, TestApp};
use serde_json::{Value, json};

on_both_databases!(
    admin_creates_a_company_user_who_signs_in,
    admin_lists_users_page_by_page,
    non_admins_are_forbidden,
    deactivation,
);

fn new_staff(login: &str, role: &str, organisation_id: Option<&str>) -> Value {
    json!({
        "login": login,
        "name": "Иванов Сергей Петрович",
        "role": role,
        "organisation_id": organisation_id,
        "password": "initial password 2026"
    })
}

async fn admin_creates_a_company_user_who_signs_in(app: TestApp) {
    let admin = app.login_as("admin").await;
    let company = organisation_of(&app, "company").await;
    let department = organisation_of(&app, "dispatcher").await;
    let mut request = new_staff("Ivanov@UK-Sever.ru", "company", Some(&company));
    request["phone"] = json!("8 922 100 20 30");
    let response = post(&app, "/api/v1/admin/users", request, Some(&admin)).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["login"], "ivanov@uk-sever.ru");
    assert_eq!(created["phone"], "+79221002030");
    assert_eq!(created["role"], "company");
    assert_eq!(created["organisation"]["id"], company.as_str());
    assert_eq!(created["is_active"], true);
    assert!(created.get("password_hash").is_none());

    let session = sign_in(&app, "ivanov@uk-sever.ru", "initial password 2026").await;
    assert_eq!(session["user"]["role"], "company");
    assert_eq!(session["user"]["organisation"]["id"], company.as_str());
    sign_in(&app, "+7 922 100-20-30", "initial password 2026").await;

    // The organisation must fit the role.
    for (role, organisation) in [
        ("company", None),
        ("company", Some(department.as_str())),
        ("dispatcher", Some(company.as_str())),
        ("clerk", Some(company.as_str())),
        ("inspector", None),
        ("resident", Some(company.as_str())),
        ("company", Some("00000000-0000-0000-0000-000000000000")),
    ] {
        let body = expect_problem(
            post(
                &app,
                "/api/v1/admin/users",
                new_staff("x@uk.ru", role, organisation),
                Some(&admin),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            body["errors"]["organisation_id"].is_array(),
            "{role}: {body}"
        );
    }
    let response = post(
        &app,
        "/api/v1/admin/users",
        new_staff(
            "night-dispatcher@demo.test",
            "dispatcher",
            Some(&department),
        ),
        Some(&admin),
    )
    .await;
    assert_eq!(response.status(), 201);
    expect_problem(
        post(
            &app,
            "/api/v1/admin/users",
            new_staff("IVANOV@uk-sever.ru", "company", Some(&company)),
            Some(&admin),
        )
        .await,
        409,
        "already_registered",
    )
    .await;
    let mut bad = new_staff("not-an-email", "admin", None);
    bad["phone"] = json!("123");
    bad["password"] = json!("short");
    let body = expect_problem(
        post(&app, "/api/v1/admin/users", bad, Some(&admin)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["login"].is_array(), "{body}");
    assert!(body["errors"]["password"].is_array(), "{body}");
}

async fn admin_lists_users_page_by_page(app: TestApp) {
    let admin = app.login_as("admin").await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/api/v1/admin/users?limit=3&cursor={cursor}"),
            None => "/api/v1/admin/users?limit=3".to_owned(),
        };
        let response = app.get(&path, Some(&admin)).await;
        assert_eq!(response.status(), 200);
        let raw = response.text().await.unwrap();
        assert!(!raw.contains("argon2"), "no password hashes: {raw}");
        assert!(!raw.contains("password"), "{raw}");
        let page: Value = serde_json::from_str(&raw).unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|u| text(u, "login")));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 14, "{seen:?}");
    assert_eq!(pages, 5);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 14);
    assert!(seen.contains(&"admin@demo.test".to_owned()));

    let all: Value = app
        .get("/api/v1/admin/users", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 14);
    assert!(all["next_cursor"].is_null());

    expect_problem(
        app.get("/api/v1/admin/users?limit=0", Some(&admin)).await,
        400,
        "invalid_query",
    )
    .await;
    expect_problem(
        app.get("/api/v1/admin/users?limit=101", Some(&admin)).await,
        400,
        "invalid_query",
    )
    .await;
    expect_problem(
        app.get("/api/v1/admin/users?cursor=zzz", Some(&admin))
            .await,
        400,
        "invalid_query",
    )
    .await;
}

async fn non_admins_are_forbidden(app: TestApp) {
    let some_id = "00000000-0000-0000-0000-000000000000";
    for role in ["resident", "clerk", "company", "dispatcher", "inspector"] {
        let token = app.login_as(role).await;
        let token = Some(token.as_str());
        let organisation = organisation_of(&app, "company").await;
        let answers = [
            post(&app, "/api/v1/admin/users", new_staff("a@b.ru", "admin", None), token).await,
            app.get("/api/v1/admin/users", token).await,
            post(&app, &format!("/api/v1/admin/users/{some_id}/deactivate"), json!({}), token).await,
            post(
                &app,
                "/api/v1/admin/api-keys",
                json!({ "name": "x", "organisation_id": organisation, "scopes": ["complaints:read"] }),
                token,
            )
            .await,
            app.get("/api/v1/admin/api-keys", token).await,
            post(&app, &format!("/api/v1/admin/api-keys/{some_id}/revoke"), json!({}), token).await,
        ];
        for response in answers {
            expect_problem(response, 403, "forbidden").await;
        }
    }
    expect_problem(
        app.get("/api/v1/admin/users", None).await,
        401,
        "missing_token",
    )
    .await;
    expect_problem(
        app.get("/api/v1/admin/api-keys", None).await,
        401,
        "missing_token",
    )
    .await;
}

async fn deactivation(app: TestApp) {
    let admin = app.login_as("admin").await;
    let session = sign_in(&app, "clerk@demo.test", DEMO_PASSWORD).await;
    let access = text(&session, "access_token");
    let clerk_id = session["user"]["id"].as_str().unwrap().to_owned();
    assert_eq!(me(&app, &access).await.status(), 200);

    let response = post(
        &app,
        &format!("/api/v1/admin/users/{clerk_id}/deactivate"),
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(response.status(), 204);
    expect_problem(me(&app, &access).await, 401, "invalid_token").await;
    expect_problem(
        refresh(&app, &text(&session, "refresh_token")).await,
        401,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(
        app.login("clerk@demo.test", DEMO_PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    // Twice is harmless; the list shows it.
    let again = post(
        &app,
        &format!("/api/v1/admin/users/{clerk_id}/deactivate"),
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(again.status(), 204);
    let list: Value = app
        .get("/api/v1/admin/users", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let clerk = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == clerk_id.as_str())
        .unwrap();
    assert_eq!(clerk["is_active"], false);

    expect_problem(
        post(
            &app,
            "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/deactivate",
            json!({}),
            Some(&admin),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let admin_id: Value = me(&app, &admin).await.json().await.unwrap();
    expect_problem(
        post(
            &app,
            &format!("/api/v1/admin/users/{}/deactivate", text(&admin_id, "id")),
            json!({}),
            Some(&admin),
        )
        .await,
        409,
        "conflict",
    )
    .await;
}
