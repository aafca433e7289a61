//! The five endpoints of `/api/v1/teachers`.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use entities::teacher;
use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};

use super::queries::{
    check_external_id, filtered, load_children, load_teacher, move_accounts, read_teacher, replace_lists,
    sort_teachers, visible_school, Lists,
};
use super::rules::{self, TeacherChange};
use super::views::{NewTeacher, TeacherFilter, TeacherPatch, TeacherView};
use crate::auth::Actor;
use crate::domain::ids::ExternalId;
use crate::domain::names::PersonName;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{archive, created, no_content, now};
use crate::state::State;
use crate::validate::Checks;

/// A stored teacher with its child rows, as the API shows it.
async fn view_of(db: &impl ConnectionTrait, m: teacher::Model, today: NaiveDate) -> ApiResult<TeacherView> {
    let children = load_children(db, &[m.id]).await?.remove(&m.id).unwrap_or_default();
    Ok(TeacherView::new(m, children, today))
}

/// List the teachers the caller can see.
#[utoipa::path(tag = "teachers", params(TeacherFilter), responses((status = 200, description = "A page of teachers", body = Page<TeacherView>)))]
#[get("/teachers")]
async fn list_teachers(
    state: State,
    actor: Actor,
    filter: Query<TeacherFilter>,
) -> ApiResult<web::Json<Page<TeacherView>>> {
    let filter = filter.0;
    let paging = Paging::new(filter.limit, filter.offset)?;
    let today = rules::today();
    let query = sort_teachers(filtered(&actor, &filter, today), filter.sort.as_deref())?;
    let page = fetch_page(query, paging, &state.db).await?;
    let children = load_children(&state.db, &page.ids(|t| t.id)).await?;
    Ok(web::Json(page.joined(|t| t.id, children, |t, c| TeacherView::new(t, c, today))))
}

