//! The text of the printed order and act as data: the administrator edits it, with placeholders
//! such as `{organisation}` filled in when a document is printed. A template naming a placeholder
//! that does not exist is refused (422 naming the field and the placeholder).

use std::collections::BTreeMap;

use crate::DomainError;
use crate::paperwork::DocumentKind;

/// What the inspection acts under, printed as `{legal_basis}`.
pub const DOCUMENT_LEGAL_BASIS: &str = "ст. 20 Жилищного кодекса РФ; Правила содержания общего имущества \
в многоквартирном доме (постановление Правительства РФ от 13.08.2006 № 491); Правила и нормы \
технической эксплуатации жилищного фонда (постановление Госстроя России от 27.09.2003 № 170)";

/// The most characters a template may have.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;

/// Every placeholder a template may use, with what it stands for.
pub const PLACEHOLDERS: [(&str, &str); 11] = [
    ("number", "the document's number, e.g. П-2026-00001"),
    ("date", "the date it was issued, ДД.ММ.ГГГГ"),
    ("organisation", "the management company it is addressed to"),
    ("address", "the building's address"),
    ("complaint_number", "the complaint's number"),
    (
        "findings",
        "the violations found (the inspection's findings)",
    ),
    ("order_text", "what the order requires"),
    ("legal_basis", "the legal basis"),
    ("due_date", "the order's due date, ДД.ММ.ГГГГ"),
    ("inspector", "the inspector's name"),
    (
        "violation",
        "whether a violation was found (выявлено / не выявлено)",
    ),
];

/// The values a document is printed with, by placeholder name.
pub type DocumentFields = BTreeMap<&'static str, String>;

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Field(&'a str),
}

/// Splits a template into text and placeholders. `{{` and `}}` stand for braces themselves.
fn parse(body: &str) -> Result<Vec<Piece<'_>>, DomainError> {
    let invalid = |message: String| DomainError::validation("body", message);
    let mut pieces = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find(['{', '}']) {
        pieces.push(Piece::Text(&rest[..open]));
        let tail = &rest[open..];
        if let Some(after) = tail.strip_prefix("{{") {
            pieces.push(Piece::Text("{"));
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            pieces.push(Piece::Text("}"));
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let close = after
                .find('}')
                .ok_or_else(|| invalid("a `{` with no closing `}`".to_owned()))?;
            let name = &after[..close];
            if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
                return Err(invalid(format!(
                    "unknown placeholder {{{name}}}; known: {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|(n, _)| format!("{{{n}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            pieces.push(Piece::Field(name));
            rest = &after[close + 1..];
        } else {
            return Err(invalid("a `}` with no opening `{`".to_owned()));
        }
    }
    pieces.push(Piece::Text(rest));
    Ok(pieces)
}

/// Checks a template as the administrator saves it: not empty, not too long, and every
/// placeholder known.
pub fn validate_template(body: &str) -> Result<(), DomainError> {
    let chars = body.chars().count();
    if body.trim().is_empty() || chars > MAX_TEMPLATE_CHARS {
        return Err(DomainError::validation(
            "body",
            format!("must be 1 to {MAX_TEMPLATE_CHARS} characters"),
        ));
    }
    parse(body).map(|_| ())
}

/// Fills a template in; a placeholder with no value prints as a dash.
pub fn render_template(body: &str, fields: &DocumentFields) -> Result<String, DomainError> {
    let mut out = String::with_capacity(body.len() * 2);
    for piece in parse(body)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Field(name) => match fields.get(name).filter(|v| !v.trim().is_empty()) {
                Some(value) => out.push_str(value),
                None => out.push('—'),
            },
        }
    }
    Ok(out)
}

/// The text the service ships with, until the administrator changes it.
pub fn default_template(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Order => DEFAULT_ORDER,
        DocumentKind::Act => DEFAULT_ACT,
    }
}

const DEFAULT_ORDER: &str = "\
Муниципальный жилищный контроль города Сургута

ПРЕДПИСАНИЕ № {number}
об устранении выявленных нарушений

Дата выдачи: {date}

Кому: {organisation}
Адрес объекта: {address}
Основание: обращение № {complaint_number}

Выявленные нарушения:
{findings}

Предписывается:
{order_text}

Правовое основание: {legal_basis}

Срок исполнения: до {due_date}

О выполнении предписания сообщить в муниципальный жилищный контроль до истечения срока. \
Невыполнение в срок законного предписания влечёт ответственность по ч. 1 ст. 19.5 КоАП РФ.

Инспектор: {inspector}
";

const DEFAULT_ACT: &str = "\
Муниципальный жилищный контроль города Сургута

АКТ ПРОВЕРКИ № {number}

Дата составления: {date}

Проверяемое лицо: {organisation}
Адрес объекта: {address}
Основание: обращение № {complaint_number}

Нарушения: {violation}

Результаты проверки:
{findings}

Правовое основание: {legal_basis}

Инспектор: {inspector}
";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn defaults_are_valid() {
        for kind in [DocumentKind::Order, DocumentKind::Act] {
            validate_template(default_template(kind)).unwrap();
        }
    }

    #[test]
    fn unknown_placeholder_is_named() {
        let err = validate_template("Кому: {organisaton}").unwrap_err();
        let DomainError::Validation { field, message } = err else {
            panic!("a validation error")
        };
        assert_eq!(field, "body");
        assert!(message.contains("{organisaton}"), "{message}");
        for bad in ["{", "}", "{number", "", "   "] {
            assert!(validate_template(bad).is_err(), "{bad:?}");
        }
        assert!(validate_template(&"я".repeat(MAX_TEMPLATE_CHARS + 1)).is_err());
    }

    #[test]
    fn renders_fields_and_braces() {
        let mut fields = DocumentFields::new();
        fields.insert("organisation", "ООО «УК Север»".to_owned());
        fields.insert("number", "П-2026-00001".to_owned());
        let text =
            render_template("№ {number}: {organisation} {{x}} {inspector}", &fields).unwrap();
        assert_eq!(text, "№ П-2026-00001: ООО «УК Север» {x} —");
    }
}
