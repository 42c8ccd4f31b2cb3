//! `dispatch`: the one binary of the housing dispatch centre.
//!
//! - `dispatch` or `dispatch serve`: migrate, then serve the API, the SPA and the docs;
//! - `dispatch migrate`: apply pending migrations and exit;
//! - `dispatch verify-history`: check every complaint's hash chain and the latest checkpoint;
//!   exits non-zero naming each broken complaint and event;
//! - `dispatch purge-test-data --dry-run`: count the rows marked as test, per table;
//! - `dispatch purge-test-data --confirm "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ"`: delete them, in one
//!   transaction recorded in the audit log (leaving test mode; see the README);
//! - `dispatch verify-export FILE [--public-key HEX]`: check a signed history export (or a signed
//!   checkpoint file) offline: the signature, every event's hash, the final hash and the
//!   checkpoint's inclusion proof; pin the server's key (`GET /api/v1/history/signing-key`);
//! - `dispatch rebuild-scorecard`: recompute the public scorecard's counters from the history
//!   (a repair; the database keeps them with every change), then check them against a full
//!   recomputation; `dispatch scorecard-triggers off|on` switches their triggers off or on again
//!   (with a rebuild), only for the bench's transitions measured without them (a server started
//!   while they are off counts no clocks either);
//! - `dispatch openapi`: print the OpenAPI 3.1 document of the real routes;
//! - `dispatch openapi-3.0`: print its OpenAPI 3.0 rendering.

use std::process::ExitCode;

use api::config::Config;
use api::startup::{Application, connect_and_migrate, openapi_spec, openapi_spec_3_0};

/// mimalloc instead of glibc malloc (issue 18): allocation was 13 % of the server's CPU under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "serve".to_owned());
    if command == "openapi-3.0" {
        return match openapi_spec_3_0(&openapi_spec()) {
            Ok(spec) => {
                println!("{}", spec.0);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot write the spec: {e}")),
        };
    }
    if command == "openapi" {
        return match openapi_spec().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot write the spec: {e}")),
        };
    }
    if command == "verify-export" {
        return verify_export(&std::env::args().skip(2).collect::<Vec<_>>());
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&e.to_string()),
    };
    api::telemetry::init(config.log_format);
    match command.as_str() {
        "serve" => serve(config).await,
        "migrate" => match connect_and_migrate(&config).await {
            Ok(_) => {
                tracing::info!("migrations applied");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
        "verify-history" => verify_history(config).await,
        #[cfg(feature = "bench-unchained")]
        "bench-chain-hashes" => api::bench_unchained::chain_hashes(&config).await,
        "purge-test-data" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            purge_test_data(&config, &args).await
        }
        "rebuild-scorecard" => rebuild_scorecard(&config).await,
        "scorecard-triggers" => {
            let on = match std::env::args().nth(2).as_deref() {
                Some("on") => true,
                Some("off") => false,
                _ => return fail("scorecard-triggers needs on or off"),
            };
            scorecard_triggers(&config, on).await
        }
        other => fail(&format!(
            "unknown command {other:?}; use serve, migrate, verify-history, purge-test-data, rebuild-scorecard, openapi or openapi-3.0"
        )),
    }
}

async fn serve(config: Config) -> ExitCode {
    #[cfg(feature = "bench-unchained")]
    if let Some(why) = api::bench_unchained::refuse_to_serve(&config) {
        return fail(why);
    }
    let bind = config.bind.clone();
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => return fail(&e.to_string()),
    };
    let host = bind
        .rsplit_once(':')
        .map_or(bind.as_str(), |(host, _)| host);
    tracing::info!(
        port = app.port(),
        "listening on http://{host}:{}/ (docs at /docs)",
        app.port()
    );
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

