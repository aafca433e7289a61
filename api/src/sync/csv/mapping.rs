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

/// OneRoster roles that are not teachers: their rows are skipped.
const SKIPPED_ROLES: [&str; 14] = [
    "administrator",
    "aide",
    "guardian",
    "parent",
    "proctor",
    "relative",
    "student",
    "counselor",
    "districtAdministrator",
    "principal",
    "siteAdministrator",
    "systemAdministrator",
    "teacherAide",
    "externalPerson",
];

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
            CsvFile::Orgs => orgs(table, district, &mut import, &mut errors),
            CsvFile::Users => users(table, &mut import, &mut errors),
            CsvFile::AcademicSessions => sessions(table, &mut import, &mut errors),
            CsvFile::Groups => groups(table, &mut import, &mut errors),
            CsvFile::Memberships => memberships(table, &mut import, &mut errors),
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

fn orgs(table: &Table, district: &District, import: &mut Import, errors: &mut Vec<FieldError>) {
    // The district's own ids: its rows' sourcedIds, and the view's synthetic one.
    let mut district_ids = vec![district.synthetic_id()];
    let mut district_rows = 0;
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        if cells.text("type").as_deref() != Some("district") {
            continue;
        }
        district_rows += 1;
        let sourced_id = cells.required("sourcedId", false);
        let is_ours = sourced_id.as_deref() == Some(district.synthetic_id().as_str())
            || cells.text("name").as_deref() == Some(district.name.as_str())
            || (district.code.is_some() && cells.text("identifier") == district.code);
        if !is_ours {
            cells.fail(
                "name",
                format!(
                    "is not your district ({}): its name, identifier (code) or sourcedId must match",
                    district.name
                ),
            );
        } else if district_rows > 1 {
            cells.fail("type", "a second district row; the file names one district");
        }
        if cells.status() == RecordStatus::Tobedeleted {
            cells.fail("status", "an import does not archive the district");
        }
        district_ids.extend(sourced_id);
    }
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let Some(kind) = cells.required("type", false) else { continue };
        if kind == "district" {
            continue; // checked above
        }
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        let sourced_id = cells.required("sourcedId", false).unwrap_or_default();
        let parent = cells.text("parentSourcedId");
        let parent_is_district = parent.as_ref().is_none_or(|p| district_ids.contains(p));
        match kind.as_str() {
            "local" => {
                if !parent_is_district {
                    cells.fail("parentSourcedId", "a zone's parent is the district");
                }
                let zone = SyncZone {
                    sourced_id,
                    status,
                    name: cells.required("name", deleted),
                    lead_school_sourced_id: cells.text("leadSchoolSourcedId"),
                };
                import.sources.zones.push(source(&cells, vec![]));
                import.batch.zones.push(zone);
            }
            "school" => {
                let tier = match cells.text("tier") {
                    Some(tier) => cells.code_of::<SchoolTier>("tier", &tier),
                    None if deleted => None,
                    None if !table.has_column("tier") => {
                        cells.fail("tier", "is required for a school (extension column tier)");
                        None
                    }
                    None => {
                        cells.fail("tier", "is required");
                        None
                    }
                };
                let school = SyncSchool {
                    sourced_id,
                    status,
                    name: cells.required("name", deleted),
                    tier,
                    zone_sourced_id: parent.filter(|_| !parent_is_district),
                    code: cells.text("identifier"),
                    address: cells.text("address"),
                };
                import.sources.schools.push(source(&cells, vec![]));
                import.batch.schools.push(school);
            }
            other => {
                cells.fail("type", format!("{other:?} is not imported; orgs are district, local (a zone) or school"))
            }
        }
    }
}

