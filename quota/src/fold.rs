//! Folding what one scan of a source counted into each rule's per-period values.
//!
//! A check reads each source (observations, records, lessons, activities, participations) once
//! for every rule that counts it: one aggregate per subject and *segment*, with one column per
//! distinct measure the rules take (a filtered count, a sum of words or hours, a share, the
//! attendance counts). Segments are the finest spans the rules need: the days between any two
//! boundaries of any rule's periods (and `as_of`), so that every segment lies inside exactly one
//! period of every rule, or outside all of them. Folding a rule is then adding up, per period,
//! the segments that fall inside it ([`fold`]).
//!
//! The result is exactly what counting each rule on its own gives (one aggregate per rule over the
//! period buckets): the same rows, only added up in two steps. Sums of fractional hours may differ
//! in the last bits, since floating-point addition is not associative.

use chrono::{Days, NaiveDate};

use crate::periods::{period_of, Period};

/// Days inside which every period list of a scan assigns the same period (or none); both ends
/// included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The segments of a scan, in order, and per period list the period each segment falls in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Segmentation {
    pub segments: Vec<Segment>,
    /// `maps[list][segment]`: the index into that list's periods, `None` when the segment lies
    /// outside every period of the list.
    pub maps: Vec<Vec<Option<u32>>>,
}

/// The segments of `lists` up to `as_of`: only days inside a period of some list, and not after
/// `as_of` (what comes later is not counted), are in a segment. Periods starting after `as_of`
/// get no segment at all. `cuts` are further days a segment must start on (the edges of
/// subjects' presences, [`crate::presence::Presence::bounds`]).
pub fn segment(lists: &[&[Period]], cuts: &[NaiveDate], as_of: NaiveDate) -> Segmentation {
    let mut bounds: Vec<NaiveDate> = cuts.iter().copied().filter(|c| *c <= as_of).collect();
    for list in lists {
        for p in list.iter().filter(|p| p.start <= as_of) {
            bounds.push(p.start);
            if let Some(after) = p.end.min(as_of).checked_add_days(Days::new(1)) {
                bounds.push(after);
            }
        }
    }
    bounds.sort();
    bounds.dedup();
    let covered = |day: NaiveDate| lists.iter().any(|list| period_of(list, day).is_some());
    let segments: Vec<Segment> = bounds
        .windows(2)
        .filter(|w| covered(w[0]))
        .map(|w| Segment { start: w[0], end: w[1] - Days::new(1) })
        .collect();
    let maps = lists
        .iter()
        .map(|list| segments.iter().map(|s| period_of(list, s.start).map(|i| i as u32)).collect())
        .collect();
    Segmentation { segments, maps }
}

/// How a measure's columns become a period's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// One column, added up: rows counted (observations, records, lessons, activities).
    Count,
    /// One column, added up: words or hours.
    Sum,
    /// Two columns, `[part, all]`: the period's value is `part / all` (the share of lesson plans
    /// written in full); no data when `all` is 0.
    Share,
    /// Three columns, `[expected, attended, on_leave]` of the expected participants: the
    /// attendance rate of [`attendance_rate`]; no data when nobody was due.
    Attendance,
}

impl Fold {
    /// How many columns the measure takes.
    pub fn width(self) -> usize {
        match self {
            Fold::Count | Fold::Sum => 1,
            Fold::Share => 2,
            Fold::Attendance => 3,
        }
    }
}

/// The attendance rate (参与教研活动率): attended over the expected participants not on leave,
/// rounded to 4 decimals; `None` when nobody was due.
pub fn attendance_rate(attended: i64, on_leave: i64, expected: i64) -> Option<f64> {
    let due = expected - on_leave;
    if due <= 0 {
        return None;
    }
    let rate = attended as f64 / due as f64;
    Some((rate * 10_000.0).round() / 10_000.0)
}

