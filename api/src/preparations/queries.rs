//! Database access of the collective-preparation API: scope, loading with parts, the group's
//! members, the policy in force, saving a stage with the completion it may bring, and the
//! completion counts the appraisal reads.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::enums::{MemberRole, PreparationRole};
use entities::{group, group_membership, preparation, preparation_note, preparation_participant, preparation_policy};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::rules::{completed_on, Stage, DEFAULT_DRAFT_LEAD_DAYS};
use super::views::PreparationFilter;
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::groups::access::live_membership;
use crate::org::semester_days::semester_ref;
use crate::resource::now;

/// The caller's reach over preparations, as SQL.
pub fn scope(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(preparation::Column::DistrictId.eq(d)),
        Reach::School { school_id, .. } => Condition::all().add(preparation::Column::SchoolId.eq(school_id)),
    }
}

/// The preparations in `stage` on `today`, as SQL (the same as [`super::rules::stage_of`]).
pub fn stage_condition(stage: Stage, today: NaiveDate) -> Condition {
    use preparation::Column as C;
    let open = Condition::all().add(C::CompletedOn.is_null());
    match stage {
        Stage::Completed => Condition::all().add(C::CompletedOn.is_not_null()),
        Stage::Reflections => open.add(C::ConsensusOn.is_not_null()),
        Stage::Draft => open.add(C::ConsensusOn.is_null()).add(C::DraftSubmittedOn.is_null()),
        Stage::Notes => {
            open.add(C::ConsensusOn.is_null()).add(C::DraftSubmittedOn.is_not_null()).add(C::SessionOn.gt(today))
        }
        Stage::Consensus => {
            open.add(C::ConsensusOn.is_null()).add(C::DraftSubmittedOn.is_not_null()).add(C::SessionOn.lte(today))
        }
    }
}

/// A preparation of a school the caller sees (archived ones included), or 404.
pub async fn load_preparation(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<preparation::Model> {
    preparation::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| actor.sees_school(p.district_id, p.school_id))
        .ok_or_else(|| DomainError::not_found("preparation"))
}

/// [`load_preparation`] with its change version (for the `ETag` of `GET /preparations/{id}`).
pub async fn read_preparation(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<(preparation::Model, Option<i64>)> {
    crate::changes::find_with_version(db, preparation::Entity::find_by_id(id), "preparations", id)
        .await?
        .filter(|p| actor.sees_school(p.model.district_id, p.model.school_id))
        .map(|p| (p.model, p.version))
        .ok_or_else(|| DomainError::not_found("preparation"))
}

pub async fn participants_of(
    db: &impl ConnectionTrait,
    preparation_id: i64,
) -> DomainResult<Vec<preparation_participant::Model>> {
    Ok(preparation_participant::Entity::find()
        .filter(preparation_participant::Column::PreparationId.eq(preparation_id))
        .order_by_asc(preparation_participant::Column::Id)
        .all(db)
        .await?)
}

/// The participants of a page of preparations, by preparation.
pub async fn participants_of_page(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<preparation_participant::Model>>> {
    let mut by: HashMap<i64, Vec<preparation_participant::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by);
    }
    let found = preparation_participant::Entity::find()
        .filter(preparation_participant::Column::PreparationId.is_in(ids.to_vec()))
        .order_by_asc(preparation_participant::Column::Id)
        .all(db)
        .await?;
    for t in found {
        by.entry(t.preparation_id).or_default().push(t);
    }
    Ok(by)
}

pub async fn notes_of(db: &impl ConnectionTrait, preparation_id: i64) -> DomainResult<Vec<preparation_note::Model>> {
    Ok(preparation_note::Entity::find()
        .filter(preparation_note::Column::PreparationId.eq(preparation_id))
        .order_by_asc(preparation_note::Column::Id)
        .all(db)
        .await?)
}

/// The notes of a page of preparations, by preparation, oldest first.
pub async fn notes_of_page(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<preparation_note::Model>>> {
    let mut by: HashMap<i64, Vec<preparation_note::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by);
    }
    let found = preparation_note::Entity::find()
        .filter(preparation_note::Column::PreparationId.is_in(ids.to_vec()))
        .order_by_asc(preparation_note::Column::Id)
        .all(db)
        .await?;
    for n in found {
        by.entry(n.preparation_id).or_default().push(n);
    }
    Ok(by)
}

