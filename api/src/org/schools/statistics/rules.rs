//! The figures of a population of teachers and how they are cut and added up: pure, no database.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use entities::enums::{Degree, EmploymentType, Gender, HonourTitle, Level, ProfessionalTitle};
use sea_orm::Iterable;

use super::views::AgeBand;
use crate::domain::{DomainError, DomainResult};

/// Seed 004 reports under 35, 35 to under 50, and 50 or older.
const DEFAULT_CUTOFFS: [u32; 2] = [35, 50];
const MIN_CUTOFF: u32 = 18;
const MAX_CUTOFF: u32 = 80;
/// The key under which teachers with no recorded value are counted.
const UNKNOWN: &str = "unknown";

/// Parses `35,50`: ascending whole ages within 18–80; anything else is invalid `age_cutoffs`.
pub fn parse_cutoffs(value: Option<&str>) -> DomainResult<Vec<u32>> {
    cutoffs_of(value).map_err(|message| DomainError::invalid("age_cutoffs", message))
}

fn cutoffs_of(value: Option<&str>) -> Result<Vec<u32>, String> {
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

/// The boundary birth dates of `cutoffs` on `as_of`, or invalid `as_of` when too early.
pub fn boundaries(cutoffs: &[u32], as_of: NaiveDate) -> DomainResult<Vec<NaiveDate>> {
    cutoffs
        .iter()
        .map(|&age| born_by(as_of, age))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| DomainError::invalid("as_of", "is too early for these age cut-offs"))
}

/// The attributes teachers are counted by, code by code, in the order the statistics show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Degree,
    ProfessionalTitle,
    EmploymentType,
    Gender,
    /// Distinct teachers holding at least one honour at each level.
    HonourLevel,
    /// Distinct teachers holding each honour title.
    HonourTitle,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Degree,
        Dimension::ProfessionalTitle,
        Dimension::EmploymentType,
        Dimension::Gender,
        Dimension::HonourLevel,
        Dimension::HonourTitle,
    ];

    /// Every code of the dimension at 0.
    fn zero(self) -> BTreeMap<String, u64> {
        fn codes<T: Iterable>(code: fn(T) -> &'static str) -> BTreeMap<String, u64> {
            T::iter().map(|c| (code(c).to_string(), 0)).collect()
        }
        match self {
            Dimension::Degree => codes(Degree::code),
            Dimension::ProfessionalTitle => codes(ProfessionalTitle::code),
            Dimension::EmploymentType => codes(EmploymentType::code),
            Dimension::Gender => codes(Gender::code),
            Dimension::HonourLevel => codes(Level::code),
            Dimension::HonourTitle => codes(HonourTitle::code),
        }
    }
}

/// The figures of one population of teachers (a school, a zone, a district): what
/// [`super::SchoolStatistics`] shows, without the school.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub total: u64,
    pub by_age_band: Vec<AgeBand>,
    pub unknown_age: u64,
    /// Teachers per code of each [`Dimension`], in the order of [`Dimension::ALL`]; every code
    /// appears, `unknown` only when some teachers have none.
    pub by_code: [BTreeMap<String, u64>; 6],
}

impl Figures {
    /// Every band and code at 0.
    pub fn zero(cutoffs: &[u32]) -> Figures {
        Figures {
            total: 0,
            by_age_band: age_bands(cutoffs),
            unknown_age: 0,
            by_code: Dimension::ALL.map(Dimension::zero),
        }
    }

    /// The teachers per code of `dimension`.
    pub fn codes(&self, dimension: Dimension) -> &BTreeMap<String, u64> {
        &self.by_code[dimension as usize]
    }

    pub fn codes_mut(&mut self, dimension: Dimension) -> &mut BTreeMap<String, u64> {
        &mut self.by_code[dimension as usize]
    }

    /// Adds another population's figures (schools to their zone or district): every teacher is
    /// in one school, so the sums of distinct teachers per school stay distinct teachers.
    pub fn add(&mut self, other: &Figures) {
        self.total += other.total;
        self.unknown_age += other.unknown_age;
        for (band, more) in self.by_age_band.iter_mut().zip(&other.by_age_band) {
            band.count += more.count;
        }
        for (mine, theirs) in self.by_code.iter_mut().zip(&other.by_code) {
            for (code, n) in theirs {
                *mine.entry(code.clone()).or_default() += n;
            }
        }
    }

    /// Adds a counted band (its index, or none for an unknown birth date) of `n` teachers.
    pub fn count_band(&mut self, band: Option<usize>, n: u64) {
        self.total += n;
        match band.and_then(|i| self.by_age_band.get_mut(i)) {
            Some(b) => b.count += n,
            None => self.unknown_age += n,
        }
    }
}

/// Adds counted `(school, code, n)` rows of `dimension` into each school's figures; a NULL code
/// counts as `unknown`, a school not among them is left out.
pub fn tally(per_school: &mut BTreeMap<i64, Figures>, dimension: Dimension, rows: Vec<(i64, Option<String>, i64)>) {
    for (school_id, code, n) in rows {
        if let Some(figures) = per_school.get_mut(&school_id) {
            *figures.codes_mut(dimension).entry(code.unwrap_or_else(|| UNKNOWN.to_string())).or_default() +=
                u64::try_from(n).unwrap_or(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn cutoffs_default_to_seed_004_and_must_ascend_within_range() {
        assert_eq!(parse_cutoffs(None).unwrap(), vec![35, 50]);
        assert_eq!(parse_cutoffs(Some("28, 35,45")).unwrap(), vec![28, 35, 45]);
        for bad in ["50,35", "35,35", "17", "81", "35,old", "", "35,"] {
            let problem = parse_cutoffs(Some(bad)).unwrap_err().problem();
            assert_eq!(problem.errors.unwrap()[0].field, "age_cutoffs", "{bad}");
        }
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
        assert_eq!(boundaries(&[35, 50], d(2026, 9, 1)).unwrap(), vec![d(1991, 9, 1), d(1976, 9, 1)]);
    }

    #[test]
    fn figures_add_up_band_by_band_and_code_by_code() {
        let mut a = Figures::zero(&[35]);
        a.count_band(Some(0), 2);
        a.count_band(None, 1);
        let mut per_school = BTreeMap::from([(1, a), (2, Figures::zero(&[35]))]);
        tally(&mut per_school, Dimension::Degree, vec![(1, Some("bachelor".into()), 2), (1, None, 1), (9, None, 4)]);
        let mut total = Figures::zero(&[35]);
        for f in per_school.values() {
            total.add(f);
        }
        assert_eq!((total.total, total.by_age_band[0].count, total.unknown_age), (3, 2, 1));
        assert_eq!(total.codes(Dimension::Degree)["bachelor"], 2);
        assert_eq!(total.codes(Dimension::Degree)["unknown"], 1, "a school outside the set is left out");
        assert_eq!(total.codes(Dimension::Gender).get("unknown"), None);
    }
}
