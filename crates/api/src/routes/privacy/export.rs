//! Access (152-ФЗ art. 14): everything the service holds about a person, as JSON and as a
//! printable Russian HTML page.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use persistence::privacy::Subject;

use super::document::{
    ExportAttachment, ExportComplaint, ExportConsent, ExportDelivery, ExportNotification,
    ExportProfile, PersonalDataExport,
};
use super::erase::{person_phone, staff_reason};
use super::{html, text};
use crate::auth::AuthUser;
use crate::error::{ApiError, Problem};
use crate::routes::complaints::dto::EventDto;
use crate::state::AppState;

/// How the export is delivered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    Json,
    /// A printable page in Russian.
    Html,
    /// The same document as a printable PDF (A4, Russian).
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `json` (the default), `html` or `pdf`.
    pub format: Option<ExportFormat>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+79221234567", "reason": "Запрос вх. № 18 от 06.12.2026", "format": "html"}))]
pub struct ExportPersonRequest {
    /// The phone the person gave when a clerk filed for them.
    #[schema(example = "+79221234567", max_length = 32)]
    pub phone: String,
    /// Why (the person's request and its number): kept in the audit log.
    #[schema(min_length = 3, max_length = 500)]
    pub reason: String,
    #[serde(default)]
    pub format: ExportFormat,
}

async fn gather(
    state: &AppState,
    subject: &Subject,
    now: DateTime<Utc>,
) -> Result<PersonalDataExport, ApiError> {
    let db = &state.db;
    let ids = persistence::privacy::complaints_of(db, subject).await?;
    let mut complaints = Vec::new();
    let mut consents = Vec::new();
    for id in &ids {
        let Some(record) = persistence::complaints::find(db, *id).await? else {
            continue;
        };
        let history = persistence::complaints::events(db, *id)
            .await?
            .into_iter()
            .map(|e| EventDto::from(e).with_applicant(&record))
            .collect();
        // Every page: a complaint holds at most a few dozen files.
        let mut metas = Vec::new();
        loop {
            let page = persistence::attachments::list(
                db,
                *id,
                metas
                    .last()
                    .map(|a: &persistence::attachments::AttachmentMeta| a.id),
                100,
            )
            .await?;
            let done = page.len() < 100;
            metas.extend(page);
            if done {
                break;
            }
        }
        let attachments = metas
            .into_iter()
            .map(|a| ExportAttachment {
                url: format!("/api/v1/attachments/{}", a.id),
                id: a.id,
                filename: a.filename,
                content_type: a.content_type,
                size_bytes: a.size_bytes,
                created_at: a.created_at,
            })
            .collect();
        if let Some(version) = &record.consent_version {
            consents.push(ExportConsent {
                complaint_number: record.number.clone(),
                version: version.clone(),
                given_at: record.complaint.registered_at,
            });
        }
        complaints.push(ExportComplaint {
            id: *id,
            number: record.number,
            status: record.complaint.status,
            category: record.category_name_ru,
            address: record.building.address,
            flat: record.flat,
            description: record.description,
            applicant_name: record.applicant_name,
            applicant_phone: record.applicant_phone,
            registered_at: record.complaint.registered_at,
            closed_at: record.closed_at,
            history,
            attachments,
        });
    }
    let (profile, account) = match subject {
        Subject::Account(id) => {
            let user = persistence::users::find_by_id(db, *id)
                .await?
                .ok_or_else(ApiError::not_found)?;
            (
                ExportProfile {
                    kind: "account".to_owned(),
                    name: Some(user.name),
                    phone: user.phone,
                    email: user.email,
                    login: Some(user.login),
                    registered_at: Some(user.created_at),
                },
                Some(*id),
            )
        }
        Subject::Person { phone } => (
            ExportProfile {
                kind: "person".to_owned(),
                name: complaints
                    .iter()
                    .rev()
                    .find_map(|c| c.applicant_name.clone()),
                phone: Some(phone.clone()),
                email: None,
                login: None,
                registered_at: None,
            },
            None,
        ),
    };
    let notifications = match account {
        Some(user) => persistence::notifications::inbox(db, user, false, None, 10_000)
            .await?
            .into_iter()
            .map(|n| ExportNotification {
                complaint_id: n.complaint_id,
                text: n.text,
                created_at: n.created_at,
                read_at: n.read_at,
            })
            .collect(),
        None => Vec::new(),
    };
    let deliveries = persistence::privacy::deliveries_of(db, account, &ids)
        .await?
        .into_iter()
        .map(|d| ExportDelivery {
            complaint_id: d.complaint_id,
            kind: d.kind,
            channel: d.channel,
            address: d.address,
            subject: d.subject,
            body: d.body,
            state: d.state,
            created_at: d.created_at,
            sent_at: d.sent_at,
        })
        .collect();
    Ok(PersonalDataExport {
        generated_at: now,
        profile,
        complaints,
        consents,
        notifications,
        deliveries,
    })
}

