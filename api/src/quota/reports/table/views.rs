//! A report as JSON (`format=json`), and the schema of its downloads.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::ToSchema;

use super::{Lang, Report};

/// The JSON form of a report (what `format=json` answers).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"title": "Group report: 语文教研组", "semester_id": 1, "as_of": "2026-11-20",
    "tables": [{"name": "activities_by_type", "title": "Activities held by type",
        "columns": [{"key": "activity_type", "label": "Activity type"}, {"key": "on_site", "label": "On site"},
                    {"key": "online", "label": "Online"}, {"key": "total", "label": "Total"}],
        "rows": [{"activity_type": "collective_prep", "on_site": 3, "online": 1, "total": 4}]}]}))]
pub struct ReportView {
    /// The report's title in the asked language.
    pub title: String,
    /// The report's parameters (`semester_id`, `as_of`, the subject's id ...), next to `title`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub meta: Map<String, Value>,
    pub tables: Vec<TableView>,
}

/// One table of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableView {
    /// Stable name, for `table=` with `format=csv`.
    pub name: String,
    pub title: String,
    pub columns: Vec<ColumnView>,
    /// One object per row, keyed by column key: strings, numbers or null.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<Map<String, Value>>,
}

/// A column: the key of the rows' field and its header in the asked language.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnView {
    pub key: String,
    pub label: String,
}

/// A CSV or XLSX download, for the OpenAPI document: a binary string.
pub struct BinaryFile;

impl utoipa::PartialSchema for BinaryFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("The report as a file (CSV: one table, UTF-8 with a BOM; XLSX: a sheet per table)"))
            .into()
    }
}

impl ToSchema for BinaryFile {}

pub fn to_view(report: &Report, lang: Lang) -> ReportView {
    let tables = report
        .tables
        .iter()
        .map(|t| TableView {
            name: t.name.clone(),
            title: t.title.get(lang).to_string(),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnView { key: c.key.clone(), label: c.header.get(lang).to_string() })
                .collect(),
            rows: t
                .rows
                .iter()
                .map(|row| t.columns.iter().zip(row).map(|(c, cell)| (c.key.clone(), cell.json())).collect())
                .collect(),
        })
        .collect();
    ReportView { title: report.title.get(lang).to_string(), meta: report.meta.iter().cloned().collect(), tables }
}
