//! The articles of КоАП РФ the housing inspection fines under, with their ranges: everyone reads
//! the active ones (it is the law as the city applies it); the administrator keeps them.

use actix_web::{HttpResponse, get, put, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Admin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use persistence::registry::FineArticleRecord;

/// An article with the fines it allows, in roubles (both ends included).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "7.22",
    "title_ru": "Нарушение правил содержания и ремонта жилых домов и (или) жилых помещений",
    "legal_entity": { "min": 40000, "max": 50000 },
    "official": { "min": 4000, "max": 5000 },
    "is_active": true
}))]
pub struct FineArticleDto {
    /// How the article is cited, e.g. `7.22` or `19.5 ч.1`.
    pub code: String,
    pub title_ru: String,
    /// The range for the management company itself.
    pub legal_entity: domain::RubRange,
    /// The range for its official (e.g. the director).
    pub official: domain::RubRange,
    /// Inactive articles are kept for the fines that name them, and offered for no new fine.
    pub is_active: bool,
}

impl From<FineArticleRecord> for FineArticleDto {
    fn from(r: FineArticleRecord) -> Self {
        Self {
            code: r.article.code,
            title_ru: r.article.title_ru,
            legal_entity: r.article.legal_entity,
            official: r.article.official,
            is_active: r.is_active,
        }
    }
}

/// The articles a fine may be recorded under, by code.
#[utoipa::path(
    tag = "registries",
    responses((status = 200, body = Vec<FineArticleDto>))
)]
#[get("/fine-articles")]
pub async fn list_fine_articles(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let articles: Vec<FineArticleDto> = persistence::registry::fine_articles(&state.db, false)
        .await?
        .into_iter()
        .map(FineArticleDto::from)
        .collect();
    Ok(HttpResponse::Ok().json(articles))
}

/// Every article, inactive ones included.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<FineArticleDto>),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/fine-articles")]
pub async fn list_all_fine_articles(
    state: web::Data<AppState>,
    _admin: Admin,
) -> Result<HttpResponse, ApiError> {
    let articles: Vec<FineArticleDto> = persistence::registry::fine_articles(&state.db, true)
        .await?
        .into_iter()
        .map(FineArticleDto::from)
        .collect();
    Ok(HttpResponse::Ok().json(articles))
}

/// An article's title and ranges as the administrator enters them.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title_ru": "Нарушение нормативов обеспечения населения коммунальными услугами",
    "legal_entity": { "min": 5000, "max": 10000 },
    "official": { "min": 500, "max": 1000 },
    "is_active": true
}))]
pub struct SaveFineArticleRequest {
    #[validate(length(min = 1, max = 300, message = "must be 1 to 300 characters"))]
    #[schema(min_length = 1, max_length = 300)]
    pub title_ru: String,
    pub legal_entity: RangeRequest,
    pub official: RangeRequest,
    /// Absent: active.
    pub is_active: Option<bool>,
}

/// A range of fines in roubles, `1 ≤ min ≤ max ≤ 10 000 000`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeRequest {
    #[schema(minimum = 1, maximum = 10_000_000)]
    #[serde(deserialize_with = "crate::dto::whole_number::deserialize")]
    pub min: u64,
    #[schema(minimum = 1, maximum = 10_000_000)]
    #[serde(deserialize_with = "crate::dto::whole_number::deserialize")]
    pub max: u64,
}

impl RangeRequest {
    fn to_domain(&self) -> domain::RubRange {
        domain::RubRange {
            min: self.min,
            max: self.max,
        }
    }
}

/// Adds an article or changes its title, ranges or whether it is applied. Fines already recorded
/// keep the amount they were recorded with; the change is in the audit log.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "How the article is cited, e.g. `7.22` or `19.5 ч.1`", max_length = 32, pattern = "^[0-9][0-9. ч]{0,31}$")),
    request_body = SaveFineArticleRequest,
    responses(
        (status = 200, body = FineArticleDto),
        (status = 403, description = "Not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The path names no article: characters no code has (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A range out of order or out of bounds, or a malformed code (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/admin/fine-articles/{code}")]
pub async fn save_fine_article(
    state: web::Data<AppState>,
    admin: Admin,
    code: web::Path<String>,
    body: crate::dto::JsonObject<SaveFineArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    body.validate()?;
    let article = domain::FineArticle {
        code: code.into_inner().trim().to_owned(),
        title_ru: body.title_ru.trim().to_owned(),
        legal_entity: body.legal_entity.to_domain(),
        official: body.official.to_domain(),
    };
    article.validate()?;
    let saved = persistence::registry::save_fine_article(
        &state.db,
        FineArticleRecord {
            article,
            is_active: body.is_active.unwrap_or(true),
        },
        admin.id(),
        Utc::now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(FineArticleDto::from(saved)))
}
