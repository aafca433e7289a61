//! The statements of the observation sources: observations by observer, and those between the
//! two teachers of a pair, by pair.

use entities::enums::LessonKind;
use entities::{mentorship, observation, teacher_subject};
use sea_orm::sea_query::{Condition, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::ColumnTrait;

use super::{col, columns, grouped, one, sum, sum_where, zero, Place, Within};
use crate::quota::checks::scan::SourcePlan;
use crate::quota::fold::Segment;
use crate::quota::rules::Metric;
use jiaoyan_quota::vocab;

/// `observations.lesson_kind IN (…)`, or no condition for an empty list (any kind).
pub(super) fn observed_kinds(kinds: &[vocab::LessonKind]) -> Condition {
    let cond = Condition::all();
    if kinds.is_empty() {
        return cond;
    }
    cond.add(
        col(observation::Entity, observation::Column::LessonKind).is_in(kinds.iter().map(|k| LessonKind::from(*k))),
    )
}

pub(super) fn observations(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let observer = col(observation::Entity, observation::Column::ObserverTeacherId);
    let mut q = Query::select();
    q.from(observation::Entity)
        .and_where(observation::Column::ArchivedAt.is_null())
        .and_where(observer.clone().in_subquery(place.teachers()));
    let same_subject =
        plan.measures.iter().any(|m| matches!(m.metric, Metric::Observations { same_subject: true, .. }));
    if same_subject {
        // (teacher_id, subject) is the key of teacher_subjects: the join adds no rows.
        q.left_join(
            teacher_subject::Entity,
            col(teacher_subject::Entity, teacher_subject::Column::TeacherId)
                .equals((observation::Entity, observation::Column::ObserverTeacherId))
                .and(
                    col(teacher_subject::Entity, teacher_subject::Column::Subject)
                        .equals((observation::Entity, observation::Column::Subject)),
                ),
        );
    }
    let cols = columns(plan, |metric| {
        let Metric::Observations { lesson_kinds, same_subject, same_school, critique_given, feedback_complete } =
            metric
        else {
            return vec![sum(zero())];
        };
        let mut cond = observed_kinds(lesson_kinds);
        if *same_subject {
            cond = cond.add(col(teacher_subject::Entity, teacher_subject::Column::TeacherId).is_not_null());
        }
        if *same_school {
            cond = cond.add(
                col(observation::Entity, observation::Column::ObservedSchoolId)
                    .equals((observation::Entity, observation::Column::ObserverSchoolId)),
            );
        }
        if *critique_given {
            cond = cond.add(col(observation::Entity, observation::Column::CritiqueGiven).eq(true));
        }
        if *feedback_complete {
            cond = cond
                .add(col(observation::Entity, observation::Column::StrengthsCount).gt(0))
                .add(col(observation::Entity, observation::Column::WeaknessesCount).gt(0))
                .add(col(observation::Entity, observation::Column::SuggestionsCount).gt(0));
        }
        vec![sum_where(cond, one())]
    });
    grouped(q, observer, col(observation::Entity, observation::Column::ObservedOn), segments, cols)
}

pub(super) fn pair_observations(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    // One branch per direction a measure counts: mentor → mentee, mentee → mentor.
    let branch = |mentor_observes: bool| {
        let (observer, observed) = if mentor_observes {
            (mentorship::Column::MentorTeacherId, mentorship::Column::MenteeTeacherId)
        } else {
            (mentorship::Column::MenteeTeacherId, mentorship::Column::MentorTeacherId)
        };
        let mut q = Query::select();
        q.from(observation::Entity)
            .inner_join(
                mentorship::Entity,
                col(observation::Entity, observation::Column::ObserverTeacherId)
                    .equals((mentorship::Entity, observer))
                    .and(
                        col(observation::Entity, observation::Column::ObservedTeacherId)
                            .equals((mentorship::Entity, observed)),
                    ),
            )
            .and_where(observation::Column::ArchivedAt.is_null())
            .and_where(col(mentorship::Entity, mentorship::Column::DistrictId).eq(place.district_id));
        if place.within != Within::District {
            q.and_where(col(mentorship::Entity, mentorship::Column::SchoolId).in_subquery(place.schools()));
        }
        let cols = columns(plan, |metric| {
            let (counts, lesson_kinds): (bool, &[vocab::LessonKind]) = match metric {
                Metric::MentorObservesMentee { lesson_kinds } => (mentor_observes, lesson_kinds),
                Metric::MenteeObservesMentor { lesson_kinds } => (!mentor_observes, lesson_kinds),
                _ => (false, &[]),
            };
            if !counts {
                return vec![sum(zero())];
            }
            vec![sum_where(observed_kinds(lesson_kinds), one())]
        });
        grouped(
            q,
            col(mentorship::Entity, mentorship::Column::Id),
            col(observation::Entity, observation::Column::ObservedOn),
            segments,
            cols,
        )
    };
    let wants = |mentor: bool| {
        plan.measures.iter().any(|m| match m.metric {
            Metric::MentorObservesMentee { .. } => mentor,
            Metric::MenteeObservesMentor { .. } => !mentor,
            _ => false,
        })
    };
    match (wants(true), wants(false)) {
        (true, true) => {
            let mut q = branch(true);
            q.union(UnionType::All, branch(false));
            q
        }
        (false, true) => branch(false),
        _ => branch(true),
    }
}
