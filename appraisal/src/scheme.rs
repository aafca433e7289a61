//! A scheme (考核方案): weighted components, each with its scoring and an optional cap, and how a
//! group's score is made (先进教研组评比: "成绩既考核到个人，也考核到各备课组", seed 000).
//!
//! A component's points are the sum of its lines (each line × the weight, rounded to hundredths),
//! lowered to the cap × the weight when given. The teacher's score is the sum of the components.
//!
//! New kinds of component slot in as a variant of [`Scoring`], a field of
//! [`crate::inputs::TeacherInputs`] (or [`crate::inputs::GroupInputs`]) that the api loads, and an
//! arm of [`crate::score`]'s `lines`: the breakdown, caps, weights, ranking and storage do not
//! change. Inspection grades (points per grade, from routine inspections) and collective-prep
//! completion are meant to come that way once those areas exist.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The whole scoring of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "components": [
        {"name": "教研常规", "weight": 1.0, "cap": 40.0, "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 10.0, "severity": "required"}},
        {"name": "获奖与论文", "weight": 1.0, "cap": 30.0, "scoring": {"kind": "awards", "table": {"national": {"first": 30.0, "second": 25.0, "third": 20.0}, "province": {"first": 20.0, "second": 15.0, "third": 12.0}, "city": {"first": 12.0, "second": 10.0, "third": 8.0}, "county": {"first": 8.0, "second": 6.0, "third": 4.0}, "school": {"first": 4.0, "second": 3.0, "third": 2.0}}}},
        {"name": "参与教研活动率", "weight": 1.0, "cap": null, "scoring": {"kind": "attendance_rate", "points": 20.0}},
        {"name": "师徒结对", "weight": 0.5, "cap": 10.0, "scoring": {"kind": "mentorship", "per_pair_met": 5.0, "assessment": {"excellent": 5.0, "good": 3.0, "pass": 1.0, "fail": 0.0}}}
    ],
    "group": {"member_weight": 1.0, "components": [
        {"name": "教研组常规", "weight": 1.0, "cap": null, "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 20.0, "severity": null}}
    ]}
}))]
pub struct SchemeSpec {
    /// What a teacher's score is made of, in the order the breakdown lists them.
    pub components: Vec<Component>,
    /// How a group's score is made; default: its members' mean score alone.
    #[serde(default)]
    pub group: GroupScoring,
}

/// A group's score: its members' mean score × `member_weight`, plus its own components (the group
/// rules that measure it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupScoring {
    #[serde(default = "one")]
    pub member_weight: f64,
    /// Only `quota_rules` components: the group rules that measure the group.
    #[serde(default)]
    pub components: Vec<Component>,
}

impl Default for GroupScoring {
    fn default() -> Self {
        GroupScoring { member_weight: 1.0, components: Vec::new() }
    }
}

fn one() -> f64 {
    1.0
}

/// One weighted part of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Its title in the breakdown and the export ("教研常规"); unique within the scheme.
    pub name: String,
    /// What its points are multiplied by (default 1).
    #[serde(default = "one")]
    pub weight: f64,
    /// The most points it gives before the weight (封顶); none: no cap.
    #[serde(default)]
    pub cap: Option<f64>,
    pub scoring: Scoring,
}

/// How a component turns what was measured into points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scoring {
    /// The quota checks (the same results as `GET /quota-checks`) of the rules that measure the
    /// subject, optionally only those of one severity: `points` per rule met, or `points` × the
    /// share of rules met.
    QuotaRules {
        mode: QuotaMode,
        points: f64,
        #[serde(default)]
        severity: Option<Severity>,
    },
    /// Award records (获奖, also papers' awards) by level and rank: the points of each in `table`
    /// (absent: 0).
    Awards { table: AwardTable },
    /// `points` × the attendance rate at activities (参与教研活动率, as the quota metric
    /// `attendance_rate` counts it).
    AttendanceRate { points: f64 },
    /// Mentorship pairs (师徒结对) the teacher is in, as mentor or mentee: `per_pair_met` for each
    /// pair that meets every pair rule measuring it (at least one), and points for the pair's
    /// end assessment grade.
    Mentorship {
        #[serde(default)]
        per_pair_met: f64,
        #[serde(default)]
        assessment: GradePoints,
    },
    /// Routine inspections (常规检查) dated in the period: for each item graded 优/良/合格/待改进,
    /// the points of its grade in `grades`; for each item scored in points, `per_point` × the
    /// points given.
    InspectionGrades {
        #[serde(default)]
        grades: InspectionGradePoints,
        #[serde(default)]
        per_point: f64,
    },
    /// Collective preparation (集体备课) with its session in the period: `points` × the share
    /// completed. A teacher's share is of the preparations they took part in, completed when
    /// they did their own parts (the lead: draft and reflection; a co-preparer: a note and a
    /// reflection); a group's is of its preparations completed through all three stages.
    PrepCompletion { points: f64 },
}

