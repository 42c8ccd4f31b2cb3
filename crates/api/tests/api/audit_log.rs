//! The audit of reads and its reader: the phone reveal needs a reason, the clerk's read of a
//! person's full record is logged, and only the administrator reads (and exports) the log.

use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    reads_of_personal_data_are_logged_with_a_reason,
    the_administrator_filters_and_pages_the_log,
    the_log_exports_as_excel_friendly_csv,
    only_the_administrator_reads_the_log,
);

const LOG: &str = "/api/v1/admin/audit-log";

async fn me(user: &User<'_>) -> Value {
    user.get_json("/api/v1/me").await
}

async fn items(admin: &User<'_>, query: &str) -> Vec<Value> {
    admin.get_json(&format!("{LOG}?{query}")).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// A complaint filed by the clerk for a person without an account; returns its JSON.
async fn clerk_files(app: &TestApp, clerk: &User<'_>) -> Value {
    let (building, category, _) = fixtures(app).await;
    let body = json!({
        "building_id": building, "category_id": category, "flat": "7",
        "description": "В подъезде не горит свет третью неделю",
        "applicant": { "name": "Петров Иван Сергеевич", "phone": "8 (922) 123-45-67", "consent": { "accepted": true, "version": "2026-01" } }
    });
    let response = clerk.post("/api/v1/complaints", &body).await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["complaint"].clone()
}

async fn reveal(user: &User<'_>, id: &str, body: Value) -> reqwest::Response {
    user.post(&format!("/api/v1/complaints/{id}/reveal-phone"), &body)
        .await
}

async fn reads_of_personal_data_are_logged_with_a_reason(app: TestApp) {
    let (clerk, dispatcher, admin) = (
        User::new(&app, "clerk").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "admin").await,
    );
    let c = clerk_files(&app, &clerk).await;
    let id = c["id"].as_str().unwrap();

    // No reason, or not a real one: refused, and nothing is revealed or logged.
    for body in [
        json!({}),
        json!({ "reason": "ок" }),
        json!({ "reason": "   " }),
        json!({ "reason": "две\nстроки" }),
        json!({ "reason": "я".repeat(301) }),
    ] {
        let response = reveal(&dispatcher, id, body.clone()).await;
        assert!(
            matches!(response.status().as_u16(), 400 | 422),
            "{body}: {}",
            response.status()
        );
        let problem: Value = response.json().await.unwrap();
        assert!(problem.get("phone").is_none(), "{problem}");
    }
    assert!(items(&admin, "action=reveal_phone").await.is_empty());

    let revealed: Value = reveal(
        &dispatcher,
        id,
        json!({ "reason": "  Звонок по проверке выполнения  " }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(revealed["phone"], "+79221234567");
    let log = items(&admin, "action=reveal_phone").await;
    assert_eq!(log.len(), 1, "{log:?}");
    let row = &log[0];
    let dispatcher_me = me(&dispatcher).await;
    assert_eq!(row["actor_id"], dispatcher_me["id"]);
    assert_eq!(row["actor_name"], dispatcher_me["name"]);
    assert_eq!(row["actor_role"], "dispatcher");
    assert_eq!(row["complaint_id"], c["id"]);
    assert_eq!(row["complaint_number"], c["number"]);
    assert_eq!(row["reason"], "Звонок по проверке выполнения");

    // The clerk who filed sees the person's contact in full: each opening is logged, with the
    // clerk's words when given and the standing purpose otherwise.
    let path = format!("/api/v1/complaints/{id}");
    let seen = clerk.get_json(&path).await;
    assert_eq!(seen["applicant"]["phone"], "+79221234567");
    clerk
        .get_json(&format!("{path}?reason=Житель%20пришёл%20узнать%20статус"))
        .await;
    let bad = clerk.get(&format!("{path}?reason=ok")).await;
    assert_eq!(bad.status(), 422);
    let reads = items(&admin, "action=read_applicant").await;
    let reasons: Vec<&str> = reads
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "Житель пришёл узнать статус",
            "Обращение оформлено этим специалистом ТОС"
        ],
        "newest first"
    );
    assert!(reads.iter().all(|r| r["actor_role"] == "clerk"));

    // Staff who see the contact masked read nothing personal: their reads are not logged.
    dispatcher.get_json(&path).await;
    admin.get_json(&path).await;
    assert_eq!(items(&admin, "action=read_applicant").await.len(), 2);
}

