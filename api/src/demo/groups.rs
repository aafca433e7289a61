//! Groups of the demo: their shape ([`GroupSpec`]), the groups of an ordinary school and the
//! district team (中心组).

use entities::enums::{GradeBand, GroupKind, MemberRole, Post, WeekPattern};

use super::people::TeacherSpec;
use super::rng::Rng;

/// A fixed weekly meeting slot.
#[derive(Debug, Clone)]
pub struct SlotSpec {
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    pub period: i32,
    /// (hour, minute)
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub venue: &'static str,
    pub pattern: WeekPattern,
    pub first_week: i32,
}

/// A group of one school; teachers are indexes into that school's staff, `parent` an index into
/// the school's groups (always an earlier one).
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub name: String,
    pub kind: GroupKind,
    pub subject: Option<&'static str>,
    pub grade_band: Option<GradeBand>,
    pub parent: Option<usize>,
    pub leader: usize,
    /// Every member once, the leader with [`MemberRole::Leader`].
    pub members: Vec<(usize, MemberRole)>,
    pub description: Option<String>,
    pub slot: Option<SlotSpec>,
    /// The research topic declared for the autumn semester: (title, description).
    pub topic: Option<(&'static str, &'static str)>,
}

/// A teacher of the district: (school index, index into that school's staff).
pub type TeacherRef = (usize, usize);

/// The district team (中心组): no school, members from several schools.
#[derive(Debug, Clone)]
pub struct TeamSpec {
    pub name: &'static str,
    pub subject: &'static str,
    pub description: &'static str,
    pub members: Vec<(TeacherRef, MemberRole)>,
    pub topic: (&'static str, &'static str),
}

const TOPICS_YUWEN: Topics = &[
    ("农村小学低年级识字教学的有效方法", "识字游戏与生活识字的课例研讨。"),
    ("课例研讨：阅读课的提问设计", "同课异构，说课、听课、评课一体化（seed 000）。"),
    ("整本书阅读在农村小学的推进", "每学期读一本书，读书交流会与阅读记录卡。"),
    ("习作讲评课的有效模式", "从学生习作中的典型问题出发设计讲评课。"),
];
const TOPICS_SHUXUE: Topics = &[
    ("计算能力培养与分层作业设计", "口算、笔算的分层练习与作业量控制。"),
    ("“先学后教、当堂训练”在数学课堂中的运用", "导学案设计与当堂检测（seed 004）。"),
    ("数学课堂中学困生的帮扶策略", "关注学困生，帮扶与激励共施（seed 001）。"),
    ("解决问题教学中的画图策略", "用线段图、示意图分析数量关系。"),
];
const TOPICS_MIXED: Topics = &[
    ("复式教学条件下的语数课堂组织", "小规模学校的动静搭配与分组学习。"),
    ("有效课堂：村小课堂教学常规的落实", "备课、上课、作业批改的规范化（seed 001：村小及教学点要在规范上下功夫）。"),
];

/// The subject group a teacher of an ordinary school joins when it has a 语文 and a 数学 group:
/// 英语, 音乐 and 美术 teachers sit with 语文; 科学, 体育 and the rest with 数学.
fn side(subject: &str) -> &'static str {
    match subject {
        "语文" | "英语" | "音乐" | "美术" | "道德与法治" => "语文",
        _ => "数学",
    }
}

/// The best-placed teacher to lead: highest title, then oldest, never the principal when someone
/// else can.
fn pick_leader(staff: &[TeacherSpec], candidates: &[usize]) -> usize {
    *candidates
        .iter()
        .min_by_key(|&&i| {
            (staff[i].has_post(Post::Principal), std::cmp::Reverse(staff[i].title), staff[i].birth_date, i)
        })
        .expect("a group has members")
}

type Topics = &'static [(&'static str, &'static str)];

/// An ordinary school's research groups: a 语文 and a 数学 教研组 when it has 11 teachers or more,
/// else one 语数综合教研组. Leaders get the post `research_group_leader`.
pub fn school_groups(rng: &mut Rng, staff: &mut [TeacherSpec]) -> Vec<GroupSpec> {
    if staff.len() >= 11 {
        [("语文教研组", "语文", TOPICS_YUWEN), ("数学教研组", "数学", TOPICS_SHUXUE)]
            .into_iter()
            .map(|(name, subject, topics)| {
                let members = (0..staff.len()).filter(|&i| side(staff[i].subject) == subject).collect();
                research_group(rng, staff, name, Some(subject), members, topics)
            })
            .collect()
    } else {
        let everyone = (0..staff.len()).collect();
        vec![research_group(rng, staff, "语数综合教研组", None, everyone, TOPICS_MIXED)]
    }
}

/// A research group led by its best-placed 语文 or 数学 teacher, with a topic from `topics`.
fn research_group(
    rng: &mut Rng,
    staff: &mut [TeacherSpec],
    name: &str,
    subject: Option<&'static str>,
    members: Vec<usize>,
    topics: Topics,
) -> GroupSpec {
    let core: Vec<usize> = members.iter().copied().filter(|&i| matches!(staff[i].subject, "语文" | "数学")).collect();
    let leader = pick_leader(staff, if core.is_empty() { &members } else { &core });
    staff[leader].posts.push(Post::ResearchGroupLeader);
    GroupSpec {
        name: name.to_string(),
        kind: GroupKind::Research,
        subject,
        grade_band: Some(GradeBand::All),
        parent: None,
        leader,
        members: members
            .iter()
            .map(|&i| (i, if i == leader { MemberRole::Leader } else { MemberRole::Member }))
            .collect(),
        description: None,
        slot: None,
        topic: Some(*rng.pick(topics)),
    }
}

/// The leader of the 语文 group of a school (or of its only group).
pub fn yuwen_leader(groups: &[GroupSpec]) -> usize {
    groups.iter().find(|g| g.subject == Some("语文")).or(groups.first()).expect("a school has a group").leader
}

/// 罗田县小学语文中心组: led from the county school, with members from the zones' schools.
/// Seed 001: four sessions a semester (one online, three on site); absent from more than a third
/// of them means leaving the team.
pub fn district_team(members: Vec<(TeacherRef, MemberRole)>) -> TeamSpec {
    TeamSpec {
        name: "罗田县小学语文中心组",
        subject: "语文",
        description:
            "县小学语文学科中心组：每学期活动4次，一次网络教研、三次实地教研；缺席超过三分之一自动退出（seed 001）。",
        members,
        topic: ("农村小学语文有效课堂的构建", "以片区为单位开展课例研讨、送教下乡与视频案例研究（seed 001）。"),
    }
}
