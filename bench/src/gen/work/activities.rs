//! Group activities over the semester: each group's sessions by its kind's rhythm, with the
//! lessons taught at them and the members' attendance (a walk-in now and then).

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use entities::enums::{ActivityType, GroupKind, LessonKind, TeacherStatus};
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::{class_name, Work, LEAVE_REASONS, LESSON_TITLES};
use crate::gen::insert::Batch;
use crate::gen::roster::{Group, SUBJECTS};
use crate::gen::{at, row, AUTUMN_ID, DISTRICT_ID, NO_I64, NO_STR, NO_TIME};
use crate::rng::{Rng, RngExt};

const ACTIVITY_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "school_id",
    "organiser_kind",
    "group_id",
    "zone_id",
    "pairing_id",
    "host_school_id",
    "semester_id",
    "activity_type",
    "title",
    "topic",
    "date",
    "start_time",
    "end_time",
    "start_period",
    "end_period",
    "venue",
    "meeting_url",
    "modality",
    "lead_speaker_teacher_id",
    "lead_speaker_name",
    "description",
    "status",
    "cancel_reason",
    "slot_id",
    "generated_for",
    "minutes",
    "summary",
    "summary_due_on",
    "summary_submitted_at",
    "created_by_user_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const LESSON_COLUMNS: &[&str] = &[
    "id",
    "activity_id",
    "position",
    "teacher_id",
    "subject",
    "grade",
    "class_name",
    "lesson_kind",
    "title",
    "created_at",
    "updated_at",
];
const PARTICIPANT_COLUMNS: &[&str] = &[
    "id",
    "activity_id",
    "teacher_id",
    "expected",
    "status",
    "leave_reason",
    "signed_in_at",
    "recorded_by_user_id",
    "created_at",
    "updated_at",
];

/// The three tables an activity writes, and their last ids.
struct Rows {
    activities: Batch,
    lessons: Batch,
    participants: Batch,
    activity_id: i64,
    lesson_id: i64,
    participant_id: i64,
}

impl Rows {
    fn full(&self) -> bool {
        self.activities.full() || self.lessons.full() || self.participants.full()
    }

    /// Writes the activities before the rows that refer to them.
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.activities.flush(db).await?;
        self.lessons.flush(db).await?;
        self.participants.flush(db).await
    }
}

/// One activity being generated: what its lessons and attendance depend on.
struct Session<'g> {
    id: i64,
    group: &'g Group,
    day: NaiveDate,
    kind: ActivityType,
    held: bool,
    /// The school whose teachers may walk in.
    host: usize,
    members: Vec<usize>,
    created: chrono::DateTime<chrono::Utc>,
    updated: chrono::DateTime<chrono::Utc>,
}

