//! `Idempotency-Key` on every creating or changing request of complaints (filing, transitions,
//! attachments): a retry over a flaky mobile network replays the first answer and never files,
//! steps or attaches twice. The key is claimed inside the request's own unit of work, so two
//! parallel requests with one key make one change; the same key with another request is refused.

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
        Ok(Some(Self {
            key: key.to_owned(),
            request_hash,
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
            Claim::Existing(stored) if stored.request_hash == self.request_hash => {
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
        Ok(uow
            .complete_idempotency(owner, &self.key, status.as_u16(), body)
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