/// `verify-export FILE [--public-key HEX]`: needs no database.
fn verify_export(args: &[String]) -> ExitCode {
    let key = args
        .iter()
        .position(|a| a == "--public-key")
        .and_then(|i| args.get(i + 1));
    let Some(path) = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--public-key"))
        .map(|(_, a)| a)
    else {
        return fail("verify-export needs FILE (and optionally --public-key HEX)");
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return fail(&format!("{path}: {e}")),
    };
    match api::history::verify_export(&text, key.map(String::as_str)) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn verify_history(config: Config) -> ExitCode {
    let db = match connect_and_migrate(&config).await {
        Ok(db) => db,
        Err(e) => return fail(&e.to_string()),
    };
    match api::history::verify(&db).await {
        Ok(report) => {
            print!("{}", api::history::summary(&report));
            if report.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// `rebuild-scorecard`: the counters recomputed from the history, then compared with a full
/// recomputation (test data included, so that every counter is compared); non-zero on a
/// difference.
async fn rebuild_scorecard(config: &Config) -> ExitCode {
    let db = match connect_and_migrate(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e.to_string()),
    };
    if let Err(e) = persistence::complaints::rebuild_scorecard(&db).await {
        return fail(&e.to_string());
    }
    let now = chrono::Utc::now();
    let counted = persistence::complaints::scorecard(&db, now, 0, true).await;
    let recomputed = persistence::complaints::recompute_scorecard(&db, now, 0, true).await;
    let clocks = persistence::complaints::clock_counts(&db, true).await;
    let clocks_recounted = persistence::complaints::recompute_clock_counts(&db, true).await;
    match (counted, recomputed, clocks, clocks_recounted) {
        (Ok(counted), Ok(recomputed), Ok(clocks), Ok(clocks_recounted)) => {
            if counted.same_figures(&recomputed) && clocks == clocks_recounted {
                println!(
                    "scorecard rebuilt: {} companies, {} complaints",
                    counted.scores.len(),
                    counted.received
                );
                ExitCode::SUCCESS
            } else {
                fail("the rebuilt counters differ from a full recomputation")
            }
        }
        (Err(e), ..) | (_, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => fail(&e.to_string()),
    }
}

/// `scorecard-triggers off|on`: for the bench only.
async fn scorecard_triggers(config: &Config, on: bool) -> ExitCode {
    let db = match connect_and_migrate(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e.to_string()),
    };
    match persistence::complaints::set_scorecard_triggers(&db, on).await {
        Ok(()) => {
            println!("scorecard triggers {}", if on { "on" } else { "off" });
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// `purge-test-data --dry-run` or `purge-test-data --confirm "УДАЛИТЬ ТЕСТОВЫЕ ДАННЫЕ"`: the
/// same as `POST /api/v1/admin/test-data/purge`, recorded in the audit log as done by the nil
/// actor (the operator at the console).
async fn purge_test_data(config: &Config, args: &[String]) -> ExitCode {
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let confirm = args
        .iter()
        .position(|a| a == "--confirm")
        .and_then(|i| args.get(i + 1));
    if !dry_run && !confirm.is_some_and(|c| domain::confirms_purge(c)) {
        return fail(&format!(
            "purge-test-data needs --dry-run, or --confirm \"{}\" to delete",
            domain::PURGE_CONFIRMATION
        ));
    }
    let db = match connect_and_migrate(config).await {
        Ok(db) => db,
        Err(e) => return fail(&e.to_string()),
    };
    let counts = if dry_run {
        persistence::test_data::count(&db).await
    } else {
        persistence::test_data::purge(&db, uuid::Uuid::nil(), chrono::Utc::now()).await
    };
    let counts = match counts {
        Ok(counts) => counts,
        Err(e) => return fail(&e.to_string()),
    };
    let result = api::routes::admin::test_data::PurgeTestDataResult::new(&counts, dry_run);
    for table in &result.tables {
        println!("{:<24} {}", table.table, table.rows);
    }
    println!("{:<24} {}", "total", result.total);
    println!("{}", result.message);
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("dispatch: {message}");
    ExitCode::FAILURE
}
