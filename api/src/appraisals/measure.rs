//! What the quota checks say of the subjects a scheme appraises: the same results as
//! `GET /quota-checks` (the checks service, kept between requests), one check per semester of the
//! scheme, read whole for the scheme's schools. The attendance rate is the quota metric
//! `attendance_rate` itself, measured by a draft rule of the same check (as a simulation would).

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::semester;
use jiaoyan_appraisal::inputs::RuleOutcome;
use jiaoyan_appraisal::scheme::Severity;

use crate::domain::DomainResult;
use crate::quota::checks::kept::Filter;
use crate::quota::checks::service::{kept_for, Request};
use crate::quota::checks::subjects::Target;
use crate::quota::evaluate::Status;
use crate::quota::periods::PeriodKind;
use crate::quota::rules::{self, Metric, RuleSpec, SubjectType};
use crate::state::AppState;

/// The quota side of the inputs, by subject id.
#[derive(Debug, Default)]
pub struct Measured {
    pub teacher_rules: HashMap<i64, Vec<RuleOutcome>>,
    pub group_rules: HashMap<i64, Vec<RuleOutcome>>,
    /// Per pair: (rules measuring it, rules met).
    pub pair_rules: HashMap<i64, (u32, u32)>,
    pub attendance: HashMap<i64, f64>,
}

/// The draft rule that measures the attendance rate over the scheme's period.
fn attendance_rule(school_year: bool) -> RuleSpec {
    RuleSpec {
        name: "参与教研活动率".into(),
        subject_type: SubjectType::Teacher,
        applies_to: Default::default(),
        metric: Metric::AttendanceRate,
        period: if school_year { PeriodKind::SchoolYear } else { PeriodKind::Semester },
        min: 0.0,
        max: None,
        severity: rules::Severity::Target,
        family: None,
        priority: 0,
        source: None,
    }
}

/// The checks of every semester of the scheme begun by `as_of`, for `school_ids`.
pub async fn measure(
    state: &AppState,
    district_id: i64,
    semesters: &[semester::Model],
    school_ids: &[i64],
    as_of: NaiveDate,
) -> DomainResult<Measured> {
    let mut out = Measured::default();
    let begun: Vec<&semester::Model> = semesters.iter().filter(|s| s.start_date <= as_of).collect();
    let school_year = semesters.len() > 1;
    let target = Target { district_id, school_ids: Some(school_ids.to_vec()), ..Default::default() };
    for (i, semester) in begun.iter().enumerate() {
        let last = i + 1 == begun.len();
        let request = Request {
            semester_id: Some(semester.id),
            as_of: as_of.min(semester.end_date),
            drafts: if last { vec![attendance_rule(school_year)] } else { vec![] },
            include_saved: true,
            ..Default::default()
        };
        let kept = kept_for(state, semester, &target, &request).await?;
        for item in kept.all(&Filter { target: Some(target.clone()), ..Filter::default() }) {
            let met = item.status == Status::Met;
            if item.rule.id.is_none() {
                if item.subject.kind == SubjectType::Teacher {
                    out.attendance.insert(item.subject.id, item.actual);
                }
                continue;
            }
            let outcome = RuleOutcome {
                rule_id: item.rule.id,
                name: item.rule.name.clone(),
                severity: match item.rule.severity {
                    rules::Severity::Required => Severity::Required,
                    rules::Severity::Target => Severity::Target,
                },
                semester: semester.name.clone(),
                required: item.required,
                actual: item.actual,
                met,
            };
            match item.subject.kind {
                SubjectType::Teacher => out.teacher_rules.entry(item.subject.id).or_default().push(outcome),
                SubjectType::Group => out.group_rules.entry(item.subject.id).or_default().push(outcome),
                SubjectType::Mentorship => {
                    let pair = out.pair_rules.entry(item.subject.id).or_default();
                    pair.0 += 1;
                    pair.1 += u32::from(met);
                }
                SubjectType::School => {}
            }
        }
    }
    Ok(out)
}
