//! The subjects a check measures (teachers, groups, mentorship pairs, schools) and, for teachers
//! and groups, what the rules' applicability filters look at: a handful of queries for the whole
//! population, never one per subject.
//!
//! Who is measured:
//! - teachers: active (在岗) and not archived; a teacher on long leave, transferred or retired is
//!   not expected to meet quotas;
//! - groups: live groups of the schools (district teams, which have no school, only when the
//!   population is the whole district or names them);
//! - pairs: live pairs not terminated whose semesters span the checked semester;
//! - schools: live schools.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::enums::{MentorshipStatus, TeacherStatus};
use entities::{
    group, group_membership, mentorship, school, semester, teacher, teacher_honour, teacher_post, teacher_subject,
};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::groups::access::live_membership;
use crate::quota::rules::{Profile, SubjectType};

/// Which subjects to measure: the schools of one district, and per subject type either all of
/// them (`None`) or only the listed ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub district_id: i64,
    /// `None`: every school of the district (and the district's own teams).
    pub school_ids: Option<Vec<i64>>,
    pub teachers: Option<Vec<i64>>,
    pub groups: Option<Vec<i64>>,
    pub mentorships: Option<Vec<i64>>,
    pub schools: Option<Vec<i64>>,
}

impl Target {
    /// Only these subjects of the type (an empty list: none of that type).
    pub fn ids(&self, kind: SubjectType) -> Option<&Vec<i64>> {
        match kind {
            SubjectType::Teacher => self.teachers.as_ref(),
            SubjectType::Group => self.groups.as_ref(),
            SubjectType::Mentorship => self.mentorships.as_ref(),
            SubjectType::School => self.schools.as_ref(),
        }
    }
}

/// A subject as the check names it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"type": "teacher", "id": 5, "name": "王芳", "school_id": 2}))]
pub struct SubjectRef {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    pub id: i64,
    /// The teacher's, group's or school's name; a pair is "mentor → mentee".
    pub name: String,
    /// `null` for a district team.
    pub school_id: Option<i64>,
}

/// A subject and what the applicability filters look at.
#[derive(Debug, Clone)]
pub struct Subject {
    pub subject: SubjectRef,
    pub profile: Profile,
}

/// The schools of the target as a subquery.
fn school_ids_of(target: &Target) -> SelectStatement {
    let mut cond = Condition::all().add(school::Column::DistrictId.eq(target.district_id));
    if let Some(ids) = &target.school_ids {
        cond = cond.add(school::Column::Id.is_in(ids.clone()));
    }
    school::Entity::find().select_only().column(school::Column::Id).filter(cond).into_query()
}

fn only(cond: Condition, column: impl ColumnTrait, ids: Option<&Vec<i64>>) -> Condition {
    match ids {
        Some(ids) => cond.add(column.is_in(ids.clone())),
        None => cond,
    }
}

/// Every subject of `kinds` in the target, with profiles; memberships are taken as live on
/// `on`.
pub async fn load_subjects(
    db: &impl ConnectionTrait,
    target: &Target,
    kinds: &[SubjectType],
    semester: &semester::Model,
    on: NaiveDate,
) -> ApiResult<Vec<Subject>> {
    let mut out = Vec::new();
    for kind in kinds {
        if target.ids(*kind).is_some_and(|ids| ids.is_empty()) {
            continue;
        }
        match kind {
            SubjectType::Teacher => out.extend(teachers(db, target, on).await?),
            SubjectType::Group => out.extend(groups(db, target).await?),
            SubjectType::Mentorship => out.extend(pairs(db, target, semester).await?),
            SubjectType::School => out.extend(schools(db, target).await?),
        }
    }
    Ok(out)
}

