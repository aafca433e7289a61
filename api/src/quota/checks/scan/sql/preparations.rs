//! The statements of the collective-preparation sources (集体备课, seed 003): drafts by their
//! lead, revision notes by their co-preparer, and preparations by their group. Only live
//! (not archived) preparations count.

use entities::{preparation, preparation_note};
use sea_orm::sea_query::{ExprTrait, Query, SelectStatement};
use sea_orm::ColumnTrait;

use super::{col, columns, grouped, one, sum, sum_where, zero, Place};
use crate::quota::checks::scan::SourcePlan;
use crate::quota::fold::Segment;
use crate::quota::rules::Metric;

/// `prep_drafts_on_time`: submitted drafts by lead, dated by the day submitted; 1 when on time.
pub(super) fn drafts(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let lead = col(preparation::Entity, preparation::Column::LeadTeacherId);
    let mut q = Query::select();
    q.from(preparation::Entity)
        .and_where(preparation::Column::ArchivedAt.is_null())
        .and_where(preparation::Column::DraftSubmittedOn.is_not_null())
        .and_where(lead.clone().in_subquery(place.teachers()));
    let cols = columns(plan, |metric| match metric {
        Metric::PrepDraftsOnTime => vec![sum_where(
            sea_orm::Condition::all().add(col(preparation::Entity, preparation::Column::DraftLate).eq(false)),
            one(),
        )],
        _ => vec![sum(zero())],
    });
    grouped(q, lead, col(preparation::Entity, preparation::Column::DraftSubmittedOn), segments, cols)
}

/// `prep_notes_given`: revision notes by the co-preparer who wrote them, dated by the day written.
pub(super) fn notes(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let author = col(preparation_note::Entity, preparation_note::Column::TeacherId);
    let mut q = Query::select();
    q.from(preparation_note::Entity)
        .inner_join(
            preparation::Entity,
            col(preparation::Entity, preparation::Column::Id)
                .equals((preparation_note::Entity, preparation_note::Column::PreparationId)),
        )
        .and_where(preparation::Column::ArchivedAt.is_null())
        .and_where(author.clone().in_subquery(place.teachers()));
    let cols = columns(plan, |metric| match metric {
        Metric::PrepNotesGiven => vec![sum(one())],
        _ => vec![sum(zero())],
    });
    grouped(q, author, col(preparation_note::Entity, preparation_note::Column::WrittenOn), segments, cols)
}

/// `prep_completion_share`: the group's preparations by session day, 1 of 1 when completed.
pub(super) fn group_preparations(place: &Place, plan: &SourcePlan, segments: &[Segment]) -> SelectStatement {
    let group = col(preparation::Entity, preparation::Column::GroupId);
    let mut q = Query::select();
    q.from(preparation::Entity)
        .and_where(preparation::Column::ArchivedAt.is_null())
        .and_where(group.clone().in_subquery(place.groups()));
    let cols = columns(plan, |metric| match metric {
        Metric::PrepCompletionShare => vec![
            sum_where(
                sea_orm::Condition::all().add(col(preparation::Entity, preparation::Column::CompletedOn).is_not_null()),
                one(),
            ),
            sum(one()),
        ],
        _ => vec![sum(zero())],
    });
    grouped(q, group, col(preparation::Entity, preparation::Column::SessionOn), segments, cols)
}