impl Work<'_> {
    pub(super) async fn activities(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut rng = Rng::stream(self.seed, 2);
        let mut rows = Rows {
            activities: Batch::new("activities", ACTIVITY_COLUMNS),
            lessons: Batch::new("activity_lessons", LESSON_COLUMNS),
            participants: Batch::new("activity_participants", PARTICIPANT_COLUMNS),
            activity_id: 0,
            lesson_id: 0,
            participant_id: 0,
        };
        for g in &self.r.groups {
            for (day, kind, online) in self.sessions(&mut rng, g) {
                rows.activity_id += 1;
                let (session, taught) =
                    self.activity(&mut rng, &mut rows.activities, rows.activity_id, g, day, kind, online);
                self.lessons(&mut rng, &mut rows, &session, &taught);
                self.attendance(&mut rng, &mut rows, &session);
                if rows.full() {
                    rows.flush(db).await?;
                }
            }
        }
        rows.flush(db).await?;
        Ok(vec![
            ("activities", rows.activities.written),
            ("activity_lessons", rows.lessons.written),
            ("activity_participants", rows.participants.written),
        ])
    }

    /// Queues activity `a` of group `g`; answers it and who teaches at it (teacher, position).
    #[allow(clippy::too_many_arguments)]
    fn activity<'g>(
        &self,
        rng: &mut Rng,
        batch: &mut Batch,
        a: i64,
        g: &'g Group,
        day: NaiveDate,
        kind: ActivityType,
        online: bool,
    ) -> (Session<'g>, Vec<(usize, i32)>) {
        let status = if day > self.until {
            "scheduled"
        } else if rng.chance(1) {
            "cancelled"
        } else if day + Days::new(30) < self.until && rng.chance(30) {
            "archived"
        } else {
            "held"
        };
        let held = status == "held" || status == "archived";
        let members: Vec<usize> = g.members_on(day).map(|m| m.teacher).collect();
        let host = match g.school {
            Some(s) => s,
            None => members.get(rng.below(members.len().max(1))).map_or(0, |t| self.r.teachers[*t].school),
        };
        let taught = taught(rng, kind, &members);
        let speaker = taught.first().map(|x| x.0).or(g.leader);
        let topic = format!("{}：{}", g.name, rng.pick(LESSON_TITLES));
        let created = at(day - Days::new(7), 1, rng.below(60) as u32);
        let updated = if held { at(day, 9, rng.below(60) as u32) } else { created };
        let host_name = &self.r.schools[host].name;
        batch.queue(row![
            a,
            DISTRICT_ID,
            g.school.map(|s| self.r.schools[s].id),
            "group",
            Some(g.id),
            NO_I64,
            NO_I64,
            if g.school.is_none() { Some(self.r.schools[host].id) } else { None },
            AUTUMN_ID,
            kind.code(),
            format!("{}{}", g.name, type_label(kind)),
            Some(topic),
            Some(day),
            NaiveTime::from_hms_opt(14, 30, 0),
            NaiveTime::from_hms_opt(16, 0, 0),
            Some(6),
            Some(7),
            if online { None } else { Some(format!("{host_name}会议室")) },
            if online { Some(format!("https://meeting.example.cn/j/{}", 100_000 + a)) } else { None },
            if online { "online" } else { "on_site" },
            speaker.map(|t| self.r.teachers[t].id),
            NO_STR,
            NO_STR,
            status,
            if status == "cancelled" { Some("与县教研室活动冲突，改期".to_string()) } else { None },
            NO_I64,
            Option::<NaiveDate>::None,
            if held { Some("围绕主题开展研讨，形成改进意见。".to_string()) } else { None },
            NO_STR,
            Option::<NaiveDate>::None,
            NO_TIME,
            NO_I64,
            created,
            updated,
            NO_TIME
        ]);
        (Session { id: a, group: g, day, kind, held, host, members, created, updated }, taught)
    }

    /// Queues the lessons taught at `s`.
    fn lessons(&self, rng: &mut Rng, rows: &mut Rows, s: &Session, taught: &[(usize, i32)]) {
        for (t, position) in taught {
            rows.lesson_id += 1;
            let teacher = &self.r.teachers[*t];
            let subject = match s.group.subject {
                Some(x) if SUBJECTS.contains(&x) && teacher.subjects.contains(&x) => x,
                _ => teacher.main_subject(),
            };
            let grade = s.group.grade.unwrap_or(teacher.grades[0]);
            rows.lessons.queue(row![
                rows.lesson_id,
                s.id,
                *position,
                teacher.id,
                subject,
                Some(grade),
                Some(class_name(grade, rng.between(1, 4))),
                lesson_kind_of(s.kind).code(),
                Some(rng.pick(LESSON_TITLES).to_string()),
                s.created,
                s.created
            ]);
        }
    }

    /// Queues the members' attendance at `s`, and a walk-in now and then: a colleague of the
    /// host school who is not a member.
    fn attendance(&self, rng: &mut Rng, rows: &mut Rows, s: &Session) {
        for t in &s.members {
            rows.participant_id += 1;
            let teacher = &self.r.teachers[*t];
            let status = if !s.held {
                "pending"
            } else if teacher.status == TeacherStatus::OnLeave {
                "on_leave"
            } else {
                *rng.weighted(&[("present", 85), ("late", 5), ("on_leave", 5), ("absent", 4), ("pending", 1)])
            };
            let signed = matches!(status, "present" | "late")
                .then(|| at(s.day, 6, if status == "late" { 35 } else { 20 } + rng.below(10) as u32));
            let reason = (status == "on_leave").then(|| rng.pick(LEAVE_REASONS).to_string());
            let updated = if s.held { s.updated } else { s.created };
            rows.participants.queue(participant(
                rows.participant_id,
                s.id,
                teacher.id,
                true,
                status,
                reason,
                signed,
                s.created,
                updated,
            ));
        }
        if s.held && rng.chance(10) {
            let pool: Vec<usize> = self.r.schools[s.host].teachers.clone().collect();
            let t = *rng.pick(&pool);
            if !s.members.contains(&t) {
                rows.participant_id += 1;
                let signed = Some(at(s.day, 6, 25));
                let teacher = self.r.teachers[t].id;
                rows.participants.queue(participant(
                    rows.participant_id,
                    s.id,
                    teacher,
                    false,
                    "present",
                    None,
                    signed,
                    s.updated,
                    s.updated,
                ));
            }
        }
    }

    /// A group's sessions over the semester: (day, type, online).
    fn sessions(&self, rng: &mut Rng, g: &Group) -> Vec<(NaiveDate, ActivityType, bool)> {
        match g.kind {
            GroupKind::Research => self.research_sessions(rng, g),
            GroupKind::LessonPrep => self.prep_sessions(rng, g),
            GroupKind::Project => self.project_sessions(rng, g),
            GroupKind::DistrictTeam => self.team_sessions(rng),
            GroupKind::Grade => Vec::new(),
        }
    }

    /// A research group meets most weeks on its subject's day: "语文星期四下午第二节课,
    /// 数学星期二下午第二节课, 英语星期三下午第二节课" (seed 000).
    fn research_sessions(&self, rng: &mut Rng, g: &Group) -> Vec<(NaiveDate, ActivityType, bool)> {
        use ActivityType as A;
        let weekday = match g.subject {
            Some("语文") => 3,
            Some("数学") => 1,
            Some("英语") => 2,
            _ => 0,
        };
        let kinds = [
            (A::LessonStudy, 20),
            (A::OpenLesson, 15),
            (A::ResearchLesson, 10),
            (A::CollectivePrep, 10),
            (A::TheoryStudy, 12),
            (A::Lecture, 8),
            (A::Salon, 8),
            (A::Critique, 7),
            (A::HomeworkShowcase, 5),
            (A::VideoStudy, 5),
        ];
        self.weekly(rng, |_| true, weekday, 0.9, &kinds)
    }

    /// A lesson-prep group meets every other week, on a weekday of its own.
    fn prep_sessions(&self, rng: &mut Rng, g: &Group) -> Vec<(NaiveDate, ActivityType, bool)> {
        use ActivityType as A;
        let kinds = [
            (A::CollectivePrep, 55),
            (A::LessonStudy, 15),
            (A::OpenLesson, 8),
            (A::DemoLesson, 5),
            (A::ReportLesson, 4),
            (A::LessonTalk, 8),
            (A::Critique, 5),
        ];
        self.weekly(rng, |i| (i as i64 + g.id) % 2 == 0, (g.id % 5) as u32, 0.6, &kinds)
    }

    /// A project group meets every fourth week, on Fridays.
    fn project_sessions(&self, rng: &mut Rng, g: &Group) -> Vec<(NaiveDate, ActivityType, bool)> {
        use ActivityType as A;
        let kinds = [(A::TheoryStudy, 40), (A::Salon, 30), (A::Lecture, 20), (A::ResearchLesson, 10)];
        self.weekly(rng, |i| (i as i64 + g.id) % 4 == 0, 4, 0.9, &kinds)
    }

    /// On `weekday` of the weeks `meets` picks (by index), a session with chance `chance` (×
    /// the work scale), of a type drawn from `kinds`; all on site.
    fn weekly(
        &self,
        rng: &mut Rng,
        meets: impl Fn(usize) -> bool,
        weekday: u32,
        chance: f64,
        kinds: &[(ActivityType, u32)],
    ) -> Vec<(NaiveDate, ActivityType, bool)> {
        let mut out = Vec::new();
        for (i, week) in self.weeks.iter().enumerate() {
            if !meets(i) {
                continue;
            }
            if let Some(day) = on_weekday(week, weekday) {
                if rng.unit() < chance * self.scale {
                    out.push((day, *rng.weighted(kinds), false));
                }
            }
        }
        out
    }

    /// "中心组每学期4次,一次网络,三次实地" (seed 001), and one more now and then.
    fn team_sessions(&self, rng: &mut Rng) -> Vec<(NaiveDate, ActivityType, bool)> {
        use ActivityType as A;
        let mut out = Vec::new();
        let n = self.weeks.len();
        for (k, w) in [n / 6, n * 2 / 6, n * 3 / 6, n * 4 / 6, n * 5 / 6].into_iter().enumerate() {
            if k == 4 && !rng.chance(50) {
                continue;
            }
            if rng.unit() >= self.scale {
                continue;
            }
            let week = &self.weeks[w.min(n - 1)];
            let Some(day) = on_weekday(week, 2).or(week.first().copied()) else {
                continue;
            };
            let kind = if k == 1 {
                A::OnlineResearch
            } else {
                *rng.weighted(&[(A::JointResearch, 40), (A::OpenLesson, 30), (A::Lecture, 30)])
            };
            out.push((day, kind, k == 1));
        }
        out
    }
}

