//! A report is a title plus named tables of typed cells; this module writes one as the HTTP
//! answer in the format and language asked for, so that every report endpoint only builds a
//! [`Report`] and calls [`respond`].
//!
//! - `format=json` (default): `{title, <metadata>, tables: [{name, title, columns: [{key, label}],
//!   rows: [{<key>: value}]}]}`. Integers and numbers are JSON numbers, empty cells `null`.
//! - `format=csv`: one table (`table=<name>`, default the first), UTF-8 **with a byte-order mark**:
//!   Excel (the spreadsheet schools open these in) reads a CSV without a BOM in the machine's
//!   legacy code page (GBK on Chinese Windows), turning every Chinese header and name into
//!   mojibake; the BOM makes it read UTF-8. Other CSV readers skip or tolerate it.
//! - `format=xlsx`: every table as its own worksheet (named by the table's title), a bold header
//!   row, numbers stored as numbers so that sums and charts work.
//! - `lang=en|zh` chooses the column headers, the table titles and the report title (and so the
//!   sheet names and the download's name); keys, codes and values are the same in both.
//!
//! CSV and XLSX answers are downloads: `Content-Disposition: attachment` with an ASCII `filename`
//! for old clients and the title in the asked language as RFC 5987 `filename*`.
//!
//! The model is here; [`views`] is its JSON, [`write`] its CSV and XLSX, [`handlers`] the answer.

mod handlers;
mod views;
mod write;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

pub use handlers::respond;
pub use views::{to_view, BinaryFile, ColumnView, ReportView, TableView};
pub use write::{content_disposition, write_csv, write_xlsx};

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The format of a report (`format=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// The report as JSON, every table in it.
    #[default]
    Json,
    /// One table (`table=`) as CSV, UTF-8 with a byte-order mark.
    Csv,
    /// Every table as a worksheet of an Excel workbook.
    Xlsx,
}

/// The language of headers and titles (`lang=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 中文.
    Zh,
}

/// How to answer: the `format`, `lang` and `table` query parameters, which every report's query
/// struct repeats (serde cannot flatten into query structs that deny unknown fields, and a
/// flattened struct would read numbers as strings) and turns into this with [`Output::new`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub format: ReportFormat,
    pub lang: Lang,
    /// The table a CSV holds (default: the report's first).
    pub table: Option<String>,
}

impl Output {
    pub fn new(format: Option<ReportFormat>, lang: Option<Lang>, table: Option<String>) -> Output {
        Output { format: format.unwrap_or_default(), lang: lang.unwrap_or_default(), table }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Bilingual {
    pub en: String,
    pub zh: String,
}

impl Bilingual {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Bilingual {
        Bilingual { en: en.into(), zh: zh.into() }
    }

    /// The same text in both (a name, a rule's title).
    pub fn same(text: impl Into<String>) -> Bilingual {
        let text = text.into();
        Bilingual { en: text.clone(), zh: text }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Integer(i64),
    Number(f64),
    Empty,
}

impl Cell {
    fn json(&self) -> Value {
        match self {
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Integer(n) => Value::from(*n),
            Cell::Number(x) => serde_json::Number::from_f64(*x).map(Value::Number).unwrap_or(Value::Null),
            Cell::Empty => Value::Null,
        }
    }

    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => crate::spreadsheet::neutralise(s).into_owned(),
            Cell::Integer(n) => n.to_string(),
            Cell::Number(x) => x.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Integer(n)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Number(x)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

impl From<chrono::NaiveDate> for Cell {
    fn from(d: chrono::NaiveDate) -> Cell {
        Cell::Text(d.to_string())
    }
}

/// A column: a stable key (the JSON field of each row) and its header in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub key: String,
    pub header: Bilingual,
}

impl Column {
    pub fn new(key: impl Into<String>, en: impl Into<String>, zh: impl Into<String>) -> Column {
        Column { key: key.into(), header: Bilingual::new(en, zh) }
    }
}

/// A named table; every row has one cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable name (`table=` for CSV).
    pub name: String,
    pub title: Bilingual,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: impl Into<String>, title: Bilingual, columns: Vec<Column>) -> Table {
        Table { name: name.into(), title, columns, rows: Vec::new() }
    }

    /// Adds a row; a row of the wrong width is a bug in the report, so it panics in debug builds
    /// and is padded or cut in release builds.
    pub fn push(&mut self, mut row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row width in table {}", self.name);
        row.resize(self.columns.len(), Cell::Empty);
        self.rows.push(row);
    }
}

/// A report: a title, metadata shown in the JSON (semester, as-of date, subject ids), tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: Bilingual,
    /// ASCII stem of the download's `filename` (`group-5-report`).
    pub file_stem: String,
    pub meta: Vec<(String, Value)>,
    pub tables: Vec<Table>,
}

impl Report {
    pub fn new(title: Bilingual, file_stem: impl Into<String>) -> Report {
        Report { title, file_stem: file_stem.into(), meta: Vec::new(), tables: Vec::new() }
    }

