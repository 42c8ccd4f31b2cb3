//! Text encodings of SMS bodies and how a text is cut into billable segments.
//!
//! Outbound, a text that the GSM 03.38 default alphabet (with its extension table) can carry goes
//! as `data_coding` 0x00, one unpacked septet per octet as SMPP carries it, and anything else as
//! UCS-2 (`data_coding` 0x08, UTF-16 big-endian, so a character outside the Basic Multilingual
//! Plane takes two code units and is never cut between segments). Inbound, GSM 7-bit, UCS-2,
//! IA5/ASCII and Latin-1 bodies are decoded.

/// `data_coding` of the SMSC's default alphabet, taken to be GSM 03.38.
pub(crate) const DC_DEFAULT: u8 = 0x00;
/// `data_coding` of IA5 (ASCII).
pub(crate) const DC_IA5: u8 = 0x01;
/// `data_coding` of ISO-8859-1.
pub(crate) const DC_LATIN1: u8 = 0x03;
/// `data_coding` of UCS-2 (UTF-16BE).
pub(crate) const DC_UCS2: u8 = 0x08;

/// Septets in one GSM 7-bit message without a user data header.
const GSM_SINGLE: usize = 160;
/// Septets left in a part of a concatenated GSM message: the 6-octet UDH takes 7 septets.
const GSM_PART: usize = 153;
/// UTF-16 code units in one UCS-2 message (140 octets).
const UCS2_SINGLE: usize = 70;
/// UTF-16 code units left in a part of a concatenated UCS-2 message (134 octets after the UDH).
const UCS2_PART: usize = 67;
/// The most parts the 8-bit concatenation header can number.
pub(crate) const MAX_PARTS: usize = 255;

/// The escape septet that introduces a character of the extension table.
const ESC: u8 = 0x1B;

/// GSM 03.38 default alphabet, indexed by septet. 0x1B (the escape) is never looked up.
const GSM_BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', //
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1B}', 'Æ', 'æ', 'ß', 'É', //
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', //
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', //
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', //
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', //
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', //
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', //
];

/// GSM 03.38 extension table: (septet after the escape, character).
const GSM_EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{0C}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
];

/// The septets of one character in the GSM default alphabet: one, or the escape and one.
fn gsm_septets(c: char) -> Option<([u8; 2], usize)> {
    if c != '\u{1B}'
        && let Some(i) = GSM_BASIC.iter().position(|&g| g == c)
    {
        return Some(([i as u8, 0], 1));
    }
    GSM_EXTENSION
        .iter()
        .find(|&&(_, g)| g == c)
        .map(|&(s, _)| ([ESC, s], 2))
}

/// The text in unpacked GSM 7-bit septets, or `None` when a character is not in the alphabet.
fn encode_gsm(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let (septets, n) = gsm_septets(c)?;
        out.extend_from_slice(&septets[..n]);
    }
    Some(out)
}

/// A text ready to be submitted: its `data_coding` and the payload of each segment (without any
/// user data header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segmented {
    pub data_coding: u8,
    pub parts: Vec<Vec<u8>>,
}

/// Encodes the text (GSM 7-bit when it can, UCS-2 otherwise) and cuts it into segments: one when
/// it fits 160 septets / 70 UTF-16 units, else parts of 153 septets / 67 units that never split an
/// escape sequence or a surrogate pair. Returns `None` past [`MAX_PARTS`] parts.
pub(crate) fn segment(text: &str) -> Option<Segmented> {
    let segmented = match encode_gsm(text) {
        Some(septets) => Segmented {
            data_coding: DC_DEFAULT,
            parts: split_gsm(septets),
        },
        None => Segmented {
            data_coding: DC_UCS2,
            parts: split_ucs2(text),
        },
    };
    (segmented.parts.len() <= MAX_PARTS).then_some(segmented)
}

fn split_gsm(septets: Vec<u8>) -> Vec<Vec<u8>> {
    if septets.len() <= GSM_SINGLE {
        return vec![septets];
    }
    let mut parts = Vec::new();
    let mut start = 0;
    while start < septets.len() {
        let mut end = (start + GSM_PART).min(septets.len());
        // Never leave an escape as the last septet of a part: its character would be cut in two.
        // (No extension septet equals the escape, so a trailing escape always starts a pair.)
        if end < septets.len() && septets[end - 1] == ESC {
            end -= 1;
        }
        parts.push(septets[start..end].to_vec());
        start = end;
    }
    parts
}

fn split_ucs2(text: &str) -> Vec<Vec<u8>> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let chunks: Vec<&[u16]> = if units.len() <= UCS2_SINGLE {
        vec![&units[..]]
    } else {
        let mut chunks = Vec::new();
        let mut start = 0;
        while start < units.len() {
            let mut end = (start + UCS2_PART).min(units.len());
            // Keep a surrogate pair together.
            if end < units.len() && (0xD800..0xDC00).contains(&units[end - 1]) {
                end -= 1;
            }
            chunks.push(&units[start..end]);
            start = end;
        }
        chunks
    };
    chunks
        .into_iter()
        .map(|chunk| chunk.iter().flat_map(|u| u.to_be_bytes()).collect())
        .collect()
}

/// How many SMS segments (billable messages) the text takes, exactly as
/// [`SmsClient::submit`](super::SmsClient::submit) sends it: one up to 160 GSM septets or 70 UCS-2
/// units, else one per 153 septets or 67 units. Past 255 segments the text cannot be sent; the
/// count is still given.
pub fn count_segments(text: &str) -> u32 {
    let parts = match encode_gsm(text) {
        Some(septets) => split_gsm(septets).len(),
        None => split_ucs2(text).len(),
    };
    u32::try_from(parts).unwrap_or(u32::MAX)
}

