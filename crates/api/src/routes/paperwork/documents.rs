//! The printed order (предписание) and inspection act (акт проверки): the administrator's
//! template filled in with the document's number, date, company, building, findings, legal basis,
//! due date and inspector; as a PDF, and as an HTML page of the same text. The inspection, the
//! city department and the company the document is addressed to read it; another company hears
//! "not found"; nobody else may.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use persistence::paperwork::PaperRecord;

async fn load(
    state: &AppState,
    caller: &Caller,
    kind: domain::DocumentKind,
    id: Uuid,
) -> Result<(PaperRecord, String), ApiError> {
    let scope = domain::read_documents(&caller.actor)?;
    let paper = match kind {
        domain::DocumentKind::Order => persistence::paperwork::order_paper(&state.db, id).await?,
        domain::DocumentKind::Act => persistence::paperwork::act_paper(&state.db, id).await?,
    }
    .ok_or_else(ApiError::not_found)?;
    // An act of a complaint never routed to a company is the inspection's and the city's only.
    match paper.company_id {
        Some(company) => domain::check_paper(scope, company, &caller.actor)?,
        None if scope == domain::PaperScope::All => {}
        None => return Err(ApiError::not_found()),
    }
    let (template, _) = persistence::paperwork::template(&state.db, kind).await?;
    let text = domain::render_template(&template, &paper.fields)?;
    Ok((paper, text))
}

fn title(paper: &PaperRecord) -> String {
    match paper.kind {
        domain::DocumentKind::Order => format!("Предписание № {}", paper.number),
        domain::DocumentKind::Act => format!("Акт проверки № {}", paper.number),
    }
}

async fn pdf_response(
    state: &AppState,
    caller: &Caller,
    kind: domain::DocumentKind,
    id: Uuid,
) -> Result<HttpResponse, ApiError> {
    let (paper, text) = load(state, caller, kind, id).await?;
    let bytes = crate::paperwork::pdf(&title(&paper), &text)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let file = format!("{}-{}.pdf", kind.as_str(), paper.id);
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file}\""),
        ))
        .body(bytes))
}

async fn html_response(
    state: &AppState,
    caller: &Caller,
    kind: domain::DocumentKind,
    id: Uuid,
) -> Result<HttpResponse, ApiError> {
    let (paper, text) = load(state, caller, kind, id).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(crate::paperwork::html(&title(&paper), &text)))
}

/// The order as a PDF document (A4, Russian).
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path, description = "The order's id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or addressed to another company (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/orders/{id}/document.pdf")]
pub async fn order_pdf(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    pdf_response(&state, &caller, domain::DocumentKind::Order, *id).await
}

/// The order's text as a printable HTML page (the same template as the PDF).
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path, description = "The order's id")),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or addressed to another company (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/orders/{id}/document.html")]
pub async fn order_html(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    html_response(&state, &caller, domain::DocumentKind::Order, *id).await
}

/// The inspection act as a PDF document (A4, Russian).
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path, description = "The act's id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such act, or about another company (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/acts/{id}/document.pdf")]
pub async fn act_pdf(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    pdf_response(&state, &caller, domain::DocumentKind::Act, *id).await
}

/// The inspection act's text as a printable HTML page.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path, description = "The act's id")),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such act, or about another company (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/acts/{id}/document.html")]
pub async fn act_html(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    html_response(&state, &caller, domain::DocumentKind::Act, *id).await
}

/// One printed document of a complaint.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperDto {
    pub kind: domain::DocumentKind,
    pub id: Uuid,
    /// `П-2026-00001` (order) or `А-2026-00001` (act).
    pub number: String,
    /// Where its PDF is, e.g. `/api/v1/orders/{id}/document.pdf`.
    pub pdf_url: String,
}

/// The inspection acts and orders of a complaint, oldest first, each with its number.
#[utoipa::path(
    tag = "inspection",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path, description = "The complaint's id")),
    responses(
        (status = 200, body = Vec<PaperDto>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the inspection, the city department, the administrator nor a management company (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint, or not yours to see (`not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/papers")]
pub async fn complaint_papers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    domain::read_documents(&caller.actor)?;
    let record = persistence::complaints::find(&state.db, *id)
        .await?
        .filter(|r| domain::can_view(&r.complaint, &caller.actor))
        .ok_or_else(ApiError::not_found)?;
    let papers: Vec<PaperDto> =
        persistence::paperwork::complaint_papers(&state.db, record.complaint.id)
            .await?
            .into_iter()
            .map(|(kind, id, number)| PaperDto {
                pdf_url: match kind {
                    domain::DocumentKind::Order => format!("/api/v1/orders/{id}/document.pdf"),
                    domain::DocumentKind::Act => format!("/api/v1/acts/{id}/document.pdf"),
                },
                kind,
                id,
                number,
            })
            .collect();
    Ok(HttpResponse::Ok().json(papers))
}
