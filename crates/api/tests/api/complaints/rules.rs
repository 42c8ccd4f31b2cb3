//! Access scopes, masked phones, stale versions, wrong roles and idempotent filing.

use crate::helpers::{TestApp, User, fixtures, kinds};
use serde_json::{Value, json};

on_both_databases!(
    access_is_scoped_and_phones_are_masked,
    stale_versions_and_wrong_roles_change_nothing,
    idempotent_filing,
);

async fn access_is_scoped_and_phones_are_masked(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, other_resident, company, other_company, dispatcher, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "resident2").await,
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "clerk").await,
    );
    let c = resident
        .file(&building, &category, "Сломан почтовый ящик")
        .await["complaint"]
        .clone();
    let path = format!("/api/v1/complaints/{}", c["id"].as_str().unwrap());
    assert_eq!(
        c["applicant"]["phone"], "+79220000001",
        "the resident sees their own phone"
    );

    for outsider in [&other_resident, &other_company, &clerk] {
        let response = outsider.get(&path).await;
        assert_eq!(response.status(), 404);
        assert_eq!(outsider.get(&format!("{path}/events")).await.status(), 404);
        let list = outsider.get_json("/api/v1/complaints").await;
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["id"] != c["id"]),
            "lists never leak"
        );
    }
    // Another company cannot act on it either, and learns nothing.
    assert_eq!(
        other_company
            .act(&c, json!({ "type": "accept" }))
            .await
            .status(),
        404
    );

    let seen_by_company = company.get_json(&path).await;
    assert_eq!(seen_by_company["applicant"]["phone"], "+7 *** ***-**-01");
    assert_eq!(seen_by_company["applicant"]["phone_masked"], true);
    let seen_by_dispatcher = dispatcher.get_json(&path).await;
    assert_eq!(seen_by_dispatcher["applicant"]["phone_masked"], true);

    // The dispatcher reveals it through an audited action; nobody else may.
    let revealed: Value = dispatcher
        .post(
            &format!("{path}/reveal-phone"),
            &json!({"reason": "Звонок по проверке"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["phone"], "+79220000001");
    assert_eq!(
        company
            .post(
                &format!("{path}/reveal-phone"),
                &json!({"reason": "Звонок по проверке"})
            )
            .await
            .status(),
        403
    );
}

async fn stale_versions_and_wrong_roles_change_nothing(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, clerk) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "clerk").await,
    );
    let c = resident
        .file(&building, &category, "Не закрывается дверь подъезда")
        .await["complaint"]
        .clone();
    let id = c["id"].as_str().unwrap();

    // Without If-Match: 428.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/complaints/{id}/transitions")))
        .bearer_auth(&company.token)
        .json(&json!({ "type": "accept" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 428);

    let accepted = company.ok(&c, json!({ "type": "accept" })).await;
    assert_eq!(accepted["version"], c["version"].as_i64().unwrap() + 1);
    // The old version is stale: 412, and nothing changes.
    let stale = company
        .act(&c, json!({ "type": "report_done", "note": "x" }))
        .await;
    assert_eq!(stale.status(), 412);
    let problem: Value = stale.json().await.unwrap();
    assert_eq!(problem["code"], "version_mismatch");
    let now = company.get(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(
        now.headers()["etag"],
        format!("\"{}\"", accepted["version"])
    );
    assert_eq!(now.json::<Value>().await.unwrap()["status"], "in_progress");

    // A clerk may never accept: 403. A resident may not report done on their own complaint.
    assert_eq!(
        clerk
            .act(&accepted, json!({ "type": "accept" }))
            .await
            .status(),
        404,
        "the clerk does not see it"
    );
    let forbidden = resident
        .act(
            &accepted,
            json!({ "type": "report_done", "note": "сама починила" }),
        )
        .await;
    assert_eq!(forbidden.status(), 403);
    // Unknown action types and extra fields are refused.
    assert_eq!(
        company
            .act(&accepted, json!({ "type": "teleport" }))
            .await
            .status(),
        400
    );
    assert_eq!(
        company
            .act(&accepted, json!({ "type": "accept", "extra": 1 }))
            .await
            .status(),
        400
    );
    // Empty text is a field error.
    let empty = company
        .act(&accepted, json!({ "type": "report_done", "note": "  " }))
        .await;
    assert_eq!(empty.status(), 422);
    assert!(empty.json::<Value>().await.unwrap()["errors"]["note"].is_array());
    assert_eq!(kinds(&resident, &accepted).await, ["registered", "accept"]);
}

async fn idempotent_filing(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let body = json!({ "building_id": building, "category_id": category, "description": "Шумит насос в подвале" });
    let send = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/complaints"))
            .bearer_auth(&resident.token)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first = send("key-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send("key-1", body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        again.json::<Value>().await.unwrap()["complaint"]["id"],
        first["complaint"]["id"]
    );

    let mut other = body.clone();
    other["description"] = json!("Другой текст жалобы");
    let reused = send("key-1", other).await.unwrap();
    assert_eq!(reused.status(), 422);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["code"],
        "idempotency_key_reused"
    );

    // Parallel duplicates make one complaint.
    let racers: Vec<_> = (0..8).map(|_| send("key-2", body.clone())).collect();
    let mut ids = std::collections::HashSet::new();
    for response in futures_util::future::join_all(racers).await {
        let response = response.unwrap();
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        ids.insert(body["complaint"]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "every racer got the same complaint");
    let mine = resident.get_json("/api/v1/complaints?limit=100").await;
    assert_eq!(
        mine["items"].as_array().unwrap().len(),
        2,
        "key-1 and key-2 made one complaint each"
    );
}
