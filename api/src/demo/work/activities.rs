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

/// Saves the activity, then its lessons and its participants: pending when scheduled, with
/// their attendance when held (the lesson teachers always present). Held activities get minutes
/// and a summary due the Tuesday after (seed 001); one in five summaries came in late.
async fn save(
    w: &mut Work<'_>,
    out: &mut Output,
    mut a: activity::ActiveModel,
    participants: &[i64],
    lessons: Vec<Lesson>,
) -> Result<i64, DbErr> {
    let status = a.status.clone().unwrap();
    let day = a.date.clone().unwrap();
    let start = a.start_time.clone().unwrap();
    let period = a.start_period.clone().unwrap();
    let mut attendance = Vec::new();
    if status == ActivityStatus::Held {
        let day = day.expect("a held activity has a date");
        let start = start.expect("a held activity has a start time");
        for &teacher_id in participants {
            let teaches = lessons.iter().any(|l| l.teacher_id == teacher_id);
            let roll = if teaches { 0 } else { w.rng.below(100) };
            let (state, reason, signed_in) = match roll {
                0..=83 => {
                    let early = w.rng.between(0, 15);
                    (AttendanceStatus::Present, None, Some(start - TimeDelta::minutes(early.into())))
                }
                84..=91 => {
                    let late = w.rng.between(6, 20);
                    (AttendanceStatus::Late, None, Some(start + TimeDelta::minutes(late.into())))
                }
                92..=96 => (AttendanceStatus::OnLeave, Some(w.rng.pick(LEAVE_REASONS).to_string()), None),
                _ => (AttendanceStatus::Absent, None, None),
            };
            attendance.push((teacher_id, state, reason, signed_in.map(|t| local(day, t))));
        }
        let came = attendance.iter().filter(|p| matches!(p.1, AttendanceStatus::Present | AttendanceStatus::Late));
        let came = came.count();
        let minutes = texts::minutes(&mut w.rng);
        let due = summary_due_on(SummaryDueRule::NextWeekday, Some(2), day).expect("the Tuesday after");
        let handed_in = if w.rng.chance(20) {
            due + TimeDelta::days(w.rng.between(1, 4).into())
        } else {
            day + TimeDelta::days(w.rng.between(0, (due - day).num_days() as i32).into())
        };
        let handed_in = handed_in.min(as_of()).max(day);
        a.summary = Set(Some(format!(
            "本次活动应到{}人，实到{}人。{}",
            participants.len(),
            came,
            minutes.split('。').next().unwrap_or_default()
        )));
        a.minutes = Set(Some(minutes));
        a.summary_due_on = Set(Some(due));
        a.summary_submitted_at = Set(Some(local(handed_in, hm(20, 30))));
    } else if status == ActivityStatus::Scheduled {
        attendance = participants.iter().map(|&t| (t, AttendanceStatus::Pending, None, None)).collect();
    }
    let id = a.insert(w.txn).await?.id;
    w.counts.activities += 1;
    match status {
        ActivityStatus::Held => w.counts.held += 1,
        ActivityStatus::Scheduled => w.counts.scheduled += 1,
        ActivityStatus::Draft => w.counts.drafts += 1,
        ActivityStatus::Cancelled => w.counts.cancelled += 1,
        ActivityStatus::Archived => {}
    }
    let attended: Vec<i64> = attendance
        .iter()
        .filter(|p| matches!(p.1, AttendanceStatus::Present | AttendanceStatus::Late))
        .map(|p| p.0)
        .collect();
    for (teacher_id, state, reason, signed_in) in attendance {
        out.participants.push(activity_participant::ActiveModel {
            activity_id: Set(id),
            teacher_id: Set(teacher_id),
            expected: Set(true),
            status: Set(state),
            leave_reason: Set(reason),
            signed_in_at: Set(signed_in),
            recorded_by_user_id: Set(None),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            ..Default::default()
        });
    }
    for (position, lesson) in lessons.into_iter().enumerate() {
        if status == ActivityStatus::Held {
            out.held.push(HeldLesson {
                activity_id: id,
                day: day.expect("a held activity has a date"),
                period,
                teacher_id: lesson.teacher_id,
                subject: lesson.subject.clone(),
                grade: lesson.grade,
                class_name: lesson.class_name.clone(),
                kind: lesson.kind,
                title: lesson.title.clone(),
                attended: attended.iter().copied().filter(|t| *t != lesson.teacher_id).collect(),
            });
        }
        out.lessons.push(activity_lesson::ActiveModel {
            activity_id: Set(id),
            position: Set(position as i32 + 1),
            teacher_id: Set(lesson.teacher_id),
            subject: Set(lesson.subject),
            grade: Set(Some(lesson.grade)),
            class_name: Set(Some(lesson.class_name)),
            lesson_kind: Set(lesson.kind),
            title: Set(Some(lesson.title)),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            ..Default::default()
        });
    }
    Ok(id)
}

