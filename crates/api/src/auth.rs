//! Authentication: argon2id password hashes, access JWTs, and the `AuthUser` extractor.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL_SECONDS: i64 = 15 * 60;
/// The audience every access token is issued for.
pub const AUDIENCE: &str = "dispatch-api";
const ACCESS_TOKEN_TYPE: &str = "access";

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

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

/// Signs and checks access tokens with one key and exactly one algorithm (HS256).
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
}

impl TokenKeys {
    pub fn new(secret: &str, issuer: &str) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            issuer: issuer.to_owned(),
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
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("token signing failed: {e}")))
    }

    /// Verifies signature, algorithm, expiry (no leeway), issuer, audience and token type.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| ApiError::Unauthorized("invalid_token"))?;
        if data.claims.typ != ACCESS_TOKEN_TYPE {
            return Err(ApiError::Unauthorized("invalid_token"));
        }
        Ok(data.claims)
    }
}

/// The caller, proven by a valid bearer access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: domain::Role,
    pub organisation_id: Option<Uuid>,
}

impl AuthUser {
    pub fn actor(&self) -> domain::Actor {
        domain::Actor {
            user_id: self.id,
            role: self.role,
            organisation_id: self.organisation_id,
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::Internal("token keys are not configured".to_owned()))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("missing_token"))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("invalid_token"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or(ApiError::Unauthorized("invalid_token"))?;
    let claims = keys.verify(token.trim())?;
    Ok(AuthUser {
        id: claims.sub,
        role: claims.role,
        organisation_id: claims.org,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
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
