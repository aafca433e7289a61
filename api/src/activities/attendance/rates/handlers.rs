//! The endpoints: extract, call, respond.

use super::super::queries::teacher_names;
use super::super::rules::AttendanceCounts;
use super::super::views::{ActivityRateRow, GroupRateView, MemberRateRow, RateParams, TeacherRateView};
use super::queries::*;
use super::rules::*;
use crate::activities::access::visible_activities;
use crate::auth::Actor;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::groups::access::{load_group, visible_member_teachers};
use crate::people::teachers::load_teacher;
use crate::state::State;
use actix_web::{get, web};
use entities::{activity, activity_participant};
use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};

/// A teacher's attendance rate over a semester: the held (and filed) activities the caller sees
/// where the teacher was expected; walk-ins are reported apart.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Teacher id"), RateParams),
    responses((status = 200, description = "The teacher's attendance over the semester", body = TeacherRateView))
)]
#[get("/attendance-rates/teachers/{id}")]
pub async fn teacher_attendance_rate(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    params: Query<RateParams>,
) -> ApiResult<web::Json<TeacherRateView>> {
    let semester_id = params.0.semester_id;
    let (teacher, school) = load_teacher(&state.db, &actor, id.into_inner()).await?;
    check_semester(&state.db, semester_id, school.district_id).await?;
    let activities = ids_of(held_in(semester_id).filter(visible_activities(&actor)));
    let mut by_teacher = counts_by(
        &state.db,
        activity_participant::Column::TeacherId,
        activities,
        Condition::all().add(activity_participant::Column::TeacherId.eq(teacher.id)),
    )
    .await?;
    let counts = by_teacher.remove(&teacher.id).unwrap_or_default();
    Ok(web::Json(TeacherRateView { teacher_id: teacher.id, semester_id, activities: counts.expected, counts }))
}

/// A group's attendance rate over a semester: the held (and filed) activities it organised,
/// overall, per activity and per teacher.
#[utoipa::path(
    tag = "attendance",
    params(("id" = i64, Path, description = "Group id"), RateParams),
    responses((status = 200, description = "The group's attendance over the semester", body = GroupRateView))
)]
#[get("/attendance-rates/groups/{id}")]
pub async fn group_attendance_rate(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    params: Query<RateParams>,
) -> ApiResult<web::Json<GroupRateView>> {
    let semester_id = params.0.semester_id;
    let group = load_group(&state.db, &actor, id.into_inner()).await?;
    check_semester(&state.db, semester_id, group.district_id).await?;
    let organised = held_in(semester_id).filter(activity::Column::GroupId.eq(group.id));
    let listed: Vec<(i64, String, Option<chrono::NaiveDate>)> = organised
        .clone()
        .select_only()
        .column(activity::Column::Id)
        .column(activity::Column::Title)
        .column(activity::Column::Date)
        .order_by_asc(activity::Column::Date)
        .order_by_asc(activity::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut per_activity =
        counts_by(&state.db, activity_participant::Column::ActivityId, ids_of(organised.clone()), Condition::all())
            .await?;
    // A district team's members from other schools are another school's data (as in its member list).
    let own_school = match (group.school_id, visible_member_teachers(&actor)) {
        (None, Some(own)) => Condition::all().add(activity_participant::Column::TeacherId.in_subquery(own)),
        _ => Condition::all(),
    };
    let per_member =
        counts_by(&state.db, activity_participant::Column::TeacherId, ids_of(organised), own_school).await?;

    let mut overall = AttendanceCounts::default();
    let activities = listed
        .into_iter()
        .map(|(activity_id, title, date)| {
            let counts = per_activity.remove(&activity_id).unwrap_or_default();
            overall.merge(&counts);
            ActivityRateRow { activity_id, title, date, counts }
        })
        .collect();
    let ids: Vec<i64> = per_member.keys().copied().collect();
    let mut names = teacher_names(&state.db, &ids).await?;
    let members = per_member
        .into_iter()
        .map(|(teacher_id, counts)| MemberRateRow {
            teacher_id,
            teacher_name: names.remove(&teacher_id).unwrap_or_default(),
            counts,
        })
        .collect();
    Ok(web::Json(GroupRateView { group_id: group.id, semester_id, overall, activities, members }))
}
