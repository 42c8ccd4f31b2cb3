//! Photos and PDFs: type by content, metadata stripped, photos turned upright, size limits,
//! served only to those who may see the complaint.

use crate::helpers::{TestApp, User, fixtures};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ImageEncoder, ImageFormat, Rgb, RgbImage};
use serde_json::Value;

on_both_databases!(
    attachments_are_checked_cleaned_and_private,
    phone_photos_come_back_upright_in_their_format
);

const GPS: &[u8] = b"GPS 61.2540N 73.3960E serial 1234";

/// An EXIF block whose only tag is orientation 6 (turn 90° clockwise to view), followed by bytes
/// standing in for a GPS position and a camera serial.
fn exif_rotate_90() -> Vec<u8> {
    let mut v = b"II*\0".to_vec(); // little-endian TIFF
    v.extend_from_slice(&8u32.to_le_bytes()); // the first IFD follows
    v.extend_from_slice(&1u16.to_le_bytes()); // with one entry:
    v.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation, SHORT, 1, 6
    v.extend_from_slice(&0u32.to_le_bytes()); // and no next IFD
    v.extend_from_slice(GPS);
    v
}

/// 30×20, lying on its side as a phone stores it: the left half red, the right half blue.
fn landscape() -> RgbImage {
    RgbImage::from_fn(30, 20, |x, _| {
        if x < 15 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    })
}

/// Writes the landscape photo with [`exif_rotate_90`] through `encoder`.
fn photo(mut encoder: impl ImageEncoder) {
    encoder.set_exif_metadata(exif_rotate_90()).unwrap();
    encoder
        .write_image(landscape().as_raw(), 30, 20, image::ExtendedColorType::Rgb8)
        .unwrap();
}

fn jpeg_with_gps() -> Vec<u8> {
    let mut v = Vec::new();
    photo(JpegEncoder::new_with_quality(&mut v, 95));
    v
}

fn webp_with_gps() -> Vec<u8> {
    let mut v = Vec::new();
    photo(WebPEncoder::new_lossless(&mut v));
    v
}

/// A one-page PDF with an information dictionary naming its author.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n4 0 obj<</Author(Ivanova)>>endobj\ntrailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n";

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
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    // A page at a time: the second page starts after the first one's cursor.
    let first = resident
        .get_json(&format!("/api/v1/complaints/{id}/attachments?limit=1"))
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = resident
        .get_json(&format!(
            "/api/v1/complaints/{id}/attachments?limit=1&cursor={cursor}"
        ))
        .await;
    assert_eq!(second["items"][0]["id"], list["items"][1]["id"]);
    assert!(second["next_cursor"].is_null());
    assert_eq!(
        resident
            .get(&format!("/api/v1/complaints/{id}/attachments?limit=101"))
            .await
            .status(),
        400
    );

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
    assert_eq!(
        upload(
            &resident,
            id,
            "application/pdf",
            b"%PDF-1.7\n%%EOF\n".to_vec()
        )
        .await
        .status(),
        422
    );
    let pdf = upload(&resident, id, "application/pdf", PDF.to_vec()).await;
    assert_eq!(pdf.status(), 201);
    let pdf: Value = pdf.json().await.unwrap();
    let download = company.get(pdf["url"].as_str().unwrap()).await;
    assert_eq!(download.headers()["content-type"], "application/pdf");
    let bytes = download.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    assert!(!bytes.windows(7).any(|w| w == b"Ivanova"), "no /Info");
}

/// Downloads an attachment as `user`, checking its type, and decodes it.
async fn download_image(
    user: &User<'_>,
    saved: &Value,
    format: ImageFormat,
) -> (Vec<u8>, RgbImage) {
    let response = user.get(saved["url"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        saved["content_type"].as_str().unwrap()
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let image = image::load_from_memory_with_format(&bytes, format)
        .unwrap()
        .to_rgb8();
    (bytes, image)
}

async fn phone_photos_come_back_upright_in_their_format(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
    );
    let c = resident
        .file(&building, &category, "Протекает крыша над кухней")
        .await["complaint"]
        .clone();
    let id = c["id"].as_str().unwrap();

    for (mime, body, format, extension) in [
        ("image/jpeg", jpeg_with_gps(), ImageFormat::Jpeg, "jpg"),
        ("image/webp", webp_with_gps(), ImageFormat::WebP, "webp"),
    ] {
        assert!(body.windows(GPS.len()).any(|w| w == GPS));
        let response = resident
            .app
            .client
            .post(app.url(&format!("/api/v1/complaints/{id}/attachments")))
            .bearer_auth(&resident.token)
            .header("content-type", mime)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{mime}");
        let saved: Value = response.json().await.unwrap();
        assert_eq!(saved["content_type"], mime);
        assert_eq!(saved["filename"], format!("attachment.{extension}"));

        let (bytes, image) = download_image(&company, &saved, format).await;
        assert_eq!(saved["size_bytes"], bytes.len());
        assert_eq!(image.dimensions(), (20, 30), "{mime} stands upright");
        assert!(image.get_pixel(10, 3)[0] > 150, "{mime}: the top is red");
        assert!(
            image.get_pixel(10, 26)[2] > 150,
            "{mime}: the bottom is blue"
        );
        for needle in [&b"Exif"[..], b"EXIF", GPS] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{mime}: no EXIF"
            );
        }
    }
}
