//! The HTTP answer to a report request, in the format and language asked for.

use actix_web::http::header;
use actix_web::HttpResponse;

use super::views::to_view;
use super::write::{content_disposition, write_csv, write_xlsx};
use super::{Bilingual, Output, Report, ReportFormat, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE};
use crate::error::{ApiError, ApiResult};

/// The answer to a report request in the asked format; an unknown `table=` is a 422.
pub fn respond(report: &Report, output: &Output) -> ApiResult<HttpResponse> {
    match output.format {
        ReportFormat::Json => Ok(HttpResponse::Ok().json(to_view(report, output.lang))),
        ReportFormat::Csv => {
            let table = match &output.table {
                Some(name) => report.table(name).ok_or_else(|| {
                    let names: Vec<&str> = report.tables.iter().map(|t| t.name.as_str()).collect();
                    ApiError::invalid("table", format!("no table {name:?}; this report has {}", names.join(", ")))
                })?,
                None => report.tables.first().ok_or_else(|| ApiError::invalid("table", "this report has no tables"))?,
            };
            let bytes = write_csv(table, output.lang).map_err(|e| ApiError::Internal(e.into()))?;
            // The file is named after the report and the table it holds.
            let file = Report::new(
                Bilingual::new(
                    format!("{} - {}", report.title.en, table.title.en),
                    format!("{}-{}", report.title.zh, table.title.zh),
                ),
                format!("{}-{}", report.file_stem, table.name),
            );
            Ok(HttpResponse::Ok()
                .content_type(CSV_CONTENT_TYPE)
                .insert_header((header::CONTENT_DISPOSITION, content_disposition(&file, output.lang, "csv")))
                .body(bytes))
        }
        ReportFormat::Xlsx => {
            let bytes =
                write_xlsx(report, output.lang).map_err(|e| ApiError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
            Ok(HttpResponse::Ok()
                .content_type(XLSX_CONTENT_TYPE)
                .insert_header((header::CONTENT_DISPOSITION, content_disposition(report, output.lang, "xlsx")))
                .body(bytes))
        }
    }
}
