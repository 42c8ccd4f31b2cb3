//! Orders that cannot be skipped, fines under КоАП РФ as data and the 59-ФЗ extension
//! (issue 15), over HTTP.

use crate::helpers::{TestApp, User, fixtures};
use serde_json::{Value, json};

on_both_databases!(
    fines_are_recorded_under_an_article_within_its_range,
    a_satisfied_call_under_an_order_goes_to_the_compliance_check,
    the_administrator_keeps_the_articles,
    the_dispatcher_extends_the_answer_deadline_once_and_the_resident_is_told,
    a_category_change_never_moves_a_filed_complaints_deadlines,
);

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    body
}

async fn fines_are_recorded_under_an_article_within_its_range(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, dispatcher, inspector) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "inspector").await,
    );
    let articles = app
        .get("/api/v1/fine-articles", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let art_7_22 = articles
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "7.22")
        .expect("7.22 is in the register");
    assert_eq!(
        art_7_22["legal_entity"],
        json!({ "min": 40000, "max": 50000 })
    );
    assert_eq!(art_7_22["official"], json!({ "min": 4000, "max": 5000 }));

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
    // Before anything is found there is nothing to fine.
    let fine = json!({ "type": "record_fine", "article": "7.22", "offender": "legal_entity", "amount_rub": 45000 });
    let early = problem(inspector.act(&c, fine.clone()).await, 409).await;
    assert_eq!(early["code"], "action_not_possible");

    let c = inspector
        .ok(&c, json!({ "type": "record_findings", "violation": true, "findings": "Течь трубы в подвале" }))
        .await;
    assert!(
        c["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("record_fine"))
    );

    // An amount outside the official's range, an unknown article: 422 naming the field.
    let too_much = problem(
        inspector
            .act(&c, json!({ "type": "record_fine", "article": "7.22", "offender": "official", "amount_rub": 45000 }))
            .await,
        422,
    )
    .await;
    assert!(too_much["errors"]["amount_rub"].is_array(), "{too_much}");
    let unknown = problem(
        inspector
            .act(&c, json!({ "type": "record_fine", "article": "99.99", "offender": "official", "amount_rub": 4500 }))
            .await,
        422,
    )
    .await;
    assert!(unknown["errors"]["article"].is_array(), "{unknown}");
    // Who may not fine hears so, whatever the article.
    let forbidden = problem(
        dispatcher
            .act(&c, json!({ "type": "record_fine", "article": "99.99", "offender": "official", "amount_rub": 4500 }))
            .await,
        403,
    )
    .await;
    assert_eq!(forbidden["code"], "forbidden");

    // Fined at once, on site: no order involved.
    let c = inspector.ok(&c, fine).await;
    assert_eq!(c["status"], "under_inspection");
    let events = inspector
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    let recorded = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "record_fine")
        .unwrap();
    assert_eq!(recorded["details"]["article"], "7.22");
    assert_eq!(recorded["details"]["offender"], "legal_entity");
    assert_eq!(recorded["details"]["legal_basis"], "КоАП РФ ст. 7.22");
    assert_eq!(recorded["details"]["amount_rub"], 45000);
    assert!(recorded["details"].get("order_id").is_none(), "{recorded}");
}

async fn a_satisfied_call_under_an_order_goes_to_the_compliance_check(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company, dispatcher, inspector) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
        User::new(&app, "inspector").await,
    );
    let c = resident
        .file(&building, &category, "Не закрывается дверь подъезда")
        .await["complaint"]
        .clone();
    let c = dispatcher
        .ok(
            &c,
            json!({ "type": "send_to_inspection", "reason": "Нарушение подтверждено соседями" }),
        )
        .await;
    let c = inspector
        .ok(
            &c,
            json!({ "type": "record_findings", "violation": true, "findings": "Доводчик сломан" }),
        )
        .await;
    let due = chrono::Utc::now() + chrono::Duration::days(5);
    let c = inspector
        .ok(
            &c,
            json!({ "type": "issue_order", "due_at": due, "text": "Заменить доводчик" }),
        )
        .await;
    let c = company
        .ok(
            &c,
            json!({ "type": "report_done", "note": "Доводчик заменён" }),
        )
        .await;
    assert_eq!(c["status"], "awaiting_verification");
    // The order in force cannot be rejected away either.
    assert!(
        !c["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("reject"))
    );
    let rejected = problem(
        dispatcher
            .act(
                &c,
                json!({ "type": "reject", "reason": "other", "comment": "Закрыть" }),
            )
            .await,
        409,
    )
    .await;
    assert_eq!(rejected["code"], "action_not_possible");

    let c = dispatcher
        .ok(&c, json!({ "type": "record_call", "outcome": "satisfied" }))
        .await;
    assert_eq!(
        c["status"], "under_inspection",
        "not closed with the order unchecked"
    );
    assert_eq!(c["order"]["complied"], Value::Null);
    let c = inspector
        .ok(&c, json!({ "type": "check_compliance", "complied": true }))
        .await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["order"]["complied"], true);
    let events = inspector
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    let call = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "record_call")
        .unwrap();
    assert_eq!(call["details"]["compliance_check"], true);
}

