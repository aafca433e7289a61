//! The rule catalogue: every rule of ../shared/DOMAIN.md's table, as a ready template with the
//! words it comes from. The sources disagree with each other (15 or 20 observations a
//! semester ...), which is why they are templates to pick from, never defaults.

use crate::vocab::{ActivityType, GroupKind, HonourTitle, LessonKind, Modality, Post, RecordKind};
use serde::Serialize;
use utoipa::ToSchema;

use crate::periods::PeriodKind;
use crate::rules::{Applicability, Metric, RuleSpec, Severity, SubjectType};

/// A catalogue rule: a stable id to create a rule from, and the rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Template {
    /// Stable identifier, e.g. `observations-monthly-4`.
    pub id: &'static str,
    #[serde(flatten)]
    pub spec: RuleSpec,
}

fn rule(name: &str, subject_type: SubjectType, metric: Metric, period: PeriodKind, min: f64, source: &str) -> RuleSpec {
    RuleSpec {
        name: name.into(),
        subject_type,
        applies_to: Applicability::default(),
        metric,
        period,
        min,
        max: None,
        severity: Severity::Required,
        family: None,
        priority: 0,
        source: Some(source.into()),
    }
}

fn observations(lesson_kinds: Vec<LessonKind>, same_subject: bool) -> Metric {
    Metric::Observations {
        lesson_kinds,
        same_subject,
        same_school: false,
        critique_given: false,
        feedback_complete: false,
    }
}

fn records(kinds: Vec<RecordKind>) -> Metric {
    Metric::Records { kinds, min_words: None, on_time_only: false, lesson_plan_form: None, include_coauthored: false }
}

fn held(activity_types: Vec<ActivityType>, modality: Option<Modality>) -> Metric {
    Metric::ActivitiesHeld { activity_types, modality }
}

fn teacher(name: &str, metric: Metric, period: PeriodKind, min: f64, source: &str) -> RuleSpec {
    rule(name, SubjectType::Teacher, metric, period, min, source)
}

fn group(name: &str, kinds: Vec<GroupKind>, metric: Metric, period: PeriodKind, min: f64, source: &str) -> RuleSpec {
    RuleSpec {
        applies_to: Applicability { group_kinds: kinds, ..Default::default() },
        ..rule(name, SubjectType::Group, metric, period, min, source)
    }
}

/// One member of a family of alternatives.
fn member(spec: RuleSpec, family: &str, priority: i32, applies_to: Applicability) -> RuleSpec {
    RuleSpec { family: Some(family.into()), priority, applies_to, ..spec }
}

fn posts(posts: Vec<Post>) -> Applicability {
    Applicability { posts, ..Default::default() }
}

fn teaching_years(min: Option<i32>, max: Option<i32>) -> Applicability {
    Applicability { min_teaching_years: min, max_teaching_years: max, ..Default::default() }
}

const LEADERS: [Post; 4] = [Post::Principal, Post::SupervisingLeader, Post::AcademicDirector, Post::MiddleManager];
const LESSON_ACTIVITIES: [ActivityType; 7] = [
    ActivityType::LessonStudy,
    ActivityType::OpenLesson,
    ActivityType::DemoLesson,
    ActivityType::ResearchLesson,
    ActivityType::ReportLesson,
    ActivityType::ShowcaseLesson,
    ActivityType::QualityLesson,
];

