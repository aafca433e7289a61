//! Teacher statistics of a school, as school plans report them (seed 004: "35周岁以下青年教师35人
//! ... 35周岁至50周岁以下中年教师23人 ... 50岁以上教师2人 ... 本科学历36人 ... 中级职称教师13人 ...
//! 县级学科带头人、骨干教师各1人，县级教坛新秀5人").
//!
//! The population is the school's active (在岗), non-archived teachers. Every number is a SQL
//! COUNT with GROUP BY; age bands are a CASE on `birth_date` against boundary dates computed here.
//! Readable by the district's administrators and the school's own administrator.
//!
//! The counting ([`figures_per_school`]) takes a set of schools and groups by school as well, so
//! that the zone and district teacher statistics report (`quota::reports::statistics`) shares it:
//! one query per figure for all the schools, and zone or district totals are sums of schools.

use std::collections::BTreeMap;

use actix_web::{get, web};
use chrono::{Datelike, Months, NaiveDate};
use entities::enums::{Degree, EmploymentType, Gender, HonourTitle, Level, ProfessionalTitle, TeacherStatus};
use entities::{teacher, teacher_honour};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, JoinType, QueryFilter, QuerySelect, QueryTrait, Select,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::load_school;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::state::State;

/// Seed 004 reports under 35, 35 to under 50, and 50 or older.
const DEFAULT_CUTOFFS: [u32; 2] = [35, 50];
const MIN_CUTOFF: u32 = 18;
const MAX_CUTOFF: u32 = 80;
/// The key under which teachers with no recorded value are counted.
const UNKNOWN: &str = "unknown";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// Comma-separated ages in ascending order, each 18–80, where age bands start (default
    /// `35,50`: under 35, 35–49, 50 and older).
    pub age_cutoffs: Option<String>,
    /// The day ages are computed on (default: today in China Standard Time, UTC+8).
    pub as_of: Option<NaiveDate>,
}

/// An age band and how many teachers fall in it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[schema(example = json!({"label": "35–49", "min_age": 35, "max_age": 49, "count": 23}))]
pub struct AgeBand {
    /// `<35`, `35–49`, `≥50` ...
    pub label: String,
    /// Youngest age in the band (none for the first band).
    pub min_age: Option<u32>,
    /// Oldest age in the band (none for the last band).
    pub max_age: Option<u32>,
    pub count: u64,
}

/// Teacher statistics of a school (教师队伍情况).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"school_id": 3, "as_of": "2026-09-01", "age_cutoffs": [35, 50], "total": 60,
    "by_age_band": [{"label": "<35", "min_age": null, "max_age": 34, "count": 35},
                    {"label": "35–49", "min_age": 35, "max_age": 49, "count": 23},
                    {"label": "≥50", "min_age": 50, "max_age": null, "count": 2}],
    "unknown_age": 0,
    "by_degree": {"associate": 24, "bachelor": 36, "doctorate": 0, "master": 0, "secondary": 0},
    "by_professional_title": {"first": 13, "full_senior": 0, "second": 40, "senior": 0, "third": 0, "unranked": 7},
    "by_employment_type": {"contract": 0, "part_time": 0, "permanent": 60, "support": 0},
    "by_gender": {"female": 48, "male": 12},
    "by_honour_level": {"city": 0, "county": 7, "district": 0, "national": 0, "province": 0, "school": 0},
    "by_honour_title": {"backbone_teacher": 1, "renowned_teacher": 0, "rising_star": 5, "subject_leader": 1, "teaching_expert": 0}}))]
