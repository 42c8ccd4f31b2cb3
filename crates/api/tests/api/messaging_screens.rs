//! The screens of SMS and e-mail over HTTP: a person's choices (`/me/messaging`), the delivery
//! log and its daily counts, and the message templates.

use std::time::Duration as StdDuration;

use chrono::{Duration, FixedOffset, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, User};
use crate::messaging::{PHONE, Sinks, clerk_files, noon, tick_until_sms, with_sinks};
use crate::sinks::eventually;

on_both_databases!(
    preferences_round_trip_and_refuse_what_is_not_offered,
    a_stopped_number_is_shown_and_resumed_by_switching_sms_on,
    company_staff_choose_a_digest_interval,
    deliveries_and_templates_are_not_for_everyone,
    invalid_templates_are_refused_naming_the_field,
    the_preview_fills_the_text_and_counts_segments,
);

on_both_databases_with_sinks!(
    the_delivery_log_masks_recipients_and_the_daily_counts_match,
    an_edited_template_changes_the_next_sms,
);

async fn put(user: &User<'_>, path: &str, body: &Value) -> reqwest::Response {
    user.app
        .client
        .put(user.app.url(path))
        .bearer_auth(&user.token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn delete(user: &User<'_>, path: &str) -> reqwest::Response {
    user.app
        .client
        .delete(user.app.url(path))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap()
}

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    body
}

fn enabled(settings: &Value, kind: &str, channel: &str) -> Option<bool> {
    settings["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["channel"] == channel)
        .map(|c| c["enabled"].as_bool().unwrap())
}

async fn preferences_round_trip_and_refuse_what_is_not_offered(app: TestApp) {
    let resident = User::new(&app, "resident").await;
    let settings = resident.get_json("/api/v1/me/messaging").await;
    // Everything offered is on until the person chooses, and their own contacts are in full.
    assert_eq!(enabled(&settings, "done", "sms"), Some(true));
    assert_eq!(enabled(&settings, "closed", "email"), Some(true));
    assert_eq!(enabled(&settings, "new_for_company", "email"), None);
    assert_eq!(settings["phone"], "+79220000001");
    assert_eq!(settings["email"], "resident@demo.test");
    assert_eq!(settings["sms_stopped"], false);
    assert_eq!(settings["digest_offered"], false);

    let saved = put(
        &resident,
        "/api/v1/me/messaging",
        &json!({ "choices": [
            { "kind": "closed", "channel": "sms", "enabled": false },
            { "kind": "routed", "channel": "email", "enabled": false }
        ], "language": "en" }),
    )
    .await;
    assert_eq!(saved.status(), 200);
    let again = resident.get_json("/api/v1/me/messaging").await;
    assert_eq!(enabled(&again, "closed", "sms"), Some(false));
    assert_eq!(enabled(&again, "routed", "email"), Some(false));
    assert_eq!(enabled(&again, "done", "sms"), Some(true));
    assert_eq!(again["language"], "en");

    // A channel the role is not offered: 422 naming the choice.
    let refused = problem(
        put(
            &resident,
            "/api/v1/me/messaging",
            &json!({ "choices": [
                { "kind": "done", "channel": "sms", "enabled": true },
                { "kind": "new_for_company", "channel": "email", "enabled": true }
            ] }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(refused["code"], "validation_failed");
    assert!(refused["errors"]["choices[1]"].is_array(), "{refused}");
    let company = User::new(&app, "company").await;
    let refused = problem(
        put(
            &company,
            "/api/v1/me/messaging",
            &json!({ "choices": [{ "kind": "new_for_company", "channel": "sms", "enabled": true }] }),
        )
        .await,
        422,
    )
    .await;
    assert!(refused["errors"]["choices[0]"].is_array(), "{refused}");
    // A resident has no digest.
    let refused = problem(
        put(
            &resident,
            "/api/v1/me/messaging",
            &json!({ "choices": [], "digest_minutes": 30 }),
        )
        .await,
        422,
    )
    .await;
    assert!(refused["errors"]["digest_minutes"].is_array(), "{refused}");
    // Nothing refused was saved.
    assert_eq!(
        resident.get_json("/api/v1/me/messaging").await["choices"],
        again["choices"]
    );
    // Anonymous: 401.
    assert_eq!(app.get("/api/v1/me/messaging", None).await.status(), 401);
}

async fn a_stopped_number_is_shown_and_resumed_by_switching_sms_on(app: TestApp) {
    let resident = User::new(&app, "resident").await;
    persistence::messaging::inbound::stop(&app.state.db, "+79220000001", Utc::now())
        .await
        .unwrap();
    let settings = resident.get_json("/api/v1/me/messaging").await;
    assert_eq!(settings["sms_stopped"], true);
    assert!(settings["sms_stopped_at"].is_string());
    // Saving without switching any SMS on leaves the stop in place.
    let kept = put(
        &resident,
        "/api/v1/me/messaging",
        &json!({ "choices": [{ "kind": "closed", "channel": "email", "enabled": false }] }),
    )
    .await;
    assert_eq!(kept.status(), 200);
    let kept: Value = kept.json().await.unwrap();
    assert_eq!(kept["sms_stopped"], true);
    // Switching SMS on resumes them.
    let resumed = put(
        &resident,
        "/api/v1/me/messaging",
        &json!({ "choices": [{ "kind": "done", "channel": "sms", "enabled": true }] }),
    )
    .await;
    let resumed: Value = resumed.json().await.unwrap();
    assert_eq!(resumed["sms_stopped"], false);
    assert!(
        !persistence::messaging::inbound::is_stopped(&app.state.db, "+79220000001")
            .await
            .unwrap()
    );
}

async fn company_staff_choose_a_digest_interval(app: TestApp) {
    let company = User::new(&app, "company").await;
    let settings = company.get_json("/api/v1/me/messaging").await;
    assert_eq!(settings["digest_offered"], true);
    assert_eq!(settings["digest_minutes"], Value::Null);
    assert_eq!(enabled(&settings, "new_for_company", "email"), Some(true));
    let saved: Value = put(
        &company,
        "/api/v1/me/messaging",
        &json!({ "choices": [], "digest_minutes": 30 }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(saved["digest_minutes"], 30);
    for minutes in [4, 1441] {
        let refused = problem(
            put(
                &company,
                "/api/v1/me/messaging",
                &json!({ "choices": [], "digest_minutes": minutes }),
            )
            .await,
            422,
        )
        .await;
        assert!(refused["errors"]["digest_minutes"].is_array(), "{refused}");
    }
    // Back to one e-mail per complaint.
    let saved: Value = put(&company, "/api/v1/me/messaging", &json!({ "choices": [] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["digest_minutes"], Value::Null);
}

async fn deliveries_and_templates_are_not_for_everyone(app: TestApp) {
    for role in ["resident", "clerk", "company", "inspector"] {
        let user = User::new(&app, role).await;
        for path in ["/api/v1/admin/deliveries", "/api/v1/admin/deliveries/daily"] {
            let body = problem(user.get(path).await, 403).await;
            assert_eq!(body["code"], "forbidden", "{role} {path}");
        }
    }
    // The city department reads the log but not the templates.
    let dispatcher = User::new(&app, "dispatcher").await;
    dispatcher.get_json("/api/v1/admin/deliveries").await;
    dispatcher.get_json("/api/v1/admin/deliveries/daily").await;
    problem(dispatcher.get("/api/v1/admin/message-templates").await, 403).await;
    problem(
        put(
            &dispatcher,
            "/api/v1/admin/message-templates/routed/sms/ru",
            &json!({ "body": "{number}" }),
        )
        .await,
        403,
    )
    .await;
    let admin = User::new(&app, "admin").await;
    let list = admin.get_json("/api/v1/admin/message-templates").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), domain::default_templates().len());
    assert!(items.iter().all(|t| t["is_default"] == true));
    // A kind and channel without a template, or a bad day range: 404 and 400.
    problem(
        put(
            &admin,
            "/api/v1/admin/message-templates/receipt/email/ru",
            &json!({ "subject": "{number}", "body": "{number}" }),
        )
        .await,
        404,
    )
    .await;
    // `to` before `from` is an empty table; a range too long is cut to its last 92 days.
    let empty = admin
        .get_json("/api/v1/admin/deliveries/daily?from=2026-03-10&to=2026-03-01")
        .await;
    assert_eq!(empty["days"], json!([]));
    let cut = admin
        .get_json("/api/v1/admin/deliveries/daily?from=2026-01-01&to=2026-06-01")
        .await;
    assert_eq!(cut["from"], "2026-03-02");
    assert_eq!(cut["to"], "2026-06-01");
    let bad = problem(
        admin.get("/api/v1/admin/deliveries?day=tomorrow").await,
        400,
    )
    .await;
    assert_eq!(bad["code"], "invalid_query");
    problem(admin.get("/api/v1/admin/deliveries?cursor=nope").await, 400).await;
}

async fn invalid_templates_are_refused_naming_the_field(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let path = "/api/v1/admin/message-templates/routed/sms/ru";
    for (body, field) in [
        (json!({ "body": "Жалоба {numbr}" }), "body"),
        (json!({ "body": "Жалоба {number}: {description}" }), "body"),
        (json!({ "body": "Жалоба {number}, {address}" }), "body"),
        (json!({ "body": "PIN {pin}" }), "body"),
        (json!({ "body": "я".repeat(461) }), "body"),
        (json!({ "subject": "Тема", "body": "{number}" }), "subject"),
    ] {
        let refused = problem(put(&admin, path, &body).await, 422).await;
        assert_eq!(refused["code"], "validation_failed");
        assert!(refused["errors"][field].is_array(), "{body} → {refused}");
    }
    let refused = problem(
        put(
            &admin,
            "/api/v1/admin/message-templates/closed/email/ru",
            &json!({ "subject": "Жалоба {phone}", "body": "{number}" }),
        )
        .await,
        422,
    )
    .await;
    assert!(refused["errors"]["subject"].is_array(), "{refused}");
    // An e-mail may carry the building's address.
    let saved = put(
        &admin,
        "/api/v1/admin/message-templates/closed/email/ru",
        &json!({ "subject": "Жалоба {number} закрыта", "body": "{category}, {address}" }),
    )
    .await;
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["is_default"], false);
    assert_eq!(saved["default_body"], "Жалоба {number} закрыта. Спасибо!");
    // And back to the default.
    let reset = delete(&admin, "/api/v1/admin/message-templates/closed/email/ru").await;
    assert_eq!(reset.status(), 200);
    let reset: Value = reset.json().await.unwrap();
    assert_eq!(reset["is_default"], true);
    assert_eq!(reset["body"], "Жалоба {number} закрыта. Спасибо!");
}

async fn the_preview_fills_the_text_and_counts_segments(app: TestApp) {
    let admin = User::new(&app, "admin").await;
    let preview = admin
        .post(
            "/api/v1/admin/message-templates/preview",
            &json!({ "kind": "receipt", "channel": "sms", "language": "ru",
                     "body": "Жалоба {number} принята. PIN {pin}. Статус: {lookup_url}" }),
        )
        .await;
    assert_eq!(preview.status(), 200);
    let preview: Value = preview.json().await.unwrap();
    let text = preview["text"].as_str().unwrap();
    assert!(
        text.contains("СУР-2026-000123") && !text.contains('{'),
        "{text}"
    );
    assert_eq!(
        preview["segments"], 2,
        "Cyrillic past 70 characters: UCS-2 in parts"
    );
    let latin = admin
        .post(
            "/api/v1/admin/message-templates/preview",
            &json!({ "kind": "closed", "channel": "sms", "language": "en", "body": "Closed." }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(latin["segments"], 1);
    assert_eq!(latin["characters"], 7);
    let mail = admin
        .post(
            "/api/v1/admin/message-templates/preview",
            &json!({ "kind": "closed", "channel": "email", "language": "ru",
                     "subject": "Жалоба {number}", "body": "{address}" }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(mail["segments"], Value::Null);
    assert_eq!(mail["subject"], "Жалоба СУР-2026-000123");
    let refused = problem(
        admin
            .post(
                "/api/v1/admin/message-templates/preview",
                &json!({ "kind": "closed", "channel": "sms", "language": "ru", "body": "{code}" }),
            )
            .await,
        422,
    )
    .await;
    assert!(refused["errors"]["body"].is_array(), "{refused}");
}

async fn the_delivery_log_masks_recipients_and_the_daily_counts_match(s: Sinks) {
    let filed = clerk_files(&s.app, PHONE).await;
    let pin = filed["pin"].as_str().unwrap().to_owned();
    let resident = User::new(&s.app, "resident").await;
    let (building, category, _) = crate::helpers::fixtures(&s.app).await;
    resident.file(&building, &category, "Течёт кран").await;
    tick_until_sms(&s, noon(), 1).await;
    eventually(StdDuration::from_secs(20), "the e-mails arrive", || async {
        api::worker::tick(&s.app.state, noon()).await.unwrap();
        !s.mail.to("company@demo.test").is_empty()
    })
    .await;
    let id: uuid::Uuid = filed["complaint"]["id"].as_str().unwrap().parse().unwrap();
    eventually(
        StdDuration::from_secs(10),
        "the receipt is delivered",
        || async {
            api::worker::tick(&s.app.state, noon()).await.unwrap();
            persistence::messaging::deliveries::of_complaint(&s.app.state.db, id)
                .await
                .unwrap()
                .iter()
                .any(|d| d.state == domain::DeliveryState::Delivered)
        },
    )
    .await;

    let admin = User::new(&s.app, "admin").await;
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/admin/deliveries?limit=2&cursor={c}"),
            None => "/api/v1/admin/deliveries?limit=2".to_owned(),
        };
        let page = admin.get_json(&path).await;
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert!(all.len() >= 3, "{all:?}");
    let ids: std::collections::HashSet<&str> =
        all.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len(), "no row twice across pages");
    let json = serde_json::to_string(&all).unwrap();
    assert!(
        !json.contains(PHONE) && !json.contains("+79220000001"),
        "{json}"
    );
    assert!(!json.contains("resident@demo.test"), "{json}");
    assert!(!json.contains(&pin), "never the PIN");
    let receipt = all.iter().find(|d| d["kind"] == "receipt").unwrap();
    assert_eq!(receipt["recipient"], "+7 *** ***-45-67");
    assert_eq!(receipt["state"], "delivered");
    assert_eq!(receipt["receipt_status"], "DELIVRD");
    assert_eq!(receipt["segments"], 2);
    assert!(receipt["gateway_id"].is_string());
    assert_eq!(receipt["attempts"], 1);
    let emails: Vec<&str> = all
        .iter()
        .filter(|d| d["channel"] == "email")
        .map(|d| d["recipient"].as_str().unwrap())
        .collect();
    assert!(!emails.is_empty());
    for shown in emails {
        let (first, rest) = shown.split_at(1);
        assert!(first.chars().all(|c| c.is_ascii_lowercase()), "{shown}");
        assert_eq!(rest, "***@demo.test", "{shown}");
    }

    // Filters: by channel and state.
    let sms = admin
        .get_json("/api/v1/admin/deliveries?channel=sms&limit=200")
        .await;
    let sms = sms["items"].as_array().unwrap();
    assert!(sms.iter().all(|d| d["channel"] == "sms"));
    let delivered = admin
        .get_json("/api/v1/admin/deliveries?state=delivered&limit=200")
        .await;
    assert!(
        delivered["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "delivered")
    );

    // The daily table counts the same rows.
    let zone = FixedOffset::east_opt(domain::SURGUT_UTC_OFFSET_SECONDS).unwrap();
    let today = Utc::now().with_timezone(&zone).date_naive();
    let daily = admin
        .get_json(&format!(
            "/api/v1/admin/deliveries/daily?from={}&to={}",
            today - Duration::days(1),
            today + Duration::days(2)
        ))
        .await;
    let days = daily["days"].as_array().unwrap();
    let sum = |channel: &str, field: &str| -> u64 {
        days.iter()
            .filter(|d| d["channel"] == channel)
            .map(|d| d[field].as_u64().unwrap())
            .sum()
    };
    let count = |channel: &str, state: &str| {
        all.iter()
            .filter(|d| d["channel"] == channel && d["state"] == state)
            .count() as u64
    };
    for channel in ["sms", "email"] {
        assert_eq!(
            sum(channel, "delivered"),
            count(channel, "delivered"),
            "{channel}"
        );
        assert_eq!(sum(channel, "sent"), count(channel, "sent"), "{channel}");
        assert_eq!(
            sum(channel, "pending"),
            count(channel, "queued"),
            "{channel}"
        );
        assert_eq!(
            sum(channel, "failed"),
            count(channel, "failed"),
            "{channel}"
        );
    }
    let segments: u64 = sms.iter().filter_map(|d| d["segments"].as_u64()).sum();
    assert_eq!(sum("sms", "segments"), segments);
    assert!(sum("sms", "delivered") >= 1);
    // One day in the filter lists only that day's rows.
    let day = days[0]["day"].as_str().unwrap();
    let of_day = admin
        .get_json(&format!("/api/v1/admin/deliveries?day={day}&limit=200"))
        .await;
    let in_table: u64 = days
        .iter()
        .filter(|d| d["day"] == day)
        .map(|d| {
            ["pending", "sent", "delivered", "failed", "suppressed"]
                .iter()
                .map(|f| d[*f].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();
    assert_eq!(of_day["items"].as_array().unwrap().len() as u64, in_table);
}

async fn an_edited_template_changes_the_next_sms(s: Sinks) {
    let admin = User::new(&s.app, "admin").await;
    let saved = put(
        &admin,
        "/api/v1/admin/message-templates/receipt/sms/ru",
        &json!({ "body": "Принято: {number}, PIN {pin}. {lookup_url}" }),
    )
    .await;
    assert_eq!(saved.status(), 200);
    let filed = clerk_files(&s.app, PHONE).await;
    tick_until_sms(&s, noon(), 1).await;
    let texts = s.smsc.texts_to(PHONE);
    let number = filed["complaint"]["number"].as_str().unwrap();
    assert!(
        texts[0].starts_with(&format!("Принято: {number}, PIN ")),
        "{texts:?}"
    );
    // Reset: the next receipt has the default words again.
    assert_eq!(
        delete(&admin, "/api/v1/admin/message-templates/receipt/sms/ru")
            .await
            .status(),
        200
    );
    clerk_files(&s.app, "+79221234568").await;
    tick_until_sms(&s, noon(), 2).await;
    assert!(s.smsc.texts_to("+79221234568")[0].starts_with("Жалоба "));
}
