//! The rules of a research record that need no database, as plain functions: which fields each
//! kind requires or refuses, the word count, lateness and the attachment reference.

use chrono::NaiveDate;
use entities::enums::{AwardRank, LessonPlanForm, Level, ProjectStage, RecordKind};

use entities::record;
use sea_orm::{ActiveValue::Set, IntoActiveModel};

use super::views::RecordPatch;
use crate::validate::Checks;

pub const MAX_TITLE_CHARS: usize = 200;
/// A long paper or a whole semester's notes fits; a book does not.
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_ATTACHMENT_CHARS: usize = 500;
/// A whole training course (国培 ...) stays well below this; more is a typo.
pub const MAX_HOURS: f64 = 1000.0;
/// A word count given without a body (a paper handed in on paper) is at most this.
pub const MAX_WORD_COUNT: i32 = 1_000_000;
/// A paper or a research project rarely has more co-authors than this.
pub const MAX_COAUTHORS: usize = 30;

/// The kind-specific fields of a record, after merging a request with the stored record.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KindFields {
    pub hours: Option<f64>,
    pub lesson_plan_form: Option<LessonPlanForm>,
    pub project_level: Option<Level>,
    pub project_stage: Option<ProjectStage>,
    pub award_level: Option<Level>,
    pub award_rank: Option<AwardRank>,
}

/// Records every kind-specific problem of `f` for a record of `kind`:
/// - `hours`: required for `training` (培训学时); optional for the others; when given, above 0
///   and at most 1000;
/// - `lesson_plan_form` (详案/简案): required for `lesson_plan`, refused for the others;
/// - `project_stage` (申报 … 结题): required for `research_project`, `project_level` optional
///   there (a project applied for at a level keeps it); both refused for the others;
/// - `award_level` and `award_rank`: both required for `award`, refused for the others.
pub fn check_kind_fields(checks: &mut Checks, kind: RecordKind, f: &KindFields) {
    match f.hours {
        Some(h) => {
            checks.ensure(h.is_finite() && h > 0.0 && h <= MAX_HOURS, "hours", "must be above 0 and at most 1000")
        }
        None => checks.ensure(kind != RecordKind::Training, "hours", "required for a training record"),
    }
    only_for(checks, kind, RecordKind::LessonPlan, "lesson_plan_form", f.lesson_plan_form.is_some(), true);
    only_for(checks, kind, RecordKind::ResearchProject, "project_level", f.project_level.is_some(), false);
    only_for(checks, kind, RecordKind::ResearchProject, "project_stage", f.project_stage.is_some(), true);
    only_for(checks, kind, RecordKind::Award, "award_level", f.award_level.is_some(), true);
    only_for(checks, kind, RecordKind::Award, "award_rank", f.award_rank.is_some(), true);
}

/// A field that belongs to one kind: refused for the others, and required for it if `required`.
fn only_for(checks: &mut Checks, kind: RecordKind, owner: RecordKind, field: &str, given: bool, required: bool) {
    if kind == owner {
        checks.ensure(given || !required, field, format!("required for a {} record", owner.code()));
    } else {
        checks.ensure(!given, field, format!("only for a {} record", owner.code()));
    }
}

/// A body as stored: whitespace-only means none. The text itself is kept as written (line breaks
/// and indentation are part of a paper).
pub fn clean_body(checks: &mut Checks, body: Option<&str>) -> Option<String> {
    let body = body.filter(|b| !b.trim().is_empty())?;
    checks.ensure(
        body.chars().count() <= MAX_BODY_CHARS,
        "body",
        format!("must be at most {MAX_BODY_CHARS} characters"),
    );
    Some(body.to_string())
}

/// The word count to store: computed from the body when there is one (a given count would
/// contradict it: 422), otherwise the given count (a record handed in on paper), default 0.
pub fn word_count_of(checks: &mut Checks, body: Option<&str>, given: Option<i32>) -> i32 {
    match (body, given) {
        (Some(_), Some(_)) => {
            checks.fail("word_count", "is computed from body; leave it out when a body is given");
            0
        }
        (Some(body), None) => i32::try_from(super::words::word_count(body)).unwrap_or(i32::MAX),
        (None, Some(n)) => {
            checks.ensure((0..=MAX_WORD_COUNT).contains(&n), "word_count", "must be 0 to 1000000");
            n
        }
        (None, None) => 0,
    }
}

/// "过时不候": a record handed in after its task's deadline is late (flagged, never hidden).
pub fn is_late(submitted_on: NaiveDate, due_on: Option<NaiveDate>) -> bool {
    due_on.is_some_and(|due| submitted_on > due)
}

