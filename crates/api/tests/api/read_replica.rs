//! Issue 18: `DATABASE_READ_URL` sends the lag-tolerant public reads (scorecard, public list,
//! Open311's lists and services) to a read replica, and nothing else; a replica that does not
//! answer sends them to the primary. PostgreSQL only: the replica is a PostgreSQL feature.
//!
//! A true streaming replica is built by `make reliability` (pg_basebackup into a cluster of its
//! own, stopped under load). Here the "replica" is another app's database, holding another city's
//! data, so that where each read went shows in what it returns.

use serde_json::Value;

use crate::helpers::{Backend, Options, User, fixtures, spawn_app, spawn_replica_with};

async fn public_numbers(app: &crate::helpers::TestApp) -> Vec<String> {
    let page: Value = app
        .get("/api/v1/public/complaints?limit=200", None)
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_reads_go_to_the_replica_and_the_rest_to_the_primary() {
    let primary = spawn_app(Backend::Postgres).await;
    let elsewhere = spawn_app(Backend::Postgres).await;
    let (building, category, _) = fixtures(&primary).await;
    let filed = User::new(&primary, "resident")
        .await
        .file(&building, &category, "Течёт крыша над третьим подъездом")
        .await["complaint"]
        .clone();
    let number = filed["number"].as_str().unwrap().to_owned();
    let id = filed["id"].as_str().unwrap().to_owned();
    assert!(public_numbers(&primary).await.contains(&number));

    let reading_elsewhere = spawn_replica_with(
        &primary,
        Options {
            env: vec![("DATABASE_READ_URL", elsewhere.database_url())],
            ..Options::default()
        },
    )
    .await;
    // The public list comes from the replica, which never saw the complaint …
    assert!(!public_numbers(&reading_elsewhere).await.contains(&number));
    // … while the author's own read, and every write, stay on the primary.
    let resident = User::new(&reading_elsewhere, "resident").await;
    let own = resident.get(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(own.status(), 200);
    // Open311 asked for that very number (as a client does right after posting) reads the primary.
    let asked: Value = reading_elsewhere
        .get(
            &format!("/open311/v2/requests.json?service_request_id={number}"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(asked.as_array().map(Vec::len), Some(1), "{asked}");
    // The scorecard is computed on the replica too: it answers with the other city's figures.
    let scorecard = reading_elsewhere
        .get("/api/v1/public/scorecard", None)
        .await;
    assert_eq!(scorecard.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_does_not_answer_sends_reads_to_the_primary() {
    let primary = spawn_app(Backend::Postgres).await;
    let (building, category, _) = fixtures(&primary).await;
    let filed = User::new(&primary, "resident")
        .await
        .file(&building, &category, "Не работает освещение в подъезде")
        .await["complaint"]
        .clone();
    let number = filed["number"].as_str().unwrap().to_owned();
    let with_dead_replica = spawn_replica_with(
        &primary,
        Options {
            // Nothing listens on port 1.
            env: vec![(
                "DATABASE_READ_URL",
                "postgres://postgres@127.0.0.1:1/nowhere".to_owned(),
            )],
            ..Options::default()
        },
    )
    .await;
    for _ in 0..3 {
        assert!(public_numbers(&with_dead_replica).await.contains(&number));
    }
    for path in [
        "/api/v1/public/scorecard",
        "/open311/v2/services.json",
        "/open311/v2/requests.json",
    ] {
        let answer = with_dead_replica.get(path, None).await;
        assert_eq!(answer.status(), 200, "{path}");
    }
}
