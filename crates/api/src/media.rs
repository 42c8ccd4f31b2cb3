//! Uploaded files: the type is decided by the bytes, never by the name or the declared type, and
//! images lose their metadata (EXIF with GPS position, camera serials, XMP, IPTC) before storage.

/// The file types accepted as attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Jpeg,
    Png,
    Pdf,
}

impl MediaType {
    pub const fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }

    /// Recognises the type by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(PNG_SIGNATURE) {
            Some(Self::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the file is damaged: {0}")]
pub struct Malformed(&'static str);

/// The file with its metadata removed. PDFs are kept as they are.
pub fn strip_metadata(kind: MediaType, bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    match kind {
        MediaType::Jpeg => strip_jpeg(bytes),
        MediaType::Png => strip_png(bytes),
        MediaType::Pdf => Ok(bytes.to_vec()),
    }
}

/// Drops APP1 (EXIF, XMP) and APP13 (IPTC) segments; everything from the scan on is copied.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(bytes.get(..2).ok_or(Malformed("not a JPEG"))?);
    let mut at = 2;
    loop {
        let marker = bytes
            .get(at..at + 2)
            .ok_or(Malformed("JPEG ends before its image data"))?;
        if marker[0] != 0xFF {
            return Err(Malformed("JPEG segment without a marker"));
        }
        match marker[1] {
            // Padding between segments.
            0xFF => {
                at += 1;
                continue;
            }
            // Start of scan: the compressed image follows; copy the rest verbatim.
            0xDA => {
                out.extend_from_slice(&bytes[at..]);
                return Ok(out);
            }
            0xD9 => return Err(Malformed("JPEG ends before its image data")),
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(marker);
                at += 2;
                continue;
            }
            _ => {}
        }
        let length_bytes = bytes
            .get(at + 2..at + 4)
            .ok_or(Malformed("JPEG segment length is cut off"))?;
        let length = usize::from(u16::from_be_bytes([length_bytes[0], length_bytes[1]]));
        if length < 2 {
            return Err(Malformed("JPEG segment length is invalid"));
        }
        let end = at + 2 + length;
        let segment = bytes
            .get(at..end)
            .ok_or(Malformed("JPEG segment runs past the end"))?;
        if !matches!(marker[1], 0xE1 | 0xED) {
            out.extend_from_slice(segment);
        }
        at = end;
    }
}

/// Drops eXIf and the text and time chunks; checks every chunk's bounds.
fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut at = PNG_SIGNATURE.len();
    let mut seen_end = false;
    while at < bytes.len() {
        let header = bytes
            .get(at..at + 8)
            .ok_or(Malformed("PNG chunk header is cut off"))?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let length = usize::try_from(length).map_err(|_| Malformed("PNG chunk is too long"))?;
        let chunk_type = &header[4..8];
        let end = at
            .checked_add(12)
            .and_then(|n| n.checked_add(length))
            .ok_or(Malformed("PNG chunk is too long"))?;
        let chunk = bytes
            .get(at..end)
            .ok_or(Malformed("PNG chunk runs past the end"))?;
        if !matches!(chunk_type, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        at = end;
        if chunk_type == b"IEND" {
            seen_end = true;
            break;
        }
    }
    if !seen_end {
        return Err(Malformed("PNG has no IEND chunk"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, an EXIF APP1 with a fake GPS tag, APP0, a quantisation table, SOS and
    /// some scan bytes, EOI.
    pub fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        let exif = b"Exif\0\0GPS 61.25N 73.39E";
        v.extend_from_slice(&[0xFF, 0xE1]);
        v.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
        v.extend_from_slice(exif);
        v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0x00]);
        v.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]);
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
        v
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0, 0, 0, 0]);
        v
    }

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(MediaType::sniff(&jpeg_with_exif()), Some(MediaType::Jpeg));
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(b"<html>"), None);
        assert_eq!(MediaType::sniff(b""), None);
    }

    #[test]
    fn jpeg_loses_exif_and_keeps_the_image() {
        let original = jpeg_with_exif();
        let clean = strip_metadata(MediaType::Jpeg, &original).unwrap();
        assert!(!clean.windows(4).any(|w| w == b"Exif"));
        assert!(!clean.windows(3).any(|w| w == b"GPS"));
        assert!(clean.windows(4).any(|w| w == b"JFIF"));
        assert!(clean.ends_with(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0x56, 0xFF, 0xD9]));
    }

    #[test]
    fn png_loses_text_and_exif_chunks() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend(png_chunk(b"IHDR", &[0; 13]));
        png.extend(png_chunk(b"eXIf", b"GPS here"));
        png.extend(png_chunk(b"tEXt", b"Author\0Ivanova"));
        png.extend(png_chunk(b"IDAT", &[1, 2, 3]));
        png.extend(png_chunk(b"IEND", &[]));
        let clean = strip_metadata(MediaType::Png, &png).unwrap();
        assert!(!clean.windows(6).any(|w| w == b"Ivanov"));
        assert!(!clean.windows(4).any(|w| w == b"eXIf"));
        assert!(clean.windows(4).any(|w| w == b"IDAT"));
    }

    #[test]
    fn damaged_files_are_refused_not_panicked_on() {
        for bad in [
            vec![0xFF, 0xD8, 0xFF],
            vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x00],
            vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01],
            vec![0xFF, 0xD8, 0x00, 0x00],
        ] {
            assert!(strip_metadata(MediaType::Jpeg, &bad).is_err(), "{bad:?}");
        }
        let mut truncated = PNG_SIGNATURE.to_vec();
        truncated.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, b'I', b'D', b'A', b'T']);
        assert!(strip_metadata(MediaType::Png, &truncated).is_err());
        assert!(strip_metadata(MediaType::Png, PNG_SIGNATURE).is_err());
    }
}
