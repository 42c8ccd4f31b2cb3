//! Printing the inspection's documents: a filled-in template as a PDF (A4, DejaVu Sans embedded so
//! that Cyrillic prints and can be copied or searched: a Type0 font with Identity-H and a ToUnicode
//! map), written with `lopdf` (already in the tree for uploads) and measured with `ttf-parser`; and
//! the same text as a printable HTML page.

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};

/// DejaVu Sans from Debian's fonts-dejavu-core (licence beside it in assets/fonts).
static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const FONT_SIZE: f32 = 11.0;
const LEADING: f32 = 15.0;

/// Why a document could not be printed (a fault of the build, never of the input).
#[derive(Debug, thiserror::Error)]
#[error("printing the document failed: {0}")]
pub struct PrintError(String);

struct Font<'a> {
    face: ttf_parser::Face<'a>,
    units: f32,
}

impl Font<'_> {
    fn glyph(&self, c: char) -> u16 {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index('?'))
            .map_or(0, |g| g.0)
    }

    /// A glyph's advance in thousandths of the font size (the PDF's unit for widths).
    fn advance(&self, glyph: u16) -> f32 {
        let units = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        f32::from(units) * 1000.0 / self.units
    }

    fn width(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * FONT_SIZE
            / 1000.0
    }

    /// Splits the text into lines that fit the page's width, breaking between words (a word
    /// longer than a line is broken where it must).
    fn wrap(&self, text: &str) -> Vec<String> {
        let max = PAGE_WIDTH - 2.0 * MARGIN;
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line) > max {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// The document `text` as a PDF titled `title`.
pub fn pdf(title: &str, text: &str) -> Result<Vec<u8>, PrintError> {
    let fault = |e: &dyn std::fmt::Display| PrintError(e.to_string());
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| fault(&e))?;
    let font = Font {
        units: f32::from(face.units_per_em()),
        face,
    };
    let lines = font.wrap(text);
    let mut used: BTreeMap<u16, char> = BTreeMap::new();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = add_font(&mut doc, &font, &lines, &mut used)?;
    let per_page = ((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING).floor().max(1.0) as usize;
    let mut kids = Vec::new();
    for chunk in lines.chunks(per_page) {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
            Operation::new("TL", vec![LEADING.into()]),
            Operation::new("Td", vec![MARGIN.into(), (PAGE_HEIGHT - MARGIN).into()]),
        ];
        for line in chunk {
            let bytes: Vec<u8> = line
                .chars()
                .flat_map(|c| font.glyph(c).to_be_bytes())
                .collect();
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(bytes, StringFormat::Hexadecimal)],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops }
            .encode()
            .map_err(|e| fault(&e))?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        })));
    }
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal(utf16_text(title)),
        "Producer" => Object::string_literal("dispatch"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| fault(&e))?;
    Ok(out)
}

/// A text string in UTF-16BE with its byte-order mark, as PDF metadata wants non-Latin text.
fn utf16_text(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// Embeds the font (the whole file, compressed) with the widths and the ToUnicode map of the
/// glyphs the lines use.
fn add_font(
    doc: &mut Document,
    font: &Font<'_>,
    lines: &[String],
    used: &mut BTreeMap<u16, char>,
) -> Result<lopdf::ObjectId, PrintError> {
    for c in lines.iter().flat_map(|l| l.chars()) {
        used.entry(font.glyph(c)).or_insert(c);
    }
    let mut file = Stream::new(
        dictionary! { "Length1" => i64::try_from(FONT.len()).unwrap_or(i64::MAX) },
        FONT.to_vec(),
    );
    file.compress().map_err(|e| PrintError(e.to_string()))?;
    let file_id = doc.add_object(file);
    let bbox = font.face.global_bounding_box();
    let scale = |v: i16| (f32::from(v) * 1000.0 / font.units).round() as i64;
    let descriptor_id = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "DejaVuSans",
        "Flags" => 32,
        "FontBBox" => vec![scale(bbox.x_min).into(), scale(bbox.y_min).into(), scale(bbox.x_max).into(), scale(bbox.y_max).into()],
        "ItalicAngle" => 0,
        "Ascent" => scale(font.face.ascender()),
        "Descent" => scale(font.face.descender()),
        "CapHeight" => scale(font.face.capital_height().unwrap_or(729)),
        "StemV" => 80,
        "FontFile2" => file_id,
    });
    let widths: Vec<Object> = used
        .keys()
        .flat_map(|&g| {
            [
                Object::Integer(i64::from(g)),
                Object::Array(vec![Object::Real(font.advance(g))]),
            ]
        })
        .collect();
    let cid_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "DejaVuSans",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor_id,
        "W" => widths,
        "CIDToGIDMap" => "Identity",
    });
    let to_unicode_id = doc.add_object(Stream::new(Dictionary::new(), to_unicode(used)));
    Ok(doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "DejaVuSans",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![cid_id.into()],
        "ToUnicode" => to_unicode_id,
    }))
}

/// The CMap that tells a reader (and `pdftotext`) which character each glyph is.
fn to_unicode(used: &BTreeMap<u16, char>) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in pairs.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (glyph, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            cmap.push_str(&format!("<{glyph:04X}> <{hex}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

/// The same document as a printable HTML page (no script, no outside resource).
pub fn html(title: &str, text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:'DejaVu Sans',sans-serif;max-width:46em;margin:2em auto;\
         font-size:12pt;line-height:1.4}}pre{{white-space:pre-wrap;font:inherit}}</style></head>\
         <body><pre>{}</pre></body></html>",
        escape(title),
        escape(text)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn prints_a_pdf_with_cyrillic_and_many_pages() {
        let long = "Течь трубы в подвале. ".repeat(400);
        let bytes = pdf(
            "Предписание",
            &format!("ПРЕДПИСАНИЕ № П-2026-00001\n{long}"),
        )
        .unwrap();
        assert!(bytes.starts_with(b"%PDF-1.5"));
        let doc = Document::load_mem(&bytes).unwrap();
        assert!(doc.get_pages().len() > 1);
    }

    #[test]
    fn html_is_escaped() {
        let page = html("A", "<script>x</script>");
        assert!(!page.contains("<script>"));
    }
}
