//! Database access of the appraisal area: schemes in the caller's reach, what a scheme appraises
//! (its semesters, schools, teachers, groups) and the measured inputs outside the quota checks
//! (award records, mentorship pairs), each one statement for the whole place.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entities::enums::RecordKind;
use entities::{
    appraisal_result, appraisal_scheme, appraisal_version, group, group_membership, mentorship, record, school,
    semester, teacher,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::org::ownership;

/// A scheme the caller sees (not archived), or 404.
pub async fn load_scheme(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<appraisal_scheme::Model> {
    appraisal_scheme::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.archived_at.is_none() && ownership::sees(actor, s.district_id, s.school_id))
        .ok_or_else(|| DomainError::not_found("appraisal scheme"))
}

/// The live schemes in the caller's reach matching `cond`, oldest first.
pub async fn schemes_where(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cond: Condition,
) -> DomainResult<Vec<appraisal_scheme::Model>> {
    let scope = ownership::scope(actor, appraisal_scheme::Column::DistrictId, appraisal_scheme::Column::SchoolId);
    Ok(appraisal_scheme::Entity::find()
        .filter(scope)
        .filter(cond)
        .filter(appraisal_scheme::Column::ArchivedAt.is_null())
        .order_by_asc(appraisal_scheme::Column::Id)
        .all(db)
        .await?)
}

/// The semesters a scheme appraises, in order: its semester, or its school year's.
pub async fn semesters_of(
    db: &impl ConnectionTrait,
    district_id: i64,
    semester_id: Option<i64>,
    school_year: Option<&str>,
) -> DomainResult<Vec<semester::Model>> {
    let mut q = semester::Entity::find()
        .filter(semester::Column::DistrictId.eq(district_id))
        .filter(semester::Column::ArchivedAt.is_null());
    q = match (semester_id, school_year) {
        (Some(id), _) => q.filter(semester::Column::Id.eq(id)),
        (None, Some(year)) => q.filter(semester::Column::SchoolYear.eq(year)),
        (None, None) => return Ok(Vec::new()),
    };
    Ok(q.order_by_asc(semester::Column::StartDate).all(db).await?)
}

/// The live schools a scheme appraises (`only`: narrowed to one of them).
pub async fn schools_of(
    db: &impl ConnectionTrait,
    scheme: &appraisal_scheme::Model,
    only: Option<i64>,
) -> DomainResult<Vec<(i64, String)>> {
    let mut q = school::Entity::find()
        .filter(school::Column::DistrictId.eq(scheme.district_id))
        .filter(school::Column::ArchivedAt.is_null());
    if let Some(id) = scheme.school_id {
        q = q.filter(school::Column::Id.eq(id));
    }
    if let Some(id) = only {
        q = q.filter(school::Column::Id.eq(id));
    }
    let rows = q.order_by_asc(school::Column::Id).all(db).await?;
    Ok(rows.into_iter().map(|s| (s.id, s.name)).collect())
}

/// A teacher appraised: id, name, school.
pub type TeacherRow = (i64, String, i64);

/// The teachers of the schools there during the window: not archived, not gone before it starts.
pub async fn teachers_of(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    window: (NaiveDate, NaiveDate),
) -> DomainResult<Vec<TeacherRow>> {
    let rows = teacher::Entity::find()
        .select_only()
        .column(teacher::Column::Id)
        .column(teacher::Column::Name)
        .column(teacher::Column::SchoolId)
        .filter(teacher::Column::SchoolId.is_in(school_ids.to_vec()))
        .filter(teacher::Column::ArchivedAt.is_null())
        .filter(Condition::any().add(teacher::Column::LeftOn.is_null()).add(teacher::Column::LeftOn.gte(window.0)))
        .filter(Condition::any().add(teacher::Column::JoinedOn.is_null()).add(teacher::Column::JoinedOn.lte(window.1)))
        .order_by_asc(teacher::Column::SchoolId)
        .order_by_asc(teacher::Column::Name)
        .order_by_asc(teacher::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// A group appraised with its members: id, name, school, member teacher ids.
pub type GroupRow = (i64, String, Option<i64>, Vec<i64>);

/// The live groups of the schools, each with its members on `day` (two statements).
pub async fn groups_of(db: &impl ConnectionTrait, school_ids: &[i64], day: NaiveDate) -> DomainResult<Vec<GroupRow>> {
    let groups: Vec<(i64, String, Option<i64>)> = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .column(group::Column::Name)
        .column(group::Column::SchoolId)
        .filter(group::Column::SchoolId.is_in(school_ids.to_vec()))
        .filter(group::Column::ArchivedAt.is_null())
        .order_by_asc(group::Column::SchoolId)
        .order_by_asc(group::Column::Name)
        .order_by_asc(group::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let school_groups = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .filter(group::Column::SchoolId.is_in(school_ids.to_vec()))
        .filter(group::Column::ArchivedAt.is_null())
        .into_query();
    let members: Vec<(i64, i64)> = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::GroupId)
        .column(group_membership::Column::TeacherId)
        .filter(group_membership::Column::GroupId.in_subquery(school_groups))
        .filter(crate::groups::access::live_membership(day))
        .filter(group_membership::Column::Since.lte(day))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_group: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (g, t) in members {
        by_group.entry(g).or_default().push(t);
    }
    Ok(groups
        .into_iter()
        .map(|(id, name, school)| (id, name, school, by_group.remove(&id).unwrap_or_default()))
        .collect())
}

/// An award record: id, author, title, level, rank.
pub type AwardRow = (i64, i64, String, entities::enums::Level, entities::enums::AwardRank);

/// The live award records of the schools' teachers written in the window.
pub async fn awards_of(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    window: (NaiveDate, NaiveDate),
) -> DomainResult<Vec<AwardRow>> {
    let rows = record::Entity::find()
        .select_only()
        .column(record::Column::Id)
        .column(record::Column::AuthorTeacherId)
        .column(record::Column::Title)
        .column(record::Column::AwardLevel)
        .column(record::Column::AwardRank)
        .filter(record::Column::SchoolId.is_in(school_ids.to_vec()))
        .filter(record::Column::Kind.eq(RecordKind::Award))
        .filter(record::Column::ArchivedAt.is_null())
        .filter(record::Column::AwardLevel.is_not_null())
        .filter(record::Column::AwardRank.is_not_null())
        .filter(record::Column::WrittenOn.between(window.0, window.1))
        .order_by_asc(record::Column::WrittenOn)
        .order_by_asc(record::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// The live mentorship pairs of the schools overlapping the window.
pub async fn pairs_of(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    window: (NaiveDate, NaiveDate),
) -> DomainResult<Vec<mentorship::Model>> {
    Ok(mentorship::Entity::find()
        .filter(mentorship::Column::SchoolId.is_in(school_ids.to_vec()))
        .filter(mentorship::Column::ArchivedAt.is_null())
        .filter(mentorship::Column::StartDate.lte(window.1))
        .filter(mentorship::Column::EndDate.gte(window.0))
        .order_by_asc(mentorship::Column::Id)
        .all(db)
        .await?)
}

/// A version of a scheme: the newest, or the one asked for; 404 when there is none.
pub async fn version_of(
    db: &impl ConnectionTrait,
    scheme: &appraisal_scheme::Model,
    version: Option<i32>,
) -> DomainResult<appraisal_version::Model> {
    let wanted = version.unwrap_or(scheme.published_version);
    appraisal_version::Entity::find()
        .filter(appraisal_version::Column::SchemeId.eq(scheme.id))
        .filter(appraisal_version::Column::Version.eq(wanted))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("published version of the scheme"))
}

/// Results of a version matching `cond`, ranked (rank, then name).
pub async fn results_where(
    db: &impl ConnectionTrait,
    version_id: i64,
    cond: Condition,
) -> DomainResult<Vec<appraisal_result::Model>> {
    Ok(appraisal_result::Entity::find()
        .filter(appraisal_result::Column::VersionId.eq(version_id))
        .filter(cond)
        .order_by_asc(appraisal_result::Column::Rank)
        .order_by_asc(appraisal_result::Column::Name)
        .order_by_asc(appraisal_result::Column::Id)
        .all(db)
        .await?)
}

/// Per version of the scheme, its counts of teacher and group results (one GROUP BY).
pub async fn result_counts(db: &impl ConnectionTrait, scheme_id: i64) -> DomainResult<BTreeMap<(i64, String), i64>> {
    let versions = appraisal_version::Entity::find()
        .select_only()
        .column(appraisal_version::Column::Id)
        .filter(appraisal_version::Column::SchemeId.eq(scheme_id))
        .into_query();
    let rows: Vec<(i64, String, i64)> = appraisal_result::Entity::find()
        .select_only()
        .column(appraisal_result::Column::VersionId)
        .column(appraisal_result::Column::SubjectType)
        .column_as(appraisal_result::Column::Id.count(), "n")
        .filter(appraisal_result::Column::VersionId.in_subquery(versions))
        .group_by(appraisal_result::Column::VersionId)
        .group_by(appraisal_result::Column::SubjectType)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(v, t, n)| ((v, t), n)).collect())
}
