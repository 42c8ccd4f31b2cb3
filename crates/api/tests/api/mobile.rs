//! What a phone on a flaky network needs: conditional GETs, delta sync, and retries that never
//! repeat a change.

use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures, kinds};

on_both_databases!(
    reads_answer_304_when_nothing_changed,
    delta_sync_sends_changes_and_departures,
    retried_transitions_and_uploads_happen_once,
);

async fn get_with(user: &User<'_>, path: &str, if_none_match: &str) -> reqwest::Response {
    user.app
        .client
        .get(user.app.url(path))
        .bearer_auth(&user.token)
        .header("if-none-match", if_none_match)
        .send()
        .await
        .unwrap()
}

async fn reads_answer_304_when_nothing_changed(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let filed = resident.file(&building, &category, "Не горит свет").await["complaint"].clone();
    let path = format!("/api/v1/complaints/{}", filed["id"].as_str().unwrap());

    // One complaint: its version is its ETag.
    let first = resident.get(&path).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", filed["version"]));
    let again = get_with(&resident, &path, &etag).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    assert_eq!(get_with(&resident, &path, "\"999\"").await.status(), 200);

    // A list page: a hash of the page, which changes when the page does.
    let list = resident.get("/api/v1/complaints").await;
    let list_etag = list.headers()["etag"].to_str().unwrap().to_owned();
    assert!(list_etag.starts_with("W/\""), "{list_etag}");
    assert_eq!(
        get_with(&resident, "/api/v1/complaints", &list_etag)
            .await
            .status(),
        304
    );
    assert_eq!(
        get_with(&resident, "/api/v1/complaints", "*")
            .await
            .status(),
        304
    );
    resident.ok(&filed, json!({ "type": "withdraw" })).await;
    assert_eq!(
        get_with(&resident, "/api/v1/complaints", &list_etag)
            .await
            .status(),
        200
    );
    assert_eq!(get_with(&resident, &path, &etag).await.status(), 200);

    // A malformed If-None-Match is a clear 400.
    let bad = get_with(&resident, &path, "not-a-tag").await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["code"], "invalid_if_none_match");
}

async fn delta_sync_sends_changes_and_departures(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let company = User::new(&app, "company").await;
    let dispatcher = User::new(&app, "dispatcher").await;

    // A first, full sync of the company's queue, then nothing new.
    let mut token = None::<String>;
    let mut seen = 0;
    loop {
        let path = match &token {
            Some(t) => format!("/api/v1/complaints/sync?limit=50&since={t}"),
            None => "/api/v1/complaints/sync?limit=50".to_owned(),
        };
        let page = company.get_json(&path).await;
        seen += page["changed"].as_array().unwrap().len();
        token = Some(page["next"].as_str().unwrap().to_owned());
        if page["has_more"] == false {
            break;
        }
    }
    let queue = company.get_json("/api/v1/complaints?limit=100").await;
    assert_eq!(seen, queue["items"].as_array().unwrap().len());

    // A new complaint and a rerouted one: the next sync has the first and drops the second.
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    let new = resident.file(&building, &category, "Течёт кран").await["complaint"].clone();
    let moved = resident.file(&building, &category, "Не тот дом").await["complaint"].clone();
    let admin = User::new(&app, "admin").await;
    let companies = admin
        .get_json("/api/v1/admin/organisations?kind=management_company")
        .await;
    let other_company = companies["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] != new["company"]["id"])
        .map(|o| o["id"].clone())
        .unwrap();
    dispatcher
        .ok(
            &moved,
            json!({ "type": "reroute", "company_id": other_company }),
        )
        .await;
    // Changes within the last seconds are sent again later: wait them out.
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let since = token.unwrap();
    let page = company
        .get_json(&format!("/api/v1/complaints/sync?since={since}"))
        .await;
    let changed: Vec<&str> = page["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(changed.contains(&new["id"].as_str().unwrap()), "{page}");
    assert!(!changed.contains(&moved["id"].as_str().unwrap()), "{page}");
    assert_eq!(page["removed"], json!([moved["id"]]), "{page}");

    // A bad token or limit is a clear 400; well-formed values that cannot be served are 422.
    for (query, status) in [
        ("since=garbage", 400),
        ("limit=0", 400),
        ("updated_since=2999-01-01T00:00:00Z", 422),
        (
            "since=1_00000000000000000000000000000000&updated_since=2020-01-01T00:00:00Z",
            422,
        ),
    ] {
        let response = company
            .get(&format!("/api/v1/complaints/sync?{query}"))
            .await;
        assert_eq!(response.status(), status, "{query}");
    }
}

async fn retried_transitions_and_uploads_happen_once(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let company = User::new(&app, "company").await;
    let filed = resident
        .file(&building, &category, "Сломан почтовый ящик")
        .await["complaint"]
        .clone();
    let id = filed["id"].as_str().unwrap();
    let accept = || {
        app.client
            .post(app.url(&format!("/api/v1/complaints/{id}/transitions")))
            .bearer_auth(&company.token)
            .header("if-match", format!("\"{}\"", filed["version"]))
            .header("idempotency-key", "accept-once-7f3a")
            .json(&json!({ "type": "accept" }))
            .send()
    };
    let first = accept().await.unwrap();
    assert_eq!(first.status(), 200);
    let first_body: Value = first.json().await.unwrap();
    // The retry carries the old If-Match: it is replayed, not refused as stale.
    let retry = accept().await.unwrap();
    assert_eq!(retry.status(), 200);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(
        retry.headers()["etag"],
        format!("\"{}\"", first_body["version"]).as_str()
    );
    let retry_body: Value = retry.json().await.unwrap();
    assert_eq!(retry_body["version"], first_body["version"]);
    assert_eq!(kinds(&company, &filed).await, ["registered", "accept"]);
    // The same key for another step is refused.
    let reused = app
        .client
        .post(app.url(&format!("/api/v1/complaints/{id}/transitions")))
        .bearer_auth(&company.token)
        .header("if-match", format!("\"{}\"", first_body["version"]))
        .header("idempotency-key", "accept-once-7f3a")
        .json(&json!({ "type": "assign_executor", "executor": "Иванов" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), 422);

    // An upload retried with its key stores one file.
    let pdf: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let upload = || {
        app.client
            .post(app.url(&format!(
                "/api/v1/complaints/{id}/attachments?filename=act.pdf"
            )))
            .bearer_auth(&company.token)
            .header("content-type", "application/octet-stream")
            .header("idempotency-key", "upload-once-91c2")
            .body(pdf.to_vec())
            .send()
    };
    let one = upload().await.unwrap();
    assert_eq!(one.status(), 201);
    let two = upload().await.unwrap();
    assert_eq!(two.status(), 201);
    assert_eq!(two.headers()["idempotent-replayed"], "true");
    let listed = company
        .get_json(&format!("/api/v1/complaints/{id}/attachments"))
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}
