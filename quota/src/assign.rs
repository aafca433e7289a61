//! Which rule measures whom: the rules and subjects of a check as the pure core sees them, and
//! the assignment of rules to subjects (subject type, owner, applicability filters, families).
//! The api loads the subjects and their profiles from the database and counts what the assigned
//! rules read.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::periods::PeriodKind;
use crate::presence::Presence;
use crate::rules::{select, Profile, RuleSpec, Severity, SubjectType};

/// A rule as a check runs it: saved (`id`) or a draft being simulated (`index`).
#[derive(Debug, Clone)]
pub struct CheckRule {
    pub id: Option<i64>,
    pub index: usize,
    /// The owning school; `None`: a district rule (or a draft), for every school.
    pub owner_school_id: Option<i64>,
    pub spec: RuleSpec,
}

/// The rule as a check result names it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "index": null, "name": "教师每月听课不少于4节", "severity": "required",
    "metric": "observations", "period": "month", "min": 4.0, "family": null}))]
pub struct RuleRef {
    /// The saved rule; `null` for a simulated draft.
    pub id: Option<i64>,
    /// A simulated draft's position in the request's `rules`; `null` for a saved rule.
    pub index: Option<usize>,
    pub name: String,
    pub severity: Severity,
    /// The metric's `kind`.
    pub metric: String,
    pub period: PeriodKind,
    /// The minimum per period.
    pub min: f64,
    pub family: Option<String>,
}

impl RuleRef {
    pub fn of(rule: &CheckRule) -> RuleRef {
        RuleRef {
            id: rule.id,
            index: rule.id.is_none().then_some(rule.index),
            name: rule.spec.name.clone(),
            severity: rule.spec.severity,
            metric: rule.spec.metric.code().to_string(),
            period: rule.spec.period,
            min: rule.spec.min,
            family: rule.spec.family.clone(),
        }
    }
}

/// A subject as the check names it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"type": "teacher", "id": 5, "name": "王芳", "school_id": 2}))]
pub struct SubjectRef {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    pub id: i64,
    /// The teacher's, group's or school's name; a pair is "mentor → mentee".
    pub name: String,
    /// `null` for a district team.
    pub school_id: Option<i64>,
}

/// A subject and what the applicability filters look at.
#[derive(Debug, Clone)]
pub struct Subject {
    pub subject: SubjectRef,
    pub profile: Profile,
    /// The days the subject existed: a pair's start and end days, a teacher's days at the
    /// school ([`crate::presence`]).
    pub presence: Presence,
}

/// Whether `rule` may measure `subject` at all: its subject type, and its owner (a school rule
/// measures that school's subjects only; district rules every school's).
pub fn in_reach(rule: &CheckRule, subject: &Subject) -> bool {
    rule.spec.subject_type == subject.subject.kind
        && rule.owner_school_id.is_none_or(|owner| subject.subject.school_id == Some(owner))
}

/// For each subject (in order), the indexes into `rules` of the rules it is measured against:
/// those in reach whose filters match, with one rule per family (the highest priority).
pub fn assign(rules: &[CheckRule], subjects: &[Subject], reference: NaiveDate) -> Vec<Vec<usize>> {
    subjects
        .iter()
        .map(|subject| {
            let candidates: Vec<(usize, &CheckRule)> =
                rules.iter().enumerate().filter(|(_, r)| in_reach(r, subject)).collect();
            select(&candidates, |(_, r)| &r.spec, &subject.profile, reference).into_iter().map(|(i, _)| *i).collect()
        })
        .collect()
}

/// The days `rule` judges `subject` over: the subject's presence, and for a teacher rule that
/// is for members of some groups (kinds or ids), only the days of the matching memberships (from
/// the first one's start to the last one's end). The one place partial presence is decided.
pub fn presence_for(rule: &CheckRule, subject: &Subject) -> Presence {
    let a = &rule.spec.applies_to;
    let by_group = !a.group_kinds.is_empty() || !a.group_ids.is_empty();
    if subject.subject.kind != SubjectType::Teacher || !by_group {
        return subject.presence;
    }
    let belonged = subject
        .profile
        .memberships
        .iter()
        .filter(|m| {
            (a.group_kinds.is_empty() || a.group_kinds.contains(&m.kind))
                && (a.group_ids.is_empty() || a.group_ids.contains(&m.group_id))
        })
        .map(|m| m.presence)
        .reduce(Presence::hull);
    belonged.map_or(subject.presence, |b| subject.presence.and(b))
}

/// The days where some subject's presence for one of its rules starts or ends after a gap:
/// what a scan's segments must be cut at ([`crate::fold::segment`]), sorted and distinct.
pub fn cuts(rules: &[CheckRule], subjects: &[Subject], assigned: &[Vec<usize>]) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = subjects
        .iter()
        .zip(assigned)
        .flat_map(|(s, rs)| rs.iter().map(move |r| presence_for(&rules[*r], s)))
        .filter(|p| *p != Presence::ALWAYS)
        .flat_map(|p| p.bounds().collect::<Vec<_>>())
        .collect();
    days.sort();
    days.dedup();
    days
}

