//! **Bench instrument only**: what the cargo feature `bench-unchained` (off by default) adds to
//! `dispatch`. A build with it writes events without their hash chain, so `make bench` can run
//! the same release server with and without the chain and report what the chain costs a
//! transition (`bench/harness/chain.py`). It is never deployed: the bench builds it into a target
//! dir of its own, no default build or CI job enables the feature, there is no runtime switch,
//! and the server of such a build refuses to start outside demo mode.

use std::io::Write as _;
use std::process::ExitCode;

use crate::config::Config;
use crate::startup::connect_and_migrate;

/// Why an unchained server does not start, or `None` when it may (demo mode only).
pub fn refuse_to_serve(config: &Config) -> Option<&'static str> {
    if config.demo {
        tracing::warn!(
            "bench-unchained build: events are written WITHOUT their hash chain; a bench instrument, never deploy it"
        );
        None
    } else {
        Some(
            "this is a bench-unchained build (events without their hash chain): it serves only in demo mode (APP_DEMO=true)",
        )
    }
}

/// `dispatch bench-chain-hashes`: prints `event id,prev_hash,hash` (CSV, no header) for every
/// event whose stored hashes are not the ones its chain makes, in chain order; the bench loads
/// them with psql's `\copy` and writes them with the append-only trigger lifted. Reads only.
pub async fn chain_hashes(config: &Config) -> ExitCode {
    let db = match connect_and_migrate(config).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut written = 0u64;
    let mut failed = None;
    let counted = persistence::bench_chain::chain_links(&db, |link| {
        if link.stored || failed.is_some() {
            return;
        }
        if let Err(e) = writeln!(out, "{},{},{}", link.event_id, link.prev_hash, link.hash) {
            failed = Some(e);
        }
        written += 1;
    })
    .await;
    let flushed = out.flush();
    match (counted, failed, flushed) {
        (Ok(events), None, Ok(())) => {
            eprintln!("bench-chain-hashes: {events} events, {written} to write");
            ExitCode::SUCCESS
        }
        (Err(e), _, _) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        (_, Some(e), _) | (_, None, Err(e)) => {
            eprintln!("stdout: {e}");
            ExitCode::FAILURE
        }
    }
}
