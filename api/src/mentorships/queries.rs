//! Database access of the mentorships API: scope, the pair's teachers and semesters, and the
//! counts the capacity and one-mentor rules need.

use chrono::NaiveDate;
use entities::enums::{HonourTitle, MentorshipStatus, TeacherStatus};
use entities::{mentorship, observation, school, semester, teacher, teacher_grade, teacher_honour};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::org::semester_days::semester_ref;
use crate::resource::{load_visible, sorted};

use super::views::MentorshipFilter;

/// A pair of a school the caller sees, or 404.
pub async fn load_mentorship(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<mentorship::Model> {
    load_visible::<mentorship::Entity>(db, id, "mentorship", |m| actor.sees_school(m.district_id, m.school_id)).await
}

/// The caller's reach over pairs, as SQL.
pub fn scope(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(mentorship::Column::DistrictId.eq(d)),
        Reach::School { school_id, .. } => Condition::all().add(mentorship::Column::SchoolId.eq(school_id)),
    }
}

/// A teacher who can be paired: not archived, teaching or on leave (not transferred or retired),
/// of a school the caller sees. `None` answers "no such teacher".
pub async fn pairable_teacher(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<Option<(teacher::Model, school::Model)>> {
    let Some(found) = teacher::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if found.archived_at.is_some() || !matches!(found.status, TeacherStatus::Active | TeacherStatus::OnLeave) {
        return Ok(None);
    }
    let school = school::Entity::find_by_id(found.school_id).one(db).await?;
    Ok(school.filter(|s| actor.sees_school(s.district_id, s.id)).map(|s| (found, s)))
}

/// A live semester of the district.
pub async fn district_semester(
    db: &impl ConnectionTrait,
    district_id: i64,
    id: i64,
) -> DomainResult<Option<semester::Model>> {
    Ok(semester::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.district_id == district_id && s.archived_at.is_none()))
}

/// A semester by id, archived or not (a pair keeps the semesters it was made with).
pub async fn semester_by_id(db: &impl ConnectionTrait, id: i64) -> DomainResult<Option<semester::Model>> {
    Ok(semester::Entity::find_by_id(id).one(db).await?)
}

/// A pair's start semester: the district's live one, or the stored one if it was archived since.
pub async fn start_semester(db: &impl ConnectionTrait, pair: &mentorship::Model) -> DomainResult<semester::Model> {
    district_semester(db, pair.district_id, pair.start_semester_id)
        .await?
        .or(semester_by_id(db, pair.start_semester_id).await?)
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("mentorship {} has no start semester", pair.id)))
}

fn semester_ids(cond: sea_orm::sea_query::SimpleExpr) -> SelectStatement {
    Query::select().column(semester::Column::Id).from(semester::Entity).and_where(cond).to_owned()
}

/// The observations between a mentor and a mentee, either way (archived ones included).
pub fn observations_between(mentor: i64, mentee: i64) -> Condition {
    let between = |observer: i64, observed: i64| {
        Condition::all()
            .add(observation::Column::ObserverTeacherId.eq(observer))
            .add(observation::Column::ObservedTeacherId.eq(observed))
    };
    Condition::any().add(between(mentor, mentee)).add(between(mentee, mentor))
}

/// Pairs whose semesters overlap the days `from`..=`to`: the start semester begins by `to` and
/// the end semester ends on or after `from`.
pub fn overlapping(from: NaiveDate, to: NaiveDate) -> Condition {
    Condition::all()
        .add(mentorship::Column::StartSemesterId.in_subquery(semester_ids(semester::Column::StartDate.lte(to))))
        .add(mentorship::Column::EndSemesterId.in_subquery(semester_ids(semester::Column::EndDate.gte(from))))
}

