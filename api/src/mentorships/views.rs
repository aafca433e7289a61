//! Wire types of the mentorships API.

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::{AssessmentGrade, LessonKind, MentorshipStatus};
use entities::mentorship;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::GRADE_BAND_WARNING;
use crate::validate::nullable;

/// The end assessment of a pair (考核, seed 002).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grade": "excellent", "comment": "徒弟进步明显，汇报课获好评", "reward": "优秀师徒", "assessed_on": "2027-01-15"}))]
pub struct Assessment {
    pub grade: AssessmentGrade,
    pub comment: Option<String>,
    /// What the pair was awarded, if anything (≤ 200 characters).
    pub reward: Option<String>,
    /// Default today; not in the future.
    pub assessed_on: Option<NaiveDate>,
}

/// A mentorship pair as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "school_id": 3, "mentor_teacher_id": 12, "mentee_teacher_id": 27,
    "start_semester_id": 1, "end_semester_id": 2, "start_date": "2026-09-01", "end_date": "2027-07-02",
    "agreement": "师徒双方签订结对协议，为期一学年。",
    "duties": ["师傅每周听徒弟一节课", "每学期指导徒弟上一节有价值的研究课", "师徒每学期相互随堂听课2节以上", "学期末徒弟上汇报课并写结对总结"],
    "status": "active", "grade_band_mismatch": false, "warnings": [], "assessment": null,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct MentorshipView {
    pub id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub mentor_teacher_id: i64,
    pub mentee_teacher_id: i64,
    pub start_semester_id: i64,
    pub end_semester_id: i64,
    /// The pair's first day: quota rules judge it from this day.
    pub start_date: NaiveDate,
    /// The pair's last day (moved forward when it ends early): quota rules judge it up to this
    /// day, and still report it for the periods it ran.
    pub end_date: NaiveDate,
    /// The agreement terms (师徒协议).
    pub agreement: Option<String>,
    pub duties: Vec<String>,
    pub status: MentorshipStatus,
    /// Mentor and mentee taught in different grade bands when the pair was made.
    pub grade_band_mismatch: bool,
    /// What the pair breaks without being refused (a grade-band mismatch under a `warn` policy).
    pub warnings: Vec<String>,
    pub assessment: Option<Assessment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<mentorship::Model> for MentorshipView {
    fn from(m: mentorship::Model) -> Self {
        let duties = serde_json::from_value(m.duties).unwrap_or_default();
        let assessment = m.assessment_grade.map(|grade| Assessment {
            grade,
            comment: m.assessment_comment,
            reward: m.reward,
            assessed_on: m.assessed_on,
        });
        MentorshipView {
            id: m.id,
            district_id: m.district_id,
            school_id: m.school_id,
            mentor_teacher_id: m.mentor_teacher_id,
            mentee_teacher_id: m.mentee_teacher_id,
            start_semester_id: m.start_semester_id,
            end_semester_id: m.end_semester_id,
            start_date: m.start_date,
            end_date: m.end_date,
            agreement: m.agreement,
            duties,
            status: m.status,
            grade_band_mismatch: m.grade_band_mismatch,
            warnings: if m.grade_band_mismatch { vec![GRADE_BAND_WARNING.to_string()] } else { vec![] },
            assessment,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new pair.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mentor_teacher_id": 12, "mentee_teacher_id": 27, "start_semester_id": 1, "end_semester_id": 2,
    "start_date": "2026-10-12", "agreement": "师徒双方签订结对协议，为期一学年。"}))]
pub struct NewMentorship {
    /// A live teacher of a school the caller administers.
    pub mentor_teacher_id: i64,
    /// A live teacher of the mentor's school, not the mentor.
    pub mentee_teacher_id: i64,
    /// A semester of the school's district.
    pub start_semester_id: i64,
    /// Default the start semester; not before it.
    pub end_semester_id: Option<i64>,
    /// The pair's first day (a pair formed in week 7); default the start semester's first day.
    /// Inside the pair's semesters.
    pub start_date: Option<NaiveDate>,
    /// The pair's last day; default the end semester's last day. Inside the pair's semesters,
    /// not before `start_date`.
    pub end_date: Option<NaiveDate>,
    pub agreement: Option<String>,
    /// Default: seed 000's four duties. At most 20.
    #[schema(max_items = 20)]
    pub duties: Option<Vec<String>>,
    /// Default `active`.
    pub status: Option<MentorshipStatus>,
}

