//! A semester of work over the roster: group activities (with lessons and attendance),
//! lesson observations (mentors' of their mentees among them) and research records.
//!
//! Each part draws from its own random stream, so the parts do not depend on each other's
//! sizes. `work_scale` multiplies how many rows each part draws (activities: the chance a group
//! meets in a week, at most once a week).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use entities::enums::{ActivityType, GroupKind, LessonKind, Level, RecordKind, TeacherStatus};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;

use super::calendar::Semester;
use super::insert::Batch;
use super::roster::{grade_name, Group, Roster, Teacher, SUBJECTS};
use super::{at, row, GenOptions, AUTUMN_ID, DISTRICT_ID, NO_I64, NO_STR, NO_TIME};
use crate::rng::{Rng, RngExt};

#[derive(Debug, Clone, Copy)]
pub enum Part {
    Activities,
    Observations,
    Records,
}

pub struct Work<'a> {
    r: &'a Roster,
    seed: u64,
    scale: f64,
    until: NaiveDate,
    days: Vec<NaiveDate>,
    weeks: Vec<Vec<NaiveDate>>,
    /// Per school, per subject: the teachers who teach it.
    by_subject: Vec<BTreeMap<&'static str, Vec<usize>>>,
    /// Per zone: its schools.
    zone_schools: Vec<Vec<usize>>,
}

const LESSON_TITLES: &[&str] = &[
    "《秋天》第一课时",
    "《小蝌蚪找妈妈》",
    "《圆的认识》",
    "《分数的初步认识》",
    "Unit 3 At the zoo",
    "《植物的一生》",
    "《认识人民币》",
    "《草船借箭》",
    "《长方形和正方形的面积》",
    "《我们的校园》",
    "《观潮》",
    "《可能性》",
    "《声音的产生》",
    "Unit 5 My clothes",
    "《静夜思》",
    "《两位数乘两位数》",
];
const STRENGTHS: &[&str] = &[
    "教学目标明确，重难点突出",
    "情境创设贴近学生生活",
    "小组合作学习组织有序",
    "板书设计简洁清晰",
    "评价语言丰富，激励性强",
    "注重学生朗读指导",
];
const WEAKNESSES: &[&str] =
    &["学生自主探究时间不足", "提问指向性不够明确", "练习设计层次性不强", "课堂节奏前松后紧", "对学困生关注不够"];
const SUGGESTIONS: &[&str] = &[
    "增加学生动手操作环节",
    "预设学生可能的错误并加以利用",
    "作业分层布置",
    "结合生活实例巩固新知",
    "把课堂还给学生，教师少讲精讲",
    "加强课后反思",
];
const LEAVE_REASONS: &[&str] = &["病假", "外出培训", "家中有事", "参加县教研室会议", "带学生参加比赛"];

fn class_name(grade: i32, n: i32) -> String {
    format!("{}({})班", grade_name(grade), n)
}

