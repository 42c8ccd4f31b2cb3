//! Authentication: who calls. Every credential becomes one [`domain::Actor`], and every decision
//! about what it may do is the domain's.
//!
//! - [`Caller`]: anyone with credentials: a person with a bearer access JWT, or an organisation's
//!   service account with an API key (`X-Api-Key: dk_...` or `Authorization: Bearer dk_...`).
//! - [`AuthUser`]: a person only (an API key gets 401 `invalid_token`): for sessions, passwords
//!   and the endpoints that service accounts do not use.
//! - [`Admin`]: a person the domain lets administer, whose account is still active.

mod api_key;
mod token;

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use uuid::Uuid;

pub use api_key::{API_KEY_HEADER, API_KEY_PREFIX, api_key_text};
pub mod standing;
pub use token::{
    ACCESS_TOKEN_TTL_SECONDS, AUDIENCE, Claims, REFRESH_TOKEN_TTL_SECONDS, TokenKeys, key_id,
    random_token, sha256_hex,
};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The caller, proven by a valid bearer access token: a person.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: domain::Role,
    pub organisation_id: Option<Uuid>,
}

impl AuthUser {
    /// The person as the domain sees them.
    pub fn actor(&self) -> domain::Actor {
        domain::Actor::person(self.id, self.role, self.organisation_id)
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match credential(&req)? {
                Credential::Jwt(token) => verify_person(&req, &token).await,
                Credential::ApiKey(_) => Err(ApiError::of(ErrorCode::InvalidToken)),
            }
        })
    }
}

/// A valid access token of an account that may still act (`standing`).
async fn verify_person(req: &HttpRequest, token: &str) -> Result<AuthUser, ApiError> {
    let user = verify_jwt(req, token)?;
    let app = state(req)?;
    if !standing::may_act(&app.db, &app.standings, app.config.demo, user.id).await? {
        return Err(ApiError::of(ErrorCode::InvalidToken));
    }
    Ok(user)
}

/// Anyone with credentials, as the domain sees them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: domain::Actor,
    /// A service account's key name (how it is shown); `None` for a person.
    pub key_name: Option<String>,
}

type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match credential(&req)? {
                Credential::Jwt(token) => verify_person(&req, &token).await.map(|user| Caller {
                    actor: user.actor(),
                    key_name: None,
                }),
                Credential::ApiKey(key) => {
                    let verified = api_key::verify(state(&req)?, &key).await?;
                    req.extensions_mut().insert(verified.rate_limit);
                    Ok(Caller {
                        actor: verified.actor,
                        key_name: Some(verified.name),
                    })
                }
            }
        })
    }
}

impl Caller {
    /// The service account of an API key sent in a form field (Open311's `api_key`): the same
    /// checks, rate limit and `RateLimit-*` headers as a key sent in a header.
    pub async fn from_api_key(req: &HttpRequest, key: &str) -> Result<Caller, ApiError> {
        let verified = api_key::verify(state(req)?, key).await?;
        req.extensions_mut().insert(verified.rate_limit);
        Ok(Caller {
            actor: verified.actor,
            key_name: Some(verified.name),
        })
    }
}

/// A person the domain lets administer (the `admin` role), whose account is still active: a
/// deactivated administrator's token stops working here at once.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl Admin {
    pub fn id(&self) -> Uuid {
        self.0.id
    }
}

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let user = user.await?;
            domain::administer(&user.actor())?;
            persistence::users::standing(&state(&req)?.db, user.id)
                .await?
                .filter(|account| account.is_active && account.role == domain::Role::Admin)
                .ok_or_else(|| ApiError::of(ErrorCode::InvalidToken))?;
            Ok(Admin(user))
        })
    }
}

/// Who may read the registries (organisations, buildings, categories): an active administrator,
/// or a service account whose key has `admin:read` (the domain's `read_registries`).
#[derive(Debug, Clone)]
pub struct RegistryReader(pub domain::Actor);

impl FromRequest for RegistryReader {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        let admin = Admin::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            match caller.actor.principal {
                domain::Principal::ServiceAccount { .. } => {
                    domain::read_registries(&caller.actor)?;
                    Ok(RegistryReader(caller.actor))
                }
                domain::Principal::User { .. }
                | domain::Principal::System
                | domain::Principal::Applicant { .. } => {
                    let admin = admin.await?;
                    Ok(RegistryReader(admin.0.actor()))
                }
            }
        })
    }
}

/// Who may keep webhook subscriptions: an active administrator, or a service account (whose
/// scope and organisation the domain's `manage_webhooks` checks against each subscription).
#[derive(Debug, Clone)]
pub struct WebhookKeeper(pub domain::Actor);

impl FromRequest for WebhookKeeper {
    type Error = ApiError;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        let admin = Admin::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            match caller.actor.principal {
                domain::Principal::ServiceAccount { .. } => {
                    caller.actor.require_scope(domain::Scope::Webhooks)?;
                    Ok(WebhookKeeper(caller.actor))
                }
                domain::Principal::User { .. }
                | domain::Principal::System
                | domain::Principal::Applicant { .. } => {
                    let admin = admin.await?;
                    Ok(WebhookKeeper(admin.0.actor()))
                }
            }
        })
    }
}

fn state(req: &HttpRequest) -> Result<&AppState, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .map(|data| data.get_ref())
        .ok_or_else(|| ApiError::internal("application state is missing"))
}

fn verify_jwt(req: &HttpRequest, token: &str) -> Result<AuthUser, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::internal("token keys are not configured"))?;
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
        header_text(header::AUTHORIZATION).map_err(|_| ApiError::of(ErrorCode::InvalidToken))?;
    let api_key = header_text(header::HeaderName::from_static(API_KEY_HEADER))
        .map_err(|_| ApiError::of(ErrorCode::InvalidApiKey))?;
    match (authorization, api_key) {
        (Some(_), Some(_)) => Err(ApiError::of(ErrorCode::AmbiguousCredentials)),
        (None, Some(key)) => Ok(Credential::ApiKey(key.to_owned())),
        (None, None) => Err(ApiError::of(ErrorCode::MissingToken)),
        (Some(value), None) => {
            let token = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .ok_or_else(|| ApiError::of(ErrorCode::InvalidToken))?
                .trim();
            if token.starts_with(API_KEY_PREFIX) {
                Ok(Credential::ApiKey(token.to_owned()))
            } else {
                Ok(Credential::Jwt(token.to_owned()))
            }
        }
    }
}
