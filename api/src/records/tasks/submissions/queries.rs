//! Database access.

use super::super::access::{asked_teachers, visible_teachers};
use crate::auth::Actor;
use crate::domain::DomainResult;
use chrono::NaiveDate;
use entities::{record, record_task, teacher};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Live records answering the task: author → (count, first submission day).
pub(super) async fn answers(db: &impl ConnectionTrait, task_id: i64) -> DomainResult<HashMap<i64, (i64, NaiveDate)>> {
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
pub(super) async fn teachers_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    task: &record_task::Model,
) -> DomainResult<Vec<(i64, String, i64, i32)>> {
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
