//! Database access.

use super::views::*;
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{sees_group, visible_group_ids};
use crate::resource::{ensure_unique, sorted};
use crate::validate::Checks;
use entities::{group, research_topic, semester};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

/// A topic of a group the caller sees, with that group, or 404.
pub(super) async fn load_topic(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<(research_topic::Model, group::Model)> {
    let topic = research_topic::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("research topic"))?;
    let group = group::Entity::find_by_id(topic.group_id)
        .one(db)
        .await?
        .filter(|g| sees_group(actor, g))
        .ok_or_else(|| DomainError::not_found("research topic"))?;
    Ok((topic, group))
}

/// The semester must belong to the group's district.
pub(super) async fn check_semester(
    db: &impl ConnectionTrait,
    group: &group::Model,
    semester_id: i64,
    checks: &mut Checks,
) -> DomainResult<()> {
    let found = semester::Entity::find_by_id(semester_id).one(db).await?;
    checks.ensure(
        found.is_some_and(|s| s.district_id == group.district_id && s.archived_at.is_none()),
        "semester_id",
        "no such semester in the group's district",
    );
    Ok(())
}

/// 409 when the group already has a live topic for the semester.
pub(super) async fn check_one_per_semester(
    db: &impl ConnectionTrait,
    group_id: i64,
    semester_id: i64,
    except: Option<i64>,
) -> DomainResult<()> {
    let query = research_topic::Entity::find()
        .filter(research_topic::Column::GroupId.eq(group_id))
        .filter(research_topic::Column::SemesterId.eq(semester_id))
        .filter(research_topic::Column::ArchivedAt.is_null());
    ensure_unique(
        db,
        query,
        research_topic::Column::Id,
        except,
        "semester_id",
        "the group already has a research topic for this semester",
    )
    .await?;
    Ok(())
}

/// What `list_research_topics` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn topics_matching(
    actor: &Actor,
    f: &ResearchTopicFilter,
) -> DomainResult<sea_orm::Select<research_topic::Entity>> {
    let mut query =
        research_topic::Entity::find().filter(research_topic::Column::GroupId.in_subquery(visible_group_ids(actor)));
    if let Some(g) = f.group_id {
        query = query.filter(research_topic::Column::GroupId.eq(g));
    }
    if let Some(s) = f.semester_id {
        query = query.filter(research_topic::Column::SemesterId.eq(s));
    }
    if let Some(school_id) = f.school_id {
        let of_school =
            group::Entity::find().select_only().column(group::Column::Id).filter(group::Column::SchoolId.eq(school_id));
        query = query.filter(research_topic::Column::GroupId.in_subquery(of_school.into_query()));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(research_topic::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        f.sort.as_deref(),
        &[
            ("title", research_topic::Column::Title),
            ("created_at", research_topic::Column::CreatedAt),
            ("id", research_topic::Column::Id),
        ],
        research_topic::Column::Id,
    )
}
