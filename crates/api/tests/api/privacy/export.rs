//! Access: a resident's own export (JSON and the printable page), a clerk's export for a person
//! without an account (audited with a reason), and nothing of anyone else's.

use serde_json::{Value, json};

use super::history_layout::clerk_filed_story;
use crate::helpers::{TestApp, User, fixtures, pdf_text};

on_both_databases!(
    a_resident_downloads_their_own_data_and_nothing_else,
    a_clerk_exports_a_person_without_an_account_with_a_reason,
);

/// A PDF small enough to pass the checks.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

async fn a_resident_downloads_their_own_data_and_nothing_else(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
    );
    let mine = resident
        .file(&building, &category, "Не работает <b>домофон</b>")
        .await["complaint"]
        .clone();
    let id = mine["id"].as_str().unwrap();
    let uploaded = app
        .client
        .post(app.url(&format!(
            "/api/v1/complaints/{id}/attachments?filename=akt.pdf"
        )))
        .bearer_auth(&resident.token)
        .header("content-type", "application/pdf")
        .body(PDF.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let foreign = clerk_filed_story(&app, "+7 922 123-45-67").await;

    let export = resident.get_json("/api/v1/me/export").await;
    assert_eq!(export["profile"]["kind"], "account");
    assert_eq!(export["profile"]["login"], "resident@demo.test");
    let complaints = export["complaints"].as_array().unwrap();
    assert_eq!(complaints.len(), 1, "only their own: {export}");
    let c = &complaints[0];
    assert_eq!(c["number"], mine["number"]);
    assert_eq!(c["description"], "Не работает <b>домофон</b>");
    assert_eq!(c["history"][0]["kind"], "registered");
    assert_eq!(c["attachments"][0]["filename"], "akt.pdf");
    let link = c["attachments"][0]["url"].as_str().unwrap();
    assert_eq!(resident.get(link).await.status(), 200, "the link works");
    let text = export.to_string();
    assert!(!text.contains(foreign["number"].as_str().unwrap()));
    assert!(!text.contains("Петров Иван"));
    assert!(!text.contains("Петров из кв. 7"));

    // The printable page: Russian, the data escaped.
    let page = resident.get("/api/v1/me/export?format=html").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Персональные данные"));
    assert!(html.contains(mine["number"].as_str().unwrap()));
    assert!(html.contains("Не работает &lt;b&gt;домофон&lt;/b&gt;"));
    assert!(!html.contains("<b>домофон"));
    assert_eq!(
        resident.get("/api/v1/me/export?format=xml").await.status(),
        400
    );

    // The printable PDF: the same sections, the text read back with pdftotext; not cached.
    for path in ["/api/v1/me/export.pdf", "/api/v1/me/export?format=pdf"] {
        let response = resident.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let pdf = pdf_text(&response.bytes().await.unwrap());
        for expected in [
            "ПЕРСОНАЛЬНЫЕ ДАННЫЕ",
            "resident@demo.test",
            mine["number"].as_str().unwrap(),
            "Не работает <b>домофон</b>",
            "Жалоба зарегистрирована",
            "akt.pdf",
            "СОГЛАСИЯ НА ОБРАБОТКУ",
            "УВЕДОМЛЕНИЯ",
        ] {
            assert!(pdf.contains(expected), "{expected:?} missing from:\n{pdf}");
        }
        assert!(!pdf.contains(foreign["number"].as_str().unwrap()));
        assert!(!pdf.contains("Петров Иван"), "{pdf}");
    }
    assert_eq!(company.get("/api/v1/me/export.pdf").await.status(), 403);

    // Someone else's data: staff have no "own data" here, and a resident finds no one else.
    assert_eq!(company.get("/api/v1/me/export").await.status(), 403);
    let someone = json!({ "phone": "+79221234567", "reason": "Любопытство" });
    assert_eq!(
        resident
            .post("/api/v1/persons/export", &someone)
            .await
            .status(),
        404
    );
    assert_eq!(
        company
            .post("/api/v1/persons/export", &someone)
            .await
            .status(),
        404
    );
    // And the foreign complaint's attachments stay out of reach, as before.
    let foreign_id = foreign["id"].as_str().unwrap();
    assert_eq!(
        resident
            .get(&format!("/api/v1/complaints/{foreign_id}"))
            .await
            .status(),
        404
    );
}

async fn a_clerk_exports_a_person_without_an_account_with_a_reason(app: TestApp) {
    let c = clerk_filed_story(&app, "+7 922 123-45-67").await;
    clerk_filed_story(&app, "+7 922 765-43-21").await;
    let (clerk, admin) = (
        User::new(&app, "clerk").await,
        User::new(&app, "admin").await,
    );
    let request = json!({ "phone": "8 922 123 45 67", "reason": "Запрос вх. № 18" });
    let response = clerk.post("/api/v1/persons/export", &request).await;
    assert_eq!(response.status(), 200);
    let export: Value = response.json().await.unwrap();
    assert_eq!(export["profile"]["kind"], "person");
    assert_eq!(export["profile"]["name"], "Петров Иван Сергеевич");
    assert_eq!(export["profile"]["phone"], "+79221234567");
    let complaints = export["complaints"].as_array().unwrap();
    assert_eq!(complaints.len(), 1, "{export}");
    assert_eq!(complaints[0]["number"], c["number"]);
    assert_eq!(complaints[0]["history"].as_array().unwrap().len(), 4);
    assert_eq!(export["consents"][0]["version"], domain::CONSENT_VERSION);

    let mut page = request.clone();
    page["format"] = json!("html");
    let response = admin.post("/api/v1/persons/export", &page).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Петров Иван Сергеевич"));
    page["format"] = json!("pdf");
    let response = clerk.post("/api/v1/persons/export", &page).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let pdf = pdf_text(&response.bytes().await.unwrap());
    for expected in [
        "Петров Иван Сергеевич",
        "+79221234567",
        c["number"].as_str().unwrap(),
        domain::CONSENT_VERSION,
    ] {
        assert!(pdf.contains(expected), "{expected:?} missing from:\n{pdf}");
    }

    // Each export is in the audit log with who and why, not with the phone.
    let db = app.direct_connection().await;
    use sea_orm::ConnectionTrait;
    let backend = db.get_database_backend();
    let cast = match backend {
        sea_orm::DbBackend::Postgres => "details::text",
        _ => "CAST(details AS TEXT)",
    };
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            format!(
                "SELECT {cast} AS details FROM audit_log WHERE action = 'personal_data.exported'"
            ),
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "JSON, HTML and PDF");
    let details: String = rows[0].try_get("", "details").unwrap();
    assert!(details.contains("Запрос вх. № 18"), "{details}");
    assert!(!details.contains("79221234567"), "{details}");

    // Without a reason, or for an unknown phone: nothing.
    let mut no_reason = request.clone();
    no_reason["reason"] = json!("");
    assert_eq!(
        clerk
            .post("/api/v1/persons/export", &no_reason)
            .await
            .status(),
        422
    );
    let unknown = json!({ "phone": "+79990000000", "reason": "Запрос" });
    assert_eq!(
        clerk
            .post("/api/v1/persons/export", &unknown)
            .await
            .status(),
        404
    );
}