pub struct SchoolStatistics {
    pub school_id: i64,
    /// The day ages were computed on.
    pub as_of: NaiveDate,
    /// The age cut-offs the bands were built from.
    pub age_cutoffs: Vec<u32>,
    /// Active, non-archived teachers.
    pub total: u64,
    /// Teachers per age band on `as_of`, youngest band first.
    pub by_age_band: Vec<AgeBand>,
    /// Teachers with no birth date recorded.
    pub unknown_age: u64,
    /// Teachers per degree code; every code appears, `unknown` only when some have none.
    pub by_degree: BTreeMap<String, u64>,
    /// Teachers per professional title code (`unknown` as for `by_degree`).
    pub by_professional_title: BTreeMap<String, u64>,
    /// Teachers per employment type code.
    pub by_employment_type: BTreeMap<String, u64>,
    /// Teachers per gender code (`unknown` as for `by_degree`).
    pub by_gender: BTreeMap<String, u64>,
    /// Distinct teachers holding at least one honour at each level (awarded in or before the
    /// year of `as_of`).
    pub by_honour_level: BTreeMap<String, u64>,
    /// Distinct teachers holding each honour title (awarded in or before the year of `as_of`).
    pub by_honour_title: BTreeMap<String, u64>,
}

/// Parses `35,50`: ascending whole ages within 18–80.
pub fn parse_cutoffs(value: Option<&str>) -> Result<Vec<u32>, String> {
    let Some(value) = value else { return Ok(DEFAULT_CUTOFFS.to_vec()) };
    let mut cutoffs = Vec::new();
    for part in value.split(',') {
        let age: u32 = part.trim().parse().map_err(|_| format!("{:?} is not a whole age", part.trim()))?;
        if !(MIN_CUTOFF..=MAX_CUTOFF).contains(&age) {
            return Err(format!("{age} is outside {MIN_CUTOFF}–{MAX_CUTOFF}"));
        }
        if cutoffs.last().is_some_and(|&last| last >= age) {
            return Err("ages must be in strictly ascending order".into());
        }
        cutoffs.push(age);
    }
    Ok(cutoffs)
}

/// The bands cut at `cutoffs` (not yet counted): `<c1`, `c1–(c2-1)`, ..., `≥cn`.
pub fn age_bands(cutoffs: &[u32]) -> Vec<AgeBand> {
    let band = |label: String, min_age, max_age| AgeBand { label, min_age, max_age, count: 0 };
    let mut bands = Vec::with_capacity(cutoffs.len() + 1);
    if let Some(&first) = cutoffs.first() {
        bands.push(band(format!("<{first}"), None, Some(first - 1)));
    }
    for pair in cutoffs.windows(2) {
        let (min, max) = (pair[0], pair[1] - 1);
        let label = if min == max { min.to_string() } else { format!("{min}–{max}") };
        bands.push(band(label, Some(min), Some(max)));
    }
    if let Some(&last) = cutoffs.last() {
        bands.push(band(format!("≥{last}"), Some(last), None));
    }
    bands
}

/// The latest birth date of someone at least `age` years old on `as_of` (born on or before it).
/// Someone born on 29 February comes of age on 1 March in common years.
pub fn born_by(as_of: NaiveDate, age: u32) -> Option<NaiveDate> {
    as_of.checked_sub_months(Months::new(12 * age))
}

/// The counted population: the active, non-archived teachers of the given schools.
fn population(school_ids: &[i64]) -> Select<teacher::Entity> {
    teacher::Entity::find()
        .filter(teacher::Column::SchoolId.is_in(school_ids.iter().copied()))
        .filter(teacher::Column::Status.eq(TeacherStatus::Active))
        .filter(teacher::Column::ArchivedAt.is_null())
}

/// The figures of one population of teachers (a school, a zone, a district): what
/// [`SchoolStatistics`] shows, without the school.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub total: u64,
    pub by_age_band: Vec<AgeBand>,
    pub unknown_age: u64,
    pub by_degree: BTreeMap<String, u64>,
    pub by_professional_title: BTreeMap<String, u64>,
    pub by_employment_type: BTreeMap<String, u64>,
    pub by_gender: BTreeMap<String, u64>,
    pub by_honour_level: BTreeMap<String, u64>,
    pub by_honour_title: BTreeMap<String, u64>,
}

fn codes<T: Iterable>(code: fn(T) -> &'static str) -> BTreeMap<String, u64> {
    T::iter().map(|c| (code(c).to_string(), 0)).collect()
}

