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

text_enum! {
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