/// Changes to a pair; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "completed", "assessment": {"grade": "excellent", "comment": "徒弟进步明显", "reward": "优秀师徒", "assessed_on": "2027-01-15"}}))]
pub struct MentorshipPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub agreement: Option<Option<String>>,
    /// Replaces the duties whole (`null` or `[]` empties them).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<String>>, max_items = 20)]
    pub duties: Option<Option<Vec<String>>>,
    pub end_semester_id: Option<i64>,
    /// A new first day, inside the pair's semesters.
    pub start_date: Option<NaiveDate>,
    /// A new last day, inside the pair's semesters. Default, when `end_semester_id` changes:
    /// that semester's last day; when the pair becomes `terminated`: today (if earlier).
    pub end_date: Option<NaiveDate>,
    /// `active` → `completed` or `terminated`; an ended pair stays ended (and is still judged
    /// by quota rules over the days it ran).
    pub status: Option<MentorshipStatus>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Assessment>)]
    pub assessment: Option<Option<Assessment>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MentorshipFilter {
    pub school_id: Option<i64>,
    /// Pairs with this teacher as mentor or mentee.
    pub teacher_id: Option<i64>,
    pub mentor_teacher_id: Option<i64>,
    pub mentee_teacher_id: Option<i64>,
    /// Pairs whose semesters include this one (by dates).
    pub semester_id: Option<i64>,
    pub status: Option<MentorshipStatus>,
    /// Include archived pairs (default false).
    pub include_archived: Option<bool>,
    /// `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LogFilter {
    /// Only observations of this semester.
    pub semester_id: Option<i64>,
}

/// Who observed whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 师傅听徒弟的课.
    MentorObservedMentee,
    /// 徒弟听师傅的课.
    MenteeObservedMentor,
}

/// One observation between the pair.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"observation_id": 40, "direction": "mentor_observed_mentee", "observed_on": "2026-09-10",
    "semester_id": 1, "subject": "语文", "grade": 3, "class_name": "三(2)班", "lesson_kind": "drop_in",
    "lesson_title": "秋天的雨", "activity_id": null, "critique_given": true, "strengths_count": 1,
    "weaknesses_count": 1, "suggestions_count": 1}))]
pub struct LogEntry {
    pub observation_id: i64,
    pub direction: Direction,
    pub observed_on: NaiveDate,
    /// `null` for an observation dated between semesters.
    pub semester_id: Option<i64>,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub lesson_title: Option<String>,
    pub activity_id: Option<i64>,
    pub critique_given: bool,
    pub strengths_count: i32,
    pub weaknesses_count: i32,
    pub suggestions_count: i32,
}

/// How many observations went each way.
#[derive(Debug, Default, Serialize, ToSchema)]
#[schema(example = json!({"mentor_observed_mentee": 5, "mentee_observed_mentor": 2, "total": 7}))]
pub struct LogCounts {
    pub mentor_observed_mentee: u64,
    pub mentee_observed_mentor: u64,
    pub total: u64,
}

/// A pair's observation log.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"mentorship_id": 1, "mentor_teacher_id": 12, "mentee_teacher_id": 27, "semester_id": null,
    "counts": {"mentor_observed_mentee": 1, "mentee_observed_mentor": 0, "total": 1},
    "entries": [{"observation_id": 40, "direction": "mentor_observed_mentee", "observed_on": "2026-09-10",
    "semester_id": 1, "subject": "语文", "grade": 3, "class_name": "三(2)班", "lesson_kind": "drop_in",
    "lesson_title": "秋天的雨", "activity_id": null, "critique_given": true, "strengths_count": 1,
    "weaknesses_count": 1, "suggestions_count": 1}]}))]
pub struct MentorshipLog {
    pub mentorship_id: i64,
    pub mentor_teacher_id: i64,
    pub mentee_teacher_id: i64,
    pub semester_id: Option<i64>,
    pub counts: LogCounts,
    /// In date order, then by id.
    pub entries: Vec<LogEntry>,
}
