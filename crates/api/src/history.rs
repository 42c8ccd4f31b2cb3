//! The tamper-evident history outside requests: the worker's daily checkpoint and
//! `dispatch verify-history`.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use persistence::history::HistoryReport;

use crate::error::ApiError;

/// Folds every complaint's chain head before today's midnight (UTC) into yesterday's checkpoint,
/// once: a replica that finds it made does nothing. The root goes to the log.
pub async fn checkpoint(
    db: &persistence::Db,
    now: DateTime<Utc>,
) -> Result<Option<persistence::history::Checkpoint>, ApiError> {
    let made = persistence::history::make_checkpoint(db, now).await?;
    if let Some(checkpoint) = &made {
        tracing::info!(
            day = %checkpoint.day,
            root = %checkpoint.root,
            complaints = checkpoint.complaints,
            "history checkpoint"
        );
    }
    Ok(made)
}

/// Checks every complaint's chain and the latest checkpoint (what `dispatch verify-history` runs).
pub async fn verify(db: &persistence::Db) -> Result<HistoryReport, ApiError> {
    Ok(persistence::history::verify_all(db).await?)
}

/// The report as `dispatch verify-history` prints it: a summary, then one line per broken
/// complaint naming the event.
pub fn summary(report: &HistoryReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "history: {} complaints, {} events, {} broken chains",
        report.complaints,
        report.events,
        report.broken.len()
    );
    for broken in &report.broken {
        let _ = writeln!(
            out,
            "BROKEN complaint {} ({}): event {} at position {}: {}",
            broken.number,
            broken.complaint_id,
            broken.broken.event_id,
            broken.broken.position,
            broken.broken.why
        );
    }
    match &report.checkpoint {
        None => {
            let _ = writeln!(out, "checkpoint: none yet");
        }
        Some(check) if check.matches() => {
            let _ = writeln!(
                out,
                "checkpoint {}: root {} over {} complaints matches the events",
                check.checkpoint.day, check.checkpoint.root, check.checkpoint.complaints
            );
        }
        Some(check) => {
            let _ = writeln!(
                out,
                "MISMATCH checkpoint {}: stored root {} over {} complaints, recomputed {} over {}",
                check.checkpoint.day,
                check.checkpoint.root,
                check.checkpoint.complaints,
                check.recomputed_root,
                check.recomputed_complaints
            );
        }
    }
    let _ = writeln!(out, "{}", if report.is_intact() { "OK" } else { "FAILED" });
    out
}
