//! The subjects a check measures (teachers, groups, mentorship pairs, schools) and, for teachers
//! and groups, what the rules' applicability filters look at: a handful of queries for the whole
//! population, never one per subject.
//!
//! Who is measured:
//! - teachers: active (在岗) and not archived, judged from the day they joined the school
//!   (`joined_on`); one transferred or retired during the semester is judged up to the day they
//!   left (`left_on`); one on long leave is not expected to meet quotas;
//! - groups: live groups of the schools (district teams, which have no school, only when the
//!   population is the whole district or names them);
//! - pairs: live pairs whose days (`start_date` to `end_date`) meet the checked semester, ended
//!   ones included: each is judged over its days only ([`crate::quota::presence`]);
//! - schools: live schools.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::enums::{GroupKind, TeacherStatus};
use entities::{
    group, group_membership, mentorship, school, semester, teacher, teacher_honour, teacher_post, teacher_subject,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

pub use jiaoyan_quota::assign::{Subject, SubjectRef};

use super::scan::{Place, Within};
use crate::domain::DomainResult;
use crate::quota::presence::Presence;
use crate::quota::reports::common::join_on;
use crate::quota::rules::{Membership, Profile, SubjectType};
use sea_orm::sea_query::SelectStatement;

/// Which subjects to measure: the schools of one district, and per subject type either all of
/// them (`None`) or only the listed ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub district_id: i64,
    /// The zone `school_ids` are the schools of, when the target is a zone.
    pub zone_id: Option<i64>,
    /// `None`: every school of the district (and the district's own teams).
    pub school_ids: Option<Vec<i64>>,
    pub teachers: Option<Vec<i64>>,
    pub groups: Option<Vec<i64>>,
    pub mentorships: Option<Vec<i64>>,
    pub schools: Option<Vec<i64>>,
}

impl Target {
    /// The part of the district whose subjects hold every subject of the target: the kept
    /// result a check reads it from.
    pub fn place(&self) -> Place {
        let within = match (&self.school_ids, self.zone_id) {
            (Some(_), Some(zone)) => Within::Zone(zone),
            (Some(ids), None) if ids.len() == 1 => Within::School(ids[0]),
            _ => Within::District,
        };
        Place { district_id: self.district_id, within }
    }

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

/// Every subject of `kinds` in `place`, with profiles (memberships of the semester up to `on`,
/// each with its days): a handful of queries for the whole place, each with the place as a
/// subquery, never a list of ids. A narrower target is filtered from these afterwards.
pub async fn load_subjects(
    db: &impl ConnectionTrait,
    place: &Place,
    kinds: &[SubjectType],
    semester: &semester::Model,
    on: NaiveDate,
) -> DomainResult<Vec<Subject>> {
    let mut out = Vec::new();
    for kind in kinds {
        match kind {
            SubjectType::Teacher => out.extend(teachers(db, place, semester, on).await?),
            SubjectType::Group => out.extend(groups(db, place).await?),
            SubjectType::Mentorship => out.extend(pairs(db, place, semester).await?),
            SubjectType::School => out.extend(schools(db, place).await?),
        }
    }
    Ok(out)
}

/// The measured teachers of the place: not archived, and active, or gone (transferred, retired)
/// during or after the semester's first day — judged up to the day they left.
pub(super) fn measured_teachers(place: &Place, semester: &semester::Model) -> Condition {
    let gone = Condition::all()
        .add(teacher::Column::Status.is_in([TeacherStatus::Transferred, TeacherStatus::Retired]))
        .add(teacher::Column::LeftOn.gte(semester.start_date));
    Condition::all()
        .add(teacher::Column::SchoolId.in_subquery(place.schools()))
        .add(Condition::any().add(teacher::Column::Status.eq(TeacherStatus::Active)).add(gone))
        .add(teacher::Column::ArchivedAt.is_null())
}

async fn teachers(
    db: &impl ConnectionTrait,
    place: &Place,
    semester: &semester::Model,
    on: NaiveDate,
) -> DomainResult<Vec<Subject>> {
    let rows = teacher::Entity::find().filter(measured_teachers(place, semester)).all(db).await?;
    let ids = || {
        teacher::Entity::find()
            .select_only()
            .column(teacher::Column::Id)
            .filter(measured_teachers(place, semester))
            .into_query()
    };

    let mut profiles: HashMap<i64, Profile> = rows
        .iter()
        .map(|t| {
            let profile = Profile {
                employment_type: Some(t.employment_type.into()),
                birth_date: t.birth_date,
                teaching_start_year: t.teaching_start_year,
                ..Default::default()
            };
            (t.id, profile)
        })
        .collect();
    for post in teacher_post::Entity::find().filter(teacher_post::Column::TeacherId.in_subquery(ids())).all(db).await? {
        profiles.entry(post.teacher_id).or_default().posts.push(post.post.into());
    }
    for honour in
        teacher_honour::Entity::find().filter(teacher_honour::Column::TeacherId.in_subquery(ids())).all(db).await?
    {
        profiles.entry(honour.teacher_id).or_default().honours.push(honour.title.into());
    }
    for subject in
        teacher_subject::Entity::find().filter(teacher_subject::Column::TeacherId.in_subquery(ids())).all(db).await?
    {
        profiles.entry(subject.teacher_id).or_default().subjects.push(subject.subject);
    }
    add_memberships(db, ids(), semester, on, &mut profiles).await?;
    Ok(rows
        .into_iter()
        .map(|t| Subject {
            profile: profiles.remove(&t.id).unwrap_or_default(),
            presence: Presence::new(t.joined_on, t.left_on),
            subject: SubjectRef { kind: SubjectType::Teacher, id: t.id, name: t.name, school_id: Some(t.school_id) },
        })
        .collect())
}

/// Adds to the profiles of the teachers `ids` selects their memberships of the semester (from
/// its first day to `on`) in live groups, with each group's kind and the membership's days: one
/// join.
async fn add_memberships(
    db: &impl ConnectionTrait,
    ids: SelectStatement,
    semester: &semester::Model,
    on: NaiveDate,
    profiles: &mut HashMap<i64, Profile>,
) -> DomainResult<()> {
    let memberships: Vec<(i64, i64, GroupKind, NaiveDate, Option<NaiveDate>)> = group_membership::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<group_membership::Entity, group::Entity>(group_membership::Column::GroupId, group::Column::Id),
        )
        .select_only()
        .column(group_membership::Column::TeacherId)
        .column(group_membership::Column::GroupId)
        .column(group::Column::Kind)
        .column(group_membership::Column::Since)
        .column(group_membership::Column::Until)
        .filter(group_membership::Column::TeacherId.in_subquery(ids))
        .filter(group_membership::Column::ArchivedAt.is_null())
        .filter(group_membership::Column::Since.lte(on.min(semester.end_date)))
        .filter(
            Condition::any()
                .add(group_membership::Column::Until.is_null())
                .add(group_membership::Column::Until.gte(semester.start_date)),
        )
        .filter(group::Column::ArchivedAt.is_null())
        .order_by_asc(group_membership::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for (teacher_id, group_id, kind, since, until) in memberships {
        if let Some(p) = profiles.get_mut(&teacher_id) {
            if !p.group_ids.contains(&group_id) {
                p.group_ids.push(group_id);
            }
            let kind = kind.into();
            if !p.group_kinds.contains(&kind) {
                p.group_kinds.push(kind);
            }
            p.memberships.push(Membership { group_id, kind, presence: Presence::new(Some(since), until) });
        }
    }
    Ok(())
}

async fn groups(db: &impl ConnectionTrait, place: &Place) -> DomainResult<Vec<Subject>> {
    let mut placed = Condition::any().add(group::Column::SchoolId.in_subquery(place.schools()));
    // District teams belong to no school: measured with the whole district.
    if place.within == Within::District {
        placed = placed.add(group::Column::SchoolId.is_null());
    }
    let cond = Condition::all()
        .add(group::Column::DistrictId.eq(place.district_id))
        .add(group::Column::ArchivedAt.is_null())
        .add(placed);
    let rows = group::Entity::find().filter(cond).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|g| Subject {
            profile: Profile {
                group_kinds: vec![g.kind.into()],
                group_ids: vec![g.id],
                subjects: g.subject.clone().into_iter().collect(),
                ..Default::default()
            },
            subject: SubjectRef { kind: SubjectType::Group, id: g.id, name: g.name, school_id: g.school_id },
            presence: Presence::ALWAYS,
        })
        .collect())
}