/// The group's live members on `day`, leaders first, each once.
pub async fn live_members(db: &impl ConnectionTrait, group_id: i64, day: NaiveDate) -> DomainResult<Vec<i64>> {
    let rows: Vec<(i64, MemberRole)> = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::TeacherId)
        .column(group_membership::Column::Role)
        .filter(group_membership::Column::GroupId.eq(group_id))
        .filter(live_membership(day))
        .order_by_asc(group_membership::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut ids: Vec<i64> = Vec::with_capacity(rows.len());
    for (teacher_id, _) in rows {
        if !ids.contains(&teacher_id) {
            ids.push(teacher_id);
        }
    }
    Ok(ids)
}

/// The days before the session the draft is due for a group: the group's policy, else its
/// school's, else its district's, else 3 (seed 003); with the policy it comes from.
pub async fn lead_days_for(
    db: &impl ConnectionTrait,
    group: &group::Model,
) -> DomainResult<(i32, Option<preparation_policy::Model>)> {
    use preparation_policy::Column as C;
    let mut applies = Condition::any()
        .add(C::GroupId.eq(group.id))
        .add(Condition::all().add(C::SchoolId.is_null()).add(C::GroupId.is_null()));
    if let Some(school_id) = group.school_id {
        applies = applies.add(Condition::all().add(C::SchoolId.eq(school_id)).add(C::GroupId.is_null()));
    }
    let found =
        preparation_policy::Entity::find().filter(C::DistrictId.eq(group.district_id)).filter(applies).all(db).await?;
    let rank = |p: &preparation_policy::Model| match (p.group_id, p.school_id) {
        (Some(_), _) => 0,
        (None, Some(_)) => 1,
        (None, None) => 2,
    };
    let chosen = found.into_iter().min_by_key(|p| (rank(p), p.id));
    Ok((chosen.as_ref().map_or(DEFAULT_DRAFT_LEAD_DAYS, |p| p.draft_lead_days), chosen))
}

/// Saves `active` with `completed_on` brought up to date from the participants, in `txn`.
pub async fn save_with_completion(
    txn: &impl ConnectionTrait,
    mut active: preparation::ActiveModel,
) -> DomainResult<preparation::Model> {
    active.updated_at = Set(now());
    let saved = active.update(txn).await?;
    let participants = participants_of(txn, saved.id).await?;
    let done = completed_on(&saved, &participants);
    if done == saved.completed_on {
        return Ok(saved);
    }
    let mut active = saved.into_active_model();
    active.completed_on = Set(done);
    Ok(active.update(txn).await?)
}

/// What a teacher did in the preparations of one group over a period.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct TeacherCompletion {
    pub teacher_id: i64,
    pub group_id: i64,
    /// Preparations the teacher took part in (as lead or co-preparer).
    pub total: i64,
    /// Of those, the ones completed through every stage.
    pub completed: i64,
    /// Of those, the ones where the teacher did every part of their own: the lead their draft and
    /// reflection, a co-preparer at least one note and their reflection.
    pub own_parts_done: i64,
}

/// A group's preparations over a period.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct GroupCompletion {
    pub group_id: i64,
    pub total: i64,
    pub completed: i64,
}

/// Live preparations of the district (narrowed to `school_ids` when given) whose session is in
/// `from..=to`.
fn in_period(district_id: i64, school_ids: Option<&[i64]>, from: NaiveDate, to: NaiveDate) -> Condition {
    let mut cond = Condition::all()
        .add(Expr::col((preparation::Entity, preparation::Column::DistrictId)).eq(district_id))
        .add(Expr::col((preparation::Entity, preparation::Column::ArchivedAt)).is_null())
        .add(Expr::col((preparation::Entity, preparation::Column::SessionOn)).between(from, to));
    if let Some(ids) = school_ids {
        cond = cond.add(Expr::col((preparation::Entity, preparation::Column::SchoolId)).is_in(ids.to_vec()));
    }
    cond
}

fn one_if(cond: Condition) -> Expr {
    CaseStatement::new().case(cond, Expr::val(1i32)).finally(Expr::val(0i32)).into()
}

