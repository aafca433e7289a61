//! Database access of the records API: scope, filters, the references a record makes, and its
//! co-authors.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use entities::enums::{RecordKind, Role};
use entities::{observation, record, record_coauthor, record_task, school, semester, teacher};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use super::tasks::access::{asked_teachers, load_task};
use super::views::{RecordFilter, RecordPatch};
use crate::activities::access::load_activity;
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::org::semester_days::semester_containing;
use crate::resource::{load_visible, sorted, text_contains};
use crate::validate::{comma_list, Checks};

/// Whether `actor` reads the record: whoever sees the author's school (the record's school).
pub fn sees_record(actor: &Actor, r: &record::Model) -> bool {
    actor.sees_school(r.district_id, r.school_id)
}

/// Whether `actor` may change records of this author: administrators of the school (and of the
/// district); a teacher or group leader only their own.
pub fn writes_for(actor: &Actor, district_id: i64, school_id: i64, author_teacher_id: i64) -> bool {
    actor.administers_school(district_id, school_id)
        || (matches!(actor.role, Role::Teacher | Role::GroupLeader)
            && actor.sees_school(district_id, school_id)
            && actor.teacher_id == Some(author_teacher_id))
}

/// A record within the caller's reach (archived ones included), or 404.
pub async fn load_record(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<record::Model> {
    load_visible::<record::Entity>(db, id, "record", |r| sees_record(actor, r)).await
}

/// [`load_record`] with the record's change version, in one statement (for `GET /records/{id}`
/// and its `ETag`).
pub async fn read_record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<(record::Model, Option<i64>)> {
    crate::changes::find_with_version(db, record::Entity::find_by_id(id), "records", id)
        .await?
        .filter(|r| sees_record(actor, &r.model))
        .map(|r| (r.model, r.version))
        .ok_or_else(|| DomainError::not_found("record"))
}

/// 403 unless `actor` may change `r`.
pub fn require_writes(actor: &Actor, r: &record::Model) -> DomainResult<()> {
    actor
        .require(writes_for(actor, r.district_id, r.school_id, r.author_teacher_id), "change another teacher's records")
}

/// The caller's reach as SQL.
fn scope(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(record::Column::DistrictId.eq(d)),
        Reach::School { school_id, .. } => Condition::all().add(record::Column::SchoolId.eq(school_id)),
    }
}

/// The filtered and sorted list of the records the caller sees.
pub fn filtered(actor: &Actor, f: &RecordFilter) -> DomainResult<Select<record::Entity>> {
    let mut cond = scope(actor);
    if let Some(t) = f.author_teacher_id {
        cond = cond.add(record::Column::AuthorTeacherId.eq(t));
    }
    if let Some(t) = f.teacher_id {
        let coauthored = Query::select()
            .column(record_coauthor::Column::RecordId)
            .from(record_coauthor::Entity)
            .and_where(record_coauthor::Column::TeacherId.eq(t))
            .to_owned();
        cond = cond.add(
            Condition::any().add(record::Column::AuthorTeacherId.eq(t)).add(record::Column::Id.in_subquery(coauthored)),
        );
    }
    if let Some(s) = f.school_id {
        cond = cond.add(record::Column::SchoolId.eq(s));
    }
    if let Some(s) = f.semester_id {
        cond = cond.add(record::Column::SemesterId.eq(s));
    }
    let kinds = parse_kinds(f.kind.as_deref())?;
    if !kinds.is_empty() {
        cond = cond.add(record::Column::Kind.is_in(kinds));
    }
    if let Some(t) = f.task_id {
        cond = cond.add(record::Column::TaskId.eq(t));
    }
    if let Some(late) = f.late {
        cond = cond.add(record::Column::Late.eq(late));
    }
    if let Some(d) = f.date_from {
        cond = cond.add(record::Column::WrittenOn.gte(d));
    }
    if let Some(d) = f.date_to {
        cond = cond.add(record::Column::WrittenOn.lte(d));
    }
    if let Some(n) = f.min_words {
        cond = cond.add(record::Column::WordCount.gte(n));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(text_contains((record::Entity, record::Column::Title), q));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(record::Column::ArchivedAt.is_null());
    }
    sorted(
        record::Entity::find().filter(cond),
        f.sort.as_deref(),
        &[
            ("written_on", record::Column::WrittenOn),
            ("created_at", record::Column::CreatedAt),
            ("word_count", record::Column::WordCount),
            ("id", record::Column::Id),
        ],
        record::Column::Id,
    )
}

/// `paper,teaching_case` → the kinds; an unknown code is a 422 naming `kind`.
fn parse_kinds(value: Option<&str>) -> DomainResult<Vec<RecordKind>> {
    comma_list(value)
        .iter()
        .map(|code| {
            serde_json::from_value(serde_json::Value::String(code.clone()))
                .map_err(|_| DomainError::invalid("kind", format!("unknown record kind {code}")))
        })
        .collect()
}

