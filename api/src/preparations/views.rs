//! Wire types of the collective-preparation API.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::PreparationRole;
use entities::{preparation, preparation_note, preparation_participant};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{
    draft_status, next_due, notes_status, reflection_status, stage_of, DraftStatus, NextDue, PartStatus, Section, Stage,
};

/// A new preparation: a lesson of a group, its lead and co-preparers, and the session day.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"group_id": 4, "grade": 3, "unit_title": "第三单元", "lesson_title": "秋天的雨",
    "lead_teacher_id": 12, "activity_id": 31}))]
pub struct NewPreparation {
    /// A live group of a school the caller manages the contents of.
    pub group_id: i64,
    /// Default the group's subject.
    pub subject: Option<String>,
    /// 1–9.
    pub grade: i32,
    /// The textbook unit (≤ 200 characters).
    pub unit_title: Option<String>,
    /// The lesson (≤ 200 characters).
    pub lesson_title: String,
    /// A live member of the group (主备).
    pub lead_teacher_id: i64,
    /// 副备: default every other live member of the group. At least one ("坚决杜绝'一人备课，全体分享'", seed 000).
    pub co_preparer_teacher_ids: Option<Vec<i64>>,
    /// The collective-prep activity of the group where the lesson is discussed.
    pub activity_id: Option<i64>,
    /// The session day; default the activity's date. Required without an activity.
    pub session_on: Option<NaiveDate>,
}

/// The lead's draft (初备).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sections": [{"title": "教学目标", "body": "1. 能正确、流利地朗读课文。"},
    {"title": "教学过程", "body": "一、谈话导入……"}]}))]
pub struct DraftBody {
    pub sections: Vec<Section>,
}

/// A co-preparer's revision note (一度调整) on one section of the draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"section": 1, "body": "导入部分可以用落叶图片，更贴近学生生活。"}))]
pub struct NewNote {
    /// Index (from 0) of a section of the draft.
    pub section: i32,
    /// 1–5,000 characters.
    pub body: String,
}

/// The consensus plan after the session (二度调整).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "按讨论意见调整导入与朗读指导环节，增加小组合作。"}))]
pub struct ConsensusBody {
    /// 1–20,000 characters.
    pub body: String,
}

/// A teacher's post-lesson reflection (三度调整): a new reflection record written from `body`, or
/// an existing reflection record of the teacher (`record_id`). Exactly one of the two.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "学生对秋天的色彩感受较深，朗读指导还需加强。"}))]
pub struct NewReflection {
    /// The reflection's text; a `reflection` record is created with it.
    pub body: Option<String>,
    /// Default "《lesson》教后反思".
    pub title: Option<String>,
    /// An existing live reflection record of the teacher, not linked to another preparation.
    pub record_id: Option<i64>,
}

/// One revision note.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "teacher_id": 13, "section": 1, "body": "导入部分可以用落叶图片。", "written_on": "2026-10-13"}))]
pub struct NoteView {
    pub id: i64,
    pub teacher_id: i64,
    pub section: i32,
    pub body: String,
    pub written_on: NaiveDate,
}

impl From<preparation_note::Model> for NoteView {
    fn from(n: preparation_note::Model) -> Self {
        NoteView { id: n.id, teacher_id: n.teacher_id, section: n.section, body: n.body, written_on: n.written_on }
    }
}

/// A teacher of the preparation and where their parts stand.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"teacher_id": 13, "role": "co_preparer", "notes_status": "done", "notes_count": 2,
    "first_noted_on": "2026-10-13", "reflection_status": "pending", "reflection_record_id": null, "reflected_on": null}))]
pub struct PreparerView {
    pub teacher_id: i64,
    pub role: PreparationRole,
    /// The co-preparer's notes (一度调整); `null` for the lead.
    pub notes_status: Option<PartStatus>,
    pub notes_count: u64,
    pub first_noted_on: Option<NaiveDate>,
    /// The post-lesson reflection (三度调整).
    pub reflection_status: PartStatus,
    /// The `records` row (kind `reflection`) of the reflection.
    pub reflection_record_id: Option<i64>,
    pub reflected_on: Option<NaiveDate>,
}

/// The lead's draft and where it stands.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"lead_days": 3, "due_on": "2026-10-12", "status": "on_time", "submitted_on": "2026-10-11",
    "sections": [{"title": "教学目标", "body": "1. 能正确、流利地朗读课文。"}]}))]
pub struct DraftView {
    /// Days before the session it is due, from the policy when the preparation was made.
    pub lead_days: i32,
    pub due_on: NaiveDate,
    pub status: DraftStatus,
    pub submitted_on: Option<NaiveDate>,
    /// Empty until submitted.
    pub sections: Vec<Section>,
}

/// The consensus plan.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"body": "按讨论意见调整导入与朗读指导环节。", "teacher_id": 12, "on": "2026-10-15"}))]
pub struct ConsensusView {
    pub body: String,
    /// Who wrote it: the lead or the group's leader.
    pub teacher_id: Option<i64>,
    pub on: NaiveDate,
}

/// A preparation with every stage.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 5, "district_id": 1, "school_id": 3, "group_id": 4, "semester_id": 1, "activity_id": 31,
    "subject": "语文", "grade": 3, "unit_title": "第三单元", "lesson_title": "秋天的雨", "lead_teacher_id": 12,
    "session_on": "2026-10-15", "stage": "notes", "next_due": {"stage": "notes", "due_on": "2026-10-15", "teacher_ids": [14]},
    "draft": {"lead_days": 3, "due_on": "2026-10-12", "status": "on_time", "submitted_on": "2026-10-11",
      "sections": [{"title": "教学目标", "body": "1. 能正确、流利地朗读课文。"}]},
    "participants": [{"teacher_id": 12, "role": "lead", "notes_status": null, "notes_count": 0, "first_noted_on": null,
      "reflection_status": "not_yet", "reflection_record_id": null, "reflected_on": null}],
    "notes": [], "consensus": null, "completed_on": null,
    "created_at": "2026-10-05T08:00:00Z", "updated_at": "2026-10-11T08:00:00Z", "archived_at": null}))]
