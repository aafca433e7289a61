//! Database access of the teachers API: scope, filters, sorting and the child tables.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::{Post, Role};
use entities::{group_membership, school, teacher, teacher_grade, teacher_honour, teacher_post, teacher_subject, user};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, Order, QueryFilter,
    QueryOrder, QueryResult, Select, Statement,
};

use super::views::{Children, Honour, TeacherFilter};
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use crate::resource::{ensure_unique, sorted, text_contains};

/// A teacher within the caller's reach, with their school, or 404.
pub async fn load_teacher(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<(teacher::Model, school::Model)> {
    let Some(found) = teacher::Entity::find_by_id(id).one(db).await? else {
        return Err(DomainError::not_found("teacher"));
    };
    let school = school::Entity::find_by_id(found.school_id).one(db).await?;
    match school {
        Some(s) if actor.sees_school(s.district_id, s.id) => Ok((found, s)),
        _ => Err(DomainError::not_found("teacher")),
    }
}

/// A live school the caller sees, or `None` (the caller answers 422 "no such school").
pub async fn visible_school(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<Option<school::Model>> {
    Ok(school::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.archived_at.is_none() && actor.sees_school(s.district_id, s.id)))
}

/// `teachers.id IN (SELECT teacher_id FROM <child> WHERE ...)`.
fn id_in(sub: SelectStatement) -> Expr {
    Expr::col((teacher::Entity, teacher::Column::Id)).in_subquery(sub)
}

/// The caller's reach as SQL.
fn scope(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(
            Expr::col((teacher::Entity, teacher::Column::SchoolId)).in_subquery(
                Query::select()
                    .column(school::Column::Id)
                    .from(school::Entity)
                    .and_where(school::Column::DistrictId.eq(d))
                    .to_owned(),
            ),
        ),
        Reach::School { school_id, .. } => Condition::all().add(teacher::Column::SchoolId.eq(school_id)),
    }
}

/// The filtered (not yet sorted) list of the teachers the caller sees.
pub fn filtered(actor: &Actor, f: &TeacherFilter, today: NaiveDate) -> Select<teacher::Entity> {
    let mut cond = scope(actor);
    if let Some(s) = f.school_id {
        cond = cond.add(teacher::Column::SchoolId.eq(s));
    }
    if let Some(g) = f.group_id {
        cond = cond.add(id_in(
            Query::select()
                .column(group_membership::Column::TeacherId)
                .from(group_membership::Entity)
                .and_where(group_membership::Column::GroupId.eq(g))
                .and_where(group_membership::Column::ArchivedAt.is_null())
                .cond_where(
                    Condition::any()
                        .add(group_membership::Column::Until.is_null())
                        .add(group_membership::Column::Until.gte(today)),
                )
                .to_owned(),
        ));
    }
    if let Some(subject) = f.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(id_in(
            Query::select()
                .column(teacher_subject::Column::TeacherId)
                .from(teacher_subject::Entity)
                .and_where(teacher_subject::Column::Subject.eq(subject))
                .to_owned(),
        ));
    }
    if let Some(post) = f.post {
        cond = cond.add(id_in(
            Query::select()
                .column(teacher_post::Column::TeacherId)
                .from(teacher_post::Entity)
                .and_where(teacher_post::Column::Post.eq(post))
                .to_owned(),
        ));
    }
    if f.honour.is_some() || f.honour_level.is_some() {
        // Title and level apply to the same honour: "a county-level backbone teacher".
        let mut sub = Query::select();
        sub.column(teacher_honour::Column::TeacherId).from(teacher_honour::Entity);
        if let Some(title) = f.honour {
            sub.and_where(teacher_honour::Column::Title.eq(title));
        }
        if let Some(level) = f.honour_level {
            sub.and_where(teacher_honour::Column::Level.eq(level));
        }
        cond = cond.add(id_in(sub.to_owned()));
    }
    if let Some(status) = f.status {
        cond = cond.add(teacher::Column::Status.eq(status));
    }
    if let Some(kind) = f.employment_type {
        cond = cond.add(teacher::Column::EmploymentType.eq(kind));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(text_contains((teacher::Entity, teacher::Column::Name), q));
    }
    if let Some(external_id) = f.external_id.as_deref() {
        cond = cond.add(teacher::Column::ExternalId.eq(external_id.trim()));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(teacher::Column::ArchivedAt.is_null());
    }
    teacher::Entity::find().filter(cond)
}

