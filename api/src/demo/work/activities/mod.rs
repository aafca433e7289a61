//! The demo's activities: the flagship's weekly research-group sessions generated from their
//! slots, lessons of its lesson-prep groups, a school lecture, the district team's four sessions,
//! the 东片 联片教研 and the 送教下乡 visits of the outreach pairing; with lessons and attendance.

use chrono::{NaiveDate, NaiveTime, TimeDelta};
use entities::enums::{
    ActivityStatus, ActivityType, AttendanceStatus, GroupKind, HonourTitle, LessonKind, Modality, OrganiserKind,
    SummaryDueRule,
};
use entities::{activity, activity_lesson, activity_participant};
use sea_orm::{ActiveModelTrait, DbErr, Set};

use super::super::organisation::{date, school_index, COUNTY_SCHOOL};
use super::super::write::insert_chunked;
use super::{as_of, hm, local, slot_days, teaching_day_from, teaching_days, texts, Work};
use crate::activities::policy::summary_due_on;
use crate::org::calendar::week_number;

mod save;
mod sessions;

use save::save;
use sessions::{
    district_team_sessions, outreach, prep_group_lessons, research_group_sessions, school_lecture, zone_session,
};

/// A lesson taught at a held activity, for the observations that follow it.
#[derive(Debug, Clone)]
pub struct HeldLesson {
    pub activity_id: i64,
    pub day: NaiveDate,
    pub period: Option<i32>,
    pub teacher_id: i64,
    pub subject: String,
    pub grade: i32,
    pub class_name: String,
    pub kind: LessonKind,
    pub title: String,
    /// Who was there (present or late), the teacher excepted.
    pub attended: Vec<i64>,
}

/// A lesson to add to an activity.
struct Lesson {
    teacher_id: i64,
    subject: String,
    grade: i32,
    class_name: String,
    kind: LessonKind,
    title: String,
}

/// The types a research group's weekly sessions go through, one a week (seed 000's "四个一":
/// collective prep, homework showcase, salon and video study every month, with lessons between).
const SESSION_TYPES: [ActivityType; 12] = [
    ActivityType::CollectivePrep,
    ActivityType::ResearchLesson,
    ActivityType::Critique,
    ActivityType::HomeworkShowcase,
    ActivityType::OpenLesson,
    ActivityType::Salon,
    ActivityType::CollectivePrep,
    ActivityType::VideoStudy,
    ActivityType::DemoLesson,
    ActivityType::TheoryStudy,
    ActivityType::LessonStudy,
    ActivityType::ReportLesson,
];

fn label(t: ActivityType) -> &'static str {
    match t {
        ActivityType::CollectivePrep => "集体备课",
        ActivityType::LessonStudy => "课例研讨",
        ActivityType::OpenLesson => "公开课",
        ActivityType::DemoLesson => "示范课",
        ActivityType::ResearchLesson => "研究课",
        ActivityType::ReportLesson => "汇报课",
        ActivityType::Critique => "评课议课",
        ActivityType::TheoryStudy => "理论学习",
        ActivityType::Lecture => "专题讲座",
        ActivityType::Salon => "教学沙龙",
        ActivityType::HomeworkShowcase => "作业展评",
        ActivityType::VideoStudy => "优秀课例视频学习",
        ActivityType::OnlineResearch => "网络教研",
        ActivityType::Outreach => "送教下乡",
        ActivityType::JointResearch => "联片教研",
        _ => "教研活动",
    }
}

fn lesson_kind(t: ActivityType) -> LessonKind {
    match t {
        ActivityType::OpenLesson => LessonKind::Open,
        ActivityType::DemoLesson | ActivityType::Outreach => LessonKind::Demo,
        ActivityType::ReportLesson => LessonKind::Report,
        _ => LessonKind::Research,
    }
}

const LEAVE_REASONS: &[&str] =
    &["外出参加县级培训", "病假", "事假：家中有事", "带学生参加镇中小学生运动会", "监考镇期中质量检测"];