/// Decodes an SMS body according to its SMPP `data_coding`.
///
/// 0x00 is read as the GSM 03.38 default alphabet (unpacked), 0x01 as ASCII, 0x03 as Latin-1 and
/// 0x08 as UCS-2/UTF-16BE. Of the GSM data coding scheme group 0xF0–0xFF, bit 2 picks 7-bit
/// (GSM) or 8-bit (read as Latin-1). Anything else is read as Latin-1, which never fails.
pub(crate) fn decode(data_coding: u8, bytes: &[u8]) -> String {
    match data_coding {
        DC_DEFAULT => decode_gsm(bytes),
        DC_UCS2 => decode_ucs2(bytes),
        DC_IA5 | DC_LATIN1 => decode_latin1(bytes),
        0xF0..=0xFF if data_coding & 0x04 == 0 => decode_gsm(bytes),
        _ => decode_latin1(bytes),
    }
}

fn decode_gsm(septets: &[u8]) -> String {
    let mut out = String::with_capacity(septets.len());
    let mut escaped = false;
    for &s in septets {
        let s = s & 0x7F;
        if escaped {
            escaped = false;
            match GSM_EXTENSION.iter().find(|&&(e, _)| e == s) {
                Some(&(_, c)) => out.push(c),
                // ESC ESC is reserved and shown as a space; an unknown extension shows as its
                // basic-table character (GSM 03.38 §6.2.1.1).
                None if s == ESC => out.push(' '),
                None => out.push(GSM_BASIC[usize::from(s)]),
            }
        } else if s == ESC {
            escaped = true;
        } else {
            out.push(GSM_BASIC[usize::from(s)]);
        }
    }
    out
}

fn decode_ucs2(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

fn decode_latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_gsm_and_one_segment_up_to_160() {
        let s = segment("Hello, world!").unwrap();
        assert_eq!(s.data_coding, DC_DEFAULT);
        assert_eq!(s.parts, vec![b"Hello, world!".to_vec()]);
        assert_eq!(count_segments(&"a".repeat(160)), 1);
        assert_eq!(count_segments(&"a".repeat(161)), 2);
        assert_eq!(count_segments(&"a".repeat(306)), 2);
        assert_eq!(count_segments(&"a".repeat(307)), 3);
    }

    #[test]
    fn gsm_specials_map_to_their_septets() {
        let s = segment("@$_€[").unwrap();
        assert_eq!(s.data_coding, DC_DEFAULT);
        assert_eq!(s.parts[0], vec![0x00, 0x02, 0x11, 0x1B, 0x65, 0x1B, 0x3C]);
        assert_eq!(decode(DC_DEFAULT, &s.parts[0]), "@$_€[");
    }

    #[test]
    fn extension_characters_count_double_and_are_not_cut() {
        // 152 plain septets then '€' (two septets) would put the escape at septet 153.
        let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
        let s = segment(&text).unwrap();
        assert_eq!(s.parts[0].len(), 152);
        assert_eq!(s.parts[1][..2], [0x1B, 0x65]);
        let joined: Vec<u8> = s.parts.concat();
        assert_eq!(decode(DC_DEFAULT, &joined), text);
        // 159 plain + '€' = 161 septets: two segments although 160 characters.
        assert_eq!(count_segments(&format!("{}€", "a".repeat(159))), 2);
    }

    #[test]
    fn cyrillic_goes_as_ucs2_and_splits_at_67() {
        let text = "Заявка принята. ".repeat(6); // 96 characters
        let s = segment(&text).unwrap();
        assert_eq!(s.data_coding, DC_UCS2);
        assert_eq!(s.parts.len(), 2);
        assert_eq!(s.parts[0].len(), 134);
        let joined: Vec<u8> = s.parts.concat();
        assert_eq!(decode(DC_UCS2, &joined), text);
        assert_eq!(count_segments(&"ж".repeat(70)), 1);
        assert_eq!(count_segments(&"ж".repeat(71)), 2);
        assert_eq!(count_segments(&"ж".repeat(134)), 2);
        assert_eq!(count_segments(&"ж".repeat(135)), 3);
    }

    #[test]
    fn surrogate_pairs_stay_in_one_part() {
        let text = format!("{}😀{}", "ж".repeat(66), "ж".repeat(10));
        let s = segment(&text).unwrap();
        assert_eq!(s.parts[0].len(), 132);
        let joined: Vec<u8> = s.parts.concat();
        assert_eq!(decode(DC_UCS2, &joined), text);
    }

    #[test]
    fn too_long_is_refused() {
        assert!(segment(&"ж".repeat(67 * 255)).is_some());
        assert!(segment(&"ж".repeat(67 * 255 + 1)).is_none());
    }

    #[test]
    fn decodes_latin1_and_gsm_class_codings() {
        assert_eq!(decode(DC_LATIN1, &[0x63, 0x61, 0x66, 0xE9]), "café");
        assert_eq!(decode(0xF0, &[0x00, 0x41]), "@A");
        assert_eq!(decode(0xF4, &[0xE9]), "é");
        assert_eq!(decode(DC_UCS2, &[0x04, 0x14, 0x04, 0x30]), "Да");
    }

    #[test]
    fn empty_text_is_one_empty_segment() {
        let s = segment("").unwrap();
        assert_eq!(s.parts, vec![Vec::<u8>::new()]);
        assert_eq!(count_segments(""), 1);
    }
}
