//! API keys of service accounts: `dk_<key id, 32 hex digits>_<secret>`, stored as a SHA-256 hash,
//! bound to an organisation and to scopes.

use uuid::Uuid;

use super::token::{constant_time_eq, sha256_hex};
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The prefix of every API key.
pub const API_KEY_PREFIX: &str = "dk_";
/// The header that may carry an API key instead of `Authorization`.
pub const API_KEY_HEADER: &str = "x-api-key";

/// `dk_<32 hex digits>_<secret>` → the key id.
pub(super) fn api_key_id(key: &str) -> Option<Uuid> {
    let (id, secret) = key.strip_prefix(API_KEY_PREFIX)?.split_once('_')?;
    if id.len() != 32 || secret.is_empty() {
        return None;
    }
    Uuid::try_parse(id).ok()
}

/// Builds a key's text from its id and secret.
pub fn api_key_text(id: Uuid, secret: &str) -> String {
    format!("{API_KEY_PREFIX}{}_{secret}", id.simple())
}

/// A verified key: the service account it proves, and the key's name.
pub(super) struct VerifiedKey {
    pub actor: domain::Actor,
    pub name: String,
}

/// Looks the key up and checks its hash; any failure is the same 401 `invalid_api_key`.
pub(super) async fn verify(state: &AppState, key: &str) -> Result<VerifiedKey, ApiError> {
    let invalid = || ApiError::of(ErrorCode::InvalidApiKey);
    let id = api_key_id(key).ok_or_else(invalid)?;
    let record = persistence::api_keys::find(&state.db, id)
        .await?
        .ok_or_else(invalid)?;
    if record.revoked_at.is_some() || !constant_time_eq(&sha256_hex(key), &record.key_hash) {
        return Err(invalid());
    }
    Ok(VerifiedKey {
        actor: domain::Actor::service_account(
            record.id,
            record.organisation.id,
            record.organisation_kind,
            record.scopes,
        ),
        name: record.name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::random_token;

    #[test]
    fn api_keys_and_tokens_have_their_shape() {
        let id = Uuid::new_v4();
        let secret = random_token().unwrap();
        assert_eq!(secret.len(), 43);
        assert_ne!(secret, random_token().unwrap());
        let key = api_key_text(id, &secret);
        assert_eq!(api_key_id(&key), Some(id));
        assert_eq!(api_key_id("dk_nothex_abc"), None);
        assert_eq!(api_key_id(&format!("dk_{}_", id.simple())), None);
        assert_eq!(sha256_hex("abc").len(), 64);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
