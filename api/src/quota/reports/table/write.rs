//! A report as files: one table as CSV (UTF-8 with a BOM), every table as an XLSX worksheet, and
//! the `Content-Disposition` naming the download.

use std::collections::BTreeSet;

use rust_xlsxwriter::{Format, Workbook};

use super::{Cell, Lang, Report, Table};

/// One table as CSV bytes: a BOM, the header row in `lang`, the rows; text cells neutralised and
/// quoted ([`crate::spreadsheet`]).
pub fn write_csv(table: &Table, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut buffer = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = crate::spreadsheet::csv_writer(&mut buffer);
        writer.write_record(
            table.columns.iter().map(|c| crate::spreadsheet::neutralise(c.header.get(lang)).into_owned()),
        )?;
        for row in &table.rows {
            writer.write_record(row.iter().map(Cell::csv))?;
        }
        writer.flush()?;
    }
    Ok(buffer)
}

/// Excel's sheet names: at most 31 characters, none of `[]:*?/\`, unique (case-insensitively).
pub(super) fn sheet_name(title: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String = title.chars().map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c }).collect();
    let clean = clean.trim().trim_matches('\'');
    let base: String = if clean.is_empty() { "Sheet".to_string() } else { clean.chars().take(31).collect() };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// Every table as a worksheet: bold headers, numbers as numbers.
pub fn write_xlsx(report: &Report, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let mut taken = BTreeSet::new();
    for table in &report.tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(table.title.get(lang), &mut taken))?;
        for (col, column) in table.columns.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, col, column.header.get(lang), &bold)?;
            // Wide enough for the header; Chinese characters take two columns' width.
            let width = column.header.get(lang).chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>();
            sheet.set_column_width(col, width.max(8.0) + 2.0)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (col, cell) in row.iter().enumerate() {
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, col, s)?;
                    }
                    Cell::Integer(n) => {
                        sheet.write_number(r, col, *n as f64)?;
                    }
                    Cell::Number(x) => {
                        sheet.write_number(r, col, *x)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    if report.tables.is_empty() {
        workbook.add_worksheet();
    }
    workbook.save_to_buffer()
}

/// RFC 5987 `value-chars`: attr-chars as they are, every other byte of the UTF-8 as `%XX`.
fn rfc5987(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `attachment; filename="<ascii stem>.<ext>"; filename*=UTF-8''<title>.<ext>`.
pub fn content_disposition(report: &Report, lang: Lang, extension: &str) -> String {
    let stem: String = report
        .file_stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect();
    let title = report.title.get(lang).replace(['/', '\\'], "-");
    format!("attachment; filename=\"{stem}.{extension}\"; filename*=UTF-8''{}.{extension}", rfc5987(&title))
}