/// Orders the list by `sort`; teachers without a birth date come last when sorting by it, on
/// every database engine.
pub fn sort_teachers(select: Select<teacher::Entity>, sort: Option<&str>) -> DomainResult<Select<teacher::Entity>> {
    let sort = sort.map(str::trim).unwrap_or("");
    let by_birth = match sort {
        "birth_date" => Some(Order::Asc),
        "-birth_date" => Some(Order::Desc),
        _ => None,
    };
    if let Some(order) = by_birth {
        return Ok(select
            .order_by_with_nulls(teacher::Column::BirthDate, order, NullOrdering::Last)
            .order_by(teacher::Column::Id, Order::Asc));
    }
    sorted(
        select,
        Some(sort),
        &[
            ("name", teacher::Column::Name),
            ("birth_date", teacher::Column::BirthDate),
            ("created_at", teacher::Column::CreatedAt),
            ("id", teacher::Column::Id),
        ],
        teacher::Column::Id,
    )
}

/// The four lists of the teacher aliased `t`, each one column holding a JSON array (text), in
/// the order the API shows them (posts are ordered in Rust: declaration order). A list without
/// rows is `[]` on SQLite and `NULL` on PostgreSQL; [`children_of_row`] reads both as empty.
fn children_columns(backend: DatabaseBackend) -> String {
    let (agg, object, text) = match backend {
        DatabaseBackend::Postgres => ("json_agg", "json_build_object", "::text"),
        _ => ("json_group_array", "json_object", ""),
    };
    format!(
        "(SELECT {agg}(x.subject ORDER BY x.subject){text} FROM teacher_subjects x WHERE x.teacher_id = t.id) \
           AS subjects, \
         (SELECT {agg}(x.grade ORDER BY x.grade){text} FROM teacher_grades x WHERE x.teacher_id = t.id) AS grades, \
         (SELECT {agg}(x.post){text} FROM teacher_posts x WHERE x.teacher_id = t.id) AS posts, \
         (SELECT {agg}({object}('title', x.title, 'level', x.level, 'year', x.year) ORDER BY x.year DESC, x.id){text} \
           FROM teacher_honours x WHERE x.teacher_id = t.id) AS honours"
    )
}

/// The lists of [`children_columns`] from a row.
fn children_of_row(row: &QueryResult) -> DomainResult<Children> {
    fn list<T: serde::de::DeserializeOwned>(row: &QueryResult, column: &str) -> DomainResult<Vec<T>> {
        match row.try_get::<Option<String>>("", column)? {
            None => Ok(Vec::new()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| DomainError::Internal(anyhow::anyhow!("teacher list {column} unreadable: {e}"))),
        }
    }
    let mut posts: Vec<Post> = list(row, "posts")?;
    // Declaration order (principal first), which the text column cannot sort by.
    posts.sort_unstable();
    Ok(Children {
        subjects: list(row, "subjects")?,
        grades: list(row, "grades")?,
        posts,
        honours: list(row, "honours")?,
    })
}

/// A teacher within the caller's reach with their lists and the version of their `ETag`, or
/// 404: **one statement** (the teacher, their school's district for the scope check, the
/// change-log version and the four lists as JSON arrays). The version comes from the same
/// snapshot as the body, so the tag is never newer (nor older) than what it tags.
pub async fn read_teacher(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<(teacher::Model, Children, Option<i64>)> {
    let backend = db.get_database_backend();
    let param = if backend == DatabaseBackend::Postgres { "$1" } else { "?" };
    let sql = format!(
        "SELECT t.*, s.district_id AS school_district_id, \
           (SELECT c.change_version FROM change_log c WHERE c.resource_type = 'teachers' AND c.resource_id = t.id) \
             AS change_version, \
           {children} \
         FROM teachers t JOIN schools s ON s.id = t.school_id WHERE t.id = {param}",
        children = children_columns(backend)
    );
    let row = db.query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()])).await?;
    let Some(row) = row else { return Err(DomainError::not_found("teacher")) };
    let district_id: i64 = row.try_get("", "school_district_id")?;
    let found = teacher::Model::from_query_result(&row, "")?;
    if !actor.sees_school(district_id, found.school_id) {
        return Err(DomainError::not_found("teacher"));
    }
    let version: Option<i64> = row.try_get("", "change_version")?;
    Ok((found, children_of_row(&row)?, version))
}

/// The child rows of the given teachers, in one statement whatever their number: the ids go in
/// as one JSON array (one bind parameter, not one per teacher).
pub async fn load_children(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<HashMap<i64, Children>> {
    let mut out: HashMap<i64, Children> = ids.iter().map(|id| (*id, Children::default())).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let ids_of_param = match backend {
        DatabaseBackend::Postgres => "SELECT value::bigint FROM json_array_elements_text($1::json)",
        _ => "SELECT value FROM json_each(?)",
    };
    let sql = format!("SELECT t.id, {} FROM teachers t WHERE t.id IN ({ids_of_param})", children_columns(backend));
    let ids_json = serde_json::to_string(ids).map_err(|e| DomainError::Internal(e.into()))?;
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, [ids_json.into()])).await?;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        out.insert(id, children_of_row(&row)?);
    }
    Ok(out)
}

