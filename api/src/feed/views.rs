//! The current state of feed entries, as each resource's own single GET shows it: the view
//! builders of the resource modules, fed in bulk (one query per type and child table per page,
//! never one per entry).

use std::collections::HashMap;
use std::str::FromStr;

use entities::{
    activity, district, group, group_membership, mentorship, observation, preparation, quota_rule, record, record_task,
    research_topic, rubric, school, semester, teacher, weekly_slot, zone,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use serde::Serialize;
use serde_json::Value;

use crate::activities::plan::{lessons::lessons_of, views::ActivityView};
use crate::clients::access::Access;
use crate::clock::today;
use crate::domain::{DomainError, DomainResult};
use crate::groups::groups::{live_member_counts, GroupView};
use crate::groups::members::MemberView;
use crate::groups::slots::SlotView;
use crate::groups::topics::ResearchTopicView;
use crate::mentorships::views::MentorshipView;
use crate::observations::rubrics::{queries::dimensions_of, views::RubricView};
use crate::observations::{queries::max_totals, views::ObservationView};
use crate::org::districts::DistrictView;
use crate::org::schools::{zone_leads, SchoolView};
use crate::org::zones::ZoneView;
use crate::pagination::joined;
use crate::people::teachers::{queries::load_children, views::TeacherView};
use crate::preparations::queries::{notes_of_page, participants_of_page};
use crate::preparations::views::PreparationView;
use crate::quota::store::views::StoredRule;
use crate::records::tasks::views::RecordTaskView;
use crate::records::{queries::coauthors_of, views::RecordView};

/// Views by id.
pub type Views = HashMap<i64, Value>;

/// The rows of `E` with these ids (every tracked table's key is `id`).
async fn rows<E: EntityTrait>(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<Vec<E::Model>> {
    let id = E::Column::from_str("id")
        .map_err(|_| DomainError::Internal(anyhow::anyhow!("{} has no id column", E::default().table_name())))?;
    Ok(E::find().filter(id.is_in(ids.iter().copied())).all(db).await?)
}

fn json(view: impl Serialize) -> DomainResult<Value> {
    serde_json::to_value(view).map_err(|e| DomainError::Internal(anyhow::anyhow!("a view did not serialise: {e}")))
}

/// Collects `(id, view)` pairs.
fn collect<T: Serialize>(items: impl IntoIterator<Item = (i64, T)>) -> DomainResult<Views> {
    items.into_iter().map(|(id, view)| Ok((id, json(view)?))).collect()
}

/// The current views of the resources of type `kind` with these ids. A resource whose row is not
/// there is left out (the caller reads the log and the rows in one snapshot, so that only
/// happens to a row removed without its log entry saying so).
///
/// `access` matters where a view depends on who reads it: a group's `member_count` counts, for a
/// caller limited to some schools, only members from those schools (as a school's own staff see
/// it).
pub async fn views_of(db: &impl ConnectionTrait, kind: &str, ids: &[i64], access: &Access) -> DomainResult<Views> {
    if ids.is_empty() {
        return Ok(Views::new());
    }
    match kind {
        "districts" | "zones" | "schools" | "semesters" | "teachers" | "groups" | "memberships" | "slots"
        | "research_topics" => organisation_views(db, kind, ids, access).await,
        _ => work_views(db, kind, ids).await,
    }
}

/// The views of the organisation: the district's structure, its teachers and their groups.
async fn organisation_views(
    db: &impl ConnectionTrait,
    kind: &str,
    ids: &[i64],
    access: &Access,
) -> DomainResult<Views> {
    match kind {
        "districts" => {
            collect(rows::<district::Entity>(db, ids).await?.into_iter().map(|m| (m.id, DistrictView::from(m))))
        }
        "zones" => collect(rows::<zone::Entity>(db, ids).await?.into_iter().map(|m| (m.id, ZoneView::from(m)))),
        "schools" => school_views(db, ids).await,
        "semesters" => {
            let found = rows::<semester::Entity>(db, ids).await?;
            found.into_iter().map(|m| Ok((m.id, json(crate::org::semesters::view(m)?)?))).collect()
        }
        "teachers" => teacher_views(db, ids).await,
        "groups" => group_views(db, ids, access).await,
        "memberships" => membership_views(db, ids).await,
        "slots" => collect(rows::<weekly_slot::Entity>(db, ids).await?.into_iter().map(|m| (m.id, SlotView::from(m)))),
        "research_topics" => collect(
            rows::<research_topic::Entity>(db, ids).await?.into_iter().map(|m| (m.id, ResearchTopicView::from(m))),
        ),
        other => Err(no_view_of(other)),
    }
}

/// The views of the work done: activities, observations and their rubrics, records, mentorships,
/// collective preparations and the quota rules.
async fn work_views(db: &impl ConnectionTrait, kind: &str, ids: &[i64]) -> DomainResult<Views> {
    match kind {
        "activities" => {
            let found = rows::<activity::Entity>(db, ids).await?;
            let lessons = lessons_of(db, ids).await?;
            let today = today();
            collect(joined(found, |a| a.id, lessons, |a, l| (a.id, ActivityView::new(a, l, today))))
        }
        "observations" => observation_views(db, ids).await,
        "rubrics" => {
            let found = rows::<rubric::Entity>(db, ids).await?;
            let dims = dimensions_of(db, ids).await?;
            collect(joined(found, |r| r.id, dims, |r, d| (r.id, RubricView::new(r, d))))
        }
        "records" => {
            let found = rows::<record::Entity>(db, ids).await?;
            let coauthors = coauthors_of(db, ids).await?;
            collect(joined(found, |r| r.id, coauthors, |r, c| (r.id, RecordView::new(r, c))))
        }
        "record_tasks" => {
            collect(rows::<record_task::Entity>(db, ids).await?.into_iter().map(|m| (m.id, RecordTaskView::from(m))))
        }
        "mentorships" => {
            collect(rows::<mentorship::Entity>(db, ids).await?.into_iter().map(|m| (m.id, MentorshipView::from(m))))
        }
        "preparations" => {
            let found = rows::<preparation::Entity>(db, ids).await?;
            let mut participants = participants_of_page(db, ids).await?;
            let mut notes = notes_of_page(db, ids).await?;
            let today = today();
            collect(found.into_iter().map(|p| {
                let people = participants.remove(&p.id).unwrap_or_default();
                let notes = notes.remove(&p.id).unwrap_or_default();
                (p.id, PreparationView::new(p, &people, notes, today))
            }))
        }
        "quota_rules" => {
            let found = rows::<quota_rule::Entity>(db, ids).await?;
            found.into_iter().map(|r| Ok((r.id, json(StoredRule::from_row(r)?.view())?))).collect()
        }
        other => Err(no_view_of(other)),
    }
}

fn no_view_of(kind: &str) -> DomainError {
    DomainError::Internal(anyhow::anyhow!("the change feed has no view of {kind}"))
}

async fn school_views(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<Views> {
    let found = rows::<school::Entity>(db, ids).await?;
    let leads = zone_leads(db, &found).await?;
    collect(found.into_iter().map(|s| {
        let lead = leads.contains(&s.id);
        (s.id, SchoolView::new(s, lead))
    }))
}

async fn teacher_views(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<Views> {
    let found = rows::<teacher::Entity>(db, ids).await?;
    let children = load_children(db, ids).await?;
    let today = today();
    collect(joined(found, |t| t.id, children, |t, c| (t.id, TeacherView::new(t, c, today))))
}

async fn group_views(db: &impl ConnectionTrait, ids: &[i64], access: &Access) -> DomainResult<Views> {
    let found = rows::<group::Entity>(db, ids).await?;
    let counted = access.schools.as_ref().map(|schools| {
        teacher::Entity::find()
            .select_only()
            .column(teacher::Column::Id)
            .filter(teacher::Column::SchoolId.is_in(schools.iter().copied()))
            .into_query()
    });
    let counts = live_member_counts(db, ids, counted).await?;
    collect(found.into_iter().map(|g| {
        let n = counts.get(&g.id).copied().unwrap_or(0);
        (g.id, GroupView::new(g, n))
    }))
}

async fn membership_views(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<Views> {
    let found = rows::<group_membership::Entity>(db, ids).await?;
    let teachers: HashMap<i64, teacher::Model> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(found.iter().map(|m| m.teacher_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    collect(found.into_iter().filter_map(|m| teachers.get(&m.teacher_id).map(|t| (m.id, MemberView::new(m, t)))))
}

async fn observation_views(db: &impl ConnectionTrait, ids: &[i64]) -> DomainResult<Views> {
    let found = rows::<observation::Entity>(db, ids).await?;
    let mut rubric_ids: Vec<i64> = found.iter().filter_map(|o| o.rubric_id).collect();
    rubric_ids.sort_unstable();
    rubric_ids.dedup();
    let maxima = max_totals(db, rubric_ids).await?;
    collect(found.into_iter().map(|o| {
        let max = o.rubric_id.and_then(|r| maxima.get(&r).copied());
        (o.id, ObservationView::new(o, max))
    }))
}
