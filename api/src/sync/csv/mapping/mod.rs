//! The tables of an import as one [`RosterBatch`], remembering the file and line of each record
//! so that the sync's errors can be told back in the files' terms ([`Sources::locate`]).
//!
//! - `orgs.csv`: `district` names the caller's district (checked, never written); `local` is a
//!   zone (as the OneRoster view shows zones); `school` a school, its `parentSourcedId` its zone
//!   (or the district: no zone), `identifier` its code, extension columns `tier` (required),
//!   `address`; a zone's extension column `leadSchoolSourcedId`. Other types are refused.
//! - `users.csv`: `role` `teacher` is a teacher; the other OneRoster roles (students, parents,
//!   administrators ...) are skipped and counted, since a district's export holds everyone. The
//!   name is `familyName` + `givenName` as Chinese names are written (王 + 芳 = 王芳; names in
//!   Latin letters are "given family"), or the extension column `name` when given; the school is
//!   `primaryOrgSourcedId`, else the first of `orgSourcedIds`; `grades` are CEDS codes (`03`)
//!   or numbers; extension columns carry the other teacher fields.
//! - `academicSessions.csv`: `term` and `semester` are semesters; `schoolYear` and
//!   `gradingPeriod` rows are skipped (our school years are derived from the semesters);
//!   `schoolYear` is OneRoster's ending year (`2027` = `2026-2027`) or `2026-2027`.
//! - `groups.csv`, `memberships.csv`: one column per field of the sync record.

mod groups;
mod orgs;
mod people;
mod sessions;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use entities::enums::{
    Degree, EmploymentType, Gender, GradeBand, GroupKind, HonourTitle, Level, MemberRole, Post, ProfessionalTitle,
    SchoolTier, TeacherStatus,
};

use super::cells::{parse_code, parse_date, Cells};
use super::files::CsvFile;
use super::table::{field, Table};
use crate::error::FieldError;
use crate::org::calendar::Holiday;
use crate::people::teachers::views::Honour;
use crate::sync::records::{
    RecordStatus, RosterBatch, SyncGroup, SyncMembership, SyncSchool, SyncSemester, SyncTeacher, SyncZone,
    MAX_BATCH_RECORDS,
};

pub use people::full_name;

/// The caller's district, which a `district` row of `orgs.csv` must name.
#[derive(Debug, Clone)]
pub struct District {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
}

impl District {
    /// The sourcedId the OneRoster view gives the district.
    fn synthetic_id(&self) -> String {
        format!("jiaoyan-district-{}", self.id)
    }
}

/// Where a record came from: its file, line, and the columns of fields whose column depends on
/// the row (a teacher's name from `name` or `familyName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub file: CsvFile,
    pub line: u64,
    pub columns: Vec<(&'static str, &'static str)>,
}

/// The sources of each resource's records, by index.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub semesters: Vec<Source>,
    pub zones: Vec<Source>,
    pub schools: Vec<Source>,
    pub teachers: Vec<Source>,
    pub groups: Vec<Source>,
    pub memberships: Vec<Source>,
}

/// An import read from its files.
#[derive(Debug, Clone, Default)]
pub struct Import {
    pub batch: RosterBatch,
    pub sources: Sources,
    /// Rows not imported, per file (other users than teachers, school years ...).
    pub skipped: BTreeMap<String, u64>,
}

/// Builds the batch from the tables; `Err` lists every bad value of every file.
pub fn build(tables: &[Table], district: &District) -> Result<Import, Vec<FieldError>> {
    let mut import = Import::default();
    let mut errors = Vec::new();
    for table in tables {
        match table.file {
            CsvFile::Orgs => orgs::orgs(table, district, &mut import, &mut errors),
            CsvFile::Users => people::users(table, &mut import, &mut errors),
            CsvFile::AcademicSessions => sessions::sessions(table, &mut import, &mut errors),
            CsvFile::Groups => groups::groups(table, &mut import, &mut errors),
            CsvFile::Memberships => groups::memberships(table, &mut import, &mut errors),
        }
    }
    let b = &import.batch;
    let total =
        b.semesters.len() + b.zones.len() + b.schools.len() + b.teachers.len() + b.groups.len() + b.memberships.len();
    if total > MAX_BATCH_RECORDS {
        errors.push(FieldError::new(
            "body",
            format!("the files hold {total} records; one import takes at most {MAX_BATCH_RECORDS}: split it"),
        ));
    }
    if errors.is_empty() {
        Ok(import)
    } else {
        Err(errors)
    }
}

fn source(cells: &Cells, columns: Vec<(&'static str, &'static str)>) -> Source {
    Source { file: cells.table.file, line: cells.line(), columns }
}

fn skip(import: &mut Import, file: CsvFile) {
    *import.skipped.entry(file.name().to_string()).or_default() += 1;
}

impl Sources {
    /// The `file:line:column` of a sync error (`teachers`, 3, `birth_date`), in the files'
    /// terms: `users.csv:5:birthDate`.
    pub fn locate(&self, resource: &str, index: usize, record_field: &str) -> String {
        let list = match resource {
            "semesters" => &self.semesters,
            "zones" => &self.zones,
            "schools" => &self.schools,
            "teachers" => &self.teachers,
            "groups" => &self.groups,
            "memberships" => &self.memberships,
            _ => return format!("{resource}[{index}].{record_field}"),
        };
        let Some(source) = list.get(index) else { return format!("{resource}[{index}].{record_field}") };
        // `honours[0].year` is the `honours` column.
        let base = record_field.split(['[', '.']).next().unwrap_or("");
        if base.is_empty() {
            return field(source.file, Some(source.line), None);
        }
        let column = source
            .columns
            .iter()
            .find(|(f, _)| *f == base)
            .map(|(_, c)| c.to_string())
            .unwrap_or_else(|| column_of(source.file, resource, base));
        field(source.file, Some(source.line), Some(&column))
    }
}

/// The column of a record field in its file: our files use the field names; the OneRoster files
/// camelCase them, but for the few fields with a OneRoster name of their own.
fn column_of(file: CsvFile, resource: &str, record_field: &str) -> String {
    match (resource, record_field) {
        (_, "sourced_id") if file != CsvFile::Groups && file != CsvFile::Memberships => "sourcedId".into(),
        ("semesters", "name") => "title".into(),
        ("schools", "zone_sourced_id") => "parentSourcedId".into(),
        ("schools", "code") => "identifier".into(),
        _ if file == CsvFile::Groups || file == CsvFile::Memberships => record_field.into(),
        _ => camel_case(record_field),
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
