//! The domain of routine inspections, without the database: checklist items and their
//! validation, the built-in default checklist (seeds 000 and 002), who sees which rows, grades
//! against an item's scale, and where a finding to correct (整改) stands by the clock.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use entities::enums::{FindingStatus, InspectionGrade, RecordKind, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::validate::Checks;

pub const NAME_MAX: usize = 200;
pub const ITEM_NAME_MAX: usize = 100;
pub const ITEMS_MAX: usize = 30;
pub const KEY_MAX: usize = 32;
pub const POINTS_MAX: f64 = 1000.0;
pub const COUNT_MAX: i32 = 1000;
/// The longest period one inspection covers (a school year and a little).
pub const PERIOD_MAX_DAYS: i64 = 400;

/// How an item is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 优/良/合格/待改进 (`excellent`, `good`, `pass`, `needs_improvement`).
    Grades,
    /// Points from 0 to the item's `max_points`.
    Points,
}

/// What Jiaoyan counts for an item, so that the form is pre-filled with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountedWork {
    /// 听课记录: the teacher's lesson observations (as observer).
    Observations,
    /// 教学反思: records of kind `reflection`.
    Reflections,
    /// 读书笔记: records of kind `reading_note`.
    ReadingNotes,
    /// 学习心得: records of kind `study_note`.
    StudyNotes,
    /// 备课/教案: records of kind `lesson_plan`.
    LessonPlans,
}

impl CountedWork {
    /// The record kind counted, or `None` for observations.
    pub fn record_kind(self) -> Option<RecordKind> {
        match self {
            CountedWork::Observations => None,
            CountedWork::Reflections => Some(RecordKind::Reflection),
            CountedWork::ReadingNotes => Some(RecordKind::ReadingNote),
            CountedWork::StudyNotes => Some(RecordKind::StudyNote),
            CountedWork::LessonPlans => Some(RecordKind::LessonPlan),
        }
    }
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key": "observations", "name": "听课记录", "scale": "grades", "max_points": null,
    "required_count": 4, "counts": "observations"}))]
pub struct ChecklistItem {
    /// Stable key within the checklist: lower-case letters, digits and `_`, at most 32.
    pub key: String,
    /// What is checked (备课, 听课记录 ...), at most 100 characters.
    pub name: String,
    pub scale: Scale,
    /// Required on a `points` item (greater than 0, at most 1000); absent on a `grades` item.
    #[serde(default)]
    pub max_points: Option<f64>,
    /// How many the teacher should have in the period (1–1000), if the checklist says.
    #[serde(default)]
    pub required_count: Option<i32>,
    /// What Jiaoyan counts for the item, if anything: the form is pre-filled with it.
    #[serde(default)]
    pub counts: Option<CountedWork>,
}

fn item(key: &str, name: &str, required_count: Option<i32>, counts: Option<CountedWork>) -> ChecklistItem {
    ChecklistItem { key: key.into(), name: name.into(), scale: Scale::Grades, max_points: None, required_count, counts }
}

pub const DEFAULT_NAME: &str = "教学常规检查（默认）";

/// The built-in checklist every school may use: what seeds 000 and 002 say the academic office
/// checks — 备课, 听课记录, 读书笔记, 作业批改, 实验册, 反思 — on the four-step scale. The
/// required counts are the monthly ones of seed 000 ("教师每月听课不少于4节", "每月至少进行一次教学
/// 反思") and the reading note of seeds 000/001 ("撰写一篇读书笔记").
pub fn default_items() -> Vec<ChecklistItem> {
    vec![
        item("lesson_plans", "备课", None, Some(CountedWork::LessonPlans)),
        item("observations", "听课记录", Some(4), Some(CountedWork::Observations)),
        item("reading_notes", "读书笔记", Some(1), Some(CountedWork::ReadingNotes)),
        item("homework", "作业批改", None, None),
        item("lab_workbooks", "实验册", None, None),
        item("reflections", "反思", Some(1), Some(CountedWork::Reflections)),
    ]
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= KEY_MAX
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The items, trimmed and checked; every problem is recorded against `items[i].<field>`.
pub fn check_items(checks: &mut Checks, items: &[ChecklistItem]) -> Vec<ChecklistItem> {
    checks.ensure(!items.is_empty(), "items", "at least one item");
    checks.ensure(items.len() <= ITEMS_MAX, "items", format!("at most {ITEMS_MAX} items"));
    let mut keys = BTreeSet::new();
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let at = |f: &str| format!("items[{i}].{f}");
            let key = it.key.trim().to_string();
            checks.ensure(valid_key(&key), at("key"), "1–32 lower-case letters, digits or _");
            checks.ensure(keys.insert(key.clone()), at("key"), "already used by another item");
            let name = checks.text(&at("name"), &it.name, ITEM_NAME_MAX);
            match (it.scale, it.max_points) {
                (Scale::Points, Some(max)) => {
                    checks.ensure(max > 0.0 && max <= POINTS_MAX, at("max_points"), "must be above 0 and at most 1000")
                }
                (Scale::Points, None) => checks.fail(at("max_points"), "required on a points item"),
                (Scale::Grades, Some(_)) => checks.fail(at("max_points"), "only a points item has max_points"),
                (Scale::Grades, None) => {}
            }
            if let Some(n) = it.required_count {
                checks.ensure((1..=COUNT_MAX).contains(&n), at("required_count"), "must be 1–1000");
            }
            ChecklistItem { key, name, ..it.clone() }
        })
        .collect()
}

