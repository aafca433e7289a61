//! The endpoints: extract, call, respond.

use super::super::access::load_task;
use super::super::views::{Submission, SubmissionFilter, SubmissionStatus, SubmissionsReport};
use super::queries::*;
use super::rules::*;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query as QueryParams;
use crate::state::State;
use actix_web::{get, web};

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
