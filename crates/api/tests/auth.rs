//! Authentication over real HTTP: phone sign-in, refresh-token rotation and reuse detection,
//! sign-out, password change, residents' registration, admin-managed accounts and API keys, the
//! per-account sign-in limit, and forged JWTs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DEMO_PASSWORD, SECRET, TestApp};
use serde_json::{Value, json};

on_both_databases!(
    phone_login,
    refresh_rotates,
    refresh_reuse_revokes_the_family,
    logout_revokes_the_family,
    password_change,
    resident_registration,
    admin_creates_a_company_user_who_signs_in,
    admin_lists_users_page_by_page,
    non_admins_are_forbidden,
    deactivation,
    api_keys,
    failed_logins_are_limited_per_account,
    forwarded_for_spoofing_does_not_help,
    forged_tokens_are_refused,
);

async fn post(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// Asserts a problem+json answer and returns its status and code.
async fn problem(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "status {status}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    (status, body["code"].as_str().unwrap().to_owned(), body)
}

async fn expect_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    let (actual_status, actual_code, body) = problem(response).await;
    assert_eq!(
        (actual_status, actual_code.as_str()),
        (status, code),
        "{body}"
    );
    body
}

/// Signs in and returns the whole token response.
async fn sign_in(app: &TestApp, login: &str, password: &str) -> Value {
    let response = app.login(login, password).await;
    assert_eq!(response.status(), 200, "{login} signs in");
    response.json().await.unwrap()
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap().to_owned()
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/refresh",
        json!({ "refresh_token": token }),
        None,
    )
    .await
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.get("/api/v1/me", Some(token)).await
}

async fn organisation_of(app: &TestApp, role: &str) -> String {
    let token = app.login_as(role).await;
    let me: Value = me(app, &token).await.json().await.unwrap();
    me["organisation"]["id"].as_str().unwrap().to_owned()
}

