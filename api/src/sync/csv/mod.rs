//! The CSV import (`POST /sync/csv`): a zip of OneRoster-style CSV files, or one CSV file, read
//! into one [`RosterBatch`](crate::sync::records::RosterBatch) and applied by
//! [`apply_roster`](crate::sync::apply_roster) in one transaction.
//!
//! - [`archive`]: unpacking the zip within limits (zip bombs);
//! - [`encoding`]: UTF-8 or GBK/GB18030 bytes to text;
//! - [`files`]: the five files and their columns, recognising a lone CSV by its header;
//! - [`table`]: a file's text as rows with line numbers;
//! - [`cells`]: one row's values as typed fields;
//! - [`mapping`]: the tables as sync records, and sync errors back as `file:line:column`;
//! - [`handler`]: the endpoint.
//!
//! Everything but the handler is pure, so that it is tested without HTTP or a database.

pub mod archive;
pub mod cells;
pub mod encoding;
pub mod files;
mod handler;
pub mod mapping;
pub mod table;

use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::{DomainError, DomainResult, FieldError};
use archive::ZipLimits;
use files::{file_names, CsvFile};
use table::Table;

pub use handler::{CsvImportOutcome, CsvImportParams};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handler::import_csv);
}

/// What the body is (the handler tells it from the `Content-Type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upload {
    Zip,
    /// One CSV file, with the charset the client declared, if any.
    Csv {
        charset: Option<String>,
    },
}

/// Reads the body into checked tables: unpacks, decodes, recognises and parses every file,
/// reporting every problem of every file at once (422).
pub fn read_tables(upload: &Upload, body: &[u8], file: Option<&str>, limits: ZipLimits) -> DomainResult<Vec<Table>> {
    let named = match file {
        Some(name) => {
            let trimmed = name.trim();
            let with_extension = if trimmed.to_ascii_lowercase().ends_with(".csv") {
                trimmed.to_string()
            } else {
                format!("{trimmed}.csv")
            };
            let found = CsvFile::from_name(&with_extension)
                .ok_or_else(|| DomainError::invalid("file", format!("must be one of {}", file_names())))?;
            if *upload == Upload::Zip {
                return Err(DomainError::invalid(
                    "file",
                    "names the file of a single CSV (text/csv); a zip names its files",
                ));
            }
            Some(found)
        }
        None => None,
    };
    let files: Vec<(Option<CsvFile>, Vec<u8>)> = match upload {
        Upload::Zip => archive::unpack(body, limits)
            .map_err(DomainError::Invalid)?
            .into_iter()
            .map(|(f, bytes)| (Some(f), bytes))
            .collect(),
        Upload::Csv { .. } => vec![(named, body.to_vec())],
    };
    let charset = match upload {
        Upload::Csv { charset } => charset.as_deref(),
        Upload::Zip => None,
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let mut tables = Vec::new();
    for (file, bytes) in files {
        let text = match encoding::decode(&bytes, charset) {
            Ok(text) => text,
            Err(message) => {
                let field = file.map_or_else(|| "body".to_string(), |f| f.name().to_string());
                errors.push(FieldError::new(field, message));
                continue;
            }
        };
        let file = match file {
            Some(file) => file,
            None => match table::header_of(&text).and_then(|h| CsvFile::detect(&h)) {
                Some(file) => file,
                None => {
                    errors.push(FieldError::new(
                        "file",
                        format!("the header does not tell which file this is; name it with ?file= ({})", file_names()),
                    ));
                    continue;
                }
            },
        };
        match table::parse(file, &text) {
            Ok(table) => tables.push(table),
            Err(mut table_errors) => errors.append(&mut table_errors),
        }
    }
    if errors.is_empty() {
        Ok(tables)
    } else {
        Err(DomainError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::csv::archive::tests::zip_of;

    fn fields(err: DomainError) -> Vec<String> {
        match err {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not a 422: {other:?}"),
        }
    }

    #[test]
    fn a_lone_csv_is_named_or_recognised() {
        let csv = Upload::Csv { charset: None };
        let users = "sourcedId,role,givenName,familyName,orgSourcedIds\nT1,teacher,芳,王,S1\n";
        let tables = read_tables(&csv, users.as_bytes(), None, ZipLimits::DEFAULT).unwrap();
        assert_eq!(tables[0].file, CsvFile::Users);
        let tables = read_tables(&csv, users.as_bytes(), Some("users"), ZipLimits::DEFAULT).unwrap();
        assert_eq!(tables[0].file, CsvFile::Users);
        assert_eq!(fields(read_tables(&csv, b"a,b\n1,2\n", None, ZipLimits::DEFAULT).unwrap_err()), vec!["file"]);
        assert_eq!(
            fields(read_tables(&csv, users.as_bytes(), Some("x.csv"), ZipLimits::DEFAULT).unwrap_err()),
            vec!["file"]
        );
        // Named as another file, its columns are checked as that file's.
        let err = read_tables(&csv, users.as_bytes(), Some("orgs.csv"), ZipLimits::DEFAULT).unwrap_err();
        assert!(fields(err).contains(&"orgs.csv:1:role".to_string()));
    }

    #[test]
    fn every_file_of_a_zip_reports_its_problems() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("sourcedId,role,givenName,familyName,orgSourcedIds\nT1,teacher,芳,王,S1\n");
        let zip = zip_of(&[
            ("users.csv", &gbk),
            ("orgs.csv", b"sourcedId,name\n"),
            ("groups.csv", b"sourced_id,kind,name\n\xFF\xFF\n"),
        ]);
        let err = read_tables(&Upload::Zip, &zip, None, ZipLimits::DEFAULT).unwrap_err();
        assert_eq!(fields(err), vec!["orgs.csv:1:type", "groups.csv"]);
        let zip = zip_of(&[("users.csv", &gbk)]);
        let tables = read_tables(&Upload::Zip, &zip, None, ZipLimits::DEFAULT).unwrap();
        let row = &tables[0].rows[0];
        assert_eq!(tables[0].get(row, "familyName"), Some("王"));
        assert_eq!(
            fields(read_tables(&Upload::Zip, &zip, Some("users.csv"), ZipLimits::DEFAULT).unwrap_err()),
            vec!["file"]
        );
    }
}
