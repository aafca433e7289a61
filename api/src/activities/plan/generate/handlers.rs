//! `POST /groups/{id}/slots/{slot_id}/generate`.

use actix_web::http::header;
use actix_web::{post, web, HttpResponse};
use entities::enums::ActivityType;

use super::queries::{insert_missing, live_semester, live_slot};
use super::rules::{draft_for, meeting_days, SlotPattern};
use super::views::{GenerateParams, GenerateResult};
use crate::activities::plan::views::ActivityView;
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::groups::access::{load_group, require_live, require_manages_contents};
use crate::resource::now;
use crate::state::State;

/// Create the semester's draft activities from a weekly slot (the group's administrators and
/// leader): one per day the slot meets (its weekday, its week pattern, no holidays). Days that
/// already have an activity of this slot are skipped, so re-running creates nothing new.
#[utoipa::path(
    tag = "activities",
    params(("id" = i64, Path, description = "Group id"), ("slot_id" = i64, Path, description = "Slot id"), GenerateParams),
    responses(
        (status = 201, description = "Some activities were created", body = GenerateResult),
        (status = 200, description = "Nothing new to create", body = GenerateResult),
        (status = 409, description = "The group is archived", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/groups/{id}/slots/{slot_id}/generate")]
pub(in crate::activities::plan) async fn generate_from_slot(
    state: State,
    actor: Actor,
    ids: web::Path<(i64, i64)>,
    params: Query<GenerateParams>,
) -> ApiResult<HttpResponse> {
    let (group_id, slot_id) = ids.into_inner();
    let p = params.0;
    let group = load_group(&state.db, &actor, group_id).await?;
    let slot = live_slot(&state.db, &group, slot_id).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    require_live(&group)?;
    let semester = live_semester(&state.db, &group, p.semester_id).await?;
    if let (Some(from), Some(until)) = (p.from, p.until) {
        if until < from {
            return Err(ApiError::invalid("until", "must not be before from"));
        }
    }
    let calendar = crate::org::calendar::calendar_of_semester(&semester).map_err(|e| ApiError::Internal(e.into()))?;
    let pattern = SlotPattern { weekday: slot.weekday, pattern: slot.week_pattern, first_week: slot.first_week };
    let days = meeting_days(&calendar, pattern, p.from, p.until);
    let activity_type = p.activity_type.unwrap_or(ActivityType::CollectivePrep);

    let at = now();
    let drafts = days
        .iter()
        .map(|d| (d.date, draft_for(&group, &slot, semester.id, activity_type, *d, actor.user_id, at)))
        .collect();
    let txn = crate::db::begin_write(&state.db).await?;
    let created = insert_missing(&txn, slot.id, drafts).await?;
    txn.commit().await?;
    let today = today();
    let result = GenerateResult {
        created: created.len() as u64,
        already_existing: (days.len() - created.len()) as u64,
        activities: created.into_iter().map(|a| ActivityView::new(a, Vec::new(), today)).collect(),
    };
    if result.created == 0 {
        return Ok(HttpResponse::Ok().json(result));
    }
    // A batch has no single location: point at the slot's activities.
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/activities?slot_id={}&sort=date", slot.id)))
        .json(result))
}
