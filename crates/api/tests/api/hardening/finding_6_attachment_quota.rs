//! Finding 6: attachments were unbounded. A complaint now holds a bounded number of files and
//! bytes, and one account uploads a bounded volume a day; parallel uploads cannot overshoot.
use serde_json::Value;

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with};

/// A one-page PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

mod finding_6_attachments_are_bounded_per_complaint_and_per_uploader_day {
    use super::*;

    async fn app(backend: Backend) -> TestApp {
        spawn_app_with(
            backend,
            Options {
                env: vec![
                    ("APP_ATTACHMENTS_PER_COMPLAINT", "3".to_owned()),
                    ("APP_ATTACHMENTS_PER_USER_DAY", "5".to_owned()),
                ],
                ..Options::default()
            },
        )
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::bounded(app(Backend::Sqlite).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::bounded(app(Backend::Postgres).await).await;
    }
}

async fn upload(user: &User<'_>, complaint: &Value) -> reqwest::Response {
    user.app
        .client
        .post(user.app.url(&format!(
            "/api/v1/complaints/{}/attachments?filename=act.pdf",
            complaint["id"].as_str().unwrap()
        )))
        .bearer_auth(&user.token)
        .header("content-type", "application/pdf")
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap()
}

async fn code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

async fn bounded(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let company = User::new(&app, "company").await;
    let dispatcher = User::new(&app, "dispatcher").await;
    let mut complaints = Vec::new();
    for text in ["Водосток оторван", "Разбито окно", "Дверь не закрывается"]
    {
        complaints.push(resident.file(&building, &category, text).await["complaint"].clone());
    }
    let (a, b, c) = (&complaints[0], &complaints[1], &complaints[2]);

    // The complaint is full after three files, whoever uploads the fourth.
    for _ in 0..3 {
        assert_eq!(upload(&resident, a).await.status(), 201);
    }
    assert_eq!(
        code(upload(&resident, a).await).await,
        (409, "action_not_possible".to_owned())
    );
    assert_eq!(
        code(upload(&company, a).await).await,
        (409, "action_not_possible".to_owned())
    );
    let listed: Value = resident
        .get_json(&format!(
            "/api/v1/complaints/{}/attachments",
            a["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        3,
        "nothing past the bound is stored"
    );

    // The resident's day: five files on all complaints, then 429 with Retry-After.
    for _ in 0..2 {
        assert_eq!(upload(&resident, b).await.status(), 201);
    }
    let refused = upload(&resident, b).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(code(refused).await, (429, "daily_limit_reached".to_owned()));
    // Somebody else's day is their own.
    assert_eq!(upload(&company, b).await.status(), 201);

    // Eight parallel uploads to an empty complaint store exactly three.
    let results = futures_util::future::join_all((0..8).map(|_| upload(&dispatcher, c))).await;
    let created = results.iter().filter(|r| r.status() == 201).count();
    assert_eq!(
        created,
        3,
        "{:?}",
        results
            .iter()
            .map(reqwest::Response::status)
            .collect::<Vec<_>>()
    );
    assert!(
        results
            .iter()
            .all(|r| matches!(r.status().as_u16(), 201 | 409)),
        "no other answer under contention"
    );
}