async fn the_administrator_filters_and_pages_the_log(app: TestApp) {
    let (clerk, dispatcher, admin) = (
        User::new(&app, "clerk").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "admin").await,
    );
    let first = clerk_files(&app, &clerk).await;
    let second = clerk_files(&app, &clerk).await;
    let (a, b) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    for (id, reason) in [
        (a, "Первый звонок"),
        (b, "Второй звонок"),
        (a, "Третий звонок"),
    ] {
        assert_eq!(
            reveal(&dispatcher, id, json!({ "reason": reason }))
                .await
                .status(),
            200
        );
    }
    let dispatcher_id = me(&dispatcher).await["id"].as_str().unwrap().to_owned();

    let by_complaint = items(&admin, &format!("complaint_id={a}")).await;
    let reasons: Vec<&str> = by_complaint
        .iter()
        .filter(|r| r["action"] == "reveal_phone")
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["Третий звонок", "Первый звонок"]);
    assert!(by_complaint.iter().all(|r| r["complaint_id"] == a));

    let by_actor = items(&admin, &format!("actor_id={dispatcher_id}")).await;
    assert_eq!(by_actor.len(), 3);
    assert!(
        by_actor
            .iter()
            .all(|r| r["actor_id"] == dispatcher_id.as_str())
    );

    // The period: everything is in the last hour, nothing in the future.
    let now = chrono::Utc::now();
    let hour_ago =
        (now - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let in_an_hour =
        (now + chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let recent = items(
        &admin,
        &format!("actor_id={dispatcher_id}&from={hour_ago}&to={in_an_hour}"),
    )
    .await;
    assert_eq!(recent.len(), 3);
    assert!(
        items(&admin, &format!("from={in_an_hour}"))
            .await
            .is_empty()
    );
    assert_eq!(
        items(&admin, &format!("actor_id={dispatcher_id}&to={hour_ago}"))
            .await
            .len(),
        0
    );

    // Pages: two, then one, with no overlap.
    let page1 = admin
        .get_json(&format!("{LOG}?actor_id={dispatcher_id}&limit=2"))
        .await;
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let page2 = admin
        .get_json(&format!(
            "{LOG}?actor_id={dispatcher_id}&limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert!(page2["next_cursor"].is_null());
    assert_eq!(page2["items"][0]["reason"], "Первый звонок");

    // Bad filters are a clear 400, never a 500.
    for query in [
        "action=Reveal%20Phone",
        "action=",
        "limit=0",
        "limit=201",
        "actor_id=nobody",
        "from=yesterday",
        "unknown=1",
        &format!("from={in_an_hour}&to={hour_ago}"),
    ] {
        let response = admin.get(&format!("{LOG}?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "invalid_query", "{query}: {problem}");
    }
}

async fn the_log_exports_as_excel_friendly_csv(app: TestApp) {
    let (clerk, dispatcher, admin) = (
        User::new(&app, "clerk").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "admin").await,
    );
    let c = clerk_files(&app, &clerk).await;
    let id = c["id"].as_str().unwrap();
    for reason in ["Звонок; по проверке", "=HYPERLINK(\"http://x\")"] {
        assert_eq!(
            reveal(&dispatcher, id, json!({ "reason": reason }))
                .await
                .status(),
            200
        );
    }
    let response = admin.get(&format!("{LOG}/csv?action=reveal_phone")).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("audit-log.csv")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("Время (UTC);Кто;Роль;"),
        "{}",
        lines[0]
    );
    let name = me(&dispatcher).await["name"].as_str().unwrap().to_owned();
    // Newest first; a `;` in a reason is quoted, a formula is kept as text.
    assert!(lines[1].contains(&name), "{}", lines[1]);
    assert!(lines[1].contains("'=HYPERLINK"), "{}", lines[1]);
    assert!(lines[2].contains("\"Звонок; по проверке\""), "{}", lines[2]);
    assert!(lines[2].contains(c["number"].as_str().unwrap()));

    // The same filter as the list; a bad one is refused the same way.
    let empty = admin.get(&format!("{LOG}/csv?action=no_such_action")).await;
    assert_eq!(empty.status(), 200);
    let text = empty.text().await.unwrap();
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "only the header: {text}"
    );
    assert_eq!(admin.get(&format!("{LOG}/csv?limit=0")).await.status(), 400);
}

async fn only_the_administrator_reads_the_log(app: TestApp) {
    for path in [LOG.to_owned(), format!("{LOG}/csv")] {
        assert_eq!(app.get(&path, None).await.status(), 401, "{path}");
        for role in ["resident", "clerk", "company", "dispatcher", "inspector"] {
            let user = User::new(&app, role).await;
            let response = user.get(&path).await;
            assert_eq!(response.status(), 403, "{role} {path}");
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["code"], "forbidden");
        }
        let admin = User::new(&app, "admin").await;
        assert_eq!(admin.get(&path).await.status(), 200);
    }
}
