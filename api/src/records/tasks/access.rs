//! Who sees a record task, who sets it, and who it asks.
//!
//! - A school's task (`school_id`, no group) is set by the school's administrators and asks the
//!   school's active teachers.
//! - A group's task (`group_id`) is set by whoever manages the group's contents (its
//!   administrators and its leader, [`crate::groups::access`]) and asks the group's live members.
//!   Its `school_id` is the group's school (none for a district team).
//! - A district-wide task (neither) is set by the district's administrators and asks every active
//!   teacher of the district's live schools.
//!
//! A task is seen like its owner: a task with a school by whoever sees that school, one without
//! (district-wide, or a district team's) by the whole district.

use chrono::NaiveDate;
use entities::enums::TeacherStatus;
use entities::{group, group_membership, record_task, school, teacher};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::{live_membership, require_manages_contents};
use crate::resource::load_visible;

/// Whether `actor` reads the task (and its submissions report).
pub fn sees_task(actor: &Actor, task: &record_task::Model) -> bool {
    match task.school_id {
        Some(school_id) => actor.sees_school(task.district_id, school_id),
        None => actor.sees_district(task.district_id),
    }
}

/// The SQL form of [`sees_task`].
pub fn visible_tasks(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(record_task::Column::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => {
            Condition::all().add(record_task::Column::DistrictId.eq(district_id)).add(
                Condition::any()
                    .add(record_task::Column::SchoolId.eq(school_id))
                    .add(record_task::Column::SchoolId.is_null()),
            )
        }
    }
}

/// A task within the caller's reach (archived ones included), or 404.
pub async fn load_task(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<record_task::Model> {
    load_visible::<record_task::Entity>(db, id, "record task", |t| sees_task(actor, t)).await
}

/// 403 unless `actor` may change or archive the task (whoever may set one for its owner).
pub async fn require_sets(db: &impl ConnectionTrait, actor: &Actor, task: &record_task::Model) -> DomainResult<()> {
    let what = "set tasks for this school, group or district";
    if let Some(group_id) = task.group_id {
        let group = group::Entity::find_by_id(group_id)
            .one(db)
            .await?
            .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("task {} lost its group", task.id)))?;
        return require_manages_contents(db, actor, &group).await.map_err(|e| match e {
            DomainError::Forbidden(_) => {
                DomainError::forbidden(format!("your role ({}) may not {what}", actor.role.code()))
            }
            other => other,
        });
    }
    match task.school_id {
        Some(school_id) => actor.require(actor.administers_school(task.district_id, school_id), what),
        None => actor.require(actor.administers_district(task.district_id), what),
    }
}

/// The teachers a task asks, as a condition on `teachers` (see the module's rules), on `today`
/// (for a group's live memberships).
pub fn asked_teachers(task: &record_task::Model, today: NaiveDate) -> Condition {
    let live_teacher = Condition::all().add(teacher::Column::ArchivedAt.is_null());
    if let Some(group_id) = task.group_id {
        let members = Query::select()
            .column(group_membership::Column::TeacherId)
            .from(group_membership::Entity)
            .and_where(group_membership::Column::GroupId.eq(group_id))
            .cond_where(live_membership(today))
            .to_owned();
        return live_teacher.add(teacher::Column::Id.in_subquery(members));
    }
    let active = live_teacher.add(teacher::Column::Status.eq(TeacherStatus::Active));
    match task.school_id {
        Some(school_id) => active.add(teacher::Column::SchoolId.eq(school_id)),
        None => active.add(teacher::Column::SchoolId.in_subquery(live_schools_of(task.district_id))),
    }
}

fn live_schools_of(district_id: i64) -> SelectStatement {
    school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .filter(school::Column::DistrictId.eq(district_id))
        .filter(school::Column::ArchivedAt.is_null())
        .into_query()
}

/// Of the teachers a task asks, those `actor` may see by name: school-level readers see only
/// their own school's teachers (a district task's or a district team's other schools are another
/// school's data).
pub fn visible_teachers(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(
            teacher::Column::SchoolId.in_subquery(
                school::Entity::find()
                    .select_only()
                    .column(school::Column::Id)
                    .filter(school::Column::DistrictId.eq(d))
                    .into_query(),
            ),
        ),
        Reach::School { school_id, .. } => Condition::all().add(teacher::Column::SchoolId.eq(school_id)),
    }
}

/// Tasks asked of `teacher_id` (for `GET /record-tasks?teacher_id=`): their live groups' tasks,
/// their school's own tasks and their district's district-wide tasks.
pub fn asked_of_teacher(teacher_id: i64, today: NaiveDate) -> Condition {
    let groups = Query::select()
        .column(group_membership::Column::GroupId)
        .from(group_membership::Entity)
        .and_where(group_membership::Column::TeacherId.eq(teacher_id))
        .cond_where(live_membership(today))
        .to_owned();
    let school_of_teacher = Query::select()
        .column(teacher::Column::SchoolId)
        .from(teacher::Entity)
        .and_where(teacher::Column::Id.eq(teacher_id))
        .to_owned();
    let district_of_teacher = Query::select()
        .column(school::Column::DistrictId)
        .from(school::Entity)
        .and_where(school::Column::Id.in_subquery(school_of_teacher.clone()))
        .to_owned();
    Condition::any()
        .add(record_task::Column::GroupId.in_subquery(groups))
        .add(
            Condition::all()
                .add(record_task::Column::GroupId.is_null())
                .add(record_task::Column::SchoolId.in_subquery(school_of_teacher)),
        )
        .add(
            Condition::all()
                .add(record_task::Column::GroupId.is_null())
                .add(record_task::Column::SchoolId.is_null())
                .add(record_task::Column::DistrictId.in_subquery(district_of_teacher)),
        )
}
