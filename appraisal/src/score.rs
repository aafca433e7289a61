//! Scoring one subject: every component's lines (each weighted and rounded to hundredths once),
//! a cap line when the cap cuts, the component's points as the sum of its lines, the score as the
//! sum of the components. So the breakdown adds up to the score exactly, in hundredths.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::inputs::{GroupInputs, PairRole, PrepShare, RuleOutcome, TeacherInputs};
use crate::points::{cents, points, Cents};
use crate::scheme::{Component, QuotaMode, SchemeSpec, Scoring, Severity};

/// A subject's score and where every point came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"score": 27.5, "components": [
    {"name": "教研常规", "kind": "quota_rules", "weight": 1.0, "cap": 40.0, "points": 10.0, "lines": [
        {"source": "quota_rule", "source_id": 3, "label": "教师每月听课不少于4节", "detail": "2026年秋季学期: 22 / 20, met", "raw": 10.0, "points": 10.0},
        {"source": "quota_rule", "source_id": 4, "label": "每月至少进行一次教学反思", "detail": "2026年秋季学期: 3 / 5, short", "raw": 0.0, "points": 0.0}]},
    {"name": "参与教研活动率", "kind": "attendance_rate", "weight": 1.0, "cap": null, "points": 17.5, "lines": [
        {"source": "attendance", "source_id": null, "label": "参与教研活动率", "detail": "87.5% × 20", "raw": 17.5, "points": 17.5}]}
]}))]
pub struct Breakdown {
    /// The sum of the components' points.
    pub score: f64,
    pub components: Vec<ComponentScore>,
}

/// One component of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComponentScore {
    pub name: String,
    /// The scoring's kind (`quota_rules`, `awards` ...; `members` for a group's members' mean).
    pub kind: String,
    pub weight: f64,
    pub cap: Option<f64>,
    /// The sum of its lines' points.
    pub points: f64,
    pub lines: Vec<Line>,
}

/// Where some points came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Line {
    /// `quota_rule` (source_id: the rule), `record` (the award record), `attendance`,
    /// `mentorship` (the pair), `members` (a group's members' mean) or `cap` (what the cap took off).
    pub source: String,
    pub source_id: Option<i64>,
    pub label: String,
    /// How the points were reached ("22 / 20, met", "省级 一等奖").
    pub detail: String,
    /// The points before the weight.
    pub raw: f64,
    /// What the line adds to the score: `raw` × the weight, rounded to hundredths.
    pub points: f64,
}

/// A line before weighting.
struct Raw {
    source: &'static str,
    source_id: Option<i64>,
    label: String,
    detail: String,
    raw: f64,
}

impl Raw {
    fn new(source: &'static str, source_id: Option<i64>, label: impl Into<String>, detail: String, raw: f64) -> Raw {
        Raw { source, source_id, label: label.into(), detail, raw }
    }
}

/// A teacher's score under `spec`.
pub fn score_teacher(spec: &SchemeSpec, inputs: &TeacherInputs) -> (Cents, Breakdown) {
    total(spec.components.iter().map(|c| component(c, teacher_lines(&c.scoring, inputs))).collect())
}

/// A group's score under `spec`: its members' mean score × the member weight, then its own
/// components over the group rules that measure it.
pub fn score_group(spec: &SchemeSpec, inputs: &GroupInputs) -> (Cents, Breakdown) {
    let g = &spec.group;
    let n = inputs.member_scores.len() as i64;
    let mean: Cents =
        if n > 0 { (inputs.member_scores.iter().sum::<Cents>() as f64 / n as f64).round() as Cents } else { 0 };
    let members = Component {
        name: "组员平均分".into(),
        weight: g.member_weight,
        cap: None,
        scoring: Scoring::AttendanceRate { points: 0.0 },
    };
    let detail = format!("mean of {n} members' scores");
    let mut parts = vec![component(&members, vec![Raw::new("members", None, "组员平均分", detail, points(mean))])];
    parts[0].kind = "members".into();
    for c in &g.components {
        let lines = match &c.scoring {
            Scoring::QuotaRules { mode, points, severity } => rule_lines(&inputs.rules, *mode, *points, *severity),
            Scoring::PrepCompletion { points } => vec![prep_line(inputs.preparations, *points, "集体备课完成率")],
            _ => Vec::new(),
        };
        parts.push(component(c, lines));
    }
    total(parts)
}

