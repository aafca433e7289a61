//! Wire types of the inspections API.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::{FindingStatus, InspectionGrade, InspectionKind};
use entities::{inspection, inspection_finding, inspection_template};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{items_of, lateness, ChecklistItem};
use crate::quota::reports::table::{Lang, ReportFormat};

/// A checklist template.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 2, "district_id": 1, "school_id": 3, "name": "甲小学月查表",
    "items": [{"key": "lesson_plans", "name": "备课", "scale": "grades", "max_points": null, "required_count": null, "counts": "lesson_plans"},
              {"key": "homework", "name": "作业批改", "scale": "points", "max_points": 10.0, "required_count": null, "counts": null}],
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct TemplateView {
    pub id: i64,
    pub district_id: i64,
    /// `null` for a district template, offered to every school of the district.
    pub school_id: Option<i64>,
    pub name: String,
    pub items: Vec<ChecklistItem>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<inspection_template::Model> for TemplateView {
    fn from(m: inspection_template::Model) -> Self {
        TemplateView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            items: items_of(&m.items),
            name: m.name,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// The built-in checklist (seeds 000 and 002), used when an inspection names no template.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "教学常规检查（默认）", "items": [
    {"key": "lesson_plans", "name": "备课", "scale": "grades", "max_points": null, "required_count": null, "counts": "lesson_plans"},
    {"key": "observations", "name": "听课记录", "scale": "grades", "max_points": null, "required_count": 4, "counts": "observations"},
    {"key": "reading_notes", "name": "读书笔记", "scale": "grades", "max_points": null, "required_count": 1, "counts": "reading_notes"},
    {"key": "homework", "name": "作业批改", "scale": "grades", "max_points": null, "required_count": null, "counts": null},
    {"key": "lab_workbooks", "name": "实验册", "scale": "grades", "max_points": null, "required_count": null, "counts": null},
    {"key": "reflections", "name": "反思", "scale": "grades", "max_points": null, "required_count": 1, "counts": "reflections"}]}))]
pub struct BuiltinTemplateView {
    pub name: String,
    pub items: Vec<ChecklistItem>,
}

/// A new template: of a school (`school_id`) or of a district (`district_id`, default the
/// caller's).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"school_id": 3, "name": "甲小学月查表", "items": [
    {"key": "lesson_plans", "name": "备课", "scale": "grades", "counts": "lesson_plans"},
    {"key": "homework", "name": "作业批改", "scale": "points", "max_points": 10}]}))]
pub struct NewTemplate {
    pub school_id: Option<i64>,
    pub district_id: Option<i64>,
    /// At most 200 characters.
    pub name: String,
    /// 1–30 items with distinct keys.
    pub items: Vec<ChecklistItem>,
}

/// Changes to a template; absent fields stay. Inspections already made keep their copy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "甲小学月查表（修订）"}))]
pub struct TemplatePatch {
    pub name: Option<String>,
    pub items: Option<Vec<ChecklistItem>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateFilter {
    /// Only this school's templates (and, with `include_district`, its district's).
    pub school_id: Option<i64>,
    pub include_archived: Option<bool>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// An inspection.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 5, "district_id": 1, "school_id": 3, "kind": "monthly", "title": "十一月教学常规检查",
    "inspected_on": "2026-11-19", "period_start": "2026-11-01", "period_end": "2026-11-19", "template_id": null,
    "items": [{"key": "observations", "name": "听课记录", "scale": "grades", "max_points": null, "required_count": 4, "counts": "observations"}],
    "teacher_count": 12, "created_at": "2026-11-19T08:00:00Z", "updated_at": "2026-11-19T08:00:00Z", "archived_at": null}))]
pub struct InspectionView {
    pub id: i64,
    pub district_id: i64,
    /// `null` for a district inspection (teachers of several of the district's schools).
    pub school_id: Option<i64>,
    pub kind: InspectionKind,
    pub title: String,
    pub inspected_on: NaiveDate,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// `null` when the built-in checklist was used.
    pub template_id: Option<i64>,
    /// The checklist, as copied when the inspection was made.
    pub items: Vec<ChecklistItem>,
    /// How many teachers are inspected (of those the caller may see the rows of).
    pub teacher_count: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl InspectionView {
    pub fn new(m: inspection::Model, teacher_count: u64) -> Self {
        InspectionView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            kind: m.kind,
            items: items_of(&m.items),
            title: m.title,
            inspected_on: m.inspected_on,
            period_start: m.period_start,
            period_end: m.period_end,
            template_id: m.template_id,
            teacher_count,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new inspection. Without `school_id` it is a district inspection (the district's
/// administrators), whose teachers and groups may be of any of the district's schools.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"school_id": 3, "kind": "monthly", "title": "十一月教学常规检查", "inspected_on": "2026-11-19",
    "period_start": "2026-11-01", "period_end": "2026-11-19", "group_ids": [4], "teacher_ids": [12]}))]
