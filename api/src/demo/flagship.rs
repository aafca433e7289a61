//! The flagship school, 大河岸中心小学: 60 teachers matching seed 004's statistics exactly, and
//! the three-level structure of seed 000 (教导处 → 教研组 → 备课组).
//!
//! Seed 004: "专任教师60人 … 35周岁以下青年教师35人 … 35周岁至50周岁以下中年教师23人 … 50岁以上教师2人
//! … 本科学历36人 … 中级职称教师13人 … 县级学科带头人、骨干教师各1人，县级教坛新秀5人". Ages are
//! counted on [`census_date`](super::people::census_date) (2026-11-23); 中级 is the title `first`.

use chrono::Datelike;
use entities::enums::{
    Degree, EmploymentType, Gender, GradeBand, GroupKind, HonourTitle, Level, MemberRole, Post, ProfessionalTitle,
    WeekPattern,
};

use super::groups::{GroupSpec, SlotSpec};
use super::people::{birth_date_for, start_year, HonourSpec, Names, TeacherSpec};

const F: Gender = Gender::Female;
const M: Gender = Gender::Male;
const SEC: Degree = Degree::Secondary;
const ASSOC: Degree = Degree::Associate;
const BACH: Degree = Degree::Bachelor;
const MAST: Degree = Degree::Master;
const UNR: ProfessionalTitle = ProfessionalTitle::Unranked;
const THIRD: ProfessionalTitle = ProfessionalTitle::Third;
const SECOND: ProfessionalTitle = ProfessionalTitle::Second;
const FIRST: ProfessionalTitle = ProfessionalTitle::First;
const SENIOR: ProfessionalTitle = ProfessionalTitle::Senior;
const P: EmploymentType = EmploymentType::Permanent;
const C: EmploymentType = EmploymentType::Contract;
const SU: EmploymentType = EmploymentType::Support;
const PREP: Post = Post::PrepGroupLeader;
const RESEARCH: Post = Post::ResearchGroupLeader;

const fn county(title: HonourTitle, year: i32) -> Option<HonourSpec> {
    Some(HonourSpec { title, level: Level::County, year })
}
const fn rising(year: i32) -> Option<HonourSpec> {
    county(HonourTitle::RisingStar, year)
}

type Row = (
    &'static str,
    &'static [i32],
    i32,
    Gender,
    Degree,
    ProfessionalTitle,
    EmploymentType,
    &'static [Post],
    Option<HonourSpec>,
);