/// Per teacher and group: the preparations with a session in `from..=to`, how many were completed
/// through every stage and in how many the teacher did their own parts. One aggregate statement
/// (for the appraisal's "collective-prep completion" component).
pub async fn completion_by_teacher(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_ids: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<Vec<TeacherCompletion>> {
    let t = preparation_participant::Entity;
    let p = preparation::Entity;
    let completed = Condition::all().add(Expr::col((p, preparation::Column::CompletedOn)).is_not_null());
    let drafted = Condition::all()
        .add(Expr::col((t, preparation_participant::Column::Role)).eq(PreparationRole::Lead))
        .add(Expr::col((p, preparation::Column::DraftSubmittedOn)).is_not_null());
    let noted = Condition::all()
        .add(Expr::col((t, preparation_participant::Column::Role)).eq(PreparationRole::CoPreparer))
        .add(Expr::col((t, preparation_participant::Column::FirstNotedOn)).is_not_null());
    let own = Condition::all()
        .add(Condition::any().add(drafted).add(noted))
        .add(Expr::col((t, preparation_participant::Column::ReflectedOn)).is_not_null());
    let mut q = Query::select();
    q.expr_as(Expr::col((t, preparation_participant::Column::TeacherId)), Alias::new("teacher_id"))
        .expr_as(Expr::col((p, preparation::Column::GroupId)), Alias::new("group_id"))
        .expr_as(Expr::val(1i32).count(), Alias::new("total"))
        .expr_as(one_if(completed).sum(), Alias::new("completed"))
        .expr_as(one_if(own).sum(), Alias::new("own_parts_done"))
        .from(t)
        .inner_join(
            p,
            Expr::col((p, preparation::Column::Id)).equals((t, preparation_participant::Column::PreparationId)),
        )
        .cond_where(in_period(district_id, school_ids, from, to))
        .add_group_by([
            Expr::col((t, preparation_participant::Column::TeacherId)),
            Expr::col((p, preparation::Column::GroupId)),
        ])
        .order_by((t, preparation_participant::Column::TeacherId), sea_orm::Order::Asc)
        .order_by((p, preparation::Column::GroupId), sea_orm::Order::Asc);
    let backend = db.get_database_backend();
    Ok(TeacherCompletion::find_by_statement(backend.build(&q)).all(db).await?)
}

/// Per group: the preparations with a session in `from..=to` and how many were completed through
/// every stage. One aggregate statement.
pub async fn completion_by_group(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_ids: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<Vec<GroupCompletion>> {
    let p = preparation::Entity;
    let completed = Condition::all().add(Expr::col((p, preparation::Column::CompletedOn)).is_not_null());
    let mut q = Query::select();
    q.expr_as(Expr::col((p, preparation::Column::GroupId)), Alias::new("group_id"))
        .expr_as(Expr::val(1i32).count(), Alias::new("total"))
        .expr_as(one_if(completed).sum(), Alias::new("completed"))
        .from(p)
        .cond_where(in_period(district_id, school_ids, from, to))
        .add_group_by([Expr::col((p, preparation::Column::GroupId))])
        .order_by((p, preparation::Column::GroupId), sea_orm::Order::Asc);
    let backend = db.get_database_backend();
    Ok(GroupCompletion::find_by_statement(backend.build(&q)).all(db).await?)
}

/// What `list_preparations` lists: the preparations the caller sees that match the filter, by
/// session day (not paged). A `semester_id` the caller cannot see is refused on that field.
pub async fn preparations_matching(
    db: &impl ConnectionTrait,
    actor: &Actor,
    f: &PreparationFilter,
    today: NaiveDate,
) -> DomainResult<sea_orm::Select<preparation::Entity>> {
    use preparation::Column as C;
    let mut cond = scope(actor);
    if let Some(s) = f.school_id {
        cond = cond.add(C::SchoolId.eq(s));
    }
    if let Some(g) = f.group_id {
        cond = cond.add(C::GroupId.eq(g));
    }
    if let Some(t) = f.teacher_id {
        let mut takes_part = Query::select();
        takes_part
            .column(preparation_participant::Column::PreparationId)
            .from(preparation_participant::Entity)
            .and_where(preparation_participant::Column::TeacherId.eq(t));
        cond = cond.add(C::Id.in_subquery(takes_part));
    }
    if let Some(id) = f.semester_id {
        let found = semester_ref(db, actor, id, "semester_id").await?;
        cond = cond.add(C::SessionOn.between(found.start_date, found.end_date));
    }
    if let Some(from) = f.from {
        cond = cond.add(C::SessionOn.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(C::SessionOn.lte(to));
    }
    if let Some(stage) = f.stage {
        cond = cond.add(stage_condition(stage, today));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(C::ArchivedAt.is_null());
    }
    Ok(preparation::Entity::find().filter(cond).order_by_asc(C::SessionOn).order_by_asc(C::Id))
}