/// An attachment is either an absolute `http(s)://` URL with a host, or an opaque reference into
/// the schools' file storage (`records/2026/论文.pdf`): no whitespace or control characters, not
/// absolute, no `..` segment and no other scheme (`file:`, `javascript:` ...).
pub fn is_valid_attachment(value: &str) -> bool {
    if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    for scheme in ["http://", "https://"] {
        if let Some(rest) = lower.strip_prefix(scheme) {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            return !host.is_empty();
        }
    }
    let has_scheme = value.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !has_scheme && !value.starts_with('/') && !value.starts_with('\\') && !value.split(['/', '\\']).any(|s| s == "..")
}

/// Checks an optional attachment reference; empty means none.
pub fn clean_attachment(checks: &mut Checks, value: Option<&str>) -> Option<String> {
    let value = checks.optional_text("attachment_url", value, MAX_ATTACHMENT_CHARS)?;
    checks.ensure(
        is_valid_attachment(&value),
        "attachment_url",
        "must be an http(s) URL or a storage reference such as records/2026/paper.pdf",
    );
    Some(value)
}

/// The record's dates: written on a day not in the future, handed in on a day between the
/// writing and today.
pub fn check_dates(checks: &mut Checks, written_on: NaiveDate, submitted_on: Option<NaiveDate>, today: NaiveDate) {
    checks.ensure(written_on <= today, "written_on", "must not be in the future");
    if let Some(s) = submitted_on {
        checks.ensure(s <= today, "submitted_on", "must not be in the future");
        checks.ensure(s >= written_on, "submitted_on", "must not be before written_on");
    }
}