/// subject, grades, age on 2026-11-23, gender, degree, title, employment, posts, honour.
#[rustfmt::skip]
const ROSTER: [Row; 60] = [
    // 语文: four teachers per grade, one lesson-prep group per grade.
    ("语文", &[1], 52, F, SEC, FIRST, P, &[], None),
    ("语文", &[1], 37, F, ASSOC, FIRST, P, &[PREP], None),
    ("语文", &[1], 24, F, BACH, UNR, P, &[], None),
    ("语文", &[1], 23, F, BACH, UNR, C, &[], None),
    ("语文", &[2], 41, F, ASSOC, FIRST, P, &[PREP], None),
    ("语文", &[2], 29, F, BACH, THIRD, P, &[], None),
    ("语文", &[2], 26, F, BACH, THIRD, P, &[], None),
    ("语文", &[2], 22, F, BACH, UNR, C, &[], None),
    ("语文", &[3], 36, F, ASSOC, SECOND, P, &[PREP], None),
    ("语文", &[3], 31, F, BACH, SECOND, P, &[], rising(2024)),
    ("语文", &[3], 27, F, BACH, THIRD, P, &[], None),
    ("语文", &[3], 44, F, ASSOC, SECOND, P, &[], None),
    ("语文", &[4], 46, F, BACH, FIRST, P, &[RESEARCH],
        Some(HonourSpec { title: HonourTitle::RenownedTeacher, level: Level::City, year: 2023 })),
    ("语文", &[4], 33, M, BACH, SECOND, P, &[PREP], None),
    ("语文", &[4], 25, F, BACH, UNR, P, &[], None),
    ("语文", &[4], 40, F, ASSOC, FIRST, P, &[], None),
    ("语文", &[5], 39, M, BACH, FIRST, P, &[Post::AcademicDirector], None),
    ("语文", &[5], 35, F, BACH, SECOND, P, &[PREP], None),
    ("语文", &[5], 28, F, BACH, THIRD, P, &[], rising(2025)),
    ("语文", &[5], 26, F, MAST, UNR, P, &[], None),
    ("语文", &[6], 38, F, BACH, FIRST, P, &[PREP], county(HonourTitle::BackboneTeacher, 2024)),
    ("语文", &[6], 30, F, BACH, SECOND, P, &[], None),
    ("语文", &[6], 26, F, BACH, THIRD, P, &[], None),
    ("语文", &[6], 47, F, ASSOC, SECOND, P, &[], None),
    // 数学: three per grade in grades 1–4, six in the 五六年级 group.
    ("数学", &[1], 42, F, ASSOC, FIRST, P, &[PREP], None),
    ("数学", &[1], 25, F, BACH, UNR, P, &[], None),
    ("数学", &[1], 23, M, BACH, UNR, C, &[], None),
    ("数学", &[2], 34, F, BACH, SECOND, P, &[PREP], None),
    ("数学", &[2], 28, F, BACH, THIRD, P, &[], None),
    ("数学", &[2], 45, F, SEC, SECOND, P, &[], None),
    ("数学", &[3], 36, F, ASSOC, SECOND, P, &[Post::MiddleManager], None),
    ("数学", &[3], 32, F, BACH, SECOND, P, &[PREP], rising(2023)),
    ("数学", &[3], 24, F, BACH, UNR, P, &[], None),
    ("数学", &[4], 38, M, ASSOC, FIRST, P, &[PREP], None),
    ("数学", &[4], 27, F, BACH, THIRD, P, &[], None),
    ("数学", &[4], 22, F, BACH, UNR, P, &[], None),
    ("数学", &[5], 43, M, ASSOC, FIRST, P, &[RESEARCH], county(HonourTitle::SubjectLeader, 2022)),
    ("数学", &[6], 45, F, BACH, FIRST, P, &[Post::SupervisingLeader], None),
    ("数学", &[6], 37, F, ASSOC, SECOND, P, &[PREP], None),
    ("数学", &[5], 30, M, BACH, SECOND, P, &[], rising(2024)),
    ("数学", &[5], 26, F, BACH, THIRD, SU, &[], None),
    ("数学", &[6], 48, F, SEC, SECOND, P, &[], None),
    // 英语: one group that is both 教研组 and 备课组.
    ("英语", &[5, 6], 34, F, BACH, SECOND, P, &[RESEARCH], rising(2025)),
    ("英语", &[3, 4], 29, F, BACH, THIRD, P, &[], None),
    ("英语", &[1, 2], 25, F, MAST, UNR, P, &[], None),
    ("英语", &[1, 2], 23, F, BACH, UNR, C, &[], None),
    ("英语", &[5, 6], 40, F, ASSOC, SECOND, P, &[], None),
    ("英语", &[3, 4], 31, F, BACH, SECOND, P, &[], None),
    // 综合: everything else.
    ("道德与法治", &[5, 6], 54, M, ASSOC, SENIOR, P, &[Post::Principal], None),
    ("体育", &[4, 5, 6], 41, M, ASSOC, FIRST, P, &[RESEARCH], None),
    ("体育", &[1, 2, 3], 28, M, BACH, THIRD, P, &[], None),
    ("体育", &[1, 2], 24, M, BACH, UNR, C, &[], None),
    ("音乐", &[1, 2, 3], 36, F, ASSOC, SECOND, P, &[], None),
    ("音乐", &[4, 5, 6], 27, F, BACH, THIRD, P, &[], None),
    ("美术", &[4, 5, 6], 44, M, SEC, SECOND, P, &[], None),
    ("美术", &[1, 2, 3], 25, F, BACH, UNR, P, &[], None),
    ("科学", &[3, 4], 39, M, ASSOC, FIRST, P, &[], None),
    ("科学", &[5, 6], 33, M, ASSOC, SECOND, P, &[], None),
    ("科学", &[1, 2], 32, F, ASSOC, SECOND, P, &[], None),
    ("信息技术", &[3, 4, 5, 6], 29, M, BACH, SECOND, P, &[], None),
];

