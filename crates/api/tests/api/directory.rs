//! The organisation directory for staff (issue 16): the reroute picker and the company filters
//! find any of hundreds of companies by typing.

use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(
    the_hundred_and_fiftieth_of_two_hundred_companies_is_found_by_name,
    only_the_citys_staff_read_the_directory,
);

async fn problem_code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

async fn the_hundred_and_fiftieth_of_two_hundred_companies_is_found_by_name(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let mut ids = Vec::new();
    for n in 1..=200 {
        let response = admin
            .post(
                "/api/v1/admin/organisations",
                &json!({ "kind": "management_company", "name": format!("ООО «Управляющая компания Квартал-{n:03}»") }),
            )
            .await;
        assert_eq!(response.status(), 201);
        let created: Value = response.json().await.unwrap();
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let dispatcher = User::new(&app, "dispatcher").await;

    // Typed in capitals; stored with a capital К: Cyrillic folds on SQLite too.
    let found = dispatcher
        .get_json("/api/v1/organisations?q=%D0%9A%D0%92%D0%90%D0%A0%D0%A2%D0%90%D0%9B-150")
        .await;
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{found}");
    assert_eq!(items[0]["id"], ids[149].as_str());
    assert_eq!(items[0]["name"], "ООО «Управляющая компания Квартал-150»");
    assert_eq!(items[0]["kind"], "management_company");
    assert_eq!(items[0]["active"], true);
    assert!(
        items[0].get("inn").is_none(),
        "no contacts in the directory"
    );

    // Two words in any order, lower case.
    let found = dispatcher
        .get_json("/api/v1/organisations?q=150%20%D1%83%D0%BF%D1%80%D0%B0%D0%B2%D0%BB%D1%8F%D1%8E%D1%89%D0%B0%D1%8F")
        .await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);

    // `%` and `_` match themselves, not any text.
    for wildcard in ["%25", "_", "%25%25"] {
        let found = dispatcher
            .get_json(&format!("/api/v1/organisations?q={wildcard}"))
            .await;
        assert_eq!(found["items"], json!([]), "q={wildcard}");
    }

    // Every page in name order, without repeats: 200 new companies and the demo city's four.
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let url = match &cursor {
            Some(c) => {
                format!("/api/v1/organisations?kind=management_company&limit=100&cursor={c}")
            }
            None => "/api/v1/organisations?kind=management_company&limit=100".to_owned(),
        };
        let page = dispatcher.get_json(&url).await;
        for item in page["items"].as_array().unwrap() {
            assert_eq!(item["kind"], "management_company");
            names.push(item["name"].as_str().unwrap().to_lowercase());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(names.len(), 204);
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 204, "no repeats");
    assert_eq!(names, sorted, "pages follow the name order");

    // A retired company leaves the active list and stays findable among the retired.
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/admin/organisations/{}", ids[149])))
        .bearer_auth(&admin.token)
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let active = dispatcher
        .get_json(
            "/api/v1/organisations?q=%D0%BA%D0%B2%D0%B0%D1%80%D1%82%D0%B0%D0%BB-150&active=true",
        )
        .await;
    assert_eq!(active["items"], json!([]));
    let retired = dispatcher
        .get_json(
            "/api/v1/organisations?q=%D0%BA%D0%B2%D0%B0%D1%80%D1%82%D0%B0%D0%BB-150&active=false",
        )
        .await;
    assert_eq!(retired["items"][0]["active"], false);

    // Limits and cursors.
    for bad in ["limit=0", "limit=101", &format!("q={}", "a".repeat(101))] {
        let (status, code) = problem_code(
            dispatcher
                .get(&format!("/api/v1/organisations?{bad}"))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (400, "invalid_query"), "{bad}");
    }
    let (status, code) = problem_code(
        dispatcher
            .get("/api/v1/organisations?cursor=0193a5b0-7c1e-7d3a-9f00-00000000ffff")
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (400, "invalid_cursor"));
}

async fn only_the_citys_staff_read_the_directory(app: TestApp) {
    for role in ["dispatcher", "inspector", "clerk", "admin"] {
        let user = User::new(&app, role).await;
        let page = user.get_json("/api/v1/organisations").await;
        assert!(!page["items"].as_array().unwrap().is_empty(), "{role}");
    }
    for role in ["resident", "company"] {
        let user = User::new(&app, role).await;
        let (status, code) = problem_code(user.get("/api/v1/organisations").await).await;
        assert_eq!((status, code.as_str()), (403, "forbidden"), "{role}");
    }
    let (status, _) = problem_code(app.get("/api/v1/organisations", None).await).await;
    assert_eq!(status, 401);
}
