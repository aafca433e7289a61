//! Enumerations stored as text columns and exposed unchanged in the API.
//!
//! Stored values are stable English snake_case codes; the Chinese term each one stands for is
//! given once, in its doc comment (which becomes the OpenAPI description).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a text-backed enumeration with its database, serde and OpenAPI derivations.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        // The per-variant `rename` below is what serde uses; utoipa cannot read a literal that
        // comes through a macro argument, so the container-level `rename_all` is what the
        // OpenAPI document shows. They agree (checked by `codes_are_the_snake_case_names`).
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $value)] #[serde(rename = $value)] $variant),+
        }

        impl $name {
            /// The stored (and serialised) code of this value.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $value),+ }
            }
        }
    };
}

/// Converts between each enumeration of the rule model and its `jiaoyan_quota::vocab` twin of
/// the same name: the same variants, one for one.
macro_rules! vocab_conversions {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        impl From<$name> for jiaoyan_quota::vocab::$name {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => Self::$variant),+ }
            }
        }

        impl From<jiaoyan_quota::vocab::$name> for $name {
            fn from(value: jiaoyan_quota::vocab::$name) -> Self {
                match value { $(jiaoyan_quota::vocab::$name::$variant => Self::$variant),+ }
            }
        }
    };
}

// The enumerations of the rule model (posts, honours, group kinds, employment types, lesson,
// record and activity kinds ...) are written once, in the quota core; here they get the same
// derivations as every other enumeration, and conversions to and from the core's types.
jiaoyan_quota::quota_vocabulary!(text_enum);
jiaoyan_quota::quota_vocabulary!(vocab_conversions);

// Routine inspections (常规检查), in a file of their own (docs/API-DESIGN.md, "Inspections").
#[path = "enums_inspections.rs"]
mod inspections;
pub use inspections::*;

text_enum! {
    /// School tier (学校类别, seed 001).
    SchoolTier {
        /// 县直小学: a county-run school in the county town.
        CountyDirect = "county_direct",
        /// 乡镇中心小学: a township's central school.
        TownshipCentral = "township_central",
        /// 村小及教学点: a village school or teaching point.
        Village = "village",
    }
}

text_enum! {
    /// Kind of school↔school pairing.
    PairingKind {
        /// 城乡结对: an urban school paired with a rural one.
        UrbanRural = "urban_rural",
        /// 手拉手: a sister-school partnership.
        HandInHand = "hand_in_hand",
        /// 送教下乡: the first school sends teaching to the second.
        Outreach = "outreach",
    }
}

text_enum! {
    /// Gender (性别).
    Gender {
        /// 男
        Male = "male",
        /// 女
        Female = "female",
    }
}

text_enum! {
    /// Highest degree (学历).
    Degree {
        /// 中专/中师
        Secondary = "secondary",
        /// 大专
        Associate = "associate",
        /// 本科
        Bachelor = "bachelor",
        /// 硕士
        Master = "master",
        /// 博士
        Doctorate = "doctorate",
    }
}

text_enum! {
    /// Professional title (职称) of a primary-school teacher.
    ProfessionalTitle {
        /// 未定级
        Unranked = "unranked",
        /// 三级教师
        Third = "third",
        /// 二级教师
        Second = "second",
        /// 一级教师
        First = "first",
        /// 高级教师
        Senior = "senior",
        /// 正高级教师
        FullSenior = "full_senior",
    }
}

text_enum! {
    /// Employment status of a teacher.
    TeacherStatus {
        /// 在岗: teaching.
        Active = "active",
        /// 休假/病产假: on long leave.
        OnLeave = "on_leave",
        /// 调离: transferred out.
        Transferred = "transferred",
        /// 退休: retired.
        Retired = "retired",
    }
}

text_enum! {
    /// Level at which an honour or award was given (级别).
    Level {
        /// 校级
        School = "school",
        /// 区级
        District = "district",
        /// 县级
        County = "county",
        /// 市级
        City = "city",
        /// 省级
        Province = "province",
        /// 国家级
        National = "national",
    }
}

text_enum! {
    /// Role of a user account.
    Role {
        /// District administrator (教研室): everything in their district; without a district,
        /// everything in the installation.
        DistrictAdmin = "district_admin",
        /// School administrator (教导处/教科室): everything of one school.
        SchoolAdmin = "school_admin",
        /// Group leader (教研组长/备课组长): the members, slots and topics of the groups they lead.
        GroupLeader = "group_leader",
        /// Teacher: their own records, and read access to their school's organisation.
        Teacher = "teacher",
    }
}

text_enum! {
    /// Grade band (学段) of a primary school.
    GradeBand {
        /// 低段: grades 1–2.
        Lower = "lower",
        /// 中段: grades 3–4.
        Middle = "middle",
        /// 高段: grades 5–6.
        Upper = "upper",
        /// 全段: every grade.
        All = "all",
    }
}

text_enum! {
    /// Role of a teacher inside a group.
    MemberRole {
        /// 组长
        Leader = "leader",
        /// 副组长
        DeputyLeader = "deputy_leader",
        /// 组员
        Member = "member",
    }
}

text_enum! {
    /// Which weeks of the semester a weekly slot meets.
    WeekPattern {
        /// 每周: every teaching week.
        Every = "every",
        /// 单周: odd-numbered weeks.
        Odd = "odd",
        /// 双周: even-numbered weeks.
        Even = "even",
        /// 每两周一次: every second teaching week counted from `first_week`, skipping holiday weeks.
        EveryTwoWeeks = "every_two_weeks",
    }
}

