//! The preparation endpoints: list, create, get, archive. The stages are in [`super::stages`].

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::NaiveDate;
use entities::enums::{ActivityType, PreparationRole};
use entities::{group, preparation, preparation_participant};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::queries::{
    lead_days_for, live_members, load_preparation, notes_of, participants_of, participants_of_page,
    preparations_matching, read_preparation,
};
use super::rules::draft_due_on;
use super::views::{NewPreparation, PreparationFilter, PreparationSummary, PreparationView};
use crate::activities::access::load_activity;
use crate::auth::Actor;
use crate::clock::today;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::groups::access::{load_group, require_live, require_manages_contents};
use crate::org::semester_days::semester_containing;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

const TITLE_MAX: usize = 200;
const SUBJECT_MAX: usize = 64;

/// List the preparations of the schools the caller sees: a group's (`group_id`), a teacher's
/// (`teacher_id`, as lead or co-preparer), each with its stage and what is due next.
#[utoipa::path(tag = "preparations", params(PreparationFilter), responses((status = 200, description = "A page of preparations", body = Page<PreparationSummary>)))]
#[get("/preparations")]
pub async fn list_preparations(
    state: State,
    actor: Actor,
    filter: Query<PreparationFilter>,
) -> ApiResult<web::Json<Page<PreparationSummary>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let today = today();
    let query = preparations_matching(&state.db, &actor, &f, today).await?;
    let page = fetch_page(query, paging, &state.db).await?;
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    let mut participants = participants_of_page(&state.db, &ids).await?;
    Ok(web::Json(page.map(|p| {
        let people = participants.remove(&p.id).unwrap_or_default();
        PreparationSummary::new(p, &people, today)
    })))
}

/// The group's live members as lead and co-preparers: the lead one of them, the co-preparers
/// the others given (default all others), at least one.
fn choose_participants(
    checks: &mut Checks,
    members: &[i64],
    lead: i64,
    given: Option<&[i64]>,
) -> Vec<(i64, PreparationRole)> {
    checks.ensure(members.contains(&lead), "lead_teacher_id", "must be a live member of the group");
    let co: Vec<i64> = match given {
        None => members.iter().copied().filter(|t| *t != lead).collect(),
        Some(ids) => {
            for (i, t) in ids.iter().enumerate() {
                let field = format!("co_preparer_teacher_ids[{i}]");
                checks.ensure(members.contains(t), &field, "must be a live member of the group");
                checks.ensure(*t != lead, &field, "must not be the lead preparer");
                checks.ensure(!ids[..i].contains(t), &field, "is listed twice");
            }
            ids.to_vec()
        }
    };
    checks.ensure(
        !co.is_empty(),
        "co_preparer_teacher_ids",
        "at least one co-preparer: 坚决杜绝'一人备课，全体分享' (seed 000)",
    );
    std::iter::once((lead, PreparationRole::Lead))
        .chain(co.into_iter().map(|t| (t, PreparationRole::CoPreparer)))
        .collect()
}