/// A lesson by `teacher_id` (a teacher of any demo school) in their subject.
fn lesson(w: &mut Work<'_>, teacher_id: i64, kind: LessonKind) -> Lesson {
    let teacher = w.teacher(teacher_id).0.clone();
    let (grade, class_name) = w.class_of(&teacher);
    let title = w.lesson_title(teacher.spec.subject);
    Lesson { teacher_id, subject: teacher.spec.subject.to_string(), grade, class_name, kind, title }
}

/// The flagship's research groups meet in their weekly slots (seed 000); every session carries
/// its slot and day, as the slot generator makes them. 英语's session of 28 October was called off.
async fn research_group_sessions(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let specs = w.plan.schools[w.district.flagship].groups.clone();
    for (n, (group, spec)) in school.groups.iter().zip(&specs).enumerate() {
        let (Some(slot), Some(slot_id)) = (&spec.slot, group.slot_id) else { continue };
        let topic = spec.topic.map(|t| t.0.to_string());
        for (k, day) in slot_days(&w.calendar, slot.weekday, slot.pattern, slot.first_week).into_iter().enumerate() {
            let status = status_on(w, day);
            if week_number(w.calendar.week1_start, day) > week_number(w.calendar.week1_start, as_of()) + 4 {
                break;
            }
            let t = SESSION_TYPES[(k + 3 * n) % SESSION_TYPES.len()];
            let others: Vec<i64> =
                group.member_ids.iter().copied().filter(|id| *id != group.leader_teacher_id).collect();
            let mut lessons = Vec::new();
            let lead = if t.is_lesson() {
                let teacher_id = match t {
                    // 示范课: the group's honoured teacher, when it has one.
                    ActivityType::DemoLesson => group
                        .member_ids
                        .iter()
                        .copied()
                        .find(|id| !w.teacher(*id).0.spec.honours.is_empty())
                        .unwrap_or(group.leader_teacher_id),
                    // 汇报课: its youngest teacher.
                    ActivityType::ReportLesson => {
                        *group.member_ids.iter().max_by_key(|id| w.teacher(**id).0.spec.birth_date).expect("members")
                    }
                    _ => *w.rng.pick(&others),
                };
                lessons.push(lesson(w, teacher_id, lesson_kind(t)));
                teacher_id
            } else if t == ActivityType::CollectivePrep {
                *w.rng.pick(&others) // 主备人
            } else {
                group.leader_teacher_id
            };
            let title = match lessons.first() {
                Some(l) => format!("{}{}：{}", group.name, label(t), l.title),
                None => format!("{}{}（第{}周）", group.name, label(t), week_number(w.calendar.week1_start, day)),
            };
            let mut a = blank(w, (OrganiserKind::Group, Some(school.id), Some(group.id), None), t, title);
            set_when(
                &mut a,
                &When {
                    day,
                    start: hm(slot.start.0, slot.start.1),
                    end: hm(slot.end.0, slot.end.1),
                    periods: Some((slot.period, slot.period)),
                    venue: Some(slot.venue.to_string()),
                },
            );
            a.slot_id = Set(Some(slot_id));
            a.generated_for = Set(Some(day));
            a.status = Set(status);
            if status != ActivityStatus::Draft {
                a.topic = Set(topic.clone());
                a.lead_speaker_teacher_id = Set(Some(lead));
            }
            let participants = if group.name == "英语教研组" && day == date(2026, 10, 28) {
                a.status = Set(ActivityStatus::Cancelled);
                a.cancel_reason = Set(Some("全体英语教师参加县小学英语优质课观摩，本周活动取消。".into()));
                Vec::new()
            } else {
                group.member_ids.clone()
            };
            save(w, out, a, &participants, lessons).await?;
        }
    }
    Ok(())
}

