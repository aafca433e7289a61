//! `POST /sync/csv`: checks the caller, reads the body within the sync limit, and applies the
//! files in one writing transaction (rolled back for a dry run or on any error).

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{post, web, HttpRequest};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::archive::ZipLimits;
use super::files::file_names;
use super::mapping::{self, District};
use super::{read_tables, Upload};
use crate::clients::access::{Access, Caller};
use crate::clients::scopes::ClientScope;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::body::{declared_length, read_limited};
use crate::extract::Query;
use crate::state::State;
use crate::sync::{apply_batch, RosterOutcome};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CsvImportParams {
    /// Apply, report the counts, and roll back: nothing is written.
    #[serde(default)]
    pub dry_run: bool,
    /// The district (required for an installation administrator; anyone else's own).
    pub district_id: Option<i64>,
    /// Which file a single CSV is (`users.csv`, or `users`); without it the file is recognised
    /// by its header.
    pub file: Option<String>,
}

/// What an import did (or, for a dry run, would do), per resource.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "dry_run": false,
    "semesters": {"created": 1, "updated": 0, "unchanged": 0, "archived": 0},
    "zones": {"created": 1, "updated": 0, "unchanged": 0, "archived": 0},
    "schools": {"created": 2, "updated": 0, "unchanged": 0, "archived": 0},
    "teachers": {"created": 58, "updated": 2, "unchanged": 0, "archived": 1},
    "groups": {"created": 0, "updated": 0, "unchanged": 0, "archived": 0},
    "memberships": {"created": 0, "updated": 0, "unchanged": 0, "archived": 0},
    "skipped": {"users.csv": 1204, "academicSessions.csv": 1},
    "change_version": 10422
}))]
pub struct CsvImportOutcome {
    /// True when nothing was written.
    pub dry_run: bool,
    #[serde(flatten)]
    pub outcome: RosterOutcome,
    /// Rows not imported, per file: users other than teachers, `schoolYear` and
    /// `gradingPeriod` sessions.
    pub skipped: BTreeMap<String, u64>,
    /// The newest change version after the import (the change feed's `newest`), as
    /// `PUT /sync/...` answers it: this import's last change, or an earlier one when it changed
    /// nothing (re-sent files) or was a dry run.
    pub change_version: i64,
}