/// The activity where the lesson is discussed: a collective-prep activity of the group.
async fn check_activity(
    db: &impl ConnectionTrait,
    actor: &Actor,
    checks: &mut Checks,
    group: &group::Model,
    id: i64,
) -> DomainResult<Option<NaiveDate>> {
    let found = match load_activity(db, actor, id).await {
        Ok(a) if a.archived_at.is_none() => a,
        Ok(_) | Err(DomainError::NotFound(_)) => {
            checks.fail("activity_id", "no such activity");
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    checks.ensure(found.group_id == Some(group.id), "activity_id", "must be an activity of the group");
    checks.ensure(
        found.activity_type == ActivityType::CollectivePrep,
        "activity_id",
        "must be a collective-prep (集体备课) activity",
    );
    Ok(found.date)
}

/// Start a collective preparation of a lesson (the group's leader, the school's and the
/// district's administrators). The draft is due the policy's number of days before the session
/// (default 3, seed 003).
#[utoipa::path(
    tag = "preparations",
    request_body = NewPreparation,
    responses(
        (status = 201, description = "Created", body = PreparationView),
        (status = 409, description = "The group is archived", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/preparations")]
pub async fn create_preparation(state: State, actor: Actor, body: Json<NewPreparation>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let db = &state.db;
    let group =
        load_group(db, &actor, body.group_id).await.map_err(|_| DomainError::invalid("group_id", "no such group"))?;
    let Some(school_id) = group.school_id else {
        return Err(DomainError::invalid("group_id", "must be a group of a school (not a district team)").into());
    };
    require_manages_contents(db, &actor, &group).await?;
    require_live(&group)?;
    let today = today();
    let mut checks = Checks::new();
    let subject = match body.subject.as_deref().or(group.subject.as_deref()) {
        Some(s) => checks.text("subject", s, SUBJECT_MAX),
        None => {
            checks.fail("subject", "required: the group has no subject");
            String::new()
        }
    };
    checks.ensure((1..=9).contains(&body.grade), "grade", "must be 1 to 9");
    let unit_title = checks.optional_text("unit_title", body.unit_title.as_deref(), TITLE_MAX);
    let lesson_title = checks.text("lesson_title", &body.lesson_title, TITLE_MAX);
    let members = live_members(db, group.id, today).await?;
    let people =
        choose_participants(&mut checks, &members, body.lead_teacher_id, body.co_preparer_teacher_ids.as_deref());
    let activity_day = match body.activity_id {
        Some(id) => check_activity(db, &actor, &mut checks, &group, id).await?,
        None => None,
    };
    let session_on = body.session_on.or(activity_day);
    checks.ensure(session_on.is_some(), "session_on", "required without an activity that has a date");
    checks.finish()?;
    let Some(session_on) = session_on else {
        return Err(DomainError::invalid("session_on", "required").into());
    };

    let txn = crate::db::begin_write(db).await?;
    let (lead_days, _) = lead_days_for(&txn, &group).await?;
    let semester = semester_containing(&txn, group.district_id, session_on).await?;
    let at = now();
    let saved = preparation::ActiveModel {
        district_id: Set(group.district_id),
        school_id: Set(school_id),
        group_id: Set(group.id),
        semester_id: Set(semester.map(|s| s.id)),
        activity_id: Set(body.activity_id),
        subject: Set(subject),
        grade: Set(body.grade),
        unit_title: Set(unit_title),
        lesson_title: Set(lesson_title),
        lead_teacher_id: Set(body.lead_teacher_id),
        session_on: Set(session_on),
        draft_lead_days: Set(lead_days),
        draft_due_on: Set(draft_due_on(session_on, lead_days)),
        draft_sections: Set(None),
        draft_submitted_on: Set(None),
        draft_late: Set(false),
        consensus_body: Set(None),
        consensus_teacher_id: Set(None),
        consensus_on: Set(None),
        completed_on: Set(None),
        created_by_user_id: Set(Some(actor.user_id)),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows = people.iter().map(|(teacher_id, role)| preparation_participant::ActiveModel {
        preparation_id: Set(saved.id),
        teacher_id: Set(*teacher_id),
        role: Set(*role),
        first_noted_on: Set(None),
        reflection_record_id: Set(None),
        reflected_on: Set(None),
        ..Default::default()
    });
    preparation_participant::Entity::insert_many(rows).exec(&txn).await?;
    let participants = participants_of(&txn, saved.id).await?;
    txn.commit().await?;
    let view = PreparationView::new(saved, &participants, Vec::new(), today);
    Ok(created(format!("/api/v1/preparations/{}", view.id), view))
}

/// Get a preparation with its draft, notes, consensus and each teacher's parts.
#[utoipa::path(tag = "preparations", params(("id" = i64, Path, description = "Preparation id")), responses((status = 200, description = "The preparation", body = PreparationView)))]
#[get("/preparations/{id}")]
pub async fn get_preparation(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<PreparationView>> {
    let (found, version) = read_preparation(&state.db, &actor, id.into_inner()).await?;
    crate::changes::etag::read_with(version);
    Ok(web::Json(detail(&state.db, found).await?))
}

/// The full view of a preparation.
pub(super) async fn detail(db: &impl ConnectionTrait, p: preparation::Model) -> DomainResult<PreparationView> {
    let participants = participants_of(db, p.id).await?;
    let notes = notes_of(db, p.id).await?;
    Ok(PreparationView::new(p, &participants, notes, today()))
}

/// Archive a preparation (the group's leader, the school's and the district's administrators).
/// Idempotent. It no longer counts for quota rules.
#[utoipa::path(tag = "preparations", params(("id" = i64, Path, description = "Preparation id")), responses((status = 204, description = "Archived")))]
#[delete("/preparations/{id}")]
pub async fn archive_preparation(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let current = load_preparation(&state.db, &actor, id.into_inner()).await?;
    let group = load_group(&state.db, &actor, current.group_id).await?;
    require_manages_contents(&state.db, &actor, &group).await?;
    if current.archived_at.is_none() {
        archive(&state.db, current).await?;
    }
    Ok(no_content())
}
