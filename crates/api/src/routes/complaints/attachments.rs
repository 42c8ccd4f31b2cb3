use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::idempotency::Idempotency;
use super::load_visible;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::media::MediaType;
use crate::state::AppState;

/// The largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: Uuid,
    /// What the file documents, by who attached it.
    pub kind: domain::AttachmentKind,
    #[schema(example = "photo.jpg")]
    pub filename: String,
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_role: domain::Role,
    pub created_at: DateTime<Utc>,
    /// Where to download it (with the same bearer token).
    #[schema(example = "/api/v1/attachments/0190c0de-0000-7000-8000-000000000003")]
    pub url: String,
}

impl From<persistence::attachments::AttachmentMeta> for AttachmentDto {
    fn from(m: persistence::attachments::AttachmentMeta) -> Self {
        Self {
            url: format!("/api/v1/attachments/{}", m.id),
            id: m.id,
            kind: m.kind,
            filename: m.filename,
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            uploaded_role: m.uploaded_role,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The original file name, for downloads.
    #[param(max_length = 200, example = "photo.jpg")]
    pub filename: Option<String>,
}

/// Attaches a photo (JPEG, PNG, WebP) or a PDF to a complaint, as the raw request body.
///
/// Send the bytes as `application/octet-stream` or as the file's own type (`image/jpeg`,
/// `image/png`, `image/webp`, `application/pdf`): the type is decided by the content, and a
/// declared type that disagrees is refused. Photos are turned upright by their EXIF orientation
/// and re-encoded without any metadata (GPS position, camera serials, comments); PDFs lose their
/// document information and XMP. At most 10 MiB. Anyone who may see an open complaint may attach,
/// except the admin. Send an `Idempotency-Key` to retry an upload safely: the same key replays the
/// first answer and never stores a second copy. A complaint holds at most 20 files and 60 MiB, and
/// one account uploads at most 40 files and 150 MiB in 24 hours (configurable).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:work", "complaints:verify", "complaints:inspect", "complaints:file"])),
    params(
        ("id" = Uuid, Path),
        UploadParams,
        ("Idempotency-Key" = Option<String>, Header, description = "1 to 128 visible ASCII characters; a retry with the same key replays the first answer", max_length = 128, pattern = "^[!-~]{1,128}$")
    ),
    request_body(
        description = "The file's bytes: a JPEG, PNG or WebP photo or a PDF",
        content((crate::dto::BinaryBody = "application/octet-stream"))
    ),
    responses(
        (status = 201, body = AttachmentDto, headers(("Location" = String)), links(("DownloadAttachment" = (operation_id = "download_attachment", parameters(("id" = "$response.body#/id")), description = "The file")))),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The complaint is closed (`complaint_closed`), or holds as many files or bytes as it may (`action_not_possible`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a JPEG, PNG, WebP or PDF, or not what Content-Type says", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Damaged file (`damaged_file`), or the key was used with another file (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The uploader's files or bytes of the last 24 hours are used up (`daily_limit_reached`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64)))
    )
)]
#[post("/complaints/{id}/attachments")]
pub async fn upload_attachment(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    params: web::Query<UploadParams>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor;
    let record = persistence::complaints::find(&state.db, *id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let kind = domain::attach(&record.complaint, &actor)?;
    let limits = state.config.attachment_limits;
    // A full complaint or a used-up day is refused before the bytes are read; the check is made
    // again, with the file's size and under a lock, in the transaction that stores it.
    let (on_complaint, today) = persistence::attachments::usage(
        &state.db,
        record.complaint.id,
        actor.id(),
        domain::attachment_window_start(Utc::now()),
    )
    .await?;
    domain::check_attachment_quota(limits, on_complaint, today, 0)?;
    // A body announced as too large is refused unread; one that is not announced is read only up
    // to the limit, and never held beyond it.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_ATTACHMENT_BYTES as u64) {
        return Err(ApiError::of(ErrorCode::PayloadTooLarge));
    }
    let capacity = announced.map_or(0, |n| usize::try_from(n).unwrap_or(0));
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(ErrorCode::BadBody, e.to_string()))?;
        if body.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
            return Err(ApiError::of(ErrorCode::PayloadTooLarge));
        }
        body.extend_from_slice(&chunk);
    }
    let media = MediaType::sniff(&body).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Attach a JPEG, PNG or WebP photo or a PDF document.".to_owned(),
        )
    })?;
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    if let Some(declared) = declared.filter(|d| d != "application/octet-stream")
        && declared != media.mime()
    {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "The file is {}, but Content-Type says {declared}.",
                media.mime()
            ),
        ));
    }
    let idempotency = Idempotency::of(
        &req,
        &[
            &body,
            params.filename.as_deref().unwrap_or_default().as_bytes(),
        ],
    )?;
    let clean = web::block(move || crate::media::sanitize(media, &body))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(|e| ApiError::new(ErrorCode::DamagedFile, e.to_string()))?;
    let filename = safe_filename(params.filename.as_deref(), media);
    let now = Utc::now();
    let uow = persistence::complaints::begin(&state.db).await?;
    if let Some(idempotency) = &idempotency
        && let Some(replay) = idempotency
            .claim(&uow, actor.id(), now, attachment_headers)
            .await?
    {
        return Ok(replay);
    }
    let (on_complaint, today) = uow
        .attachment_usage(
            record.complaint.id,
            actor.id(),
            domain::attachment_window_start(now),
        )
        .await?;
    let size = u64::try_from(clean.len()).unwrap_or(u64::MAX);
    domain::check_attachment_quota(limits, on_complaint, today, size)?;
    let saved = uow
        .insert_attachment(
            persistence::attachments::NewAttachment {
                complaint_id: record.complaint.id,
                kind,
                filename,
                content_type: media.mime().to_owned(),
                data: clean,
                uploaded_by: actor.id(),
                uploaded_role: actor.role,
                is_test: state.config.pilot_mode,
            },
            actor.principal,
            now,
        )
        .await?;
    let dto = AttachmentDto::from(saved);
    let json = serde_json::to_string(&dto).map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(idempotency) = &idempotency {
        idempotency
            .complete(
                &uow,
                actor.id(),
                actix_web::http::StatusCode::CREATED,
                &json,
            )
            .await?;
    }
    uow.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, dto.url.clone()))
        .content_type("application/json")
        .body(json))
}