impl<'a> Work<'a> {
    pub fn new(r: &'a Roster, opts: &GenOptions, semester: &'a Semester, until: NaiveDate) -> Work<'a> {
        let mut by_subject: Vec<BTreeMap<&'static str, Vec<usize>>> = vec![BTreeMap::new(); r.schools.len()];
        for (i, t) in r.teachers.iter().enumerate() {
            for s in &t.subjects {
                by_subject[t.school].entry(*s).or_default().push(i);
            }
        }
        let mut zone_schools = vec![Vec::new(); r.zones.len()];
        for (i, s) in r.schools.iter().enumerate() {
            zone_schools[s.zone].push(i);
        }
        Work {
            r,
            seed: opts.seed,
            scale: opts.work_scale,
            until,
            days: semester.teaching_days(),
            weeks: semester.teaching_weeks(),
            by_subject,
            zone_schools,
        }
    }

    /// Writes one part; answers the rows written per table.
    pub async fn write(&self, db: &impl ConnectionTrait, part: Part) -> Result<Vec<(&'static str, u64)>, DbErr> {
        match part {
            Part::Activities => self.activities(db).await,
            Part::Observations => self.observations(db).await,
            Part::Records => self.records(db).await,
        }
    }

    /// `n` days spread over the semester's teaching days (one drawn in each n-th of it), those
    /// after `until` left out.
    fn spread_days(&self, rng: &mut Rng, n: usize) -> Vec<NaiveDate> {
        let len = self.days.len();
        (0..n)
            .map(|i| {
                let x = (i as f64 + rng.unit()) / n as f64;
                self.days[((x * len as f64) as usize).min(len - 1)]
            })
            .filter(|d| *d <= self.until)
            .collect()
    }

    // ---------------------------------------------------------------- activities

    async fn activities(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut rng = Rng::stream(self.seed, 2);
        let mut activities = Batch::new(
            "activities",
            &[
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
            ],
        );
        let mut lessons = Batch::new(
            "activity_lessons",
            &[
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
            ],
        );
        let mut participants = Batch::new(
            "activity_participants",
            &[
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
            ],
        );
        let (mut activity_id, mut lesson_id, mut participant_id) = (0i64, 0i64, 0i64);
        for g in &self.r.groups {
            for (day, kind, online) in self.sessions(&mut rng, g) {
                activity_id += 1;
                let a = activity_id;
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
                // Lessons: taught by members, the leader speaking otherwise.
                let mut taught = Vec::new();
                if kind.is_lesson() && !members.is_empty() {
                    let n = if kind == ActivityType::LessonStudy { 2 } else { 1 };
                    for position in 1..=n {
                        let t = *rng.pick(&members);
                        if taught.iter().any(|x: &(usize, i32)| x.0 == t) {
                            continue;
                        }
                        taught.push((t, position));
                    }
                }
                let speaker = taught.first().map(|x| x.0).or(g.leader);
                let topic = format!("{}：{}", g.name, rng.pick(LESSON_TITLES));
                let created = at(day - Days::new(7), 1, rng.below(60) as u32);
                let updated = if held { at(day, 9, rng.below(60) as u32) } else { created };
                activities.queue(row![
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
                    Some(NaiveTime::from_hms_opt(14, 30, 0).expect("a time")),
                    Some(NaiveTime::from_hms_opt(16, 0, 0).expect("a time")),
                    Some(6),
                    Some(7),
                    if online { None } else { Some(format!("{}会议室", self.r.schools[host].name)) },
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
                for (t, position) in &taught {
                    lesson_id += 1;
                    let teacher = &self.r.teachers[*t];
                    let subject = match g.subject {
                        Some(s) if SUBJECTS.contains(&s) && teacher.subjects.contains(&s) => s,
                        _ => teacher.main_subject(),
                    };
                    let grade = g.grade.unwrap_or(teacher.grades[0]);
                    lessons.queue(row![
                        lesson_id,
                        a,
                        *position,
                        teacher.id,
                        subject,
                        Some(grade),
                        Some(class_name(grade, rng.between(1, 4))),
                        lesson_kind_of(kind).code(),
                        Some(rng.pick(LESSON_TITLES).to_string()),
                        created,
                        created
                    ]);
                }
                let mut present: Vec<usize> = Vec::with_capacity(members.len() + 1);
                for t in &members {
                    participant_id += 1;
                    present.push(*t);
                    let teacher = &self.r.teachers[*t];
                    let status = if !held {
                        "pending"
                    } else if teacher.status == TeacherStatus::OnLeave {
                        "on_leave"
                    } else {
                        *rng.weighted(&[("present", 85), ("late", 5), ("on_leave", 5), ("absent", 4), ("pending", 1)])
                    };
                    let signed = matches!(status, "present" | "late")
                        .then(|| at(day, 6, if status == "late" { 35 } else { 20 } + rng.below(10) as u32));
                    let reason = (status == "on_leave").then(|| rng.pick(LEAVE_REASONS).to_string());
                    participants.queue(row![
                        participant_id,
                        a,
                        teacher.id,
                        true,
                        status,
                        reason,
                        signed,
                        NO_I64,
                        created,
                        if held { updated } else { created }
                    ]);
                }
                // A walk-in now and then: a colleague of the host school who is not a member.
                if held && rng.chance(10) {
                    let pool: Vec<usize> = self.r.schools[host].teachers.clone().collect();
                    let t = *rng.pick(&pool);
                    if !present.contains(&t) {
                        participant_id += 1;
                        participants.queue(row![
                            participant_id,
                            a,
                            self.r.teachers[t].id,
                            false,
                            "present",
                            NO_STR,
                            Some(at(day, 6, 25)),
                            NO_I64,
                            updated,
                            updated
                        ]);
                    }
                }
                if activities.full() || lessons.full() || participants.full() {
                    activities.flush(db).await?;
                    lessons.flush(db).await?;
                    participants.flush(db).await?;
                }
            }
        }
        activities.flush(db).await?;
        lessons.flush(db).await?;
        participants.flush(db).await?;
        Ok(vec![
            ("activities", activities.written),
            ("activity_lessons", lessons.written),
            ("activity_participants", participants.written),
        ])
    }

    /// A group's sessions over the semester: (day, type, online).
    fn sessions(&self, rng: &mut Rng, g: &Group) -> Vec<(NaiveDate, ActivityType, bool)> {
        use ActivityType as A;
        let mut out = Vec::new();
        let scale = self.scale;
        let on_weekday = |week: &Vec<NaiveDate>, weekday: u32| {
            week.iter().copied().find(|d| d.weekday().num_days_from_monday() == weekday)
        };
        match g.kind {
            GroupKind::Research => {
                // "语文星期四下午第二节课, 数学星期二下午第二节课, 英语星期三下午第二节课" (seed 000).
                let weekday = match g.subject {
                    Some("语文") => 3,
                    Some("数学") => 1,
                    Some("英语") => 2,
                    _ => 0,
                };
                for week in &self.weeks {
                    if let Some(day) = on_weekday(week, weekday) {
                        if rng.unit() < 0.9 * scale {
                            let kind = *rng.weighted(&[
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
                            ]);
                            out.push((day, kind, false));
                        }
                    }
                }
            }
            GroupKind::LessonPrep => {
                let weekday = (g.id % 5) as u32;
                for (i, week) in self.weeks.iter().enumerate() {
                    if (i as i64 + g.id) % 2 != 0 {
                        continue;
                    }
                    if let Some(day) = on_weekday(week, weekday) {
                        if rng.unit() < 0.6 * scale {
                            let kind = *rng.weighted(&[
                                (A::CollectivePrep, 55),
                                (A::LessonStudy, 15),
                                (A::OpenLesson, 8),
                                (A::DemoLesson, 5),
                                (A::ReportLesson, 4),
                                (A::LessonTalk, 8),
                                (A::Critique, 5),
                            ]);
                            out.push((day, kind, false));
                        }
                    }
                }
            }
            GroupKind::Project => {
                for (i, week) in self.weeks.iter().enumerate() {
                    if (i as i64 + g.id) % 4 != 0 {
                        continue;
                    }
                    if let Some(day) = on_weekday(week, 4) {
                        if rng.unit() < 0.9 * scale {
                            let kind = *rng.weighted(&[
                                (A::TheoryStudy, 40),
                                (A::Salon, 30),
                                (A::Lecture, 20),
                                (A::ResearchLesson, 10),
                            ]);
                            out.push((day, kind, false));
                        }
                    }
                }
            }
            GroupKind::DistrictTeam => {
                // "中心组每学期4次,一次网络,三次实地" (seed 001), and one more now and then.
                let n = self.weeks.len();
                for (k, w) in [n / 6, n * 2 / 6, n * 3 / 6, n * 4 / 6, n * 5 / 6].into_iter().enumerate() {
                    if k == 4 && !rng.chance(50) {
                        continue;
                    }
                    if rng.unit() >= scale {
                        continue;
                    }
                    let Some(day) =
                        on_weekday(&self.weeks[w.min(n - 1)], 2).or(self.weeks[w.min(n - 1)].first().copied())
                    else {
                        continue;
                    };
                    let kind = if k == 1 {
                        A::OnlineResearch
                    } else {
                        *rng.weighted(&[(A::JointResearch, 40), (A::OpenLesson, 30), (A::Lecture, 30)])
                    };
                    out.push((day, kind, k == 1));
                }
            }
            GroupKind::Grade => {}
        }
        out
    }

    // ---------------------------------------------------------------- observations

    async fn observations(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        let mut rng = Rng::stream(self.seed, 3);
        let mut batch = Batch::new(
            "observations",
            &[
                "id",
                "district_id",
                "semester_id",
                "observer_teacher_id",
                "observer_school_id",
                "observed_teacher_id",
                "observed_school_id",
                "observed_name",
                "observed_on",
                "period",
                "subject",
                "grade",
                "class_name",
                "lesson_kind",
                "lesson_title",
                "activity_id",
                "rubric_id",
                "scores",
                "total_score",
                "strengths",
                "weaknesses",
                "suggestions",
                "strengths_count",
                "weaknesses_count",
                "suggestions_count",
                "critique_given",
                "critique",
                "notes",
                "created_by_user_id",
                "created_at",
                "updated_at",
                "archived_at",
            ],
        );
        let mut id = 0i64;
        // Teachers' own observations: ≈ 45 a semester, leaders more, some hardly any.
        for (i, t) in self.r.teachers.iter().enumerate() {
            let weight = if t.status == TeacherStatus::OnLeave {
                0.2
            } else if rng.chance(10) {
                0.25
            } else if t.is_leader() {
                1.8
            } else if !t.posts.is_empty() {
                1.2
            } else {
                1.0
            };
            let jitter = 0.8 + 0.4 * rng.unit();
            let n = rng.round(45.5 * weight * self.scale * jitter);
            for day in self.spread_days(&mut rng, n) {
                let (observed, subject) = self.observed(&mut rng, i);
                let kind = if t.is_leader() {
                    *rng.weighted(&[
                        (LessonKind::Unannounced, 30),
                        (LessonKind::DropIn, 15),
                        (LessonKind::Ordinary, 25),
                        (LessonKind::Open, 15),
                        (LessonKind::Research, 8),
                        (LessonKind::Demo, 4),
                        (LessonKind::Report, 3),
                    ])
                } else {
                    *rng.weighted(&[
                        (LessonKind::Ordinary, 35),
                        (LessonKind::DropIn, 15),
                        (LessonKind::Unannounced, 10),
                        (LessonKind::Open, 18),
                        (LessonKind::Research, 9),
                        (LessonKind::Demo, 5),
                        (LessonKind::Report, 4),
                        (LessonKind::Showcase, 2),
                        (LessonKind::Competition, 2),
                    ])
                };
                id += 1;
                batch.push(db, self.observation(&mut rng, id, i, observed, subject, day, kind)).await?;
            }
        }
        // Mentors observe their mentees about weekly (some pairs only now and then), mentees
        // their mentors a few times.
        for p in &self.r.pairs {
            let chance = if p.sparse { 0.45 } else { 0.9 } * self.scale;
            let subject = self.r.teachers[p.mentee].main_subject();
            for week in &self.weeks {
                let day = *rng.pick(week);
                if rng.unit() < chance && day <= self.until {
                    id += 1;
                    let kind = *rng.weighted(&[
                        (LessonKind::DropIn, 50),
                        (LessonKind::Ordinary, 35),
                        (LessonKind::Unannounced, 15),
                    ]);
                    batch.push(db, self.observation(&mut rng, id, p.mentor, p.mentee, subject, day, kind)).await?;
                }
            }
            let n = rng.round(4.0 * self.scale);
            let subject = self.r.teachers[p.mentor].main_subject();
            for day in self.spread_days(&mut rng, n) {
                id += 1;
                let kind =
                    *rng.weighted(&[(LessonKind::DropIn, 60), (LessonKind::Demo, 25), (LessonKind::Ordinary, 15)]);
                batch.push(db, self.observation(&mut rng, id, p.mentee, p.mentor, subject, day, kind)).await?;
            }
        }
        batch.flush(db).await?;
        Ok(vec![("observations", batch.written)])
    }

    /// Whom a teacher observes and in which subject: mostly a colleague of the same school, mostly
    /// in the observer's own subject.
    fn observed(&self, rng: &mut Rng, observer: usize) -> (usize, &'static str) {
        let t = &self.r.teachers[observer];
        let school = if rng.chance(90) {
            t.school
        } else {
            let zone = &self.zone_schools[self.r.schools[t.school].zone];
            if zone.len() > 1 {
                *rng.pick(zone)
            } else {
                rng.below(self.r.schools.len())
            }
        };
        let subject = if rng.chance(70) {
            *rng.pick(&t.subjects)
        } else {
            *rng.weighted(&[
                ("语文", 30),
                ("数学", 28),
                ("英语", 12),
                ("科学", 10),
                ("体育", 5),
                ("音乐", 5),
                ("美术", 5),
                ("道德与法治", 5),
            ])
        };
        if let Some(pool) = self.by_subject[school].get(subject) {
            let candidates: Vec<usize> = pool.iter().copied().filter(|x| *x != observer).collect();
            if !candidates.is_empty() {
                return (*rng.pick(&candidates), subject);
            }
        }
        let pool: Vec<usize> = self.r.schools[school].teachers.clone().filter(|x| *x != observer).collect();
        let other = *rng.pick(&pool);
        (other, self.r.teachers[other].main_subject())
    }

    #[allow(clippy::too_many_arguments)]
    fn observation(
        &self,
        rng: &mut Rng,
        id: i64,
        observer: usize,
        observed: usize,
        subject: &'static str,
        day: NaiveDate,
        kind: LessonKind,
    ) -> Vec<sea_orm::Value> {
        let (o, d): (&Teacher, &Teacher) = (&self.r.teachers[observer], &self.r.teachers[observed]);
        let grade = *rng.pick(&d.grades);
        let critique = rng.chance(60);
        let take = |rng: &mut Rng, items: &[&str], n: usize| -> Vec<String> {
            let start = rng.below(items.len());
            (0..n.min(items.len())).map(|k| items[(start + k) % items.len()].to_string()).collect()
        };
        let (s, w, g) = if critique {
            let shape = *rng.weighted(&[((1, 1, 1), 40), ((1, 2, 3), 25), ((2, 1, 2), 20), ((3, 2, 2), 15)]);
            (shape.0, shape.1, shape.2)
        } else {
            (rng.below(2), 0, 0)
        };
        let strengths = take(rng, STRENGTHS, s);
        let weaknesses = take(rng, WEAKNESSES, w);
        let suggestions = take(rng, SUGGESTIONS, g);
        let created = at(day, 2 + rng.below(7) as u32, rng.below(60) as u32);
        let archived = rng.below(1000) < 5;
        row![
            id,
            DISTRICT_ID,
            AUTUMN_ID,
            o.id,
            self.r.schools[o.school].id,
            Some(d.id),
            Some(self.r.schools[d.school].id),
            NO_STR,
            day,
            Some(rng.between(1, 7)),
            subject,
            Some(grade),
            Some(class_name(grade, rng.between(1, 4))),
            kind.code(),
            Some(rng.pick(LESSON_TITLES).to_string()),
            NO_I64,
            NO_I64,
            Option::<serde_json::Value>::None,
            Option::<f64>::None,
            json!(strengths),
            json!(weaknesses),
            json!(suggestions),
            strengths.len() as i32,
            weaknesses.len() as i32,
            suggestions.len() as i32,
            critique,
            if critique {
                Some(format!("{}；建议{}", strengths.join("，"), suggestions.join("，")))
            } else {
                None
            },
            NO_STR,
            NO_I64,
            created,
            created,
            if archived { Some(at(day, 10, 0)) } else { None }
        ]
    }

    // ---------------------------------------------------------------- records

    async fn records(&self, db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, DbErr> {
        use RecordKind as K;
        let mut rng = Rng::stream(self.seed, 4);
        let mut records = Batch::new(
            "records",
            &[
                "id",
                "district_id",
                "school_id",
                "author_teacher_id",
                "semester_id",
                "kind",
                "title",
                "body",
                "attachment_url",
                "written_on",
                "word_count",
                "hours",
                "lesson_plan_form",
                "project_level",
                "project_stage",
                "award_level",
                "award_rank",
                "activity_id",
                "observation_id",
                "task_id",
                "due_on",
                "submitted_on",
                "late",
                "created_by_user_id",
                "created_at",
                "updated_at",
                "archived_at",
            ],
        );
        let mut coauthors = Batch::new("record_coauthors", &["record_id", "teacher_id"]);
        // Per teacher and semester: ≈ 48 records (the plan below, × 1.09 to make up for those who write little).
        let plan: &[(RecordKind, f64)] = &[
            (K::Reflection, 18.0),
            (K::LessonPlan, 13.0),
            (K::StudyNote, 6.0),
            (K::ReadingNote, 2.0),
            (K::Essay, 3.0),
            (K::TeachingCase, 1.0),
            (K::Paper, 0.6),
            (K::ExperienceSummary, 0.5),
            (K::Courseware, 1.5),
            (K::Training, 2.0),
            (K::Award, 0.4),
            (K::ResearchProject, 0.3),
        ];
        let mut id = 0i64;
        for t in &self.r.teachers {
            let factor = if t.status == TeacherStatus::OnLeave {
                0.2
            } else if rng.chance(8) {
                0.3
            } else {
                0.85 + 0.3 * rng.unit()
            };
            for (kind, expected) in plan {
                let n = rng.round(expected * 1.09 * factor * self.scale);
                for day in self.spread_days(&mut rng, n) {
                    id += 1;
                    let (words, title) = match kind {
                        K::Reflection => (rng.between(300, 1500), "教学反思"),
                        K::LessonPlan => (0, "教案"),
                        K::StudyNote => (rng.between(300, 3000), "学习心得"),
                        K::ReadingNote => (rng.between(500, 3000), "读书笔记"),
                        K::Essay => (rng.between(500, 2000), "教育随笔"),
                        K::TeachingCase => (rng.between(800, 3000), "教学案例"),
                        K::Paper => (rng.between(1500, 3000), "教学论文"),
                        K::ExperienceSummary => (rng.between(1000, 3000), "经验总结"),
                        K::Courseware => (0, "课件"),
                        K::Training => (0, "培训"),
                        K::Award => (0, "获奖"),
                        K::ResearchProject => (rng.between(300, 3000), "课题"),
                    };
                    let form = (*kind == K::LessonPlan).then(|| {
                        let full = match t.teaching_years() {
                            0..=4 => 90,
                            5..=10 => 65,
                            _ => 50,
                        };
                        if rng.chance(full) {
                            "full"
                        } else {
                            "brief"
                        }
                    });
                    let words = match form {
                        Some("full") => rng.between(1500, 3000),
                        Some(_) => rng.between(300, 800),
                        None => words,
                    };
                    let hours = (*kind == K::Training).then(|| f64::from(rng.between(4, 32)) / 2.0);
                    let (project_level, project_stage) = if *kind == K::ResearchProject {
                        (
                            Some(rng.pick(&[Level::School, Level::County, Level::City, Level::Province]).code()),
                            Some(*rng.pick(&["applied", "approved", "opened", "mid_term", "concluded"])),
                        )
                    } else {
                        (None, None)
                    };
                    let (award_level, award_rank) = if *kind == K::Award {
                        (
                            Some(rng.pick(&[Level::School, Level::District, Level::County, Level::City]).code()),
                            Some(*rng.weighted(&[
                                ("special", 5),
                                ("first", 25),
                                ("second", 35),
                                ("third", 25),
                                ("merit", 10),
                            ])),
                        )
                    } else {
                        (None, None)
                    };
                    // Some records answer a deadline; a few of those come in late.
                    let mut due = None;
                    let mut submitted = day;
                    let mut late = false;
                    if rng.chance(25) {
                        let d = day + Days::new(rng.below(6) as u64);
                        if d <= self.until {
                            due = Some(d);
                            if rng.chance(20) {
                                let s = d + Days::new(1 + rng.below(4) as u64);
                                if s <= self.until {
                                    submitted = s;
                                    late = true;
                                }
                            }
                        }
                    } else if rng.chance(10) && day + Days::new(1) <= self.until {
                        submitted = day + Days::new(1);
                    }
                    let created = at(submitted, 3 + rng.below(10) as u32, rng.below(60) as u32);
                    let archived = rng.below(1000) < 5;
                    records.queue(row![
                        id,
                        DISTRICT_ID,
                        self.r.schools[t.school].id,
                        t.id,
                        AUTUMN_ID,
                        kind.code(),
                        format!("{title}：{}", rng.pick(LESSON_TITLES)),
                        NO_STR,
                        if matches!(kind, K::Courseware | K::Award) {
                            Some(format!("https://files.example.cn/records/{id}.pdf"))
                        } else {
                            None
                        },
                        day,
                        words,
                        hours,
                        form.map(str::to_string),
                        project_level.map(str::to_string),
                        project_stage.map(str::to_string),
                        award_level.map(str::to_string),
                        award_rank.map(str::to_string),
                        NO_I64,
                        NO_I64,
                        NO_I64,
                        due,
                        submitted,
                        late,
                        NO_I64,
                        created,
                        created,
                        if archived { Some(at(submitted, 12, 0)) } else { None }
                    ]);
                    if *kind == K::ResearchProject {
                        let mut pool: Vec<usize> = self.r.schools[t.school]
                            .teachers
                            .clone()
                            .filter(|x| self.r.teachers[*x].id != t.id)
                            .collect();
                        rng.shuffle(&mut pool);
                        for c in pool.into_iter().take(rng.between(2, 4) as usize) {
                            coauthors.queue(row![id, self.r.teachers[c].id]);
                        }
                    }
                    if records.full() || coauthors.full() {
                        records.flush(db).await?;
                        coauthors.flush(db).await?;
                    }
                }
            }
        }
        records.flush(db).await?;
        coauthors.flush(db).await?;
        Ok(vec![("records", records.written), ("record_coauthors", coauthors.written)])
    }
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
