//! The evidence of the collective-preparation metrics (集体备课): a lead's drafts, a
//! co-preparer's revision notes, a group's preparations, each judged as
//! [`crate::quota::counting`] counts them.

use std::collections::HashMap;

use entities::{preparation, preparation_note};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Context, Evidence, EvidenceSource};
use crate::domain::DomainResult;
use crate::quota::rules::Metric;

/// "语文 三年级《秋天的雨》".
fn title(p: &preparation::Model) -> String {
    format!("{} {}年级《{}》", p.subject, p.grade, p.lesson_title)
}

/// The lead's submitted drafts: counted when on time, otherwise "late (due …)".
pub(super) async fn drafts(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    teacher_id: i64,
) -> DomainResult<Vec<Evidence>> {
    let found = preparation::Entity::find()
        .filter(preparation::Column::LeadTeacherId.eq(teacher_id))
        .filter(preparation::Column::ArchivedAt.is_null())
        .filter(preparation::Column::DraftSubmittedOn.between(ctx.span.0, ctx.span.1))
        .order_by_asc(preparation::Column::Id)
        .all(db)
        .await?;
    Ok(found
        .iter()
        .filter_map(|p| {
            let on = p.draft_submitted_on?;
            let reason = p.draft_late.then(|| format!("late: due {}, submitted {on}", p.draft_due_on));
            Some(ctx.judged(EvidenceSource::Preparation, p.id, on, title(p), 1.0, reason))
        })
        .collect())
}

/// The co-preparer's revision notes on live preparations.
pub(super) async fn notes(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    teacher_id: i64,
) -> DomainResult<Vec<Evidence>> {
    let found = preparation_note::Entity::find()
        .filter(preparation_note::Column::TeacherId.eq(teacher_id))
        .filter(preparation_note::Column::WrittenOn.between(ctx.span.0, ctx.span.1))
        .order_by_asc(preparation_note::Column::Id)
        .all(db)
        .await?;
    let mut noted = Query::select();
    noted
        .column(preparation_note::Column::PreparationId)
        .from(preparation_note::Entity)
        .and_where(preparation_note::Column::TeacherId.eq(teacher_id));
    let live: HashMap<i64, preparation::Model> = preparation::Entity::find()
        .filter(preparation::Column::Id.in_subquery(noted))
        .filter(preparation::Column::ArchivedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(found
        .iter()
        .filter_map(|n| {
            let title = format!("{} · 第{}节修改意见", title(live.get(&n.preparation_id)?), n.section + 1);
            Some(ctx.judged(EvidenceSource::PreparationNote, n.id, n.written_on, title, 1.0, None))
        })
        .collect())
}

/// The group's preparations by session day, valued 1 when completed through every stage.
pub(super) async fn group(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    group_id: i64,
    metric: &Metric,
) -> DomainResult<Vec<Evidence>> {
    debug_assert!(matches!(metric, Metric::PrepCompletionShare));
    let found = preparation::Entity::find()
        .filter(preparation::Column::GroupId.eq(group_id))
        .filter(preparation::Column::ArchivedAt.is_null())
        .filter(preparation::Column::SessionOn.between(ctx.span.0, ctx.span.1))
        .order_by_asc(preparation::Column::Id)
        .all(db)
        .await?;
    Ok(found
        .iter()
        .map(|p| {
            let value = if p.completed_on.is_some() { 1.0 } else { 0.0 };
            ctx.judged(EvidenceSource::Preparation, p.id, p.session_on, title(p), value, None)
        })
        .collect())
}
