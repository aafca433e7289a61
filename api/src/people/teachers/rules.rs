//! Rules about teachers that are not HTTP: age and teaching years (教龄), and the checks and
//! normalisation of a teacher's dates and lists. "Today" is the UTC date.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use entities::enums::{Degree, EmploymentType, Gender, Post, ProfessionalTitle, TeacherStatus};
use entities::teacher;
use sea_orm::Set;

use super::views::{Honour, TeacherPatch};
use crate::domain::ids::ExternalId;
use crate::domain::names::PersonName;
use crate::validate::Checks;

/// The earliest birth date accepted.
pub const EARLIEST_BIRTH_DATE: NaiveDate = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap();
/// A teacher is at least this old, and starts teaching no younger.
pub const MIN_AGE: u32 = 16;
pub const EARLIEST_START_YEAR: i32 = 1960;
pub const EARLIEST_HONOUR_YEAR: i32 = 1980;
pub const MAX_SUBJECT_CHARS: usize = 32;
/// The most subjects a teacher's list may hold (a village teacher may teach many; 20 is ample).
pub const MAX_SUBJECTS: usize = 20;
/// The most grades a teacher's list may hold: grades 1–6, each once.
pub const MAX_GRADES: usize = 6;
/// The most posts a teacher's list may hold: every post, each once.
pub const MAX_POSTS: usize = 6;
/// The most honours a teacher's list may hold.
pub const MAX_HONOURS: usize = 50;

pub use crate::clock::today;

/// Whole years from `birth` to `on` (the birthday itself counts).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    on.year() - birth.year() - i32::from(before_birthday)
}

/// Teaching years (教龄): the current year minus the start year, never negative.
pub fn teaching_years(start_year: i32, on: NaiveDate) -> i32 {
    (on.year() - start_year).max(0)
}

/// The latest birth date accepted: `MIN_AGE` years before `today`.
pub fn latest_birth_date(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12 * MIN_AGE)).unwrap_or(today)
}

/// Whether `birth` is acceptable; records the error otherwise.
pub fn check_birth_date(checks: &mut Checks, birth: NaiveDate, today: NaiveDate) -> bool {
    let latest = latest_birth_date(today);
    let ok = (EARLIEST_BIRTH_DATE..=latest).contains(&birth);
    checks.ensure(
        ok,
        "birth_date",
        format!("must be between {EARLIEST_BIRTH_DATE} and {latest} (at least {MIN_AGE} years ago)"),
    );
    ok
}

/// The start year alone: from 1960 to this year. Whether it is acceptable.
pub fn check_start_year(checks: &mut Checks, start: i32, today: NaiveDate) -> bool {
    let ok = (EARLIEST_START_YEAR..=today.year()).contains(&start);
    checks.ensure(ok, "teaching_start_year", format!("must be between {EARLIEST_START_YEAR} and {}", today.year()));
    ok
}

/// Start year against birth date: nobody teaches before turning `MIN_AGE`. Only checked when
/// both are valid on their own; `field` names whichever of the two the request changed.
pub fn check_start_after_birth(checks: &mut Checks, start: i32, birth: NaiveDate, field: &str) {
    let earliest = birth.year() + MIN_AGE as i32;
    checks.ensure(
        start >= earliest,
        field,
        format!("teaching_start_year must not be before the birth year + {MIN_AGE} ({earliest})"),
    );
}

/// A list of at most `max` items (`maxItems` in the schema).
fn at_most(checks: &mut Checks, field: &str, len: usize, max: usize) {
    checks.ensure(len <= max, field, format!("must have at most {max} items"));
}