/// Who teaches at an activity of `kind` among `members`: (teacher, position), none twice.
fn taught(rng: &mut Rng, kind: ActivityType, members: &[usize]) -> Vec<(usize, i32)> {
    let mut taught: Vec<(usize, i32)> = Vec::new();
    if kind.is_lesson() && !members.is_empty() {
        let n = if kind == ActivityType::LessonStudy { 2 } else { 1 };
        for position in 1..=n {
            let t = *rng.pick(members);
            if taught.iter().any(|x| x.0 == t) {
                continue;
            }
            taught.push((t, position));
        }
    }
    taught
}

/// An `activity_participants` row.
#[allow(clippy::too_many_arguments)]
fn participant(
    id: i64,
    activity: i64,
    teacher: i64,
    expected: bool,
    status: &str,
    reason: Option<String>,
    signed: Option<chrono::DateTime<chrono::Utc>>,
    created: chrono::DateTime<chrono::Utc>,
    updated: chrono::DateTime<chrono::Utc>,
) -> Vec<Value> {
    row![id, activity, teacher, expected, status, reason, signed, NO_I64, created, updated]
}

/// The day of `week` that is `weekday` (0 = Monday), if it is a teaching day.
fn on_weekday(week: &[NaiveDate], weekday: u32) -> Option<NaiveDate> {
    week.iter().copied().find(|d| d.weekday().num_days_from_monday() == weekday)
}

