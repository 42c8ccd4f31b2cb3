//! A complaint's history as a signed document for a КоАП case file: JSON with the chain, the
//! final hash and the checkpoint's inclusion proof, signed with the server's Ed25519 key, and the
//! same as a printable Russian page. The public key is published at `/history/signing-key`.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::Utc;
use domain::history_export::{
    EXPORT_FORMAT, ExportedApplicant, ExportedBy, ExportedCheckpoint, ExportedComplaint,
    ExportedEvent, ExportedProofStep, HistoryExport, Signer, sign,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::dto::mask_phone;
use super::load_visible;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The server's public key for signed history exports and checkpoint files.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "algorithm": "Ed25519",
    "public_key": "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    "key_id": "5b1f0c7e2a9d4e61"
}))]
pub struct SigningKeyDto {
    #[schema(example = "Ed25519")]
    pub algorithm: String,
    /// The 32-byte Ed25519 public key, 64 hex digits.
    pub public_key: String,
    /// The first 16 hex digits of the key's SHA-256, as printed on exports.
    pub key_id: String,
}

/// The public key that signs history exports and checkpoint files: verify a file against it
/// (`dispatch verify-export FILE --public-key HEX`). Anyone may read it.
#[utoipa::path(
    tag = "complaints",
    responses((status = 200, body = SigningKeyDto))
)]
#[get("/history/signing-key")]
pub async fn history_signing_key(state: web::Data<AppState>) -> HttpResponse {
    let signer = Signer::of(&state.history_key.verifying_key());
    HttpResponse::Ok().json(SigningKeyDto {
        algorithm: signer.algorithm,
        public_key: signer.public_key,
        key_id: signer.key_id,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Why a staff member exports the history (kept in the audit log): 5 to 300 characters.
    /// Without it the log says "history export".
    #[param(
        min_length = 5,
        max_length = 300,
        example = "Материалы к делу об административном правонарушении"
    )]
    pub reason: Option<String>,
}

/// Builds, audits and signs the export for the caller.
pub(super) async fn signed_export(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    reason: Option<&str>,
    format: &str,
) -> Result<(HistoryExport, serde_json::Value), ApiError> {
    let actor = &caller.actor;
    let record = load_visible(state, id, actor).await?;
    let reason = reason.map(domain::AuditReason::parse).transpose()?;
    let proof = persistence::history::proof(&state.db, record.complaint.id).await?;
    let head = match &proof.verified {
        Ok(head) => head.to_hex(),
        // A broken chain is not signed: the document would vouch for a history that is not whole.
        Err(broken) => {
            tracing::error!(complaint = %record.complaint.id, %broken, "history export refused: the chain is broken");
            return Err(ApiError::new(
                crate::error::ErrorCode::ActionNotPossible,
                format!("The history does not verify ({broken}); it cannot be signed."),
            ));
        }
    };
    let full = domain::sees_applicant_contact(&record.complaint, actor);
    let now = Utc::now();
    let exported_by_name = match actor.user_id() {
        Some(user) => persistence::users::find_by_id(&state.db, user)
            .await?
            .map(|u| u.name),
        None => caller.key_name.clone(),
    };
    let export = HistoryExport {
        format: EXPORT_FORMAT.to_owned(),
        complaint: ExportedComplaint {
            id: record.complaint.id,
            number: record.number.clone(),
            status: record.complaint.status.as_str().to_owned(),
            category: record.category_name_ru.clone(),
            address: Some(record.building.address.clone()),
            company: record.company_name.clone(),
            registered_at: record.complaint.registered_at,
            applicant: ExportedApplicant {
                name: if full {
                    record.applicant_name.clone()
                } else {
                    None
                },
                phone: record
                    .applicant_phone
                    .as_deref()
                    .map(|p| if full { p.to_owned() } else { mask_phone(p) }),
                masked: !full,
            },
        },
        events: proof
            .events
            .into_iter()
            .map(|e| ExportedEvent::new(e.event_id, e.content, e.prev_hash, e.hash))
            .collect(),
        head,
        checkpoint: proof.checkpoint.map(|c| ExportedCheckpoint {
            day: c.checkpoint.day,
            cutoff: c.checkpoint.cutoff,
            root: c.checkpoint.root.to_hex(),
            complaints: c.checkpoint.complaints,
            head: c.head.map(|h| h.to_hex()),
            proof: c
                .proof
                .into_iter()
                .map(|s| ExportedProofStep {
                    side: s.side.as_str().to_owned(),
                    sibling: s.sibling.to_hex(),
                })
                .collect(),
            included: c.included,
        }),
        exported_at: now,
        exported_by: ExportedBy {
            role: actor.role.as_str().to_owned(),
            name: exported_by_name,
        },
        signer: Signer::of(&state.history_key.verifying_key()),
    };
    let signed =
        sign(&export, &state.history_key).map_err(|e| ApiError::internal(e.to_string()))?;
    // Every export by staff is in the audit log; the resident's copy of their own is not.
    if actor.role != domain::Role::Resident {
        persistence::audit::record_read(
            &state.db,
            actor.id(),
            "export_history",
            Some(record.complaint.id),
            reason.as_ref().map_or("Выгрузка истории", |r| r.as_str()),
            serde_json::json!({ "number": record.number, "format": format, "head": export.head }),
            now,
        )
        .await?;
    }
    Ok((export, signed))
}

/// `attachment` with an ASCII name (the complaint's id) and the UTF-8 one with its number
/// (RFC 6266, RFC 8187): header values are ASCII, complaint numbers are Cyrillic.
fn attachment(id: Uuid, number: &str) -> (header::HeaderName, String) {
    let encoded: String = format!("history-{number}.json")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"history-{id}.json\"; filename*=UTF-8''{encoded}"),
    )
}

/// The complaint's history as a signed JSON document for a КоАП case file: every event with the
/// stored fields its hash covers, `prev_hash` and `hash`; the chain's final hash; the latest
/// checkpoint's Merkle inclusion proof; who exported it and when; signed (Ed25519 over the
/// canonical JSON of `document`). Whoever may see the complaint may export it, with the
/// applicant masked as their role sees it. Staff exports are in the audit log. Verify with
/// `dispatch verify-export FILE`.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path), ExportQuery),
    responses(
        (status = 200, description = "The signed document", body = Object, content_type = "application/json",
         headers(("Content-Disposition" = String, description = "attachment; filename=\"history-<id>.json\"; filename*=UTF-8''history-<number>.json"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint, or not yours to see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The history does not verify, so it is not signed (`action_not_possible`); the detail names the event", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `reason` that is not a short line of text (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/history/export")]
pub async fn export_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (export, signed) =
        signed_export(&state, &caller, *id, query.reason.as_deref(), "json").await?;
    Ok(HttpResponse::Ok()
        .insert_header(attachment(export.complaint.id, &export.complaint.number))
        .json(signed))
}

/// The same signed export as a printable Russian page (print it to PDF from the browser): the
/// complaint, every event with its hashes, the chain's final hash, the checkpoint, the signature
/// and the public key, and how to verify the JSON.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path), ExportQuery),
    responses(
        (status = 200, description = "The printable page", body = String, content_type = "text/html"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint, or not yours to see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The history does not verify, so it is not signed (`action_not_possible`); the detail names the event", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `reason` that is not a short line of text (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/history/export.html")]
pub async fn export_history_html(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (export, signed) =
        signed_export(&state, &caller, *id, query.reason.as_deref(), "html").await?;
    let signature = signed
        .pointer("/signature/value")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(super::history_export_html::page(&export, signature)))
}
