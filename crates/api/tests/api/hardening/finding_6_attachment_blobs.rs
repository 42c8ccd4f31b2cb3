//! Finding 6: attachments' bytes left the `attachments` table for the blob store (the
//! `attachment_blobs` table, in parts), a download streams them back a part at a time, and every
//! path that deletes attachments (retention, erasure, the test-data purge) deletes their bytes.
use chrono::{TimeDelta, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with};
use crate::privacy::history_layout::clerk_filed_story;

on_both_databases!(finding_6_attachment_bytes_live_in_the_blob_store_and_stream_back);
on_both_databases!(finding_6_retention_and_erasure_delete_the_bytes);

mod finding_6_the_test_data_purge_deletes_the_bytes {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::purge(crate::helpers::Backend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::purge(crate::helpers::Backend::Postgres).await;
    }
}

/// A one-page PDF whose page content is about `size` bytes, uncompressed.
fn pdf_of(size: usize) -> Vec<u8> {
    let mut content = Vec::with_capacity(size + 32);
    let mut n = 0_u64;
    while content.len() < size {
        content.extend_from_slice(format!("% line {n:010}\n").as_bytes());
        n += 1;
    }
    let mut pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n".to_vec();
    pdf.extend_from_slice(format!("4 0 obj<</Length {}>>stream\n", content.len()).as_bytes());
    pdf.extend_from_slice(&content);
    pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
    pdf
}