/// Lessons of the lesson-prep groups (research or open lessons in a classroom, in the morning),
/// [`PREP_LESSONS`] of them each; the groups without one have one scheduled for next week.
async fn prep_group_lessons(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let days = teaching_days(&w.calendar, date(2026, 9, 14), as_of());
    let prep: Vec<_> = school.groups.iter().filter(|g| g.kind == GroupKind::LessonPrep).cloned().collect();
    for (n, group) in prep.iter().enumerate() {
        let count = PREP_LESSONS[n % PREP_LESSONS.len()];
        let mut planned: Vec<(NaiveDate, ActivityStatus)> =
            (0..count).map(|_| (*w.rng.pick(&days), ActivityStatus::Held)).collect();
        if count == 0 {
            let day = teaching_day_from(&w.calendar, as_of() + TimeDelta::days(4 + n as i64 % 3));
            planned.push((day, ActivityStatus::Scheduled));
        }
        planned.sort();
        for (k, (day, status)) in planned.into_iter().enumerate() {
            let t = if k % 2 == 0 { ActivityType::ResearchLesson } else { ActivityType::OpenLesson };
            let teacher_id = group.member_ids[(n + k + 1) % group.member_ids.len()];
            let l = lesson(w, teacher_id, lesson_kind(t));
            let title = format!("{}{}：{}", group.name, label(t), l.title);
            let mut a = blank(w, (OrganiserKind::Group, Some(school.id), Some(group.id), None), t, title);
            set_when(
                &mut a,
                &When {
                    day,
                    start: hm(10, 10),
                    end: hm(10, 50),
                    periods: Some((3, 3)),
                    venue: Some(format!("{}教室", l.class_name)),
                },
            );
            a.status = Set(status);
            a.topic = Set(Some(format!("{}：同课研讨，课后按“三个一”评课", l.title)));
            a.lead_speaker_teacher_id = Set(Some(teacher_id));
            save(w, out, a, &group.member_ids, vec![l]).await?;
        }
    }
    Ok(())
}

/// The academic office's start-of-term lecture for every teacher of the flagship.
async fn school_lecture(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let director = school
        .teachers
        .iter()
        .find(|t| t.spec.has_post(entities::enums::Post::AcademicDirector))
        .expect("an academic director")
        .id;
    let mut a = blank(
        w,
        (OrganiserKind::School, Some(school.id), None, None),
        ActivityType::Lecture,
        "新学期教学常规培训".into(),
    );
    set_when(
        &mut a,
        &When {
            day: date(2026, 9, 7),
            start: hm(15, 40),
            end: hm(17, 0),
            periods: Some((7, 8)),
            venue: Some("学校会议室".into()),
        },
    );
    a.status = Set(ActivityStatus::Held);
    a.topic = Set(Some("备课、上课、作业批改与听评课的常规要求（seed 000、004）".into()));
    a.lead_speaker_teacher_id = Set(Some(director));
    let everyone: Vec<i64> = school.teachers.iter().map(|t| t.id).collect();
    save(w, out, a, &everyone, Vec::new()).await?;
    Ok(())
}

/// 中心组: four sessions a semester, one online and three on site (seed 001), in turn at schools of
/// the three zones. Two are held, one scheduled, the last still a draft.
async fn district_team_sessions(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let team = w.district.district_team.clone();
    let county = w.district.schools[COUNTY_SCHOOL].id;
    let sessions = [
        (date(2026, 9, 24), ActivityType::OnlineResearch, None, "线上研讨：农村小学语文有效课堂的评价标准"),
        (date(2026, 10, 29), ActivityType::LessonStudy, Some(county), "课例研讨：阅读课的提问设计"),
        (
            date(2026, 12, 3),
            ActivityType::Salon,
            Some(w.district.schools[school_index("三里畈小学")].id),
            "沙龙：整本书阅读在农村小学的推进",
        ),
        (
            date(2027, 1, 7),
            ActivityType::Lecture,
            Some(w.district.schools[school_index("骆驼坳小学")].id),
            "专题讲座：期末复习的有效策略",
        ),
    ];
    for (day, t, host, title) in sessions {
        let status = status_on(w, day);
        let mut a = blank(w, (OrganiserKind::Group, None, Some(team.id), None), t, format!("{}{}", team.name, title));
        set_when(&mut a, &When { day, start: hm(8, 30), end: hm(11, 30), periods: None, venue: None });
        a.status = Set(status);
        a.host_school_id = Set(host);
        match host {
            None => {
                a.modality = Set(Modality::Online);
                a.meeting_url = Set(Some("https://meeting.tencent.com/dm/luotian-yuwen".into()));
            }
            Some(_) => a.venue = Set(Some("学校录播教室".into())),
        }
        let mut lessons = Vec::new();
        if status != ActivityStatus::Draft {
            a.topic = Set(Some(title.split('：').nth(1).unwrap_or(title).to_string()));
            if t == ActivityType::OnlineResearch {
                a.lead_speaker_name = Set(Some("县教研室小学语文教研员".into()));
            } else {
                a.lead_speaker_teacher_id = Set(Some(team.leader_teacher_id));
            }
        }
        if t.is_lesson() {
            lessons.push(lesson(w, team.leader_teacher_id, LessonKind::Research));
        }
        save(w, out, a, &team.member_ids, lessons).await?;
    }
    Ok(())
}

