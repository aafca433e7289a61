//! The statement of the records source: records by author and, for the measures that count
//! them, by each co-author.

use entities::enums::{LessonPlanForm, RecordKind};
use entities::{record, record_coauthor};
use sea_orm::sea_query::{Condition, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::ColumnTrait;

use super::{col, columns, grouped, one, sum, sum_where, zero, Aggregate, Place};
use crate::quota::checks::scan::SourcePlan;
use crate::quota::fold::Segment;
use crate::quota::rules::Metric;
use jiaoyan_quota::vocab;

/// The record filters of a measure, on the row.
fn record_filters(
    kinds: &[vocab::RecordKind],
    min_words: Option<i32>,
    on_time_only: bool,
    form: Option<vocab::LessonPlanForm>,
) -> Condition {
    let mut cond = Condition::all();
    if !kinds.is_empty() {
        cond = cond.add(col(record::Entity, record::Column::Kind).is_in(kinds.iter().map(|k| RecordKind::from(*k))));
    }
    if let Some(min) = min_words {
        cond = cond.add(col(record::Entity, record::Column::WordCount).gte(min));
    }
    if on_time_only {
        cond = cond.add(col(record::Entity, record::Column::Late).eq(false));
    }
    if let Some(form) = form {
        cond = cond.add(col(record::Entity, record::Column::LessonPlanForm).eq(LessonPlanForm::from(form)));
    }
    cond
}

/// A record measure's columns, on an author's row (`coauthor` false) or a co-author's.
fn record_columns(metric: &Metric, coauthor: bool) -> Vec<Aggregate> {
    match metric {
        Metric::Records { kinds, min_words, on_time_only, lesson_plan_form, include_coauthored } => {
            if coauthor && !include_coauthored {
                return vec![sum(zero())];
            }
            vec![sum_where(record_filters(kinds, *min_words, *on_time_only, *lesson_plan_form), one())]
        }
        _ if coauthor => vec![sum(zero()); if matches!(metric, Metric::FullLessonPlanShare) { 2 } else { 1 }],
        Metric::RecordWords { kinds, on_time_only } => vec![sum_where(
            record_filters(kinds, None, *on_time_only, None),
            col(record::Entity, record::Column::WordCount),
        )],
        Metric::RecordHours { kinds } => {
            vec![sum_where(record_filters(kinds, None, false, None), col(record::Entity, record::Column::Hours))]
        }
        Metric::FullLessonPlanShare => {
            let plans = record_filters(&[vocab::RecordKind::LessonPlan], None, false, None);
            let full = plans.clone().add(col(record::Entity, record::Column::LessonPlanForm).eq(LessonPlanForm::Full));
            vec![sum_where(full, one()), sum_where(plans, one())]
        }
        _ => vec![sum(zero())],
    }
}

/// The rows some measure of the plan counts on an author's row (`coauthor` false) or a
/// co-author's, or `None` when one counts every row: a scan at one grain reads only its
/// measures' records ([`super::ScanKey`]).
fn records_counted(plan: &SourcePlan, coauthor: bool) -> Option<Condition> {
    let mut counted = Condition::any();
    for m in &plan.measures {
        let cond = match &m.metric {
            Metric::Records { include_coauthored: false, .. } if coauthor => continue,
            Metric::Records { kinds, min_words, on_time_only, lesson_plan_form, .. } => {
                record_filters(kinds, *min_words, *on_time_only, *lesson_plan_form)
            }
            _ if coauthor => continue,
            Metric::RecordWords { kinds, on_time_only } => record_filters(kinds, None, *on_time_only, None),
            Metric::RecordHours { kinds } => {
                record_filters(kinds, None, false, None).add(col(record::Entity, record::Column::Hours).is_not_null())
            }
            Metric::FullLessonPlanShare => record_filters(&[vocab::RecordKind::LessonPlan], None, false, None),
            _ => continue,
        };
        if cond.is_empty() {
            return None;
        }
        counted = counted.add(cond);
    }
    Some(counted).filter(|c| !c.is_empty())
}

pub(super) fn records(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let author = col(record::Entity, record::Column::AuthorTeacherId);
    let day = col(record::Entity, record::Column::WrittenOn);
    let mut q = Query::select();
    q.from(record::Entity)
        .and_where(record::Column::ArchivedAt.is_null())
        .and_where(author.clone().in_subquery(place.teachers()));
    if let Some(counted) = records_counted(plan, false) {
        q.cond_where(counted);
    }
    let mut statement = grouped(q, author, day.clone(), segments, columns(plan, |m| record_columns(m, false)));
    let coauthored = plan.measures.iter().any(|m| matches!(m.metric, Metric::Records { include_coauthored: true, .. }));
    if coauthored {
        // Each co-author who is not also the author.
        let coauthor = col(record_coauthor::Entity, record_coauthor::Column::TeacherId);
        let mut q = Query::select();
        q.from(record::Entity)
            .inner_join(
                record_coauthor::Entity,
                col(record_coauthor::Entity, record_coauthor::Column::RecordId)
                    .equals((record::Entity, record::Column::Id))
                    .and(coauthor.clone().ne(col(record::Entity, record::Column::AuthorTeacherId))),
            )
            .and_where(record::Column::ArchivedAt.is_null())
            .and_where(coauthor.clone().in_subquery(place.teachers()));
        if let Some(counted) = records_counted(plan, true) {
            q.cond_where(counted);
        }
        statement
            .union(UnionType::All, grouped(q, coauthor, day, segments, columns(plan, |m| record_columns(m, true))));
    }
    statement
}