/// 409 when another teacher (archived ones included) has this external id.
pub async fn check_external_id(db: &impl ConnectionTrait, external_id: &str, except: Option<i64>) -> DomainResult<()> {
    let query = teacher::Entity::find().filter(teacher::Column::ExternalId.eq(external_id));
    ensure_unique(
        db,
        query,
        teacher::Column::Id,
        except,
        "external_id",
        format!("another teacher has external_id {external_id}"),
    )
    .await
}

/// The lists a write replaces; `None` leaves that list as it is.
#[derive(Debug, Default)]
pub struct Lists {
    pub subjects: Option<Vec<String>>,
    pub grades: Option<Vec<i32>>,
    pub posts: Option<Vec<Post>>,
    pub honours: Option<Vec<Honour>>,
}

/// Replaces each given list of a teacher (call inside the write's transaction).
pub async fn replace_lists(db: &impl ConnectionTrait, teacher_id: i64, lists: Lists) -> DomainResult<()> {
    if lists.subjects.is_some() {
        teacher_subject::Entity::delete_many()
            .filter(teacher_subject::Column::TeacherId.eq(teacher_id))
            .exec(db)
            .await?;
    }
    if lists.grades.is_some() {
        teacher_grade::Entity::delete_many().filter(teacher_grade::Column::TeacherId.eq(teacher_id)).exec(db).await?;
    }
    if lists.posts.is_some() {
        teacher_post::Entity::delete_many().filter(teacher_post::Column::TeacherId.eq(teacher_id)).exec(db).await?;
    }
    if lists.honours.is_some() {
        teacher_honour::Entity::delete_many().filter(teacher_honour::Column::TeacherId.eq(teacher_id)).exec(db).await?;
    }
    let children = Children {
        subjects: lists.subjects.unwrap_or_default(),
        grades: lists.grades.unwrap_or_default(),
        posts: lists.posts.unwrap_or_default(),
        honours: lists.honours.unwrap_or_default(),
    };
    insert_lists(db, vec![(teacher_id, children)]).await
}

/// Rows per multi-row INSERT: a few thousand bound parameters, well under both engines' limits.
const ROWS_PER_INSERT: usize = 1000;

/// Inserts the list rows of many teachers at once (new teachers, or lists just deleted), a
/// multi-row statement per 1,000 rows of each child table: the bulk sync writes thousands.
pub async fn insert_lists(db: &impl ConnectionTrait, teachers: Vec<(i64, Children)>) -> DomainResult<()> {
    use sea_orm::Set;
    // The sets are replaced whole, so a row's timestamps are those of the write that made it.
    let now = crate::resource::now();
    let (mut subjects, mut grades, mut posts, mut honours) = (vec![], vec![], vec![], vec![]);
    for (teacher_id, c) in teachers {
        subjects.extend(c.subjects.into_iter().map(|subject| teacher_subject::ActiveModel {
            teacher_id: Set(teacher_id),
            subject: Set(subject),
            created_at: Set(now),
            updated_at: Set(now),
        }));
        grades.extend(c.grades.into_iter().map(|grade| teacher_grade::ActiveModel {
            teacher_id: Set(teacher_id),
            grade: Set(grade),
            created_at: Set(now),
            updated_at: Set(now),
        }));
        posts.extend(c.posts.into_iter().map(|post| teacher_post::ActiveModel {
            teacher_id: Set(teacher_id),
            post: Set(post),
            created_at: Set(now),
            updated_at: Set(now),
        }));
        honours.extend(c.honours.into_iter().map(|h| teacher_honour::ActiveModel {
            teacher_id: Set(teacher_id),
            title: Set(h.title),
            level: Set(h.level),
            year: Set(h.year),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }));
    }
    for chunk in subjects.chunks(ROWS_PER_INSERT) {
        teacher_subject::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    for chunk in grades.chunks(ROWS_PER_INSERT) {
        teacher_grade::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    for chunk in posts.chunks(ROWS_PER_INSERT) {
        teacher_post::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    for chunk in honours.chunks(ROWS_PER_INSERT) {
        teacher_honour::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(())
}

/// A teacher's accounts (all but district_admin ones) follow them to their new school, so that
/// their scope stays their school.
pub async fn move_accounts(
    db: &impl ConnectionTrait,
    teacher_id: i64,
    school_id: i64,
    district_id: i64,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::SchoolId, Expr::value(school_id))
        .col_expr(user::Column::DistrictId, Expr::value(district_id))
        .col_expr(user::Column::UpdatedAt, Expr::value(at))
        .filter(user::Column::TeacherId.eq(teacher_id))
        .filter(user::Column::Role.ne(Role::DistrictAdmin))
        .exec(db)
        .await?;
    Ok(())
}
