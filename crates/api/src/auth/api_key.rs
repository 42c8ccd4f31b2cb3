//! API keys of service accounts: `dk_<key id, 32 hex digits>_<secret>`, stored as a SHA-256 hash,
//! bound to an organisation and to scopes.

use chrono::Utc;
use uuid::Uuid;

use super::token::{constant_time_eq, sha256_hex};
use crate::error::{ApiError, ErrorCode};
use crate::rate_limit::RateLimit;
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
    pub rate_limit: RateLimit,
}

/// Looks the key up and checks it: known, not revoked, not expired, and its secret is the
/// current one (or the previous one during a rotation's grace period). Every failure is the same
/// 401 `invalid_api_key`, and the hash is compared whether or not the key exists, so that the
/// answer takes the same time. Then counts the request against the key's rate limit.
pub(super) async fn verify(state: &AppState, key: &str) -> Result<VerifiedKey, ApiError> {
    let invalid = || ApiError::of(ErrorCode::InvalidApiKey);
    let now = Utc::now();
    let presented = sha256_hex(key);
    let record = match api_key_id(key) {
        Some(id) => persistence::api_keys::find(&state.db, id).await?,
        None => None,
    };
    let Some(record) = record else {
        // The same work as for a known key, against a hash no key has.
        constant_time_eq(&presented, &"0".repeat(presented.len()));
        return Err(invalid());
    };
    let current = constant_time_eq(&presented, &record.key_hash);
    let previous = record
        .previous_key_hash
        .as_ref()
        .is_some_and(|(hash, until)| constant_time_eq(&presented, hash) && now < *until);
    let expired = record.expires_at.is_some_and(|at| at <= now);
    if !(current || previous) || record.revoked_at.is_some() || expired {
        return Err(invalid());
    }
    let limit = record
        .rate_limit_per_minute
        .unwrap_or(state.config.api_key_rate_limit);
    let used = persistence::api_keys::count_request(&state.db, record.id, now).await?;
    let window_end = persistence::api_keys::minute_of(now) + chrono::Duration::minutes(1);
    let reset = u64::try_from((window_end - now).num_seconds().max(1)).unwrap_or(60);
    let rate_limit = RateLimit {
        limit,
        remaining: limit.saturating_sub(used),
        reset,
    };
    if used > limit {
        return Err(ApiError::of(ErrorCode::RateLimited)
            .retry_after(reset)
            .with_rate_limit(rate_limit));
    }
    Ok(VerifiedKey {
        actor: domain::Actor::service_account(
            record.service_account,
            record.id,
            record.organisation.id,
            record.organisation_kind,
            record.scopes,
        ),
        name: record.name,
        rate_limit,
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
