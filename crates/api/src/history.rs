//! The tamper-evident history outside requests: the worker's daily checkpoint and
//! `dispatch verify-history`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use domain::history_export::{CHECKPOINT_FORMAT, CheckpointFile, Signer, SigningKey, sign};
use persistence::history::{Checkpoint, HistoryReport};

use crate::error::ApiError;
use crate::state::AppState;

/// Folds every complaint's chain head before today's midnight (UTC) into yesterday's checkpoint,
/// once: a replica that finds it made does nothing. The root goes to the log and, with
/// `APP_CHECKPOINT_DIR`, the latest checkpoint is stored there as a signed file (written on a
/// later pass when it could not be, and by whichever replica gets there).
pub async fn checkpoint(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Option<Checkpoint>, ApiError> {
    let made = persistence::history::make_checkpoint(&state.db, now).await?;
    if let Some(checkpoint) = &made {
        tracing::info!(
            day = %checkpoint.day,
            root = %checkpoint.root,
            complaints = checkpoint.complaints,
            "history checkpoint"
        );
    }
    if let Some(dir) = &state.config.checkpoint_dir {
        let latest = match &made {
            Some(checkpoint) => Some(checkpoint.clone()),
            None => persistence::history::latest_checkpoint(&state.db).await?,
        };
        if let Some(checkpoint) = latest {
            let path = checkpoint_path(dir, &checkpoint);
            if !path.exists() {
                match write_checkpoint_file(&path, &checkpoint, &state.history_key) {
                    Ok(()) => tracing::info!(file = %path.display(), "signed checkpoint file"),
                    Err(e) => tracing::error!(file = %path.display(), error = %e,
                        "could not store the signed checkpoint file; retried on the next pass"),
                }
            }
        }
    }
    Ok(made)
}

/// `DIR/checkpoint-YYYY-MM-DD.json`.
pub fn checkpoint_path(dir: &Path, checkpoint: &Checkpoint) -> PathBuf {
    dir.join(format!("checkpoint-{}.json", checkpoint.day))
}

/// The checkpoint as a signed document ([`domain::history_export::sign`]).
pub fn signed_checkpoint(
    checkpoint: &Checkpoint,
    key: &SigningKey,
) -> Result<serde_json::Value, ApiError> {
    let document = CheckpointFile {
        format: CHECKPOINT_FORMAT.to_owned(),
        day: checkpoint.day,
        cutoff: checkpoint.cutoff,
        root: checkpoint.root.to_hex(),
        complaints: checkpoint.complaints,
        created_at: checkpoint.created_at,
        signer: Signer::of(&key.verifying_key()),
    };
    sign(&document, key).map_err(|e| ApiError::internal(e.to_string()))
}

/// Writes the signed file whole or not at all (a temporary file, then a rename).
fn write_checkpoint_file(
    path: &Path,
    checkpoint: &Checkpoint,
    key: &SigningKey,
) -> Result<(), String> {
    let signed = signed_checkpoint(checkpoint, key).map_err(|e| format!("{e:?}"))?;
    let text = serde_json::to_string_pretty(&signed).map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let tmp = path.with_extension(format!("json.{}.tmp", uuid::Uuid::new_v4().simple()));
    std::fs::write(&tmp, text).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        e.to_string()
    })
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

/// `dispatch verify-export FILE [--public-key HEX]`: checks a signed history export (its
/// signature, every event's hash, the final hash, the checkpoint's inclusion proof) or a signed
/// checkpoint file. `Ok` is the report to print; `Err` says what does not verify.
pub fn verify_export(text: &str, public_key: Option<&str>) -> Result<String, String> {
    use domain::history_export::{
        CHECKPOINT_FORMAT, verify_history_export, verify_signature, verifying_key_from_hex,
    };
    let expected =
        match public_key {
            None => None,
            Some(hex) => Some(verifying_key_from_hex(hex).ok_or_else(|| {
                "--public-key: not an Ed25519 public key (64 hex digits)".to_owned()
            })?),
        };
    let file: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let pinned = if expected.is_some() {
        "the given public key"
    } else {
        "the key named in the file (pass --public-key to pin the server's)"
    };
    let format = file
        .pointer("/document/format")
        .and_then(|f| f.as_str())
        .unwrap_or_default();
    if format == CHECKPOINT_FORMAT {
        let (document, key) =
            verify_signature(&file, expected.as_ref()).map_err(|e| format!("FAILED: {e}"))?;
        let checkpoint: CheckpointFile = serde_json::from_value(document)
            .map_err(|e| format!("FAILED: not a checkpoint file: {e}"))?;
        if checkpoint.signer != Signer::of(&key) {
            return Err(
                "FAILED: the signer named in the file is not the key that signed it".to_owned(),
            );
        }
        return Ok(format!(
            "checkpoint {}: root {} over {} complaints\nsigned by key {} ({pinned})\nOK\n",
            checkpoint.day, checkpoint.root, checkpoint.complaints, checkpoint.signer.key_id
        ));
    }
    let verified =
        verify_history_export(&file, expected.as_ref()).map_err(|e| format!("FAILED: {e}"))?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "complaint {}: {} events, chain verified, final hash {}",
        verified.export.complaint.number,
        verified.export.events.len(),
        verified.head
    );
    match &verified.checkpoint {
        Some((day, root)) => {
            let _ = writeln!(out, "included in checkpoint {day} (root {root})");
        }
        None => {
            let _ = writeln!(out, "no checkpoint inclusion claimed");
        }
    }
    let _ = writeln!(out, "signed by key {} ({pinned})", verified.key_id);
    let _ = writeln!(out, "OK");
    Ok(out)
}
