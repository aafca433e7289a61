//! The endpoints: extract, call, respond.

use super::queries::removals_matching;
use super::queries::*;
use super::rules::Rule;
use super::views::*;
use crate::auth::{Actor, Reach};
use crate::clock::today;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::org::semester_days::semester_ref;
use crate::pagination::{fetch_page, Page, Paging};
use crate::resource::{created, now};
use crate::state::State;
use crate::validate::Checks;
use actix_web::{get, post, put, web, HttpResponse};
use entities::{district, semester, team_removal};
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};

/// A district the caller sees, or 404.
async fn district_in_reach(db: &DatabaseConnection, actor: &Actor, id: i64) -> DomainResult<district::Model> {
    district::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| actor.sees_district(d.id))
        .ok_or_else(|| DomainError::not_found("district"))
}

/// Read a district's attendance rule for its district teams (the defaults until it sets one).
#[utoipa::path(
    tag = "district-teams",
    params(("id" = i64, Path, description = "District id")),
    responses((status = 200, description = "The district's rule", body = TeamAttendanceRuleView))
)]
#[get("/team-attendance-policies/districts/{id}")]
pub(super) async fn get_team_attendance_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<TeamAttendanceRuleView>> {
    let d = district_in_reach(&state.db, &actor, id.into_inner()).await?;
    let (rule, updated_at) = load_rule(&state.db, d.id).await?;
    Ok(web::Json(TeamAttendanceRuleView::new(d.id, rule, updated_at)))
}

/// Set a district's attendance rule for its district teams (the district's administrators).
#[utoipa::path(
    tag = "district-teams",
    params(("id" = i64, Path, description = "District id")),
    request_body = TeamAttendancePolicyBody,
    responses(
        (status = 200, description = "The district's rule as set", body = TeamAttendanceRuleView),
        (status = 403, description = "Only the district's administrators set its rule", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[put("/team-attendance-policies/districts/{id}")]
pub(super) async fn put_team_attendance_policy(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    body: Json<TeamAttendancePolicyBody>,
) -> ApiResult<web::Json<TeamAttendanceRuleView>> {
    let d = district_in_reach(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_district(d.id), "set the district teams' attendance rule")?;
    let b = body.0;
    let rule = Rule::new(
        b.absence_share_numerator,
        b.absence_share_denominator,
        b.leave_counts_as_absence.unwrap_or(true),
        b.automatic_at_semester_end.unwrap_or(false),
    )?;
    let at = now();
    let txn = crate::db::begin_write(&state.db).await?;
    save_rule(&txn, d.id, rule, at).await?;
    txn.commit().await?;
    Ok(web::Json(TeamAttendanceRuleView::new(d.id, rule, Some(at))))
}

/// Applies the automatic rule when it is due (the semester has ended and the district's rule is
/// automatic): every member over it is removed, in one transaction. Returns how many.
async fn settle_if_due(db: &DatabaseConnection, semester: &semester::Model, rule: &Rule) -> DomainResult<u64> {
    let day = today();
    if !rule.automatic_due(semester.end_date, day) {
        return Ok(0);
    }
    settle(db, semester, rule, Decided::Automatically, (day, now())).await
}

async fn settle(
    db: &DatabaseConnection,
    semester: &semester::Model,
    rule: &Rule,
    decided: Decided,
    when: (chrono::NaiveDate, chrono::DateTime<chrono::Utc>),
) -> DomainResult<u64> {
    let txn = crate::db::begin_write(db).await?;
    let over: Vec<Standing> =
        standings(&txn, semester, Which::default()).await?.into_iter().filter(|s| s.tally.exceeds(rule)).collect();
    let made = remove(&txn, semester, rule, &over, decided, None, when).await?;
    txn.commit().await?;
    Ok(made.len() as u64)
}

/// The district teams' attendance over a semester: for every district team (or one), the
/// members whose absences exceed the district's share of the team's held sessions, with their
/// numbers (every member with `all_members=true`). Computed in one query for all teams. School
/// staff see only their own school's members. Once the semester has ended, an automatic rule is
/// applied first (see `automatically_removed`).
#[utoipa::path(
    tag = "district-teams",
    params(TeamAttendanceParams),
    responses((status = 200, description = "The teams and their members' numbers", body = TeamAttendanceView))
)]
#[get("/team-attendance")]
pub(super) async fn team_attendance(
    state: State,
    actor: Actor,
    params: Query<TeamAttendanceParams>,
) -> ApiResult<web::Json<TeamAttendanceView>> {
    let p = params.0;
    let semester = semester_ref(&state.db, &actor, p.semester_id, "semester_id").await?;
    let (rule, updated_at) = load_rule(&state.db, semester.district_id).await?;
    let automatically_removed = settle_if_due(&state.db, &semester, &rule).await?;
    let school_id = match actor.reach() {
        Reach::School { school_id, .. } => Some(school_id),
        _ => None,
    };
    let which = Which { school_id, group_id: p.group_id, membership_id: None };
    let mut members = standings(&state.db, &semester, which).await?;
    let all = p.all_members.unwrap_or(false);
    members.retain(|m| all || m.tally.exceeds(&rule));
    let teams = teams(&state.db, &semester, p.group_id)
        .await?
        .into_iter()
        .map(|(group_id, name, held)| TeamStandingView {
            group_id,
            name,
            held,
            members: members
                .iter()
                .filter(|m| m.group_id == group_id)
                .map(|m| {
                    let teacher = (m.teacher_id, m.teacher_name.clone(), m.school_id);
                    MemberStandingView::new(m.membership_id, teacher, m.tally, &rule)
                })
                .collect(),
        })
        .collect();
    Ok(web::Json(TeamAttendanceView {
        semester_id: semester.id,
        semester_end: semester.end_date,
        rule: TeamAttendanceRuleView::new(semester.district_id, rule, updated_at),
        automatically_removed,
        teams,
    }))
}

