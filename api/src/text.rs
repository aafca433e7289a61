//! Text hygiene for everything clients send (JSON bodies, the sync, the CSV import): Unicode
//! NFC normalisation, no control characters, and no invisible characters in names.
//!
//! Pure: the extractor ([`crate::extract`]) and the CSV import apply it and name the field.
//! The decisions are in `docs/INPUT-AND-OUTPUT.md`.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// What a text is, which decides the characters it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A name (of a school, zone, group, teacher, rule, an account's username or display name
    /// ...): one line, no control, format (invisible) or separator characters other than spaces.
    Name,
    /// Free text (descriptions, notes, record bodies ...): line feeds and tabs are kept, other
    /// control characters are refused; `\r\n` and a lone `\r` become `\n`.
    Free,
}

/// Keys whose values are names: `name`, `username`, `display_name`, and any key ending in
/// `_name` (`teacher_name`, `class_name` ...). The CSV import's name columns are listed there.
pub fn is_name_key(key: &str) -> bool {
    key == "name" || key == "username" || key.ends_with("_name")
}

/// Keys whose values are secrets (passwords, client secrets, tokens): passed through exactly as
/// sent, never normalised, so that what a client typed is what is hashed or compared.
pub fn is_secret_key(key: &str) -> bool {
    key.contains("password") || key.contains("secret") || key.contains("token")
}

/// Why a text was refused; the message of the 422.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// `value` in NFC, or why it is refused as a `kind`.
pub fn clean(value: &str, kind: TextKind) -> Result<Cow<'_, str>, Refused> {
    let mut text: Cow<'_, str> = Cow::Borrowed(value);
    if kind == TextKind::Free && text.contains('\r') {
        text = Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    for c in text.chars() {
        if let Some(reason) = refusal(c, kind) {
            return Err(Refused(format!("must not contain {reason} (U+{:04X})", c as u32)));
        }
    }
    if is_nfc_quick(text.chars()) != IsNormalized::Yes {
        let normalised: String = text.nfc().collect();
        if normalised != text {
            text = Cow::Owned(normalised);
        }
    }
    Ok(text)
}

/// Why `c` may not appear in a `kind` text, if it may not.
fn refusal(c: char, kind: TextKind) -> Option<&'static str> {
    match c {
        '\n' | '\t' if kind == TextKind::Free => None,
        ' ' => None,
        _ if c.is_control() => Some("control characters"),
        _ if is_bidi_control(c) => Some("bidirectional control characters"),
        _ if kind == TextKind::Name => match c.general_category() {
            GeneralCategory::Format => Some("invisible formatting characters"),
            GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => Some("line breaks"),
            GeneralCategory::PrivateUse | GeneralCategory::Unassigned | GeneralCategory::Surrogate => {
                Some("unassigned or private-use characters")
            }
            _ if is_invisible_filler(c) => Some("invisible characters"),
            _ => None,
        },
        _ => None,
    }
}

/// Explicit bidirectional embeddings, overrides and isolates: they reorder what a reader sees
/// (the "Trojan Source" trick), in names and free text alike.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that are letters or symbols by category but show as nothing (Hangul fillers, the
/// Braille blank, the combining grapheme joiner ...).
fn is_invisible_filler(c: char) -> bool {
    matches!(c, '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{2800}' | '\u{3164}' | '\u{FFA0}' | '\u{180B}'..='\u{180F}')
        || matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Result<String, String> {
        clean(s, TextKind::Name).map(Cow::into_owned).map_err(|r| r.0)
    }

    fn free(s: &str) -> Result<String, String> {
        clean(s, TextKind::Free).map(Cow::into_owned).map_err(|r| r.0)
    }

    #[test]
    fn texts_are_nfc() {
        // e + combining acute becomes é; CJK compatibility ideographs become their unified forms.
        assert_eq!(name("Jose\u{301}").unwrap(), "José");
        assert_eq!(free("\u{F900}").unwrap(), "\u{8C48}");
        assert!(matches!(clean("大河岸中心小学", TextKind::Name), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn zero_width_and_other_invisible_characters_are_refused_in_names() {
        for c in ['\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{2060}', '\u{2064}', '\u{FEFF}', '\u{00AD}'] {
            let err = name(&format!("大河岸中心小学{c}")).unwrap_err();
            assert!(err.contains("invisible"), "{c:?}: {err}");
            assert!(free(&format!("好{c}")).is_ok(), "{c:?} is fine in free text");
        }
        for c in ['\u{3164}', '\u{115F}', '\u{2800}', '\u{FE0F}'] {
            assert!(name(&format!("王{c}芳")).is_err(), "{c:?}");
        }
        assert!(name("王\u{2028}芳").is_err());
        assert!(name("王\u{E000}").is_err(), "private use");
        assert_eq!(name("王 芳\u{3000}").unwrap(), "王 芳\u{3000}", "spaces stay");
    }

    #[test]
    fn control_characters_are_refused_but_free_text_keeps_lines_and_tabs() {
        for s in ["a\u{7}b", "a\u{1b}[31m", "a\u{0}", "a\u{7f}", "a\u{85}"] {
            assert!(name(s).unwrap_err().contains("control"), "{s:?}");
            assert!(free(s).unwrap_err().contains("control"), "{s:?}");
        }
        assert!(name("a\nb").is_err() && name("a\tb").is_err());
        assert_eq!(free("一\r\n二\r三\t四\n").unwrap(), "一\n二\n三\t四\n");
    }

    #[test]
    fn bidi_controls_are_refused_everywhere() {
        assert!(free("abc\u{202E}fdp.exe").unwrap_err().contains("bidirectional"));
        assert!(name("\u{2067}x").is_err());
    }

    #[test]
    fn names_and_secrets_are_recognised_by_key() {
        for key in ["name", "username", "display_name", "teacher_name", "class_name"] {
            assert!(is_name_key(key), "{key}");
        }
        for key in ["description", "subjects", "names", "sourced_id"] {
            assert!(!is_name_key(key), "{key}");
        }
        for key in ["password", "new_password", "client_secret", "refresh_token", "token"] {
            assert!(is_secret_key(key), "{key}");
        }
    }
}