impl Figures {
    /// Every band and code at 0.
    pub fn zero(cutoffs: &[u32]) -> Figures {
        Figures {
            total: 0,
            by_age_band: age_bands(cutoffs),
            unknown_age: 0,
            by_degree: codes(Degree::code),
            by_professional_title: codes(ProfessionalTitle::code),
            by_employment_type: codes(EmploymentType::code),
            by_gender: codes(Gender::code),
            by_honour_level: codes(Level::code),
            by_honour_title: codes(HonourTitle::code),
        }
    }

    /// Adds another population's figures (schools to their zone or district): every teacher is
    /// in one school, so the sums of distinct teachers per school stay distinct teachers.
    pub fn add(&mut self, other: &Figures) {
        self.total += other.total;
        self.unknown_age += other.unknown_age;
        for (band, more) in self.by_age_band.iter_mut().zip(&other.by_age_band) {
            band.count += more.count;
        }
        for (mine, theirs) in [
            (&mut self.by_degree, &other.by_degree),
            (&mut self.by_professional_title, &other.by_professional_title),
            (&mut self.by_employment_type, &other.by_employment_type),
            (&mut self.by_gender, &other.by_gender),
            (&mut self.by_honour_level, &other.by_honour_level),
            (&mut self.by_honour_title, &other.by_honour_title),
        ] {
            for (code, n) in theirs {
                *mine.entry(code.clone()).or_default() += n;
            }
        }
    }
}

/// Adds counted `(school, code, n)` rows into each school's map; a NULL code counts as `unknown`.
fn tally(
    per_school: &mut BTreeMap<i64, Figures>,
    rows: Vec<(i64, Option<String>, i64)>,
    map: fn(&mut Figures) -> &mut BTreeMap<String, u64>,
) {
    for (school_id, code, n) in rows {
        if let Some(figures) = per_school.get_mut(&school_id) {
            *map(figures).entry(code.unwrap_or_else(|| UNKNOWN.to_string())).or_default() +=
                u64::try_from(n).unwrap_or(0);
        }
    }
}

/// `SELECT school_id, column, COUNT(id) ... GROUP BY school_id, column` over the population.
async fn count_by(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    column: teacher::Column,
) -> ApiResult<Vec<(i64, Option<String>, i64)>> {
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
) -> ApiResult<Vec<(i64, Option<String>, i64)>> {
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
) -> ApiResult<Vec<(i64, i64, i64)>> {
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

/// The boundary birth dates of `cutoffs` on `as_of`, or 422 on `as_of` when too early.
pub fn boundaries(cutoffs: &[u32], as_of: NaiveDate) -> ApiResult<Vec<NaiveDate>> {
    cutoffs
        .iter()
        .map(|&age| born_by(as_of, age))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ApiError::invalid("as_of", "is too early for these age cut-offs"))
}

/// The figures of each of `school_ids` (every one present, with zeros when it has no teachers),
/// from one GROUP BY query per figure over all the schools at once.
pub async fn figures_per_school(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    cutoffs: &[u32],
    as_of: NaiveDate,
) -> ApiResult<BTreeMap<i64, Figures>> {
    let boundaries = boundaries(cutoffs, as_of)?;
    let mut per_school: BTreeMap<i64, Figures> = school_ids.iter().map(|&id| (id, Figures::zero(cutoffs))).collect();
    if school_ids.is_empty() {
        return Ok(per_school);
    }
    for (school_id, band, n) in count_age_bands(db, school_ids, &boundaries).await? {
        let Some(figures) = per_school.get_mut(&school_id) else { continue };
        let n = u64::try_from(n).unwrap_or(0);
        figures.total += n;
        match usize::try_from(band).ok().and_then(|i| figures.by_age_band.get_mut(i)) {
            Some(b) => b.count += n,
            None => figures.unknown_age += n,
        }
    }
    tally(&mut per_school, count_by(db, school_ids, teacher::Column::Degree).await?, |f| &mut f.by_degree);
    tally(&mut per_school, count_by(db, school_ids, teacher::Column::ProfessionalTitle).await?, |f| {
        &mut f.by_professional_title
    });
    tally(&mut per_school, count_by(db, school_ids, teacher::Column::EmploymentType).await?, |f| {
        &mut f.by_employment_type
    });
    tally(&mut per_school, count_by(db, school_ids, teacher::Column::Gender).await?, |f| &mut f.by_gender);
    let year = as_of.year();
    tally(&mut per_school, honours_by(db, school_ids, year, teacher_honour::Column::Level).await?, |f| {
        &mut f.by_honour_level
    });
    tally(&mut per_school, honours_by(db, school_ids, year, teacher_honour::Column::Title).await?, |f| {
        &mut f.by_honour_title
    });
    Ok(per_school)
}

