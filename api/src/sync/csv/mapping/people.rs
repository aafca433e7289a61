//! `users.csv`: teachers (other roles skipped), their names, grades and honours.

use super::*;

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

pub(super) fn users(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
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
pub(super) fn grades(cells: &mut Cells) -> Vec<i32> {
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
pub(super) fn honours(cells: &mut Cells) -> Vec<Honour> {
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