/// Live, active pairs overlapping the span, other than `except`.
fn live_active(span: (NaiveDate, NaiveDate), except: Option<i64>) -> Condition {
    let mut cond = Condition::all()
        .add(mentorship::Column::ArchivedAt.is_null())
        .add(mentorship::Column::Status.eq(MentorshipStatus::Active))
        .add(overlapping(span.0, span.1));
    if let Some(id) = except {
        cond = cond.add(mentorship::Column::Id.ne(id));
    }
    cond
}

/// The mentor's live, active pairs overlapping the span (the capacity count).
pub async fn mentor_load(
    db: &impl ConnectionTrait,
    mentor_id: i64,
    span: (NaiveDate, NaiveDate),
    except: Option<i64>,
) -> DomainResult<u64> {
    Ok(mentorship::Entity::find()
        .filter(live_active(span, except).add(mentorship::Column::MentorTeacherId.eq(mentor_id)))
        .count(db)
        .await?)
}

/// Whether the mentee already has a mentor during the span.
pub async fn mentee_has_mentor(
    db: &impl ConnectionTrait,
    mentee_id: i64,
    span: (NaiveDate, NaiveDate),
    except: Option<i64>,
) -> DomainResult<bool> {
    Ok(mentorship::Entity::find()
        .filter(live_active(span, except).add(mentorship::Column::MenteeTeacherId.eq(mentee_id)))
        .count(db)
        .await?
        > 0)
}

pub async fn honours_of(db: &impl ConnectionTrait, teacher_id: i64) -> DomainResult<Vec<HonourTitle>> {
    Ok(teacher_honour::Entity::find()
        .select_only()
        .column(teacher_honour::Column::Title)
        .filter(teacher_honour::Column::TeacherId.eq(teacher_id))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn grades_of(db: &impl ConnectionTrait, teacher_id: i64) -> DomainResult<Vec<i32>> {
    Ok(teacher_grade::Entity::find()
        .select_only()
        .column(teacher_grade::Column::Grade)
        .filter(teacher_grade::Column::TeacherId.eq(teacher_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Locks the two teachers' rows until the transaction ends, so that two pairs created at once for
/// the same mentor or mentee are checked one after the other. PostgreSQL only: SQLite already
/// runs one writing transaction at a time (and has no `FOR UPDATE`).
pub async fn lock_teachers(db: &impl ConnectionTrait, ids: [i64; 2]) -> DomainResult<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        teacher::Entity::find()
            .filter(teacher::Column::Id.is_in(ids))
            .order_by_asc(teacher::Column::Id)
            .lock_exclusive()
            .all(db)
            .await?;
    }
    Ok(())
}

/// What `list_mentorships` lists: the pairs the caller sees that match the filter, in the order it
/// asks for (not paged). A `semester_id` the caller cannot see is refused on that field.
pub async fn mentorships_matching(
    db: &impl ConnectionTrait,
    actor: &Actor,
    f: &MentorshipFilter,
) -> DomainResult<sea_orm::Select<mentorship::Entity>> {
    use mentorship::Column as C;
    let mut cond = scope(actor);
    if let Some(s) = f.school_id {
        cond = cond.add(C::SchoolId.eq(s));
    }
    if let Some(t) = f.teacher_id {
        cond = cond.add(Condition::any().add(C::MentorTeacherId.eq(t)).add(C::MenteeTeacherId.eq(t)));
    }
    if let Some(t) = f.mentor_teacher_id {
        cond = cond.add(C::MentorTeacherId.eq(t));
    }
    if let Some(t) = f.mentee_teacher_id {
        cond = cond.add(C::MenteeTeacherId.eq(t));
    }
    if let Some(id) = f.semester_id {
        let found = semester_ref(db, actor, id, "semester_id").await?;
        cond = cond.add(overlapping(found.start_date, found.end_date));
    }
    if let Some(status) = f.status {
        cond = cond.add(C::Status.eq(status));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(C::ArchivedAt.is_null());
    }
    sorted(
        mentorship::Entity::find().filter(cond),
        f.sort.as_deref(),
        &[("created_at", C::CreatedAt), ("id", C::Id)],
        C::Id,
    )
}
