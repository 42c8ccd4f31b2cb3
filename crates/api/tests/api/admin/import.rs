//! The CSV import of buildings.

use super::{BOM, all_pages, company_of, expect_code, import};
use crate::helpers::{TestApp, User};
use serde_json::{Value, json};

on_both_databases!(
    csv_import_takes_good_rows_and_reports_bad_ones,
    csv_import_refuses_what_it_cannot_read,
);

/// Good rows, and one bad row of each kind, with the lines they are on (the header is line 1).
fn sample_csv(separator: char, tag: &str, inn: &str, existing: &str) -> (String, Vec<usize>) {
    let s = separator;
    // Excel in Russia writes decimal commas and quotes only what needs it.
    let (lat, lon, q) = if s == ';' {
        ("61,2551", "73,3844", "")
    } else {
        ("61.2551", "73.3844", "\"")
    };
    let rows = [
        // 2: a good row, quoted because the address has commas, with a company.
        format!(
            "{q}г. Сургут, улица {tag}, д. 1{q}{s}Центральный{s}0c5b2444-70a0-4932-980c-b4dc0d3f02b5{s}{lat}{s}{lon}{s}{inn}"
        ),
        // 3: bad coordinates.
        format!("{q}г. Сургут, улица {tag}, д. 2{q}{s}Центральный{s}{s}95{s}{lon}{s}"),
        // 4: an unknown company.
        format!("{q}г. Сургут, улица {tag}, д. 3{q}{s}Центральный{s}{s}{s}{s}7700000000"),
        // 5: no address.
        format!("{s}Центральный{s}{s}{s}{s}"),
        // 6: an address already in the registry, in other letters.
        format!(
            "{q}{}{q}{s}Центральный{s}{s}{s}{s}",
            existing.to_uppercase()
        ),
        // 7: a good row without a company or coordinates.
        format!("{q}г. Сургут, улица {tag}, д. 4{q}{s}Северный жилой{s}{s}{s}{s}"),
        // 8: the same address as line 2.
        format!("{q}Г. Сургут, улица {tag}, д. 1{q}{s}Центральный{s}{s}{s}{s}"),
    ];
    let header = [
        "address",
        "district",
        "fias_id",
        "latitude",
        "longitude",
        "company_inn",
    ]
    .join(&s.to_string());
    let csv = format!("{BOM}{header}\r\n{}\r\n\r\n", rows.join("\r\n"));
    (csv, vec![3, 4, 5, 6, 8])
}