/// Sessions per lesson-prep group up to the as-of day, in the order of the flagship's prep groups:
/// most reach seed 000's "不少于两次上课活动" by the end of term, some are behind.
const PREP_LESSONS: [usize; 11] = [2, 1, 2, 0, 2, 3, 1, 2, 2, 0, 2];

pub(super) async fn write(w: &mut Work<'_>) -> Result<Vec<HeldLesson>, DbErr> {
    let mut out = Output::default();
    research_group_sessions(w, &mut out).await?;
    prep_group_lessons(w, &mut out).await?;
    school_lecture(w, &mut out).await?;
    district_team_sessions(w, &mut out).await?;
    zone_session(w, &mut out).await?;
    outreach(w, &mut out).await?;
    w.counts.participants = out.participants.len();
    w.counts.activity_lessons = out.lessons.len();
    insert_chunked::<activity_lesson::Entity, _>(w.txn, out.lessons.into_iter()).await?;
    insert_chunked::<activity_participant::Entity, _>(w.txn, out.participants.into_iter()).await?;
    Ok(out.held)
}

#[derive(Default)]
struct Output {
    lessons: Vec<activity_lesson::ActiveModel>,
    participants: Vec<activity_participant::ActiveModel>,
    held: Vec<HeldLesson>,
}

/// Where and when: date, times, periods and venue.
struct When {
    day: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    periods: Option<(i32, i32)>,
    venue: Option<String>,
}

/// Who organises: (kind, school, group, zone).
type Organiser = (OrganiserKind, Option<i64>, Option<i64>, Option<i64>);

fn blank(w: &Work<'_>, organiser: Organiser, activity_type: ActivityType, title: String) -> activity::ActiveModel {
    let (kind, school_id, group_id, zone_id) = organiser;
    activity::ActiveModel {
        district_id: Set(w.district.district_id),
        school_id: Set(school_id),
        organiser_kind: Set(kind),
        group_id: Set(group_id),
        zone_id: Set(zone_id),
        pairing_id: Set(None),
        host_school_id: Set(None),
        semester_id: Set(w.semester_id),
        activity_type: Set(activity_type),
        title: Set(title),
        topic: Set(None),
        date: Set(None),
        start_time: Set(None),
        end_time: Set(None),
        start_period: Set(None),
        end_period: Set(None),
        venue: Set(None),
        meeting_url: Set(None),
        modality: Set(Modality::OnSite),
        lead_speaker_teacher_id: Set(None),
        lead_speaker_name: Set(None),
        description: Set(None),
        status: Set(ActivityStatus::Draft),
        cancel_reason: Set(None),
        slot_id: Set(None),
        generated_for: Set(None),
        minutes: Set(None),
        summary: Set(None),
        summary_due_on: Set(None),
        summary_submitted_at: Set(None),
        created_by_user_id: Set(None),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
}

fn set_when(a: &mut activity::ActiveModel, when: &When) {
    a.date = Set(Some(when.day));
    a.start_time = Set(Some(when.start));
    a.end_time = Set(Some(when.end));
    a.start_period = Set(when.periods.map(|p| p.0));
    a.end_period = Set(when.periods.map(|p| p.1));
    a.venue = Set(when.venue.clone());
}

/// The status an activity on `day` has on the as-of day: held up to it, scheduled in the next two
/// teaching weeks, a draft after that.
fn status_on(w: &Work<'_>, day: NaiveDate) -> ActivityStatus {
    let week = |d| week_number(w.calendar.week1_start, d);
    if day <= as_of() {
        ActivityStatus::Held
    } else if week(day) <= week(as_of()) + 2 {
        ActivityStatus::Scheduled
    } else {
        ActivityStatus::Draft
    }
}

/// A lesson by `teacher_id` (a teacher of any demo school) in their subject.
fn lesson(w: &mut Work<'_>, teacher_id: i64, kind: LessonKind) -> Lesson {
    let teacher = w.teacher(teacher_id).0.clone();
    let (grade, class_name) = w.class_of(&teacher);
    let title = w.lesson_title(teacher.spec.subject);
    Lesson { teacher_id, subject: teacher.spec.subject.to_string(), grade, class_name, kind, title }
}