async fn pairs(db: &impl ConnectionTrait, place: &Place, checked: &semester::Model) -> DomainResult<Vec<Subject>> {
    // Ended pairs too (completed or terminated early): judged over the days they ran.
    let cond = Condition::all()
        .add(mentorship::Column::SchoolId.in_subquery(place.schools()))
        .add(mentorship::Column::ArchivedAt.is_null())
        .add(mentorship::Column::StartDate.lte(checked.end_date))
        .add(mentorship::Column::EndDate.gte(checked.start_date));
    let rows = mentorship::Entity::find().filter(cond.clone()).all(db).await?;
    let paired = |column: mentorship::Column| {
        mentorship::Entity::find().select_only().column(column).filter(cond.clone()).into_query()
    };
    let names: HashMap<i64, String> = teacher::Entity::find()
        .select_only()
        .column(teacher::Column::Id)
        .column(teacher::Column::Name)
        .filter(
            Condition::any()
                .add(teacher::Column::Id.in_subquery(paired(mentorship::Column::MentorTeacherId)))
                .add(teacher::Column::Id.in_subquery(paired(mentorship::Column::MenteeTeacherId))),
        )
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
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
            presence: Presence::new(Some(m.start_date), Some(m.end_date)),
        })
        .collect())
}

async fn schools(db: &impl ConnectionTrait, place: &Place) -> DomainResult<Vec<Subject>> {
    let cond =
        Condition::all().add(school::Column::Id.in_subquery(place.schools())).add(school::Column::ArchivedAt.is_null());
    let rows = school::Entity::find().filter(cond).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|s| Subject {
            profile: Profile::default(),
            subject: SubjectRef { kind: SubjectType::School, id: s.id, name: s.name, school_id: Some(s.id) },
            presence: Presence::ALWAYS,
        })
        .collect())
}