/// Create a teacher (administrators of the school).
#[utoipa::path(
    tag = "teachers",
    request_body = NewTeacher,
    responses(
        (status = 201, description = "Created", body = TeacherView),
        (status = 409, description = "Another teacher has this external_id", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/teachers")]
async fn create_teacher(state: State, actor: Actor, body: Json<NewTeacher>) -> ApiResult<HttpResponse> {
    let body = body.0;
    let today = rules::today();
    let mut checks = Checks::new();
    let name = checks.parsed(PersonName::parse("name", &body.name));
    let birth_ok = body.birth_date.is_none_or(|b| rules::check_birth_date(&mut checks, b, today));
    let start_ok = body.teaching_start_year.is_none_or(|y| rules::check_start_year(&mut checks, y, today));
    if let (Some(birth), Some(start), true, true) = (body.birth_date, body.teaching_start_year, birth_ok, start_ok) {
        rules::check_start_after_birth(&mut checks, start, birth, "teaching_start_year");
    }
    let external_id = rules::external_id(&mut checks, body.external_id.as_deref());
    rules::check_days(&mut checks, body.joined_on, body.left_on);
    let lists = Lists {
        subjects: Some(rules::clean_subjects(&mut checks, &body.subjects)),
        grades: Some(rules::clean_grades(&mut checks, &body.grades)),
        posts: Some(rules::clean_posts(&mut checks, &body.posts)),
        honours: Some(rules::clean_honours(&mut checks, &body.honours, today)),
    };
    match visible_school(&state.db, &actor, body.school_id).await? {
        Some(s) => actor.require(actor.administers_school(s.district_id, s.id), "create teachers in this school")?,
        None => checks.fail("school_id", "no such school"),
    }
    let name = checks.finish_with(name)?;

    let txn = crate::db::begin_write(&state.db).await?;
    if let Some(external_id) = &external_id {
        check_external_id(&txn, external_id.as_str(), None).await?;
    }
    let at = now();
    let saved = teacher::ActiveModel {
        school_id: Set(body.school_id),
        name: Set(name.into_string()),
        gender: Set(body.gender),
        birth_date: Set(body.birth_date),
        teaching_start_year: Set(body.teaching_start_year),
        degree: Set(body.degree),
        employment_type: Set(body.employment_type.unwrap_or(entities::enums::EmploymentType::Permanent)),
        professional_title: Set(body.professional_title),
        status: Set(body.status.unwrap_or(entities::enums::TeacherStatus::Active)),
        external_id: Set(external_id.map(ExternalId::into_string)),
        joined_on: Set(body.joined_on),
        left_on: Set(body.left_on),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    replace_lists(&txn, saved.id, lists).await?;
    let view = view_of(&txn, saved, today).await?;
    txn.commit().await?;
    Ok(created(format!("/api/v1/teachers/{}", view.id), view))
}

/// Get a teacher.
#[utoipa::path(tag = "teachers", params(("id" = i64, Path, description = "Teacher id")), responses((status = 200, description = "The teacher", body = TeacherView)))]
#[get("/teachers/{id}")]
async fn get_teacher(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<web::Json<TeacherView>> {
    // One statement (the actor's reload aside): the teacher, the scope check, the lists and the
    // version of the ETag (docs/PERFORMANCE.md, "Reads").
    let (found, children, version) = read_teacher(&state.db, &actor, id.into_inner()).await?;
    crate::changes::etag::read_with(version);
    Ok(web::Json(TeacherView::new(found, children, rules::today())))
}

/// Change a teacher (administrators of the school).
///
/// A list in the body replaces the whole list. Moving to another school needs the right to
/// administer both; the teacher's accounts (other than district_admin ones) move along.
#[utoipa::path(
    tag = "teachers",
    params(("id" = i64, Path, description = "Teacher id")),
    request_body = TeacherPatch,
    responses(
        (status = 200, description = "Updated", body = TeacherView),
        (status = 409, description = "Another teacher has this external_id", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/teachers/{id}")]
async fn update_teacher(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TeacherPatch>,
) -> ApiResult<web::Json<TeacherView>> {
    let body = body.0;
    let today = rules::today();
    let (current, school) = load_teacher(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "change teachers of this school")?;

    let mut checks = Checks::new();
    let name = body.name.as_deref().and_then(|n| checks.parsed(PersonName::parse("name", n)));
    rules::check_patch_dates(&mut checks, &body, &current, today);
    let external_id = body.external_id.as_ref().map(|e| rules::external_id(&mut checks, e.as_deref()));
    let lists = Lists {
        subjects: body.subjects.map(|s| rules::clean_subjects(&mut checks, &s.unwrap_or_default())),
        grades: body.grades.map(|g| rules::clean_grades(&mut checks, &g.unwrap_or_default())),
        posts: body.posts.map(|p| rules::clean_posts(&mut checks, &p.unwrap_or_default())),
        honours: body.honours.map(|h| rules::clean_honours(&mut checks, &h.unwrap_or_default(), today)),
    };
    let new_school = match body.school_id.filter(|s| *s != current.school_id) {
        None => None,
        Some(target) => match visible_school(&state.db, &actor, target).await? {
            Some(s) => {
                actor.require(actor.administers_school(s.district_id, s.id), "move teachers to this school")?;
                Some(s)
            }
            None => {
                checks.fail("school_id", "no such school");
                None
            }
        },
    };
    let days = rules::days_after(
        (current.joined_on, current.left_on),
        (body.joined_on, body.left_on),
        new_school.is_some(),
        body.status.map(|to| (current.status, to)),
        today,
    );
    rules::check_days(&mut checks, days.0, days.1);
    checks.finish()?;

    let txn = crate::db::begin_write(&state.db).await?;
    if let Some(Some(external_id)) = &external_id {
        check_external_id(&txn, external_id.as_str(), Some(current.id)).await?;
    }
    let change = TeacherChange {
        school_id: new_school.as_ref().map(|s| s.id),
        name,
        gender: body.gender,
        birth_date: body.birth_date,
        teaching_start_year: body.teaching_start_year,
        degree: body.degree,
        employment_type: body.employment_type,
        professional_title: body.professional_title,
        status: body.status,
        external_id,
        days,
    };
    let teacher_id = current.id;
    let mut active = current.into_active_model();
    let at = now();
    rules::apply_change(&mut active, change, at);
    let saved = active.update(&txn).await?;
    replace_lists(&txn, teacher_id, lists).await?;
    if let Some(s) = new_school {
        move_accounts(&txn, teacher_id, s.id, s.district_id, at).await?;
    }
    let view = view_of(&txn, saved, today).await?;
    txn.commit().await?;
    Ok(web::Json(view))
}

/// Archive a teacher (administrators of the school).
///
/// Idempotent. The teacher leaves the lists; their accounts and group memberships are left as
/// they are.
#[utoipa::path(tag = "teachers", params(("id" = i64, Path, description = "Teacher id")), responses((status = 204, description = "Archived")))]
#[delete("/teachers/{id}")]
async fn archive_teacher(state: State, actor: Actor, id: web::Path<i64>) -> ApiResult<HttpResponse> {
    let (current, school) = load_teacher(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "archive teachers of this school")?;
    if current.archived_at.is_some() {
        return Ok(no_content());
    }
    archive(&state.db, current).await?;
    Ok(no_content())
}
