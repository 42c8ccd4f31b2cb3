//! The printable Russian page of a signed history export (print to PDF from the browser).

use std::fmt::Write as _;

use domain::history_export::HistoryExport;
use strum::IntoEnumIterator;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn status_ru(status: &str) -> String {
    domain::Status::iter()
        .find(|s| s.as_str() == status)
        .map_or_else(|| status.to_owned(), |s| s.name_ru().to_owned())
}

fn role_ru(role: &str) -> String {
    domain::Role::iter()
        .find(|r| r.as_str() == role)
        .map_or_else(|| role.to_owned(), |r| r.name_ru().to_owned())
}

/// Surgut local time (UTC+5), as the page shows it.
fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    match chrono::FixedOffset::east_opt(domain::SURGUT_UTC_OFFSET_SECONDS) {
        Some(offset) => at
            .with_timezone(&offset)
            .format("%d.%m.%Y %H:%M:%S")
            .to_string(),
        None => at.format("%d.%m.%Y %H:%M:%S UTC").to_string(),
    }
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11pt;margin:2em;color:#111}\
h1{font-size:16pt}h2{font-size:13pt;margin-top:1.5em}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #999;padding:4px;vertical-align:top;text-align:left}th{background:#eee}\
code{font-family:'DejaVu Sans Mono',monospace;font-size:8pt;word-break:break-all}\
.hash{font-size:13pt;font-weight:bold;word-break:break-all;font-family:'DejaVu Sans Mono',monospace}\
@media print{body{margin:0}a{color:#111}}";

/// The page: the complaint, the events with their hashes, the final hash, the checkpoint and the
/// signature.
pub fn page(export: &HistoryExport, signature: &str) -> String {
    let c = &export.complaint;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>История обращения {number}</title>\
         <style>{STYLE}</style></head><body>\
         <h1>Выписка из истории обращения № {number}</h1>\
         <p>Документ подписан электронной подписью сервера (Ed25519). Каждое событие содержит хеш \
         предыдущего события (цепочка SHA-256): изменение, удаление или перестановка любого события \
         меняет итоговый хеш.</p>\
         <table><tbody>\
         <tr><th scope=\"row\">Обращение</th><td>{number}</td></tr>\
         <tr><th scope=\"row\">Категория</th><td>{category}</td></tr>\
         <tr><th scope=\"row\">Адрес</th><td>{address}</td></tr>\
         <tr><th scope=\"row\">Управляющая компания</th><td>{company}</td></tr>\
         <tr><th scope=\"row\">Зарегистрировано</th><td>{registered}</td></tr>\
         <tr><th scope=\"row\">Статус</th><td>{status}</td></tr>\
         <tr><th scope=\"row\">Заявитель</th><td>{applicant}</td></tr>\
         </tbody></table>",
        number = esc(&c.number),
        category = esc(&c.category),
        address = esc(c.address.as_deref().unwrap_or("—")),
        company = esc(c.company.as_deref().unwrap_or("—")),
        registered = local(c.registered_at),
        status = esc(&status_ru(&c.status)),
        applicant = esc(&format!(
            "{}{}{}",
            c.applicant.name.as_deref().unwrap_or(""),
            if c.applicant.name.is_some() { ", " } else { "" },
            c.applicant.phone.as_deref().unwrap_or("—")
        )),
    );
    let _ = write!(
        out,
        "<h2>События</h2><table><thead><tr><th>№</th><th>Время (Сургут)</th><th>Событие</th>\
         <th>Статус</th><th>Раунд</th><th>Кто</th><th>Хеш предыдущего / хеш события</th></tr></thead><tbody>"
    );
    for (i, e) in export.events.iter().enumerate() {
        let from = e.from_status.as_deref().map(status_ru).unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{n}</td><td>{at}</td><td>{kind}</td><td>{from}{arrow}{to}</td><td>{round}</td>\
             <td>{actor}</td><td><code>{prev}</code><br><code>{hash}</code></td></tr>",
            n = i + 1,
            at = local(e.at),
            kind = esc(&e.kind),
            from = esc(&from),
            arrow = if from.is_empty() { "" } else { " → " },
            to = esc(&status_ru(&e.to_status)),
            round = e.round,
            actor = esc(&e.actor_kind),
            prev = esc(e.prev_hash.as_deref().unwrap_or("")),
            hash = esc(e.hash.as_deref().unwrap_or("")),
        );
    }
    let _ = write!(
        out,
        "</tbody></table><h2>Итоговый хеш цепочки</h2><p class=\"hash\" data-testid=\"final-hash\">{head}</p>",
        head = esc(&export.head)
    );
    match &export.checkpoint {
        Some(cp) => {
            let _ = write!(
                out,
                "<h2>Суточная контрольная точка</h2><p>За {day} (UTC): корень Меркла \
                 <code>{root}</code> по {n} обращениям. Цепочка этого обращения {incl} \
                 (доказательство включения — в JSON-версии документа).</p>",
                day = cp.day,
                root = esc(&cp.root),
                n = cp.complaints,
                incl = if cp.included {
                    "входит в неё"
                } else {
                    "не входит в неё (обращение моложе точки)"
                },
            );
        }
        None => {
            let _ = write!(
                out,
                "<h2>Суточная контрольная точка</h2><p>Контрольных точек ещё нет.</p>"
            );
        }
    }
    let _ = write!(
        out,
        "<h2>Подпись</h2><table><tbody>\
         <tr><th scope=\"row\">Алгоритм</th><td>Ed25519</td></tr>\
         <tr><th scope=\"row\">Открытый ключ сервера</th><td><code>{key}</code> (идентификатор {key_id})</td></tr>\
         <tr><th scope=\"row\">Подпись</th><td><code data-testid=\"signature\">{sig}</code></td></tr>\
         <tr><th scope=\"row\">Выгружено</th><td>{at}, {role}{name}</td></tr>\
         </tbody></table>\
         <p>Проверка: JSON-версия этого документа (<code>/api/v1/complaints/{id}/history/export</code>) \
         проверяется командой <code>dispatch verify-export ФАЙЛ --public-key {key}</code>; открытый ключ \
         опубликован по адресу <code>/api/v1/history/signing-key</code>.</p></body></html>",
        key = esc(&export.signer.public_key),
        key_id = esc(&export.signer.key_id),
        sig = esc(signature),
        at = local(export.exported_at),
        role = esc(&role_ru(&export.exported_by.role)),
        name = export
            .exported_by
            .name
            .as_deref()
            .map(|n| format!(" ({})", esc(n)))
            .unwrap_or_default(),
        id = c.id,
    );
    out
}
