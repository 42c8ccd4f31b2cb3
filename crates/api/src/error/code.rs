//! The closed table of error codes: each code has one HTTP status and one Russian title, so the
//! same fault is answered the same way everywhere. Published in the spec as the enum of
//! `Problem.code`.

use actix_web::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// A stable, machine-readable error code. Clients switch on this, never on the text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    ToSchema,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    /// Fields are invalid; `errors` maps each to its messages.
    ValidationFailed,
    /// The body is not the JSON this endpoint takes.
    MalformedJson,
    /// The request body could not be read.
    BadBody,
    /// A CSV upload has no header row, an unknown or missing column, or is not UTF-8.
    MalformedCsv,
    /// A query parameter is malformed or out of range.
    InvalidQuery,
    /// A `cursor` this API did not give.
    InvalidCursor,
    /// `If-Match` is not a complaint's ETag.
    InvalidIfMatch,
    /// `Idempotency-Key` is not 1 to 128 visible ASCII characters.
    InvalidIdempotencyKey,
    /// `If-None-Match` is not `*` or a list of entity tags.
    InvalidIfNoneMatch,
    /// No credentials were sent.
    MissingToken,
    /// The access token is missing, malformed, expired or forged.
    InvalidToken,
    /// The API key is missing, revoked, expired or unknown.
    InvalidApiKey,
    /// Both a bearer token and an API key were sent: which one acts would be a guess.
    AmbiguousCredentials,
    /// The refresh token is unknown, expired or revoked.
    InvalidRefreshToken,
    /// A spent refresh token was used again: its whole family is revoked.
    RefreshTokenReused,
    /// The login or the password is wrong.
    InvalidCredentials,
    /// The caller's role may never do this.
    Forbidden,
    /// The API key lacks a scope this needs.
    InsufficientScope,
    /// Nothing is here, or the caller may not see it.
    NotFound,
    /// The path exists, but not with this method (see `Allow`).
    MethodNotAllowed,
    /// The change conflicts with the current state (a duplicate, a self-deactivation, ...).
    Conflict,
    /// An account with this phone or e-mail exists.
    AlreadyRegistered,
    /// The complaint's status does not allow this action.
    InvalidTransition,
    /// The complaint's state does not allow this action now.
    ActionNotPossible,
    /// The complaint is closed: nothing more can be added.
    ComplaintClosed,
    /// Another dispatcher has taken this call; `held_by` and `held_until` say who and until when.
    CallTaken,
    /// Outside the calling hours of the city; `not_before` says when calls open.
    OutsideCallingHours,
    /// An unanswered call was recorded too recently; `not_before` says when the next may be.
    CallAttemptTooSoon,
    /// The complaint changed since the caller's `If-Match` version.
    VersionMismatch,
    /// A state change was sent without `If-Match`.
    IfMatchRequired,
    /// The `Idempotency-Key` was used before with another body.
    IdempotencyKeyReused,
    /// An uploaded file is damaged.
    DamagedFile,
    /// The body is larger than this endpoint accepts.
    PayloadTooLarge,
    /// The body's type is not one this endpoint accepts.
    UnsupportedMediaType,
    /// A wrong one-time code; `remaining_attempts` says how many tries are left.
    WrongCode,
    /// The one-time code expired (or already confirmed the number): ask for a new one.
    CodeExpired,
    /// The one-time code was burnt by too many wrong tries: ask for a new one.
    CodeBurnt,
    /// No new code yet for this number; see `Retry-After`.
    ResendTooSoon,
    /// A complaint named as its own original (a duplicate of itself).
    LinkToItself,
    /// The original named is closed and about another building.
    LinkToClosedElsewhere,
    /// The original named is, through its own links, a duplicate of this complaint.
    LinkCycle,
    /// The daily number of complaints is reached; see `Retry-After`.
    DailyLimitReached,
    /// Too many failed attempts; see `Retry-After`.
    TooManyRequests,
    /// Too many wrong PINs for this number; see `Retry-After`.
    TooManyAttempts,
    /// This API key made too many requests this minute; see `Retry-After` and `RateLimit-*`.
    RateLimited,
    /// The server is busy (e.g. password hashing); retry in a second.
    ServerBusy,
    /// The database cannot be reached; retry shortly.
    ServiceUnavailable,
    /// A fault on our side; it has been logged.
    InternalError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The one HTTP status of this code.
    pub fn status(self) -> StatusCode {
        use ErrorCode as C;
        match self {
            C::MalformedJson
            | C::BadBody
            | C::AmbiguousCredentials
            | C::InvalidQuery
            | C::InvalidCursor
            | C::InvalidIfMatch
            | C::InvalidIfNoneMatch
            | C::InvalidIdempotencyKey => StatusCode::BAD_REQUEST,
            C::MissingToken
            | C::InvalidToken
            | C::InvalidApiKey
            | C::InvalidRefreshToken
            | C::RefreshTokenReused
            | C::InvalidCredentials => StatusCode::UNAUTHORIZED,
            C::Forbidden | C::InsufficientScope => StatusCode::FORBIDDEN,
            C::NotFound => StatusCode::NOT_FOUND,
            C::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            C::Conflict
            | C::AlreadyRegistered
            | C::InvalidTransition
            | C::ActionNotPossible
            | C::ComplaintClosed
            | C::CallTaken
            | C::OutsideCallingHours
            | C::CallAttemptTooSoon => StatusCode::CONFLICT,
            C::VersionMismatch => StatusCode::PRECONDITION_FAILED,
            C::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            C::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            C::ValidationFailed
            | C::MalformedCsv
            | C::IdempotencyKeyReused
            | C::DamagedFile
            | C::WrongCode
            | C::LinkToItself
            | C::LinkToClosedElsewhere
            | C::LinkCycle => StatusCode::UNPROCESSABLE_ENTITY,
            C::CodeExpired | C::CodeBurnt => StatusCode::GONE,
            C::IfMatchRequired => StatusCode::PRECONDITION_REQUIRED,
            C::DailyLimitReached
            | C::TooManyRequests
            | C::TooManyAttempts
            | C::RateLimited
            | C::ResendTooSoon => StatusCode::TOO_MANY_REQUESTS,
            C::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            C::ServerBusy | C::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// A short human summary, in Russian.
    pub fn title(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::ValidationFailed => "Проверьте введённые данные",
            C::MalformedJson | C::BadBody | C::InvalidQuery | C::InvalidCursor => {
                "Некорректный запрос"
            }
            C::MalformedCsv => "Файл CSV не читается",
            C::InvalidIfMatch | C::IfMatchRequired => "Нужна версия жалобы",
            C::InvalidIfNoneMatch => "Некорректный заголовок If-None-Match",
            C::InvalidIdempotencyKey => "Некорректный ключ идемпотентности",
            C::MissingToken
            | C::InvalidToken
            | C::InvalidApiKey
            | C::AmbiguousCredentials
            | C::InvalidRefreshToken
            | C::RefreshTokenReused => "Требуется вход",
            C::InvalidCredentials => "Неверный логин или пароль",
            C::Forbidden => "Недостаточно прав",
            C::InsufficientScope => "Ключу API не хватает прав",
            C::NotFound => "Не найдено",
            C::MethodNotAllowed => "Метод не поддерживается",
            C::Conflict => "Конфликт",
            C::AlreadyRegistered => "Уже зарегистрирован",
            C::InvalidTransition | C::ActionNotPossible => "Действие сейчас невозможно",
            C::ComplaintClosed => "Жалоба закрыта",
            C::CallTaken => "Звонок уже взял другой диспетчер",
            C::OutsideCallingHours => "Сейчас не время для звонков",
            C::CallAttemptTooSoon => "Повторный звонок пока рано",
            C::VersionMismatch => "Жалобу уже кто-то изменил",
            C::IdempotencyKeyReused => "Ключ идемпотентности уже использован",
            C::DamagedFile => "Файл повреждён",
            C::PayloadTooLarge => "Слишком большой запрос",
            C::UnsupportedMediaType => "Неподдерживаемый формат",
            C::WrongCode => "Неверный код",
            C::LinkToItself => "Жалоба не может быть дубликатом самой себя",
            C::LinkToClosedElsewhere => "Закрытая жалоба другого дома не может быть оригиналом",
            C::LinkCycle => "Связь дубликатов замкнулась бы в круг",
            C::CodeExpired => "Срок действия кода истёк",
            C::CodeBurnt => "Код заблокирован",
            C::ResendTooSoon => "Новый код пока нельзя отправить",
            C::DailyLimitReached => "Слишком много запросов",
            C::TooManyRequests | C::TooManyAttempts => "Слишком много попыток",
            C::RateLimited => "Слишком много запросов с этим ключом",
            C::ServerBusy => "Сервер перегружен",
            C::ServiceUnavailable => "Сервис временно недоступен",
            C::InternalError => "Внутренняя ошибка",
        }
    }

    /// What went wrong, in English, when the caller has nothing more specific to say.
    pub fn default_detail(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::ValidationFailed => "Some fields are invalid; see `errors`.",
            C::MalformedJson => "The body is not valid JSON for this endpoint.",
            C::BadBody => "The request body could not be read.",
            C::MalformedCsv => "The CSV file could not be read.",
            C::InvalidQuery => "A query parameter is invalid.",
            C::InvalidCursor => "The cursor is not one this API gave.",
            C::InvalidIfMatch => "If-Match must be the complaint's ETag, e.g. \"3\".",
            C::InvalidIfNoneMatch => "If-None-Match must be * or entity tags.",
            C::InvalidIdempotencyKey => {
                "Idempotency-Key must be 1 to 128 visible ASCII characters."
            }
            C::MissingToken | C::InvalidToken | C::InvalidRefreshToken | C::RefreshTokenReused => {
                "A valid bearer token is required."
            }
            C::AmbiguousCredentials => "Send either a bearer token or an API key, not both.",
            C::InvalidApiKey => "A valid API key is required.",
            C::InvalidCredentials => "The login or the password is wrong.",
            C::Forbidden => "You may not do this.",
            C::InsufficientScope => "This API key lacks a scope this needs.",
            C::NotFound => "Nothing exists here, or you may not see it.",
            C::MethodNotAllowed => "This method is not allowed here.",
            C::Conflict => "The change conflicts with the current state.",
            C::AlreadyRegistered => {
                "An account with this phone or e-mail already exists; sign in instead."
            }
            C::InvalidTransition | C::ActionNotPossible => "This is not possible now.",
            C::ComplaintClosed => "The complaint is closed; nothing more can be attached.",
            C::CallTaken => "Another dispatcher has taken this call.",
            C::OutsideCallingHours => "Calls are made only within the calling hours.",
            C::CallAttemptTooSoon => "The last unanswered call was too recent.",
            C::VersionMismatch => {
                "Someone changed this complaint since you loaded it; reload it and try again."
            }
            C::IfMatchRequired => {
                "Send the complaint's current version (its ETag) in the If-Match header."
            }
            C::IdempotencyKeyReused => {
                "This Idempotency-Key was already used with a different request body."
            }
            C::DamagedFile => "The file is damaged.",
            C::PayloadTooLarge => "The request body is larger than this endpoint accepts.",
            C::UnsupportedMediaType => "This endpoint does not accept this type of body.",
            C::WrongCode => "The code is wrong.",
            C::LinkToItself => "A complaint cannot be a duplicate of itself.",
            C::LinkToClosedElsewhere => {
                "The original is closed and about another building; name an open one."
            }
            C::LinkCycle => "The original is itself a duplicate of this complaint.",
            C::CodeExpired => "The code has expired; ask for a new one.",
            C::CodeBurnt => "Too many wrong codes; ask for a new one.",
            C::ResendTooSoon => "A new code cannot be sent to this number yet.",
            C::DailyLimitReached => "The daily limit is reached.",
            C::TooManyRequests | C::TooManyAttempts => "Too many failed attempts.",
            C::RateLimited => "This API key made too many requests this minute.",
            C::ServerBusy => "The server is busy; retry in a second.",
            C::ServiceUnavailable => "The database cannot be reached right now; retry shortly.",
            C::InternalError => "Something went wrong on our side; it has been logged.",
        }
    }
}
