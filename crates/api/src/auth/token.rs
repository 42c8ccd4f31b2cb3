//! Access tokens: HS256 JWTs, and the random secrets and hashes of refresh tokens and API keys.
//!
//! Keys rotate: every token names its key in the header's `kid` (derived from the secret, never
//! the secret). The current key (`APP_JWT_SECRET`) signs; it and the retiring ones
//! (`APP_JWT_PREVIOUS_SECRETS`) verify, so tokens signed before a rotation keep working until they
//! expire (15 minutes), and a key is retired by leaving it out.

use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL_SECONDS: i64 = 15 * 60;
/// Lifetime of a refresh token.
pub const REFRESH_TOKEN_TTL_SECONDS: i64 = domain::accounts::REFRESH_TOKEN_TTL_SECONDS;
/// The audience every access token is issued for.
pub const AUDIENCE: &str = "dispatch-api";
const ACCESS_TOKEN_TYPE: &str = "access";

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: domain::Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<Uuid>,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// Always `access`; refresh tokens are opaque and never JWTs.
    pub typ: String,
}

/// Signs access tokens with the current key and checks them with any active key, with exactly
/// one algorithm (HS256).
#[derive(Clone)]
pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    /// Every active key by its `kid`, the current one first.
    decoding: Vec<(String, DecodingKey)>,
    issuer: String,
    /// What `verify` checks besides the signature, built once.
    validation: Validation,
}

/// The public name of a key: 16 hex digits of a hash of the secret.
pub fn key_id(secret: &str) -> String {
    sha256_hex(&format!("dispatch jwt kid\0{secret}"))[..16].to_owned()
}

impl TokenKeys {
    pub fn new(secret: &str, issuer: &str) -> Self {
        Self::rotating(secret, &[], issuer)
    }

    /// Signs with `current`; verifies with it and with each of `previous`.
    pub fn rotating(current: &str, previous: &[&str], issuer: &str) -> Self {
        Self {
            kid: key_id(current),
            encoding: EncodingKey::from_secret(&hmac_key(current)),
            decoding: std::iter::once(current)
                .chain(previous.iter().copied())
                .map(|secret| (key_id(secret), DecodingKey::from_secret(&hmac_key(secret))))
                .collect(),
            issuer: issuer.to_owned(),
            validation: validation(issuer),
        }
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        role: domain::Role,
        organisation: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let claims = Claims {
            sub: user_id,
            role,
            org: organisation,
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: now.timestamp() + ACCESS_TOKEN_TTL_SECONDS,
            jti: Uuid::new_v4(),
            typ: ACCESS_TOKEN_TYPE.to_owned(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding)
            .map_err(|e| ApiError::internal(format!("token signing failed: {e}")))
    }

    /// Verifies signature, algorithm, expiry (no leeway), issuer, audience and token type.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::of(ErrorCode::InvalidToken))?;
        // The key the token names; a token without `kid` (issued before keys rotated) only by the
        // current key.
        let key = match header.kid.as_deref() {
            Some(kid) => self.decoding.iter().find(|(id, _)| id == kid),
            None => self.decoding.first(),
        }
        .map(|(_, key)| key)
        .ok_or_else(|| ApiError::of(ErrorCode::InvalidToken))?;
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation)
            .map_err(|_| ApiError::of(ErrorCode::InvalidToken))?;
        if data.claims.typ != ACCESS_TOKEN_TYPE {
            return Err(ApiError::of(ErrorCode::InvalidToken));
        }
        Ok(data.claims)
    }
}

/// Exactly one algorithm (HS256); expiry with no leeway, issuer, audience and subject required.
fn validation(issuer: &str) -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation
}

/// The HMAC key of a secret, as HMAC itself would use it (RFC 2104 §2): a secret longer than
/// SHA-256's 64-byte block is replaced by its SHA-256. Done once here, instead of on every
/// signature the library checks; the tokens are the same bytes either way.
fn hmac_key(secret: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    const SHA256_BLOCK: usize = 64;
    if secret.len() > SHA256_BLOCK {
        Sha256::digest(secret.as_bytes()).to_vec()
    } else {
        secret.as_bytes().to_vec()
    }
}

