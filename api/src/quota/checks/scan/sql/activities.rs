//! The statements of the activity sources: lessons given, activities held by a group or a
//! school, and participations by participant or by the activity's group.

use entities::enums::{ActivityType, AttendanceStatus, LessonKind, Modality, OrganiserKind};
use entities::{activity, activity_lesson, activity_participant};
use sea_orm::sea_query::{Condition, ExprTrait, IntoCondition, Query, SelectStatement};
use sea_orm::ColumnTrait;

use super::{col, columns, grouped, held, one, sum, sum_where, zero, Place};
use crate::quota::checks::scan::{Source, SourcePlan};
use crate::quota::fold::Segment;
use crate::quota::rules::Metric;

pub(super) fn lessons(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let teacher = col(activity_lesson::Entity, activity_lesson::Column::TeacherId);
    let mut q = Query::select();
    q.from(activity_lesson::Entity).inner_join(
        activity::Entity,
        col(activity::Entity, activity::Column::Id)
            .equals((activity_lesson::Entity, activity_lesson::Column::ActivityId)),
    );
    held(&mut q);
    q.and_where(teacher.clone().in_subquery(place.teachers()));
    let cols = columns(plan, |metric| match metric {
        Metric::LessonsGiven { lesson_kinds } if !lesson_kinds.is_empty() => vec![sum_where(
            col(activity_lesson::Entity, activity_lesson::Column::LessonKind)
                .is_in(lesson_kinds.iter().map(|k| LessonKind::from(*k)))
                .into_condition(),
            one(),
        )],
        Metric::LessonsGiven { .. } => vec![sum(one())],
        _ => vec![sum(zero())],
    });
    grouped(q, teacher, col(activity::Entity, activity::Column::Date), segments, cols)
}

pub(super) fn activities(source: Source, place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let (organiser, subject, scope) = match source {
        Source::SchoolActivities => (OrganiserKind::School, activity::Column::SchoolId, place.schools()),
        _ => (OrganiserKind::Group, activity::Column::GroupId, place.groups()),
    };
    let subject = col(activity::Entity, subject);
    let mut q = Query::select();
    q.from(activity::Entity);
    held(&mut q);
    q.and_where(activity::Column::OrganiserKind.eq(organiser)).and_where(subject.clone().in_subquery(scope));
    let cols = columns(plan, |metric| {
        let Metric::ActivitiesHeld { activity_types, modality } = metric else { return vec![sum(zero())] };
        let mut cond = Condition::all();
        if !activity_types.is_empty() {
            cond = cond.add(
                col(activity::Entity, activity::Column::ActivityType)
                    .is_in(activity_types.iter().map(|t| ActivityType::from(*t))),
            );
        }
        if let Some(modality) = modality {
            cond = cond.add(col(activity::Entity, activity::Column::Modality).eq(Modality::from(*modality)));
        }
        vec![sum_where(cond, one())]
    });
    grouped(q, subject, col(activity::Entity, activity::Column::Date), segments, cols)
}

pub(super) fn participations(
    source: Source,
    place: &Place,
    plan: &SourcePlan,
    segments: &[Segment],
) -> SelectStatement {
    let (subject, scope) = match source {
        Source::GroupParticipations => (col(activity::Entity, activity::Column::GroupId), place.groups()),
        _ => (col(activity_participant::Entity, activity_participant::Column::TeacherId), place.teachers()),
    };
    let mut q = Query::select();
    q.from(activity_participant::Entity).inner_join(
        activity::Entity,
        col(activity::Entity, activity::Column::Id)
            .equals((activity_participant::Entity, activity_participant::Column::ActivityId)),
    );
    held(&mut q);
    q.and_where(subject.clone().in_subquery(scope));
    let status = || col(activity_participant::Entity, activity_participant::Column::Status);
    let expected = || col(activity_participant::Entity, activity_participant::Column::Expected).eq(true);
    let cols = columns(plan, |metric| match metric {
        Metric::ActivitiesAttended { activity_types } => {
            let mut cond = Condition::all().add(status().is_in([AttendanceStatus::Present, AttendanceStatus::Late]));
            if !activity_types.is_empty() {
                cond = cond.add(
                    col(activity::Entity, activity::Column::ActivityType)
                        .is_in(activity_types.iter().map(|t| ActivityType::from(*t))),
                );
            }
            vec![sum_where(cond, one())]
        }
        Metric::AttendanceRate => vec![
            sum_where(Condition::all().add(expected()), one()),
            sum_where(
                Condition::all()
                    .add(expected())
                    .add(status().is_in([AttendanceStatus::Present, AttendanceStatus::Late])),
                one(),
            ),
            sum_where(Condition::all().add(expected()).add(status().eq(AttendanceStatus::OnLeave)), one()),
        ],
        _ => vec![sum(zero())],
    });
    grouped(q, subject, col(activity::Entity, activity::Column::Date), segments, cols)
}