impl Scoring {
    /// The `kind` code.
    pub fn code(&self) -> &'static str {
        match self {
            Scoring::QuotaRules { .. } => "quota_rules",
            Scoring::Awards { .. } => "awards",
            Scoring::AttendanceRate { .. } => "attendance_rate",
            Scoring::Mentorship { .. } => "mentorship",
            Scoring::InspectionGrades { .. } => "inspection_grades",
            Scoring::PrepCompletion { .. } => "prep_completion",
        }
    }

    /// Whether it can score a group (a group has rules and preparations of its own; no awards,
    /// attendance, pairs or inspection grades).
    pub fn scores_groups(&self) -> bool {
        matches!(self, Scoring::QuotaRules { .. } | Scoring::PrepCompletion { .. })
    }
}

/// Per rule met, or by the share met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaMode {
    /// `points` for each rule met.
    PerRuleMet,
    /// `points` × rules met / rules measuring the subject.
    ShareMet,
}

/// A rule's severity (the quota rules' own), as the appraisal scores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AppraisalSeverity)]
pub enum Severity {
    /// 不少于/至少/必须.
    Required,
    /// 力争.
    Target,
}

/// The level of an award (级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardLevel {
    /// 国家级
    National,
    /// 省级
    Province,
    /// 市级
    City,
    /// 县级
    County,
    /// 区级
    District,
    /// 校级
    School,
}

impl AwardLevel {
    pub fn zh(self) -> &'static str {
        match self {
            AwardLevel::National => "国家级",
            AwardLevel::Province => "省级",
            AwardLevel::City => "市级",
            AwardLevel::County => "县级",
            AwardLevel::District => "区级",
            AwardLevel::School => "校级",
        }
    }
}

/// The rank of an award (等次).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardRank {
    /// 特等奖
    Special,
    /// 一等奖
    First,
    /// 二等奖
    Second,
    /// 三等奖
    Third,
    /// 优秀奖
    Merit,
}

impl AwardRank {
    pub fn zh(self) -> &'static str {
        match self {
            AwardRank::Special => "特等奖",
            AwardRank::First => "一等奖",
            AwardRank::Second => "二等奖",
            AwardRank::Third => "三等奖",
            AwardRank::Merit => "优秀奖",
        }
    }
}

/// Points by level, then rank: 国家/省/市/县/校 × 一/二/三等 (a level or rank left out gives 0).
pub type AwardTable = BTreeMap<AwardLevel, BTreeMap<AwardRank, f64>>;

/// A mentorship's end assessment (师徒考核).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Good,
    Pass,
    Fail,
}

/// Points per assessment grade (优秀/良好/合格/不合格); absent: 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GradePoints {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
    pub fail: f64,
}

impl GradePoints {
    pub fn of(&self, grade: Grade) -> f64 {
        match grade {
            Grade::Excellent => self.excellent,
            Grade::Good => self.good,
            Grade::Pass => self.pass,
            Grade::Fail => self.fail,
        }
    }
}

/// A routine inspection's grade (优/良/合格/待改进).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InspectionGrade {
    Excellent,
    Good,
    Pass,
    NeedsImprovement,
}

/// Points per inspection grade (优/良/合格/待改进); absent: 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct InspectionGradePoints {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
    pub needs_improvement: f64,
}

impl InspectionGrade {
    pub fn zh(self) -> &'static str {
        match self {
            InspectionGrade::Excellent => "优",
            InspectionGrade::Good => "良",
            InspectionGrade::Pass => "合格",
            InspectionGrade::NeedsImprovement => "待改进",
        }
    }
}

impl InspectionGradePoints {
    pub fn of(&self, grade: InspectionGrade) -> f64 {
        match grade {
            InspectionGrade::Excellent => self.excellent,
            InspectionGrade::Good => self.good,
            InspectionGrade::Pass => self.pass,
            InspectionGrade::NeedsImprovement => self.needs_improvement,
        }
    }
}

/// A problem of a scheme: the field it is in (`components[1].weight`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeError {
    pub field: String,
    pub message: String,
}

/// The most components a scheme (or its group part) may have.
pub const MAX_COMPONENTS: usize = 20;
/// The most points a number of a scheme may give (per line, cap, table entry).
pub const MAX_POINTS: f64 = 1000.0;

/// Every problem of a scheme, each naming its field.
pub fn check(spec: &SchemeSpec) -> Vec<SchemeError> {
    let mut errors = Vec::new();
    if spec.components.is_empty() {
        errors.push(err("components", "give at least one component"));
    }
    check_components(&spec.components, "components", false, &mut errors);
    let g = &spec.group;
    if !g.member_weight.is_finite() || !(0.0..=10.0).contains(&g.member_weight) {
        errors.push(err("group.member_weight", "must be a number from 0 to 10"));
    }
    check_components(&g.components, "group.components", true, &mut errors);
    errors
}

fn err(field: impl Into<String>, message: impl Into<String>) -> SchemeError {
    SchemeError { field: field.into(), message: message.into() }
}

fn points_ok(x: f64) -> bool {
    x.is_finite() && (0.0..=MAX_POINTS).contains(&x)
}