async fn teachers(db: &impl ConnectionTrait, target: &Target, on: NaiveDate) -> ApiResult<Vec<Subject>> {
    let cond = Condition::all()
        .add(teacher::Column::SchoolId.in_subquery(school_ids_of(target)))
        .add(teacher::Column::Status.eq(TeacherStatus::Active))
        .add(teacher::Column::ArchivedAt.is_null());
    let cond = only(cond, teacher::Column::Id, target.teachers.as_ref());
    let rows = teacher::Entity::find().filter(cond.clone()).all(db).await?;
    let ids = || teacher::Entity::find().select_only().column(teacher::Column::Id).filter(cond.clone()).into_query();

    let mut profiles: HashMap<i64, Profile> = rows
        .iter()
        .map(|t| {
            let profile = Profile {
                employment_type: Some(t.employment_type),
                birth_date: t.birth_date,
                teaching_start_year: t.teaching_start_year,
                ..Default::default()
            };
            (t.id, profile)
        })
        .collect();
    for post in teacher_post::Entity::find().filter(teacher_post::Column::TeacherId.in_subquery(ids())).all(db).await? {
        profiles.entry(post.teacher_id).or_default().posts.push(post.post);
    }
    for honour in
        teacher_honour::Entity::find().filter(teacher_honour::Column::TeacherId.in_subquery(ids())).all(db).await?
    {
        profiles.entry(honour.teacher_id).or_default().honours.push(honour.title);
    }
    for subject in
        teacher_subject::Entity::find().filter(teacher_subject::Column::TeacherId.in_subquery(ids())).all(db).await?
    {
        profiles.entry(subject.teacher_id).or_default().subjects.push(subject.subject);
    }
    let memberships = group_membership::Entity::find()
        .filter(group_membership::Column::TeacherId.in_subquery(ids()))
        .filter(live_membership(on))
        .all(db)
        .await?;
    let group_ids: Vec<i64> = memberships.iter().map(|m| m.group_id).collect();
    let kinds: HashMap<i64, _> = group::Entity::find()
        .filter(group::Column::Id.is_in(group_ids))
        .filter(group::Column::ArchivedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.kind))
        .collect();
    for m in memberships {
        if let (Some(kind), Some(p)) = (kinds.get(&m.group_id), profiles.get_mut(&m.teacher_id)) {
            p.group_ids.push(m.group_id);
            if !p.group_kinds.contains(kind) {
                p.group_kinds.push(*kind);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|t| Subject {
            profile: profiles.remove(&t.id).unwrap_or_default(),
            subject: SubjectRef { kind: SubjectType::Teacher, id: t.id, name: t.name, school_id: Some(t.school_id) },
        })
        .collect())
}

async fn groups(db: &impl ConnectionTrait, target: &Target) -> ApiResult<Vec<Subject>> {
    let mut placed = Condition::any().add(group::Column::SchoolId.in_subquery(school_ids_of(target)));
    // District teams belong to no school: measured for the whole district, or when named.
    if target.school_ids.is_none() || target.groups.is_some() {
        placed = placed.add(group::Column::SchoolId.is_null());
    }
    let cond = Condition::all()
        .add(group::Column::DistrictId.eq(target.district_id))
        .add(group::Column::ArchivedAt.is_null())
        .add(placed);
    let rows = group::Entity::find().filter(only(cond, group::Column::Id, target.groups.as_ref())).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|g| Subject {
            profile: Profile {
                group_kinds: vec![g.kind],
                group_ids: vec![g.id],
                subjects: g.subject.clone().into_iter().collect(),
                ..Default::default()
            },
            subject: SubjectRef { kind: SubjectType::Group, id: g.id, name: g.name, school_id: g.school_id },
        })
        .collect())
}

async fn pairs(db: &impl ConnectionTrait, target: &Target, checked: &semester::Model) -> ApiResult<Vec<Subject>> {
    let cond = Condition::all()
        .add(mentorship::Column::SchoolId.in_subquery(school_ids_of(target)))
        .add(mentorship::Column::ArchivedAt.is_null())
        .add(mentorship::Column::Status.ne(MentorshipStatus::Terminated));
    let rows = mentorship::Entity::find()
        .filter(only(cond, mentorship::Column::Id, target.mentorships.as_ref()))
        .all(db)
        .await?;
    let semesters: HashMap<i64, semester::Model> = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(target.district_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let spans = |m: &mentorship::Model| match (semesters.get(&m.start_semester_id), semesters.get(&m.end_semester_id)) {
        (Some(first), Some(last)) => first.start_date <= checked.start_date && checked.end_date <= last.end_date,
        _ => false,
    };
    let rows: Vec<mentorship::Model> = rows.into_iter().filter(spans).collect();
    let teacher_ids: Vec<i64> = rows.iter().flat_map(|m| [m.mentor_teacher_id, m.mentee_teacher_id]).collect();
    let names: HashMap<i64, String> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(teacher_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|m| Subject {
            profile: Profile::default(),
            subject: SubjectRef {
                kind: SubjectType::Mentorship,
                id: m.id,
                name: format!("{} → {}", name(m.mentor_teacher_id), name(m.mentee_teacher_id)),
                school_id: Some(m.school_id),
            },
        })
        .collect())
}

async fn schools(db: &impl ConnectionTrait, target: &Target) -> ApiResult<Vec<Subject>> {
    let cond = Condition::all()
        .add(school::Column::Id.in_subquery(school_ids_of(target)))
        .add(school::Column::ArchivedAt.is_null());
    let rows = school::Entity::find().filter(only(cond, school::Column::Id, target.schools.as_ref())).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|s| Subject {
            profile: Profile::default(),
            subject: SubjectRef { kind: SubjectType::School, id: s.id, name: s.name, school_id: Some(s.id) },
        })
        .collect())
}