/// Teacher statistics of a school (district administrators and the school's administrator).
#[utoipa::path(
    tag = "schools",
    params(("id" = i64, Path, description = "School id"), StatisticsQuery),
    responses(
        (status = 200, description = "The school's teacher statistics", body = SchoolStatistics),
        (status = 403, description = "The caller is a teacher or group leader of the school", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/schools/{id}/statistics")]
pub(super) async fn school_statistics(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<StatisticsQuery>,
) -> ApiResult<web::Json<SchoolStatistics>> {
    let query = query.0;
    let school = load_school(&state.db, &actor, id.into_inner()).await?;
    actor.require(actor.administers_school(school.district_id, school.id), "see this school's teacher statistics")?;
    let cutoffs = parse_cutoffs(query.age_cutoffs.as_deref()).map_err(|m| ApiError::invalid("age_cutoffs", m))?;
    let as_of = query.as_of.unwrap_or_else(crate::clock::today);
    let figures = figures_per_school(&state.db, &[school.id], &cutoffs, as_of)
        .await?
        .remove(&school.id)
        .unwrap_or_else(|| Figures::zero(&cutoffs));
    Ok(web::Json(SchoolStatistics {
        school_id: school.id,
        as_of,
        age_cutoffs: cutoffs,
        total: figures.total,
        by_age_band: figures.by_age_band,
        unknown_age: figures.unknown_age,
        by_degree: figures.by_degree,
        by_professional_title: figures.by_professional_title,
        by_employment_type: figures.by_employment_type,
        by_gender: figures.by_gender,
        by_honour_level: figures.by_honour_level,
        by_honour_title: figures.by_honour_title,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn cutoffs_default_to_seed_004_and_must_ascend_within_range() {
        assert_eq!(parse_cutoffs(None), Ok(vec![35, 50]));
        assert_eq!(parse_cutoffs(Some("28, 35,45")), Ok(vec![28, 35, 45]));
        assert!(parse_cutoffs(Some("50,35")).is_err());
        assert!(parse_cutoffs(Some("35,35")).is_err());
        assert!(parse_cutoffs(Some("17")).is_err());
        assert!(parse_cutoffs(Some("81")).is_err());
        assert!(parse_cutoffs(Some("35,old")).is_err());
        assert!(parse_cutoffs(Some("")).is_err());
        assert!(parse_cutoffs(Some("35,")).is_err());
    }

    #[test]
    fn bands_are_labelled_like_the_seed_reports_them() {
        let bands = age_bands(&[35, 50]);
        let labels: Vec<_> = bands.iter().map(|b| (b.label.as_str(), b.min_age, b.max_age)).collect();
        assert_eq!(labels, vec![("<35", None, Some(34)), ("35–49", Some(35), Some(49)), ("≥50", Some(50), None)]);
        assert_eq!(age_bands(&[35, 36])[1].label, "35");
        assert_eq!(age_bands(&[40]).len(), 2);
    }

    #[test]
    fn age_boundaries_count_whole_years() {
        assert_eq!(born_by(d(2026, 9, 1), 35), Some(d(1991, 9, 1)));
        // 29 February as_of in a leap year, boundary year common: the 28th.
        assert_eq!(born_by(d(2028, 2, 29), 35), Some(d(1993, 2, 28)));
    }
}
