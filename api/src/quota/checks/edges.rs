//! Where subjects' presences can start and end: the days a check's scans cut their segments at,
//! read before the subjects themselves so that the scans can start at once.

use chrono::NaiveDate;
use entities::enums::GroupKind;
use entities::{group, group_membership, mentorship, semester, teacher};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait, Select,
};

use super::scan::Place;
use super::subjects::measured_teachers;
use crate::domain::DomainResult;
use crate::quota::presence::Presence;
use crate::quota::reports::common::join_on;
use crate::quota::rules::SubjectType;
use jiaoyan_quota::vocab::GroupKind as QuotaGroupKind;

/// Every day a presence of a subject of `kinds` in `place` can start or end on inside the
/// school year `year` ([`Presence::bounds`]): teachers' joining and leaving days, for each
/// group filter of the rules (`by_group`: group kinds and ids) the hull of each teacher's
/// matching memberships, pairs' days. A superset of the cuts the loaded subjects make (a
/// presence a rule judges is one of these or the intersection of two, whose bounds are among
/// theirs), read with a few small queries, so that scans can start before the subjects are
/// loaded. An extra cut only splits a segment in two, but each segment is a column of a scan:
/// hence hulls, not every membership's days.
pub async fn presence_edges(
    db: &impl ConnectionTrait,
    place: &Place,
    kinds: &[SubjectType],
    semester: &semester::Model,
    on: NaiveDate,
    year: (NaiveDate, NaiveDate),
    by_group: &[(Vec<QuotaGroupKind>, Vec<i64>)],
) -> DomainResult<Edges> {
    use sea_orm::sea_query::ExprTrait as _;
    let (first, last) = year;
    let mut edges: Days = Vec::new();
    let mut of_groups = Vec::new();
    if kinds.contains(&SubjectType::Teacher) {
        let ids = teacher::Entity::find()
            .select_only()
            .column(teacher::Column::Id)
            .filter(measured_teachers(place, semester));
        let joined: Days = teacher::Entity::find()
            .select_only()
            .column(teacher::Column::JoinedOn)
            .column(teacher::Column::LeftOn)
            .distinct()
            .filter(measured_teachers(place, semester))
            .filter(
                Condition::any()
                    .add(teacher::Column::JoinedOn.gt(first).and(teacher::Column::JoinedOn.lte(last)))
                    .add(teacher::Column::LeftOn.gte(first).and(teacher::Column::LeftOn.lt(last))),
            )
            .into_tuple()
            .all(db)
            .await?;
        // A teacher judged as a member of some groups is judged from the first matching
        // membership's start to the last one's end ([`jiaoyan_quota::assign::presence_for`]):
        // per group filter of the rules, those hulls per teacher.
        for (kinds, group_ids) in by_group {
            let hulls = membership_hulls(db, &ids, semester, on, kinds, group_ids).await?;
            of_groups.push(days_within(hulls, year));
        }
        edges.extend(joined);
    }
    if kinds.contains(&SubjectType::Mentorship) {
        edges.extend(pair_days(db, place, semester, year).await?);
    }
    Ok(Edges { base: days_within(edges, year), of_groups })
}

/// Where presences can start and end: `base` for every rule, and per group filter of the rules
/// (in the order given to [`presence_edges`]) the days of the rules with that filter besides.
#[derive(Debug, Clone, Default)]
pub struct Edges {
    pub base: Vec<NaiveDate>,
    pub of_groups: Vec<Vec<NaiveDate>>,
}

impl Edges {
    /// The days of rules whose group filters are `filters` (indexes into `of_groups`), sorted
    /// and distinct.
    pub fn with_filters(&self, filters: impl IntoIterator<Item = usize>) -> Vec<NaiveDate> {
        let mut days = self.base.clone();
        for f in filters {
            days.extend(self.of_groups.get(f).into_iter().flatten().copied());
        }
        days.sort();
        days.dedup();
        days
    }
}

/// The bounds of `edges` inside the school year `(first, last]`, sorted and distinct.
fn days_within(edges: Days, (first, last): (NaiveDate, NaiveDate)) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = edges
        .into_iter()
        .flat_map(|(from, until)| Presence::new(from, until).bounds().collect::<Vec<_>>())
        .filter(|day| first < *day && *day <= last)
        .collect();
    days.sort();
    days.dedup();
    days
}

/// Days a presence may start and end on: `(from, until)`, either open.
type Days = Vec<(Option<NaiveDate>, Option<NaiveDate>)>;

/// Per teacher of `ids`, the hull of their memberships of the semester (up to `on`) in live
/// groups matching the filter (group kinds and ids; empty: any): the first one's start and the
/// last one's end, open when one has no end.
async fn membership_hulls(
    db: &impl ConnectionTrait,
    ids: &Select<teacher::Entity>,
    semester: &semester::Model,
    on: NaiveDate,
    kinds: &[QuotaGroupKind],
    group_ids: &[i64],
) -> DomainResult<Days> {
    use sea_orm::sea_query::ExprTrait as _;
    let mut matching = Condition::all();
    if !kinds.is_empty() {
        matching = matching.add(group::Column::Kind.is_in(kinds.iter().map(|k| GroupKind::from(*k))));
    }
    if !group_ids.is_empty() {
        matching = matching.add(group_membership::Column::GroupId.is_in(group_ids.iter().copied()));
    }
    Ok(group_membership::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<group_membership::Entity, group::Entity>(group_membership::Column::GroupId, group::Column::Id),
        )
        .select_only()
        .expr(Expr::col((group_membership::Entity, group_membership::Column::Since)).min())
        .expr(Expr::cust(
            r#"CASE WHEN COUNT(*) = COUNT("group_memberships"."until") THEN MAX("group_memberships"."until") END"#,
        ))
        .filter(group_membership::Column::TeacherId.in_subquery(ids.clone().into_query()))
        .filter(group_membership::Column::ArchivedAt.is_null())
        .filter(group_membership::Column::Since.lte(std::cmp::min(on, semester.end_date)))
        .filter(
            Condition::any()
                .add(group_membership::Column::Until.is_null())
                .add(group_membership::Column::Until.gte(semester.start_date)),
        )
        .filter(group::Column::ArchivedAt.is_null())
        .filter(matching)
        .group_by(group_membership::Column::TeacherId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The days of the place's live pairs meeting the semester that start or end inside the school
/// year `year`.
async fn pair_days(
    db: &impl ConnectionTrait,
    place: &Place,
    semester: &semester::Model,
    year: (NaiveDate, NaiveDate),
) -> DomainResult<Days> {
    let (first, last) = year;
    let pairs: Vec<(NaiveDate, NaiveDate)> = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::StartDate)
        .column(mentorship::Column::EndDate)
        .distinct()
        .filter(mentorship::Column::SchoolId.in_subquery(place.schools()))
        .filter(mentorship::Column::ArchivedAt.is_null())
        .filter(mentorship::Column::StartDate.lte(semester.end_date))
        .filter(mentorship::Column::EndDate.gte(semester.start_date))
        .filter(Condition::any().add(mentorship::Column::StartDate.gt(first)).add(mentorship::Column::EndDate.lt(last)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(pairs.into_iter().map(|(from, until)| (Some(from), Some(until))).collect())
}
