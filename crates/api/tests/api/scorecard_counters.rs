//! The scorecard's counters, kept by database triggers with each change, always equal a full
//! recomputation from the history: over many random histories of filings (real and test),
//! transitions of every kind by every role, reroutes, complaints moved to another company in bulk
//! purges of test data and legal clocks marked missed by the worker; and the migration's backfill
//! (the repair command's rebuild) gives the same counters again. The same for the legal clocks'
//! figures (`scorecard_clocks`) against a count of every clock.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, spawn_app_with, spawn_replica_with};

/// Histories per backend, and steps per history.
const HISTORIES: u64 = 4;
const STEPS: usize = 60;

macro_rules! on_both_databases_from_pilot {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            }
        )*
    };
}

on_both_databases_from_pilot!(counters_equal_a_full_recomputation_over_random_histories);

fn options(pilot_mode: bool) -> Options {
    Options {
        pilot_mode,
        env: vec![("APP_DAILY_COMPLAINT_LIMIT", "1000".to_owned())],
        ..Options::default()
    }
}

/// xorshift64: the seed is printed with every failure.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn coin(&mut self) -> bool {
        self.next().is_multiple_of(2)
    }
}

/// The body of a transition of `kind`, or `None` for kinds this test leaves out.
fn body(kind: &str, rng: &mut Rng, companies: &[String]) -> Option<Value> {
    let due = (Utc::now() + chrono::Duration::days(10)).to_rfc3339();
    Some(match kind {
        "accept" | "withdraw" => json!({ "type": kind }),
        "assign_executor" => json!({ "type": kind, "executor": "Слесарь Иванов" }),
        "report_done" => json!({ "type": kind, "note": "Сделано" }),
        "not_our_building" => json!({ "type": kind, "reason": "Не наш дом" }),
        "reroute" => json!({ "type": kind, "company_id": rng.pick(companies) }),
        "record_call" => json!({
            "type": kind,
            "outcome": rng.pick(&["satisfied", "unsatisfied", "not_done", "no_answer"]),
        }),
        "resident_answer" => json!({ "type": kind, "satisfied": rng.coin(), "comment": "Ответ" }),
        "send_to_inspection" => json!({ "type": kind, "reason": "Проверить" }),
        "reject" => {
            json!({ "type": kind, "reason": "not_housing_matter", "comment": "Не жилищный вопрос" })
        }
        "record_findings" => json!({ "type": kind, "violation": rng.coin(), "findings": "Осмотр" }),
        "issue_order" => json!({ "type": kind, "due_at": due, "text": "Устранить" }),
        "check_compliance" => json!({ "type": kind, "complied": rng.coin() }),
        "record_fine" => json!({
            "type": kind,
            "article": "7.22",
            "offender": "legal_entity",
            "amount_rub": 40_000 + rng.below(10_000),
        }),
        _ => return None,
    })
}

/// The counters and a full recomputation agree, with and without test data.
async fn assert_agree(app: &TestApp, seed: u64, step: &str) {
    let now = Utc::now();
    for (min_volume, include_test) in [(0, true), (3, false)] {
        let counted =
            persistence::complaints::scorecard(&app.state.db, now, min_volume, include_test)
                .await
                .unwrap();
        let full = persistence::complaints::recompute_scorecard(
            &app.state.db,
            now,
            min_volume,
            include_test,
        )
        .await
        .unwrap();
        assert!(
            counted.same_figures(&full),
            "seed {seed}, after {step} (test data {include_test}):\ncounters {counted:#?}\nfull {full:#?}"
        );
        let counted = persistence::complaints::clock_counts(&app.state.db, include_test)
            .await
            .unwrap();
        let full = persistence::complaints::recompute_clock_counts(&app.state.db, include_test)
            .await
            .unwrap();
        assert_eq!(
            counted, full,
            "seed {seed}, after {step} (test data {include_test}): clock counters and a full count"
        );
    }
}

async fn counters_equal_a_full_recomputation_over_random_histories(backend: Backend) {
    let base = u64::from(uuid::Uuid::new_v4().as_fields().0) | 1;
    for history in 0..HISTORIES {
        one_history(backend, base.wrapping_add(history * 7919) | 1).await;
    }
}