/// The `Location` of a stored attachment, for a replay.
fn attachment_headers(body: &serde_json::Value) -> Vec<(header::HeaderName, String)> {
    body["url"]
        .as_str()
        .map(|url| vec![(header::LOCATION, url.to_owned())])
        .unwrap_or_default()
}

/// A file name safe to echo in `Content-Disposition`: the last path part, printable, ≤ 200 chars.
fn safe_filename(given: Option<&str>, media: MediaType) -> String {
    let name: String = given
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(200)
        .collect();
    let name = name.trim();
    if name.is_empty() || name.starts_with('.') {
        format!("attachment.{}", media.extension())
    } else {
        name.to_owned()
    }
}

#[derive(Debug, Deserialize, validator::Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListAttachmentsQuery {
    /// `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<Uuid>,
    /// Page size, 1 to 100 (default 50).
    #[validate(range(min = 1, max = 100, message = "must be 1 to 100"))]
    #[param(minimum = 1, maximum = 100, example = 50)]
    pub limit: Option<u64>,
}

/// The complaint's attachments (without their bytes), oldest first, a page at a time.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path), ListAttachmentsQuery),
    responses(
        (status = 200, body = crate::dto::Page<AttachmentDto>),
        (status = 400, description = "Malformed query (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ListAttachmentsQuery>,
) -> Result<HttpResponse, ApiError> {
    use crate::dto::CheckedQuery as _;
    query.checked()?;
    let record = load_visible(&state, *id, &caller.actor).await?;
    let limit = query.limit.unwrap_or(50);
    let rows =
        persistence::attachments::list(&state.db, record.complaint.id, query.cursor, limit + 1)
            .await?;
    let (rows, next_cursor) = crate::routes::admin::paginate(rows, limit, |a| a.id);
    Ok(HttpResponse::Ok().json(crate::dto::Page::new(
        rows.into_iter().map(AttachmentDto::from).collect(),
        next_cursor,
    )))
}

/// Downloads an attachment; only for those who may see its complaint. Who may read it is decided
/// before any of its bytes are read; the body is then streamed a part at a time.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The file", content(
            (Vec<u8> = "image/jpeg"),
            (Vec<u8> = "image/png"),
            (Vec<u8> = "application/pdf")
        )),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/attachments/{id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    // Who may read the file is decided before its bytes are read.
    let meta = persistence::attachments::find_meta(&state.db, *id)
        .await?
        .ok_or(ApiError::not_found())?;
    load_visible(&state, meta.complaint_id, &caller.actor).await?;
    let disposition = if meta.content_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    Ok(HttpResponse::Ok()
        .content_type(meta.content_type.as_str())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "{disposition}; filename=\"{}\"",
                meta.filename.replace(|c: char| !c.is_ascii(), "_")
            ),
        ))
        // Never kept on the (possibly shared) computer that opened it.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .no_chunking(u64::try_from(meta.size_bytes).unwrap_or(0))
        .streaming(stream_parts(state.db.clone(), meta.id)))
}

/// The stored bytes of attachment `id`, one part (256 KiB) read and sent at a time, so that a
/// download never holds the whole file. A failure mid-way ends the response early.
fn stream_parts(
    db: persistence::Db,
    id: Uuid,
) -> impl futures_util::Stream<Item = Result<web::Bytes, ApiError>> {
    futures_util::stream::try_unfold(0_u32, move |part| {
        let db = db.clone();
        async move {
            let Some(bytes) = persistence::attachments::data_part(&db, id, part).await? else {
                return Ok(None);
            };
            Ok(Some((web::Bytes::from(bytes), part + 1)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            safe_filename(Some("../../etc/passwd"), MediaType::Pdf),
            "passwd"
        );
        assert_eq!(
            safe_filename(Some("C:\\фото\\кухня.jpg"), MediaType::Jpeg),
            "кухня.jpg"
        );
        assert_eq!(
            safe_filename(Some(".htaccess"), MediaType::Png),
            "attachment.png"
        );
        assert_eq!(safe_filename(None, MediaType::Jpeg), "attachment.jpg");
        assert_eq!(
            safe_filename(Some("a\"b;\nc.pdf"), MediaType::Pdf),
            "abc.pdf"
        );
    }
}