fn total(components: Vec<ComponentScore>) -> (Cents, Breakdown) {
    let sum: Cents = components.iter().map(|c| cents(c.points)).sum();
    (sum, Breakdown { score: points(sum), components })
}

/// The weighted lines of a component, with a cap line when the cap cuts.
fn component(c: &Component, raw: Vec<Raw>) -> ComponentScore {
    let mut lines: Vec<Line> = raw
        .into_iter()
        .map(|r| Line {
            source: r.source.into(),
            source_id: r.source_id,
            label: r.label,
            detail: r.detail,
            raw: r.raw,
            points: points(cents(r.raw * c.weight)),
        })
        .collect();
    let sum: Cents = lines.iter().map(|l| cents(l.points)).sum();
    let raw_sum: f64 = lines.iter().map(|l| l.raw).sum();
    let mut total = sum;
    if let Some(cap) = c.cap {
        let most = cents(cap * c.weight);
        if sum > most {
            lines.push(Line {
                source: "cap".into(),
                source_id: None,
                label: "封顶".into(),
                detail: format!("capped at {cap}"),
                raw: cap - raw_sum,
                points: points(most - sum),
            });
            total = most;
        }
    }
    ComponentScore {
        name: c.name.clone(),
        kind: c.scoring.code().into(),
        weight: c.weight,
        cap: c.cap,
        points: points(total),
        lines,
    }
}

fn teacher_lines(scoring: &Scoring, inputs: &TeacherInputs) -> Vec<Raw> {
    match scoring {
        Scoring::QuotaRules { mode, points, severity } => rule_lines(&inputs.rules, *mode, *points, *severity),
        Scoring::Awards { table } => inputs
            .awards
            .iter()
            .map(|a| {
                let p = table.get(&a.level).and_then(|ranks| ranks.get(&a.rank)).copied();
                let detail = match p {
                    Some(_) => format!("{} {}", a.level.zh(), a.rank.zh()),
                    None => format!("{} {}: not in the points table", a.level.zh(), a.rank.zh()),
                };
                Raw::new("record", Some(a.record_id), a.title.clone(), detail, p.unwrap_or(0.0))
            })
            .collect(),
        Scoring::AttendanceRate { points } => {
            let (detail, raw) = match inputs.attendance_rate {
                Some(rate) => (format!("{}% × {points}", round2(rate * 100.0)), rate * points),
                None => ("no activity was due".to_string(), 0.0),
            };
            vec![Raw::new("attendance", None, "参与教研活动率", detail, raw)]
        }
        Scoring::Mentorship { per_pair_met, assessment } => {
            let mut lines = Vec::new();
            for p in &inputs.pairs {
                let role = match p.role {
                    PairRole::Mentor => "师傅",
                    PairRole::Mentee => "徒弟",
                };
                let label = format!("师徒结对 ({role}, {})", p.partner);
                let met = p.rules_checked > 0 && p.rules_met == p.rules_checked;
                let detail = format!("pair rules met: {} of {}", p.rules_met, p.rules_checked);
                lines.push(Raw::new(
                    "mentorship",
                    Some(p.mentorship_id),
                    label.clone(),
                    detail,
                    if met { *per_pair_met } else { 0.0 },
                ));
                if let Some(grade) = p.assessment {
                    let detail = format!(
                        "assessment: {}",
                        serde_json::to_value(grade).unwrap_or_default().as_str().unwrap_or("")
                    );
                    lines.push(Raw::new("mentorship", Some(p.mentorship_id), label, detail, assessment.of(grade)));
                }
            }
            lines
        }
        Scoring::InspectionGrades { grades, per_point } => inputs
            .inspections
            .iter()
            .map(|m| {
                let (detail, raw) = match (m.grade, m.points) {
                    (Some(g), _) => (format!("grade: {}", g.zh()), grades.of(g)),
                    (None, Some(p)) => (format!("{p} points × {per_point}"), p * per_point),
                    (None, None) => ("not graded".to_string(), 0.0),
                };
                Raw::new("inspection", Some(m.inspection_id), m.label.clone(), detail, raw)
            })
            .collect(),
        Scoring::PrepCompletion { points } => vec![prep_line(inputs.preparations, *points, "集体备课完成率")],
    }
}

