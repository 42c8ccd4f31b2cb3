//! The register of inspection acts (issue 15) over HTTP, in the style of the registers of orders
//! and fines: its rows and totals, the filters, keyset pages, the CSV file, each row's printed
//! document, and who sees what (a company its own acts only; a resident nothing).

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures, pdf_text};

on_both_databases!(the_register_of_acts_lists_filters_exports_and_keeps_to_a_companys_own,);

/// A complaint sent to the inspection whose act records `findings`; returns the complaint.
async fn inspected(app: &TestApp, violation: bool, findings: &str) -> Value {
    let (building, category, _) = fixtures(app).await;
    let (resident, dispatcher, inspector) = (
        User::new(app, "resident").await,
        User::new(app, "dispatcher").await,
        User::new(app, "inspector").await,
    );
    let c = resident
        .file(&building, &category, "Подвал затоплен, запах")
        .await["complaint"]
        .clone();
    let c = dispatcher
        .ok(
            &c,
            json!({ "type": "send_to_inspection", "reason": "Повторные жалобы" }),
        )
        .await;
    inspector
        .ok(
            &c,
            json!({ "type": "record_findings", "violation": violation, "findings": findings }),
        )
        .await
}

async fn the_register_of_acts_lists_filters_exports_and_keeps_to_a_companys_own(app: TestApp) {
    let leak = inspected(&app, true, "Течь трубы в подвале").await;
    let clean = inspected(&app, false, "Нарушений не найдено").await;
    let inspector = User::new(&app, "inspector").await;

    let all = inspector.get_json("/api/v1/registers/acts").await;
    assert_eq!(all["totals"], json!({ "count": 2, "violations": 1 }));
    // Newest first.
    assert_eq!(all["items"][0]["complaint_id"], clean["id"]);
    let row = &all["items"][1];
    assert_eq!(row["complaint_id"], leak["id"]);
    assert_eq!(row["complaint_number"], leak["number"]);
    assert_eq!(row["violation"], true);
    assert_eq!(row["findings"], "Течь трубы в подвале");
    assert!(row["number"].as_str().unwrap().starts_with("А-"), "{row}");
    assert!(!row["company_name"].as_str().unwrap().is_empty(), "{row}");
    assert!(!row["address"].as_str().unwrap().is_empty(), "{row}");
    assert!(!row["inspector_name"].as_str().unwrap().is_empty(), "{row}");
    // Each row opens the act's printed document.
    let pdf = row["pdf_url"].as_str().unwrap();
    assert_eq!(
        pdf,
        format!("/api/v1/acts/{}/document.pdf", row["id"].as_str().unwrap())
    );
    let text = pdf_text(&inspector.get(pdf).await.bytes().await.unwrap());
    assert!(text.contains("АКТ ПРОВЕРКИ"), "{text}");
    assert!(text.contains(row["number"].as_str().unwrap()), "{text}");
    assert_eq!(
        inspector
            .get(row["html_url"].as_str().unwrap())
            .await
            .status(),
        200
    );

    // Filters: the violation, the period, the company.
    let found = inspector
        .get_json("/api/v1/registers/acts?violation=true")
        .await;
    assert_eq!(found["totals"], json!({ "count": 1, "violations": 1 }));
    assert_eq!(found["items"][0]["complaint_id"], leak["id"]);
    let not_found = inspector
        .get_json("/api/v1/registers/acts?violation=false")
        .await;
    assert_eq!(not_found["items"][0]["complaint_id"], clean["id"]);
    assert_eq!(not_found["totals"]["count"], 1);
    let tomorrow = (Utc::now() + Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ");
    let later = inspector
        .get_json(&format!("/api/v1/registers/acts?from={tomorrow}"))
        .await;
    assert_eq!(later["totals"]["count"], 0);
    let owner = row["company_id"].as_str().unwrap().to_owned();
    let by_company = inspector
        .get_json(&format!("/api/v1/registers/acts?company_id={owner}"))
        .await;
    assert_eq!(by_company["totals"]["count"], 2);
    let stranger = uuid::Uuid::now_v7();
    let by_stranger = inspector
        .get_json(&format!("/api/v1/registers/acts?company_id={stranger}"))
        .await;
    assert_eq!(by_stranger["totals"]["count"], 0);

    // Keyset pages.
    let page = inspector.get_json("/api/v1/registers/acts?limit=1").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = inspector
        .get_json(&format!("/api/v1/registers/acts?limit=1&cursor={cursor}"))
        .await;
    assert_eq!(next["items"][0]["id"], all["items"][1]["id"]);
    assert!(next["next_cursor"].is_null());

    // The CSV file: a BOM, the Russian header, a row per act.
    let csv = inspector.get("/api/v1/registers/acts.csv").await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(
        csv.starts_with("\u{feff}Номер;Дата (UTC);Обращение"),
        "{csv}"
    );
    assert!(
        csv.contains(";выявлены;Течь трубы в подвале;")
            && csv.contains(";не выявлены;Нарушений не найдено;"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let violations_csv = inspector
        .get("/api/v1/registers/acts.csv?violation=false")
        .await
        .text()
        .await
        .unwrap();
    assert!(!violations_csv.contains("Течь трубы"), "{violations_csv}");

    // The city and the administrator see every act; the company its own; another company
    // nothing, whatever it asks for; a resident may not look.
    for role in ["dispatcher", "admin", "company"] {
        let page = User::new(&app, role)
            .await
            .get_json("/api/v1/registers/acts")
            .await;
        assert_eq!(page["totals"]["count"], 2, "{role}");
    }
    let other = User::new(&app, "company2").await;
    for path in [
        "/api/v1/registers/acts".to_owned(),
        format!("/api/v1/registers/acts?company_id={owner}"),
    ] {
        let page = other.get_json(&path).await;
        assert_eq!(page["totals"]["count"], 0, "{path}");
        assert_eq!(page["items"], json!([]), "{path}");
    }
    let other_csv = other
        .get("/api/v1/registers/acts.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!other_csv.contains("Течь трубы"), "{other_csv}");
    assert_eq!(other_csv.lines().count(), 1, "{other_csv}");
    let resident = User::new(&app, "resident").await;
    assert_eq!(resident.get("/api/v1/registers/acts").await.status(), 403);
    assert_eq!(
        resident.get("/api/v1/registers/acts.csv").await.status(),
        403
    );

    // Bad input is a 400 naming the problem, never a 500.
    for bad in [
        "/api/v1/registers/acts?from=2026-12-10T00:00:00Z&to=2026-12-01T00:00:00Z",
        "/api/v1/registers/acts?limit=0",
        "/api/v1/registers/acts?violation=maybe",
        "/api/v1/registers/acts.csv?unknown=1",
    ] {
        assert_eq!(inspector.get(bad).await.status(), 400, "{bad}");
    }
}