/// The co-authors of each of `record_ids`, ascending.
pub async fn coauthors_of(db: &impl ConnectionTrait, record_ids: &[i64]) -> DomainResult<HashMap<i64, Vec<i64>>> {
    let mut by_record: HashMap<i64, Vec<i64>> = HashMap::new();
    if record_ids.is_empty() {
        return Ok(by_record);
    }
    let rows = record_coauthor::Entity::find()
        .filter(record_coauthor::Column::RecordId.is_in(record_ids.iter().copied()))
        .order_by(record_coauthor::Column::TeacherId, Order::Asc)
        .all(db)
        .await?;
    for row in rows {
        by_record.entry(row.record_id).or_default().push(row.teacher_id);
    }
    Ok(by_record)
}

/// Replaces the co-authors of a record.
pub async fn replace_coauthors(db: &impl ConnectionTrait, record_id: i64, teacher_ids: &[i64]) -> DomainResult<()> {
    record_coauthor::Entity::delete_many().filter(record_coauthor::Column::RecordId.eq(record_id)).exec(db).await?;
    if !teacher_ids.is_empty() {
        let rows = teacher_ids.iter().map(|&teacher_id| record_coauthor::ActiveModel {
            record_id: sea_orm::Set(record_id),
            teacher_id: sea_orm::Set(teacher_id),
        });
        record_coauthor::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The author of a record and their school: a live teacher the caller sees, or `None` (the
/// caller answers 422 "no such teacher").
pub async fn visible_author(
    db: &impl ConnectionTrait,
    actor: &Actor,
    teacher_id: i64,
) -> DomainResult<Option<(teacher::Model, school::Model)>> {
    let Some(t) = teacher::Entity::find_by_id(teacher_id).one(db).await?.filter(|t| t.archived_at.is_none()) else {
        return Ok(None);
    };
    let s = school::Entity::find_by_id(t.school_id).one(db).await?;
    Ok(s.filter(|s| actor.sees_school(s.district_id, s.id)).map(|s| (t, s)))
}

/// Checks the co-author list: at most 30, live teachers the caller sees, never the author.
/// Duplicates are dropped; the result is ascending.
pub async fn check_coauthors(
    db: &impl ConnectionTrait,
    actor: &Actor,
    checks: &mut Checks,
    ids: &[i64],
    author_teacher_id: i64,
) -> DomainResult<Vec<i64>> {
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    if unique.len() > super::rules::MAX_COAUTHORS {
        checks.fail("coauthor_teacher_ids", format!("at most {} co-authors", super::rules::MAX_COAUTHORS));
        return Ok(vec![]);
    }
    let mut visible = Condition::all()
        .add(teacher::Column::Id.is_in(unique.iter().copied()))
        .add(teacher::Column::ArchivedAt.is_null());
    visible = match actor.reach() {
        Reach::Everything => visible,
        Reach::District(d) => visible.add(
            teacher::Column::SchoolId.in_subquery(
                Query::select()
                    .column(school::Column::Id)
                    .from(school::Entity)
                    .and_where(school::Column::DistrictId.eq(d))
                    .to_owned(),
            ),
        ),
        Reach::School { school_id, .. } => visible.add(teacher::Column::SchoolId.eq(school_id)),
    };
    let found: BTreeSet<i64> = teacher::Entity::find()
        .select_only()
        .column(teacher::Column::Id)
        .filter(visible)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("coauthor_teacher_ids[{i}]");
        if *id == author_teacher_id {
            checks.fail(field, "the author is not their own co-author");
        } else if !found.contains(id) {
            checks.fail(field, "no such teacher");
        }
    }
    Ok(unique.into_iter().collect())
}

/// The semester of a record written on `written_on` in the district: `given` must be one of the
/// district's live semesters and contain the day; otherwise the live semester that contains it
/// (the latest-starting one, should two overlap), or `None` for a day between semesters (work in
/// the holidays is stored without a semester). Problems are recorded, `None` returned.
pub async fn semester_for(
    db: &impl ConnectionTrait,
    checks: &mut Checks,
    district_id: i64,
    written_on: NaiveDate,
    given: Option<i64>,
) -> DomainResult<Option<i64>> {
    let live_of_district =
        Condition::all().add(semester::Column::DistrictId.eq(district_id)).add(semester::Column::ArchivedAt.is_null());
    if let Some(id) = given {
        let found = semester::Entity::find_by_id(id).filter(live_of_district).one(db).await?;
        return Ok(match found {
            None => {
                checks.fail("semester_id", "no such semester in the author's district");
                None
            }
            Some(s) if s.start_date > written_on || s.end_date < written_on => {
                checks.fail(
                    "semester_id",
                    format!(
                        "{} ({} to {}) does not contain written_on {written_on}; leave semester_id out to \
                         take the semester containing the day (none between semesters)",
                        s.name, s.start_date, s.end_date
                    ),
                );
                None
            }
            Some(s) => Some(s.id),
        });
    }
    Ok(semester_containing(db, district_id, written_on).await?.map(|s| s.id))
}

/// An activity the caller sees (and not archived); otherwise the problem is recorded.
pub async fn check_activity(
    db: &impl ConnectionTrait,
    actor: &Actor,
    checks: &mut Checks,
    id: i64,
) -> DomainResult<()> {
    match load_activity(db, actor, id).await {
        Ok(a) if a.archived_at.is_none() => {}
        Ok(_) | Err(DomainError::NotFound(_)) => checks.fail("activity_id", "no such activity"),
        Err(e) => return Err(e),
    }
    Ok(())
}

/// An observation of the caller's reach (its observer's or its observed teacher's school), not
/// archived; otherwise the problem is recorded.
pub async fn check_observation(
    db: &impl ConnectionTrait,
    actor: &Actor,
    checks: &mut Checks,
    id: i64,
) -> DomainResult<()> {
    let found = observation::Entity::find_by_id(id).one(db).await?.filter(|o| {
        o.archived_at.is_none()
            && (actor.sees_school(o.district_id, o.observer_school_id)
                || o.observed_school_id.is_some_and(|s| actor.sees_school(o.district_id, s)))
    });
    checks.ensure(found.is_some(), "observation_id", "no such observation");
    Ok(())
}

/// The task a new record answers: a live task the caller sees and the author was asked for; if
/// the task asks for one kind, the record must be of it. Problems are recorded.
pub async fn check_task(
    db: &impl ConnectionTrait,
    actor: &Actor,
    checks: &mut Checks,
    id: i64,
    author_teacher_id: i64,
    kind: RecordKind,
) -> DomainResult<Option<record_task::Model>> {
    let task = match load_task(db, actor, id).await {
        Ok(t) if t.archived_at.is_none() => t,
        Ok(_) | Err(DomainError::NotFound(_)) => {
            checks.fail("task_id", "no such task");
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let asked = teacher::Entity::find()
        .filter(teacher::Column::Id.eq(author_teacher_id))
        .filter(asked_teachers(&task, crate::clock::today()))
        .count(db)
        .await?
        > 0;
    checks.ensure(asked, "task_id", "the author was not asked for this task");
    if let Some(wanted) = task.kind.filter(|k| *k != kind) {
        checks.fail("kind", format!("the task asks for {} records", wanted.code()));
    }
    Ok(Some(task))
}

/// Re-derives `due_on` and `late` of every record answering a task whose deadline moved, in SQL.
pub async fn refresh_lateness(db: &impl ConnectionTrait, task_id: i64, due_on: NaiveDate) -> DomainResult<()> {
    for (late, cond) in
        [(true, record::Column::SubmittedOn.gt(due_on)), (false, record::Column::SubmittedOn.lte(due_on))]
    {
        record::Entity::update_many()
            .col_expr(record::Column::DueOn, Expr::value(due_on))
            .col_expr(record::Column::Late, Expr::value(late))
            .filter(record::Column::TaskId.eq(task_id))
            .filter(cond)
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The checks of a record PATCH that need the database, after [`super::rules::merge_patch`] and in
/// the order the 422 lists them: the task's kind, the semester (re-derived when the day or the
/// semester is given), the linked activity and observation, the co-authors. Sets the merged
/// record's semester; returns the co-authors to store when the patch names them.
pub async fn check_patch(
    db: &impl ConnectionTrait,
    actor: &Actor,
    checks: &mut Checks,
    current: &record::Model,
    patch: &RecordPatch,
    merged: &mut record::ActiveModel,
    today: NaiveDate,
) -> DomainResult<Option<Vec<i64>>> {
    let kind = patch.kind.unwrap_or(current.kind);
    if patch.kind.is_some() {
        if let Some(task_id) = current.task_id {
            let task = record_task::Entity::find_by_id(task_id).one(db).await?;
            if let Some(wanted) = task.and_then(|t| t.kind) {
                checks.ensure(kind == wanted, "kind", format!("the record's task asks for {} records", wanted.code()));
            }
        }
    }
    // `None` between semesters (a day in the future is refused by the merge).
    let written_on = patch.written_on.unwrap_or(current.written_on);
    let semester_id = if written_on <= today && (patch.written_on.is_some() || patch.semester_id.is_some()) {
        semester_for(db, checks, current.district_id, written_on, patch.semester_id).await?
    } else {
        current.semester_id
    };
    merged.semester_id = Set(semester_id);
    if let Some(Some(a)) = patch.activity_id {
        check_activity(db, actor, checks, a).await?;
    }
    if let Some(Some(o)) = patch.observation_id {
        check_observation(db, actor, checks, o).await?;
    }
    Ok(match &patch.coauthor_teacher_ids {
        Some(ids) => Some(
            check_coauthors(db, actor, checks, ids.as_deref().unwrap_or_default(), current.author_teacher_id).await?,
        ),
        None => None,
    })
}