pub struct NewInspection {
    pub school_id: Option<i64>,
    /// For a district inspection by an installation-wide administrator; default the caller's district.
    pub district_id: Option<i64>,
    pub kind: InspectionKind,
    /// Default from the kind and date (e.g. "2026-11 月查"); at most 200 characters.
    pub title: Option<String>,
    pub inspected_on: NaiveDate,
    /// Default the first day of `inspected_on`'s month.
    pub period_start: Option<NaiveDate>,
    /// Default `inspected_on`. At most 400 days after `period_start`.
    pub period_end: Option<NaiveDate>,
    /// A template the owner may use (its school's or its district's); default the built-in checklist.
    pub template_id: Option<i64>,
    /// Teachers inspected (live teachers of the school, or of the district's schools).
    #[serde(default)]
    pub teacher_ids: Vec<i64>,
    /// Groups whose members are inspected (each teacher once).
    #[serde(default)]
    pub group_ids: Vec<i64>,
}

/// Changes to an inspection; absent fields stay. The checklist and the teachers stay as made.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "十一月常规检查（补查）", "period_end": "2026-11-20"}))]
pub struct InspectionPatch {
    pub kind: Option<InspectionKind>,
    pub title: Option<String>,
    pub inspected_on: Option<NaiveDate>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InspectionFilter {
    pub school_id: Option<i64>,
    pub kind: Option<InspectionKind>,
    /// Inspections with a teacher of these (only inspections that inspect this teacher).
    pub teacher_id: Option<i64>,
    /// Inspected on or after this day.
    pub from: Option<NaiveDate>,
    /// Inspected on or before this day.
    pub to: Option<NaiveDate>,
    pub include_archived: Option<bool>,
    /// `inspected_on` (default), `-inspected_on`, `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A piece of work the records show for an item.
#[derive(Debug, Serialize, ToSchema, Clone)]
#[schema(example = json!({"source": "observation", "id": 88, "title": "秋天的雨", "date": "2026-11-05"}))]
pub struct WorkRef {
    /// `observation` or `record`.
    pub source: String,
    pub id: i64,
    pub title: String,
    pub date: NaiveDate,
}

/// What the records show for an item that Jiaoyan counts, in the inspection's period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"count": 3, "required_count": 4, "meets_required": false,
    "work": [{"source": "observation", "id": 88, "title": "秋天的雨", "date": "2026-11-05"}]}))]
pub struct Found {
    pub count: usize,
    pub required_count: Option<i32>,
    /// `null` when the item requires no count.
    pub meets_required: Option<bool>,
    pub work: Vec<WorkRef>,
}

/// One item of one teacher's form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"item_key": "observations", "grade": "good", "points": null, "comment": "记录完整，评析略少",
    "found": {"count": 3, "required_count": 4, "meets_required": false, "work": []}}))]
pub struct FormEntry {
    pub item_key: String,
    pub grade: Option<InspectionGrade>,
    pub points: Option<f64>,
    pub comment: Option<String>,
    /// Pre-filled from the records, for items Jiaoyan counts; `null` otherwise.
    pub found: Option<Found>,
}

/// One teacher's form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"teacher_id": 12, "teacher_name": "王芳", "school_id": 3, "group_id": 4, "group_name": "语文教研组",
    "entries": [{"item_key": "observations", "grade": null, "points": null, "comment": null,
                 "found": {"count": 3, "required_count": 4, "meets_required": false, "work": []}}]}))]
pub struct TeacherForm {
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_id: i64,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub entries: Vec<FormEntry>,
}

/// The inspection form: per teacher and item, the grade given so far and what the records show.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"inspection_id": 5, "period_start": "2026-11-01", "period_end": "2026-11-19",
    "items": [{"key": "observations", "name": "听课记录", "scale": "grades", "max_points": null, "required_count": 4, "counts": "observations"}],
    "teachers": []}))]