/// 东片联片教研, hosted by its lead school 大河岸中心小学: the 教研组长 of every 东片 school.
async fn zone_session(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let zone_id = w.district.zone_ids[0];
    let flagship = w.flagship().clone();
    let mut invited: Vec<i64> = Vec::new();
    for school in w.district.schools.iter().filter(|s| s.zone_id == Some(zone_id)) {
        for g in school.groups.iter().filter(|g| g.kind == GroupKind::Research) {
            if !invited.contains(&g.leader_teacher_id) {
                invited.push(g.leader_teacher_id);
            }
        }
    }
    let speaker = flagship.group("语文教研组").expect("语文教研组").leader_teacher_id;
    let mut a = blank(
        w,
        (OrganiserKind::Zone, None, None, Some(zone_id)),
        ActivityType::JointResearch,
        "东片联片教研：有效课堂与分层作业".into(),
    );
    set_when(
        &mut a,
        &When {
            day: date(2026, 10, 22),
            start: hm(8, 30),
            end: hm(11, 40),
            periods: Some((1, 3)),
            venue: Some("大河岸中心小学电教室".into()),
        },
    );
    a.host_school_id = Set(Some(flagship.id));
    a.status = Set(ActivityStatus::Held);
    a.topic = Set(Some("构建有效课堂：分层作业设计经验交流（seed 001）".into()));
    a.lead_speaker_teacher_id = Set(Some(speaker));
    save(w, out, a, &invited, Vec::new()).await?;
    Ok(())
}

/// 送教下乡 (seed 001: the 东片 lead school sends a demonstration lesson every month) to the
/// partner of the outreach pairing: October and November held, December already scheduled.
async fn outreach(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let flagship = w.flagship().clone();
    let partner = w.district.schools[school_index("九资河镇罗家畈教学点")].clone();
    let pairing_id = w.district.pairing_ids[1];
    let honoured = |title: HonourTitle| {
        flagship.teachers.iter().filter(move |t| t.spec.honours.iter().any(|h| h.title == title)).map(|t| t.id)
    };
    let backbone = honoured(HonourTitle::BackboneTeacher).next().expect("a backbone teacher");
    let rising: Vec<i64> = honoured(HonourTitle::RisingStar).collect();
    let director = flagship
        .teachers
        .iter()
        .find(|t| t.spec.has_post(entities::enums::Post::AcademicDirector))
        .expect("an academic director")
        .id;
    for (day, teacher_id) in
        [(date(2026, 10, 15), backbone), (date(2026, 11, 12), rising[3]), (date(2026, 12, 10), rising[0])]
    {
        // Planned a month ahead, so the December visit is already scheduled (四定 complete).
        let status = if day <= as_of() { ActivityStatus::Held } else { ActivityStatus::Scheduled };
        let l = lesson(w, teacher_id, LessonKind::Demo);
        let mut a = blank(
            w,
            (OrganiserKind::School, Some(flagship.id), None, None),
            ActivityType::Outreach,
            format!("送教下乡：{}（{}）", l.title, partner.name),
        );
        set_when(
            &mut a,
            &When {
                day,
                start: hm(9, 0),
                end: hm(11, 0),
                periods: Some((2, 3)),
                venue: Some(format!("{}教室", partner.name)),
            },
        );
        a.pairing_id = Set(Some(pairing_id));
        a.host_school_id = Set(Some(partner.id));
        a.status = Set(status);
        a.topic = Set(Some(format!("示范课{}及评课交流", l.title)));
        a.lead_speaker_teacher_id = Set(Some(teacher_id));
        let mut participants = vec![teacher_id, director];
        participants.extend(partner.teachers.iter().map(|t| t.id));
        save(w, out, a, &participants, vec![l]).await?;
    }
    Ok(())
}