/// Subject types in list order.
pub const ALL_KINDS: [SubjectType; 4] =
    [SubjectType::Teacher, SubjectType::Group, SubjectType::Mentorship, SubjectType::School];

pub fn kind_rank(kind: SubjectType) -> usize {
    ALL_KINDS.iter().position(|k| *k == kind).unwrap_or(ALL_KINDS.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Applicability, Metric};
    use crate::vocab::Post;

    fn rule(index: usize, name: &str, subject_type: SubjectType, owner: Option<i64>, posts: Vec<Post>) -> CheckRule {
        let metric = match subject_type {
            SubjectType::Teacher => Metric::Observations {
                lesson_kinds: vec![],
                same_subject: false,
                same_school: false,
                critique_given: false,
                feedback_complete: false,
            },
            _ => Metric::ActivitiesHeld { activity_types: vec![], modality: None },
        };
        CheckRule {
            id: Some(index as i64 + 100),
            index,
            owner_school_id: owner,
            spec: RuleSpec {
                name: name.into(),
                subject_type,
                applies_to: Applicability { posts, ..Default::default() },
                metric,
                period: PeriodKind::Semester,
                min: 1.0,
                max: None,
                severity: Severity::Required,
                family: None,
                priority: 0,
                source: None,
            },
        }
    }

    fn subject(kind: SubjectType, id: i64, school_id: Option<i64>, posts: Vec<Post>) -> Subject {
        Subject {
            subject: SubjectRef { kind, id, name: format!("s{id}"), school_id },
            profile: Profile { posts, ..Default::default() },
            presence: Presence::ALWAYS,
        }
    }

    #[test]
    fn school_rules_measure_their_own_school_and_district_rules_every_school() {
        let rules = vec![
            rule(0, "district", SubjectType::Teacher, None, vec![]),
            rule(1, "school 10", SubjectType::Teacher, Some(10), vec![]),
            rule(2, "groups", SubjectType::Group, None, vec![]),
        ];
        let subjects = vec![
            subject(SubjectType::Teacher, 1, Some(10), vec![]),
            subject(SubjectType::Teacher, 2, Some(11), vec![]),
            subject(SubjectType::Group, 3, None, vec![]),
        ];
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(assign(&rules, &subjects, day), vec![vec![0, 1], vec![0], vec![2]]);
    }

    #[test]
    fn a_family_spanning_district_and_school_rules_picks_one_per_teacher() {
        let mut leaders = rule(0, "leaders 30", SubjectType::Teacher, None, vec![Post::SupervisingLeader]);
        let mut everyone = rule(1, "teachers 10", SubjectType::Teacher, Some(10), vec![]);
        leaders.spec.family = Some("听课".into());
        leaders.spec.priority = 2;
        everyone.spec.family = Some("听课".into());
        everyone.spec.priority = 1;
        let subjects = vec![
            subject(SubjectType::Teacher, 1, Some(10), vec![Post::SupervisingLeader]),
            subject(SubjectType::Teacher, 2, Some(10), vec![]),
            subject(SubjectType::Teacher, 3, Some(11), vec![]),
        ];
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(assign(&[leaders, everyone], &subjects, day), vec![vec![0], vec![1], vec![]]);
    }

    #[test]
    fn a_group_rule_judges_a_member_over_the_days_of_their_membership() {
        use crate::rules::Membership;
        use crate::vocab::GroupKind;
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let mut for_members = rule(0, "备课组成员", SubjectType::Teacher, None, vec![]);
        for_members.spec.applies_to.group_kinds = vec![GroupKind::LessonPrep];
        let everyone = rule(1, "全体", SubjectType::Teacher, None, vec![]);
        let mut teacher = subject(SubjectType::Teacher, 1, Some(10), vec![]);
        teacher.profile.group_kinds = vec![GroupKind::LessonPrep, GroupKind::Research];
        teacher.profile.memberships = vec![
            Membership { group_id: 7, kind: GroupKind::LessonPrep, presence: Presence::new(Some(day(10, 12)), None) },
            Membership { group_id: 8, kind: GroupKind::Research, presence: Presence::ALWAYS },
        ];
        assert_eq!(presence_for(&for_members, &teacher), Presence::new(Some(day(10, 12)), None));
        assert_eq!(presence_for(&everyone, &teacher), Presence::ALWAYS);
        // A teacher who left the school on 30 November: both end then.
        teacher.presence = Presence::new(None, Some(day(11, 30)));
        assert_eq!(presence_for(&for_members, &teacher), Presence::new(Some(day(10, 12)), Some(day(11, 30))));
        let assigned = vec![vec![0, 1]];
        assert_eq!(cuts(&[for_members, everyone], &[teacher], &assigned), vec![day(10, 12), day(12, 1)]);
    }
}
