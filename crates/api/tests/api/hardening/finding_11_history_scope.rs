//! Finding 11: after a reroute the new company read the old company's executor names and internal
//! notes in the history. A company's own steps are now its own: the next company sees that they
//! happened, not what they said.
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(finding_11_rerouted_history_hides_the_old_companys_internal_entries);

fn entry<'a>(events: &'a Value, kind: &str, nth: usize) -> &'a Value {
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {kind} #{nth} in {events}"))
}

async fn finding_11_rerouted_history_hides_the_old_companys_internal_entries(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let old = User::new(&app, "company").await;
    let new = User::new(&app, "company2").await;
    let dispatcher = User::new(&app, "dispatcher").await;
    let complaint = resident
        .file(&building, &category, "Водосток оторван у второго подъезда.")
        .await["complaint"]
        .clone();
    let complaint = old
        .ok(
            &complaint,
            json!({ "type": "assign_executor", "executor": "Петров Иван Ильич" }),
        )
        .await;
    let complaint = old
        .ok(
            &complaint,
            json!({ "type": "pause_clock", "reason": "Ключ от чердака у соседки из кв. 15" }),
        )
        .await;
    let complaint = old.ok(&complaint, json!({ "type": "resume_clock" })).await;
    let new_org = new.get_json("/api/v1/me").await["organisation"]["id"].clone();
    let complaint = dispatcher
        .ok(
            &complaint,
            json!({ "type": "reroute", "company_id": new_org }),
        )
        .await;
    let path = format!(
        "/api/v1/complaints/{}/events",
        complaint["id"].as_str().unwrap()
    );

    // The new company: the old company's steps are there, without the executor or the note.
    let seen = new.get_json(&path).await;
    let theirs = entry(&seen, "assign_executor", 0);
    assert_eq!(theirs["details"], json!({}), "{theirs}");
    assert_eq!(theirs["step_only"], true);
    assert_eq!(theirs["to"], "in_progress", "the step itself stays");
    let pause = entry(&seen, "pause_clock", 0);
    assert!(pause["comment"].is_null(), "{pause}");
    assert_eq!(pause["step_only"], true);
    let text = seen.to_string();
    assert!(
        !text.contains("Петров") && !text.contains("кв. 15"),
        "nothing of the old company's business: {text}"
    );
    // The dispatcher's reroute and the registration are everybody's.
    assert_eq!(entry(&seen, "reroute", 0)["step_only"], false);
    assert_eq!(
        entry(&seen, "registered", 0)["details"]["description"],
        "Водосток оторван у второго подъезда."
    );

    // The new company's own step is its own to read.
    new.ok(
        &complaint,
        json!({ "type": "assign_executor", "executor": "Бригада 7" }),
    )
    .await;
    let seen = new.get_json(&path).await;
    let own = entry(&seen, "assign_executor", 1);
    assert_eq!(own["details"]["executor"], "Бригада 7");
    assert_eq!(own["step_only"], false);

    // The city (and the resident) follow the whole case.
    for user in [&dispatcher, &resident] {
        let all = user.get_json(&path).await;
        let first = entry(&all, "assign_executor", 0);
        assert_eq!(first["details"]["executor"], "Петров Иван Ильич");
        assert_eq!(
            entry(&all, "pause_clock", 0)["comment"],
            "Ключ от чердака у соседки из кв. 15"
        );
    }
}
