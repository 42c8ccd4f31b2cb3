//! `Idempotency-Key` on every creating or changing request of complaints (filing, transitions,
//! attachments): a retry over a flaky mobile network replays the first answer and never files,
//! steps or attaches twice. The key is claimed inside the request's own unit of work, so two
//! parallel requests with one key make one change; the same key with another request is refused.
//!
//! The stored answer is sealed (ChaCha20-Poly1305, a key derived from the JWT secret): a clerk's
//! answer holds the PIN and the unmasked phone of the person filed for, and the table keeps it for
//! 24 hours (finding 17). An answer that can no longer be opened (the secret changed) is not
//! replayed: 409, retry with a new key.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use persistence::complaints::{Claim, StoredResponse, UnitOfWork};

use crate::error::{ApiError, ErrorCode};

/// A request's key, and the hash of what the request asks for.
pub struct Idempotency {
    key: String,
    request_hash: String,
    /// The keys that seal stored answers: the first seals, all of them open.
    seals: Vec<[u8; 32]>,
}

impl Idempotency {
    /// The `Idempotency-Key` header (1 to 128 visible ASCII characters), if sent; the request is
    /// identified by its method, path and `parts` (its body, `If-Match`, …).
    pub fn of(req: &HttpRequest, parts: &[&[u8]]) -> Result<Option<Self>, ApiError> {
        let Some(value) = req.headers().get("idempotency-key") else {
            return Ok(None);
        };
        let key = value.to_str().unwrap_or_default().trim();
        if key.is_empty() || key.len() > 128 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::of(ErrorCode::InvalidIdempotencyKey));
        }
        let mut hasher = Sha256::new();
        hasher.update(req.method().as_str());
        hasher.update([0]);
        hasher.update(req.path());
        for part in parts {
            hasher.update([0]);
            hasher.update(part);
        }
        let request_hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let seals = req
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .map(|state| seal_keys(&state.config))
            .unwrap_or_default();
        Ok(Some(Self {
            key: key.to_owned(),
            request_hash,
            seals,
        }))
    }

    /// Takes the key for `owner` in `uow`. `Some(answer)` when the key was used before: the first
    /// answer again (same request), or 422 `idempotency_key_reused` (another request).
    pub async fn claim(
        &self,
        uow: &UnitOfWork,
        owner: Uuid,
        now: DateTime<Utc>,
        headers: fn(&serde_json::Value) -> Vec<(header::HeaderName, String)>,
    ) -> Result<Option<HttpResponse>, ApiError> {
        match uow
            .claim_idempotency(owner, &self.key, &self.request_hash, now)
            .await?
        {
            Claim::Claimed => Ok(None),
            Claim::Existing(mut stored) if stored.request_hash == self.request_hash => {
                stored.body = open(&self.seals, &stored.body).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Conflict,
                        "The first answer to this key can no longer be read; retry with a new key.",
                    )
                })?;
                Ok(Some(replay(stored, headers)))
            }
            Claim::Existing(_) => Err(ApiError::of(ErrorCode::IdempotencyKeyReused)),
        }
    }

    /// Stores the answer, to be replayed.
    pub async fn complete(
        &self,
        uow: &UnitOfWork,
        owner: Uuid,
        status: StatusCode,
        body: &str,
    ) -> Result<(), ApiError> {
        let sealed = match self.seals.first() {
            Some(key) => seal(key, body)?,
            None => body.to_owned(),
        };
        Ok(uow
            .complete_idempotency(owner, &self.key, status.as_u16(), &sealed)
            .await?)
    }
}

/// The first answer to the key, sent again with `Idempotent-Replayed: true`.
fn replay(
    stored: StoredResponse,
    headers: fn(&serde_json::Value) -> Vec<(header::HeaderName, String)>,
) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header(("Idempotent-Replayed", "true"));
    if let Ok(body) = serde_json::from_str::<serde_json::Value>(&stored.body) {
        for (name, value) in headers(&body) {
            response.insert_header((name, value));
        }
    }
    response.content_type("application/json").body(stored.body)
}

const SEALED: &str = "sealed:v1:";

/// The sealing keys, from the JWT secrets (the current one first).
fn seal_keys(config: &crate::config::Config) -> Vec<[u8; 32]> {
    std::iter::once(&config.jwt_secret)
        .chain(config.jwt_previous_secrets.iter())
        .map(|secret| {
            let mut hasher = Sha256::new();
            hasher.update(b"dispatch idempotent answers v1\0");
            hasher.update(secret.expose().as_bytes());
            hasher.finalize().into()
        })
        .collect()
}

fn seal(key: &[u8; 32], body: &str) -> Result<String, ApiError> {
    use base64::Engine;
    use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
    let failed = |_| ApiError::internal("sealing the stored answer failed");
    let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).map_err(failed)?);
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|_| ApiError::internal("no randomness available"))?;
    let mut data = body.as_bytes().to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
        .map_err(failed)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    Ok(format!(
        "{SEALED}{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
    ))
}

/// The stored answer as first given; `None` when no key opens it. Answers stored before
/// sealing are plain JSON.
fn open(keys: &[[u8; 32]], stored: &str) -> Option<String> {
    use base64::Engine;
    use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
    let Some(sealed) = stored.strip_prefix(SEALED) else {
        return Some(stored.to_owned());
    };
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(sealed)
        .ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, data) = bytes.split_at(12);
    keys.iter().find_map(|key| {
        let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).ok()?);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut data = data.to_vec();
        let plain = key.open_in_place(nonce, Aad::empty(), &mut data).ok()?;
        String::from_utf8(plain.to_vec()).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_answers_open_with_their_key_only() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let sealed = seal(&a, r#"{"pin":"402913"}"#).unwrap();
        assert!(sealed.starts_with(SEALED));
        assert!(!sealed.contains("402913"));
        assert_eq!(
            open(&[b, a], &sealed).as_deref(),
            Some(r#"{"pin":"402913"}"#)
        );
        assert_eq!(open(&[b], &sealed), None);
        assert_eq!(open(&[b], "{}").as_deref(), Some("{}"));
    }
}