    pub fn meta(mut self, key: &str, value: impl Serialize) -> Report {
        self.meta.push((key.to_string(), serde_json::to_value(value).unwrap_or(Value::Null)));
        self
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// The rate as a cell (empty when there was nothing to measure).
pub fn rate_cell(rate: Option<f64>) -> Cell {
    rate.map_or(Cell::Empty, Cell::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use actix_web::http::header;
    use std::collections::BTreeSet;
    use write::sheet_name;

    fn report() -> Report {
        let mut first = Table::new(
            "by_type",
            Bilingual::new("Activities by type", "按类型统计"),
            vec![
                Column::new("type", "Type", "类型"),
                Column::new("count", "Count", "次数"),
                Column::new("rate", "Rate", "出勤率"),
            ],
        );
        first.push(vec!["collective_prep".into(), 3i64.into(), 0.6667.into()]);
        first.push(vec!["说课, \"评课\"".into(), 12i64.into(), Cell::Empty]);
        let mut second =
            Table::new("topics", Bilingual::new("Topics", "研究课题"), vec![Column::new("title", "Title", "课题")]);
        second.push(vec!["整本书阅读".into()]);
        Report {
            meta: vec![("semester_id".into(), Value::from(1))],
            ..Report::new(Bilingual::new("Group report", "教研组报告"), "group-5")
        }
        .meta("as_of", "2026-11-20")
        .with_tables(vec![first, second])
    }

    impl Report {
        fn with_tables(mut self, tables: Vec<Table>) -> Report {
            self.tables = tables;
            self
        }
    }

    #[test]
    fn json_keys_rows_by_column_and_keeps_numbers_numbers() {
        let view = serde_json::to_value(to_view(&report(), Lang::Zh)).unwrap();
        assert_eq!(view["title"], "教研组报告");
        assert_eq!(view["semester_id"], 1);
        assert_eq!(view["as_of"], "2026-11-20");
        assert_eq!(view["tables"][0]["title"], "按类型统计");
        assert_eq!(view["tables"][0]["columns"][1], serde_json::json!({"key": "count", "label": "次数"}));
        assert_eq!(
            view["tables"][0]["rows"][0],
            serde_json::json!({"type": "collective_prep", "count": 3, "rate": 0.6667})
        );
        assert_eq!(view["tables"][0]["rows"][1]["rate"], Value::Null);
        assert_eq!(view["tables"][1]["name"], "topics");
    }

    #[test]
    fn csv_starts_with_a_bom_and_reads_back_with_quotes_and_chinese() {
        let report = report();
        let bytes = write_csv(&report.tables[0], Lang::Zh).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(headers, ["类型", "次数", "出勤率"]);
        let rows: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(rows, vec![vec!["collective_prep", "3", "0.6667"], vec!["说课, \"评课\"", "12", ""]]);
        let english = write_csv(&report.tables[0], Lang::En).unwrap();
        assert!(String::from_utf8(english).unwrap().starts_with("\u{feff}\"Type\",\"Count\",\"Rate\"\n"));
    }

    #[test]
    fn xlsx_is_a_zip_with_a_sheet_per_table() {
        let bytes = write_xlsx(&report(), Lang::Zh).unwrap();
        assert!(bytes.len() > 1000);
        assert!(bytes.starts_with(b"PK"));
        let empty = write_xlsx(&Report::new(Bilingual::same("x"), "x"), Lang::En).unwrap();
        assert!(empty.starts_with(b"PK"));
    }

    #[test]
    fn sheet_names_are_cut_cleaned_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(sheet_name("a/b:c", &mut taken), "a b c");
        assert_eq!(sheet_name("A B C", &mut taken), "A B C (2)");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name(&long, &mut taken), format!("{} (2)", "x".repeat(27)));
        assert_eq!(sheet_name("", &mut taken), "Sheet");
    }

    #[test]
    fn downloads_name_an_ascii_file_and_the_title_in_rfc_5987() {
        let report = report();
        assert_eq!(
            content_disposition(&report, Lang::Zh, "xlsx"),
            "attachment; filename=\"group-5.xlsx\"; filename*=UTF-8''%E6%95%99%E7%A0%94%E7%BB%84%E6%8A%A5%E5%91%8A.xlsx"
        );
        assert_eq!(
            content_disposition(&report, Lang::En, "csv"),
            "attachment; filename=\"group-5.csv\"; filename*=UTF-8''Group%20report.csv"
        );
    }

    #[test]
    fn csv_of_an_unknown_table_names_the_parameter() {
        let output = Output::new(Some(ReportFormat::Csv), None, Some("nope".into()));
        let err = respond(&report(), &output).unwrap_err();
        assert!(matches!(&err, ApiError::Validation(errors) if errors[0].field == "table"), "{err:?}");
        let ok =
            respond(&report(), &Output::new(Some(ReportFormat::Csv), Some(Lang::Zh), Some("topics".into()))).unwrap();
        assert_eq!(ok.headers().get(header::CONTENT_TYPE).unwrap(), CSV_CONTENT_TYPE);
    }
}
