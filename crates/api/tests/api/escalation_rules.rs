//! Issue 15: the worker evaluates every escalation rule on its own, each at most once per
//! complaint and threshold, across passes and replicas; the clock is passed in.

use crate::helpers::{TestApp, User, fixtures, spawn_replica};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

on_both_databases!(
    answer_deadline_reminder_fires_for_a_complaint_that_is_not_overdue,
    a_rule_48_hours_late_fires_then_not_before_and_once_across_replicas,
);

fn time(c: &Value, field: &str) -> DateTime<Utc> {
    c[field].as_str().unwrap().parse().unwrap()
}

/// Stores a policy version with these rules only (the numbers as compiled), in force from `from`.
async fn rules_only(app: &TestApp, rules: Vec<domain::EscalationRule>, from: DateTime<Utc>) {
    let admin = persistence::users::find_by_login(&app.state.db, "admin@demo.test")
        .await
        .unwrap()
        .unwrap();
    let set = domain::PolicySet {
        policy: domain::Policy::default(),
        rules,
    };
    persistence::policy::create(
        &app.state.db,
        &set,
        from,
        (admin.id, admin.login),
        Utc::now(),
    )
    .await
    .unwrap();
}

async fn answer_deadline_reminder_fires_for_a_complaint_that_is_not_overdue(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let (resident, company) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
    );
    let mut c = resident
        .file(&building, &category, "Не закрывается дверь подъезда")
        .await["complaint"]
        .clone();
    c = company.ok(&c, json!({ "type": "accept" })).await;
    // Waiting for the resident: the execution clock stands still, so it never runs late.
    c = company
        .ok(
            &c,
            json!({ "type": "pause_clock", "reason": "Нет доступа в подъезд" }),
        )
        .await;
    let answer_due = time(&c, "answer_due_at");

    let early = api::worker::tick(&app.state, answer_due - Duration::hours(80))
        .await
        .unwrap();
    assert_eq!((early.newly_overdue, early.flagged), (0, 0));
    let near = api::worker::tick(&app.state, answer_due - Duration::hours(71))
        .await
        .unwrap();
    assert_eq!(near.newly_overdue, 0, "not stage-overdue");
    assert_eq!(near.flagged, 1, "the 59-ФЗ reminder fires");
    let again = api::worker::tick(&app.state, answer_due - Duration::hours(70))
        .await
        .unwrap();
    assert_eq!(again.flagged, 0, "once per answer deadline");

    let dispatcher = User::new(&app, "dispatcher").await;
    let inbox = dispatcher.get_json("/api/v1/notifications").await;
    let texts: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["complaint_id"] == c["id"])
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("срок ответа по 59-ФЗ"), "{}", texts[0]);
}

async fn a_rule_48_hours_late_fires_then_not_before_and_once_across_replicas(app: TestApp) {
    let (building, _, emergency) = fixtures(&app).await;
    let late_48 = domain::EscalationRule {
        code: "late_48".into(),
        statuses: vec![domain::Status::Registered, domain::Status::InProgress],
        min_round: None,
        overdue_for_hours: Some(48),
        answer_due_within_hours: None,
        min_unanswered_calls: None,
        effect: domain::EscalationEffect::Notify {
            role: domain::Role::Dispatcher,
        },
    };
    rules_only(&app, vec![late_48], Utc::now() - Duration::seconds(1)).await;
    let resident = User::new(&app, "resident").await;
    let c = resident
        .file(&building, &emergency, "Нет отопления во всём доме")
        .await["complaint"]
        .clone();
    let due = time(&c, "due_at");

    let replica = spawn_replica(&app).await;
    let before = api::worker::tick(&app.state, due + Duration::hours(47))
        .await
        .unwrap();
    assert_eq!(before.newly_overdue, 1, "overdue, but not 48 h yet");
    assert_eq!(before.flagged, 0);
    let at = due + Duration::hours(48);
    let (first, second) = tokio::join!(
        api::worker::tick(&app.state, at),
        api::worker::tick(&replica.state, at)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(
        first.flagged + second.flagged,
        1,
        "fires once, on one replica"
    );
    for state in [&app.state, &replica.state] {
        let later = api::worker::tick(state, at + Duration::hours(5))
            .await
            .unwrap();
        assert_eq!(later.flagged, 0, "never twice for the same deadline");
    }
}
