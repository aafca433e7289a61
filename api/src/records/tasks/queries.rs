//! Database checks of the record tasks' owners and semesters.

use super::access::{asked_of_teacher, visible_tasks};
use super::views::{NewRecordTask, RecordTaskFilter};
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{load_group, require_manages_contents};
use crate::resource::sorted;
use crate::validate::Checks;
use chrono::NaiveDate;
use entities::{district, record_task, school, semester};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub(super) const MAX_DESCRIPTION_CHARS: usize = 5000;

/// Where a new task belongs: its district, school and group.
pub(super) struct Owner {
    pub(super) district_id: i64,
    pub(super) school_id: Option<i64>,
    pub(super) group_id: Option<i64>,
}

/// The owner named by a new task, if the caller sees it (422 "no such ..." otherwise) and may
/// set tasks for it (403 otherwise).
pub(super) async fn owner_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    body: &NewRecordTask,
    checks: &mut Checks,
) -> DomainResult<Owner> {
    let what = "set tasks for this school, group or district";
    let owner = match (body.group_id, body.school_id) {
        (Some(group_id), school_id) => {
            let group = match load_group(db, actor, group_id).await {
                Ok(g) if g.archived_at.is_none() => g,
                Ok(_) | Err(DomainError::NotFound(_)) => return Err(DomainError::invalid("group_id", "no such group")),
                Err(e) => return Err(e),
            };
            require_manages_contents(db, actor, &group).await.map_err(|e| match e {
                DomainError::Forbidden(_) => {
                    DomainError::forbidden(format!("your role ({}) may not {what}", actor.role.code()))
                }
                other => other,
            })?;
            if school_id.is_some_and(|s| group.school_id != Some(s)) {
                checks.fail("school_id", "must be the group's school (or left out)");
            }
            Owner { district_id: group.district_id, school_id: group.school_id, group_id: Some(group.id) }
        }
        (None, Some(school_id)) => {
            let found = school::Entity::find_by_id(school_id)
                .one(db)
                .await?
                .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id))
                .ok_or_else(|| DomainError::invalid("school_id", "no such school"))?;
            actor.require(actor.administers_school(found.district_id, found.id), what)?;
            Owner { district_id: found.district_id, school_id: Some(found.id), group_id: None }
        }
        (None, None) => {
            let district_id = body.district_id.or(actor.district_id).ok_or_else(|| {
                DomainError::invalid("district_id", "required for a district-wide task (or give school_id or group_id)")
            })?;
            let found = district::Entity::find_by_id(district_id)
                .one(db)
                .await?
                .filter(|d| d.archived_at.is_none() && actor.sees_district(d.id))
                .ok_or_else(|| DomainError::invalid("district_id", "no such district"))?;
            actor.require(actor.administers_district(found.id), what)?;
            Owner { district_id: found.id, school_id: None, group_id: None }
        }
    };
    if body.district_id.is_some_and(|d| d != owner.district_id) {
        checks.fail("district_id", "must be the district of the school or group (or left out)");
    }
    Ok(owner)
}

/// The semester must be a live one of the task's district and contain the due day.
pub(super) async fn check_semester(
    db: &impl ConnectionTrait,
    checks: &mut Checks,
    district_id: i64,
    semester_id: i64,
    due_on: NaiveDate,
    semester_given: bool,
) -> DomainResult<()> {
    let found = semester::Entity::find_by_id(semester_id)
        .one(db)
        .await?
        .filter(|s| s.district_id == district_id && s.archived_at.is_none());
    match found {
        None if semester_given => checks.fail("semester_id", "no such semester in the task's district"),
        None => {}
        Some(s) => checks.ensure(
            s.start_date <= due_on && due_on <= s.end_date,
            "due_on",
            format!("due_on must lie within the semester ({} to {})", s.start_date, s.end_date),
        ),
    }
    Ok(())
}

/// What `list_record_tasks` lists: the rows the caller sees that match the filter, in the order it asks for
/// (not paged).
pub(super) fn tasks_matching(
    actor: &Actor,
    f: &RecordTaskFilter,
) -> DomainResult<sea_orm::Select<record_task::Entity>> {
    let mut query = record_task::Entity::find().filter(visible_tasks(actor));
    if let Some(s) = f.school_id {
        query = query.filter(record_task::Column::SchoolId.eq(s));
    }
    if let Some(g) = f.group_id {
        query = query.filter(record_task::Column::GroupId.eq(g));
    }
    if let Some(s) = f.semester_id {
        query = query.filter(record_task::Column::SemesterId.eq(s));
    }
    if let Some(k) = f.kind {
        query = query.filter(record_task::Column::Kind.eq(k));
    }
    if let Some(t) = f.teacher_id {
        query = query.filter(asked_of_teacher(t, crate::clock::today()));
    }
    if let Some(d) = f.due_from {
        query = query.filter(record_task::Column::DueOn.gte(d));
    }
    if let Some(d) = f.due_to {
        query = query.filter(record_task::Column::DueOn.lte(d));
    }
    if !f.include_archived.unwrap_or(false) {
        query = query.filter(record_task::Column::ArchivedAt.is_null());
    }
    sorted(
        query,
        f.sort.as_deref(),
        &[
            ("due_on", record_task::Column::DueOn),
            ("created_at", record_task::Column::CreatedAt),
            ("id", record_task::Column::Id),
        ],
        record_task::Column::Id,
    )
}
