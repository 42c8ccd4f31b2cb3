//! What text the service accepts in any field: no control characters (a NUL even breaks
//! PostgreSQL), and no bidirectional overrides or isolates, which make a text read otherwise than
//! it is stored (a number, an address or a name shown reversed). Long texts may hold line breaks
//! and tabs. The API applies this to every string of every JSON body and query, once.

/// Fields whose texts may run over several lines: complaint descriptions, notes, comments,
/// reasons, findings, replies and message templates. Every other field is one line.
pub const MULTILINE_FIELDS: &[&str] = &[
    "description",
    "note",
    "comment",
    "reason",
    "findings",
    "text",
    "body",
];

/// Why a text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFault {
    ControlCharacter,
    BidiControl,
}

impl TextFault {
    pub fn message(self) -> &'static str {
        match self {
            TextFault::ControlCharacter => "must not contain control characters",
            TextFault::BidiControl => "must not contain bidirectional text controls",
        }
    }
}

/// Checks one text; `multiline` allows `\n`, `\r` and `\t`.
pub fn check(text: &str, multiline: bool) -> Result<(), TextFault> {
    for c in text.chars() {
        if is_bidi_control(c) {
            return Err(TextFault::BidiControl);
        }
        if c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')) {
            return Err(TextFault::ControlCharacter);
        }
    }
    Ok(())
}

/// Whether `field` (a JSON key) holds a long text.
pub fn is_multiline_field(field: &str) -> bool {
    MULTILINE_FIELDS.contains(&field)
}

/// The embeddings, overrides and isolates of Unicode's bidirectional algorithm (U+202A–U+202E,
/// U+2066–U+2069). The marks (U+200E, U+200F, U+061C) change no order of their own and stay.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_controls_and_bidi_overrides_allows_line_breaks_in_long_texts() {
        assert_eq!(check("ул. Ленина, 5", false), Ok(()));
        assert_eq!(check("a\u{0}b", true), Err(TextFault::ControlCharacter));
        assert_eq!(check("a\u{1b}[31m", true), Err(TextFault::ControlCharacter));
        assert_eq!(check("a\u{7f}", true), Err(TextFault::ControlCharacter));
        assert_eq!(check("a\u{85}", true), Err(TextFault::ControlCharacter));
        assert_eq!(check("line\nline\tx\r\n", true), Ok(()));
        assert_eq!(check("line\nline", false), Err(TextFault::ControlCharacter));
        assert_eq!(check("a\tb", false), Err(TextFault::ControlCharacter));
        for bidi in ['\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}'] {
            assert_eq!(
                check(&format!("abc{bidi}def"), true),
                Err(TextFault::BidiControl)
            );
        }
        assert_eq!(check("שלום\u{200F}", false), Ok(()));
        assert!(is_multiline_field("description"));
        assert!(!is_multiline_field("login"));
    }
}
