//! The vocabulary of the rule model: the enumerations a rule filters on and a profile holds
//! (posts, honours, group kinds, employment types, lesson, record and activity kinds ...).
//!
//! Their variant lists, stored codes and doc comments are written once, here, in
//! [`quota_vocabulary!`](crate::quota_vocabulary): a macro that hands each enumeration to a macro
//! of the caller's choosing. This crate expands it with a plain `text_enum!` (serde and OpenAPI
//! only); the `entities` crate expands it with its own, which adds the sea-orm derivations that
//! store them as text columns, and with one that converts between the two types of each name.
//! Both serialise to the same codes and derive the same OpenAPI schema.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Hands every enumeration of the rule model to the macro `$m`, one invocation each, in the
/// syntax `$m! { /// docs  Name { /// docs  Variant = "code", ... } }`.
#[macro_export]
macro_rules! quota_vocabulary {
    ($m:ident) => {
        $m! {
            /// Employment type (用工类型).
            EmploymentType {
                /// 正式/在编: permanent staff.
                Permanent = "permanent",
                /// 合同: contract teacher.
                Contract = "contract",
                /// 支教: seconded support teacher.
                Support = "support",
                /// 兼职: part-time.
                PartTime = "part_time",
            }
        }
        $m! {
            /// Leadership post (职务).
            Post {
                /// 校长
                Principal = "principal",
                /// 分管/主管领导 (副校长 in charge of teaching)
                SupervisingLeader = "supervising_leader",
                /// 教导主任
                AcademicDirector = "academic_director",
                /// 中层干部
                MiddleManager = "middle_manager",
                /// 教研组长
                ResearchGroupLeader = "research_group_leader",
                /// 备课组长
                PrepGroupLeader = "prep_group_leader",
            }
        }
        $m! {
            /// Honour title (荣誉称号).
            HonourTitle {
                /// 名师
                RenownedTeacher = "renowned_teacher",
                /// 学科带头人
                SubjectLeader = "subject_leader",
                /// 骨干教师
                BackboneTeacher = "backbone_teacher",
                /// 教坛新秀
                RisingStar = "rising_star",
                /// 教学能手
                TeachingExpert = "teaching_expert",
            }
        }
        $m! {
            /// Kind of group.
            GroupKind {
                /// 教研组: a school's teaching-research group, by subject.
                Research = "research",
                /// 备课组: a lesson-prep group, by subject and grade band.
                LessonPrep = "lesson_prep",
                /// 年级组: a grade group.
                Grade = "grade",
                /// 课题组: a research-project group.
                Project = "project",
                /// 中心组: a district subject team whose members come from many schools.
                DistrictTeam = "district_team",
            }
        }
        $m! {
            /// Type of a teaching-research activity (教研活动类型).
            ActivityType {
                /// 集体备课: collective lesson preparation.
                CollectivePrep = "collective_prep",
                /// 课例研讨: lesson study (the same lesson prepared, taught, observed and critiqued).
                LessonStudy = "lesson_study",
                /// 公开课: open lesson.
                OpenLesson = "open_lesson",
                /// 示范课: demonstration lesson.
                DemoLesson = "demo_lesson",
                /// 研究课: research lesson.
                ResearchLesson = "research_lesson",
                /// 汇报课: report lesson (e.g. a mentee's at semester end).
                ReportLesson = "report_lesson",
                /// 观摩课: observation lesson.
                ShowcaseLesson = "showcase_lesson",
                /// 优质课: quality lesson.
                QualityLesson = "quality_lesson",
                /// 说课: lesson-design talk.
                LessonTalk = "lesson_talk",
                /// 评课: lesson critique session.
                Critique = "critique",
                /// 理论学习: theory study.
                TheoryStudy = "theory_study",
                /// 专题讲座: lecture.
                Lecture = "lecture",
                /// 沙龙/论坛: salon or forum.
                Salon = "salon",
                /// 赛课/比武: teaching competition.
                Competition = "competition",
                /// 网络教研: online research session.
                OnlineResearch = "online_research",
                /// 送教下乡: outreach teaching to rural schools.
                Outreach = "outreach",
                /// 联片教研: multi-school (zone) session.
                JointResearch = "joint_research",
                /// 作业展评: homework showcase and review (one of seed 000's "四个一").
                HomeworkShowcase = "homework_showcase",
                /// 视频学习: studying a recorded lesson (one of seed 000's "四个一").
                VideoStudy = "video_study",
                /// 其他: anything else.
                Other = "other",
            }
        }
        $m! {
            /// Where an activity takes place.
            Modality {
                /// 线下: on site.
                OnSite = "on_site",
                /// 线上: online.
                Online = "online",
            }
        }
        $m! {
            /// Kind of lesson, for lessons observed or taught (课型).
            LessonKind {
                /// 推门课: unannounced.
                Unannounced = "unannounced",
                /// 随堂课: drop-in, announced shortly before.
                DropIn = "drop_in",
                /// 常态课: an ordinary lesson.
                Ordinary = "ordinary",
                /// 公开课: open lesson.
                Open = "open",
                /// 示范课: demonstration lesson.
                Demo = "demo",
                /// 研究课: research lesson.
                Research = "research",
                /// 汇报课: report lesson.
                Report = "report",
                /// 观摩课: observation lesson.
                Showcase = "showcase",
                /// 优质课/赛课: quality or competition lesson.
                Competition = "competition",
            }
        }
        $m! {
            /// Kind of research record a teacher produces.
            RecordKind {
                /// 教学反思
                Reflection = "reflection",
                /// 教案 (full 详案 or brief 简案).
                LessonPlan = "lesson_plan",
                /// 读书笔记
                ReadingNote = "reading_note",
                /// 学习心得/学习笔记
                StudyNote = "study_note",
                /// 教学案例/个案
                TeachingCase = "teaching_case",
                /// 教育随笔
                Essay = "essay",
                /// 教学论文
                Paper = "paper",
                /// 经验总结
                ExperienceSummary = "experience_summary",
                /// 课件
                Courseware = "courseware",
                /// 培训 attended (with hours).
                Training = "training",
                /// 课题 research project (with level and stage).
                ResearchProject = "research_project",
                /// 获奖 award (with level and rank).
                Award = "award",
            }
        }
        $m! {
            /// Form of a lesson plan.
            LessonPlanForm {
                /// 详案: full plan.
                Full = "full",
                /// 简案: brief plan.
                Brief = "brief",
            }
        }
    };
}