pub struct FormView {
    pub inspection_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub items: Vec<ChecklistItem>,
    /// The teachers whose rows the caller may see (a teacher: only their own).
    pub teachers: Vec<TeacherForm>,
}

/// One grade as entered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"teacher_id": 12, "item_key": "observations", "grade": "good", "comment": "记录完整，评析略少"}))]
pub struct GradeEntry {
    pub teacher_id: i64,
    pub item_key: String,
    /// On a `grades` item.
    pub grade: Option<InspectionGrade>,
    /// On a `points` item: 0 to the item's `max_points`.
    pub points: Option<f64>,
    /// At most 2000 characters.
    pub comment: Option<String>,
}

/// Grades to record (each replaces the teacher's grade for that item), all or none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"entries": [{"teacher_id": 12, "item_key": "observations", "grade": "good", "comment": "记录完整"},
    {"teacher_id": 12, "item_key": "homework", "grade": "excellent"}]}))]
pub struct GradesBody {
    /// 1–2000 entries.
    pub entries: Vec<GradeEntry>,
}

/// A finding to correct (整改).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 9, "inspection_id": 5, "school_id": 3, "teacher_id": 12, "item_key": "observations",
    "description": "本月听课仅3节，未达4节要求，请补听并补写评析", "due_on": "2026-11-26", "status": "open",
    "response": null, "responded_on": null, "confirmed_on": null, "overdue": false, "responded_late": false, "days_late": 0,
    "created_at": "2026-11-19T08:00:00Z", "updated_at": "2026-11-19T08:00:00Z", "archived_at": null}))]
pub struct FindingView {
    pub id: i64,
    pub inspection_id: i64,
    pub school_id: i64,
    pub teacher_id: i64,
    pub item_key: Option<String>,
    pub description: String,
    pub due_on: NaiveDate,
    pub status: FindingStatus,
    pub response: Option<String>,
    pub responded_on: Option<NaiveDate>,
    pub confirmed_on: Option<NaiveDate>,
    /// Open and past its due date (by the service's clock).
    pub overdue: bool,
    /// Responded after its due date.
    pub responded_late: bool,
    /// Days past the due date: to today while open, to the response once responded.
    pub days_late: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl FindingView {
    pub fn new(m: inspection_finding::Model, today: NaiveDate) -> Self {
        let late = lateness(m.status, m.due_on, m.responded_on, today);
        FindingView {
            id: m.id,
            inspection_id: m.inspection_id,
            school_id: m.school_id,
            teacher_id: m.teacher_id,
            item_key: m.item_key,
            description: m.description,
            due_on: m.due_on,
            status: m.status,
            response: m.response,
            responded_on: m.responded_on,
            confirmed_on: m.confirmed_on,
            overdue: late.overdue,
            responded_late: late.responded_late,
            days_late: late.days_late,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new finding of one teacher.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"teacher_id": 12, "item_key": "observations", "description": "本月听课仅3节，未达4节要求，请补听并补写评析", "due_on": "2026-11-26"}))]
pub struct NewFinding {
    /// A teacher the inspection inspects.
    pub teacher_id: i64,
    /// An item of the checklist, if the finding is about one.
    pub item_key: Option<String>,
    /// At most 2000 characters.
    pub description: String,
    /// Not before the inspection's date.
    pub due_on: NaiveDate,
}

/// Changes to an open finding (the inspector); absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"due_on": "2026-11-30"}))]
pub struct FindingPatch {
    pub description: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// The teacher's response to a finding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"response": "已补听1节并补写评析，见11月24日听课记录"}))]
pub struct FindingResponse {
    /// What was corrected; at most 2000 characters.
    pub response: String,
}

/// The inspector's confirmation: `accepted` closes the finding; otherwise it is open again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"accepted": true}))]
pub struct FindingConfirmation {
    pub accepted: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FindingFilter {
    pub inspection_id: Option<i64>,
    pub teacher_id: Option<i64>,
    pub school_id: Option<i64>,
    pub status: Option<FindingStatus>,
    /// Only open findings past their due date (by the service's clock).
    pub overdue: Option<bool>,
    pub include_archived: Option<bool>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `format`, `lang` and `table` of the results.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    pub format: Option<ReportFormat>,
    pub lang: Option<Lang>,
    /// The table a CSV holds: `teachers` (default), `groups` or `schools`.
    pub table: Option<String>,
}
