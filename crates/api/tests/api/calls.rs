//! The call desk: a claim that two dispatchers race for, the gap between unanswered attempts,
//! the calling hours and "call back at", with the clock passed in (no sleeps).

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, fixtures, spawn_app_with};
use api::error::ErrorCode;

on_both_databases!(two_dispatchers_race_for_one_call_and_exactly_one_wins);

/// A complaint awaiting its verification call.
async fn awaiting(app: &TestApp, text: &str) -> Value {
    let (building, category, _) = fixtures(app).await;
    let resident = User::new(app, "resident").await;
    let company = User::new(app, "company").await;
    let filed = resident.file(&building, &category, text).await;
    let c = company
        .ok(&filed["complaint"], json!({ "type": "accept" }))
        .await;
    company
        .ok(&c, json!({ "type": "report_done", "note": "Сделано" }))
        .await
}

async fn actor(user: &User<'_>) -> domain::Actor {
    let me = user.get_json("/api/v1/me").await;
    domain::Actor::person(
        me["id"].as_str().unwrap().parse().unwrap(),
        domain::Role::Dispatcher,
        None,
    )
}

async fn two_dispatchers_race_for_one_call_and_exactly_one_wins(app: TestApp) {
    let c = awaiting(&app, "Течёт кран на кухне").await;
    let id = c["id"].as_str().unwrap();
    let first = User::new(&app, "dispatcher").await;
    let second = User {
        app: &app,
        token: app
            .login("dispatcher2@demo.test", crate::helpers::DEMO_PASSWORD)
            .await
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned(),
    };
    let path = format!("/api/v1/calls/{id}/claim");
    let empty = json!({});
    let (a, b) = tokio::join!(first.post(&path, &empty), second.post(&path, &empty));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "exactly one takes the call");
    let (winner, loser, refused) = if a.status() == 200 {
        (&first, &second, b)
    } else {
        (&second, &first, a)
    };
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "call_taken");
    let winner_name = winner.get_json("/api/v1/me").await["name"].clone();
    assert_eq!(problem["held_by"], winner_name, "names who holds it");
    assert!(problem["held_until"].is_string(), "and until when");

    // The loser may not record an attempt on the call the winner holds.
    let r = loser
        .act(&c, json!({ "type": "record_call", "outcome": "no_answer" }))
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "call_taken");

    // The queue shows who holds it.
    let queue = loser.get_json("/api/v1/calls").await;
    let row = queue["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["complaint_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["held_by"], winner_name);
    assert_eq!(row["held_by_me"], false);

    // Given back, the other dispatcher takes it.
    let released = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&winner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(released.status(), 204);
    assert_eq!(loser.post(&path, &json!({})).await.status(), 200);

    // A claim runs out: ten minutes later the first one may take it again.
    let winner_actor = actor(winner).await;
    let later = Utc::now() + Duration::minutes(11);
    let until = api::call_desk::claim(&app.state, &winner_actor, id.parse().unwrap(), later)
        .await
        .unwrap();
    assert_eq!(until, later + Duration::minutes(10));
}

/// The real desk: calls 09:00–21:00 in the city, two hours between unanswered attempts.
async fn real_desk(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        Options {
            env: vec![
                ("APP_CALL_HOURS_START", "09:00".to_owned()),
                ("APP_CALL_HOURS_END", "21:00".to_owned()),
                ("APP_CALL_MIN_GAP_MINUTES", "120".to_owned()),
            ],
            ..Options::default()
        },
    )
    .await
}

/// `hh:mm` in Surgut (UTC+5), tomorrow by the wall clock.
fn local(hh: u32, mm: u32) -> DateTime<Utc> {
    let day = (Utc::now() + Duration::days(1)).date_naive();
    let text = format!("{day}T{hh:02}:{mm:02}:00+05:00");
    DateTime::parse_from_rfc3339(&text)
        .unwrap()
        .with_timezone(&Utc)
}

macro_rules! on_both_databases_with_real_desk {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(super::real_desk($crate::helpers::Backend::Sqlite).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(super::real_desk($crate::helpers::Backend::Postgres).await).await;
                }
            }
        )*
    };
}

on_both_databases_with_real_desk!(
    unanswered_calls_keep_their_gap_and_the_calling_hours,
    a_call_back_time_returns_the_call_to_the_queue_then,
    a_new_verification_round_starts_with_a_clean_slate,
);

async fn a_new_verification_round_starts_with_a_clean_slate(app: TestApp) {
    let c = awaiting(&app, "Не греет батарея в комнате").await;
    let id = c["id"].as_str().unwrap().parse().unwrap();
    let dispatcher = actor(&User::new(&app, "dispatcher").await).await;
    let record =
        |outcome, now| api::call_desk::record_attempt(&app.state, &dispatcher, id, outcome, now);
    record(domain::CallOutcome::NoAnswer, local(10, 0))
        .await
        .unwrap();
    let second = record(domain::CallOutcome::Unsatisfied, local(10, 30))
        .await
        .unwrap();
    assert_eq!(second.complaint.round, 2);
    let company = User::new(&app, "company").await;
    let current = company.get_json(&format!("/api/v1/complaints/{id}")).await;
    company
        .ok(
            &current,
            json!({ "type": "report_done", "note": "Переделали" }),
        )
        .await;
    // The gap after the first round's unanswered call does not hold back the new round's call.
    let again = record(domain::CallOutcome::NoAnswer, local(10, 45))
        .await
        .unwrap();
    assert_eq!(again.complaint.unanswered_calls, 1);
}