/// Uploads `bytes` as a PDF; returns the 201 body.
async fn upload(user: &User<'_>, complaint_id: &str, bytes: Vec<u8>) -> Value {
    let response = user
        .app
        .client
        .post(user.app.url(&format!(
            "/api/v1/complaints/{complaint_id}/attachments?filename=act.pdf"
        )))
        .bearer_auth(&user.token)
        .header("content-type", "application/pdf")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

fn id_of(attachment: &Value) -> Uuid {
    attachment["id"].as_str().unwrap().parse().unwrap()
}

async fn parts(app: &TestApp, ids: &[Uuid]) -> u64 {
    persistence::attachments::stored_parts(&app.state.db, ids)
        .await
        .unwrap()
}

async fn finding_6_attachment_bytes_live_in_the_blob_store_and_stream_back(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let complaint = resident.file(&building, &category, "Трещина в стене").await;
    let id = complaint["complaint"]["id"].as_str().unwrap();
    let saved = upload(&resident, id, pdf_of(700 * 1024)).await;
    let size = saved["size_bytes"].as_u64().unwrap();
    assert!(size > 700 * 1024, "{saved}");

    // Stored in parts of 256 KiB, outside `attachments`, which has no column for bytes any more.
    let part = persistence::blobs::PART_BYTES as u64;
    assert_eq!(parts(&app, &[id_of(&saved)]).await, size.div_ceil(part));
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    assert!(
        db.query_one_raw(Statement::from_string(
            backend,
            "SELECT data FROM attachments".to_owned()
        ))
        .await
        .is_err(),
        "the bytes column is gone"
    );

    // The download gives every byte back, in order, with its length announced.
    let response = resident.get(saved["url"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(size));
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len() as u64, size);
    assert!(body.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&body);
    let first = text.find("% line 0000000000").unwrap();
    let last = text.find("% line 0000039000").unwrap();
    assert!(first < last, "the parts come back in order");

    // Somebody who may not see the complaint gets 404 and no bytes.
    let other = User::new(&app, "resident2").await;
    assert_eq!(
        other.get(saved["url"].as_str().unwrap()).await.status(),
        404
    );
}

async fn finding_6_retention_and_erasure_delete_the_bytes(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, clerk, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "clerk").await,
        User::new(&app, "company").await,
    );

    // Erasure of a person: their complaint's attachments go, bytes included.
    let story = clerk_filed_story(&app, "+7 922 123-45-67").await;
    let erased = upload(&company, story["id"].as_str().unwrap(), pdf_of(300 * 1024)).await;
    let kept_complaint = resident
        .file(&building, &category, "Не убирают подъезд")
        .await;
    let kept = upload(
        &resident,
        kept_complaint["complaint"]["id"].as_str().unwrap(),
        pdf_of(1024),
    )
    .await;
    assert_eq!(parts(&app, &[id_of(&erased)]).await, 2);
    let response = clerk
        .post(
            "/api/v1/persons/erasure",
            &json!({ "phone": "+79221234567", "ground": "consent_withdrawn", "reason": "Заявление вх. № 17" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["attachments_deleted"], 1, "{report}");
    assert_eq!(parts(&app, &[id_of(&erased)]).await, 0);
    assert_eq!(parts(&app, &[id_of(&kept)]).await, 1, "others' bytes stay");

    // Retention: attachments of a complaint closed three years ago go, bytes included.
    let closed = resident.file(&building, &category, "Шумят соседи").await["complaint"].clone();
    let old = upload(&resident, closed["id"].as_str().unwrap(), pdf_of(1024)).await;
    resident.ok(&closed, json!({ "type": "withdraw" })).await;
    let run = api::worker::tick(&app.state, Utc::now() + TimeDelta::days(4 * 365))
        .await
        .unwrap()
        .retention;
    assert_eq!(run.attachments_deleted, 1);
    assert_eq!(parts(&app, &[id_of(&old)]).await, 0);
    assert_eq!(
        parts(&app, &[id_of(&kept)]).await,
        1,
        "the open complaint's stay"
    );
}

async fn purge(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            pilot_mode: true,
            ..Options::default()
        },
    )
    .await;
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let complaint = resident
        .file(&building, &category, "Пилот: течёт кран")
        .await;
    let saved = upload(
        &resident,
        complaint["complaint"]["id"].as_str().unwrap(),
        pdf_of(300 * 1024),
    )
    .await;
    assert_eq!(parts(&app, &[id_of(&saved)]).await, 2);
    let admin = User::new(&app, "admin").await;
    let response = admin
        .post(
            "/api/v1/admin/test-data/purge",
            &json!({ "confirm": "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(parts(&app, &[id_of(&saved)]).await, 0);
}

on_both_databases!(finding_6_the_migration_moves_existing_bytes_both_ways);

/// Bytes stored before migration 000050 (in `attachments.data`) are moved into the blob store,
/// and back again when it is undone.
async fn finding_6_the_migration_moves_existing_bytes_both_ways(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let complaint = resident.file(&building, &category, "Трещина в стене").await;
    let id = complaint["complaint"]["id"].as_str().unwrap();
    let (big, small) = (
        upload(&resident, id, pdf_of(600 * 1024)).await,
        upload(&resident, id, pdf_of(10)).await,
    );
    let download = |attachment: Value| {
        let resident = &resident;
        async move {
            let response = resident.get(attachment["url"].as_str().unwrap()).await;
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap()
        }
    };
    let before = (download(big.clone()).await, download(small.clone()).await);

    // Undone: the bytes are back in `attachments.data`, whole, and the blob table is gone.
    persistence::migrate_down_to(&app.state.db, "m20261206_000047_deadline_at_filing")
        .await
        .unwrap();
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT data FROM attachments ORDER BY id".to_owned(),
        ))
        .await
        .unwrap();
    let stored: Vec<Vec<u8>> = rows
        .iter()
        .map(|row| row.try_get("", "data").unwrap())
        .collect();
    assert_eq!(stored, vec![before.0.to_vec(), before.1.to_vec()]);

    // Applied again: the same bytes come back from the blob store.
    persistence::migrate(&app.state.db).await.unwrap();
    assert_eq!(parts(&app, &[id_of(&big)]).await, 3);
    assert_eq!(parts(&app, &[id_of(&small)]).await, 1);
    let after = (download(big).await, download(small).await);
    assert_eq!(after, before);
}