fn type_label(kind: ActivityType) -> &'static str {
    use ActivityType as A;
    match kind {
        A::CollectivePrep => "集体备课",
        A::LessonStudy => "课例研讨",
        A::OpenLesson => "公开课",
        A::DemoLesson => "示范课",
        A::ResearchLesson => "研究课",
        A::ReportLesson => "汇报课",
        A::ShowcaseLesson => "观摩课",
        A::QualityLesson => "优质课",
        A::LessonTalk => "说课",
        A::Critique => "评课",
        A::TheoryStudy => "理论学习",
        A::Lecture => "专题讲座",
        A::Salon => "教研沙龙",
        A::Competition => "赛课",
        A::OnlineResearch => "网络教研",
        A::Outreach => "送教下乡",
        A::JointResearch => "联片教研",
        A::HomeworkShowcase => "作业展评",
        A::VideoStudy => "视频学习",
        A::Other => "活动",
    }
}

fn lesson_kind_of(kind: ActivityType) -> LessonKind {
    use ActivityType as A;
    match kind {
        A::OpenLesson => LessonKind::Open,
        A::DemoLesson | A::Outreach => LessonKind::Demo,
        A::ResearchLesson | A::LessonStudy => LessonKind::Research,
        A::ReportLesson => LessonKind::Report,
        A::ShowcaseLesson => LessonKind::Showcase,
        A::QualityLesson | A::Competition => LessonKind::Competition,
        _ => LessonKind::Ordinary,
    }
}
