//! The one error type of the API, answered as `application/problem+json` (RFC 9457) with a
//! stable `code`. A 500 logs its cause and tells the caller nothing internal.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use persistence::RepoError;

/// A problem report (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:dispatch:problem:validation_failed",
    "title": "Проверьте введённые данные",
    "status": 422,
    "detail": "Some fields are invalid.",
    "code": "validation_failed",
    "errors": { "password": ["must not be empty"] }
}))]
pub struct Problem {
    /// `urn:dispatch:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short human summary, in Russian.
    pub title: String,
    pub status: u16,
    /// What went wrong in this case, in English.
    pub detail: String,
    /// The stable machine-readable code. Clients switch on this.
    pub code: String,
    /// Field-level messages, for `validation_failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(BTreeMap<String, Vec<String>>),
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("invalid login or password")]
    InvalidCredentials,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("conflict: {0}")]
    Conflict(String),
    /// The `If-Match` version is not the current one.
    #[error("precondition failed")]
    PreconditionFailed,
    /// A state change was sent without `If-Match`.
    #[error("precondition required")]
    PreconditionRequired,
    /// The lifecycle does not allow this now.
    #[error("action not possible: {detail}")]
    ActionNotPossible { code: &'static str, detail: String },
    /// A quota other than sign-in attempts, e.g. the daily filing limit.
    #[error("rate limited: {code}")]
    RateLimited {
        code: &'static str,
        retry_after_seconds: u64,
    },
    #[error("unprocessable: {detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// Too much work queued (e.g. password hashing); retry shortly.
    #[error("server busy")]
    Busy,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// Too many failed attempts; answered with `Retry-After`.
    #[error("too many requests; retry after {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: u64 },
    /// An API key lacks the scope an endpoint needs (the scope's name).
    #[error("insufficient scope: {0}")]
    InsufficientScope(&'static str),
    /// Self-registration or account creation with a phone or e-mail already in use.
    #[error("already registered")]
    AlreadyRegistered,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::BadRequest { code, .. } => code,
            Self::Unauthorized(code) => code,
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::Conflict(_) => "conflict",
            Self::PreconditionFailed => "version_mismatch",
            Self::PreconditionRequired => "if_match_required",
            Self::ActionNotPossible { code, .. } => code,
            Self::RateLimited { code, .. } => code,
            Self::Unprocessable { code, .. } => code,
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Unavailable(_) => "service_unavailable",
            Self::Busy => "server_busy",
            Self::Internal(_) => "internal_error",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::InsufficientScope(_) => "insufficient_scope",
            Self::AlreadyRegistered => "already_registered",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::Validation(_) => "Проверьте введённые данные",
            Self::BadRequest { .. } => "Некорректный запрос",
            Self::Unauthorized(_) => "Требуется вход",
            Self::InvalidCredentials => "Неверный логин или пароль",
            Self::Forbidden(_) => "Недостаточно прав",
            Self::NotFound => "Не найдено",
            Self::MethodNotAllowed { .. } => "Метод не поддерживается",
            Self::Conflict(_) => "Конфликт",
            Self::PreconditionFailed => "Жалобу уже кто-то изменил",
            Self::PreconditionRequired => "Нужна версия жалобы",
            Self::ActionNotPossible { .. } => "Действие сейчас невозможно",
            Self::RateLimited { .. } => "Слишком много запросов",
            Self::Unprocessable { .. } => "Запрос не может быть выполнен",
            Self::PayloadTooLarge => "Слишком большой запрос",
            Self::UnsupportedMediaType(_) => "Неподдерживаемый формат",
            Self::Unavailable(_) => "Сервис временно недоступен",
            Self::Busy => "Сервер перегружен",
            Self::Internal(_) => "Внутренняя ошибка",
            Self::TooManyRequests { .. } => "Слишком много попыток",
            Self::InsufficientScope(_) => "Ключу API не хватает прав",
            Self::AlreadyRegistered => "Уже зарегистрирован",
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::Validation(_) => "Some fields are invalid; see `errors`.".to_owned(),
            Self::BadRequest { detail, .. } => detail.clone(),
            Self::Unauthorized(_) => "A valid bearer token is required.".to_owned(),
            Self::InvalidCredentials => "The login or the password is wrong.".to_owned(),
            Self::Forbidden(why) => why.clone(),
            Self::NotFound => "Nothing exists here, or you may not see it.".to_owned(),
            Self::MethodNotAllowed { allow } => format!("Allowed methods: {}.", allow.join(", ")),
            Self::Conflict(why) => why.clone(),
            Self::PreconditionFailed => {
                "Someone changed this complaint since you loaded it; reload it and try again."
                    .to_owned()
            }
            Self::PreconditionRequired => {
                "Send the complaint's current version (its ETag) in the If-Match header.".to_owned()
            }
            Self::ActionNotPossible { detail, .. } | Self::Unprocessable { detail, .. } => {
                detail.clone()
            }
            Self::RateLimited {
                retry_after_seconds,
                ..
            } => {
                format!("The limit is reached; retry in {retry_after_seconds} s.")
            }
            Self::PayloadTooLarge => {
                "The request body is larger than this endpoint accepts.".to_owned()
            }
            Self::UnsupportedMediaType(why) => why.clone(),
            Self::Unavailable(_) => {
                "The database cannot be reached right now; retry shortly.".to_owned()
            }
            Self::Busy => "The server is busy; retry in a second.".to_owned(),
            Self::Internal(_) => "Something went wrong on our side; it has been logged.".to_owned(),
            Self::TooManyRequests {
                retry_after_seconds,
            } => format!("Too many failed attempts; retry in {retry_after_seconds} seconds."),
            Self::InsufficientScope(scope) => {
                format!("This API key lacks the scope `{scope}`.")
            }
            Self::AlreadyRegistered => {
                "An account with this phone or e-mail already exists; sign in instead.".to_owned()
            }
        }
    }

    pub fn problem(&self) -> Problem {
        let code = self.code();
        Problem {
            kind: format!("urn:dispatch:problem:{code}"),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: code.to_owned(),
            errors: match self {
                Self::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
        }
    }

    /// One field's message, for hand-written checks.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(BTreeMap::from([(field.to_owned(), vec![message.into()])]))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::ActionNotPossible { .. } => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_) | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::InsufficientScope(_) => StatusCode::FORBIDDEN,
            Self::AlreadyRegistered => StatusCode::CONFLICT,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "request failed"),
            Self::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            Self::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            Self::Unavailable(_) | Self::Busy => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            Self::RateLimited {
                retry_after_seconds,
                ..
            } => {
                response
                    .insert_header((header::RETRY_AFTER, retry_after_seconds.max(&1).to_string()));
            }
            Self::Unauthorized(_) | Self::InvalidCredentials => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::TooManyRequests {
                retry_after_seconds,
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl From<RepoError> for ApiError {
    fn from(err: RepoError) -> Self {
        match err {
            RepoError::NotFound => Self::NotFound,
            RepoError::Conflict(why) => Self::Conflict(why),
            RepoError::Stale => Self::PreconditionFailed,
            RepoError::Unavailable(why) => Self::Unavailable(why),
            RepoError::Db(cause) => Self::Internal(cause.to_string()),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = BTreeMap::new();
        collect_validation_errors(&errors, "", &mut fields);
        Self::Validation(fields)
    }
}

fn collect_validation_errors(
    errors: &validator::ValidationErrors,
    prefix: &str,
    out: &mut BTreeMap<String, Vec<String>>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                let messages = out.entry(path).or_default();
                messages.extend(list.iter().map(|e| {
                    e.message
                        .as_ref()
                        .map_or_else(|| e.code.to_string(), ToString::to_string)
                }));
            }
            ValidationErrorsKind::Struct(inner) => collect_validation_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

impl From<domain::DomainError> for ApiError {
    fn from(err: domain::DomainError) -> Self {
        use domain::DomainError;
        match err {
            DomainError::Forbidden { role, operation } => {
                Self::Forbidden(format!("The role `{role}` may not {operation}."))
            }
            // Someone else's complaint: answer as if it did not exist.
            DomainError::NotOwner { .. } => Self::NotFound,
            DomainError::InvalidTransition { from, action } => Self::ActionNotPossible {
                code: "invalid_transition",
                detail: format!("`{action}` is not allowed while the complaint is `{from}`."),
            },
            DomainError::Validation { field, message } => Self::field(field, message),
            DomainError::Precondition { message } => Self::ActionNotPossible {
                code: "action_not_possible",
                detail: message,
            },
        }
    }
}