async fn unanswered_calls_keep_their_gap_and_the_calling_hours(app: TestApp) {
    let c = awaiting(&app, "Не закрывается подъездная дверь").await;
    let id = c["id"].as_str().unwrap().parse().unwrap();
    let dispatcher = actor(&User::new(&app, "dispatcher").await).await;
    let no_answer = domain::CallOutcome::NoAnswer;
    let attempt = |now| api::call_desk::record_attempt(&app.state, &dispatcher, id, no_answer, now);

    let after = attempt(local(10, 0)).await.unwrap();
    assert_eq!(after.complaint.unanswered_calls, 1);
    // Three clicks within a minute no longer close the complaint.
    for seconds in [20, 40] {
        let refused = attempt(local(10, 0) + Duration::seconds(seconds))
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::CallAttemptTooSoon);
        assert_eq!(refused.problem().not_before, Some(local(12, 0)));
    }
    // Not at night, whatever the outcome, even after the gap.
    let night = attempt(local(22, 30)).await.unwrap_err();
    assert_eq!(night.code(), ErrorCode::OutsideCallingHours);
    assert_eq!(
        night.problem().not_before,
        Some(local(9, 0) + Duration::days(1))
    );
    let early = api::call_desk::record_attempt(
        &app.state,
        &dispatcher,
        id,
        domain::CallOutcome::Satisfied,
        local(8, 0),
    )
    .await
    .unwrap_err();
    assert_eq!(early.code(), ErrorCode::OutsideCallingHours);

    assert_eq!(
        attempt(local(12, 0))
            .await
            .unwrap()
            .complaint
            .unanswered_calls,
        2
    );
    assert_eq!(
        attempt(local(13, 59)).await.unwrap_err().code(),
        ErrorCode::CallAttemptTooSoon
    );
    let third = attempt(local(14, 0)).await.unwrap();
    assert_eq!(third.complaint.unanswered_calls, 3);
    // The SMS reminder before "unreachable" still comes first: it waits for a reply.
    assert_eq!(third.complaint.status, domain::Status::AwaitingVerification);
    let reader = User::new(&app, "dispatcher").await;
    let events = reader
        .get_json(&format!("/api/v1/complaints/{id}/events"))
        .await;
    let calls: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "record_call")
        .collect();
    assert_eq!(
        calls.len(),
        3,
        "refused attempts leave no trace in the history"
    );
}

async fn a_call_back_time_returns_the_call_to_the_queue_then(app: TestApp) {
    let later = awaiting(&app, "Не работает лифт во втором подъезде").await;
    let fresh = awaiting(&app, "Не горит свет на лестнице").await;
    let later_id: uuid::Uuid = later["id"].as_str().unwrap().parse().unwrap();
    let user = User::new(&app, "dispatcher").await;
    let dispatcher = actor(&user).await;
    let desk = app.state.config.call_desk;

    // Refused: in the past, at night.
    for bad in [local(9, 0) - Duration::days(2), local(23, 0)] {
        let e = api::call_desk::call_back(&app.state, &dispatcher, later_id, bad, local(10, 0))
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::ValidationFailed);
    }
    api::call_desk::call_back(
        &app.state,
        &dispatcher,
        later_id,
        local(18, 0),
        local(10, 0),
    )
    .await
    .unwrap();

    let order = |calls: &[persistence::complaints::call_desk::QueuedCall]| {
        calls
            .iter()
            .map(|q| q.record.complaint.id.to_string())
            .collect::<Vec<_>>()
    };
    let at_ten = api::call_desk::queue(&app.state, &dispatcher, local(10, 0))
        .await
        .unwrap();
    let ids = order(&at_ten);
    let pos = |id: &Value| ids.iter().position(|x| x == id.as_str().unwrap()).unwrap();
    assert!(
        pos(&fresh["id"]) < pos(&later["id"]),
        "what is due comes first"
    );
    let row = at_ten
        .iter()
        .find(|q| q.record.complaint.id == later_id)
        .unwrap();
    assert_eq!(desk.due_at(&row.state, local(10, 0)), local(18, 0));

    // At 18:00 it is due again; the earlier registration comes first among the due.
    let at_six = api::call_desk::queue(&app.state, &dispatcher, local(18, 0))
        .await
        .unwrap();
    let row = at_six
        .iter()
        .find(|q| q.record.complaint.id == later_id)
        .unwrap();
    assert!(desk.due_at(&row.state, local(18, 0)) <= local(18, 0));
    let ids = order(&at_six);
    let pos = |id: &Value| ids.iter().position(|x| x == id.as_str().unwrap()).unwrap();
    assert!(pos(&later["id"]) < pos(&fresh["id"]));

    // The attempt uses the call-back up.
    let recorded = api::call_desk::record_attempt(
        &app.state,
        &dispatcher,
        later_id,
        domain::CallOutcome::Satisfied,
        local(18, 5),
    )
    .await
    .unwrap();
    assert_eq!(recorded.complaint.status, domain::Status::Closed);
    // Only a dispatcher works the desk.
    let company = User::new(&app, "company").await;
    assert_eq!(company.get("/api/v1/calls").await.status(), 403);
}