async fn the_administrator_keeps_the_articles(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let inspector = User::new(&app, "inspector").await;
    let put = |user: &User<'_>, code: &str, body: Value| {
        let request = app
            .client
            .put(app.url(&format!("/api/v1/admin/fine-articles/{code}")))
            .bearer_auth(&user.token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let body = json!({
        "title_ru": "Нарушение нормативов обеспечения населения коммунальными услугами",
        "legal_entity": { "min": 6000, "max": 12000 },
        "official": { "min": 600, "max": 1200 }
    });
    assert_eq!(put(&inspector, "7.23", body.clone()).await.status(), 403);

    let reversed = json!({
        "title_ru": "Что-то",
        "legal_entity": { "min": 9000, "max": 100 },
        "official": { "min": 600, "max": 1200 }
    });
    let refused = problem(put(&admin, "7.23", reversed).await, 422).await;
    assert!(refused["errors"]["legal_entity"].is_array(), "{refused}");
    let bad_code = problem(put(&admin, "abc", body.clone()).await, 422).await;
    assert!(bad_code["errors"]["code"].is_array(), "{bad_code}");

    let saved = put(&admin, "7.23", body).await;
    assert_eq!(saved.status(), 200);
    let listed = app
        .get("/api/v1/fine-articles", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let art = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "7.23")
        .unwrap();
    assert_eq!(art["legal_entity"], json!({ "min": 6000, "max": 12000 }));

    // Retired: kept for the administrator, offered for no new fine.
    let retired = put(
        &admin,
        "7.23",
        json!({
            "title_ru": "Нарушение нормативов",
            "legal_entity": { "min": 6000, "max": 12000 },
            "official": { "min": 600, "max": 1200 },
            "is_active": false
        }),
    )
    .await;
    assert_eq!(retired.status(), 200);
    let public = app
        .get("/api/v1/fine-articles", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        !public
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["code"] == "7.23")
    );
    let all = admin.get_json("/api/v1/admin/fine-articles").await;
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|a| a["code"] == "7.23" && a["is_active"] == false)
    );
}

async fn the_dispatcher_extends_the_answer_deadline_once_and_the_resident_is_told(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, dispatcher) = (
        User::new(&app, "resident").await,
        User::new(&app, "dispatcher").await,
    );
    let c = resident
        .file(&building, &category, "Нет горячей воды третий день")
        .await["complaint"]
        .clone();
    let before: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(c["answer_due_at"].clone()).unwrap();
    // The resident sees no such action; the dispatcher does.
    assert!(
        !c["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("extend_answer"))
    );
    let seen = dispatcher
        .get_json(&format!("/api/v1/complaints/{}", c["id"].as_str().unwrap()))
        .await;
    assert!(
        seen["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("extend_answer"))
    );

    let too_long = problem(
        dispatcher
            .act(
                &c,
                json!({ "type": "extend_answer", "days": 31, "reason": "Проверка" }),
            )
            .await,
        422,
    )
    .await;
    assert!(too_long["errors"]["days"].is_array(), "{too_long}");

    let reason = "Запрошены сведения у ресурсоснабжающей организации";
    let c = dispatcher
        .ok(
            &c,
            json!({ "type": "extend_answer", "days": 30, "reason": reason }),
        )
        .await;
    let after: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(c["answer_due_at"].clone()).unwrap();
    assert_eq!(after - before, chrono::Duration::days(30));
    assert_eq!(c["status"], "registered");
    assert!(
        !c["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("extend_answer"))
    );
    let again = problem(
        dispatcher
            .act(
                &c,
                json!({ "type": "extend_answer", "days": 5, "reason": "Ещё раз" }),
            )
            .await,
        409,
    )
    .await;
    assert_eq!(again["code"], "action_not_possible");

    // The history records it with the reason; the resident hears of it in the app.
    let events = resident
        .get_json(&format!(
            "/api/v1/complaints/{}/events",
            c["id"].as_str().unwrap()
        ))
        .await;
    let extension = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "extend_answer")
        .unwrap();
    assert_eq!(extension["details"]["extended_by_days"], 30);
    assert_eq!(extension["comment"], reason);
    api::worker::tick(&app.state, chrono::Utc::now())
        .await
        .unwrap();
    let inbox = resident.get_json("/api/v1/notifications").await;
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["complaint_id"] == c["id"] && n["kind"] == "extend_answer")
        .unwrap_or_else(|| panic!("no notice of the extension in {inbox}"));
    assert!(
        told["text"]
            .as_str()
            .unwrap()
            .contains("срок ответа продлён"),
        "{told}"
    );
}

async fn a_category_change_never_moves_a_filed_complaints_deadlines(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (admin, resident, company, dispatcher) = (
        User::new(&app, "admin").await,
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "dispatcher").await,
    );
    let c = resident
        .file(&building, &category, "Не работает лифт во втором подъезде")
        .await["complaint"]
        .clone();
    // The administrator shortens the category to one hour.
    let changed = app
        .client
        .patch(app.url(&format!("/api/v1/admin/categories/{category}")))
        .bearer_auth(&admin.token)
        .json(&json!({ "deadline": { "unit": "hours", "value": 1 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);

    // The complaint filed before comes back for a second round: its deadline is a share of the
    // category's deadline as it was at filing (days), not of the new one hour.
    let c = company.ok(&c, json!({ "type": "accept" })).await;
    let c = company
        .ok(&c, json!({ "type": "report_done", "note": "Лифт запущен" }))
        .await;
    let c = dispatcher
        .ok(
            &c,
            json!({ "type": "record_call", "outcome": "unsatisfied" }),
        )
        .await;
    assert_eq!(c["round"], 2);
    let due: chrono::DateTime<chrono::Utc> = serde_json::from_value(c["due_at"].clone()).unwrap();
    assert!(
        due - chrono::Utc::now() > chrono::Duration::hours(12),
        "the second round is due {due}: the category's new one hour was applied"
    );

    // A complaint filed now is due in one hour.
    let fresh = resident
        .file(&building, &category, "Снова не работает лифт")
        .await["complaint"]
        .clone();
    let registered: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(fresh["registered_at"].clone()).unwrap();
    let due: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(fresh["due_at"].clone()).unwrap();
    assert_eq!(due - registered, chrono::Duration::hours(1));
}
