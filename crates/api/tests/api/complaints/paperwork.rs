//! The inspection's paperwork (issue 15) over HTTP: numbered orders and acts printed as PDF from
//! the administrator's template (the text checked with `pdftotext`), who may read them, the
//! registers of orders and fines with CSV, and the inspector's visits.

use chrono::{Datelike, Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures, pdf_text};

on_both_databases!(
    orders_and_acts_are_numbered_and_printed_for_those_who_may_read_them,
    the_template_is_data_and_an_unknown_placeholder_is_refused,
    the_registers_show_status_sums_and_only_a_companys_own,
    the_inspector_schedules_visits_ahead_and_sees_them_on_the_calendar,
);

/// A complaint with findings (an act) and an order; returns it.
async fn inspected_with_order(app: &TestApp, findings: &str, order_text: &str) -> Value {
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
    let c = inspector
        .ok(
            &c,
            json!({ "type": "record_findings", "violation": true, "findings": findings }),
        )
        .await;
    let due = Utc::now() + Duration::days(5);
    inspector
        .ok(
            &c,
            json!({ "type": "issue_order", "due_at": due, "text": order_text }),
        )
        .await
}

async fn papers(user: &User<'_>, complaint: &Value) -> Vec<Value> {
    let id = complaint["id"].as_str().unwrap();
    user.get_json(&format!("/api/v1/complaints/{id}/papers"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

async fn orders_and_acts_are_numbered_and_printed_for_those_who_may_read_them(app: TestApp) {
    let year = Utc::now().year();
    let first = inspected_with_order(&app, "Течь трубы в подвале", "Устранить течь").await;
    let second = inspected_with_order(&app, "Сломан доводчик", "Заменить доводчик").await;
    let inspector = User::new(&app, "inspector").await;
    let one = papers(&inspector, &first).await;
    let two = papers(&inspector, &second).await;
    let number = |p: &[Value], kind: &str| {
        p.iter().find(|x| x["kind"] == kind).unwrap()["number"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Gapless per year and per kind.
    assert_eq!(number(&one, "order"), format!("П-{year}-00001"));
    assert_eq!(number(&two, "order"), format!("П-{year}-00002"));
    assert_eq!(number(&one, "act"), format!("А-{year}-00001"));
    assert_eq!(number(&two, "act"), format!("А-{year}-00002"));

    let order = one.iter().find(|x| x["kind"] == "order").unwrap();
    let url = order["pdf_url"].as_str().unwrap();
    let response = inspector.get(url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let text = pdf_text(&response.bytes().await.unwrap());
    for expected in [
        "ПРЕДПИСАНИЕ",
        &format!("П-{year}-00001"),
        "Течь трубы в подвале",
        "Устранить течь",
        "Жилищного кодекса",
        "Срок исполнения: до",
        "Инспектор:",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let company_name =
        inspector.get_json("/api/v1/registers/orders").await["items"][0]["company_name"]
            .as_str()
            .unwrap()
            .to_owned();
    assert!(!company_name.is_empty());
    assert!(text.contains(&company_name), "{company_name} in {text}");
    let act = one.iter().find(|x| x["kind"] == "act").unwrap();
    let act_text = pdf_text(
        &inspector
            .get(act["pdf_url"].as_str().unwrap())
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert!(act_text.contains("АКТ ПРОВЕРКИ"), "{act_text}");
    assert!(act_text.contains(&format!("А-{year}-00001")), "{act_text}");

    // The inspection, the city department, the administrator (who reads every register) and the
    // company addressed read it; another company hears "not found"; the resident and the clerk
    // may not.
    for (role, status) in [
        ("dispatcher", 200),
        ("admin", 200),
        ("company", 200),
        ("company2", 404),
        ("resident", 403),
        ("clerk", 403),
    ] {
        let user = User::new(&app, role).await;
        assert_eq!(
            user.get(url).await.status(),
            status,
            "{role} reads the order"
        );
        let html = url.replace(".pdf", ".html");
        assert_eq!(
            user.get(&html).await.status(),
            status,
            "{role} reads the page"
        );
    }
    let unknown = format!("/api/v1/orders/{}/document.pdf", uuid::Uuid::now_v7());
    assert_eq!(inspector.get(&unknown).await.status(), 404);
    assert_eq!(app.get(url, None).await.status(), 401);
}

async fn put_template(
    app: &TestApp,
    admin: &User<'_>,
    kind: &str,
    body: &str,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/admin/document-templates/{kind}")))
        .bearer_auth(&admin.token)
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap()
}

async fn the_template_is_data_and_an_unknown_placeholder_is_refused(app: TestApp) {
    let c = inspected_with_order(&app, "Нет освещения", "Восстановить освещение").await;
    let (admin, inspector) = (
        User::new(&app, "admin").await,
        User::new(&app, "inspector").await,
    );
    let before = admin.get_json("/api/v1/admin/document-templates").await;
    let order_body = before.as_array().unwrap()[0]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(order_body.contains("{organisation}"));

    let refused = put_template(&app, &admin, "order", "Кому: {organisaton}").await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    let messages = problem["errors"]["body"].to_string();
    assert!(messages.contains("organisaton"), "{problem}");
    let after = admin.get_json("/api/v1/admin/document-templates").await;
    assert_eq!(after, before, "nothing saved");

    assert_eq!(
        put_template(&app, &inspector, "order", "{number}")
            .await
            .status(),
        403
    );
    assert_eq!(
        put_template(&app, &admin, "memo", "{number}")
            .await
            .status(),
        404
    );

    let saved = put_template(
        &app,
        &admin,
        "order",
        "ТРЕБОВАНИЕ {number}\nАдресат: {organisation}\nНарушения: {findings}",
    )
    .await;
    assert_eq!(saved.status(), 200);
    let order = papers(&inspector, &c).await;
    let url = order.iter().find(|x| x["kind"] == "order").unwrap()["pdf_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let text = pdf_text(&inspector.get(&url).await.bytes().await.unwrap());
    assert!(text.contains("ТРЕБОВАНИЕ П-"), "{text}");
    assert!(text.contains("Нарушения: Нет освещения"), "{text}");
    assert!(!text.contains("ПРЕДПИСАНИЕ"), "{text}");
}

/// Moves the order's deadline of `complaint` a day into the past, as if the time had come.
async fn past_due(app: &TestApp, user: &User<'_>, complaint: &Value) -> Value {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let db = app.direct_connection().await;
    let backend = db.get_database_backend();
    let id = uuid::Uuid::parse_str(complaint["id"].as_str().unwrap()).unwrap();
    let past = Utc::now() - Duration::days(1);
    for table in ["orders", "complaints"] {
        let column = if table == "orders" {
            "complaint_id"
        } else {
            "id"
        };
        let sql = match backend {
            DbBackend::Postgres => format!("UPDATE {table} SET due_at = $1 WHERE {column} = $2"),
            _ => format!("UPDATE {table} SET due_at = ? WHERE {column} = ?"),
        };
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [past.into(), id.into()],
        ))
        .await
        .unwrap();
    }
    user.get_json(&format!("/api/v1/complaints/{id}")).await
}

async fn the_registers_show_status_sums_and_only_a_companys_own(app: TestApp) {
    let open = inspected_with_order(&app, "Течь", "Устранить течь").await;
    let ignored = inspected_with_order(&app, "Мусор", "Вывезти мусор").await;
    let inspector = User::new(&app, "inspector").await;
    let ignored = past_due(&app, &inspector, &ignored).await;
    let overdue = inspector
        .get_json("/api/v1/registers/orders?status=overdue")
        .await;
    assert_eq!(overdue["items"][0]["complaint_id"], ignored["id"]);
    assert_eq!(overdue["totals"]["count"], 1);
    let ignored = inspector
        .ok(
            &ignored,
            json!({ "type": "check_compliance", "complied": false }),
        )
        .await;
    inspector
        .ok(&ignored, json!({ "type": "record_fine", "article": "7.22", "offender": "legal_entity", "amount_rub": 45000 }))
        .await;

    let all = inspector.get_json("/api/v1/registers/orders").await;
    assert_eq!(all["totals"], json!({ "count": 2, "sum_rub": 45000 }));
    let status_of = |id: &Value| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["complaint_id"] == *id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of(&open["id"]), "open");
    assert_eq!(status_of(&ignored["id"]), "fined");
    let fined = inspector
        .get_json("/api/v1/registers/orders?status=fined")
        .await;
    assert_eq!(fined["totals"]["count"], 1);
    assert_eq!(fined["items"][0]["fined_rub"], 45000);
    let open_only = inspector
        .get_json("/api/v1/registers/orders?status=open")
        .await;
    assert_eq!(open_only["items"][0]["complaint_id"], open["id"]);
    // Keyset pages.
    let page = inspector.get_json("/api/v1/registers/orders?limit=1").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = inspector
        .get_json(&format!("/api/v1/registers/orders?limit=1&cursor={cursor}"))
        .await;
    assert_ne!(next["items"][0]["id"], page["items"][0]["id"]);
    assert!(next["next_cursor"].is_null());

    let fines = inspector
        .get_json("/api/v1/registers/fines?article=7.22")
        .await;
    assert_eq!(fines["totals"], json!({ "count": 1, "sum_rub": 45000 }));
    assert_eq!(fines["items"][0]["offender"], "legal_entity");
    assert!(
        fines["items"][0]["order_number"]
            .as_str()
            .unwrap()
            .starts_with("П-")
    );

    let csv = inspector.get("/api/v1/registers/orders.csv").await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}Номер;Обращение"), "{csv}");
    assert!(
        csv.contains("оштрафовано") && csv.contains("открыто"),
        "{csv}"
    );
    let fines_csv = inspector
        .get("/api/v1/registers/fines.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        fines_csv.contains(";7.22;") && fines_csv.contains(";45000;"),
        "{fines_csv}"
    );

    // The city and the administrator see everything; the company its own; another company
    // nothing, whatever it asks for; a resident may not look.
    for role in ["dispatcher", "admin", "company"] {
        let page = User::new(&app, role)
            .await
            .get_json("/api/v1/registers/orders")
            .await;
        assert_eq!(page["totals"]["count"], 2, "{role}");
    }
    let other = User::new(&app, "company2").await;
    let owner = all["items"][0]["company_id"].as_str().unwrap();
    for path in [
        "/api/v1/registers/orders".to_owned(),
        format!("/api/v1/registers/orders?company_id={owner}"),
        "/api/v1/registers/fines".to_owned(),
    ] {
        assert_eq!(other.get_json(&path).await["totals"]["count"], 0, "{path}");
    }
    let other_csv = other
        .get("/api/v1/registers/fines.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!other_csv.contains("7.22"), "{other_csv}");
    let resident = User::new(&app, "resident").await;
    assert_eq!(resident.get("/api/v1/registers/orders").await.status(), 403);
    assert_eq!(
        resident.get("/api/v1/registers/fines.csv").await.status(),
        403
    );
    assert_eq!(
        inspector
            .get("/api/v1/registers/orders?from=2026-12-10T00:00:00Z&to=2026-12-01T00:00:00Z")
            .await
            .status(),
        400
    );
}

async fn the_inspector_schedules_visits_ahead_and_sees_them_on_the_calendar(app: TestApp) {
    let c = inspected_with_order(&app, "Течь", "Устранить течь").await;
    let (building, category, _) = fixtures(&app).await;
    let (resident, inspector, company, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "inspector").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );
    let fresh = resident.file(&building, &category, "Шумит лифт").await["complaint"].clone();
    let under = dispatcher
        .ok(
            &fresh,
            json!({ "type": "send_to_inspection", "reason": "Проверить" }),
        )
        .await;
    let visits = |id: &Value| format!("/api/v1/complaints/{}/visits", id.as_str().unwrap());
    let at = Utc::now() + Duration::days(2);

    let past = inspector
        .post(
            &visits(&under["id"]),
            &json!({ "at": Utc::now() - Duration::hours(1), "note": "" }),
        )
        .await;
    assert_eq!(past.status(), 422);
    let problem: Value = past.json().await.unwrap();
    assert!(problem["errors"]["at"].is_array(), "{problem}");
    // The complaint with an order is in progress, not under inspection.
    let not_now = inspector
        .post(&visits(&c["id"]), &json!({ "at": at, "note": "Осмотр" }))
        .await;
    assert_eq!(not_now.status(), 409);
    let by_company = company
        .post(&visits(&under["id"]), &json!({ "at": at, "note": "" }))
        .await;
    assert_eq!(by_company.status(), 403);

    let scheduled = inspector
        .post(
            &visits(&under["id"]),
            &json!({ "at": at, "note": "Осмотр лифта с УК" }),
        )
        .await;
    assert_eq!(scheduled.status(), 201);
    let calendar = inspector.get_json("/api/v1/inspection/visits").await;
    let calendar = calendar.as_array().unwrap();
    assert_eq!(calendar.len(), 1);
    assert_eq!(calendar[0]["note"], "Осмотр лифта с УК");
    assert_eq!(calendar[0]["complaint_number"], under["number"]);
    let later =
        (Utc::now() + Duration::days(10)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let empty = inspector
        .get_json(&format!("/api/v1/inspection/visits?from={later}"))
        .await;
    assert_eq!(empty.as_array().unwrap().len(), 0);
    assert_eq!(company.get("/api/v1/inspection/visits").await.status(), 403);
}
