//! The five endpoints of `/api/v1/observations`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use entities::{observation, school, teacher};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel, Set};

use super::draft::{self, merge_patch, Changed, Draft, Observer};
use super::queries::{filtered, load_observation, max_totals, read_observation};
use super::rules::records_for;
use super::views::{NewObservation, ObservationFilter, ObservationPatch, ObservationView};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::InsertWritten;
use crate::resource::{archive, created, no_content, now, save_changes, sorted};
use crate::state::State;

async fn view_of(db: &impl ConnectionTrait, m: observation::Model) -> ApiResult<ObservationView> {
    let max = match m.rubric_id {
        Some(r) => max_totals(db, vec![r]).await?.get(&r).copied(),
        None => None,
    };
    Ok(ObservationView::new(m, max))
}

/// The observer a new observation names (the caller's own teacher by default): a live teacher
/// the caller sees, or 422 "no such teacher".
async fn new_observer(db: &impl ConnectionTrait, actor: &Actor, requested: Option<i64>) -> ApiResult<Observer> {
    let id = requested
        .or(actor.teacher_id)
        .ok_or_else(|| ApiError::invalid("observer_teacher_id", "required: your account is not linked to a teacher"))?;
    let found = teacher::Entity::find_by_id(id).one(db).await?.filter(|t| t.archived_at.is_none());
    let school = match &found {
        Some(t) => school::Entity::find_by_id(t.school_id).one(db).await?,
        None => None,
    };
    match school.filter(|s| actor.sees_school(s.district_id, s.id)) {
        Some(s) => Ok(Observer { teacher_id: id, school_id: s.id, district_id: s.district_id }),
        None => Err(ApiError::invalid("observer_teacher_id", "no such teacher")),
    }
}

fn observer_of(m: &observation::Model) -> Observer {
    Observer { teacher_id: m.observer_teacher_id, school_id: m.observer_school_id, district_id: m.district_id }
}

fn require_records(actor: &Actor, o: Observer) -> ApiResult<()> {
    actor
        .require(records_for(actor, o.teacher_id, o.district_id, o.school_id), "record observations for this observer")
        .map_err(Into::into)
}

/// List the observations the caller can read: those whose observer's or observed teacher's
/// school the caller sees.
#[utoipa::path(tag = "observations", params(ObservationFilter), responses((status = 200, description = "A page of observations", body = Page<ObservationView>)))]
#[get("/observations")]
async fn list_observations(
    state: State,
    actor: Actor,
    filter: Query<ObservationFilter>,
) -> ApiResult<web::Json<Page<ObservationView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = sorted(
        filtered(&actor, &f)?,
        f.sort.as_deref(),
        &[
            ("observed_on", observation::Column::ObservedOn),
            ("created_at", observation::Column::CreatedAt),
            ("id", observation::Column::Id),
        ],
        observation::Column::Id,
    )?;
    let page = fetch_page(query, paging, &state.db).await?;
    let mut rubric_ids: Vec<i64> = page.items.iter().filter_map(|o| o.rubric_id).collect();
    rubric_ids.sort_unstable();
    rubric_ids.dedup();
    let maxima = max_totals(&state.db, rubric_ids).await?;
    Ok(web::Json(page.map(|o| {
        let max = o.rubric_id.and_then(|r| maxima.get(&r).copied());
        ObservationView::new(o, max)
    })))
}

/// Record an observation (the observer; administrators for their school's observers).
#[utoipa::path(tag = "observations", request_body = NewObservation, responses((status = 201, description = "Created", body = ObservationView)))]
#[post("/observations")]
async fn create_observation(state: State, actor: Actor, body: Json<NewObservation>) -> ApiResult<HttpResponse> {
    let b = body.0;
    let observer = new_observer(&state.db, &actor, b.observer_teacher_id).await?;
    require_records(&actor, observer)?;
    let d = Draft {
        observed_teacher_id: b.observed_teacher_id,
        observed_name: b.observed_name,
        observed_on: b.observed_on,
        period: b.period,
        subject: b.subject,
        grade: b.grade,
        class_name: b.class_name,
        lesson_kind: b.lesson_kind,
        lesson_title: b.lesson_title,
        activity_id: b.activity_id,
        rubric_id: b.rubric_id,
        scores: b.scores,
        strengths: b.strengths,
        weaknesses: b.weaknesses,
        suggestions: b.suggestions,
        critique_given: b.critique_given,
        critique: b.critique,
        notes: b.notes,
    };
    let clean = draft::check(&state.db, &actor, observer, d, Changed::ALL, today()).await?;
    let at = now();
    let mut row = observation::ActiveModel {
        district_id: Set(observer.district_id),
        observer_teacher_id: Set(observer.teacher_id),
        observer_school_id: Set(observer.school_id),
        created_by_user_id: Set(Some(actor.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    };
    clean.apply(&mut row);
    let saved = row.insert_written(&state.db).await?;
    let view = view_of(&state.db, saved).await?;
    Ok(created(format!("/api/v1/observations/{}", view.id), view))
}

/// Get an observation with its feedback checks.
#[utoipa::path(tag = "observations", params(("id" = i64, Path, description = "Observation id")), responses((status = 200, description = "The observation", body = ObservationView)))]
#[get("/observations/{id}")]
async fn get_observation(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<ObservationView>> {
    let (found, version) = read_observation(&state.db, &actor, id.into_inner()).await?;
    crate::changes::etag::read_with(version);
    Ok(web::Json(view_of(&state.db, found).await?))
}

/// Change an observation (its observer; administrators of the observer's school or district).
#[utoipa::path(
    tag = "observations",
    params(("id" = i64, Path, description = "Observation id")),
    request_body = ObservationPatch,
    responses((status = 200, description = "Updated", body = ObservationView))
)]
#[patch("/observations/{id}")]
async fn update_observation(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<ObservationPatch>,
) -> ApiResult<web::Json<ObservationView>> {
    let p = body.0;
    let current = load_observation(&state.db, &actor, id.into_inner()).await?;
    let observer = observer_of(&current);
    require_records(&actor, observer)?;
    let mut d = Draft::of(&current);
    let changed = merge_patch(&mut d, p);
    let clean = draft::check(&state.db, &actor, observer, d, changed, today()).await?;
    let mut row = current.into_active_model();
    clean.apply(&mut row);
    row.updated_at = Set(now());
    let saved = save_changes(&state.db, row).await?;
    Ok(web::Json(view_of(&state.db, saved).await?))
}

/// Archive an observation (its observer; administrators of the observer's school or district).
/// Idempotent.
#[utoipa::path(tag = "observations", params(("id" = i64, Path, description = "Observation id")), responses((status = 204, description = "Archived")))]
#[delete("/observations/{id}")]
async fn archive_observation(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_observation(&state.db, &actor, id.into_inner()).await?;
    require_records(&actor, observer_of(&current))?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
