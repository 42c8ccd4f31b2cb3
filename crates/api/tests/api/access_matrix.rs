//! Function-level access: every role against every operation, over HTTP. Object-level rules
//! (another company, another resident) answer 404 so that existence never leaks.

use crate::helpers::{TestApp, User, fixtures};
use serde_json::{Value, json};

on_both_databases!(
    endpoints_by_role,
    every_transition_by_role_on_a_registered_complaint,
);

const ROLES: [&str; 7] = [
    "resident",
    "resident2",
    "clerk",
    "company",
    "company2",
    "dispatcher",
    "inspector",
];

async fn endpoints_by_role(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let c = resident
        .file(&building, &category, "Не работает освещение")
        .await["complaint"]
        .clone();
    let id = c["id"].as_str().unwrap();
    let complaint = format!("/api/v1/complaints/{id}");
    let filing = json!({ "building_id": building, "category_id": category, "description": "Проверка прав доступа" });

    // (method, path, body, expected status for: anonymous, resident, resident2, clerk, company, company2, dispatcher, inspector, admin)
    let table: Vec<(&str, String, Option<Value>, [u16; 9])> = vec![
        (
            "GET",
            "/api/v1/me".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/complaints".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/complaints".into(),
            Some(filing),
            [401, 201, 201, 422, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            complaint.clone(),
            None,
            [401, 200, 404, 404, 200, 404, 200, 200, 200],
        ),
        (
            "GET",
            format!("{complaint}/events"),
            None,
            [401, 200, 404, 404, 200, 404, 200, 200, 200],
        ),
        (
            "GET",
            format!("{complaint}/attachments"),
            None,
            [401, 200, 404, 404, 200, 404, 200, 200, 200],
        ),
        (
            "POST",
            format!("{complaint}/reveal-phone"),
            Some(json!({"reason": "Звонок по проверке"})),
            [401, 403, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "GET",
            format!("{complaint}/duplicates"),
            None,
            [401, 200, 404, 404, 200, 404, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/complaints/similar?building_id={building}"),
            None,
            [401, 200, 200, 200, 403, 403, 200, 403, 403],
        ),
        (
            "POST",
            format!("{complaint}/followers"),
            Some(json!({})),
            [401, 409, 200, 422, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/v1/notifications".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/admin/users".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/admin/api-keys".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        ("GET", "/api/v1/public/scorecard".into(), None, [200; 9]),
        ("GET", "/api/v1/public/complaints".into(), None, [200; 9]),
        ("GET", "/api/v1/categories".into(), None, [200; 9]),
    ];
    let mut tokens: Vec<Option<String>> = vec![None];
    for role in ROLES.iter().chain(&["admin"]) {
        tokens.push(Some(app.login_as(role).await));
    }
    let names = [
        "anonymous",
        "resident",
        "resident2",
        "clerk",
        "company",
        "company2",
        "dispatcher",
        "inspector",
        "admin",
    ];
    for (method, path, body, expected) in &table {
        for (who, token) in tokens.iter().enumerate() {
            let mut request = app.client.request(method.parse().unwrap(), app.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let status = request.send().await.unwrap().status().as_u16();
            assert_eq!(status, expected[who], "{method} {path} as {}", names[who]);
        }
    }
}

/// (action, the roles for which it succeeds on a registered complaint). Every other role gets
/// 403 (never its action), 404 (cannot see the complaint) or 409 (its action, wrong status).
fn actions(dispatcher_company: &str) -> Vec<(Value, &'static str, &'static str)> {
    vec![
        (json!({ "type": "accept" }), "company", "accept"),
        (
            json!({ "type": "assign_executor", "executor": "Иванов" }),
            "company",
            "accept",
        ),
        (
            json!({ "type": "report_done", "note": "Готово" }),
            "company",
            "wrong_status",
        ),
        (
            json!({ "type": "not_our_building", "reason": "Не наш дом" }),
            "company",
            "accept",
        ),
        (
            json!({ "type": "pause_clock", "reason": "Нет доступа" }),
            "company",
            "accept",
        ),
        (json!({ "type": "resume_clock" }), "company", "wrong_status"),
        (
            json!({ "type": "reroute", "company_id": dispatcher_company }),
            "dispatcher",
            "accept",
        ),
        (
            json!({ "type": "record_call", "outcome": "satisfied" }),
            "dispatcher",
            "wrong_status",
        ),
        (
            json!({ "type": "send_to_inspection", "reason": "Проверка" }),
            "dispatcher",
            "accept",
        ),
        (
            json!({ "type": "reject", "reason": "not_housing_matter", "comment": "Не ЖКХ" }),
            "dispatcher",
            "accept",
        ),
        (
            json!({ "type": "resident_answer", "satisfied": true }),
            "resident",
            "wrong_status",
        ),
        (json!({ "type": "withdraw" }), "resident", "accept"),
        (
            json!({ "type": "record_findings", "violation": true, "findings": "Есть" }),
            "inspector",
            "wrong_status",
        ),
        (
            json!({ "type": "issue_order", "due_at": "2099-01-01T00:00:00Z", "text": "Устранить" }),
            "inspector",
            "wrong_status",
        ),
        (
            json!({ "type": "check_compliance", "complied": true }),
            "inspector",
            "wrong_status",
        ),
        (
            json!({ "type": "record_fine", "article": "19.5 ч.1", "offender": "legal_entity", "amount_rub": 10000 }),
            "inspector",
            "wrong_status",
        ),
    ]
}

async fn every_transition_by_role_on_a_registered_complaint(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let other_company = User::new(&app, "company2").await;
    let other_company_id = other_company.get_json("/api/v1/me").await["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut users = Vec::new();
    for role in ROLES.iter().chain(&["admin"]) {
        users.push((*role, User::new(&app, role).await));
    }
    let shared = resident
        .file(&building, &category, "Матрица прав: общая жалоба")
        .await["complaint"]
        .clone();
    assert_eq!(shared["status"], "registered");
    for (action, owner, outcome) in actions(&other_company_id) {
        for (role, user) in &users {
            let sees = matches!(
                *role,
                "resident" | "company" | "dispatcher" | "inspector" | "admin"
            );
            let expected = if !sees {
                404
            } else if *role != owner {
                403
            } else if outcome == "wrong_status" {
                409
            } else {
                // Apply it to a complaint of its own, so that the shared one stays registered.
                let fresh = resident
                    .file(&building, &category, "Матрица прав: отдельная жалоба")
                    .await["complaint"]
                    .clone();
                let response = user.act(&fresh, action.clone()).await;
                assert_eq!(response.status(), 200, "{action} as {role}");
                continue;
            };
            let response = user.act(&shared, action.clone()).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            assert_eq!(status, expected, "{action} as {role}: {body}");
        }
    }
    let still = resident
        .get_json(&format!(
            "/api/v1/complaints/{}",
            shared["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (still["status"].as_str(), still["version"].as_i64()),
        (Some("registered"), Some(1)),
        "refusals change nothing"
    );
}