fn users(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        match cells.text("role") {
            Some(role) if role.eq_ignore_ascii_case("teacher") => {}
            None if deleted => {}
            Some(role) if SKIPPED_ROLES.iter().any(|r| r.eq_ignore_ascii_case(&role)) => {
                skip(import, table.file);
                continue;
            }
            Some(role) => {
                cells.fail(
                    "role",
                    format!("{role:?} is not a OneRoster role; teachers are imported, other roles skipped"),
                );
                continue;
            }
            None => {
                cells.fail("role", "is required");
                continue;
            }
        }
        let sourced_id = cells.required("sourcedId", false).unwrap_or_default();
        let (school_sourced_id, school_column) = match cells.text("primaryOrgSourcedId") {
            Some(primary) => (Some(primary), "primaryOrgSourcedId"),
            None => (cells.list("orgSourcedIds").into_iter().next(), "orgSourcedIds"),
        };
        if school_sourced_id.is_none() && !deleted {
            cells.fail("orgSourcedIds", "is required: the teacher's school");
        }
        let (name, name_column) = match cells.text("name") {
            Some(name) => (Some(name), "name"),
            None => (full_name(cells.text("familyName").as_deref(), cells.text("givenName").as_deref()), "familyName"),
        };
        if name.is_none() && !deleted {
            cells.fail("familyName", "is required (with givenName), or the extension column name");
        }
        let gender = cells.text("gender").and_then(|g| {
            let code = match g.as_str() {
                "男" => "male",
                "女" => "female",
                other => other,
            };
            cells.code_of::<Gender>("gender", code)
        });
        let teacher = SyncTeacher {
            sourced_id,
            status,
            school_sourced_id,
            name,
            gender,
            birth_date: cells.date("birthDate"),
            teaching_start_year: cells.int("teachingStartYear"),
            degree: cells.code::<Degree>("degree"),
            employment_type: cells.code::<EmploymentType>("employmentType"),
            professional_title: cells.code::<ProfessionalTitle>("professionalTitle"),
            teacher_status: cells.code::<TeacherStatus>("teacherStatus"),
            subjects: cells.list("subjects"),
            grades: grades(&mut cells),
            posts: cells.list("posts").iter().filter_map(|p| cells.code_of::<Post>("posts", p)).collect(),
            honours: honours(&mut cells),
        };
        let columns = vec![("school_sourced_id", school_column), ("name", name_column)];
        import.sources.teachers.push(source(&cells, columns));
        import.batch.teachers.push(teacher);
    }
}

/// A full name (姓名) from OneRoster's parts: family name first, as Chinese names are written,
/// unless the name is in Latin letters ("Mary Smith", given name first, as the OneRoster view
/// splits it back).
pub fn full_name(family: Option<&str>, given: Option<&str>) -> Option<String> {
    match (family, given) {
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (Some(family), Some(given)) => {
            let latin = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
            if latin(family) || latin(given) {
                Some(format!("{given} {family}"))
            } else {
                Some(format!("{family}{given}"))
            }
        }
    }
}

/// CEDS grade codes (`03`) or plain numbers.
fn grades(cells: &mut Cells) -> Vec<i32> {
    let mut grades = Vec::new();
    for value in cells.list("grades") {
        match value.parse::<i32>() {
            Ok(grade) => grades.push(grade),
            Err(_) => cells.fail("grades", format!("{value:?} is not a grade (01–06)")),
        }
    }
    grades
}

/// `title:level:year`, e.g. `backbone_teacher:county:2022;rising_star:school:2019`.
fn honours(cells: &mut Cells) -> Vec<Honour> {
    let mut honours = Vec::new();
    for value in cells.list("honours") {
        let parts: Vec<&str> = value.split([':', '：']).map(str::trim).collect();
        let parsed = match parts.as_slice() {
            [title, level, year] => {
                match (parse_code::<HonourTitle>(title), parse_code::<Level>(level), year.parse()) {
                    (Some(title), Some(level), Ok(year)) => Some(Honour { title, level, year }),
                    _ => None,
                }
            }
            _ => None,
        };
        match parsed {
            Some(honour) => honours.push(honour),
            None => cells.fail("honours", format!("{value:?} is not title:level:year (backbone_teacher:county:2022)")),
        }
    }
    honours
}

fn sessions(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        match cells.text("type").as_deref() {
            Some("term" | "semester") => {}
            None if deleted => {}
            Some("schoolYear" | "gradingPeriod") => {
                skip(import, table.file);
                continue;
            }
            Some(other) => {
                cells.fail(
                    "type",
                    format!("{other:?} is not one of term, semester (imported), schoolYear, gradingPeriod (skipped)"),
                );
                continue;
            }
            None => {
                cells.fail("type", "is required");
                continue;
            }
        }
        let semester = SyncSemester {
            sourced_id: cells.required("sourcedId", false).unwrap_or_default(),
            status,
            name: cells.required("title", deleted),
            school_year: cells.required("schoolYear", deleted).map(|y| school_year(&y)),
            start_date: cells.required("startDate", deleted).and(cells.date("startDate")),
            end_date: cells.required("endDate", deleted).and(cells.date("endDate")),
            holidays: holidays(&mut cells),
        };
        import.sources.semesters.push(source(&cells, vec![]));
        import.batch.semesters.push(semester);
    }
}

