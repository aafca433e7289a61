//! The counting of a school's teacher statistics: one GROUP BY query per figure over all the
//! schools at once.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use entities::enums::TeacherStatus;
use entities::{teacher, teacher_honour};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait, Select};

use super::rules::{boundaries, tally, Dimension, Figures};
use crate::domain::DomainResult;

/// The counted population: the active, non-archived teachers of the given schools.
fn population(school_ids: &[i64]) -> Select<teacher::Entity> {
    teacher::Entity::find()
        .filter(teacher::Column::SchoolId.is_in(school_ids.iter().copied()))
        .filter(teacher::Column::Status.eq(TeacherStatus::Active))
        .filter(teacher::Column::ArchivedAt.is_null())
}

/// `SELECT school_id, column, COUNT(id) ... GROUP BY school_id, column` over the population.
async fn count_by(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    column: teacher::Column,
) -> DomainResult<Vec<(i64, Option<String>, i64)>> {
    Ok(population(school_ids)
        .select_only()
        .column(teacher::Column::SchoolId)
        .column(column)
        .column_as(teacher::Column::Id.count(), "n")
        .group_by(teacher::Column::SchoolId)
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?)
}

/// `SELECT teachers.school_id, column, COUNT(DISTINCT teacher_id) FROM teacher_honours JOIN
/// teachers ... GROUP BY teachers.school_id, column`.
async fn honours_by(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    year: i32,
    column: teacher_honour::Column,
) -> DomainResult<Vec<(i64, Option<String>, i64)>> {
    let teachers = population(school_ids).select_only().column(teacher::Column::Id).into_query();
    let to_teacher = teacher_honour::Entity::belongs_to(teacher::Entity)
        .from(teacher_honour::Column::TeacherId)
        .to(teacher::Column::Id)
        .into();
    Ok(teacher_honour::Entity::find()
        .join(JoinType::InnerJoin, to_teacher)
        .select_only()
        .column(teacher::Column::SchoolId)
        .column(column)
        .column_as(Expr::col((teacher_honour::Entity, teacher_honour::Column::TeacherId)).count_distinct(), "n")
        .filter(teacher_honour::Column::TeacherId.in_subquery(teachers))
        .filter(teacher_honour::Column::Year.lte(year))
        .group_by(teacher::Column::SchoolId)
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?)
}

/// Counts per school and age band: band index per row by CASE, -1 for an unknown birth date.
async fn count_age_bands(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    boundaries: &[NaiveDate],
) -> DomainResult<Vec<(i64, i64, i64)>> {
    let mut band = CaseStatement::new().case(teacher::Column::BirthDate.is_null(), Expr::val(-1i64));
    for (i, boundary) in boundaries.iter().enumerate() {
        // Younger than cut-off i: born after the boundary date.
        band = band.case(teacher::Column::BirthDate.gt(*boundary), Expr::val(i as i64));
    }
    let band = band.finally(Expr::val(boundaries.len() as i64));
    Ok(population(school_ids)
        .select_only()
        .column(teacher::Column::SchoolId)
        .column_as(Into::<Expr>::into(band), "band")
        .column_as(teacher::Column::Id.count(), "n")
        .group_by(teacher::Column::SchoolId)
        .group_by(Expr::col(Alias::new("band")))
        .into_tuple()
        .all(db)
        .await?)
}

/// The figures of each of `school_ids` (every one present, with zeros when it has no teachers),
/// from one GROUP BY query per figure over all the schools at once.
pub async fn figures_per_school(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    cutoffs: &[u32],
    as_of: NaiveDate,
) -> DomainResult<BTreeMap<i64, Figures>> {
    let boundaries = boundaries(cutoffs, as_of)?;
    let mut per_school: BTreeMap<i64, Figures> = school_ids.iter().map(|&id| (id, Figures::zero(cutoffs))).collect();
    if school_ids.is_empty() {
        return Ok(per_school);
    }
    for (school_id, band, n) in count_age_bands(db, school_ids, &boundaries).await? {
        if let Some(figures) = per_school.get_mut(&school_id) {
            figures.count_band(usize::try_from(band).ok(), u64::try_from(n).unwrap_or(0));
        }
    }
    let year = as_of.year();
    for dimension in Dimension::ALL {
        let rows = match dimension {
            Dimension::Degree => count_by(db, school_ids, teacher::Column::Degree).await?,
            Dimension::ProfessionalTitle => count_by(db, school_ids, teacher::Column::ProfessionalTitle).await?,
            Dimension::EmploymentType => count_by(db, school_ids, teacher::Column::EmploymentType).await?,
            Dimension::Gender => count_by(db, school_ids, teacher::Column::Gender).await?,
            Dimension::HonourLevel => honours_by(db, school_ids, year, teacher_honour::Column::Level).await?,
            Dimension::HonourTitle => honours_by(db, school_ids, year, teacher_honour::Column::Title).await?,
        };
        tally(&mut per_school, dimension, rows);
    }
    Ok(per_school)
}