/// `points` × the share of preparations completed (nothing when there were none).
fn prep_line(share: Option<PrepShare>, points: f64, label: &str) -> Raw {
    let (detail, raw) = match share {
        Some(PrepShare { completed, total }) if total > 0 => {
            (format!("{completed} of {total} completed × {points}"), points * completed as f64 / total as f64)
        }
        _ => ("no preparation in the period".to_string(), 0.0),
    };
    Raw::new("preparation", None, label, detail, raw)
}

fn rule_lines(rules: &[RuleOutcome], mode: QuotaMode, each: f64, severity: Option<Severity>) -> Vec<Raw> {
    let chosen: Vec<&RuleOutcome> = rules.iter().filter(|r| severity.is_none_or(|s| s == r.severity)).collect();
    let status = |r: &RuleOutcome| if r.met { "met" } else { "not met" };
    match mode {
        QuotaMode::PerRuleMet => chosen
            .iter()
            .map(|r| {
                let detail = format!("{}: {} / {}, {}", r.semester, r.actual, r.required, status(r));
                Raw::new("quota_rule", r.rule_id, r.name.clone(), detail, if r.met { each } else { 0.0 })
            })
            .collect(),
        QuotaMode::ShareMet => {
            let met = chosen.iter().filter(|r| r.met).count();
            let (detail, raw) = match chosen.len() {
                0 => ("no rule measures the subject".to_string(), 0.0),
                n => (format!("{met} of {n} rules met × {each}"), each * met as f64 / n as f64),
            };
            vec![Raw::new("quota_rule", None, "达标规则占比", detail, raw)]
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::{Award, PairOutcome};
    use crate::scheme::{AwardLevel, AwardRank, Grade};
    use serde_json::json;

    fn spec(v: serde_json::Value) -> SchemeSpec {
        serde_json::from_value(v).unwrap()
    }

    fn rule(id: i64, severity: Severity, met: bool) -> RuleOutcome {
        RuleOutcome {
            rule_id: Some(id),
            name: format!("rule {id}"),
            severity,
            semester: "秋".into(),
            required: 4.0,
            actual: if met { 4.0 } else { 1.0 },
            met,
        }
    }

    /// The breakdown adds up exactly: lines to components, components to the score.
    fn adds_up(b: &Breakdown) {
        for c in &b.components {
            assert_eq!(c.lines.iter().map(|l| cents(l.points)).sum::<Cents>(), cents(c.points), "{}", c.name);
        }
        assert_eq!(b.components.iter().map(|c| cents(c.points)).sum::<Cents>(), cents(b.score));
    }

    fn inputs() -> TeacherInputs {
        TeacherInputs {
            rules: vec![
                rule(1, Severity::Required, true),
                rule(2, Severity::Required, false),
                rule(3, Severity::Target, true),
            ],
            awards: vec![
                Award { record_id: 7, title: "优质课".into(), level: AwardLevel::Province, rank: AwardRank::First },
                Award { record_id: 8, title: "论文".into(), level: AwardLevel::County, rank: AwardRank::Merit },
            ],
            attendance_rate: Some(0.875),
            pairs: vec![PairOutcome {
                mentorship_id: 4,
                role: PairRole::Mentor,
                partner: "小李".into(),
                rules_checked: 2,
                rules_met: 2,
                assessment: Some(Grade::Excellent),
            }],
            ..TeacherInputs::default()
        }
    }

    #[test]
    fn every_kind_scores_with_weights_and_caps() {
        let s = spec(json!({"components": [
            {"name": "必做", "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 10, "severity": "required"}},
            {"name": "占比", "weight": 0.5, "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 30}},
            {"name": "获奖", "cap": 15, "scoring": {"kind": "awards", "table": {"province": {"first": 20}}}},
            {"name": "出勤", "weight": 1.5, "scoring": {"kind": "attendance_rate", "points": 20}},
            {"name": "师徒", "scoring": {"kind": "mentorship", "per_pair_met": 5, "assessment": {"excellent": 3}}}
        ]}));
        let (total, b) = score_teacher(&s, &inputs());
        let pts: Vec<f64> = b.components.iter().map(|c| c.points).collect();
        // 10 (one required met); 0.5 × 30 × 2/3 = 10; 20 capped to 15; 1.5 × 17.5 = 26.25; 5 + 3.
        assert_eq!(pts, vec![10.0, 10.0, 15.0, 26.25, 8.0]);
        assert_eq!(total, 6925);
        assert_eq!(b.score, 69.25);
        let awards = &b.components[2];
        assert_eq!(awards.lines.len(), 3);
        assert_eq!((awards.lines[1].points, awards.lines[1].detail.contains("not in")), (0.0, true));
        assert_eq!((awards.lines[2].source.as_str(), awards.lines[2].points), ("cap", -5.0));
        adds_up(&b);
    }

    #[test]
    fn rounding_per_line_still_adds_up() {
        let s = spec(json!({"components": [
            {"name": "a", "weight": 0.333, "cap": 2.5, "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 1.005}},
            {"name": "b", "weight": 0.777, "scoring": {"kind": "attendance_rate", "points": 13.3}}
        ]}));
        let mut i = inputs();
        i.rules = (0..9).map(|k| rule(k, Severity::Required, k % 3 != 0)).collect();
        i.attendance_rate = Some(0.3333);
        let (total, b) = score_teacher(&s, &i);
        adds_up(&b);
        assert_eq!(cents(b.score), total);
    }

    #[test]
    fn nothing_measured_scores_zero_and_says_why() {
        let s = spec(json!({"components": [
            {"name": "a", "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 10}},
            {"name": "b", "scoring": {"kind": "attendance_rate", "points": 10}}
        ]}));
        let (total, b) = score_teacher(&s, &TeacherInputs::default());
        assert_eq!(total, 0);
        assert_eq!(b.components[0].lines[0].detail, "no rule measures the subject");
        assert_eq!(b.components[1].lines[0].detail, "no activity was due");
    }

    #[test]
    fn a_group_is_its_members_mean_and_its_own_rules() {
        let s = spec(json!({"components": [{"name": "a", "scoring": {"kind": "attendance_rate", "points": 10}}],
            "group": {"member_weight": 0.5, "components": [
                {"name": "组规", "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 4}}]}}));
        let g = GroupInputs {
            member_scores: vec![8000, 6001],
            rules: vec![rule(9, Severity::Required, true)],
            preparations: None,
        };
        let (total, b) = score_group(&s, &g);
        // mean 70.005 → 70.01 (hundredths, rounded), × 0.5 = 35.01 (35.005 rounded), + 4.
        assert_eq!(b.components[0].kind, "members");
        assert_eq!(b.components[0].points, 35.01);
        assert_eq!(total, 3901);
        adds_up(&b);
        let (empty, _) = score_group(&s, &GroupInputs::default());
        assert_eq!(empty, 0);
    }

    #[test]
    fn inspection_grades_and_preparations_score_with_their_lines() {
        use crate::inputs::InspectionMark;
        use crate::scheme::InspectionGrade;
        let s = spec(json!({"components": [
            {"name": "常规检查", "cap": 10, "scoring": {"kind": "inspection_grades",
                "grades": {"excellent": 4, "good": 3, "pass": 2}, "per_point": 0.5}},
            {"name": "集体备课", "scoring": {"kind": "prep_completion", "points": 6}}],
            "group": {"member_weight": 1, "components": [
                {"name": "备课组集体备课", "scoring": {"kind": "prep_completion", "points": 10}}]}}));
        let mark = |grade, points| InspectionMark { inspection_id: 7, label: "月查".into(), grade, points };
        let teacher = TeacherInputs {
            inspections: vec![
                mark(Some(InspectionGrade::Excellent), None),
                mark(Some(InspectionGrade::NeedsImprovement), None),
                mark(None, Some(18.0)),
            ],
            preparations: Some(PrepShare { completed: 2, total: 3 }),
            ..TeacherInputs::default()
        };
        let (score, b) = score_teacher(&s, &teacher);
        adds_up(&b);
        // 4 + 0 + 9 = 13, capped at 10; 6 × 2/3 = 4.
        assert_eq!(b.components[0].points, 10.0);
        assert_eq!(b.components[0].lines.iter().map(|l| l.source.as_str()).collect::<Vec<_>>()[0], "inspection");
        assert_eq!(b.components[1].points, 4.0);
        assert_eq!(score, 1400);
        let none = score_teacher(&s, &TeacherInputs::default()).1;
        assert_eq!(none.components[1].lines[0].detail, "no preparation in the period");
        let group = GroupInputs {
            member_scores: vec![1400],
            preparations: Some(PrepShare { completed: 1, total: 4 }),
            ..GroupInputs::default()
        };
        let (g, gb) = score_group(&s, &group);
        adds_up(&gb);
        assert_eq!(g, 1400 + 250);
    }
}