/// The 60 teachers, named from `names`.
pub fn staff(names: &mut Names) -> Vec<TeacherSpec> {
    ROSTER
        .iter()
        .enumerate()
        .map(|(n, &(subject, grades, age, gender, degree, title, employment, posts, honour))| {
            let birth_date = birth_date_for(age, n);
            TeacherSpec {
                name: names.next(gender, birth_date.year()),
                gender,
                birth_date,
                teaching_start_year: start_year(birth_date.year(), degree),
                degree,
                title,
                employment,
                subject,
                grades: grades.to_vec(),
                posts: posts.to_vec(),
                honours: honour.into_iter().collect(),
            }
        })
        .collect()
}

const GRADE_NAMES: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// The research group a teacher of this subject belongs to.
fn research_subject(subject: &str) -> &'static str {
    match subject {
        "语文" => "语文",
        "数学" => "数学",
        "英语" => "英语",
        _ => "综合",
    }
}

/// The research topic (研究主题) each group declares for the autumn semester.
fn topic(name: &str) -> (&'static str, &'static str) {
    match name {
        "语文教研组" => {
            ("“先学后教、当堂训练”模式下的阅读教学研究", "围绕阅读课的导学案设计与当堂训练开展课例研讨（seed 004）。")
        }
        "一年级语文备课组" => {
            ("拼音教学与识字写字的趣味化策略", "幼小衔接阶段的拼音、识字游戏化设计与书写习惯培养。")
        }
        "二年级语文备课组" => ("低年级朗读指导与课外阅读衔接", "以朗读评价为抓手，推进课内外阅读一体化。"),
        "三年级语文备课组" => ("三年级习作起步的指导策略", "从写话到习作：片段练写与习作讲评课例研讨。"),
        "四年级语文备课组" => {
            ("略读课文的教学设计课例研讨", "同课异构，三个一评课：一个优点、一个不足、一点希望（seed 000）。")
        }
        "五年级语文备课组" => ("整本书阅读的导读与交流", "快乐读书吧整本书阅读的导读课、推进课与交流课。"),
        "六年级语文备课组" => ("高年级语文分层作业设计", "作业分类分层，控制作业量与完成时间（seed 004）。"),
        "数学教研组" => {
            ("基于有效课堂的数学分层作业设计", "构建有效课堂，作业分层、当堂训练与单元过关（seed 001、004）。")
        }
        "一年级数学备课组" => ("20以内加减法口算能力的培养", "口算训练的形式与评价。"),
        "二年级数学备课组" => ("表内乘法的情境教学课例研讨", "情境创设与算理理解的课例研讨。"),
        "三年级数学备课组" => ("数学课堂中动手操作的有效组织", "学具操作与小组合作的课堂组织。"),
        "四年级数学备课组" => ("运算律教学中学生说理能力的培养", "让学生说清算理的提问设计。"),
        "五六年级数学备课组" => ("分数、百分数问题的解题思路教学", "画图策略与数量关系分析的专题研讨。"),
        "英语教研组" => ("小学英语绘本阅读与口语表达", "绘本阅读课型研究与课堂口语输出活动设计。"),
        _ => ("触控一体机在综合学科课堂中的有效运用", "信息技术与学科整合的示范课系列活动（seed 004）。"),
    }
}

