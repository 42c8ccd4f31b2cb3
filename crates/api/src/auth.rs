//! Authentication: access JWTs, opaque refresh tokens, API keys, and
//! the extractors.
//!
//! - [`AuthUser`]: a person, proven by a bearer access JWT. Checked without the database. Every
//!   lifecycle handler takes this; an API key sent to it is refused with 401 `invalid_token`.
//! - [`ServiceAccount`]: a third-party integration, proven by an API key (`Authorization: Bearer
//!   dk_...` or `X-Api-Key: dk_...`), looked up in the database. It has an organisation and scopes
//!   but no role, so it can never become a [`domain::Actor`] and pass a lifecycle permission.
//! - [`Caller`]: either of the two, for the few endpoints that serve both.

use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::startup::AppState;

/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL_SECONDS: i64 = 15 * 60;
/// Lifetime of a refresh token.
pub const REFRESH_TOKEN_TTL_SECONDS: i64 = 30 * 24 * 60 * 60;
/// The prefix of every API key: `dk_<key id, 32 hex digits>_<secret>`.
pub const API_KEY_PREFIX: &str = "dk_";
/// The header that may carry an API key instead of `Authorization`.
pub const API_KEY_HEADER: &str = "x-api-key";
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

/// 256 random bits from the operating system, base64url without padding (43 characters).
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::Internal(format!("no randomness available: {e}")))?;
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
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// What an API key may do: a closed set. Handlers check it with `ServiceAccount::require_scope`
/// or `Caller::require_scope`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
pub enum Scope {
    /// Read complaints of the key's organisation.
    #[serde(rename = "complaints:read")]
    ComplaintsRead,
    /// File complaints.
    #[serde(rename = "complaints:create")]
    ComplaintsCreate,
    /// Read the published company scorecards.
    #[serde(rename = "scorecard:read")]
    ScorecardRead,
}

impl Scope {
    pub const ALL: [Scope; 3] = [
        Scope::ComplaintsRead,
        Scope::ComplaintsCreate,
        Scope::ScorecardRead,
    ];

    /// The stable name, as stored and sent over the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::ComplaintsRead => "complaints:read",
            Scope::ComplaintsCreate => "complaints:create",
            Scope::ScorecardRead => "scorecard:read",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == name)
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

    /// 403 `forbidden` unless the token carries the `admin` role.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == domain::Role::Admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Only an administrator may do this.".to_owned(),
            ))
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
    match credential(req)? {
        Credential::Jwt(token) => verify_jwt(req, &token),
        Credential::ApiKey(_) => Err(ApiError::Unauthorized("invalid_token")),
    }
}

fn verify_jwt(req: &HttpRequest, token: &str) -> Result<AuthUser, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::Internal("token keys are not configured".to_owned()))?;
    let claims = keys.verify(token)?;
    Ok(AuthUser {
        id: claims.sub,
        role: claims.role,
        organisation_id: claims.org,
    })
}

/// What the request presents: an access JWT or an API key.
enum Credential {
    Jwt(String),
    ApiKey(String),
}

fn credential(req: &HttpRequest) -> Result<Credential, ApiError> {
    let header_text = |name: header::HeaderName| {
        req.headers()
            .get(name)
            .map(|value| value.to_str().map(str::trim))
            .transpose()
    };
    let authorization =
        header_text(header::AUTHORIZATION).map_err(|_| ApiError::Unauthorized("invalid_token"))?;
    let api_key = header_text(header::HeaderName::from_static(API_KEY_HEADER))
        .map_err(|_| ApiError::Unauthorized("invalid_api_key"))?;
    match (authorization, api_key) {
        (Some(_), Some(_)) => Err(ApiError::Unauthorized("ambiguous_credentials")),
        (None, Some(key)) => Ok(Credential::ApiKey(key.to_owned())),
        (None, None) => Err(ApiError::Unauthorized("missing_token")),
        (Some(value), None) => {
            let token = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .ok_or(ApiError::Unauthorized("invalid_token"))?
                .trim();
            if token.starts_with(API_KEY_PREFIX) {
                Ok(Credential::ApiKey(token.to_owned()))
            } else {
                Ok(Credential::Jwt(token.to_owned()))
            }
        }
    }
}

