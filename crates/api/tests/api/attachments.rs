//! Photos and PDFs: type by content, metadata stripped, size limits, served only to those who
//! may see the complaint.

use crate::helpers::{TestApp, User, fixtures};
use serde_json::Value;

on_both_databases!(attachments_are_checked_cleaned_and_private);

fn jpeg_with_gps() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0GPS 61.2540N 73.3960E serial 1234";
    v.extend_from_slice(&[0xFF, 0xE1]);
    v.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    v.extend_from_slice(exif);
    v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0x00]);
    v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
    v
}

async fn upload(
    user: &User<'_>,
    complaint: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    user.app
        .client
        .post(user.app.url(&format!(
            "/api/v1/complaints/{complaint}/attachments?filename=%D1%84%D0%BE%D1%82%D0%BE.jpg"
        )))
        .bearer_auth(&user.token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn attachments_are_checked_cleaned_and_private(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, other_company, admin) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
        User::new(&app, "admin").await,
    );
    let c = resident
        .file(&building, &category, "Разбито окно в подъезде")
        .await["complaint"]
        .clone();
    let id = c["id"].as_str().unwrap();

    let response = upload(&resident, id, "image/jpeg", jpeg_with_gps()).await;
    assert_eq!(response.status(), 201);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["kind"], "complaint");
    assert_eq!(saved["filename"], "фото.jpg");
    assert_eq!(saved["content_type"], "image/jpeg");

    // The company downloads it: same image, no EXIF.
    let url = saved["url"].as_str().unwrap();
    let download = company.get(url).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    let bytes = download.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    assert!(!bytes.windows(3).any(|w| w == b"GPS"), "EXIF is stripped");
    // The company's own photo is a work report.
    let report = upload(&company, id, "application/octet-stream", jpeg_with_gps()).await;
    assert_eq!(report.json::<Value>().await.unwrap()["kind"], "work_report");
    let list = resident
        .get_json(&format!("/api/v1/complaints/{id}/attachments"))
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // Others see nothing.
    assert_eq!(other_company.get(url).await.status(), 404);
    assert_eq!(
        other_company
            .get(&format!("/api/v1/complaints/{id}/attachments"))
            .await
            .status(),
        404
    );
    assert_eq!(
        upload(&other_company, id, "image/jpeg", jpeg_with_gps())
            .await
            .status(),
        404
    );
    assert_eq!(app.get(url, None).await.status(), 401);

    // Type by content, size limits, damaged files, roles.
    assert_eq!(
        upload(&resident, id, "image/jpeg", b"<html><script>".to_vec())
            .await
            .status(),
        415
    );
    assert_eq!(
        upload(&resident, id, "image/png", jpeg_with_gps())
            .await
            .status(),
        415
    );
    assert_eq!(
        upload(
            &resident,
            id,
            "image/jpeg",
            vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF]
        )
        .await
        .status(),
        422
    );
    let mut huge = jpeg_with_gps();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    assert_eq!(
        upload(&resident, id, "image/jpeg", huge).await.status(),
        413
    );
    assert_eq!(
        upload(&admin, id, "image/jpeg", jpeg_with_gps())
            .await
            .status(),
        403
    );
    let pdf = upload(
        &resident,
        id,
        "application/pdf",
        b"%PDF-1.7\n%%EOF\n".to_vec(),
    )
    .await;
    assert_eq!(pdf.status(), 201);
}