/// Confirm a member's removal from a district team for the semester's absences (the district's
/// administrators): the membership ends (archived, until the removal day) with that reason, and
/// the member's school gets a notice — all in one transaction.
#[utoipa::path(
    tag = "district-teams",
    request_body = NewTeamRemoval,
    responses(
        (status = 201, description = "Removed", body = TeamRemovalView),
        (status = 403, description = "Only the district's administrators confirm removals", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The member is not over the rule in the semester, or was removed already", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/team-removals")]
pub(super) async fn create_removal(state: State, actor: Actor, body: Json<NewTeamRemoval>) -> ApiResult<HttpResponse> {
    let b = body.0;
    let semester = semester_ref(&state.db, &actor, b.semester_id, "semester_id").await?;
    actor.require(actor.administers_district(semester.district_id), "confirm a district team's removals")?;
    let mut checks = Checks::new();
    let note = checks.optional_text("note", b.note.as_deref(), 2000);
    checks.finish()?;
    let (rule, _) = load_rule(&state.db, semester.district_id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let which = Which { membership_id: Some(b.membership_id), ..Which::default() };
    let Some(member) = standings(&txn, &semester, which).await?.pop() else {
        return Err(match removal_of(&txn, b.membership_id).await? {
            Some(_) => DomainError::Conflict { detail: "the member was removed already".into(), field: None },
            None => DomainError::invalid("membership_id", "no such membership of a district team in the semester"),
        }
        .into());
    };
    if !member.tally.exceeds(&rule) {
        let detail = format!(
            "the member missed {} of {} held sessions, not more than {}/{}",
            member.tally.counted(&rule),
            member.tally.held,
            rule.numerator,
            rule.denominator
        );
        return Err(DomainError::Conflict { detail, field: Some("membership_id".into()) }.into());
    }
    let decided = Decided::ByHand { user_id: actor.user_id };
    let made = remove(&txn, &semester, &rule, &[member], decided, note, (today(), now())).await?;
    txn.commit().await?;
    let removal = made.into_iter().next().ok_or_else(|| DomainError::Internal(anyhow::anyhow!("no removal made")))?;
    Ok(created(format!("/api/v1/team-removals/{}", removal.id), TeamRemovalView::from(removal)))
}

/// Remove every member over the rule at once, once the semester has ended (the district's
/// administrators; also what an automatic rule does by itself when the report is next read).
#[utoipa::path(
    tag = "district-teams",
    request_body = SettleRequest,
    responses(
        (status = 200, description = "Settled", body = SettleView),
        (status = 403, description = "Only the district's administrators settle", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The semester has not ended yet", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/team-removals/settle")]
pub(super) async fn settle_semester(
    state: State,
    actor: Actor,
    body: Json<SettleRequest>,
) -> ApiResult<web::Json<SettleView>> {
    let semester = semester_ref(&state.db, &actor, body.0.semester_id, "semester_id").await?;
    actor.require(actor.administers_district(semester.district_id), "settle a district team's removals")?;
    let day = today();
    if day <= semester.end_date {
        let detail =
            format!("the semester ends on {}; until then removals are confirmed one by one", semester.end_date);
        return Err(DomainError::Conflict { detail, field: Some("semester_id".into()) }.into());
    }
    let (rule, _) = load_rule(&state.db, semester.district_id).await?;
    let decided = match rule.automatic_at_semester_end {
        true => Decided::Automatically,
        false => Decided::ByHand { user_id: actor.user_id },
    };
    let removed = settle(&state.db, &semester, &rule, decided, (day, now())).await?;
    Ok(web::Json(SettleView { semester_id: semester.id, removed }))
}

/// List the removals from district teams within reach (school staff: their own school's members).
#[utoipa::path(
    tag = "district-teams",
    params(TeamRemovalFilter),
    responses((status = 200, description = "A page of removals", body = Page<TeamRemovalView>))
)]
#[get("/team-removals")]
pub(super) async fn list_removals(
    state: State,
    actor: Actor,
    filter: Query<TeamRemovalFilter>,
) -> ApiResult<web::Json<Page<TeamRemovalView>>> {
    let f = filter.0;
    let paging = Paging::new(f.limit, f.offset)?;
    let query = removals_matching(&actor, &f);
    Ok(web::Json(fetch_page(query, paging, &state.db).await?.map(TeamRemovalView::from)))
}

/// Get one removal (whoever sees the member's school).
#[utoipa::path(
    tag = "district-teams",
    params(("id" = i64, Path, description = "Removal id")),
    responses((status = 200, description = "The removal", body = TeamRemovalView))
)]
#[get("/team-removals/{id}")]
pub(super) async fn get_removal(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
) -> ApiResult<web::Json<TeamRemovalView>> {
    let removal = team_removal::Entity::find_by_id(id.into_inner())
        .filter(visible_removals(&actor))
        .one(&state.db)
        .await?
        .ok_or_else(|| DomainError::not_found("team removal"))?;
    Ok(web::Json(removal.into()))
}
