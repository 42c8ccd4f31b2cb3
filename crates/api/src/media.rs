//! Uploaded files: the type is decided by the bytes, never by the name or the declared type, and
//! every file is rewritten before storage so that only its content survives.
//!
//! Images are decoded, turned upright by their EXIF orientation and encoded again in the same
//! format. The new file carries none of the old one's metadata: EXIF (GPS position, camera
//! serials), XMP, IPTC, comments, other APPn segments, text and private chunks, colour profiles,
//! bytes after the image. PDFs lose their document information dictionary and XMP streams and
//! are written out again, which also drops earlier revisions and bytes after the end.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, ImageResult};
use lopdf::{Document, LoadOptions, Object};

/// The file types accepted as attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl MediaType {
    pub const fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Pdf => "pdf",
        }
    }

    /// Recognises the type by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(PNG_SIGNATURE) {
            Some(Self::Png)
        } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
            Some(Self::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The largest image accepted. Decoding needs up to 8 bytes a pixel and turning it upright as
/// much again, so this bounds the memory one upload can take (a small file can declare a huge
/// image).
const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// JPEG quality of re-encoded photos: no visible loss, about the size phones write.
const JPEG_QUALITY: u8 = 90;

/// The most one compressed object or cross-reference stream of a PDF may inflate to while it is
/// read. Uploads are at most 10 MiB; this keeps a crafted one from inflating to gigabytes.
const MAX_PDF_STREAM_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the file is damaged: {0}")]
pub struct Malformed(&'static str);

/// The file as it is stored: images re-encoded upright without metadata, PDFs without their
/// document information and XMP metadata. Anything that cannot be read is [`Malformed`].
///
/// CPU-bound (most of a second for a 12-megapixel photo in a release build, over ten seconds
/// unoptimised): call it off the async workers.
pub fn sanitize(kind: MediaType, bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    // The decoders are fuzzed upstream and `rewrite` is fuzzed below; should one still panic on
    // a crafted file, the upload is refused as damaged instead of failing the request.
    std::panic::catch_unwind(|| rewrite(kind, bytes))
        .unwrap_or(Err(Malformed("the file could not be read")))
}

fn rewrite(kind: MediaType, bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    match kind {
        MediaType::Jpeg => reencode(bytes, ImageFormat::Jpeg, |image, out| {
            image.write_with_encoder(JpegEncoder::new_with_quality(out, JPEG_QUALITY))
        }),
        MediaType::Png => reencode(bytes, ImageFormat::Png, |image, out| {
            image.write_with_encoder(PngEncoder::new(out))
        }),
        // The crate encodes WebP losslessly only: a lossy photo comes out larger, never worse.
        MediaType::Webp => reencode(bytes, ImageFormat::WebP, |image, out| {
            image.write_with_encoder(WebPEncoder::new_lossless(out))
        }),
        MediaType::Pdf => clean_pdf(bytes),
    }
}

/// Decodes the image (refusing it before that if it is too large), applies its EXIF
/// orientation and encodes the pixels alone.
fn reencode(
    bytes: &[u8],
    format: ImageFormat,
    encode: impl FnOnce(&DynamicImage, &mut Vec<u8>) -> ImageResult<()>,
) -> Result<Vec<u8>, Malformed> {
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(|_| Malformed("the image cannot be read"))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(Malformed("the image is larger than 40 megapixels"));
    }
    // A damaged EXIF block costs the orientation, not the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|_| Malformed("the image data is damaged"))?;
    image.apply_orientation(orientation);
    let mut out = Vec::new();
    encode(&image, &mut out).map_err(|_| Malformed("the image cannot be encoded again"))?;
    Ok(out)
}

/// Drops the trailer's `/Info` and every `/Metadata` stream (the catalog's XMP, and that of
/// pages, images and fonts), then writes the document anew with only the objects still in use.
fn clean_pdf(bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_PDF_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let mut document = Document::load_mem_with_options(bytes, options)
        .map_err(|_| Malformed("the PDF cannot be read"))?;
    // A file whose user password is empty is decrypted on load and loses `/Encrypt`.
    if document.trailer.has(b"Encrypt") {
        return Err(Malformed("the PDF is protected by a password"));
    }
    if document.catalog().is_err() {
        return Err(Malformed("the PDF has no document catalog"));
    }
    document.trailer.remove(b"Info");
    document.traverse_objects(|object| {
        match object {
            Object::Dictionary(dictionary) => dictionary.remove(b"Metadata"),
            Object::Stream(stream) => stream.dict.remove(b"Metadata"),
            _ => None,
        };
    });
    document.prune_objects();
    let mut out = Vec::new();
    document
        .save_to(&mut out)
        .map_err(|_| Malformed("the PDF cannot be written again"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb, RgbImage};
    use lopdf::{Dictionary, Stream, dictionary};

    const RED: Rgb<u8> = Rgb([230, 20, 20]);
    const BLUE: Rgb<u8> = Rgb([20, 20, 230]);
    const SECRET: &[u8] = b"GPS 61.2540N 73.3960E serial 1234";

    /// 24×16: the left half red, the right half blue.
    fn landscape() -> RgbImage {
        RgbImage::from_fn(24, 16, |x, _| if x < 12 { RED } else { BLUE })
    }

    /// A little-endian EXIF block whose only tag is orientation 6 (turn 90° clockwise to view),
    /// followed by bytes standing in for a GPS position and a serial number.
    fn exif_rotate_90() -> Vec<u8> {
        let mut v = b"II\x2A\x00".to_vec();
        v.extend_from_slice(&8u32.to_le_bytes());
        v.extend_from_slice(&1u16.to_le_bytes());
        v.extend_from_slice(&0x0112u16.to_le_bytes());
        v.extend_from_slice(&3u16.to_le_bytes());
        v.extend_from_slice(&1u32.to_le_bytes());
        v.extend_from_slice(&6u16.to_le_bytes());
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&0u32.to_le_bytes());
        v.extend_from_slice(SECRET);
        v
    }

    const XMP: &[u8] =
        b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF>Ivanova</rdf:RDF></x:xmpmeta>";

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn assert_no_metadata(clean: &[u8]) {
        for needle in [
            &b"Exif"[..],
            b"EXIF",
            b"eXIf",
            b"XMP",
            b"xmpmeta",
            b"Ivanova",
            b"comment",
            b"Photoshop",
            b"GPS",
            b"trailing",
            b"tEXt",
            b"seCr",
        ] {
            assert!(
                !contains(clean, needle),
                "{:?} survived",
                String::from_utf8_lossy(needle)
            );
        }
    }

    /// Decodes `bytes` and checks that the landscape photo now stands upright: 16×24, its left
    /// (red) half on top.
    fn assert_upright(bytes: &[u8], format: ImageFormat) {
        let image = image::load_from_memory_with_format(bytes, format)
            .unwrap()
            .to_rgb8();
        assert_eq!(image.dimensions(), (16, 24), "{format:?} is turned upright");
        let near = |p: &Rgb<u8>, q: Rgb<u8>| p.0.iter().zip(q.0).all(|(a, b)| a.abs_diff(b) < 40);
        assert!(
            near(image.get_pixel(8, 3), RED),
            "{format:?}: the top is red"
        );
        assert!(
            near(image.get_pixel(8, 20), BLUE),
            "{format:?}: the bottom is blue"
        );
    }

    fn jpeg_segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&u16::try_from(data.len() + 2).unwrap().to_be_bytes());
        v.extend_from_slice(data);
        v
    }

    /// A phone photo: EXIF orientation 6, XMP, IPTC, a comment, bytes after EOI.
    fn phone_jpeg() -> Vec<u8> {
        let mut encoded = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut encoded, 95);
        encoder.set_exif_metadata(exif_rotate_90()).unwrap();
        encoder
            .write_image(landscape().as_raw(), 24, 16, image::ExtendedColorType::Rgb8)
            .unwrap();
        let mut v = encoded[..2].to_vec();
        let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        xmp.extend_from_slice(XMP);
        v.extend(jpeg_segment(0xE1, &xmp));
        v.extend(jpeg_segment(0xED, b"Photoshop 3.0\0Ivanova"));
        v.extend(jpeg_segment(0xFE, b"comment: flat 5, Ivanova"));
        v.extend_from_slice(&encoded[2..]);
        v.extend_from_slice(b"trailing GPS bytes");
        v
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&crc32(&v[4..]).to_be_bytes());
        v
    }

    /// A PNG with eXIf (orientation 6), text, XMP and private chunks, and bytes after IEND.
    fn phone_png() -> Vec<u8> {
        let mut encoded = Vec::new();
        let mut encoder = PngEncoder::new(&mut encoded);
        encoder.set_exif_metadata(exif_rotate_90()).unwrap();
        encoder
            .write_image(landscape().as_raw(), 24, 16, image::ExtendedColorType::Rgb8)
            .unwrap();
        assert!(contains(&encoded, b"eXIf"));
        // Ancillary chunks go right after IHDR (8 bytes of signature, 25 of IHDR).
        let mut v = encoded[..33].to_vec();
        v.extend(png_chunk(b"tEXt", b"Author\0Ivanova"));
        let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        itxt.extend_from_slice(XMP);
        v.extend(png_chunk(b"iTXt", &itxt));
        v.extend(png_chunk(b"seCr", SECRET));
        v.extend_from_slice(&encoded[33..]);
        v.extend_from_slice(b"trailing GPS bytes");
        v
    }

    /// A WebP with an EXIF chunk (orientation 6) and an XMP chunk.
    fn phone_webp() -> Vec<u8> {
        let mut v = Vec::new();
        let mut encoder = WebPEncoder::new_lossless(&mut v);
        encoder.set_exif_metadata(exif_rotate_90()).unwrap();
        encoder
            .write_image(landscape().as_raw(), 24, 16, image::ExtendedColorType::Rgb8)
            .unwrap();
        assert_eq!(&v[12..16], b"VP8X");
        // Announce XMP in the VP8X flags, append the chunk and correct the RIFF size.
        v[20] |= 0x04;
        v.extend_from_slice(b"XMP ");
        v.extend_from_slice(&u32::try_from(XMP.len()).unwrap().to_le_bytes());
        v.extend_from_slice(XMP);
        if XMP.len() % 2 == 1 {
            v.push(0);
        }
        let riff_size = u32::try_from(v.len() - 8).unwrap();
        v[4..8].copy_from_slice(&riff_size.to_le_bytes());
        v
    }

    /// A one-page PDF with an information dictionary, XMP metadata on the catalog and the page,
    /// and bytes after `%%EOF`.
    fn pdf_with_metadata() -> Vec<u8> {
        let mut v = Vec::new();
        pdf_document().save_to(&mut v).unwrap();
        v.extend_from_slice(b"trailing GPS bytes");
        v
    }

    fn pdf_document() -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let content = Stream::new(
            Dictionary::new(),
            b"BT /F1 12 Tf 20 100 Td (Kvartira 5: protechka) Tj ET".to_vec(),
        );
        let content_id = doc.add_object(content);
        let xmp = |doc: &mut Document| {
            doc.add_object(Stream::new(
                dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
                XMP.to_vec(),
            ))
        };
        let page_xmp = xmp(&mut doc);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 200.into(), 200.into()],
            "Contents" => content_id,
            "Metadata" => page_xmp,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
            }),
        );
        let catalog_xmp = xmp(&mut doc);
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
            "Metadata" => catalog_xmp,
        });
        let info_id = doc.add_object(dictionary! {
            "Author" => Object::string_literal("Ivanova"),
            "Creator" => Object::string_literal("Scanner GPS 61.25N"),
        });
        doc.trailer.set("Root", catalog_id);
        doc.trailer.set("Info", info_id);
        doc
    }

    /// A tiny deterministic generator for the damaged-file loops (xorshift64).
    struct Noise(u64);

    impl Noise {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
        }
    }

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(MediaType::sniff(&phone_jpeg()), Some(MediaType::Jpeg));
        assert_eq!(MediaType::sniff(&phone_png()), Some(MediaType::Png));
        assert_eq!(MediaType::sniff(&phone_webp()), Some(MediaType::Webp));
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(MediaType::sniff(b"RIFF\0\0\0\0WEB"), None);
        assert_eq!(MediaType::sniff(b"<html>"), None);
        assert_eq!(MediaType::sniff(b""), None);
        assert_eq!(MediaType::Webp.mime(), "image/webp");
        assert_eq!(MediaType::Webp.extension(), "webp");
    }

    #[test]
    fn jpeg_is_turned_upright_and_loses_every_segment_but_the_image() {
        let original = phone_jpeg();
        assert!(contains(&original, b"Exif") && contains(&original, SECRET));
        let clean = sanitize(MediaType::Jpeg, &original).unwrap();
        assert_eq!(MediaType::sniff(&clean), Some(MediaType::Jpeg));
        assert_no_metadata(&clean);
        assert!(!contains(&clean, &[0xFF, 0xFE]), "no COM segment");
        assert!(!contains(&clean, &[0xFF, 0xED]), "no APP13 segment");
        assert!(clean.ends_with(&[0xFF, 0xD9]), "nothing after EOI");
        assert_upright(&clean, ImageFormat::Jpeg);
    }

    #[test]
    fn png_is_turned_upright_and_loses_text_private_chunks_and_trailing_bytes() {
        let original = phone_png();
        assert!(contains(&original, b"tEXt") && contains(&original, b"seCr"));
        // The decoder copes with the extra chunks: they are valid.
        image::load_from_memory_with_format(&original, ImageFormat::Png).unwrap();
        let clean = sanitize(MediaType::Png, &original).unwrap();
        assert_eq!(MediaType::sniff(&clean), Some(MediaType::Png));
        assert_no_metadata(&clean);
        assert!(!contains(&clean, b"iTXt"));
        assert!(
            clean.ends_with(&png_chunk(b"IEND", &[])),
            "nothing after IEND"
        );
        assert_upright(&clean, ImageFormat::Png);
    }

    #[test]
    fn webp_is_accepted_turned_upright_and_loses_exif_and_xmp() {
        let original = phone_webp();
        assert!(contains(&original, b"EXIF") && contains(&original, b"XMP "));
        let clean = sanitize(MediaType::Webp, &original).unwrap();
        assert_eq!(MediaType::sniff(&clean), Some(MediaType::Webp));
        assert_no_metadata(&clean);
        assert_upright(&clean, ImageFormat::WebP);
    }

    #[test]
    fn images_without_orientation_keep_their_shape() {
        let mut plain = Vec::new();
        PngEncoder::new(&mut plain)
            .write_image(landscape().as_raw(), 24, 16, image::ExtendedColorType::Rgb8)
            .unwrap();
        let clean = sanitize(MediaType::Png, &plain).unwrap();
        let image = image::load_from_memory(&clean).unwrap().to_rgb8();
        assert_eq!(image, landscape(), "a PNG is re-encoded without loss");
    }

    #[test]
    fn pdf_loses_its_information_dictionary_and_xmp_and_keeps_its_pages() {
        let original = pdf_with_metadata();
        assert!(contains(&original, b"Ivanova") && contains(&original, b"/Info"));
        let clean = sanitize(MediaType::Pdf, &original).unwrap();
        assert_eq!(MediaType::sniff(&clean), Some(MediaType::Pdf));
        assert_no_metadata(&clean);
        assert!(
            contains(&clean, b"Kvartira 5: protechka"),
            "the page is kept"
        );

        let reread = Document::load_mem(&clean).unwrap();
        assert!(!reread.trailer.has(b"Info"));
        assert!(!reread.catalog().unwrap().has(b"Metadata"));
        assert_eq!(reread.get_pages().len(), 1);
        let page_id = *reread.get_pages().values().next().unwrap();
        assert!(!reread.get_dictionary(page_id).unwrap().has(b"Metadata"));
        assert!(
            reread
                .get_page_content(page_id)
                .starts_with(b"BT /F1 12 Tf 20 100 Td (Kvartira 5: protechka) Tj ET")
        );
        assert!(
            !reread
                .objects
                .values()
                .any(|o| o.type_name().ok() == Some(&b"Metadata"[..])),
            "the XMP streams are gone, not just unlinked"
        );
    }

    #[test]
    fn pdf_that_opens_without_a_password_is_kept_decrypted_and_one_that_needs_one_is_refused() {
        let encrypted = |user_password: &str| {
            let mut doc = pdf_document();
            doc.trailer
                .set("ID", vec![Object::string_literal("0123456789abcdef"); 2]);
            let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
                document: &doc,
                owner_password: "owner",
                user_password,
                key_length: 128,
                permissions: lopdf::Permissions::PRINTABLE,
            })
            .unwrap();
            doc.encrypt(&state).unwrap();
            let mut v = Vec::new();
            doc.save_to(&mut v).unwrap();
            assert!(contains(&v, b"/Encrypt") && !contains(&v, b"Kvartira"));
            v
        };
        let clean = sanitize(MediaType::Pdf, &encrypted("")).unwrap();
        assert_no_metadata(&clean);
        assert!(contains(&clean, b"Kvartira 5: protechka"));
        let reread = Document::load_mem(&clean).unwrap();
        assert!(!reread.trailer.has(b"Encrypt") && !reread.trailer.has(b"Info"));
        assert_eq!(reread.get_pages().len(), 1);

        assert_eq!(
            sanitize(MediaType::Pdf, &encrypted("secret")),
            Err(Malformed("the PDF is protected by a password"))
        );
    }

    #[test]
    fn pdf_without_a_cross_reference_table_is_repaired() {
        // What the browser tests upload: objects and a trailer, no xref, no startxref.
        let minimal = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        let clean = sanitize(MediaType::Pdf, minimal).unwrap();
        assert_eq!(Document::load_mem(&clean).unwrap().get_pages().len(), 1);
    }

    #[test]
    fn images_over_the_pixel_limit_are_refused_before_decoding() {
        let too_large = Err(Malformed("the image is larger than 40 megapixels"));
        // A PNG whose header claims 8000×6000 (48 megapixels) with almost no data.
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(&[0, 0, 0], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap();
        let mut ihdr = png[12..29].to_vec();
        ihdr[4..8].copy_from_slice(&8000u32.to_be_bytes());
        ihdr[8..12].copy_from_slice(&6000u32.to_be_bytes());
        png.splice(8..33, png_chunk(b"IHDR", &ihdr[4..]));
        assert_eq!(sanitize(MediaType::Png, &png), too_large);

        // A JPEG whose frame header claims 65000×65000.
        let mut jpeg = Vec::new();
        JpegEncoder::new(&mut jpeg)
            .write_image(&[0, 0, 0], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap();
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 7].copy_from_slice(&65000u16.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&65000u16.to_be_bytes());
        assert_eq!(sanitize(MediaType::Jpeg, &jpeg), too_large);

        // A lossless WebP whose header claims 12000×10000.
        let mut webp = Vec::new();
        WebPEncoder::new_lossless(&mut webp)
            .write_image(&[0, 0, 0], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap();
        assert_eq!(&webp[12..16], b"VP8L");
        let at = 21; // after "RIFF", size, "WEBP", "VP8L", size and the 0x2F signature
        let bits = u32::from_le_bytes(webp[at..at + 4].try_into().unwrap());
        let bits = (bits & 0xF000_0000) | (12000 - 1) | ((10000 - 1) << 14);
        webp[at..at + 4].copy_from_slice(&bits.to_le_bytes());
        assert_eq!(sanitize(MediaType::Webp, &webp), too_large);
    }

    #[test]
    fn damaged_files_are_refused() {
        let jpeg = phone_jpeg();
        let png = phone_png();
        let webp = phone_webp();
        let pdf = pdf_with_metadata();
        for (kind, bytes) in [
            (MediaType::Jpeg, &jpeg),
            (MediaType::Png, &png),
            (MediaType::Webp, &webp),
            (MediaType::Pdf, &pdf),
        ] {
            for cut in [0, 3, 12, 20, 40] {
                assert!(
                    sanitize(kind, &bytes[..cut]).is_err(),
                    "{kind:?} cut at {cut}"
                );
            }
        }
        // Cut inside the image data. (A JPEG cut inside its scan still decodes, grey below the
        // cut, as browsers show it; a PDF cut after its objects is repaired from them.)
        for cut in [png.len() / 2, png.len() - 30] {
            assert!(
                sanitize(MediaType::Png, &png[..cut]).is_err(),
                "PNG cut at {cut}"
            );
        }
        // A cut in the metadata chunks after the image data loses only them.
        let vp8l = webp.windows(4).position(|w| w == b"VP8L").unwrap();
        let vp8l_size = u32::from_le_bytes(webp[vp8l + 4..vp8l + 8].try_into().unwrap());
        let vp8l_size = usize::try_from(vp8l_size).unwrap();
        for cut in [
            vp8l + 10,
            vp8l + 8 + vp8l_size / 2,
            vp8l + 8 + vp8l_size - 1,
        ] {
            assert!(
                sanitize(MediaType::Webp, &webp[..cut]).is_err(),
                "WebP cut at {cut}"
            );
        }
        let mut noise = Noise(0x5EED);
        let garbage = |prefix: &[u8], noise: &mut Noise| {
            let mut v = prefix.to_vec();
            v.extend((0..400).map(|_| noise.next().to_le_bytes()[0]));
            v
        };
        assert!(sanitize(MediaType::Jpeg, &garbage(&[0xFF, 0xD8, 0xFF], &mut noise)).is_err());
        assert!(sanitize(MediaType::Png, &garbage(PNG_SIGNATURE, &mut noise)).is_err());
        assert!(
            sanitize(
                MediaType::Webp,
                &garbage(b"RIFF\x90\x01\0\0WEBP", &mut noise)
            )
            .is_err()
        );
        assert!(sanitize(MediaType::Pdf, &garbage(b"%PDF-1.7\n", &mut noise)).is_err());
        assert!(sanitize(MediaType::Pdf, b"%PDF-1.7\n%%EOF\n").is_err());
    }

    /// Random prefixes and mutations of every type: each is refused or cleaned, none panics.
    /// `rewrite` is called directly so that a panic fails the test instead of being caught.
    #[test]
    fn no_input_makes_it_panic() {
        let mut noise = Noise(0x0DDB_A11C_AFE5_EED5);
        for (kind, original) in [
            (MediaType::Jpeg, phone_jpeg()),
            (MediaType::Png, phone_png()),
            (MediaType::Webp, phone_webp()),
            (MediaType::Pdf, pdf_with_metadata()),
        ] {
            for round in 0..300 {
                let mut bytes = original.clone();
                if round % 3 != 1 {
                    for _ in 0..=noise.below(8) {
                        let at = noise.below(bytes.len());
                        bytes[at] = noise.next().to_le_bytes()[0];
                    }
                }
                if round % 3 != 0 {
                    bytes.truncate(noise.below(bytes.len()));
                }
                if let Ok(clean) = rewrite(kind, &bytes) {
                    assert_eq!(
                        MediaType::sniff(&clean),
                        Some(kind),
                        "{kind:?} round {round}"
                    );
                }
            }
        }
    }
}