async fn csv_import_takes_good_rows_and_reports_bad_ones(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let company = company_of(&User::new(&app, "company").await).await;
    let existing = admin.get_json("/api/v1/admin/buildings?limit=1").await["items"][0]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();

    for (separator, tag, content_type) in [
        (',', "Запятая", "text/csv"),
        (';', "Точка с запятой", "text/csv; charset=utf-8"),
    ] {
        let (csv, bad_lines) = sample_csv(separator, tag, "8602000001", &existing);
        let response = import(&admin, csv, content_type).await;
        assert_eq!(response.status(), 200, "{separator}");
        let report: Value = response.json().await.unwrap();
        assert_eq!(report["imported"], 2, "{separator}: {report}");
        let rejected = report["rejected"].as_array().unwrap();
        let lines: Vec<u64> = rejected
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert_eq!(
            lines,
            bad_lines.iter().map(|&l| l as u64).collect::<Vec<_>>(),
            "{report}"
        );
        let first_error = |line: u64| {
            rejected.iter().find(|r| r["line"] == line).unwrap()["errors"][0]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(first_error(3).starts_with("latitude:"), "{report}");
        assert!(first_error(4).starts_with("company_inn:"), "{report}");
        assert!(first_error(5).starts_with("address:"), "{report}");
        assert!(
            first_error(6).contains("already in the registry"),
            "{report}"
        );
        assert!(first_error(8).contains("line 2"), "{report}");

        // The good rows are in the registry, with their company and management period.
        let found = admin
            .get_json(&format!(
                "/api/v1/admin/buildings?q={}&limit=200",
                tag.split(' ').next().unwrap()
            ))
            .await;
        let found = found["items"].as_array().unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        let with_company = found
            .iter()
            .find(|b| b["address"] == format!("г. Сургут, улица {tag}, д. 1"))
            .unwrap();
        assert_eq!(with_company["company"]["id"], company.as_str());
        assert_eq!(with_company["latitude"], 61.2551);
        assert_eq!(with_company["longitude"], 73.3844);
        assert_eq!(
            with_company["fias_id"],
            "0c5b2444-70a0-4932-980c-b4dc0d3f02b5"
        );
        let history = admin
            .get_json(&format!(
                "/api/v1/admin/buildings/{}/management",
                with_company["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(history.as_array().unwrap().len(), 1);
        assert_eq!(history[0]["company"]["id"], company.as_str());
        let without = found
            .iter()
            .find(|b| b["address"] == format!("г. Сургут, улица {tag}, д. 4"))
            .unwrap();
        assert_eq!(without["company"], Value::Null);
        assert_eq!(without["district"], "Северный жилой");
    }
    let after = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();
    assert_eq!(after, before + 4);

    // The same file again: every row is now a duplicate or bad, nothing is added.
    let (csv, _) = sample_csv(',', "Запятая", "8602000001", &existing);
    let report: Value = import(&admin, csv, "text/csv").await.json().await.unwrap();
    assert_eq!(report["imported"], 0);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 7);

    // Only the header, without a BOM, in another column order and without optional columns.
    let report: Value = import(&admin, "district,address\n", "text/csv")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report, json!({ "imported": 0, "rejected": [] }));
    let report: Value = import(
        &admin,
        "District,Address\nЗападный,\"г. Сургут, улица Без колонок, д. 1\"\nЗападный,лишнее,поле\n",
        "text/csv",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["rejected"][0]["line"], 3);
}

async fn csv_import_refuses_what_it_cannot_read(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let before = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();

    // Larger than 2 MiB: 413 as a problem, and nothing is imported.
    let mut big = String::from("address,district\n");
    let mut n = 0;
    while big.len() <= 2 * 1024 * 1024 {
        n += 1;
        big.push_str(&format!(
            "\"г. Сургут, улица Длинная, д. {n}\",Центральный\n"
        ));
    }
    expect_code(
        import(&admin, big, "text/csv").await,
        413,
        "payload_too_large",
    )
    .await;

    expect_code(
        import(&admin, "address,district\n", "application/json").await,
        415,
        "unsupported_media_type",
    )
    .await;
    expect_code(
        import(
            &admin,
            "address,district\n",
            "text/csv; charset=windows-1251",
        )
        .await,
        415,
        "unsupported_media_type",
    )
    .await;
    // Windows-1251 bytes sent as UTF-8.
    expect_code(
        import(
            &admin,
            b"address,district\n\xcf\xf0\xe8,\xcc\xe8\xf0\n".to_vec(),
            "text/csv",
        )
        .await,
        422,
        "malformed_csv",
    )
    .await;
    for csv in [
        "",
        "\u{feff}\n\n",
        "address\nг. Сургут,Центральный\n",
        "address,district,floors\n",
    ] {
        expect_code(import(&admin, csv, "text/csv").await, 422, "malformed_csv").await;
    }
    let unauthenticated = app
        .client
        .post(app.url("/api/v1/admin/buildings/import"))
        .header("content-type", "text/csv")
        .body("address,district\n")
        .send()
        .await
        .unwrap();
    expect_code(unauthenticated, 401, "missing_token").await;

    let after = all_pages(&admin, "/api/v1/admin/buildings", 200)
        .await
        .len();
    assert_eq!(before, after);
}