/// The items stored in a JSON column (written by [`check_items`]); unreadable JSON reads as none.
pub fn items_of(json: &serde_json::Value) -> Vec<ChecklistItem> {
    serde_json::from_value(json.clone()).unwrap_or_default()
}

/// One grade as entered: checked against the item's scale.
pub fn check_grade(
    checks: &mut Checks,
    field: &str,
    item: &ChecklistItem,
    grade: Option<InspectionGrade>,
    points: Option<f64>,
) {
    match item.scale {
        Scale::Grades => {
            checks.ensure(points.is_none(), format!("{field}.points"), "this item is graded, not scored");
        }
        Scale::Points => {
            checks.ensure(grade.is_none(), format!("{field}.grade"), "this item is scored in points");
            if let (Some(p), Some(max)) = (points, item.max_points) {
                checks.ensure(
                    p >= 0.0 && p <= max && p.is_finite(),
                    format!("{field}.points"),
                    format!("must be 0–{max}"),
                );
            }
        }
    }
}

/// The value a grade stands for in averages (优 4, 良 3, 合格 2, 待改进 1).
pub fn grade_value(grade: InspectionGrade) -> i32 {
    match grade {
        InspectionGrade::Excellent => 4,
        InspectionGrade::Good => 3,
        InspectionGrade::Pass => 2,
        InspectionGrade::NeedsImprovement => 1,
    }
}

/// Whose rows (grades, pre-filled work, findings, results) a caller sees of an inspection it can
/// see at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowScope {
    /// Every row: the district's administrators (and the school's for its own inspections).
    All,
    /// The rows of one school's teachers: a school administrator.
    School(i64),
    /// One teacher's own rows: teachers and group leaders (-1 for an account without a teacher).
    Teacher(i64),
}

pub fn row_scope(actor: &Actor, district_id: i64) -> RowScope {
    if actor.administers_district(district_id) {
        return RowScope::All;
    }
    match (actor.role, actor.school_id) {
        (Role::SchoolAdmin, Some(s)) => RowScope::School(s),
        _ => RowScope::Teacher(actor.teacher_id.unwrap_or(-1)),
    }
}

impl RowScope {
    pub fn shows(self, school_id: i64, teacher_id: i64) -> bool {
        match self {
            RowScope::All => true,
            RowScope::School(s) => s == school_id,
            RowScope::Teacher(t) => t == teacher_id,
        }
    }

    /// Whether aggregates over several teachers (per group, per school) are shown.
    pub fn sees_aggregates(self) -> bool {
        !matches!(self, RowScope::Teacher(_))
    }
}

/// Who grades an inspection and handles its findings: the school's administrators (and the
/// district's) for a school inspection, the district's for a district inspection.
pub fn may_inspect(actor: &Actor, district_id: i64, school_id: Option<i64>) -> bool {
    match school_id {
        Some(s) => actor.administers_school(district_id, s),
        None => actor.administers_district(district_id),
    }
}

/// The default period an inspection covers: from the first day of its month to its date.
pub fn default_period(inspected_on: NaiveDate) -> (NaiveDate, NaiveDate) {
    (inspected_on.with_day0(0).unwrap_or(inspected_on), inspected_on)
}

pub fn check_period(checks: &mut Checks, start: NaiveDate, end: NaiveDate) {
    checks.ensure(start <= end, "period_end", "must not be before period_start");
    checks.ensure((end - start).num_days() <= PERIOD_MAX_DAYS, "period_end", "the period is at most 400 days");
}

