//! The printable Russian page of a personal data export.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::document::PersonalDataExport;

/// Text made safe inside HTML elements and attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn date(at: DateTime<Utc>) -> String {
    at.format("%d.%m.%Y %H:%M UTC").to_string()
}

fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), esc)
}

/// The whole page. Writing to a `String` cannot fail; the results are ignored.
pub fn render(export: &PersonalDataExport) -> String {
    let mut page = String::new();
    let p = &export.profile;
    let _ = write!(
        page,
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
         <title>Мои данные — виртуальная диспетчерская ЖКХ</title>\
         <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.25rem .5rem;\
         text-align:left;vertical-align:top}}section{{break-inside:avoid;margin-bottom:1.5rem}}\
         </style></head><body>\
         <h1>Персональные данные</h1>\
         <p>Сведения, которые виртуальная диспетчерская ЖКХ обрабатывает о вас \
         (ст. 14 Федерального закона № 152-ФЗ «О персональных данных»). Сформировано {}.</p>\
         <section><h2>Профиль</h2><table>\
         <tr><th>ФИО</th><td>{}</td></tr><tr><th>Телефон</th><td>{}</td></tr>\
         <tr><th>Эл. почта</th><td>{}</td></tr><tr><th>Логин</th><td>{}</td></tr>\
         <tr><th>Учётная запись создана</th><td>{}</td></tr></table></section>",
        date(export.generated_at),
        or_dash(p.name.as_deref()),
        or_dash(p.phone.as_deref()),
        or_dash(p.email.as_deref()),
        or_dash(p.login.as_deref()),
        p.registered_at.map_or_else(|| "—".to_owned(), date),
    );
    let _ = write!(
        page,
        "<section><h2>Жалобы ({})</h2>",
        export.complaints.len()
    );
    for c in &export.complaints {
        let _ = write!(
            page,
            "<section><h3>Жалоба № {}</h3><table>\
             <tr><th>Статус</th><td>{}</td></tr><tr><th>Категория</th><td>{}</td></tr>\
             <tr><th>Адрес</th><td>{}, кв. {}</td></tr><tr><th>Текст</th><td>{}</td></tr>\
             <tr><th>Заявитель</th><td>{}, {}</td></tr>\
             <tr><th>Подана</th><td>{}</td></tr><tr><th>Закрыта</th><td>{}</td></tr></table>\
             <h4>История</h4><table><tr><th>Когда</th><th>Событие</th><th>Статус</th>\
             <th>Комментарий</th></tr>",
            esc(&c.number),
            esc(c.status.name_ru()),
            esc(&c.category),
            esc(&c.address),
            or_dash(c.flat.as_deref()),
            esc(&c.description),
            or_dash(c.applicant_name.as_deref()),
            or_dash(c.applicant_phone.as_deref()),
            date(c.registered_at),
            c.closed_at.map_or_else(|| "—".to_owned(), date),
        );
        for e in &c.history {
            let _ = write!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                date(e.at),
                esc(e.kind.as_str()),
                esc(e.to.name_ru()),
                or_dash(e.comment.as_deref()),
            );
        }
        page.push_str("</table>");
        if !c.attachments.is_empty() {
            page.push_str("<h4>Вложения</h4><ul>");
            for a in &c.attachments {
                let _ = write!(
                    page,
                    "<li>{} ({}, {} байт, {})</li>",
                    esc(&a.filename),
                    esc(&a.content_type),
                    a.size_bytes,
                    date(a.created_at),
                );
            }
            page.push_str("</ul>");
        }
        page.push_str("</section>");
    }
    page.push_str("</section><section><h2>Согласия на обработку</h2>");
    if export.consents.is_empty() {
        page.push_str("<p>Нет отдельных согласий: жалобы поданы из личного кабинета.</p>");
    }
    for consent in &export.consents {
        let _ = write!(
            page,
            "<p>Жалоба № {}: согласие версии {} от {}</p>",
            esc(&consent.complaint_number),
            esc(&consent.version),
            date(consent.given_at),
        );
    }
    let _ = write!(
        page,
        "</section><section><h2>Уведомления ({})</h2><ul>",
        export.notifications.len()
    );
    for n in &export.notifications {
        let _ = write!(page, "<li>{}: {}</li>", date(n.created_at), esc(&n.text));
    }
    let _ = write!(
        page,
        "</ul></section><section><h2>Отправленные сообщения ({})</h2><ul>",
        export.deliveries.len()
    );
    for d in &export.deliveries {
        let _ = write!(
            page,
            "<li>{} · {} · {}: {}</li>",
            date(d.created_at),
            esc(&d.channel),
            esc(&d.address),
            esc(&d.body),
        );
    }
    page.push_str("</ul></section></body></html>");
    page
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_the_data_is_shown_not_run() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