/// A stored record with a PATCH applied, before anything that needs the database (the task's
/// kind, the semester, the links, the co-authors: [`super::queries::check_patch`]). An absent
/// field keeps the stored value, `null` clears it, a value replaces it; a new body recomputes the
/// word count. Every problem is recorded in `checks`, in the order the 422 lists them.
pub fn merge_patch(
    checks: &mut Checks,
    current: &record::Model,
    patch: &RecordPatch,
    today: NaiveDate,
) -> record::ActiveModel {
    let title = patch.title.as_deref().map(|t| checks.text("title", t, MAX_TITLE_CHARS));
    let text = match &patch.body {
        Some(b) => clean_body(checks, b.as_deref()),
        None => current.body.clone(),
    };
    let word_count = match (&patch.body, patch.word_count) {
        // Neither the body nor the count changes: keep the count.
        (None, None) => current.word_count,
        _ => word_count_of(checks, text.as_deref(), patch.word_count),
    };
    let attachment_url = patch.attachment_url.as_ref().map(|a| clean_attachment(checks, a.as_deref()));
    let written_on = patch.written_on.unwrap_or(current.written_on);
    if patch.written_on.is_some() {
        check_dates(checks, written_on, None, today);
        checks.ensure(written_on <= current.submitted_on, "written_on", "must not be after submitted_on");
    }
    let kind = patch.kind.unwrap_or(current.kind);
    let kind_fields = KindFields {
        hours: patch.hours.unwrap_or(current.hours),
        lesson_plan_form: patch.lesson_plan_form.unwrap_or(current.lesson_plan_form),
        project_level: patch.project_level.unwrap_or(current.project_level),
        project_stage: patch.project_stage.unwrap_or(current.project_stage),
        award_level: patch.award_level.unwrap_or(current.award_level),
        award_rank: patch.award_rank.unwrap_or(current.award_rank),
    };
    check_kind_fields(checks, kind, &kind_fields);

    let mut active = current.clone().into_active_model();
    if let Some(title) = title {
        active.title = Set(title);
    }
    if patch.body.is_some() {
        active.body = Set(text);
    }
    active.word_count = Set(word_count);
    if let Some(a) = attachment_url {
        active.attachment_url = Set(a);
    }
    active.written_on = Set(written_on);
    active.kind = Set(kind);
    active.hours = Set(kind_fields.hours);
    active.lesson_plan_form = Set(kind_fields.lesson_plan_form);
    active.project_level = Set(kind_fields.project_level);
    active.project_stage = Set(kind_fields.project_stage);
    active.award_level = Set(kind_fields.award_level);
    active.award_rank = Set(kind_fields.award_rank);
    if let Some(a) = patch.activity_id {
        active.activity_id = Set(a);
    }
    if let Some(o) = patch.observation_id {
        active.observation_id = Set(o);
    }
    active
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ActiveValue;

    fn fields_failing(kind: RecordKind, f: KindFields) -> Vec<String> {
        let mut checks = Checks::new();
        check_kind_fields(&mut checks, kind, &f);
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn training_needs_positive_hours_up_to_a_thousand() {
        assert_eq!(fields_failing(RecordKind::Training, KindFields::default()), vec!["hours"]);
        assert_eq!(
            fields_failing(RecordKind::Training, KindFields { hours: Some(0.0), ..Default::default() }),
            vec!["hours"]
        );
        assert_eq!(
            fields_failing(RecordKind::Training, KindFields { hours: Some(1000.5), ..Default::default() }),
            vec!["hours"]
        );
        assert!(fields_failing(RecordKind::Training, KindFields { hours: Some(12.5), ..Default::default() }).is_empty());
        // Optional elsewhere, but bounded when given.
        assert!(fields_failing(RecordKind::Courseware, KindFields::default()).is_empty());
        assert!(
            fields_failing(RecordKind::Courseware, KindFields { hours: Some(3.0), ..Default::default() }).is_empty()
        );
        assert_eq!(
            fields_failing(RecordKind::Essay, KindFields { hours: Some(-1.0), ..Default::default() }),
            vec!["hours"]
        );
    }

    #[test]
    fn a_lesson_plan_needs_its_form_and_nothing_else_takes_one() {
        assert_eq!(fields_failing(RecordKind::LessonPlan, KindFields::default()), vec!["lesson_plan_form"]);
        let full = KindFields { lesson_plan_form: Some(LessonPlanForm::Full), ..Default::default() };
        assert!(fields_failing(RecordKind::LessonPlan, full).is_empty());
        assert_eq!(fields_failing(RecordKind::Reflection, full), vec!["lesson_plan_form"]);
    }

    #[test]
    fn a_research_project_needs_its_stage_and_may_have_a_level() {
        assert_eq!(fields_failing(RecordKind::ResearchProject, KindFields::default()), vec!["project_stage"]);
        let applied = KindFields { project_stage: Some(ProjectStage::Applied), ..Default::default() };
        assert!(fields_failing(RecordKind::ResearchProject, applied).is_empty());
        let approved =
            KindFields { project_stage: Some(ProjectStage::Approved), project_level: Some(Level::County), ..applied };
        assert!(fields_failing(RecordKind::ResearchProject, approved).is_empty());
        assert_eq!(fields_failing(RecordKind::Paper, approved), vec!["project_level", "project_stage"]);
    }

    #[test]
    fn an_award_needs_level_and_rank_and_nothing_else_takes_them() {
        assert_eq!(fields_failing(RecordKind::Award, KindFields::default()), vec!["award_level", "award_rank"]);
        let level_only = KindFields { award_level: Some(Level::County), ..Default::default() };
        assert_eq!(fields_failing(RecordKind::Award, level_only), vec!["award_rank"]);
        let both = KindFields { award_rank: Some(AwardRank::First), ..level_only };
        assert!(fields_failing(RecordKind::Award, both).is_empty());
        assert_eq!(fields_failing(RecordKind::Paper, both), vec!["award_level", "award_rank"]);
    }

    #[test]
    fn plain_kinds_take_none_of_the_special_fields() {
        for kind in [
            RecordKind::Reflection,
            RecordKind::ReadingNote,
            RecordKind::StudyNote,
            RecordKind::TeachingCase,
            RecordKind::Essay,
            RecordKind::Paper,
            RecordKind::ExperienceSummary,
            RecordKind::Courseware,
        ] {
            assert!(fields_failing(kind, KindFields::default()).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn the_word_count_comes_from_the_body_when_there_is_one() {
        let mut checks = Checks::new();
        assert_eq!(word_count_of(&mut checks, Some("教学反思。"), None), 5);
        assert_eq!(word_count_of(&mut checks, None, Some(3000)), 3000);
        assert_eq!(word_count_of(&mut checks, None, None), 0);
        assert!(checks.is_empty());
        word_count_of(&mut checks, Some("反思"), Some(2));
        word_count_of(&mut checks, None, Some(-1));
        assert!(!checks.is_empty());
    }

    #[test]
    fn whitespace_only_bodies_are_none() {
        let mut checks = Checks::new();
        assert_eq!(clean_body(&mut checks, Some(" \n ")), None);
        assert_eq!(clean_body(&mut checks, Some("  缩进的段落\n")).as_deref(), Some("  缩进的段落\n"));
        assert!(checks.is_empty());
        clean_body(&mut checks, Some(&"字".repeat(MAX_BODY_CHARS + 1)));
        assert!(!checks.is_empty());
    }

    #[test]
    fn late_means_handed_in_after_the_due_day() {
        let due = NaiveDate::from_ymd_opt(2027, 3, 25).unwrap();
        assert!(!is_late(due, Some(due)));
        assert!(is_late(due.succ_opt().unwrap(), Some(due)));
        assert!(!is_late(due.succ_opt().unwrap(), None));
    }

    #[test]
    fn attachments_are_web_urls_or_storage_references() {
        for ok in [
            "https://pan.example.cn/s/abc?x=1",
            "http://192.168.1.5/files/1.pdf",
            "records/2026/王芳-论文.pdf",
            "a.docx",
        ] {
            assert!(is_valid_attachment(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "/etc/passwd",
            "../secret.pdf",
            "records/../../x",
            "有 空格.pdf",
            "",
        ] {
            assert!(!is_valid_attachment(bad), "{bad}");
        }
    }

    #[test]
    fn dates_are_not_in_the_future_and_submission_follows_writing() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut checks = Checks::new();
        check_dates(&mut checks, today, Some(today), today);
        assert!(checks.is_empty());
        check_dates(&mut checks, today.succ_opt().unwrap(), None, today);
        check_dates(&mut checks, today, today.pred_opt(), today);
        assert_eq!(checks.finish().unwrap_err().problem().errors.unwrap().len(), 2);
    }

    fn stored() -> record::Model {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let at = chrono::DateTime::<chrono::Utc>::from_timestamp(1_772_000_000, 0).unwrap();
        record::Model {
            id: 7,
            district_id: 1,
            school_id: 2,
            author_teacher_id: 3,
            semester_id: Some(4),
            kind: RecordKind::Paper,
            title: "课堂提问的层次".into(),
            body: Some("一 二 三".into()),
            attachment_url: Some("records/2026/a.pdf".into()),
            written_on: day,
            word_count: 3,
            hours: None,
            lesson_plan_form: None,
            project_level: None,
            project_stage: None,
            award_level: None,
            award_rank: None,
            activity_id: Some(5),
            observation_id: None,
            task_id: None,
            due_on: None,
            submitted_on: day,
            late: false,
            created_by_user_id: None,
            created_at: at,
            updated_at: at,
            archived_at: None,
        }
    }

    fn patch(json: serde_json::Value) -> RecordPatch {
        serde_json::from_value(json).unwrap()
    }

    fn merged(json: serde_json::Value) -> (record::ActiveModel, Vec<String>) {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let mut checks = Checks::new();
        let active = merge_patch(&mut checks, &stored(), &patch(json), today);
        (active, checks.into_errors().into_iter().map(|e| e.field).collect())
    }

    #[test]
    fn an_absent_field_keeps_the_stored_value() {
        let (a, errors) = merged(serde_json::json!({}));
        assert!(errors.is_empty());
        assert_eq!(a.title, ActiveValue::Unchanged("课堂提问的层次".into()));
        assert_eq!(a.body, ActiveValue::Unchanged(Some("一 二 三".into())));
        assert_eq!(a.attachment_url, ActiveValue::Unchanged(Some("records/2026/a.pdf".into())));
        assert_eq!(a.activity_id, ActiveValue::Unchanged(Some(5)));
        assert_eq!(a.word_count, Set(3));
    }

    #[test]
    fn null_clears_and_a_cleared_body_keeps_no_count() {
        let (a, errors) =
            merged(serde_json::json!({"body": null, "attachment_url": null, "activity_id": null, "word_count": 12}));
        assert!(errors.is_empty());
        assert_eq!(a.body, Set(None));
        assert_eq!(a.attachment_url, Set(None));
        assert_eq!(a.activity_id, Set(None));
        assert_eq!(a.word_count, Set(12));
    }

    #[test]
    fn a_value_replaces_and_a_new_body_recomputes_the_count() {
        let (a, errors) = merged(serde_json::json!({"title": " 追问 ", "body": "甲 乙", "observation_id": 9}));
        assert!(errors.is_empty());
        assert_eq!(a.title, Set("追问".into()));
        assert_eq!(a.body, Set(Some("甲 乙".into())));
        assert_eq!(a.word_count, Set(super::super::words::word_count("甲 乙") as i32));
        assert_eq!(a.observation_id, Set(Some(9)));
    }

    #[test]
    fn a_merged_record_is_checked_as_a_whole() {
        // A new kind needs its own fields; a count beside a body contradicts it; a day in the
        // future is refused.
        let (_, errors) =
            merged(serde_json::json!({"kind": "award", "body": "x", "word_count": 1, "written_on": "2026-04-01"}));
        assert_eq!(errors, ["word_count", "written_on", "written_on", "award_level", "award_rank"]);
    }
}