/// OneRoster's `schoolYear` is the year the school year ends: `2027` is `2026-2027`.
fn school_year(value: &str) -> String {
    match value.parse::<i32>() {
        Ok(end) if value.len() == 4 => format!("{}-{end}", end - 1),
        _ => value.to_string(),
    }
}

/// `name:start:end`, e.g. `国庆节:2026-10-01:2026-10-07;元旦:2027-01-01:2027-01-01`.
fn holidays(cells: &mut Cells) -> Vec<Holiday> {
    let Some(value) = cells.text("holidays") else { return Vec::new() };
    let mut holidays = Vec::new();
    for item in value.split([';', '；']).map(str::trim).filter(|i| !i.is_empty()) {
        let mut parts = item.rsplitn(3, [':', '：']).map(str::trim);
        let (end, start, name) = (parts.next(), parts.next(), parts.next());
        match (name, start.and_then(parse_date), end.and_then(parse_date)) {
            (Some(name), Some(start), Some(end)) if !name.is_empty() => {
                holidays.push(Holiday { name: name.to_string(), start, end })
            }
            _ => cells.fail("holidays", format!("{item:?} is not name:start:end (国庆节:2026-10-01:2026-10-07)")),
        }
    }
    holidays
}

fn groups(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        let group = SyncGroup {
            sourced_id: cells.required("sourced_id", false).unwrap_or_default(),
            status,
            kind: cells.required("kind", deleted).and(cells.code::<GroupKind>("kind")),
            school_sourced_id: cells.text("school_sourced_id"),
            name: cells.required("name", deleted),
            subject: cells.text("subject"),
            grade_band: cells.code::<GradeBand>("grade_band"),
            parent_sourced_id: cells.text("parent_sourced_id"),
            leader_sourced_id: cells.text("leader_sourced_id"),
            description: cells.text("description"),
        };
        import.sources.groups.push(source(&cells, vec![]));
        import.batch.groups.push(group);
    }
}

