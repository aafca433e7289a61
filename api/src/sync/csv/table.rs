//! A CSV file's text as a table: its header checked against the file's columns, and its rows
//! with the line each starts on (a quoted value may span lines), values trimmed.
//!
//! Blank lines and rows whose cells are all blank (what Excel leaves below the data) are
//! skipped. A row may have fewer cells than the header (the missing ones are blank: some
//! exporters drop trailing empty cells) but not more.

use std::collections::HashMap;

use super::files::CsvFile;
use crate::error::FieldError;
use crate::text::{self, TextKind};

/// Where a value comes from: `users.csv:14:birthDate`, `users.csv:14` (the row), or
/// `users.csv` (the file).
pub fn field(file: CsvFile, line: Option<u64>, column: Option<&str>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
        (Some(line), None) => format!("{file}:{line}"),
        (None, Some(column)) => format!("{file}:{column}"),
        (None, None) => file.name().to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line (1-based) the row starts on; the header is line 1 in a file without blank lines
    /// above it.
    pub line: u64,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub file: CsvFile,
    columns: HashMap<String, usize>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The trimmed value of `column` in `row`; `None` when blank or not in the header.
    pub fn get<'a>(&self, row: &'a Row, column: &str) -> Option<&'a str> {
        let index = *self.columns.get(column)?;
        row.cells.get(index).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}

/// The header row only (to recognise a lone CSV), or `None` when there is none.
pub fn header_of(text: &str) -> Option<Vec<String>> {
    let mut reader = reader(text);
    reader.records().next()?.ok().map(|r| r.iter().map(|c| c.trim().to_string()).collect())
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes())
}

/// Cleans the cells of the columns the import reads like body text ([`crate::text`]): NFC, no
/// control characters, no invisible characters in names (`name`, `title`, `givenName`,
/// `familyName`, `subject(s)`); columns accepted and not read are left alone.
fn clean_cells(
    file: CsvFile,
    columns: &HashMap<String, usize>,
    line: u64,
    cells: &mut [String],
    errors: &mut Vec<FieldError>,
) {
    let mut ordered: Vec<(&String, &usize)> = columns.iter().collect();
    ordered.sort_by_key(|(_, index)| **index);
    for (name, &index) in ordered {
        let Some(cell) = cells.get_mut(index) else { continue };
        if cell.is_empty() || !(file.required().contains(&name.as_str()) || file.optional().contains(&name.as_str())) {
            continue;
        }
        let is_name = matches!(name.as_str(), "name" | "title" | "givenName" | "familyName" | "subject" | "subjects");
        let kind = if is_name { TextKind::Name } else { TextKind::Free };
        match text::clean(cell, kind) {
            Ok(std::borrow::Cow::Borrowed(_)) => {}
            Ok(std::borrow::Cow::Owned(cleaned)) => *cell = cleaned,
            Err(refused) => errors.push(FieldError::new(field(file, Some(line), Some(name)), refused.0)),
        }
    }
}

/// Parses `text` as `file`, collecting every problem of the header and rows.
pub fn parse(file: CsvFile, text: &str) -> Result<Table, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut records = reader(text).into_records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => return Err(vec![FieldError::new(file.name(), format!("cannot be read as CSV: {e}"))]),
        None => return Err(vec![FieldError::new(file.name(), "is empty; the first line must name the columns")]),
    };
    let header_line = header.position().map_or(1, |p| p.line());
    let mut columns = HashMap::new();
    for (index, name) in header.iter().map(str::trim).enumerate() {
        if name.is_empty() {
            continue; // a column without a name: Excel's trailing separators
        }
        let at = field(file, Some(header_line), Some(name));
        if !file.accepts(name) {
            errors.push(FieldError::new(at, "is not a column of this file"));
        } else if columns.insert(name.to_string(), index).is_some() {
            errors.push(FieldError::new(at, "appears twice in the header"));
        }
    }
    for required in file.required() {
        if !columns.contains_key(*required) {
            errors.push(FieldError::new(field(file, Some(header_line), Some(required)), "required column is missing"));
        }
    }
    let width = header.len();
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                errors.push(FieldError::new(field(file, line, None), format!("cannot be read as CSV: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        clean_cells(file, &columns, line, &mut cells, &mut errors);
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() > width {
            let extra = cells[width..].iter().any(|c| !c.is_empty());
            if extra {
                errors.push(FieldError::new(
                    field(file, Some(line), None),
                    format!("has {} values; the header names {width} columns", cells.len()),
                ));
                continue;
            }
        }
        rows.push(Row { line, cells });
    }
    if errors.is_empty() {
        Ok(Table { file, columns, rows })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn rows_know_their_lines_even_across_quoted_newlines_and_blank_lines() {
        let text = "sourced_id,kind,name,description\n\
                    g1,research,语文组,\"two\nlines\"\n\
                    \n\
                    , , ,\n\
                    g2, research ,数学组\n";
        let table = parse(CsvFile::Groups, text).unwrap();
        let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 6]);
        let g2 = &table.rows[1];
        assert_eq!(table.get(g2, "kind"), Some("research"));
        assert_eq!(table.get(g2, "description"), None, "a missing trailing cell is blank");
        assert_eq!(table.get(&table.rows[0], "description"), Some("two\nlines"));
    }

    #[test]
    fn missing_unknown_and_repeated_columns_are_named() {
        let errors = parse(CsvFile::Users, "sourcedId,role,givenName,birthdate,role\n").unwrap_err();
        assert_eq!(
            fields(errors),
            vec!["users.csv:1:birthdate", "users.csv:1:role", "users.csv:1:familyName", "users.csv:1:orgSourcedIds"]
        );
        assert_eq!(fields(parse(CsvFile::Users, "").unwrap_err()), vec!["users.csv"]);
    }

    #[test]
    fn a_row_with_too_many_values_is_named_by_its_line() {
        let text = "sourced_id,kind,name\ng1,research,语文组\ng2,research,数学组,extra\ng3,research,英语组,\n";
        assert_eq!(fields(parse(CsvFile::Groups, text).unwrap_err()), vec!["groups.csv:3"]);
    }

    #[test]
    fn cells_are_nfc_and_invisible_characters_in_names_are_refused() {
        let text = "sourced_id,kind,name,description\n\
                    g1,research,语文组\u{200b},\"a\u{7}\"\n\
                    g2,research,Jose\u{301},\"one\r\ntwo\"\n";
        let errors = parse(CsvFile::Groups, text).unwrap_err();
        assert_eq!(fields(errors), vec!["groups.csv:2:name", "groups.csv:2:description"]);
        let table = parse(CsvFile::Groups, &text.replace("\u{200b}", "").replace('\u{7}', "")).unwrap();
        assert_eq!(table.get(&table.rows[1], "name"), Some("José"));
        assert_eq!(table.get(&table.rows[1], "description"), Some("one\ntwo"));
    }

    #[test]
    fn the_header_is_read_alone() {
        assert_eq!(header_of(" a ,b\n1,2\n"), Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(header_of(""), None);
    }
}