/// A weekly slot in the afternoon. Assumption: mornings have 4 periods, so 下午第二节 is period 6
/// (14:50–15:30) and 下午第一节 period 5 (14:00–14:40).
fn afternoon_slot(weekday: i32, period: i32, pattern: WeekPattern, first_week: i32) -> SlotSpec {
    let (start, end) = if period == 5 { ((14, 0), (14, 40)) } else { ((14, 50), (15, 30)) };
    // "教研组活动在电教室" (seed 000).
    SlotSpec { weekday, period, start, end, venue: "电教室", pattern, first_week }
}

/// The groups of seed 000: 语文教研组 with six 备课组, 数学教研组 with five, 英语教研组 alone,
/// and 综合教研组. Slots: "语文星期四下午第二节课，数学星期二下午第二节课，英语星期三下午第二节课"
/// (seed 000); 综合 meets every two weeks on Friday.
pub fn groups(staff: &[TeacherSpec]) -> Vec<GroupSpec> {
    let mut groups = Vec::new();
    let in_subject = |subject: &str| -> Vec<usize> {
        (0..staff.len()).filter(|&i| research_subject(staff[i].subject) == subject).collect()
    };
    for (subject, weekday, prep_groups) in [
        ("语文", Some(4), vec![vec![1], vec![2], vec![3], vec![4], vec![5], vec![6]]),
        ("数学", Some(2), vec![vec![1], vec![2], vec![3], vec![4], vec![5, 6]]),
        ("英语", Some(3), vec![]),
        ("综合", None, vec![]),
    ] {
        let members = in_subject(subject);
        let leader = *members.iter().find(|&&i| staff[i].has_post(Post::ResearchGroupLeader)).expect("a leader");
        let name = format!("{subject}教研组");
        let slot = match weekday {
            Some(day) => afternoon_slot(day, 6, WeekPattern::Every, 1),
            None => afternoon_slot(5, 5, WeekPattern::EveryTwoWeeks, 2),
        };
        let description = if subject == "英语" {
            "所有的英语老师既是一个备课组也自成一个教研组（seed 000）。教研组活动在电教室。"
        } else {
            "教研组活动在电教室，备课组活动在本年级办公室（seed 000）。"
        };
        let parent = groups.len();
        groups.push(GroupSpec {
            kind: GroupKind::Research,
            subject: Some(subject),
            grade_band: Some(GradeBand::All),
            parent: None,
            leader,
            members: members
                .iter()
                .map(|&i| {
                    let deputy = staff[i].has_post(PREP)
                        && staff[i].honours.iter().any(|h| h.title == HonourTitle::BackboneTeacher);
                    let role = if i == leader {
                        MemberRole::Leader
                    } else if deputy {
                        MemberRole::DeputyLeader
                    } else {
                        MemberRole::Member
                    };
                    (i, role)
                })
                .collect(),
            description: Some(description.to_string()),
            slot: Some(slot),
            topic: Some(topic(&name)),
            name,
        });
        for grades in prep_groups {
            let in_group: Vec<usize> =
                members.iter().copied().filter(|&i| staff[i].grades.iter().any(|g| grades.contains(g))).collect();
            let leader = *in_group.iter().find(|&&i| staff[i].has_post(PREP)).expect("a prep leader");
            let label: String = grades.iter().map(|g| GRADE_NAMES[*g as usize - 1]).collect();
            let name = format!("{label}年级{subject}备课组");
            groups.push(GroupSpec {
                kind: GroupKind::LessonPrep,
                subject: Some(subject),
                grade_band: GradeBand::of_grade(grades[0]),
                parent: Some(parent),
                leader,
                members: in_group
                    .iter()
                    .map(|&i| (i, if i == leader { MemberRole::Leader } else { MemberRole::Member }))
                    .collect(),
                description: Some(format!("{label}年级{subject}老师；活动在本年级办公室（seed 000）。")),
                slot: None,
                topic: Some(topic(&name)),
                name,
            });
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn roster() -> Vec<TeacherSpec> {
        staff(&mut Names::new(11))
    }

    #[test]
    fn matches_the_staff_statistics_of_seed_004() {
        let staff = roster();
        assert_eq!(staff.len(), 60);
        let ages: Vec<i32> = staff.iter().map(TeacherSpec::age).collect();
        assert_eq!(ages.iter().filter(|a| **a < 35).count(), 35);
        assert_eq!(ages.iter().filter(|a| (35..50).contains(*a)).count(), 23);
        assert_eq!(ages.iter().filter(|a| **a >= 50).count(), 2);
        let count = |f: &dyn Fn(&TeacherSpec) -> bool| staff.iter().filter(|t| f(t)).count();
        assert_eq!(count(&|t| t.degree == Degree::Bachelor), 36);
        assert_eq!(count(&|t| t.degree == Degree::Master), 2);
        assert_eq!(count(&|t| t.title == ProfessionalTitle::First), 13);
        assert_eq!(count(&|t| t.title == ProfessionalTitle::Senior), 1);
        let honours: Vec<HonourSpec> = staff.iter().flat_map(|t| t.honours.clone()).collect();
        let held = |title, level| honours.iter().filter(|h| h.title == title && h.level == level).count();
        assert_eq!(held(HonourTitle::SubjectLeader, Level::County), 1);
        assert_eq!(held(HonourTitle::BackboneTeacher, Level::County), 1);
        assert_eq!(held(HonourTitle::RisingStar, Level::County), 5);
        assert_eq!(held(HonourTitle::RenownedTeacher, Level::City), 1);
        assert_eq!(count(&|t| t.employment == EmploymentType::Support), 1);
        assert_eq!(count(&|t| t.employment == EmploymentType::Contract), 5);
        for post in [Post::Principal, Post::SupervisingLeader, Post::AcademicDirector, Post::MiddleManager] {
            assert_eq!(count(&|t| t.has_post(post)), 1, "{post:?}");
        }
        let names: HashSet<&str> = staff.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names.len(), 60);
        for t in &staff {
            assert!(t.teaching_start_year - t.birth_date.year() >= 20, "{t:?}");
        }
    }

    #[test]
    fn has_the_structure_of_seed_000() {
        let staff = roster();
        let groups = groups(&staff);
        let children = |name: &str| {
            let parent = groups.iter().position(|g| g.name == name).unwrap();
            groups.iter().filter(|g| g.parent == Some(parent)).count()
        };
        assert_eq!(children("语文教研组"), 6);
        assert_eq!(children("数学教研组"), 5);
        assert_eq!(children("英语教研组"), 0);
        assert_eq!(groups.len(), 4 + 6 + 5);
        let weekday = |name: &str| groups.iter().find(|g| g.name == name).unwrap().slot.as_ref().unwrap().weekday;
        assert_eq!((weekday("语文教研组"), weekday("数学教研组"), weekday("英语教研组")), (4, 2, 3));
        // Every teacher is in exactly one research group; 语文 and 数学 teachers in one prep group.
        for (i, t) in staff.iter().enumerate() {
            let of_kind = |kind| groups.iter().filter(|g| g.kind == kind && g.members.iter().any(|m| m.0 == i)).count();
            assert_eq!(of_kind(GroupKind::Research), 1, "{t:?}");
            let expected = usize::from(matches!(t.subject, "语文" | "数学"));
            assert_eq!(of_kind(GroupKind::LessonPrep), expected, "{t:?}");
        }
        // Research leaders hold the post, prep leaders theirs.
        for g in &groups {
            let post = if g.kind == GroupKind::Research { RESEARCH } else { PREP };
            assert!(staff[g.leader].has_post(post), "{}", g.name);
            assert!(g.topic.is_some(), "{}", g.name);
        }
        let leaders_of = |post| staff.iter().filter(|t| t.has_post(post)).count();
        assert_eq!(leaders_of(RESEARCH), 4);
        assert_eq!(leaders_of(PREP), 11);
    }
}
