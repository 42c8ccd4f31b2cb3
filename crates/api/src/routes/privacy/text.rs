//! The personal data export as plain Russian text, for the printable PDF: the same sections as
//! the HTML page (profile, complaints with their history and attachments, consents,
//! notifications, messages sent).

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::document::PersonalDataExport;

fn date(at: DateTime<Utc>) -> String {
    at.format("%d.%m.%Y %H:%M UTC").to_string()
}

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("—")
}

/// The whole document. Writing to a `String` cannot fail; the results are ignored.
pub fn render(export: &PersonalDataExport) -> String {
    let mut out = String::new();
    let p = &export.profile;
    let _ = writeln!(
        out,
        "ПЕРСОНАЛЬНЫЕ ДАННЫЕ\n\n\
         Сведения, которые виртуальная диспетчерская ЖКХ обрабатывает о вас (ст. 14 Федерального \
         закона № 152-ФЗ «О персональных данных»). Сформировано {}.\n\n\
         ПРОФИЛЬ\nФИО: {}\nТелефон: {}\nЭл. почта: {}\nЛогин: {}\nУчётная запись создана: {}\n",
        date(export.generated_at),
        or_dash(p.name.as_deref()),
        or_dash(p.phone.as_deref()),
        or_dash(p.email.as_deref()),
        or_dash(p.login.as_deref()),
        p.registered_at.map_or_else(|| "—".to_owned(), date),
    );
    let _ = writeln!(out, "ЖАЛОБЫ ({})\n", export.complaints.len());
    for c in &export.complaints {
        let _ = writeln!(
            out,
            "Жалоба № {}\nСтатус: {}\nКатегория: {}\nАдрес: {}, кв. {}\nТекст: {}\n\
             Заявитель: {}, {}\nПодана: {}\nЗакрыта: {}\nИстория:",
            c.number,
            c.status.name_ru(),
            c.category,
            c.address,
            or_dash(c.flat.as_deref()),
            c.description,
            or_dash(c.applicant_name.as_deref()),
            or_dash(c.applicant_phone.as_deref()),
            date(c.registered_at),
            c.closed_at.map_or_else(|| "—".to_owned(), date),
        );
        for e in &c.history {
            let _ = writeln!(
                out,
                "  {} — {} (статус: {}){}",
                date(e.at),
                e.kind.name_ru(),
                e.to.name_ru(),
                e.comment
                    .as_deref()
                    .map(|c| format!("; комментарий: {c}"))
                    .unwrap_or_default(),
            );
        }
        if !c.attachments.is_empty() {
            out.push_str("Вложения:\n");
            for a in &c.attachments {
                let _ = writeln!(
                    out,
                    "  {} ({}, {} байт, {})",
                    a.filename,
                    a.content_type,
                    a.size_bytes,
                    date(a.created_at),
                );
            }
        }
        out.push('\n');
    }
    out.push_str("СОГЛАСИЯ НА ОБРАБОТКУ\n");
    if export.consents.is_empty() {
        out.push_str("Нет отдельных согласий: жалобы поданы из личного кабинета.\n");
    }
    for consent in &export.consents {
        let _ = writeln!(
            out,
            "Жалоба № {}: согласие версии {} от {}",
            consent.complaint_number,
            consent.version,
            date(consent.given_at),
        );
    }
    let _ = writeln!(out, "\nУВЕДОМЛЕНИЯ ({})", export.notifications.len());
    for n in &export.notifications {
        let _ = writeln!(out, "{}: {}", date(n.created_at), n.text);
    }
    let _ = writeln!(
        out,
        "\nОТПРАВЛЕННЫЕ СООБЩЕНИЯ ({})",
        export.deliveries.len()
    );
    for d in &export.deliveries {
        let _ = writeln!(
            out,
            "{} · {} · {}: {}",
            date(d.created_at),
            d.channel,
            d.address,
            d.body,
        );
    }
    out
}