/// A third-party integration, proven by an API key. It acts for one organisation, within its
/// scopes, and has no role: it is never a [`domain::Actor`].
#[derive(Debug, Clone)]
pub struct ServiceAccount {
    pub key_id: Uuid,
    pub name: String,
    pub organisation_id: Uuid,
    pub scopes: Vec<Scope>,
}

impl ServiceAccount {
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// 403 `insufficient_scope` unless the key was granted `scope`.
    pub fn require_scope(&self, scope: Scope) -> Result<(), ApiError> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(scope.as_str()))
        }
    }
}

type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

impl FromRequest for ServiceAccount {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match credential(&req)? {
                Credential::ApiKey(key) => verify_api_key(&req, &key).await,
                Credential::Jwt(_) => Err(ApiError::Unauthorized("invalid_api_key")),
            }
        })
    }
}

/// Who is calling: a signed-in person or an integration's API key.
#[derive(Debug, Clone)]
pub enum Caller {
    User(AuthUser),
    Service(ServiceAccount),
}

impl Caller {
    /// Scopes restrict API keys only: for a person this always passes, because what a person may
    /// do is decided by the domain from their role. For a key, 403 `insufficient_scope`.
    pub fn require_scope(&self, scope: Scope) -> Result<(), ApiError> {
        match self {
            Caller::User(_) => Ok(()),
            Caller::Service(service) => service.require_scope(scope),
        }
    }

    /// The person, or 403 `forbidden` for an API key.
    pub fn user(&self) -> Result<&AuthUser, ApiError> {
        match self {
            Caller::User(user) => Ok(user),
            Caller::Service(_) => Err(ApiError::Forbidden(
                "This needs a person's sign-in, not an API key.".to_owned(),
            )),
        }
    }

    pub fn organisation_id(&self) -> Option<Uuid> {
        match self {
            Caller::User(user) => user.organisation_id,
            Caller::Service(service) => Some(service.organisation_id),
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match credential(&req)? {
                Credential::ApiKey(key) => verify_api_key(&req, &key).await.map(Caller::Service),
                Credential::Jwt(token) => verify_jwt(&req, &token).map(Caller::User),
            }
        })
    }
}

/// `dk_<32 hex digits>_<secret>` → the key id.
fn api_key_id(key: &str) -> Option<Uuid> {
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

async fn verify_api_key(req: &HttpRequest, key: &str) -> Result<ServiceAccount, ApiError> {
    let invalid = || ApiError::Unauthorized("invalid_api_key");
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state is missing".to_owned()))?;
    let id = api_key_id(key).ok_or_else(invalid)?;
    let record = persistence::api_keys::find(&state.db, id)
        .await?
        .ok_or_else(invalid)?;
    if record.revoked_at.is_some() || !constant_time_eq(&sha256_hex(key), &record.key_hash) {
        return Err(invalid());
    }
    let scopes = record
        .scopes
        .iter()
        .map(|name| {
            Scope::parse(name).ok_or_else(|| {
                ApiError::Internal(format!("api key {id} has unknown scope {name:?}"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ServiceAccount {
        key_id: record.id,
        name: record.name,
        organisation_id: record.organisation.id,
        scopes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

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
    fn scopes_round_trip_and_are_required() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
            assert_eq!(
                serde_json::to_value(scope).unwrap(),
                serde_json::json!(scope.as_str())
            );
        }
        assert_eq!(Scope::parse("complaints:delete"), None);
        let service = ServiceAccount {
            key_id: Uuid::new_v4(),
            name: "1C".to_owned(),
            organisation_id: Uuid::new_v4(),
            scopes: vec![Scope::ComplaintsRead],
        };
        assert!(service.require_scope(Scope::ComplaintsRead).is_ok());
        let err = service.require_scope(Scope::ComplaintsCreate).unwrap_err();
        assert_eq!(err.code(), "insufficient_scope");
        assert!(
            Caller::Service(service.clone())
                .require_scope(Scope::ScorecardRead)
                .is_err()
        );
        assert!(Caller::Service(service).user().is_err());
    }

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