/// One CSV file (`text/csv`).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary, example = "sourcedId,status,role,givenName,familyName,orgSourcedIds,gender,birthDate,subjects\nT-0012,active,teacher,芳,王,sch-0421,female,1990-05-01,语文;数学\n")]
pub struct CsvImportBody(#[allow(dead_code)] Vec<u8>);

/// A zip of CSV files (`application/zip`): binary, so without an example in the document (the
/// CSV example shows what its files hold).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ZipImportBody(#[allow(dead_code)] Vec<u8>);

/// Import the roster from CSV files (OneRoster 1.2 style)
///
/// The body is a zip of `orgs.csv` (district, zones as `local`, schools), `users.csv` (teachers;
/// other roles are skipped), `academicSessions.csv` (semesters as `term`/`semester`), and our
/// `groups.csv` and `memberships.csv` — any of them — or one of those files alone as `text/csv`
/// (named by `?file=` or recognised by its header). Files are UTF-8 (a byte-order mark is
/// fine) or GBK/GB18030. Everything is applied in one transaction through the same sync as
/// `PUT /sync/...`: on any error nothing is written, and the 422 names every bad value as
/// `file:line:column` (`users.csv:14:birthDate`). `status=tobedeleted` archives. Needs the
/// `roster.write` scope. The body may be as large as `JIAOYAN_MAX_SYNC_BODY_BYTES` (16 MiB by
/// default); a zip holds at most 64 entries, 32 MiB a file and 64 MiB in all, uncompressed.
#[utoipa::path(
    tag = "sync",
    params(CsvImportParams),
    request_body(
        description = "A zip of the CSV files, or one CSV file",
        content(
            (CsvImportBody = "text/csv"),
            (ZipImportBody = "application/zip")
        )
    ),
    responses(
        (status = 200, description = "Imported (or, with dry_run, what would be)", body = CsvImportOutcome),
        (status = 400, description = "The body could not be read off the connection", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller lacks `roster.write`, or is not a district or school administrator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than `JIAOYAN_MAX_SYNC_BODY_BYTES`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither `application/zip` nor `text/csv`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad files or values, each named `file:line:column`; nothing was written", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/validation", "title": "Invalid request", "status": 422, "detail": "2 fields are invalid",
                "errors": [{"field": "users.csv:14:birthDate", "message": "\"1990-02-30\" is not a date (YYYY-MM-DD)"},
                           {"field": "orgs.csv:3:parentSourcedId", "message": "no such zone"}]}))
    )
)]
#[post("/sync/csv")]
pub async fn import_csv(
    state: State,
    caller: Caller,
    params: Query<CsvImportParams>,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<web::Json<CsvImportOutcome>> {
    let params = params.0;
    let access = Access::of(&state.db, &caller, params.district_id).await?;
    access.require(ClientScope::RosterWrite)?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let upload = upload_of(content_type)?;
    let body = read_body(&req, payload, state.settings.max_sync_body_bytes).await?;
    let tables = read_tables(&upload, &body, params.file.as_deref(), ZipLimits::DEFAULT)?;
    drop(body);
    let district = entities::district::Entity::find_by_id(access.district_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::invalid("district_id", "no such district"))?;
    let district = District { id: district.id, name: district.name, code: district.code };
    let import = mapping::build(&tables, &district).map_err(ApiError::Validation)?;

    let dry_run = params.dry_run;
    let applied = apply_batch(&state.db, &access, &import.batch, dry_run).await?.map_err(|errors| {
        let located = errors
            .into_iter()
            .map(|e| FieldError::new(import.sources.locate(e.resource, e.index, &e.field), e.message));
        ApiError::Validation(located.collect())
    })?;
    let skipped = import.skipped;
    Ok(web::Json(CsvImportOutcome {
        dry_run,
        outcome: applied.outcome,
        skipped,
        change_version: applied.change_version,
    }))
}

/// What the body is, from its `Content-Type`: `application/zip` (or Windows'
/// `application/x-zip-compressed`), or `text/csv` (or `application/csv`); anything else is a 415.
fn upload_of(content_type: Option<&str>) -> ApiResult<Upload> {
    let content_type = content_type.unwrap_or("");
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find_map(|(k, v)| k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_string()));
    match essence.as_str() {
        "application/zip" | "application/x-zip-compressed" | "application/x-zip" => Ok(Upload::Zip),
        "text/csv" | "application/csv" => Ok(Upload::Csv { charset }),
        _ => Err(ApiError::UnsupportedMediaType(format!(
            "expected application/zip (a zip of {}) or text/csv (one of them), got {}",
            file_names(),
            if essence.is_empty() { "no Content-Type" } else { &essence }
        ))),
    }
}

/// The whole body, refused with 413 as soon as it passes `limit` (or says it will).
async fn read_body(req: &HttpRequest, payload: web::Payload, limit: usize) -> ApiResult<web::BytesMut> {
    let body = read_limited(payload, declared_length(req), limit).await?;
    if body.is_empty() {
        return Err(ApiError::invalid("body", "is empty; send a zip or a CSV file"));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(upload_of(Some("application/zip")).unwrap(), Upload::Zip);
        assert_eq!(upload_of(Some("text/csv; charset=\"GBK\"")).unwrap(), Upload::Csv { charset: Some("GBK".into()) });
        assert_eq!(upload_of(Some("Text/CSV")).unwrap(), Upload::Csv { charset: None });
        assert!(matches!(upload_of(Some("application/json")), Err(ApiError::UnsupportedMediaType(_))));
        assert!(matches!(upload_of(None), Err(ApiError::UnsupportedMediaType(_))));
    }
}