/// Every template, in the order of the catalogue.
pub fn templates() -> Vec<Template> {
    use PeriodKind::*;
    let t = |id: &'static str, spec: RuleSpec| Template { id, spec };
    let obs = |kinds: Vec<LessonKind>| observations(kinds, false);
    vec![
        t(
            "observations-monthly-4",
            teacher("教师每月听课不少于4节", obs(vec![]), Month, 4.0, "教师每月听课不少于4节 (seed 000)"),
        ),
        t(
            "observations-semester-15",
            teacher("教师本学期听课不少于15节", obs(vec![]), Semester, 15.0, "教师本学期听课不少于15节 (seed 000)"),
        ),
        t(
            "observations-semester-20",
            teacher("每学期听课20节以上", obs(vec![]), Semester, 20.0, "每学期听课20节以上 (seeds 000, 004)"),
        ),
        // Seed 004: one family, the most senior post decides.
        t(
            "observations-by-post-004-supervising",
            member(
                teacher(
                    "主管领导每期听课不少于30节",
                    obs(vec![]),
                    Semester,
                    30.0,
                    "主管领导每期不少于30节；其余领导15；教研组长15；教师10 (seed 004)",
                ),
                "observations-by-post-004",
                4,
                posts(vec![Post::SupervisingLeader]),
            ),
        ),
        t(
            "observations-by-post-004-leaders",
            member(
                teacher(
                    "其余领导每期听课不少于15节",
                    obs(vec![]),
                    Semester,
                    15.0,
                    "主管领导每期不少于30节；其余领导15；教研组长15；教师10 (seed 004)",
                ),
                "observations-by-post-004",
                3,
                posts(vec![Post::Principal, Post::AcademicDirector, Post::MiddleManager]),
            ),
        ),
        t(
            "observations-by-post-004-group-leaders",
            member(
                teacher(
                    "教研组长每期听课不少于15节",
                    obs(vec![]),
                    Semester,
                    15.0,
                    "主管领导每期不少于30节；其余领导15；教研组长15；教师10 (seed 004)",
                ),
                "observations-by-post-004",
                2,
                posts(vec![Post::ResearchGroupLeader]),
            ),
        ),
        t(
            "observations-by-post-004-teachers",
            member(
                teacher(
                    "教师每期听课不少于10节",
                    obs(vec![]),
                    Semester,
                    10.0,
                    "主管领导每期不少于30节；其余领导15；教研组长15；教师10 (seed 004)",
                ),
                "observations-by-post-004",
                1,
                Applicability::default(),
            ),
        ),
        // Seed 002 gives two different pairs of numbers in two sections.
        t(
            "observations-by-post-002-s6-leaders",
            member(
                teacher(
                    "中层领导听课不少于10节",
                    obs(vec![]),
                    Semester,
                    10.0,
                    "教师不少于5节,中层领导不少于10节 (seed 002, S6)",
                ),
                "observations-by-post-002-s6",
                2,
                posts(LEADERS.to_vec()),
            ),
        ),
        t(
            "observations-by-post-002-s6-teachers",
            member(
                teacher(
                    "教师听课不少于5节",
                    obs(vec![]),
                    Semester,
                    5.0,
                    "教师不少于5节,中层领导不少于10节 (seed 002, S6)",
                ),
                "observations-by-post-002-s6",
                1,
                Applicability::default(),
            ),
        ),
        t(
            "observations-by-post-002-s14-leaders",
            member(
                teacher(
                    "领导听课不少于20节",
                    obs(vec![]),
                    Semester,
                    20.0,
                    "教师不少于10节,领导不少于20节 (seed 002, S14)",
                ),
                "observations-by-post-002-s14",
                2,
                posts(LEADERS.to_vec()),
            ),
        ),
        t(
            "observations-by-post-002-s14-teachers",
            member(
                teacher(
                    "教师听课不少于10节",
                    obs(vec![]),
                    Semester,
                    10.0,
                    "教师不少于10节,领导不少于20节 (seed 002, S14)",
                ),
                "observations-by-post-002-s14",
                1,
                Applicability::default(),
            ),
        ),
        t(
            "group-leader-unannounced-10",
            RuleSpec {
                applies_to: posts(vec![Post::ResearchGroupLeader]),
                ..teacher(
                    "教研组长推门听课每学期不少于10节",
                    obs(vec![LessonKind::Unannounced]),
                    Semester,
                    10.0,
                    "教研组长推门听课每学期不少于10节 (seed 002)",
                )
            },
        ),
        t(
            "same-subject-ordinary-6",
            teacher(
                "最少听6节本学科教师的常态课",
                observations(vec![LessonKind::Ordinary], true),
                Semester,
                6.0,
                "最少听6节本学科教师的常态课 (seed 002)",
            ),
        ),
        t(
            "reflection-monthly-1",
            teacher(
                "每月至少一次教学反思",
                records(vec![RecordKind::Reflection]),
                Month,
                1.0,
                "每月至少进行一次教学反思 (seed 000)",
            ),
        ),
        t(
            "reflection-fortnightly-1",
            teacher(
                "每两周至少一次反思",
                records(vec![RecordKind::Reflection]),
                Fortnight,
                1.0,
                "每两周至少一次反思,每学期上交至少四篇 (seed 002)",
            ),
        ),
        t(
            "reflection-semester-4",
            teacher(
                "每学期上交至少四篇反思",
                records(vec![RecordKind::Reflection]),
                Semester,
                4.0,
                "每两周至少一次反思,每学期上交至少四篇 (seed 002)",
            ),
        ),
        t(
            "reflection-weekly-1",
            teacher(
                "每周做一次教后反思",
                records(vec![RecordKind::Reflection]),
                Week,
                1.0,
                "每周做一次教后反思 (seed 004)",
            ),
        ),
        t(
            "study-note-words-year-5000",
            teacher(
                "一学年学习笔记至少5000字",
                Metric::RecordWords { kinds: vec![RecordKind::StudyNote], on_time_only: false },
                SchoolYear,
                5000.0,
                "一学年至少要完成5000字的学习笔记 (seed 000)",
            ),
        ),
        t(
            "reading-and-study-words-semester-5000",
            teacher(
                "每学期读书笔记和心得体会不少于5000字",
                Metric::RecordWords {
                    kinds: vec![RecordKind::ReadingNote, RecordKind::StudyNote],
                    on_time_only: false,
                },
                Semester,
                5000.0,
                "每学期教学读书笔记和心得体会不得少于5000字 (seed 003)",
            ),
        ),
        t(
            "reading-note-semester-1",
            teacher(
                "每学期一篇读书笔记",
                records(vec![RecordKind::ReadingNote]),
                Semester,
                1.0,
                "每学期读一本教育专著,撰写一篇读书笔记 (seeds 000, 001)",
            ),
        ),
        t(
            "study-notes-monthly-2",
            teacher(
                "每月两篇校本研修心得体会",
                records(vec![RecordKind::StudyNote]),
                Month,
                2.0,
                "每月写两篇校本研修心得体会 (seed 004)",
            ),
        ),
        t(
            "open-or-research-lesson-1",
            teacher(
                "每学期上一节公开课或研究课",
                Metric::LessonsGiven { lesson_kinds: vec![LessonKind::Open, LessonKind::Research] },
                Semester,
                1.0,
                "每学期上一节公开课/研究课 (seeds 000, 002, 004)",
            ),
        ),
        t(
            "backbone-report-or-demo-1",
            RuleSpec {
                applies_to: Applicability { honours: vec![HonourTitle::BackboneTeacher], ..Default::default() },
                ..teacher(
                    "骨干教师每学期上一节汇报课或示范课",
                    Metric::LessonsGiven { lesson_kinds: vec![LessonKind::Report, LessonKind::Demo] },
                    Semester,
                    1.0,
                    "骨干教师每学期上一节汇报课或示范课 (seed 002)",
                )
            },
        ),
        t(
            "research-project-joined-1",
            teacher(
                "每学期至少参与一个课题研究",
                Metric::Records {
                    kinds: vec![RecordKind::ResearchProject],
                    min_words: None,
                    on_time_only: false,
                    lesson_plan_form: None,
                    include_coauthored: true,
                },
                Semester,
                1.0,
                "每学期至少参与一个课题研究 (seed 002)",
            ),
        ),
        t(
            "paper-or-case-1",
            teacher(
                "每学期至少一篇教学论文或个案",
                records(vec![RecordKind::Paper, RecordKind::TeachingCase]),
                Semester,
                1.0,
                "每学期至少一篇教学论文/个案 (seed 002)",
            ),
        ),
        t(
            "paper-500-words-1",
            teacher(
                "论文字数不少于500字",
                Metric::Records {
                    kinds: vec![RecordKind::Paper],
                    min_words: Some(500),
                    on_time_only: false,
                    lesson_plan_form: None,
                    include_coauthored: false,
                },
                Semester,
                1.0,
                "字数不少于500字 (DOMAIN: 论文)",
            ),
        ),
        t(
            "prep-group-lesson-activities-2",
            group(
                "各备课组每学期不少于两次上课活动",
                vec![GroupKind::LessonPrep],
                held(LESSON_ACTIVITIES.to_vec(), None),
                Semester,
                2.0,
                "各备课组每学期不少于两次上课活动 (seed 000)",
            ),
        ),
        t(
            "research-group-open-lesson-reviews-8",
            group(
                "各教研组每学期8节以上公开课评价研讨",
                vec![GroupKind::Research],
                held(vec![ActivityType::OpenLesson, ActivityType::LessonStudy, ActivityType::Critique], None),
                Semester,
                8.0,
                "各教研组每学期8节以上公开课评价研讨 (seed 000)",
            ),
        ),
        t(
            "research-group-collective-prep-2",
            group(
                "各教研组每期至少两次集体备课",
                vec![GroupKind::Research],
                held(vec![ActivityType::CollectivePrep], None),
                Semester,
                2.0,
                "各教研组每期至少两次集体备课 (seed 004)",
            ),
        ),
        t(
            "four-ones-collective-prep",
            group(
                "四个一：每月一次集体备课",
                vec![],
                held(vec![ActivityType::CollectivePrep], None),
                Month,
                1.0,
                "\"四个一\": each month 1 collective prep, 1 homework showcase, 1 salon, 1 video study (seed 000)",
            ),
        ),
        t(
            "four-ones-homework-showcase",
            group(
                "四个一：每月一次作业展评",
                vec![],
                held(vec![ActivityType::HomeworkShowcase], None),
                Month,
                1.0,
                "\"四个一\": each month 1 collective prep, 1 homework showcase, 1 salon, 1 video study (seed 000)",
            ),
        ),
        t(
            "four-ones-salon",
            group(
                "四个一：每月一次沙龙",
                vec![],
                held(vec![ActivityType::Salon], None),
                Month,
                1.0,
                "\"四个一\": each month 1 collective prep, 1 homework showcase, 1 salon, 1 video study (seed 000)",
            ),
        ),
        t(
            "four-ones-video-study",
            group(
                "四个一：每月一次视频学习",
                vec![],
                held(vec![ActivityType::VideoStudy], None),
                Month,
                1.0,
                "\"四个一\": each month 1 collective prep, 1 homework showcase, 1 salon, 1 video study (seed 000)",
            ),
        ),
        t(
            "district-team-online-1",
            group(
                "中心组每学期一次网络教研",
                vec![GroupKind::DistrictTeam],
                held(vec![], Some(Modality::Online)),
                Semester,
                1.0,
                "中心组每学期4次,一次网络,三次实地 (seed 001)",
            ),
        ),
        t(
            "district-team-on-site-3",
            group(
                "中心组每学期三次实地教研",
                vec![GroupKind::DistrictTeam],
                held(vec![], Some(Modality::OnSite)),
                Semester,
                3.0,
                "中心组每学期4次,一次网络,三次实地 (seed 001)",
            ),
        ),
        t(
            "mentor-observes-mentee-weekly",
            rule(
                "师傅每周听徒弟一节课",
                SubjectType::Mentorship,
                Metric::MentorObservesMentee { lesson_kinds: vec![] },
                Week,
                1.0,
                "每周师傅必须要听徒弟一节课 (seed 000)",
            ),
        ),
        t(
            "mentor-observes-mentee-drop-in-2",
            rule(
                "师傅每学期随堂听徒弟课2节以上",
                SubjectType::Mentorship,
                Metric::MentorObservesMentee { lesson_kinds: vec![LessonKind::DropIn] },
                Semester,
                2.0,
                "每学期至少相互随堂听课2节以上 (seed 000)",
            ),
        ),
        t(
            "mentee-observes-mentor-drop-in-2",
            rule(
                "徒弟每学期随堂听师傅课2节以上",
                SubjectType::Mentorship,
                Metric::MenteeObservesMentor { lesson_kinds: vec![LessonKind::DropIn] },
                Semester,
                2.0,
                "每学期至少相互随堂听课2节以上 (seed 000)",
            ),
        ),
        t(
            "attendance-rate-98",
            teacher("参与教研活动率98%", Metric::AttendanceRate, Semester, 0.98, "参与教研活动率98% (seed 002)"),
        ),
        t(
            "full-lesson-plans-under-5-years",
            member(
                teacher(
                    "5年内教龄精备",
                    Metric::FullLessonPlanShare,
                    Semester,
                    1.0,
                    "5年内教龄精备;5—10年精备3/5;10年以上精备1/2 (seed 002)",
                ),
                "full-lesson-plans-002",
                3,
                teaching_years(None, Some(4)),
            ),
        ),
        t(
            "full-lesson-plans-5-to-10-years",
            member(
                teacher(
                    "5—10年教龄精备3/5",
                    Metric::FullLessonPlanShare,
                    Semester,
                    0.6,
                    "5年内教龄精备;5—10年精备3/5;10年以上精备1/2 (seed 002)",
                ),
                "full-lesson-plans-002",
                2,
                teaching_years(Some(5), Some(10)),
            ),
        ),
        t(
            "full-lesson-plans-over-10-years",
            member(
                teacher(
                    "10年以上教龄精备1/2",
                    Metric::FullLessonPlanShare,
                    Semester,
                    0.5,
                    "5年内教龄精备;5—10年精备3/5;10年以上精备1/2 (seed 002)",
                ),
                "full-lesson-plans-002",
                1,
                teaching_years(Some(11), None),
            ),
        ),
    ]
}