impl GradeBand {
    /// The band a grade (1–6) belongs to.
    pub fn of_grade(grade: i32) -> Option<GradeBand> {
        match grade {
            1 | 2 => Some(GradeBand::Lower),
            3 | 4 => Some(GradeBand::Middle),
            5 | 6 => Some(GradeBand::Upper),
            _ => None,
        }
    }
}

impl ActivityType {
    /// Activity types built around lessons taught in front of observers, which name their
    /// teaching teachers.
    pub fn is_lesson(self) -> bool {
        matches!(
            self,
            Self::LessonStudy
                | Self::OpenLesson
                | Self::DemoLesson
                | Self::ResearchLesson
                | Self::ReportLesson
                | Self::ShowcaseLesson
                | Self::QualityLesson
                | Self::Competition
                | Self::Outreach
        )
    }
}

text_enum! {
    /// Who organises an activity.
    OrganiserKind {
        /// A group (教研组, 备课组, 中心组 ...).
        Group = "group",
        /// A school (its academic office).
        School = "school",
        /// A zone (片区, e.g. 联片教研).
        Zone = "zone",
        /// The district research office.
        District = "district",
    }
}

text_enum! {
    /// Life cycle of an activity: draft → scheduled → held → archived, or cancelled.
    ActivityStatus {
        /// 草稿: planned, the "四定" may be incomplete.
        Draft = "draft",
        /// 已安排: time, topic, place and lead speaker fixed (四定).
        Scheduled = "scheduled",
        /// 已开展: the activity took place.
        Held = "held",
        /// 已归档: minutes and summary filed; read-only.
        Archived = "archived",
        /// 已取消: called off.
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// Attendance of a participant at an activity (考勤).
    AttendanceStatus {
        /// 未签到: not yet recorded.
        Pending = "pending",
        /// 出席
        Present = "present",
        /// 迟到
        Late = "late",
        /// 请假 (with a reason).
        OnLeave = "on_leave",
        /// 缺席
        Absent = "absent",
    }
}

text_enum! {
    /// When an activity's summary (简报) is due.
    SummaryDueRule {
        /// No due date.
        None = "none",
        /// N days after the activity.
        DaysAfter = "days_after",
        /// The first given weekday after the activity ("the Tuesday after", seed 001).
        NextWeekday = "next_weekday",
    }
}

text_enum! {
    /// Stage of a research project (课题).
    ProjectStage {
        /// 申报: applied.
        Applied = "applied",
        /// 立项: approved.
        Approved = "approved",
        /// 开题: opened.
        Opened = "opened",
        /// 中期: mid-term review.
        MidTerm = "mid_term",
        /// 结题: concluded.
        Concluded = "concluded",
    }
}

text_enum! {
    /// Rank of an award (等次).
    AwardRank {
        /// 特等奖
        Special = "special",
        /// 一等奖
        First = "first",
        /// 二等奖
        Second = "second",
        /// 三等奖
        Third = "third",
        /// 优秀奖
        Merit = "merit",
    }
}

text_enum! {
    /// State of a mentorship pair (师徒结对).
    MentorshipStatus {
        /// 进行中
        Active = "active",
        /// 已结业: ended with an assessment.
        Completed = "completed",
        /// 已解除: ended early.
        Terminated = "terminated",
    }
}

text_enum! {
    /// Grade of a mentorship's end assessment (考核等次).
    AssessmentGrade {
        /// 优秀
        Excellent = "excellent",
        /// 良好
        Good = "good",
        /// 合格
        Pass = "pass",
        /// 不合格
        Fail = "fail",
    }
}

text_enum! {
    /// What happens when a pairing rule is broken (e.g. mentor and mentee in different grade bands).
    RuleEnforcement {
        /// Allow, with a warning in the response.
        Warn = "warn",
        /// Refuse with 422.
        Refuse = "refuse",
    }
}

text_enum! {
    /// Level of the body a policy belongs to.
    PolicyScope {
        /// A whole district.
        District = "district",
        /// A zone.
        Zone = "zone",
        /// A school.
        School = "school",
        /// A group.
        Group = "group",
    }
}

text_enum! {
    /// A teacher's part in a collective preparation (集体备课, seed 003).
    PreparationRole {
        /// 主备: writes the draft (初备).
        Lead = "lead",
        /// 副备: reads the draft and writes revision notes (一度调整).
        CoPreparer = "co_preparer",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;
    use utoipa::PartialSchema;

    /// Every code, as serde writes it and as the OpenAPI schema lists it.
    fn check<T: Iterable + Serialize + PartialSchema + Copy + std::fmt::Debug>(code: impl Fn(T) -> &'static str) {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let listed: Vec<String> = schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum list in {schema}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let codes: Vec<String> = T::iter().map(|v| code(v).to_string()).collect();
        for v in T::iter() {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(code(v)), "{v:?}");
        }
        assert_eq!(listed, codes, "the OpenAPI enum must list the codes serde accepts");
    }

    #[test]
    fn codes_are_the_snake_case_names() {
        macro_rules! all {
            ($($t:ident),+) => { $(check::<$t>($t::code);)+ };
        }
        all!(
            SchoolTier,
            PairingKind,
            Gender,
            Degree,
            EmploymentType,
            ProfessionalTitle,
            TeacherStatus,
            Post,
            HonourTitle,
            Level,
            Role,
            GroupKind,
            GradeBand,
            MemberRole,
            WeekPattern,
            ActivityType,
            OrganiserKind,
            Modality,
            ActivityStatus,
            LessonKind,
            AttendanceStatus,
            SummaryDueRule,
            RecordKind,
            LessonPlanForm,
            ProjectStage,
            AwardRank,
            MentorshipStatus,
            AssessmentGrade,
            RuleEnforcement,
            PolicyScope,
            PreparationRole
        );
    }
}