pub struct PreparationView {
    pub id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub group_id: i64,
    pub semester_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub subject: String,
    pub grade: i32,
    pub unit_title: Option<String>,
    pub lesson_title: String,
    pub lead_teacher_id: i64,
    pub session_on: NaiveDate,
    pub stage: Stage,
    /// What is due next, by whom; `null` once completed.
    pub next_due: Option<NextDue>,
    pub draft: DraftView,
    pub participants: Vec<PreparerView>,
    pub notes: Vec<NoteView>,
    pub consensus: Option<ConsensusView>,
    /// The day the last stage was done.
    pub completed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

fn participant_view(
    p: &preparation::Model,
    t: &preparation_participant::Model,
    notes_count: u64,
    today: NaiveDate,
) -> PreparerView {
    PreparerView {
        teacher_id: t.teacher_id,
        role: t.role,
        notes_status: (t.role == PreparationRole::CoPreparer).then(|| notes_status(p, t.first_noted_on, today)),
        notes_count,
        first_noted_on: t.first_noted_on,
        reflection_status: reflection_status(p, t.reflected_on),
        reflection_record_id: t.reflection_record_id,
        reflected_on: t.reflected_on,
    }
}

impl PreparationView {
    pub fn new(
        p: preparation::Model,
        participants: &[preparation_participant::Model],
        notes: Vec<preparation_note::Model>,
        today: NaiveDate,
    ) -> Self {
        let people = participants
            .iter()
            .map(|t| {
                let count = notes.iter().filter(|n| n.teacher_id == t.teacher_id).count() as u64;
                participant_view(&p, t, count, today)
            })
            .collect();
        let sections = p.draft_sections.clone().and_then(|s| serde_json::from_value(s).ok()).unwrap_or_default();
        PreparationView {
            stage: stage_of(&p, today),
            next_due: next_due(&p, participants, today),
            draft: DraftView {
                lead_days: p.draft_lead_days,
                due_on: p.draft_due_on,
                status: draft_status(&p, today),
                submitted_on: p.draft_submitted_on,
                sections,
            },
            participants: people,
            notes: notes.into_iter().map(NoteView::from).collect(),
            consensus: match (&p.consensus_body, p.consensus_on) {
                (Some(body), Some(on)) => {
                    Some(ConsensusView { body: body.clone(), teacher_id: p.consensus_teacher_id, on })
                }
                _ => None,
            },
            id: p.id,
            district_id: p.district_id,
            school_id: p.school_id,
            group_id: p.group_id,
            semester_id: p.semester_id,
            activity_id: p.activity_id,
            subject: p.subject,
            grade: p.grade,
            unit_title: p.unit_title,
            lesson_title: p.lesson_title,
            lead_teacher_id: p.lead_teacher_id,
            session_on: p.session_on,
            completed_on: p.completed_on,
            created_at: p.created_at,
            updated_at: p.updated_at,
            archived_at: p.archived_at,
        }
    }
}

/// A preparation in a list: the lesson, its stage and what is due next.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 5, "school_id": 3, "group_id": 4, "subject": "语文", "grade": 3, "lesson_title": "秋天的雨",
    "lead_teacher_id": 12, "co_preparer_teacher_ids": [13, 14], "session_on": "2026-10-15", "draft_due_on": "2026-10-12",
    "draft_status": "late", "stage": "notes", "next_due": {"stage": "notes", "due_on": "2026-10-15", "teacher_ids": [14]},
    "completed_on": null}))]
pub struct PreparationSummary {
    pub id: i64,
    pub school_id: i64,
    pub group_id: i64,
    pub subject: String,
    pub grade: i32,
    pub lesson_title: String,
    pub lead_teacher_id: i64,
    pub co_preparer_teacher_ids: Vec<i64>,
    pub session_on: NaiveDate,
    pub draft_due_on: NaiveDate,
    pub draft_status: DraftStatus,
    pub stage: Stage,
    pub next_due: Option<NextDue>,
    pub completed_on: Option<NaiveDate>,
}

impl PreparationSummary {
    pub fn new(p: preparation::Model, participants: &[preparation_participant::Model], today: NaiveDate) -> Self {
        PreparationSummary {
            draft_status: draft_status(&p, today),
            stage: stage_of(&p, today),
            next_due: next_due(&p, participants, today),
            co_preparer_teacher_ids: participants
                .iter()
                .filter(|t| t.role == PreparationRole::CoPreparer)
                .map(|t| t.teacher_id)
                .collect(),
            id: p.id,
            school_id: p.school_id,
            group_id: p.group_id,
            subject: p.subject,
            grade: p.grade,
            lesson_title: p.lesson_title,
            lead_teacher_id: p.lead_teacher_id,
            session_on: p.session_on,
            draft_due_on: p.draft_due_on,
            completed_on: p.completed_on,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreparationFilter {
    pub school_id: Option<i64>,
    /// A group's preparations.
    pub group_id: Option<i64>,
    /// A teacher's preparations: as lead or co-preparer.
    pub teacher_id: Option<i64>,
    /// Sessions in this semester (by date).
    pub semester_id: Option<i64>,
    /// Sessions on or after this day.
    pub from: Option<NaiveDate>,
    /// Sessions on or before this day.
    pub to: Option<NaiveDate>,
    /// Only preparations in this stage today.
    pub stage: Option<Stage>,
    /// Include archived preparations (default false).
    pub include_archived: Option<bool>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
