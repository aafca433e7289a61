//! A scheme's results, computed: the inputs loaded for the whole place (one statement per kind,
//! plus the quota checks), scored by the appraisal core, ranked within each school.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entities::appraisal_scheme;
use entities::enums::{AssessmentGrade, AwardRank, Level};
use jiaoyan_appraisal::inputs::{Award, GroupInputs, InspectionMark, PairOutcome, PairRole, PrepShare, TeacherInputs};
use jiaoyan_appraisal::points::Cents;
use jiaoyan_appraisal::rank::ranks;
use jiaoyan_appraisal::scheme::{AwardLevel, Grade, InspectionGrade, SchemeSpec};
use jiaoyan_appraisal::score::{score_group, score_teacher};

use super::measure::{measure, Measured};
use super::queries::{awards_of, groups_of, pairs_of, schools_of, semesters_of, teachers_of};
use super::views::ResultView;
use crate::domain::{DomainError, DomainResult};
use crate::inspections::results::grades_in_period;
use crate::preparations::queries::{completion_by_group, completion_by_teacher};
use crate::state::AppState;

/// What a computation produced: the day it is as of, teachers' and groups' results, ranked.
pub struct Computed {
    pub as_of: NaiveDate,
    pub teachers: Vec<ResultView>,
    pub groups: Vec<ResultView>,
}

/// The scheme's scoring, or a 500 for a stored scoring the core no longer reads.
pub fn spec_of(scheme: &appraisal_scheme::Model) -> DomainResult<SchemeSpec> {
    serde_json::from_value(scheme.spec.clone())
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("appraisal scheme {}: {e}", scheme.id)))
}

/// Computes the results of `scheme` as of `today` (or the end of its period, if earlier), for its
/// schools or only `school_id`.
pub async fn compute(
    state: &AppState,
    scheme: &appraisal_scheme::Model,
    school_id: Option<i64>,
    today: NaiveDate,
) -> DomainResult<Computed> {
    let db = state.reads();
    let spec = spec_of(scheme)?;
    let semesters = semesters_of(db, scheme.district_id, scheme.semester_id, scheme.school_year.as_deref()).await?;
    let (Some(first), Some(last)) = (semesters.first(), semesters.last()) else {
        return Err(DomainError::conflict("semester_id", "the scheme's semester or school year has no semester"));
    };
    let as_of = today.min(last.end_date);
    let window = (first.start_date, as_of);
    if as_of < first.start_date {
        return Err(DomainError::conflict("semester_id", "the scheme's period has not begun"));
    }
    let schools = schools_of(db, scheme, school_id).await?;
    let school_ids: Vec<i64> = schools.iter().map(|(id, _)| *id).collect();
    let teachers = teachers_of(db, &school_ids, window).await?;
    let groups = groups_of(db, &school_ids, as_of).await?;
    let awards = awards_of(db, &school_ids, window).await?;
    let pairs = pairs_of(db, &school_ids, window).await?;
    let measured = measure(state, scheme.district_id, &semesters, &school_ids, as_of).await?;
    let mut inputs: BTreeMap<i64, TeacherInputs> =
        teachers.iter().map(|(id, ..)| (*id, TeacherInputs::default())).collect();
    let mut group_preps = school_work(db, scheme.district_id, &school_ids, window, &mut inputs).await?;

    let names: HashMap<i64, &str> = teachers.iter().map(|(id, name, _)| (*id, name.as_str())).collect();
    for (record_id, author, title, level, rank) in awards {
        if let Some(i) = inputs.get_mut(&author) {
            i.awards.push(Award { record_id, title, level: level_of(level), rank: rank_of(rank) });
        }
    }
    for pair in &pairs {
        let (checked, met) = measured.pair_rules.get(&pair.id).copied().unwrap_or((0, 0));
        for (me, other, role) in [
            (pair.mentor_teacher_id, pair.mentee_teacher_id, PairRole::Mentor),
            (pair.mentee_teacher_id, pair.mentor_teacher_id, PairRole::Mentee),
        ] {
            if let Some(i) = inputs.get_mut(&me) {
                i.pairs.push(PairOutcome {
                    mentorship_id: pair.id,
                    role,
                    partner: names.get(&other).map_or_else(|| format!("#{other}"), |n| n.to_string()),
                    rules_checked: checked,
                    rules_met: met,
                    assessment: pair.assessment_grade.map(grade_of),
                });
            }
        }
    }
    let Measured { mut teacher_rules, mut group_rules, attendance, .. } = measured;
    let mut scored: Vec<(ResultView, Cents)> = teachers
        .iter()
        .map(|(id, name, school)| {
            let mut i = inputs.remove(id).unwrap_or_default();
            i.rules = teacher_rules.remove(id).unwrap_or_default();
            i.attendance_rate = attendance.get(id).copied();
            let (cents, breakdown) = score_teacher(&spec, &i);
            (result("teacher", *id, name, Some(*school), breakdown), cents)
        })
        .collect();
    let by_teacher: HashMap<i64, Cents> = scored.iter().map(|(r, c)| (r.subject_id, *c)).collect();
    let mut scored_groups: Vec<(ResultView, Cents)> = groups
        .into_iter()
        .map(|(id, name, school, members)| {
            let g = GroupInputs {
                member_scores: members.iter().filter_map(|t| by_teacher.get(t).copied()).collect(),
                rules: group_rules.remove(&id).unwrap_or_default(),
                preparations: group_preps.remove(&id),
            };
            let (cents, breakdown) = score_group(&spec, &g);
            (result("group", id, &name, school, breakdown), cents)
        })
        .collect();
    rank_within_schools(&mut scored);
    rank_within_schools(&mut scored_groups);
    Ok(Computed {
        as_of,
        teachers: scored.into_iter().map(|(r, _)| r).collect(),
        groups: scored_groups.into_iter().map(|(r, _)| r).collect(),
    })
}