/// Declares a text-backed enumeration with its serde and OpenAPI derivations (the same ones, and
/// the same attributes, as the `entities` crate's, less the database).
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        // The per-variant `rename` below is what serde uses; utoipa cannot read a literal that
        // comes through a macro argument, so the container-level `rename_all` is what the
        // OpenAPI document shows. They agree (checked by `codes_are_the_snake_case_names`).
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $value)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            /// The stored (and serialised) code of this value.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $value),+ }
            }
        }
    };
}

quota_vocabulary!(text_enum);

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    use super::*;

    /// Every code, as serde writes it and as the OpenAPI schema lists it.
    fn check<T: Serialize + PartialSchema + Copy + std::fmt::Debug>(all: &[T], code: impl Fn(T) -> &'static str) {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let listed: Vec<String> = schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum list in {schema}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let codes: Vec<String> = all.iter().map(|v| code(*v).to_string()).collect();
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(code(*v)), "{v:?}");
        }
        assert_eq!(listed, codes, "the OpenAPI enum must list the codes serde accepts");
    }

    #[test]
    fn codes_are_the_snake_case_names() {
        macro_rules! all {
            ($($t:ident),+) => { $(check::<$t>($t::ALL, $t::code);)+ };
        }
        all!(
            EmploymentType,
            Post,
            HonourTitle,
            GroupKind,
            ActivityType,
            Modality,
            LessonKind,
            RecordKind,
            LessonPlanForm
        );
    }
}