fn respond(export: &PersonalDataExport, format: ExportFormat) -> Result<HttpResponse, ApiError> {
    Ok(match format {
        ExportFormat::Json => HttpResponse::Ok()
            .insert_header((
                "content-disposition",
                "attachment; filename=\"my-data.json\"",
            ))
            .insert_header(("cache-control", "no-store"))
            .json(export),
        ExportFormat::Html => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(("cache-control", "no-store"))
            .body(html::render(export)),
        ExportFormat::Pdf => HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((
                "content-disposition",
                "attachment; filename=\"my-data.pdf\"",
            ))
            .insert_header(("cache-control", "no-store"))
            .body(
                crate::paperwork::pdf("Персональные данные", &text::render(export))
                    .map_err(|e| ApiError::internal(e.to_string()))?,
            ),
    })
}

/// A resident's own data: profile, complaints with their history and attachments (links),
/// consents, notifications and the messages sent, as JSON or as a printable Russian page.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(ExportQuery),
    responses(
        (status = 200, description = "Everything held about the caller: JSON, the printable page with `format=html`, or the PDF with `format=pdf`",
         content(
             (PersonalDataExport = "application/json"),
             (String = "text/html"),
             (Vec<u8> = "application/pdf")
         )),
        (status = 403, description = "Not a resident (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/me/export")]
pub async fn export_my_data(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    domain::privacy::manage_own_data(&user.actor())?;
    let export = gather(&state, &Subject::Account(user.id), Utc::now()).await?;
    respond(&export, query.format.unwrap_or_default())
}

/// The resident's own data as a printable Russian PDF (the same as `/me/export?format=pdf`).
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Everything held about the caller, as a PDF", body = Vec<u8>, content_type = "application/pdf"),
        (status = 403, description = "Not a resident (`forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/me/export.pdf")]
pub async fn export_my_data_pdf(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    domain::privacy::manage_own_data(&user.actor())?;
    let export = gather(&state, &Subject::Account(user.id), Utc::now()).await?;
    respond(&export, ExportFormat::Pdf)
}

/// A clerk or an administrator produces the same export for a person without an account, on
/// their request, with a reason kept in the audit log. No complaint for the phone, or a caller
/// who may not do this: 404.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    request_body = ExportPersonRequest,
    responses(
        (status = 200, description = "Everything held about the person: JSON, the printable page with `format=html`, or the PDF with `format=pdf`",
         content(
             (PersonalDataExport = "application/json"),
             (String = "text/html"),
             (Vec<u8> = "application/pdf")
         )),
        (status = 404, description = "No complaint was filed for this phone, or the caller is neither a clerk nor an administrator (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad phone or reason (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/persons/export")]
pub async fn export_person_data(
    state: web::Data<AppState>,
    user: AuthUser,
    body: crate::dto::JsonObject<ExportPersonRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    domain::privacy::manage_person_data(&user.actor()).map_err(|_| ApiError::not_found())?;
    let phone = person_phone(&body.phone)?;
    let reason = staff_reason(&body.reason)?;
    let now = Utc::now();
    let subject = Subject::Person {
        phone: phone.clone(),
    };
    let export = gather(&state, &subject, now).await?;
    if export.complaints.is_empty() {
        return Err(ApiError::not_found());
    }
    persistence::privacy::record_export(
        &state.db,
        user.id,
        &phone,
        reason,
        export.complaints.len(),
        now,
    )
    .await?;
    respond(&export, body.format)
}