/// The school workflows' inputs of the teachers in `inputs`: their inspection grades and their
/// collective preparations in `window`; returns the groups' preparations. Three statements.
async fn school_work(
    db: &impl sea_orm::ConnectionTrait,
    district_id: i64,
    school_ids: &[i64],
    (from, to): (NaiveDate, NaiveDate),
    inputs: &mut BTreeMap<i64, TeacherInputs>,
) -> DomainResult<HashMap<i64, PrepShare>> {
    let one_school = match school_ids {
        [only] => Some(*only),
        _ => None,
    };
    for g in grades_in_period(db, district_id, one_school, from, to).await? {
        if let Some(i) = inputs.get_mut(&g.teacher_id) {
            let label = format!("{} {} · {}", g.inspected_on, inspection_kind_zh(g.kind), g.item_name);
            let grade = g.grade.map(inspection_grade_of);
            i.inspections.push(InspectionMark { inspection_id: g.inspection_id, label, grade, points: g.points });
        }
    }
    for c in completion_by_teacher(db, district_id, Some(school_ids), from, to).await? {
        if let Some(i) = inputs.get_mut(&c.teacher_id) {
            let share = i.preparations.get_or_insert_with(PrepShare::default);
            share.completed += u32::try_from(c.own_parts_done).unwrap_or(0);
            share.total += u32::try_from(c.total).unwrap_or(0);
        }
    }
    let groups = completion_by_group(db, district_id, Some(school_ids), from, to).await?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let share = PrepShare {
                completed: u32::try_from(g.completed).unwrap_or(0),
                total: u32::try_from(g.total).unwrap_or(0),
            };
            (g.group_id, share)
        })
        .collect())
}

fn inspection_kind_zh(kind: entities::enums::InspectionKind) -> &'static str {
    use entities::enums::InspectionKind as K;
    match kind {
        K::Monthly => "月查",
        K::MidTerm => "期中检查",
        K::EndOfTerm => "期末检查",
        K::Random => "随机检查",
    }
}

fn inspection_grade_of(grade: entities::enums::InspectionGrade) -> InspectionGrade {
    use entities::enums::InspectionGrade as G;
    match grade {
        G::Excellent => InspectionGrade::Excellent,
        G::Good => InspectionGrade::Good,
        G::Pass => InspectionGrade::Pass,
        G::NeedsImprovement => InspectionGrade::NeedsImprovement,
    }
}

fn result(
    kind: &str,
    id: i64,
    name: &str,
    school_id: Option<i64>,
    breakdown: jiaoyan_appraisal::score::Breakdown,
) -> ResultView {
    ResultView {
        subject_type: kind.into(),
        subject_id: id,
        name: name.into(),
        school_id,
        score: breakdown.score,
        rank: 0,
        breakdown,
    }
}

/// Ranks each school's results among themselves and orders them: school, rank, name.
fn rank_within_schools(rows: &mut [(ResultView, Cents)]) {
    let mut by_school: BTreeMap<Option<i64>, Vec<usize>> = BTreeMap::new();
    for (i, (r, _)) in rows.iter().enumerate() {
        by_school.entry(r.school_id).or_default().push(i);
    }
    for indexes in by_school.values() {
        let scores: Vec<Cents> = indexes.iter().map(|i| rows[*i].1).collect();
        for (i, rank) in indexes.iter().zip(ranks(&scores)) {
            rows[*i].0.rank = rank as i32;
        }
    }
    rows.sort_by(|a, b| {
        (a.0.school_id, a.0.rank, &a.0.name, a.0.subject_id).cmp(&(b.0.school_id, b.0.rank, &b.0.name, b.0.subject_id))
    });
}

fn level_of(level: Level) -> AwardLevel {
    match level {
        Level::National => AwardLevel::National,
        Level::Province => AwardLevel::Province,
        Level::City => AwardLevel::City,
        Level::County => AwardLevel::County,
        Level::District => AwardLevel::District,
        Level::School => AwardLevel::School,
    }
}

fn rank_of(rank: AwardRank) -> jiaoyan_appraisal::scheme::AwardRank {
    use jiaoyan_appraisal::scheme::AwardRank as R;
    match rank {
        AwardRank::Special => R::Special,
        AwardRank::First => R::First,
        AwardRank::Second => R::Second,
        AwardRank::Third => R::Third,
        AwardRank::Merit => R::Merit,
    }
}

fn grade_of(grade: AssessmentGrade) -> Grade {
    match grade {
        AssessmentGrade::Excellent => Grade::Excellent,
        AssessmentGrade::Good => Grade::Good,
        AssessmentGrade::Pass => Grade::Pass,
        AssessmentGrade::Fail => Grade::Fail,
    }
}