/// The template with this id.
pub fn template(id: &str) -> Option<Template> {
    templates().into_iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::rules::{check, select, Profile};

    #[test]
    fn every_template_is_a_valid_rule_with_a_unique_id_and_a_source() {
        let all = templates();
        let ids: BTreeSet<&str> = all.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for t in &all {
            assert!(check(&t.spec).is_empty(), "{}: {:?}", t.id, check(&t.spec));
            assert!(t.spec.source.as_deref().is_some_and(|s| s.contains("seed") || s.contains("DOMAIN")), "{}", t.id);
        }
        // Every row of the catalogue in DOMAIN.md (26 rows; some rows are several rules).
        assert!(all.len() >= 40, "{}", all.len());
    }

    #[test]
    fn seed_004s_family_picks_by_post() {
        let family: Vec<Template> =
            templates().into_iter().filter(|t| t.spec.family.as_deref() == Some("observations-by-post-004")).collect();
        assert_eq!(family.len(), 4);
        let on = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let pick = |posts: Vec<Post>| {
            let p = Profile { posts, ..Default::default() };
            select(&family, |t| &t.spec, &p, on).into_iter().map(|t| t.spec.min).collect::<Vec<_>>()
        };
        assert_eq!(pick(vec![Post::SupervisingLeader]), vec![30.0]);
        assert_eq!(pick(vec![Post::MiddleManager]), vec![15.0]);
        assert_eq!(pick(vec![Post::ResearchGroupLeader]), vec![15.0]);
        assert_eq!(pick(vec![]), vec![10.0]);
    }

    #[test]
    fn the_teaching_years_bands_of_seed_002_do_not_overlap() {
        let family: Vec<Template> =
            templates().into_iter().filter(|t| t.spec.family.as_deref() == Some("full-lesson-plans-002")).collect();
        let on = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        for (start, share) in [(2025, 1.0), (2022, 1.0), (2021, 0.6), (2016, 0.6), (2015, 0.5), (1995, 0.5)] {
            let p = Profile { teaching_start_year: Some(start), ..Default::default() };
            let chosen: Vec<f64> = family
                .iter()
                .filter(|t| crate::rules::applies(&t.spec.applies_to, &p, on))
                .map(|t| t.spec.min)
                .collect();
            assert_eq!(chosen, vec![share], "teaching since {start}");
        }
    }

    #[test]
    fn a_template_is_found_by_id() {
        assert_eq!(template("observations-monthly-4").unwrap().spec.min, 4.0);
        assert!(template("no-such-template").is_none());
    }
}