fn check_components(components: &[Component], at: &str, groups: bool, errors: &mut Vec<SchemeError>) {
    if components.len() > MAX_COMPONENTS {
        errors.push(err(at, format!("must have at most {MAX_COMPONENTS} items")));
    }
    let bad_points = format!("must be a number from 0 to {MAX_POINTS}");
    for (i, c) in components.iter().enumerate() {
        let here = |field: &str| format!("{at}[{i}].{field}");
        let name = c.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(err(here("name"), "must be 1 to 100 characters"));
        } else if components[..i].iter().any(|o| o.name.trim() == name) {
            errors.push(err(here("name"), "another component has this name"));
        }
        if !c.weight.is_finite() || c.weight <= 0.0 || c.weight > 100.0 {
            errors.push(err(here("weight"), "must be a number above 0, at most 100"));
        }
        if c.cap.is_some_and(|cap| !points_ok(cap)) {
            errors.push(err(here("cap"), bad_points.clone()));
        }
        if groups && !c.scoring.scores_groups() {
            errors.push(err(here("scoring.kind"), "a group is scored by quota_rules and prep_completion only"));
        }
        match &c.scoring {
            Scoring::QuotaRules { points, .. }
            | Scoring::AttendanceRate { points }
            | Scoring::PrepCompletion { points } => {
                if !points_ok(*points) {
                    errors.push(err(here("scoring.points"), bad_points.clone()));
                }
            }
            Scoring::Awards { table } => {
                if table.values().all(|ranks| ranks.is_empty()) {
                    errors.push(err(here("scoring.table"), "give the points of at least one level and rank"));
                }
                for (level, ranks) in table {
                    for (rank, p) in ranks {
                        if !points_ok(*p) {
                            let field = format!("scoring.table.{}.{}", code(level), code(rank));
                            errors.push(err(here(&field), bad_points.clone()));
                        }
                    }
                }
            }
            Scoring::Mentorship { per_pair_met, assessment } => {
                let a = assessment;
                for (field, p) in [
                    ("scoring.per_pair_met", *per_pair_met),
                    ("scoring.assessment.excellent", a.excellent),
                    ("scoring.assessment.good", a.good),
                    ("scoring.assessment.pass", a.pass),
                    ("scoring.assessment.fail", a.fail),
                ] {
                    if !points_ok(p) {
                        errors.push(err(here(field), bad_points.clone()));
                    }
                }
            }
            Scoring::InspectionGrades { grades: g, per_point } => {
                for (field, p) in [
                    ("scoring.per_point", *per_point),
                    ("scoring.grades.excellent", g.excellent),
                    ("scoring.grades.good", g.good),
                    ("scoring.grades.pass", g.pass),
                    ("scoring.grades.needs_improvement", g.needs_improvement),
                ] {
                    if !points_ok(p) {
                        errors.push(err(here(field), bad_points.clone()));
                    }
                }
            }
        }
    }
}

/// The JSON code of a unit enum.
fn code<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: serde_json::Value) -> SchemeSpec {
        serde_json::from_value(v).unwrap()
    }

    fn fields(spec: &SchemeSpec) -> Vec<String> {
        check(spec).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn defaults_fill_weight_cap_and_group() {
        let s = parse(json!({"components": [{"name": "常规", "scoring": {"kind": "attendance_rate", "points": 10}}]}));
        assert_eq!((s.components[0].weight, s.components[0].cap), (1.0, None));
        assert_eq!(s.group, GroupScoring::default());
        assert!(check(&s).is_empty());
    }

    #[test]
    fn unknown_fields_and_kinds_are_refused() {
        let bad =
            json!({"components": [{"name": "x", "scoring": {"kind": "attendance_rate", "points": 1, "extra": 1}}]});
        assert!(serde_json::from_value::<SchemeSpec>(bad).is_err());
        let kind = json!({"components": [{"name": "x", "scoring": {"kind": "coffee"}}]});
        assert!(serde_json::from_value::<SchemeSpec>(kind).is_err());
    }

    #[test]
    fn each_problem_names_its_field() {
        let s = parse(json!({
            "components": [
                {"name": "a", "weight": 0, "cap": -1, "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 2000}},
                {"name": "a", "scoring": {"kind": "awards", "table": {"province": {"first": -3}}}},
                {"name": "m", "scoring": {"kind": "mentorship", "assessment": {"good": 1e9}}}
            ],
            "group": {"member_weight": 11, "components": [{"name": "g", "scoring": {"kind": "attendance_rate", "points": 1}}]}
        }));
        assert_eq!(
            fields(&s),
            vec![
                "components[0].weight",
                "components[0].cap",
                "components[0].scoring.points",
                "components[1].name",
                "components[1].scoring.table.province.first",
                "components[2].scoring.assessment.good",
                "group.member_weight",
                "group.components[0].scoring.kind",
            ]
        );
        assert_eq!(fields(&parse(json!({"components": []}))), vec!["components"]);
    }
}