/// One measure's value in each of `period_count` periods, for one subject. `cells` is the
/// subject's table (segment after segment, `width` columns each, `None` when the subject had no
/// row at all); the measure's columns start at `column`. `map` gives each segment's period, and
/// `no_data` is the value of a period without any row (0 for counts, 1 for ratios: nothing was
/// missed).
pub fn fold(
    cells: Option<&[f64]>,
    width: usize,
    column: usize,
    how: Fold,
    map: &[Option<u32>],
    period_count: usize,
    no_data: f64,
) -> Vec<f64> {
    let Some(cells) = cells else {
        return vec![no_data; period_count];
    };
    let mut sums = vec![[0.0f64; 3]; period_count];
    for (segment, period) in map.iter().enumerate() {
        let Some(period) = period.map(|p| p as usize).filter(|p| *p < period_count) else { continue };
        let row = &cells[segment * width..(segment + 1) * width];
        for k in 0..how.width() {
            sums[period][k] += row[column + k];
        }
    }
    sums.into_iter()
        .map(|s| match how {
            Fold::Count | Fold::Sum => s[0],
            Fold::Share if s[1] > 0.0 => s[0] / s[1],
            Fold::Share => no_data,
            Fold::Attendance => attendance_rate(s[1] as i64, s[2] as i64, s[0] as i64).unwrap_or(no_data),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::periods::tests::{autumn, d};
    use crate::periods::{periods, PeriodKind};

    #[test]
    fn segments_split_weeks_at_month_ends_and_stop_at_as_of() {
        let cal = autumn();
        let weeks = periods(&cal, PeriodKind::Week, None);
        let months = periods(&cal, PeriodKind::Month, None);
        let s = segment(&[&weeks, &months], &[], d(2026, 10, 14));
        // Week of Monday 28 September is split by 1 October; the last segment ends on as_of.
        let spans: Vec<(NaiveDate, NaiveDate)> = s.segments.iter().map(|g| (g.start, g.end)).collect();
        assert_eq!(spans[0], (d(2026, 9, 1), d(2026, 9, 6)));
        assert!(spans.contains(&(d(2026, 9, 28), d(2026, 9, 30))));
        assert!(spans.contains(&(d(2026, 10, 1), d(2026, 10, 4))));
        assert_eq!(*spans.last().unwrap(), (d(2026, 10, 12), d(2026, 10, 14)));
        // Every segment lies in one week and one month.
        for (i, g) in s.segments.iter().enumerate() {
            let w = s.maps[0][i].unwrap() as usize;
            let m = s.maps[1][i].unwrap() as usize;
            assert!(weeks[w].start <= g.start && g.end <= weeks[w].end);
            assert!(months[m].start <= g.start && g.end <= months[m].end);
        }
    }

    #[test]
    fn nothing_is_a_segment_before_the_first_period_starts() {
        let cal = autumn();
        let months = periods(&cal, PeriodKind::Month, None);
        assert!(segment(&[&months], &[], d(2026, 8, 31)).segments.is_empty());
    }

    #[test]
    fn a_school_year_list_covers_the_days_outside_the_semester() {
        let cal = autumn();
        let year = periods(&cal, PeriodKind::SchoolYear, Some((d(2026, 9, 1), d(2027, 7, 2))));
        let semester = periods(&cal, PeriodKind::Semester, None);
        let s = segment(&[&semester, &year], &[], d(2027, 2, 10));
        assert_eq!(s.segments.len(), 2);
        assert_eq!(s.maps[0], vec![Some(0), None]);
        assert_eq!(s.maps[1], vec![Some(0), Some(0)]);
    }

    #[test]
    fn folds_add_segments_per_period() {
        // Two segments in period 0, one in period 1, one outside; columns: count, share (2).
        let cells = [1.0, 1.0, 2.0, 2.0, 0.0, 1.0, 5.0, 1.0, 1.0, 9.0, 9.0, 9.0];
        let map = [Some(0), Some(0), Some(1), None];
        assert_eq!(fold(Some(&cells), 3, 0, Fold::Count, &map, 3, 0.0), vec![3.0, 5.0, 0.0]);
        assert_eq!(fold(Some(&cells), 3, 1, Fold::Share, &map, 3, 1.0), vec![1.0 / 3.0, 1.0, 1.0]);
        assert_eq!(fold(None, 3, 0, Fold::Count, &map, 2, 0.0), vec![0.0, 0.0]);
    }

    #[test]
    fn attendance_folds_to_the_rate_with_leave_excused() {
        // [expected, attended, on_leave]
        let cells = [4.0, 3.0, 0.0, 2.0, 1.0, 1.0];
        let map = [Some(0), Some(0)];
        assert_eq!(fold(Some(&cells), 3, 0, Fold::Attendance, &map, 1, 1.0), vec![0.8]);
        let everyone_away = [2.0, 0.0, 2.0];
        assert_eq!(fold(Some(&everyone_away), 3, 0, Fold::Attendance, &[Some(0)], 1, 1.0), vec![1.0]);
    }
}