/// 256 random bits from the operating system, base64url without padding (43 characters).
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::internal(format!("no randomness available: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Lower-case hex SHA-256: how refresh tokens and API keys are stored.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two strings in time that depends only on their lengths.
pub(super) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_rotate_by_kid() {
        const OLD: &str = "an-old-secret-0123456789abcdef-0123";
        let before = TokenKeys::new(OLD, "dispatch");
        let token = before
            .issue(Uuid::new_v4(), domain::Role::Resident, None, Utc::now())
            .unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.kid.as_deref(), Some(key_id(OLD).as_str()));
        assert!(!token.contains(OLD));
        // Rotated: the new key signs, the old one still verifies until it is left out.
        let during = TokenKeys::rotating(SECRET, &[OLD], "dispatch");
        assert!(during.verify(&token).is_ok());
        let fresh = during
            .issue(Uuid::new_v4(), domain::Role::Resident, None, Utc::now())
            .unwrap();
        assert_eq!(
            jsonwebtoken::decode_header(&fresh).unwrap().kid,
            Some(key_id(SECRET))
        );
        assert!(before.verify(&fresh).is_err());
        let after = TokenKeys::new(SECRET, "dispatch");
        assert!(after.verify(&token).is_err());
        assert!(after.verify(&fresh).is_ok());
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_long_secret_signs_as_plain_hmac_would() {
        // 64 bytes is HMAC-SHA256's block; longer secrets are hashed once, ahead of time.
        for secret in [
            "x".repeat(64),
            "y".repeat(65),
            format!("bench-{}", "ab".repeat(40)),
        ] {
            let keys = TokenKeys::new(&secret, "dispatch");
            let token = keys
                .issue(Uuid::new_v4(), domain::Role::Company, None, Utc::now())
                .unwrap();
            // Signed with the raw secret by the library itself: the same signature.
            let claims = jsonwebtoken::decode::<Claims>(
                &token,
                &DecodingKey::from_secret(secret.as_bytes()),
                &validation("dispatch"),
            )
            .unwrap()
            .claims;
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some(key_id(&secret));
            let by_library = jsonwebtoken::encode(
                &header,
                &claims,
                &EncodingKey::from_secret(secret.as_bytes()),
            )
            .unwrap();
            assert_eq!(by_library, token);
            assert!(keys.verify(&by_library).is_ok());
        }
    }

    #[test]
    fn tokens_verify_and_reject_tampering() {
        let keys = TokenKeys::new(SECRET, "dispatch");
        let id = Uuid::new_v4();
        let token = keys
            .issue(id, domain::Role::Dispatcher, None, Utc::now())
            .unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(claims.sub, id);
        assert_eq!(claims.role, domain::Role::Dispatcher);

        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert!(keys.verify(&tampered).is_err());
        assert!(
            TokenKeys::new(SECRET, "other-issuer")
                .verify(&token)
                .is_err()
        );
        assert!(
            TokenKeys::new("another secret of thirty-two chars!", "dispatch")
                .verify(&token)
                .is_err()
        );
    }

    #[test]
    fn expired_tokens_are_rejected() {
        let keys = TokenKeys::new(SECRET, "dispatch");
        let issued = Utc::now() - chrono::Duration::seconds(ACCESS_TOKEN_TTL_SECONDS + 1);
        let token = keys
            .issue(Uuid::new_v4(), domain::Role::Resident, None, issued)
            .unwrap();
        assert!(keys.verify(&token).is_err());
    }

    #[test]
    fn alg_none_is_rejected() {
        use base64::Engine;
        let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let keys = TokenKeys::new(SECRET, "dispatch");
        let header = encode(r#"{"alg":"none","typ":"JWT"}"#);
        let exp = Utc::now().timestamp() + 600;
        let body = encode(&format!(
            r#"{{"sub":"{}","role":"admin","iss":"dispatch","aud":"{AUDIENCE}","iat":0,"exp":{exp},"jti":"{}","typ":"access"}}"#,
            Uuid::new_v4(),
            Uuid::new_v4()
        ));
        assert!(keys.verify(&format!("{header}.{body}.")).is_err());
    }
}