async fn phone_login(app: TestApp) {
    for spelling in [
        "+79220000001",
        "8 (922) 000-00-01",
        " 9220000001 ",
        "7-922-000-00-01",
    ] {
        let body = sign_in(&app, spelling, DEMO_PASSWORD).await;
        assert_eq!(body["user"]["login"], "resident@demo.test", "{spelling}");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["refresh_expires_in"], 30 * 24 * 3600);
        let refresh_token = text(&body, "refresh_token");
        assert_eq!(refresh_token.len(), 43, "256 bits, base64url");
        assert!(
            refresh_token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(me(&app, &text(&body, "access_token")).await.status(), 200);
    }
    expect_problem(
        app.login("+79220000001", "wrong").await,
        401,
        "invalid_credentials",
    )
    .await;
    expect_problem(
        app.login("+79999999999", DEMO_PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
}

async fn refresh_rotates(app: TestApp) {
    let session = sign_in(&app, "dispatcher@demo.test", DEMO_PASSWORD).await;
    let first = text(&session, "refresh_token");
    let response = refresh(&app, &first).await;
    assert_eq!(response.status(), 200);
    let rotated: Value = response.json().await.unwrap();
    let second = text(&rotated, "refresh_token");
    assert_ne!(first, second);
    assert_eq!(rotated["user"]["role"], "dispatcher");
    assert_eq!(rotated["refresh_expires_in"], 30 * 24 * 3600);
    let access = text(&rotated, "access_token");
    let who: Value = me(&app, &access).await.json().await.unwrap();
    assert_eq!(who["login"], "dispatcher@demo.test");
    // The new one rotates again.
    let third: Value = refresh(&app, &second).await.json().await.unwrap();
    assert_ne!(text(&third, "refresh_token"), second);
    // Garbage and unknown tokens.
    expect_problem(
        refresh(&app, "not-a-token").await,
        401,
        "invalid_refresh_token",
    )
    .await;
    expect_problem(
        post(
            &app,
            "/api/v1/auth/refresh",
            json!({ "refresh_token": "" }),
            None,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

async fn refresh_reuse_revokes_the_family(app: TestApp) {
    let session = sign_in(&app, "company@demo.test", DEMO_PASSWORD).await;
    let other_session = sign_in(&app, "company@demo.test", DEMO_PASSWORD).await;
    let first = text(&session, "refresh_token");
    let second: Value = refresh(&app, &first).await.json().await.unwrap();
    let second = text(&second, "refresh_token");

    // The first token is replayed: someone else holds a copy.
    expect_problem(refresh(&app, &first).await, 401, "refresh_token_reused").await;
    // The whole family is gone, the newer token too.
    expect_problem(refresh(&app, &second).await, 401, "invalid_refresh_token").await;
    expect_problem(refresh(&app, &first).await, 401, "refresh_token_reused").await;
    // Another sign-in of the same account is another family and still works.
    assert_eq!(
        refresh(&app, &text(&other_session, "refresh_token"))
            .await
            .status(),
        200
    );
}

async fn logout_revokes_the_family(app: TestApp) {
    let session = sign_in(&app, "inspector@demo.test", DEMO_PASSWORD).await;
    let first = text(&session, "refresh_token");
    let second: Value = refresh(&app, &first).await.json().await.unwrap();
    let second = text(&second, "refresh_token");
    let response = post(
        &app,
        "/api/v1/auth/logout",
        json!({ "refresh_token": second }),
        None,
    )
    .await;
    assert_eq!(response.status(), 204);
    expect_problem(refresh(&app, &second).await, 401, "invalid_refresh_token").await;
    // Idempotent, and tells nothing about unknown tokens.
    let again = post(
        &app,
        "/api/v1/auth/logout",
        json!({ "refresh_token": second }),
        None,
    )
    .await;
    assert_eq!(again.status(), 204);
    let unknown = post(
        &app,
        "/api/v1/auth/logout",
        json!({ "refresh_token": "nope" }),
        None,
    )
    .await;
    assert_eq!(unknown.status(), 204);
    expect_problem(
        post(
            &app,
            "/api/v1/auth/logout",
            json!({ "refresh_token": "x", "all": true }),
            None,
        )
        .await,
        400,
        "malformed_json",
    )
    .await;
}

async fn change(app: &TestApp, current: &str, new: &str, token: Option<&str>) -> reqwest::Response {
    post(
        app,
        "/api/v1/auth/password",
        json!({ "current_password": current, "new_password": new }),
        token,
    )
    .await
}

async fn password_change(app: TestApp) {
    let session = sign_in(&app, "resident2@demo.test", DEMO_PASSWORD).await;
    let other_device = sign_in(&app, "+79220000002", DEMO_PASSWORD).await;
    let access = text(&session, "access_token");
    let body = expect_problem(
        change(&app, "wrong", "new password 1", Some(&access)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["current_password"].is_array(), "{body}");
    let body = expect_problem(
        change(&app, DEMO_PASSWORD, DEMO_PASSWORD, Some(&access)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["new_password"].is_array(), "{body}");
    let body = expect_problem(
        change(&app, DEMO_PASSWORD, "short", Some(&access)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["new_password"].is_array(), "{body}");
    expect_problem(
        change(&app, DEMO_PASSWORD, "new password 1", None).await,
        401,
        "missing_token",
    )
    .await;

    assert_eq!(
        change(&app, DEMO_PASSWORD, "new password 1", Some(&access))
            .await
            .status(),
        204
    );
    expect_problem(
        app.login("resident2@demo.test", DEMO_PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    sign_in(&app, "resident2@demo.test", "new password 1").await;
    for session in [&session, &other_device] {
        expect_problem(
            refresh(&app, &text(session, "refresh_token")).await,
            401,
            "invalid_refresh_token",
        )
        .await;
    }
}

async fn resident_registration(app: TestApp) {
    let registration = |phone: &str, email: Option<&str>| {
        let mut body = json!({
            "name": "Соколова Екатерина Андреевна",
            "phone": phone,
            "password": "correct horse battery",
            "consent": { "accepted": true, "version": "2026-01" }
        });
        if let Some(email) = email {
            body["email"] = json!(email);
        }
        body
    };
    let response = post(
        &app,
        "/api/v1/auth/register",
        registration("8 (912) 345-67-89", Some("Sokolova@Example.ru")),
        None,
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "resident");
    assert_eq!(body["user"]["login"], "sokolova@example.ru");
    assert!(body["user"]["organisation"].is_null());
    assert_eq!(
        refresh(&app, &text(&body, "refresh_token")).await.status(),
        200
    );
    let who: Value = me(&app, &text(&body, "access_token"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(who["role"], "resident");
    // Signs in with the phone in another spelling, and with the e-mail.
    sign_in(&app, "+79123456789", "correct horse battery").await;
    sign_in(&app, "sokolova@example.ru", "correct horse battery").await;

    // Duplicates: the same phone spelt differently, the same e-mail in capitals, a demo phone.
    for (phone, email) in [
        ("+7 912 345 67 89", None),
        ("+79120000000", Some("SOKOLOVA@example.ru")),
        ("+79220000001", None),
        ("+79120000001", Some("resident@demo.test")),
    ] {
        expect_problem(
            post(
                &app,
                "/api/v1/auth/register",
                registration(phone, email),
                None,
            )
            .await,
            409,
            "already_registered",
        )
        .await;
    }
    // No e-mail: the phone is the login.
    let response = post(
        &app,
        "/api/v1/auth/register",
        registration("89125550011", None),
        None,
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["login"], "+79125550011");
    sign_in(&app, "8 912 555 00 11", "correct horse battery").await;

    // Invalid input gets a message per field.
    for bad_phone in ["12345", "+1 212 555 0100", "8-912-ABC-67-89"] {
        let body = expect_problem(
            post(
                &app,
                "/api/v1/auth/register",
                registration(bad_phone, None),
                None,
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(body["errors"]["phone"].is_array(), "{body}");
    }
    let mut no_consent = registration("+79125550022", Some("not-an-email"));
    no_consent["consent"] = json!({ "accepted": false, "version": "2025-01" });
    no_consent["password"] = json!("short");
    let body = expect_problem(
        post(&app, "/api/v1/auth/register", no_consent, None).await,
        422,
        "validation_failed",
    )
    .await;
    for field in ["consent.accepted", "consent.version", "email", "password"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }
    // Staff cannot be created here.
    let mut as_admin = registration("+79125550033", None);
    as_admin["role"] = json!("admin");
    expect_problem(
        post(&app, "/api/v1/auth/register", as_admin, None).await,
        400,
        "malformed_json",
    )
    .await;
}

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
        422,
        "validation_failed",
    )
    .await;
    expect_problem(
        app.get("/api/v1/admin/users?limit=101", Some(&admin)).await,
        422,
        "validation_failed",
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

async fn whoami_with(app: &TestApp, header: &str, value: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/auth/whoami"))
        .header(header, value)
        .send()
        .await
        .unwrap()
}

async fn api_keys(app: TestApp) {
    let admin = app.login_as("admin").await;
    let company = organisation_of(&app, "company").await;
    let response = post(
        &app,
        "/api/v1/admin/api-keys",
        json!({
            "name": "1С: УК Северный город",
            "organisation_id": company,
            "scopes": ["complaints:read", "scorecard:read", "complaints:read"]
        }),
        Some(&admin),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let key = text(&created, "key");
    let id = text(&created, "id");
    let (prefix, rest) = key.split_at(3);
    assert_eq!(prefix, "dk_");
    let (key_id, secret) = rest.split_once('_').unwrap();
    assert_eq!(key_id, id.replace('-', ""));
    assert_eq!(secret.len(), 43);
    assert_eq!(
        created["scopes"],
        json!(["complaints:read", "scorecard:read"])
    );
    assert_eq!(created["organisation"]["id"], company.as_str());

    // The list never shows the secret.
    let raw = app
        .get("/api/v1/admin/api-keys", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(!raw.contains(secret), "{raw}");
    let list: Value = serde_json::from_str(&raw).unwrap();
    let listed = &list["items"][0];
    assert_eq!(listed["id"], id.as_str());
    assert!(listed.get("key").is_none() && listed.get("key_hash").is_none());
    assert!(listed["revoked_at"].is_null());

    // The key authenticates, in either header, as a service account of its organisation.
    for (header, value) in [
        ("authorization", format!("Bearer {key}")),
        ("x-api-key", key.clone()),
    ] {
        let response = whoami_with(&app, header, &value).await;
        assert_eq!(response.status(), 200, "{header}");
        let who: Value = response.json().await.unwrap();
        assert_eq!(who["kind"], "service_account");
        assert_eq!(who["organisation_id"], company.as_str());
        assert_eq!(who["api_key_id"], id.as_str());
        assert_eq!(who["scopes"], json!(["complaints:read", "scorecard:read"]));
        assert!(who["role"].is_null());
    }
    // A person's token also works there.
    let who: Value = app
        .get("/api/v1/auth/whoami", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (who["kind"].as_str(), who["role"].as_str()),
        (Some("user"), Some("admin"))
    );
    // A key is not a person: handlers that need a signed-in user refuse it.
    expect_problem(
        app.get("/api/v1/me", Some(&key)).await,
        401,
        "invalid_token",
    )
    .await;
    expect_problem(
        app.get("/api/v1/admin/api-keys", Some(&key)).await,
        401,
        "invalid_token",
    )
    .await;
    // Forged and unknown keys.
    let forged = format!("dk_{key_id}_{}", "A".repeat(43));
    let unknown = format!("dk_{}_{secret}", uuid::Uuid::new_v4().simple());
    for bad in [forged.as_str(), unknown.as_str(), "dk_", "dk_123_abc"] {
        expect_problem(
            whoami_with(&app, "x-api-key", bad).await,
            401,
            "invalid_api_key",
        )
        .await;
    }
    // Both headers at once are refused rather than guessed at.
    let both = app
        .client
        .get(app.url("/api/v1/auth/whoami"))
        .header("x-api-key", &key)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_problem(both, 401, "ambiguous_credentials").await;

    // Revocation.
    let response = post(
        &app,
        &format!("/api/v1/admin/api-keys/{id}/revoke"),
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(response.status(), 204);
    expect_problem(
        whoami_with(&app, "x-api-key", &key).await,
        401,
        "invalid_api_key",
    )
    .await;
    expect_problem(
        whoami_with(&app, "authorization", &format!("Bearer {key}")).await,
        401,
        "invalid_api_key",
    )
    .await;
    let list: Value = app
        .get("/api/v1/admin/api-keys", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"][0]["revoked_at"].is_string());
    let again = post(
        &app,
        &format!("/api/v1/admin/api-keys/{id}/revoke"),
        json!({}),
        Some(&admin),
    )
    .await;
    assert_eq!(again.status(), 204);
    expect_problem(
        post(
            &app,
            "/api/v1/admin/api-keys/00000000-0000-0000-0000-000000000000/revoke",
            json!({}),
            Some(&admin),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // Bad requests.
    let create = |body: Value| post(&app, "/api/v1/admin/api-keys", body, Some(&admin));
    expect_problem(
        create(json!({ "name": "x", "organisation_id": company, "scopes": ["complaints:delete"] }))
            .await,
        400,
        "malformed_json",
    )
    .await;
    let body = expect_problem(
        create(json!({ "name": "", "organisation_id": company, "scopes": [] })).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        body["errors"]["name"].is_array() && body["errors"]["scopes"].is_array(),
        "{body}"
    );
    let body = expect_problem(
        create(json!({ "name": "x", "organisation_id": "00000000-0000-0000-0000-000000000000", "scopes": ["scorecard:read"] })).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]["organisation_id"].is_array(), "{body}");
}

async fn failed_logins_are_limited_per_account(app: TestApp) {
    for attempt in 1..=5 {
        expect_problem(
            app.login("company@demo.test", &format!("wrong {attempt}"))
                .await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    // Now even the right password is refused, by e-mail and by phone alike.
    for login in ["company@demo.test", "+79220000004"] {
        let response = app.login(login, DEMO_PASSWORD).await;
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry_after), "{retry_after}");
        expect_problem(response, 429, "too_many_requests").await;
    }
    // Other accounts are untouched.
    sign_in(&app, "company2@demo.test", DEMO_PASSWORD).await;

    // A success in between erases nothing: 4 failures, a success, 1 failure lock the account.
    for attempt in 1..=4 {
        expect_problem(
            app.login("inspector@demo.test", &format!("x{attempt}"))
                .await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    sign_in(&app, "inspector@demo.test", DEMO_PASSWORD).await;
    expect_problem(
        app.login("+79220000007", "x5").await,
        401,
        "invalid_credentials",
    )
    .await;
    expect_problem(
        app.login("inspector@demo.test", DEMO_PASSWORD).await,
        429,
        "too_many_requests",
    )
    .await;

    // Unknown accounts are limited too, so the answer does not tell which accounts exist.
    for _ in 1..=5 {
        expect_problem(
            app.login("ghost@demo.test", "x").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    expect_problem(
        app.login("ghost@demo.test", "x").await,
        429,
        "too_many_requests",
    )
    .await;
}

async fn forwarded_for_spoofing_does_not_help(app: TestApp) {
    let attempt = |password: &'static str, n: u32| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .header("x-real-ip", format!("198.51.100.{n}"))
            .header("forwarded", format!("for=192.0.2.{n}"))
            .json(&json!({ "login": "dispatcher@demo.test", "password": password }))
            .send()
    };
    for n in 1..=5 {
        expect_problem(
            attempt("wrong", n).await.unwrap(),
            401,
            "invalid_credentials",
        )
        .await;
    }
    expect_problem(
        attempt(DEMO_PASSWORD, 99).await.unwrap(),
        429,
        "too_many_requests",
    )
    .await;
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn claims(sub: &str, iss: &str, aud: &str, exp: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": sub, "role": "admin", "iss": iss, "aud": aud, "iat": now, "exp": exp,
        "jti": uuid::Uuid::new_v4(), "typ": "access"
    })
}

fn sign(algorithm: jsonwebtoken::Algorithm, secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(algorithm),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn forged_tokens_are_refused(app: TestApp) {
    use jsonwebtoken::Algorithm::{HS256, HS384};
    let session = sign_in(&app, "resident@demo.test", DEMO_PASSWORD).await;
    let genuine = text(&session, "access_token");
    let sub = session["user"]["id"].as_str().unwrap().to_owned();
    assert_eq!(me(&app, &genuine).await.status(), 200);
    let in_ten_minutes = chrono::Utc::now().timestamp() + 600;
    let aud = api::auth::AUDIENCE;
    // The control: a token built here with the right key, issuer and audience is accepted.
    let control = sign(
        HS256,
        SECRET,
        &claims(&sub, "dispatch", aud, in_ten_minutes),
    );
    assert_eq!(me(&app, &control).await.status(), 200);

    let alg_none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(&sub, "dispatch", aud, in_ten_minutes)
            .to_string()
            .as_bytes())
    );
    let other_key = sign(
        HS256,
        "another-secret-0123456789abcdef-0123456789",
        &claims(&sub, "dispatch", aud, in_ten_minutes),
    );
    let other_algorithm = sign(
        HS384,
        SECRET,
        &claims(&sub, "dispatch", aud, in_ten_minutes),
    );
    let tampered = {
        let parts: Vec<&str> = genuine.split('.').collect();
        let mut payload: Value = serde_json::from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, parts[1])
                .unwrap(),
        )
        .unwrap();
        payload["role"] = json!("admin");
        format!(
            "{}.{}.{}",
            parts[0],
            b64(payload.to_string().as_bytes()),
            parts[2]
        )
    };
    let expired = sign(
        HS256,
        SECRET,
        &claims(&sub, "dispatch", aud, chrono::Utc::now().timestamp() - 1),
    );
    let wrong_aud = sign(
        HS256,
        SECRET,
        &claims(&sub, "dispatch", "someone-else", in_ten_minutes),
    );
    let wrong_iss = sign(HS256, SECRET, &claims(&sub, "evil", aud, in_ten_minutes));
    let refresh_token = text(&session, "refresh_token");
    for (name, token) in [
        ("alg none", alg_none),
        ("HS256 with another key", other_key),
        ("HS384 with the right key", other_algorithm),
        ("tampered payload", tampered),
        ("expired", expired),
        ("wrong audience", wrong_aud),
        ("wrong issuer", wrong_iss),
        ("refresh token as bearer", refresh_token.clone()),
    ] {
        let (status, code, _) = problem(me(&app, &token).await).await;
        assert_eq!((status, code.as_str()), (401, "invalid_token"), "{name}");
        let (status, _, _) = problem(app.get("/api/v1/admin/users", Some(&token)).await).await;
        assert_eq!(status, 401, "{name}");
    }
    // The refresh token itself still works where it belongs.
    assert_eq!(refresh(&app, &refresh_token).await.status(), 200);
}
