//! Rules about teachers that are not HTTP: age and teaching years (教龄), and the checks and
//! normalisation of a teacher's dates and lists. "Today" is the UTC date.

use chrono::{Datelike, Months, NaiveDate};
use entities::enums::{Post, TeacherStatus};

use super::views::Honour;
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
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_EXTERNAL_ID_CHARS: usize = 64;

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

/// An external id is the teacher's OneRoster `sourcedId`: it may not take the form of the ids the
/// OneRoster view makes up for teachers without one (`jiaoyan-teacher-41`).
pub fn check_external_id_form(checks: &mut Checks, external_id: Option<&str>) {
    let prefix = crate::sync::batch::RESERVED_PREFIX;
    checks.ensure(
        external_id.is_none_or(|e| !e.starts_with(prefix)),
        "external_id",
        format!("must not start with {prefix} (reserved for ids Jiaoyan makes up)"),
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
