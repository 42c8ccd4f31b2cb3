//! The signed history export as a printable Russian PDF (the same document as the HTML page:
//! the complaint, every event with its time, who and what happened and its hashes, the chain's
//! final hash, the checkpoint and the signature with the key's id).

use std::fmt::Write as _;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use domain::history_export::HistoryExport;
use strum::IntoEnumIterator;
use uuid::Uuid;

use super::history_export::{ExportQuery, signed_export};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

fn status_ru(status: &str) -> String {
    domain::Status::iter()
        .find(|s| s.as_str() == status)
        .map_or_else(|| status.to_owned(), |s| s.name_ru().to_owned())
}

fn kind_ru(kind: &str) -> String {
    domain::EventKind::iter()
        .find(|k| k.as_str() == kind)
        .map_or_else(|| kind.to_owned(), |k| k.name_ru().to_owned())
}

fn role_ru(role: &str) -> String {
    domain::Role::iter()
        .find(|r| r.as_str() == role)
        .map_or_else(|| role.to_owned(), |r| r.name_ru().to_owned())
}

/// Who acted, as the event stores it (`actor_kind`, the stored column).
fn actor_ru(kind: &str, id: Option<Uuid>) -> String {
    let who = match kind {
        "user" => "сотрудник или житель (учётная запись)",
        "service_account" => "служебный ключ организации",
        "system" => "система",
        "applicant" => "заявитель",
        other => other,
    };
    match id {
        Some(id) => format!("{who}, id {id}"),
        None => who.to_owned(),
    }
}

/// Surgut local time (UTC+5).
fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    match chrono::FixedOffset::east_opt(domain::SURGUT_UTC_OFFSET_SECONDS) {
        Some(offset) => at
            .with_timezone(&offset)
            .format("%d.%m.%Y %H:%M:%S")
            .to_string(),
        None => at.format("%d.%m.%Y %H:%M:%S UTC").to_string(),
    }
}

/// The payload's free-text lines worth printing (a comment, a reason, a note).
fn remarks(payload: &serde_json::Value) -> Vec<String> {
    [
        ("comment", "Комментарий"),
        ("reason", "Причина"),
        ("note", "Примечание"),
    ]
    .iter()
    .filter_map(|(key, label)| {
        payload
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
            .map(|v| format!("{label}: {v}"))
    })
    .collect()
}

/// The document's text, line by line (the PDF engine wraps long lines).
pub fn text(export: &HistoryExport, signature: &str) -> String {
    let c = &export.complaint;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ВЫПИСКА ИЗ ИСТОРИИ ОБРАЩЕНИЯ № {}\n\n\
         Документ подписан электронной подписью сервера (Ed25519). Каждое событие содержит хеш \
         предыдущего события (цепочка SHA-256): изменение, удаление или перестановка любого \
         события меняет итоговый хеш.\n",
        c.number
    );
    let applicant = match (&c.applicant.name, &c.applicant.phone) {
        (Some(name), Some(phone)) => format!("{name}, {phone}"),
        (Some(name), None) => name.clone(),
        (None, Some(phone)) => phone.clone(),
        (None, None) => "—".to_owned(),
    };
    let _ = writeln!(
        out,
        "Обращение: № {}\nКатегория: {}\nАдрес: {}\nУправляющая компания: {}\n\
         Зарегистрировано: {}\nСтатус: {}\nЗаявитель: {}\n",
        c.number,
        c.category,
        c.address.as_deref().unwrap_or("—"),
        c.company.as_deref().unwrap_or("—"),
        local(c.registered_at),
        status_ru(&c.status),
        applicant,
    );
    let _ = writeln!(out, "СОБЫТИЯ ({}), время Сургута\n", export.events.len());
    for (i, e) in export.events.iter().enumerate() {
        let transition = match e.from_status.as_deref() {
            Some(from) => format!("{} → {}", status_ru(from), status_ru(&e.to_status)),
            None => status_ru(&e.to_status),
        };
        let _ = writeln!(
            out,
            "{n}. {at} — {kind}\n   Статус: {transition}; круг {round}\n   Кто: {actor}",
            n = i + 1,
            at = local(e.at),
            kind = kind_ru(&e.kind),
            round = e.round,
            actor = actor_ru(&e.actor_kind, e.actor_id),
        );
        for remark in remarks(&e.payload) {
            let _ = writeln!(out, "   {remark}");
        }
        let _ = writeln!(
            out,
            "   Хеш предыдущего: {}\n   Хеш события: {}\n",
            e.prev_hash.as_deref().unwrap_or("—"),
            e.hash.as_deref().unwrap_or("—"),
        );
    }
    let _ = writeln!(out, "ИТОГОВЫЙ ХЕШ ЦЕПОЧКИ\n{}\n", export.head);
    match &export.checkpoint {
        Some(cp) => {
            let _ = writeln!(
                out,
                "СУТОЧНАЯ КОНТРОЛЬНАЯ ТОЧКА\nЗа {} (UTC): корень Меркла {} по {} обращениям. \
                 Цепочка этого обращения {} (доказательство включения — в JSON-версии).\n",
                cp.day,
                cp.root,
                cp.complaints,
                if cp.included {
                    "входит в неё"
                } else {
                    "не входит в неё (обращение моложе точки)"
                },
            );
        }
        None => {
            let _ = writeln!(
                out,
                "СУТОЧНАЯ КОНТРОЛЬНАЯ ТОЧКА\nКонтрольных точек ещё нет.\n"
            );
        }
    }
    let _ = writeln!(
        out,
        "ПОДПИСЬ\nАлгоритм: Ed25519\nИдентификатор ключа: {key_id}\nОткрытый ключ сервера: {key}\n\
         Подпись: {signature}\nВыгружено: {at}, {role}{name}\n\n\
         Проверка: JSON-версия этого документа (/api/v1/complaints/{id}/history/export) \
         проверяется командой «dispatch verify-export ФАЙЛ --public-key {key}»; открытый ключ \
         опубликован по адресу /api/v1/history/signing-key.",
        key_id = export.signer.key_id,
        key = export.signer.public_key,
        at = local(export.exported_at),
        role = role_ru(&export.exported_by.role),
        name = export
            .exported_by
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        id = c.id,
    );
    out
}

/// The same signed export as a printable Russian PDF (A4): the complaint, every event with its
/// time, actor and hashes, the chain's final hash, the checkpoint, the signature and the key's
/// id. Access and audit as for the JSON export.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = []), ("api_key" = ["complaints:read"])),
    params(("id" = Uuid, Path), ExportQuery),
    responses(
        (status = 200, description = "The PDF", body = Vec<u8>, content_type = "application/pdf"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such complaint, or not yours to see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The history does not verify, so it is not signed (`action_not_possible`); the detail names the event", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `reason` that is not a short line of text (`validation_failed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints/{id}/history/export.pdf")]
pub async fn export_history_pdf(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (export, signed) =
        signed_export(&state, &caller, *id, query.reason.as_deref(), "pdf").await?;
    let signature = signed
        .pointer("/signature/value")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let title = format!("История обращения {}", export.complaint.number);
    let bytes = crate::paperwork::pdf(&title, &text(&export, signature))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"history-{}.pdf\"", export.complaint.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}
