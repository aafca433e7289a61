//! Turning a file's bytes into text. District offices export from Excel and older staff systems
//! on Chinese Windows, which write GBK (Excel's "CSV" on a Chinese system) as often as UTF-8
//! ("CSV UTF-8", with a byte-order mark). So: UTF-8, with its BOM stripped, when the bytes are
//! valid UTF-8; otherwise GB18030, the superset of GBK and GB2312, decoded strictly. Bytes that
//! are neither are refused rather than imported as mojibake.
//!
//! A charset the client declares (`text/csv; charset=gbk`) is used instead of guessing. NUL bytes
//! are refused in every case: no school data has them, PostgreSQL cannot store them, and a file
//! full of them is UTF-16 (Excel's "Unicode text"), which must be saved again as UTF-8 or GBK.

use encoding_rs::{Encoding, GB18030, UTF_8};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of a file; `Err` is the message (the caller names the file).
pub fn decode(bytes: &[u8], declared_charset: Option<&str>) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("contains NUL bytes (UTF-16 text?): save it as CSV in UTF-8 or GBK".into());
    }
    if let Some(label) = declared_charset {
        let encoding = Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| format!("unknown charset {label}; send UTF-8 or GBK"))?;
        return strict(bytes, encoding).ok_or_else(|| format!("is not valid {}", encoding.name()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string());
    }
    strict(bytes, GB18030).ok_or_else(|| "is neither UTF-8 nor GBK/GB18030 text".to_string())
}

/// Decodes without replacement characters: `None` at the first malformed sequence.
fn strict(bytes: &[u8], encoding: &'static Encoding) -> Option<String> {
    let bytes = if encoding == UTF_8 { bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes) } else { bytes };
    encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|text| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn utf8_is_read_and_its_bom_stripped() {
        assert_eq!(decode("姓名,王芳".as_bytes(), None).unwrap(), "姓名,王芳");
        let mut with_bom = UTF8_BOM.to_vec();
        with_bom.extend_from_slice("sourcedId,王芳".as_bytes());
        assert_eq!(decode(&with_bom, None).unwrap(), "sourcedId,王芳");
    }

    #[test]
    fn gbk_is_detected_and_converted() {
        let bytes = gbk("sourcedId,familyName,givenName\nT-1,欧阳,修\n");
        assert!(std::str::from_utf8(&bytes).is_err(), "the test needs bytes that are not UTF-8");
        assert_eq!(decode(&bytes, None).unwrap(), "sourcedId,familyName,givenName\nT-1,欧阳,修\n");
    }

    #[test]
    fn a_declared_charset_is_used() {
        assert_eq!(decode(&gbk("王芳"), Some("GBK")).unwrap(), "王芳");
        assert_eq!(decode(&gbk("王芳"), Some("gb2312")).unwrap(), "王芳");
        assert_eq!(decode("王芳".as_bytes(), Some("utf-8")).unwrap(), "王芳");
        assert!(decode(&gbk("王芳"), Some("utf-8")).unwrap_err().contains("UTF-8"));
        assert!(decode(b"x", Some("klingon")).unwrap_err().contains("unknown charset"));
    }

    #[test]
    fn bytes_that_are_neither_are_refused() {
        // 0xFF never appears in GB18030; 0x80 alone neither.
        assert!(decode(b"name\n\xFF\xFE\x80", None).unwrap_err().contains("neither UTF-8 nor GBK"));
        // A GBK lead byte at the very end, cut off.
        assert!(decode(b"name\n\xCD", None).is_err());
        // UTF-16 (Excel's "Unicode text"): NULs between the letters.
        let utf16: Vec<u8> = "\u{feff}name".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(decode(&utf16, None).unwrap_err().contains("NUL"));
    }
}