/// Grades 1–6, sorted, duplicates removed.
pub fn clean_grades(checks: &mut Checks, grades: &[i32]) -> Vec<i32> {
    at_most(checks, "grades", grades.len(), MAX_GRADES);
    for (i, g) in grades.iter().enumerate() {
        checks.ensure((1..=6).contains(g), format!("grades[{i}]"), "must be between 1 and 6");
    }
    let mut out: Vec<i32> = grades.iter().copied().filter(|g| (1..=6).contains(g)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Subjects trimmed, non-empty, at most 32 characters, sorted, duplicates removed.
pub fn clean_subjects(checks: &mut Checks, subjects: &[String]) -> Vec<String> {
    at_most(checks, "subjects", subjects.len(), MAX_SUBJECTS);
    let mut out: Vec<String> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| checks.text(&format!("subjects[{i}]"), s, MAX_SUBJECT_CHARS))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Posts in declaration order, duplicates removed.
pub fn clean_posts(checks: &mut Checks, posts: &[Post]) -> Vec<Post> {
    at_most(checks, "posts", posts.len(), MAX_POSTS);
    let mut out = posts.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// Honours with a year from 1980 to this year; identical entries kept once, in the given order.
pub fn clean_honours(checks: &mut Checks, honours: &[Honour], today: NaiveDate) -> Vec<Honour> {
    at_most(checks, "honours", honours.len(), MAX_HONOURS);
    let mut out: Vec<Honour> = Vec::with_capacity(honours.len());
    for (i, h) in honours.iter().enumerate() {
        checks.ensure(
            (EARLIEST_HONOUR_YEAR..=today.year()).contains(&h.year),
            format!("honours[{i}].year"),
            format!("must be between {EARLIEST_HONOUR_YEAR} and {}", today.year()),
        );
        if !out.contains(h) {
            out.push(h.clone());
        }
    }
    out
}

/// A teacher's days at the school after a change: what the request gives wins; otherwise a move
/// starts new days on `today`, leaving `active` for `transferred` or `retired` ends them on
/// `today`, and coming back to `active` clears the end.
pub fn days_after(
    current: (Option<NaiveDate>, Option<NaiveDate>),
    given: (Option<Option<NaiveDate>>, Option<Option<NaiveDate>>),
    moved: bool,
    status: Option<(TeacherStatus, TeacherStatus)>,
    today: NaiveDate,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let joined = given.0.unwrap_or(if moved { Some(today) } else { current.0 });
    let left = given.1.unwrap_or(match status {
        _ if moved => None,
        Some((TeacherStatus::Active, TeacherStatus::Transferred | TeacherStatus::Retired)) => Some(today),
        Some((_, TeacherStatus::Active)) => None,
        _ => current.1,
    });
    (joined, left)
}

/// A teacher cannot leave before joining.
pub fn check_days(checks: &mut Checks, joined: Option<NaiveDate>, left: Option<NaiveDate>) {
    if let (Some(j), Some(l)) = (joined, left) {
        checks.ensure(l >= j, "left_on", "must not be before joined_on");
    }
}

/// An optional `external_id` as a request gives it ([`ExternalId::parse`]); `None` when absent,
/// empty or invalid (the errors are recorded).
pub fn external_id(checks: &mut Checks, raw: Option<&str>) -> Option<ExternalId> {
    raw.and_then(|e| checks.parsed_all(ExternalId::parse("external_id", e))).flatten()
}

/// The dates of a PATCH checked on their own and against each other (the stored value standing
/// in for the one the request leaves out). The start year is checked against the birth date
/// only when the request changes one of them, and the error names the one it changes.
pub fn check_patch_dates(checks: &mut Checks, body: &TeacherPatch, current: &teacher::Model, today: NaiveDate) {
    let birth_ok = body.birth_date.flatten().is_none_or(|b| check_birth_date(checks, b, today));
    let start_ok = body.teaching_start_year.flatten().is_none_or(|y| check_start_year(checks, y, today));
    let birth = body.birth_date.unwrap_or(current.birth_date);
    let start = body.teaching_start_year.unwrap_or(current.teaching_start_year);
    if let (Some(birth), Some(start), true, true) = (birth, start, birth_ok, start_ok) {
        if body.birth_date.is_some() || body.teaching_start_year.is_some() {
            let field = if body.teaching_start_year.is_some() { "teaching_start_year" } else { "birth_date" };
            check_start_after_birth(checks, start, birth, field);
        }
    }
}

/// A checked PATCH of a teacher's row. For every field, `None` leaves it as it is; for the
/// nullable ones, `Some(None)` clears it and `Some(Some(v))` sets it. The days are the
/// teacher's days after the change ([`days_after`]), always written.
#[derive(Debug, Clone, Default)]
pub struct TeacherChange {
    pub school_id: Option<i64>,
    pub name: Option<PersonName>,
    pub gender: Option<Option<Gender>>,
    pub birth_date: Option<Option<NaiveDate>>,
    pub teaching_start_year: Option<Option<i32>>,
    pub degree: Option<Option<Degree>>,
    pub employment_type: Option<EmploymentType>,
    pub professional_title: Option<Option<ProfessionalTitle>>,
    pub status: Option<TeacherStatus>,
    pub external_id: Option<Option<ExternalId>>,
    pub days: (Option<NaiveDate>, Option<NaiveDate>),
}

/// Merges `change` into a teacher's row (the PATCH semantics of docs/API-DESIGN.md): only what
/// the change carries is set, plus the days and `updated_at`.
pub fn apply_change(active: &mut teacher::ActiveModel, change: TeacherChange, at: DateTime<Utc>) {
    fn set<T: Into<sea_orm::Value>>(field: &mut sea_orm::ActiveValue<T>, value: Option<T>) {
        if let Some(v) = value {
            *field = Set(v);
        }
    }
    set(&mut active.school_id, change.school_id);
    set(&mut active.name, change.name.map(PersonName::into_string));
    set(&mut active.gender, change.gender);
    set(&mut active.birth_date, change.birth_date);
    set(&mut active.teaching_start_year, change.teaching_start_year);
    set(&mut active.degree, change.degree);
    set(&mut active.employment_type, change.employment_type);
    set(&mut active.professional_title, change.professional_title);
    set(&mut active.status, change.status);
    set(&mut active.external_id, change.external_id.map(|e| e.map(ExternalId::into_string)));
    active.joined_on = Set(change.days.0);
    active.left_on = Set(change.days.1);
    active.updated_at = Set(at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::enums::{HonourTitle, Level};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fields(checks: Checks) -> Vec<String> {
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn age_counts_whole_years_and_the_birthday_itself() {
        assert_eq!(age_on(d(1990, 5, 1), d(2026, 4, 30)), 35);
        assert_eq!(age_on(d(1990, 5, 1), d(2026, 5, 1)), 36);
        assert_eq!(age_on(d(2000, 2, 29), d(2026, 2, 28)), 25);
        assert_eq!(age_on(d(2000, 2, 29), d(2026, 3, 1)), 26);
    }

    #[test]
    fn teaching_years_are_calendar_years_and_never_negative() {
        assert_eq!(teaching_years(2012, d(2026, 1, 1)), 14);
        assert_eq!(teaching_years(2026, d(2026, 12, 31)), 0);
        assert_eq!(teaching_years(2030, d(2026, 1, 1)), 0);
    }

    #[test]
    fn birth_dates_are_bounded_by_1940_and_sixteen_years_ago() {
        let today = d(2026, 9, 1);
        for (birth, ok) in
            [(d(1939, 12, 31), false), (d(1940, 1, 1), true), (d(2010, 9, 1), true), (d(2010, 9, 2), false)]
        {
            let mut checks = Checks::new();
            check_birth_date(&mut checks, birth, today);
            assert_eq!(checks.is_empty(), ok, "{birth}");
        }
        assert_eq!(latest_birth_date(d(2028, 2, 29)), d(2012, 2, 29));
        assert_eq!(latest_birth_date(d(2026, 2, 28)), d(2010, 2, 28));
    }

    #[test]
    fn start_year_is_bounded_and_not_before_sixteenth_birthday() {
        let today = d(2026, 9, 1);
        let mut checks = Checks::new();
        check_start_year(&mut checks, 1959, today);
        check_start_year(&mut checks, 2027, today);
        check_start_year(&mut checks, 2026, today);
        check_start_after_birth(&mut checks, 2005, d(1990, 5, 1), "teaching_start_year");
        check_start_after_birth(&mut checks, 2006, d(1990, 5, 1), "teaching_start_year");
        assert_eq!(fields(checks), vec!["teaching_start_year"; 3]);
    }

    #[test]
    fn lists_are_cleaned_and_bad_entries_named() {
        let mut checks = Checks::new();
        assert_eq!(clean_grades(&mut checks, &[3, 1, 3, 7]), vec![1, 3]);
        let subjects = [" 数学 ".to_string(), "语文".into(), "数学".into()];
        assert_eq!(clean_subjects(&mut checks, &subjects), vec!["数学", "语文"]);
        clean_subjects(&mut checks, &["语文".to_string(), "  ".into(), "x".repeat(33)]);
        let honour = Honour { title: HonourTitle::BackboneTeacher, level: Level::County, year: 2020 };
        let old = Honour { year: 1979, ..honour.clone() };
        assert_eq!(clean_honours(&mut checks, &[honour.clone(), honour.clone(), old], d(2026, 1, 1)).len(), 2);
        assert_eq!(fields(checks), vec!["grades[3]", "subjects[1]", "subjects[2]", "honours[2].year"]);
        let mut checks = Checks::new();
        assert_eq!(
            clean_posts(&mut checks, &[Post::PrepGroupLeader, Post::Principal, Post::Principal]),
            vec![Post::Principal, Post::PrepGroupLeader]
        );
        assert!(checks.is_empty());
    }

    #[test]
    fn lists_have_maxima() {
        let mut checks = Checks::new();
        let subjects: Vec<String> = (0..=MAX_SUBJECTS).map(|i| format!("科目{i}")).collect();
        clean_subjects(&mut checks, &subjects);
        clean_subjects(&mut checks, &subjects[..MAX_SUBJECTS]);
        clean_grades(&mut checks, &[1, 2, 3, 4, 5, 6, 6]);
        clean_posts(&mut checks, &[Post::Principal; MAX_POSTS + 1]);
        let honour = Honour { title: HonourTitle::BackboneTeacher, level: Level::County, year: 2020 };
        clean_honours(&mut checks, &vec![honour; MAX_HONOURS + 1], d(2026, 1, 1));
        assert_eq!(fields(checks), vec!["subjects", "grades", "posts", "honours"]);
    }

    fn stored() -> teacher::Model {
        teacher::Model {
            id: 7,
            school_id: 3,
            name: "王芳".into(),
            gender: Some(Gender::Female),
            birth_date: Some(d(1990, 5, 1)),
            teaching_start_year: Some(2012),
            degree: Some(Degree::Bachelor),
            employment_type: EmploymentType::Permanent,
            professional_title: None,
            status: TeacherStatus::Active,
            external_id: Some("T-0012".into()),
            joined_on: Some(d(2020, 9, 1)),
            left_on: None,
            created_at: DateTime::default(),
            updated_at: DateTime::default(),
            archived_at: None,
        }
    }

    #[test]
    fn a_change_sets_values_clears_nulls_and_leaves_what_is_absent() {
        use sea_orm::{ActiveValue, IntoActiveModel};
        let at = DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap();
        let mut active = stored().into_active_model();
        let change = TeacherChange {
            name: Some(PersonName::parse("name", " 王芳芳 ").unwrap()),
            gender: Some(None),
            professional_title: Some(Some(ProfessionalTitle::First)),
            external_id: Some(None),
            days: (Some(d(2020, 9, 1)), None),
            ..TeacherChange::default()
        };
        apply_change(&mut active, change, at);
        assert_eq!(active.name, ActiveValue::Set("王芳芳".to_string()));
        assert_eq!(active.gender, ActiveValue::Set(None));
        assert_eq!(active.professional_title, ActiveValue::Set(Some(ProfessionalTitle::First)));
        assert_eq!(active.external_id, ActiveValue::Set(None));
        assert_eq!(active.updated_at, ActiveValue::Set(at));
        assert_eq!(active.birth_date, ActiveValue::Unchanged(Some(d(1990, 5, 1))));
        assert_eq!(active.school_id, ActiveValue::Unchanged(3));
        assert_eq!(active.status, ActiveValue::Unchanged(TeacherStatus::Active));
        assert_eq!(active.employment_type, ActiveValue::Unchanged(EmploymentType::Permanent));
    }

    #[test]
    fn patched_dates_are_checked_against_the_stored_ones() {
        let today = d(2026, 9, 1);
        let patch = |json: &str| serde_json::from_str::<TeacherPatch>(json).unwrap();
        let mut checks = Checks::new();
        check_patch_dates(&mut checks, &patch(r#"{"teaching_start_year": 2005}"#), &stored(), today);
        check_patch_dates(&mut checks, &patch(r#"{"birth_date": "1999-01-01"}"#), &stored(), today);
        check_patch_dates(
            &mut checks,
            &patch(r#"{"birth_date": null, "teaching_start_year": 2005}"#),
            &stored(),
            today,
        );
        check_patch_dates(&mut checks, &patch(r#"{"name": "x"}"#), &stored(), today);
        assert_eq!(fields(checks), vec!["teaching_start_year", "birth_date"]);
    }

    #[test]
    fn a_teachers_days_follow_moves_and_status() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let today = d(10, 21);
        let none = (None, None);
        assert_eq!(days_after(none, (None, None), true, None, today), (Some(today), None));
        assert_eq!(days_after(none, (Some(Some(d(10, 12))), None), true, None, today), (Some(d(10, 12)), None));
        let leaving = Some((TeacherStatus::Active, TeacherStatus::Transferred));
        assert_eq!(days_after(none, (None, None), false, leaving, today), (None, Some(today)));
        assert_eq!(days_after(none, (None, Some(Some(d(11, 13)))), false, leaving, today), (None, Some(d(11, 13))));
        let back = Some((TeacherStatus::Retired, TeacherStatus::Active));
        assert_eq!(days_after((None, Some(d(9, 30))), (None, None), false, back, today), (None, None));
        let leave = Some((TeacherStatus::Active, TeacherStatus::OnLeave));
        assert_eq!(days_after((Some(d(9, 7)), None), (None, None), false, leave, today), (Some(d(9, 7)), None));
        let mut checks = Checks::new();
        check_days(&mut checks, Some(d(10, 12)), Some(d(10, 1)));
        assert!(format!("{:?}", checks.finish().unwrap_err()).contains("left_on"));
    }
}