fn memberships(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        let membership = SyncMembership {
            sourced_id: cells.required("sourced_id", false).unwrap_or_default(),
            status,
            group_sourced_id: cells.required("group_sourced_id", deleted),
            teacher_sourced_id: cells.required("teacher_sourced_id", deleted),
            role: cells.code::<MemberRole>("role"),
            since: cells.date("since"),
            until: cells.date("until"),
        };
        import.sources.memberships.push(source(&cells, vec![]));
        import.batch.memberships.push(membership);
    }
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::oneroster::names::split_name;
    use crate::sync::csv::table::parse;

    fn district() -> District {
        District { id: 7, name: "罗田县".into(), code: Some("421123".into()) }
    }

    fn import(files: &[(CsvFile, &str)]) -> Result<Import, Vec<String>> {
        let tables: Vec<Table> = files.iter().map(|(f, text)| parse(*f, text).expect("parses")).collect();
        build(&tables, &district())
            .map_err(|errors| errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
    }

    fn fields(errors: Vec<String>) -> Vec<String> {
        errors.into_iter().map(|e| e.split(": ").next().unwrap().to_string()).collect()
    }

    const ORGS: &str = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,tier\n\
        D1,active,,罗田县,district,,,\n\
        Z-E,,,东片,local,,D1,\n\
        S1,,,大河岸中心小学,school,4211230421,Z-E,township_central\n\
        S2,,,县实验小学,school,,D1,county_direct\n\
        S3,tobedeleted,,,school,,,\n";

    #[test]
    fn orgs_become_zones_and_schools_under_the_callers_district() {
        let import = import(&[(CsvFile::Orgs, ORGS)]).unwrap();
        let b = &import.batch;
        assert_eq!(b.zones.len(), 1);
        assert_eq!((b.zones[0].sourced_id.as_str(), b.zones[0].name.as_deref()), ("Z-E", Some("东片")));
        let schools: Vec<_> = b.schools.iter().map(|s| (s.sourced_id.as_str(), s.zone_sourced_id.as_deref())).collect();
        assert_eq!(schools, vec![("S1", Some("Z-E")), ("S2", None), ("S3", None)]);
        assert_eq!(b.schools[0].tier, Some(SchoolTier::TownshipCentral));
        assert_eq!(b.schools[0].code.as_deref(), Some("4211230421"));
        assert_eq!(b.schools[2].status, RecordStatus::Tobedeleted);
        assert_eq!(import.sources.schools[1].line, 5);
    }

    #[test]
    fn another_district_or_an_unknown_type_is_refused() {
        let text = "sourcedId,name,type,tier\nD9,邻县,district,\nX,某部门,department,\nS1,某小学,school,\n";
        let errors = fields(import(&[(CsvFile::Orgs, text)]).unwrap_err());
        assert_eq!(errors, vec!["orgs.csv:2:name", "orgs.csv:3:type", "orgs.csv:4:tier"]);
        // Named by its code or the view's synthetic id, the district is recognised.
        let text = "sourcedId,name,type,identifier\nD9,Luotian,district,421123\njiaoyan-district-7,x,district,\n";
        let errors = fields(import(&[(CsvFile::Orgs, text)]).unwrap_err());
        assert_eq!(errors, vec!["orgs.csv:3:type"], "one district row only");
    }

    #[test]
    fn teachers_with_extension_columns_and_other_roles_skipped() {
        let text = "sourcedId,status,role,givenName,familyName,orgSourcedIds,grades,gender,birthDate,subjects,posts,honours,teachingStartYear\n\
            T1,active,teacher,芳,王,\"S1,S2\",\"03,04\",女,1990/5/1,语文;数学,research_group_leader,backbone_teacher:county:2022,2012\n\
            P1,active,student,小明,李,S1,,,,,,,\n\
            T2,tobedeleted,,,,,,,,,,,\n\
            T3,,Teacher,Mary,Smith,S2,,male,,,,,\n";
        let import = import(&[(CsvFile::Users, text)]).unwrap();
        let t = &import.batch.teachers;
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].name.as_deref(), Some("王芳"));
        assert_eq!(t[0].school_sourced_id.as_deref(), Some("S1"));
        assert_eq!(t[0].grades, vec![3, 4]);
        assert_eq!(t[0].gender, Some(Gender::Female));
        assert_eq!(t[0].birth_date, NaiveDate::from_ymd_opt(1990, 5, 1));
        assert_eq!(t[0].subjects, vec!["语文", "数学"]);
        assert_eq!(t[0].posts, vec![Post::ResearchGroupLeader]);
        assert_eq!(
            t[0].honours,
            vec![Honour { title: HonourTitle::BackboneTeacher, level: Level::County, year: 2022 }]
        );
        assert_eq!(t[0].teaching_start_year, Some(2012));
        assert_eq!((t[1].sourced_id.as_str(), t[1].status), ("T2", RecordStatus::Tobedeleted));
        assert_eq!(t[2].name.as_deref(), Some("Mary Smith"));
        assert_eq!(import.skipped.get("users.csv"), Some(&1));
        assert_eq!(import.sources.teachers.iter().map(|s| s.line).collect::<Vec<_>>(), vec![2, 4, 5]);
    }

    #[test]
    fn names_round_trip_with_the_oneroster_split() {
        for name in ["王芳", "欧阳修", "Mary Smith", "诸葛亮"] {
            let (family, given) = split_name(name);
            assert_eq!(full_name(Some(&family), Some(&given)).as_deref(), Some(name));
        }
        assert_eq!(full_name(Some("王芳"), None).as_deref(), Some("王芳"));
        assert_eq!(full_name(None, None), None);
    }

    #[test]
    fn every_bad_value_is_named_by_file_line_and_column() {
        let text = "sourcedId,role,givenName,familyName,orgSourcedIds,birthDate,gender,grades,honours,degree\n\
            T1,teacher,芳,王,S1,1990-05-01,female,3,,bachelor\n\
            T2,teacher,,,S1,1990-02-30,x,三,名师,phd\n\
            T3,teacher,伟,张,,,,,,\n\
            T4,janitor,,,,,,,,\n";
        let errors = fields(import(&[(CsvFile::Users, text)]).unwrap_err());
        assert_eq!(
            errors,
            vec![
                "users.csv:3:familyName",
                "users.csv:3:gender",
                "users.csv:3:birthDate",
                "users.csv:3:degree",
                "users.csv:3:grades",
                "users.csv:3:honours",
                "users.csv:4:orgSourcedIds",
                "users.csv:5:role",
            ]
        );
    }

    #[test]
    fn sessions_become_semesters_and_school_years_are_skipped() {
        let text = "sourcedId,status,title,type,startDate,endDate,parentSourcedId,schoolYear,holidays\n\
            Y2027,active,2026-2027学年,schoolYear,2026-09-01,2027-07-10,,2027,\n\
            T-AUT,active,2026年秋季学期,term,2026-09-01,2027-01-22,Y2027,2027,国庆节:2026-10-01:2026-10-07;元旦:2027-01-01:2027-01-01\n\
            T-SPR,active,2027年春季学期,semester,2027/2/20,2027-07-10,Y2027,2026-2027,\n\
            T-BAD,active,x,term,2027-13-01,,,,\n";
        let errors = fields(import(&[(CsvFile::AcademicSessions, text)]).unwrap_err());
        assert_eq!(
            errors,
            vec![
                "academicSessions.csv:5:schoolYear",
                "academicSessions.csv:5:startDate",
                "academicSessions.csv:5:endDate"
            ]
        );
        let text: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
        let import = import(&[(CsvFile::AcademicSessions, &text)]).unwrap();
        let s = &import.batch.semesters;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].school_year.as_deref(), Some("2026-2027"));
        assert_eq!(s[0].holidays.len(), 2);
        assert_eq!(s[0].holidays[0].name, "国庆节");
        assert_eq!(s[1].start_date, NaiveDate::from_ymd_opt(2027, 2, 20));
        assert_eq!(import.skipped.get("academicSessions.csv"), Some(&1));
    }

    #[test]
    fn groups_and_memberships_use_the_record_fields() {
        let groups = "sourced_id,kind,school_sourced_id,name,subject,grade_band,leader_sourced_id\n\
            G1,research,S1,语文教研组,语文,,T1\nG2,lesson_prep,S1,一年级语文备课组,语文,lower,\n";
        let members = "sourced_id,group_sourced_id,teacher_sourced_id,role,since\nM1,G1,T1,leader,2026-09-01\n";
        let import = import(&[(CsvFile::Groups, groups), (CsvFile::Memberships, members)]).unwrap();
        assert_eq!(import.batch.groups[1].grade_band, Some(GradeBand::Lower));
        assert_eq!(import.batch.memberships[0].role, Some(MemberRole::Leader));
    }

    #[test]
    fn sync_errors_are_located_in_the_files() {
        let text = "sourcedId,role,name,givenName,familyName,primaryOrgSourcedId,orgSourcedIds\n\
            T1,teacher,,芳,王,,S1\nT2,teacher,阿依古丽·买买提,,,S2,S1\n";
        let import = import(&[(CsvFile::Users, text), (CsvFile::Orgs, ORGS)]).unwrap();
        let s = &import.sources;
        assert_eq!(s.locate("teachers", 0, "name"), "users.csv:2:familyName");
        assert_eq!(s.locate("teachers", 1, "name"), "users.csv:3:name");
        assert_eq!(s.locate("teachers", 0, "school_sourced_id"), "users.csv:2:orgSourcedIds");
        assert_eq!(s.locate("teachers", 1, "school_sourced_id"), "users.csv:3:primaryOrgSourcedId");
        assert_eq!(s.locate("teachers", 1, "honours[0].year"), "users.csv:3:honours");
        assert_eq!(s.locate("teachers", 1, "teaching_start_year"), "users.csv:3:teachingStartYear");
        assert_eq!(s.locate("teachers", 1, "sourced_id"), "users.csv:3:sourcedId");
        assert_eq!(s.locate("teachers", 1, ""), "users.csv:3");
        assert_eq!(s.locate("schools", 0, "zone_sourced_id"), "orgs.csv:4:parentSourcedId");
        assert_eq!(s.locate("schools", 0, "code"), "orgs.csv:4:identifier");
        assert_eq!(s.locate("zones", 0, "lead_school_sourced_id"), "orgs.csv:3:leadSchoolSourcedId");
        assert_eq!(s.locate("teachers", 9, "name"), "teachers[9].name");
    }
}
