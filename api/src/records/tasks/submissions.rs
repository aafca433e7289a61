//! `GET /record-tasks/{id}/submissions`: who a task asked, who handed in on time, late, or not
//! yet. Two SQL queries (the teachers, and the task's records grouped by author); no query per
//! teacher.

use std::collections::HashMap;

use actix_web::{get, web};
use chrono::NaiveDate;
use entities::{record, record_task, teacher};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};

use super::access::{asked_teachers, load_task, visible_teachers};
use super::views::{Submission, SubmissionFilter, SubmissionStatus, SubmissionsReport};
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query as QueryParams;
use crate::state::State;

/// A teacher's state from the first day they handed in a record answering the task.
pub fn status_of(first_submitted_on: Option<NaiveDate>, due_on: NaiveDate) -> SubmissionStatus {
    match first_submitted_on {
        None => SubmissionStatus::Missing,
        Some(day) if day <= due_on => SubmissionStatus::OnTime,
        Some(_) => SubmissionStatus::Late,
    }
}

/// Live records answering the task: author → (count, first submission day).
async fn answers(db: &impl ConnectionTrait, task_id: i64) -> ApiResult<HashMap<i64, (i64, NaiveDate)>> {
    let rows: Vec<(i64, i64, NaiveDate)> = record::Entity::find()
        .select_only()
        .column(record::Column::AuthorTeacherId)
        .column_as(Expr::col(record::Column::Id).count(), "record_count")
        .column_as(Expr::col(record::Column::SubmittedOn).min(), "first_submitted_on")
        .filter(record::Column::TaskId.eq(task_id))
        .filter(record::Column::ArchivedAt.is_null())
        .group_by(record::Column::AuthorTeacherId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(author, n, first)| (author, (n, first))).collect())
}

/// The teachers of the report: those the task asks plus anyone who answered it, of those the
/// caller sees; with whether the task asks them.
async fn teachers_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task: &record_task::Model,
) -> ApiResult<Vec<(i64, String, i64, i32)>> {
    let asked = asked_teachers(task, crate::clock::today());
    let answered = Query::select()
        .column(record::Column::AuthorTeacherId)
        .from(record::Entity)
        .and_where(record::Column::TaskId.eq(task.id))
        .and_where(record::Column::ArchivedAt.is_null())
        .to_owned();
    let asked_flag = CaseStatement::new().case(asked.clone(), Expr::val(1)).finally(Expr::val(0));
    Ok(teacher::Entity::find()
        .select_only()
        .column(teacher::Column::Id)
        .column(teacher::Column::Name)
        .column(teacher::Column::SchoolId)
        .column_as(Expr::expr(asked_flag), "asked")
        .filter(visible_teachers(actor))
        .filter(Condition::any().add(asked).add(teacher::Column::Id.in_subquery(answered)))
        .order_by(teacher::Column::SchoolId, Order::Asc)
        .order_by(teacher::Column::Name, Order::Asc)
        .order_by(teacher::Column::Id, Order::Asc)
        .into_tuple()
        .all(db)
        .await?)
}

/// Who a task asked, who handed in on time, late, and who has not yet (whoever sees the task).
///
/// A school's task asks its active teachers; a group's task its live members; a district-wide
/// task every active teacher of the district. School-level readers see only their own school's
/// teachers in it. Only a record's author counts as having handed it in.
#[utoipa::path(
    tag = "record-tasks",
    params(("id" = i64, Path, description = "Record task id"), SubmissionFilter),
    responses((status = 200, description = "The submissions report", body = SubmissionsReport))
)]
#[get("/record-tasks/{id}/submissions")]
pub async fn task_submissions(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    filter: QueryParams<SubmissionFilter>,
) -> ApiResult<web::Json<SubmissionsReport>> {
    let task = load_task(&state.db, &actor, id.into_inner()).await?;
    let mut answers = answers(&state.db, task.id).await?;
    let mut report = SubmissionsReport {
        task_id: task.id,
        due_on: task.due_on,
        asked: 0,
        on_time: 0,
        late: 0,
        missing: 0,
        teachers: vec![],
    };
    for (teacher_id, teacher_name, school_id, asked) in teachers_of(&state.db, &actor, &task).await? {
        let (record_count, first_submitted_on) = match answers.remove(&teacher_id) {
            Some((n, first)) => (n, Some(first)),
            None => (0, None),
        };
        let status = status_of(first_submitted_on, task.due_on);
        report.asked += u64::from(asked != 0);
        match status {
            SubmissionStatus::OnTime => report.on_time += 1,
            SubmissionStatus::Late => report.late += 1,
            SubmissionStatus::Missing => report.missing += 1,
        }
        if filter.0.status.is_none_or(|s| s == status) {
            report.teachers.push(Submission {
                teacher_id,
                teacher_name,
                school_id,
                asked: asked != 0,
                status,
                record_count,
                first_submitted_on,
            });
        }
    }
    Ok(web::Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_time_means_by_the_due_day_inclusive() {
        let due = NaiveDate::from_ymd_opt(2027, 3, 25).unwrap();
        assert_eq!(status_of(None, due), SubmissionStatus::Missing);
        assert_eq!(status_of(Some(due), due), SubmissionStatus::OnTime);
        assert_eq!(status_of(due.succ_opt(), due), SubmissionStatus::Late);
    }
}