async fn one_history(backend: Backend, seed: u64) {
    let mut rng = Rng(seed);
    let pilot = spawn_app_with(backend, options(true)).await;
    let live = spawn_replica_with(&pilot, options(false)).await;
    let buildings: Value = live
        .get("/api/v1/buildings?limit=50", None)
        .await
        .json()
        .await
        .unwrap();
    let buildings: Vec<(String, String)> = buildings
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["company_id"].is_string())
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_owned(),
                b["company_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut companies: Vec<String> = buildings.iter().map(|(_, c)| c.clone()).collect();
    companies.sort();
    companies.dedup();
    let categories: Value = live
        .get("/api/v1/categories", None)
        .await
        .json()
        .await
        .unwrap();
    let categories: Vec<String> = categories
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let roles = ["company", "company2", "dispatcher", "inspector", "resident"];
    let mut users = Vec::new();
    for app in [&pilot, &live] {
        let mut of_app = Vec::new();
        for role in roles {
            of_app.push(User::new(app, role).await);
        }
        users.push(of_app);
    }
    let admin = User::new(&live, "admin").await;
    let db = live.direct_connection().await;
    let mut complaints: Vec<String> = Vec::new();

    for step in 0..STEPS {
        let which = rng.below(2);
        let roll = rng.below(100);
        let done = if complaints.is_empty() || roll < 20 {
            // File a complaint: through the pilot app it is test data.
            let (building, _) = rng.pick(&buildings).clone();
            let category = rng.pick(&categories).clone();
            let resident = &users[which][4];
            let filed = resident
                .file(&building, &category, &format!("Жалоба {step}"))
                .await;
            complaints.push(filed["complaint"]["id"].as_str().unwrap().to_owned());
            format!("filing {step}")
        } else if roll < 28 {
            // A purge of test data (leaving test mode).
            let response = admin
                .post(
                    "/api/v1/admin/test-data/purge",
                    &json!({"confirm": "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ"}),
                )
                .await;
            assert_eq!(response.status(), 200, "seed {seed}");
            let mut left = Vec::new();
            for id in complaints {
                let row = db
                    .query_one_raw(Statement::from_sql_and_values(
                        db.get_database_backend(),
                        if db.get_database_backend() == DbBackend::Postgres {
                            "SELECT COUNT(*) FROM complaints WHERE id = $1"
                        } else {
                            "SELECT COUNT(*) FROM complaints WHERE id = ?"
                        },
                        [uuid::Uuid::parse_str(&id).unwrap().into()],
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                if row.try_get_by_index::<i64>(0).unwrap() > 0 {
                    left.push(id);
                }
            }
            complaints = left;
            format!("purge {step}")
        } else if roll < 31 {
            // Every complaint of one building moved to another company at once (as a change
            // of management that moved them would), past the API.
            let (building, _) = rng.pick(&buildings).clone();
            let company = rng.pick(&companies).clone();
            let backend = db.get_database_backend();
            let sql = if backend == DbBackend::Postgres {
                "UPDATE complaints SET company_id = $1 WHERE building_id = $2"
            } else {
                "UPDATE complaints SET company_id = ? WHERE building_id = ?"
            };
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [
                    uuid::Uuid::parse_str(&company).unwrap().into(),
                    uuid::Uuid::parse_str(&building).unwrap().into(),
                ],
            ))
            .await
            .unwrap();
            format!("bulk move {step}")
        } else if roll < 34 {
            // The deadlines of one building's complaints already past (as if time went by), so
            // that complaints are overdue and reports late, past the API.
            let (building, _) = rng.pick(&buildings).clone();
            let backend = db.get_database_backend();
            let sql = if backend == DbBackend::Postgres {
                "UPDATE complaints SET due_at = registered_at WHERE building_id = $1"
            } else {
                "UPDATE complaints SET due_at = registered_at WHERE building_id = ?"
            };
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [uuid::Uuid::parse_str(&building).unwrap().into()],
            ))
            .await
            .unwrap();
            format!("deadlines past {step}")
        } else if roll < 37 {
            // The worker marks missed every running clock due within 40 days from now (as if
            // the days went by).
            let later = Utc::now() + chrono::Duration::days(40);
            persistence::complaints::mark_missed_clocks(&live.state.db, later, 1000)
                .await
                .unwrap();
            format!("clocks missed {step}")
        } else {
            // A transition the complaint allows, by a role that may make one (refusals are fine;
            // a 500 is not). The steps forward are likelier than the ways out.
            let id = rng.pick(&complaints).clone();
            let mut options = Vec::new();
            for user in &users[which] {
                let response = user.get(&format!("/api/v1/complaints/{id}")).await;
                if response.status() != 200 {
                    continue;
                }
                let complaint: Value = response.json().await.unwrap();
                for kind in complaint["allowed_actions"].as_array().unwrap() {
                    let kind = kind.as_str().unwrap().to_owned();
                    let weight = match kind.as_str() {
                        "withdraw" | "reject" | "send_to_inspection" | "not_our_building" => 1,
                        "accept" | "report_done" | "record_call" | "resident_answer" => 12,
                        _ => 4,
                    };
                    for _ in 0..weight {
                        options.push((user, complaint.clone(), kind.clone()));
                    }
                }
            }
            if options.is_empty() {
                continue;
            }
            let (user, complaint, kind) = rng.pick(&options).clone();
            let Some(action) = body(&kind, &mut rng, &companies) else {
                continue;
            };
            let response = user.act(&complaint, action).await;
            assert!(
                response.status().as_u16() < 500,
                "seed {seed}: {kind} → {}",
                response.status()
            );
            format!("{kind} {step}")
        };
        assert_agree(&live, seed, &done).await;
    }

    // The migration's backfill, run again by the repair, gives the same counters.
    let now = Utc::now();
    let before = persistence::complaints::scorecard(&live.state.db, now, 0, true)
        .await
        .unwrap();
    let clocks_before = persistence::complaints::clock_counts(&live.state.db, true)
        .await
        .unwrap();
    persistence::complaints::rebuild_scorecard(&live.state.db)
        .await
        .unwrap();
    let after = persistence::complaints::scorecard(&live.state.db, now, 0, true)
        .await
        .unwrap();
    assert!(
        before.same_figures(&after),
        "seed {seed}: rebuilt {after:#?}\nincremental {before:#?}"
    );
    let clocks_after = persistence::complaints::clock_counts(&live.state.db, true)
        .await
        .unwrap();
    assert_eq!(
        clocks_before, clocks_after,
        "seed {seed}: rebuilt clock counters"
    );
    assert_agree(&live, seed, "the rebuild").await;
}
