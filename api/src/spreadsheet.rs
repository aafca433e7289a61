//! Cells of the CSV files the service writes, made safe for spreadsheets.
//!
//! A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and
//! some also after a leading tab or carriage return): a teacher named
//! `=HYPERLINK("http://evil","x")` would become a link in an administrator's report. As OWASP
//! recommends ("CSV Injection"), such a text cell is written with a single quote in front, which
//! spreadsheets show as text, and every text cell is quoted ([`csv_writer`]). Numbers the service
//! itself computed are written as numbers, unquoted and unchanged (`-3` stays a number): they are
//! never client text. The XLSX reports store text cells as strings and need neither.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a CSV cell that no spreadsheet runs: prefixed with `'` when it starts like a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// A CSV writer that quotes every cell that is not a number (OWASP: quote the cells), so that a
/// neutralised cell is one field whatever it holds.
pub fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().quote_style(csv::QuoteStyle::NonNumeric).from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_other_text_is_unchanged() {
        for cell in ["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3"] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["王芳", "", "a=b", " =1", "'=1", "3"] {
            assert!(matches!(neutralise(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }

    #[test]
    fn the_writer_quotes_text_and_leaves_numbers_bare() {
        let mut buffer = Vec::new();
        {
            let mut writer = csv_writer(&mut buffer);
            writer.write_record([neutralise("=1+2").as_ref(), "王芳", "-3", "0.5"]).unwrap();
            writer.flush().unwrap();
        }
        assert_eq!(String::from_utf8(buffer).unwrap(), "\"'=1+2\",\"王芳\",-3,0.5\n");
    }
}