/// Where a finding stands by the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lateness {
    /// Not responded and past its due date.
    pub overdue: bool,
    /// Responded after its due date.
    pub responded_late: bool,
    /// Days past the due date: until today while open, until the response once responded.
    pub days_late: i64,
}

pub fn lateness(
    status: FindingStatus,
    due_on: NaiveDate,
    responded_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Lateness {
    let until = match (status, responded_on) {
        (FindingStatus::Open, _) | (_, None) => today,
        (_, Some(on)) => on,
    };
    let days_late = (until - due_on).num_days().max(0);
    Lateness {
        overdue: status == FindingStatus::Open && today > due_on,
        responded_late: status != FindingStatus::Open && responded_on.is_some_and(|on| on > due_on),
        days_late,
    }
}

/// The teacher responds to an open finding (a rejected one is open again).
pub fn may_respond(status: FindingStatus) -> bool {
    status == FindingStatus::Open
}

/// The inspector confirms (or sends back) a responded finding.
pub fn may_confirm(status: FindingStatus) -> bool {
    status == FindingStatus::Responded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn actor(role: Role, district: Option<i64>, school: Option<i64>, teacher: Option<i64>) -> Actor {
        Actor { user_id: 1, username: "u".into(), role, district_id: district, school_id: school, teacher_id: teacher }
    }

    #[test]
    fn the_default_checklist_is_the_seeds_six_and_valid() {
        let items = default_items();
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["备课", "听课记录", "读书笔记", "作业批改", "实验册", "反思"]);
        let mut checks = Checks::new();
        check_items(&mut checks, &items);
        assert!(checks.is_empty());
    }

    #[test]
    fn items_name_each_bad_field() {
        let bad = vec![
            ChecklistItem { key: "A b".into(), ..item("x", "备课", None, None) },
            ChecklistItem { scale: Scale::Points, ..item("y", " ", Some(0), None) },
            ChecklistItem { max_points: Some(5.0), ..item("y", "反思", None, None) },
        ];
        let mut checks = Checks::new();
        check_items(&mut checks, &bad);
        let fields: Vec<String> = checks.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "items[0].key",
                "items[1].name",
                "items[1].max_points",
                "items[1].required_count",
                "items[2].key",
                "items[2].max_points"
            ]
        );
    }

    #[test]
    fn grades_follow_the_scale() {
        let points = ChecklistItem { scale: Scale::Points, max_points: Some(10.0), ..item("p", "作业", None, None) };
        let mut checks = Checks::new();
        check_grade(&mut checks, "entries[0]", &points, Some(InspectionGrade::Good), Some(11.0));
        check_grade(&mut checks, "entries[1]", &item("g", "备课", None, None), None, Some(1.0));
        let fields: Vec<String> = checks.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["entries[0].grade", "entries[0].points", "entries[1].points"]);
    }

    #[test]
    fn lateness_counts_to_today_or_the_response() {
        let due = d(2026, 11, 20);
        let open = lateness(FindingStatus::Open, due, None, d(2026, 11, 23));
        assert_eq!(open, Lateness { overdue: true, responded_late: false, days_late: 3 });
        let in_time = lateness(FindingStatus::Responded, due, Some(d(2026, 11, 19)), d(2026, 11, 30));
        assert_eq!(in_time, Lateness { overdue: false, responded_late: false, days_late: 0 });
        let late = lateness(FindingStatus::Closed, due, Some(d(2026, 11, 22)), d(2026, 11, 30));
        assert_eq!(late, Lateness { overdue: false, responded_late: true, days_late: 2 });
        assert!(!lateness(FindingStatus::Open, due, None, due).overdue);
    }

    #[test]
    fn rows_by_role() {
        let district = actor(Role::DistrictAdmin, Some(1), None, None);
        assert_eq!(row_scope(&district, 1), RowScope::All);
        let admin = actor(Role::SchoolAdmin, Some(1), Some(10), None);
        assert_eq!(row_scope(&admin, 1), RowScope::School(10));
        let teacher = actor(Role::Teacher, Some(1), Some(10), Some(7));
        let scope = row_scope(&teacher, 1);
        assert!(scope.shows(10, 7) && !scope.shows(10, 8) && !scope.sees_aggregates());
        assert!(
            may_inspect(&admin, 1, Some(10)) && !may_inspect(&admin, 1, None) && !may_inspect(&teacher, 1, Some(10))
        );
    }

    #[test]
    fn the_default_period_is_the_month_so_far() {
        assert_eq!(default_period(d(2026, 11, 19)), (d(2026, 11, 1), d(2026, 11, 19)));
    }
}
