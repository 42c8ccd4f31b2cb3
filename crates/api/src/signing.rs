//! The server's Ed25519 key for signed history exports and checkpoint files: from
//! `APP_HISTORY_KEY`, from `APP_HISTORY_KEY_FILE` (made when missing), or generated for this run.

use std::io::Write as _;
use std::path::Path;

use domain::history_export::{SigningKey, signing_key_from_hex, signing_key_to_hex};

use crate::config::Config;

fn generate() -> Result<SigningKey, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for a signing key: {e}"))?;
    Ok(SigningKey::from_bytes(&seed))
}

fn from_file(path: &Path) -> Result<SigningKey, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => signing_key_from_hex(&text).ok_or_else(|| {
            format!(
                "APP_HISTORY_KEY_FILE {}: not an Ed25519 seed (64 hex digits)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = generate()?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(path)
                .map_err(|e| format!("APP_HISTORY_KEY_FILE {}: {e}", path.display()))?;
            writeln!(file, "{}", signing_key_to_hex(&key))
                .map_err(|e| format!("APP_HISTORY_KEY_FILE {}: {e}", path.display()))?;
            tracing::info!(file = %path.display(), "made a new history signing key");
            Ok(key)
        }
        Err(e) => Err(format!("APP_HISTORY_KEY_FILE {}: {e}", path.display())),
    }
}

/// The signing key the configuration names, or a new one for this run.
pub fn load(config: &Config) -> Result<SigningKey, String> {
    if let Some(secret) = &config.history_key {
        return signing_key_from_hex(secret.expose())
            .ok_or_else(|| "APP_HISTORY_KEY: not an Ed25519 seed (64 hex digits)".to_owned());
    }
    if let Some(path) = &config.history_key_file {
        return from_file(path);
    }
    if !config.demo {
        tracing::warn!(
            "no APP_HISTORY_KEY or APP_HISTORY_KEY_FILE: history exports are signed with a key made for this run only"
        );
    }
    generate()
}
