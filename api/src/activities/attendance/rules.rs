//! The rules of attendance, without HTTP or database: the attendance rate, which statuses an
//! activity accepts in which state, what an attendance entry must be, and the sign-in window.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use entities::enums::{ActivityStatus, AttendanceStatus};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::AttendanceEntry;
use crate::activities::policy::EffectivePolicy;
use crate::domain::DomainError;
use crate::validate::Checks;

/// Attendance counted per status. Rates count the expected participants only; walk-ins are
/// reported on their own (they were not asked to come, so they neither help nor hurt a rate).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"expected": 6, "pending": 0, "present": 4, "late": 1, "on_leave": 1, "absent": 0,
    "walk_ins": 1, "attended": 5, "excused": 1, "rate": 1.0}))]
pub struct AttendanceCounts {
    /// Expected participants (invited by the organiser or by hand).
    pub expected: i64,
    /// Expected participants not yet recorded (未签到). They count as absent in the rate.
    pub pending: i64,
    pub present: i64,
    pub late: i64,
    pub on_leave: i64,
    pub absent: i64,
    /// Teachers who came without being expected (present or late, `expected = false`).
    pub walk_ins: i64,
    /// `present + late` of the expected participants.
    pub attended: i64,
    /// `on_leave`: excused, so left out of the rate's denominator.
    pub excused: i64,
    /// `attended / (expected − on_leave)`, rounded to 4 decimals; `null` when nobody was due.
    pub rate: Option<f64>,
}

impl AttendanceCounts {
    /// Adds `n` participants of `status`, expected or walking in.
    pub fn add(&mut self, status: AttendanceStatus, expected: bool, n: i64) {
        if !expected {
            if matches!(status, AttendanceStatus::Present | AttendanceStatus::Late) {
                self.walk_ins += n;
            }
            return;
        }
        self.expected += n;
        match status {
            AttendanceStatus::Pending => self.pending += n,
            AttendanceStatus::Present => self.present += n,
            AttendanceStatus::Late => self.late += n,
            AttendanceStatus::OnLeave => self.on_leave += n,
            AttendanceStatus::Absent => self.absent += n,
        }
        self.finish();
    }

    /// Folds `(key, status, expected, n)` rows (a `GROUP BY key, status, expected`) into counts
    /// per key.
    pub fn per_key(rows: Vec<(i64, AttendanceStatus, bool, i64)>) -> BTreeMap<i64, AttendanceCounts> {
        let mut counts: BTreeMap<i64, AttendanceCounts> = BTreeMap::new();
        for (key, status, expected, n) in rows {
            counts.entry(key).or_default().add(status, expected, n);
        }
        counts
    }

    /// Adds another set of counts (an activity to a semester, a member to a group).
    pub fn merge(&mut self, other: &AttendanceCounts) {
        self.expected += other.expected;
        self.pending += other.pending;
        self.present += other.present;
        self.late += other.late;
        self.on_leave += other.on_leave;
        self.absent += other.absent;
        self.walk_ins += other.walk_ins;
        self.finish();
    }

    fn finish(&mut self) {
        self.attended = self.present + self.late;
        self.excused = self.on_leave;
        self.rate = attendance_rate(self.present, self.late, self.on_leave, self.expected);
    }
}

/// The attendance rate (参与教研活动率, seed 002's 98% rule), defined once for every report:
/// attended (`present + late`) over the expected participants who were not excused (`expected −
/// on_leave`). Pending and absent participants stay in the denominator, so a row nobody recorded
/// counts against the rate. `None` when the denominator is 0 (everyone excused, or nobody expected).
pub fn attendance_rate(present: i64, late: i64, on_leave: i64, expected: i64) -> Option<f64> {
    jiaoyan_quota::fold::attendance_rate(present + late, on_leave, expected)
}

/// Whether the organiser may record `status` while the activity is in `state`. Leave and resets
/// to pending may be planned on a draft; present, late and absent need a scheduled or held
/// activity; cancelled and archived activities are read-only.
pub fn status_allowed(state: ActivityStatus, status: AttendanceStatus) -> Result<(), String> {
    match state {
        ActivityStatus::Cancelled | ActivityStatus::Archived => {
            Err(format!("the activity is {}: its attendance can no longer change", state.code()))
        }
        ActivityStatus::Scheduled | ActivityStatus::Held => Ok(()),
        ActivityStatus::Draft => match status {
            AttendanceStatus::Pending | AttendanceStatus::OnLeave => Ok(()),
            other => Err(format!("{} can be recorded only once the activity is scheduled", other.code())),
        },
    }
}

/// The most entries one request records.
pub const MAX_ENTRIES: usize = 500;

/// A 422 on `field` when a request records more than [`MAX_ENTRIES`] at once; checked before any
/// teacher is looked up.
pub fn check_entry_count(field: &str, entries: usize) -> Result<(), DomainError> {
    if entries > MAX_ENTRIES {
        return Err(DomainError::invalid(field, format!("at most {MAX_ENTRIES} entries at once")));
    }
    Ok(())
}

/// One teacher's attendance after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanEntry {
    pub teacher_id: i64,
    pub status: AttendanceStatus,
    /// Trimmed; only with `on_leave`.
    pub leave_reason: Option<String>,
    /// `None` keeps a listed teacher's flag and makes a new one expected.
    pub expected: Option<bool>,
}

/// Validates attendance entries, naming each bad field by its path under `field`
/// (`entries[2].teacher_id`, `attendance[2].leave_reason`): each teacher once, and one the caller
/// sees (`visible`: teacher id → archived) who is live or already `listed` (an archived teacher
/// keeps their rows but is not added anew); a reason (1–500 characters) with `on_leave` and with
/// no other status.
pub fn clean_entries(
    checks: &mut Checks,
    field: &str,
    entries: &[AttendanceEntry],
    listed: &[i64],
    visible: &HashMap<i64, bool>,
) -> Vec<CleanEntry> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let teacher_field = format!("{field}[{i}].teacher_id");
            match visible.get(&entry.teacher_id) {
                Some(archived) if !archived || listed.contains(&entry.teacher_id) => {}
                _ => checks.fail(&teacher_field, "no such teacher"),
            }
            if !seen.insert(entry.teacher_id) {
                checks.fail(&teacher_field, "listed more than once");
            }
            let reason_field = format!("{field}[{i}].leave_reason");
            let given = entry.leave_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            let leave_reason = match (entry.status, given) {
                (AttendanceStatus::OnLeave, Some(reason)) => Some(checks.text(&reason_field, reason, 500)),
                (AttendanceStatus::OnLeave, None) => {
                    checks.fail(&reason_field, "a reason is required for on_leave");
                    None
                }
                (_, _) => {
                    checks.ensure(entry.leave_reason.is_none(), &reason_field, "only with the on_leave status");
                    None
                }
            };
            CleanEntry { teacher_id: entry.teacher_id, status: entry.status, leave_reason, expected: entry.expected }
        })
        .collect()
}

/// China Standard Time, the schools' clock (see [`crate::clock`]).
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A school-local date and time as a UTC instant.
pub fn local_to_utc(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local: NaiveDateTime = date.and_time(time);
    china().from_local_datetime(&local).single().expect("a fixed offset is never ambiguous").with_timezone(&Utc)
}

/// When teachers may sign in, and from when they are late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInWindow {
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
    /// `None` when the activity has no start time: nobody is late.
    pub late_from: Option<DateTime<Utc>>,
}

impl SignInWindow {
    /// The window of an activity on `date` starting at `start` (school-local), under `policy`.
    /// Without a start time (only periods, or nothing) the window is the whole school-local day
    /// and nobody counts as late, since the minute the session began is not known.
    pub fn of(date: NaiveDate, start: Option<NaiveTime>, policy: &EffectivePolicy) -> SignInWindow {
        match start {
            Some(time) => {
                let start = local_to_utc(date, time);
                SignInWindow {
                    opens: start - Duration::minutes(policy.sign_in_opens_minutes_before.into()),
                    closes: start + Duration::minutes(policy.sign_in_closes_minutes_after.into()),
                    late_from: Some(start + Duration::minutes(policy.late_after_minutes.into())),
                }
            }
            None => SignInWindow {
                opens: local_to_utc(date, NaiveTime::MIN),
                closes: local_to_utc(date.succ_opt().unwrap_or(date), NaiveTime::MIN),
                late_from: None,
            },
        }
    }

    /// Present or late for a sign-in `at`, or the reason it is refused.
    pub fn status_at(&self, at: DateTime<Utc>) -> Result<AttendanceStatus, String> {
        if at < self.opens || at > self.closes {
            return Err(format!("sign-in is open from {} to {} (UTC+8)", local(self.opens), local(self.closes)));
        }
        Ok(match self.late_from {
            Some(late) if at > late => AttendanceStatus::Late,
            _ => AttendanceStatus::Present,
        })
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m-%d %H:%M").to_string()
}

/// The last moment a teacher may ask for leave themselves: the start of the activity, or the
/// start of its day when no start time is known. Later, the organiser records the leave.
pub fn leave_cut_off(date: NaiveDate, start: Option<NaiveTime>) -> DateTime<Utc> {
    local_to_utc(date, start.unwrap_or(NaiveTime::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, 8).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(h: u32, m: u32) -> DateTime<Utc> {
        Utc.from_utc_datetime(&day().and_time(hm(h, m)))
    }

    #[test]
    fn the_rate_is_attended_over_the_expected_who_were_not_excused() {
        assert_eq!(attendance_rate(4, 1, 1, 6), Some(1.0));
        assert_eq!(attendance_rate(1, 1, 0, 3), Some(0.6667));
        assert_eq!(attendance_rate(0, 0, 2, 2), None);
        assert_eq!(attendance_rate(0, 0, 0, 0), None);
    }

    #[test]
    fn counts_keep_walk_ins_out_of_the_rate_and_pending_in_it() {
        let mut c = AttendanceCounts::default();
        c.add(AttendanceStatus::Present, true, 2);
        c.add(AttendanceStatus::Late, true, 1);
        c.add(AttendanceStatus::OnLeave, true, 1);
        c.add(AttendanceStatus::Pending, true, 1);
        c.add(AttendanceStatus::Absent, true, 1);
        c.add(AttendanceStatus::Present, false, 3);
        c.add(AttendanceStatus::Pending, false, 1);
        assert_eq!((c.expected, c.attended, c.excused, c.walk_ins), (6, 3, 1, 3));
        assert_eq!(c.rate, Some(0.6));
        let mut total = AttendanceCounts::default();
        total.merge(&c);
        total.merge(&c);
        assert_eq!((total.expected, total.rate), (12, Some(0.6)));
    }

    #[test]
    fn attendance_folds_per_key() {
        let counts = AttendanceCounts::per_key(vec![
            (1, AttendanceStatus::Present, true, 3),
            (1, AttendanceStatus::Absent, true, 1),
            (2, AttendanceStatus::OnLeave, true, 1),
        ]);
        assert_eq!(counts[&1].rate, Some(0.75));
        assert_eq!(counts[&2].rate, None);
    }

    #[test]
    fn drafts_take_only_leave_and_closed_activities_nothing() {
        assert!(status_allowed(ActivityStatus::Draft, AttendanceStatus::OnLeave).is_ok());
        assert!(status_allowed(ActivityStatus::Draft, AttendanceStatus::Present).is_err());
        assert!(status_allowed(ActivityStatus::Held, AttendanceStatus::Absent).is_ok());
        assert!(status_allowed(ActivityStatus::Cancelled, AttendanceStatus::OnLeave).is_err());
        assert!(status_allowed(ActivityStatus::Archived, AttendanceStatus::Present).is_err());
    }

    fn entry(teacher_id: i64, status: AttendanceStatus, leave_reason: Option<&str>) -> AttendanceEntry {
        AttendanceEntry { teacher_id, status, leave_reason: leave_reason.map(str::to_string), expected: None }
    }

    fn fields(checks: Checks) -> Vec<String> {
        match checks.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.problem().errors.unwrap_or_default().into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn entries_name_their_path_under_the_given_field() {
        use AttendanceStatus::*;
        // 1 and 2 live, 3 archived but listed, 4 archived and not listed; 9 not seen at all.
        let visible = HashMap::from([(1, false), (2, false), (3, true), (4, true)]);
        let entries = [
            entry(1, Present, None),
            entry(2, OnLeave, Some("  外出培训 ")),
            entry(3, Late, None),
            entry(4, Absent, None),
            entry(9, Present, None),
            entry(1, OnLeave, None),
            entry(2, Present, Some("x")),
        ];
        let mut checks = Checks::new();
        let clean = clean_entries(&mut checks, "attendance", &entries, &[3], &visible);
        assert_eq!(clean[1].leave_reason.as_deref(), Some("外出培训"));
        assert_eq!(clean[6].leave_reason, None);
        assert_eq!(
            fields(checks),
            [
                "attendance[3].teacher_id",
                "attendance[4].teacher_id",
                "attendance[5].teacher_id",
                "attendance[5].leave_reason",
                "attendance[6].teacher_id",
                "attendance[6].leave_reason"
            ]
        );
        let mut checks = Checks::new();
        clean_entries(&mut checks, "entries", &entries[..3], &[3], &visible);
        assert!(checks.is_empty());
    }

    #[test]
    fn at_most_five_hundred_entries_at_once() {
        assert!(check_entry_count("entries", MAX_ENTRIES).is_ok());
        match check_entry_count("attendance", MAX_ENTRIES + 1) {
            Err(DomainError::Invalid(errors)) => assert_eq!(errors[0].field, "attendance"),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn the_window_is_around_the_school_local_start() {
        // 14:30 in UTC+8 is 06:30 UTC; defaults: opens 30 min before, closes 60 after, late after 5.
        let w = SignInWindow::of(day(), Some(hm(14, 30)), &EffectivePolicy::default());
        assert_eq!(w.opens, utc(6, 0));
        assert_eq!(w.closes, utc(7, 30));
        assert_eq!(w.status_at(utc(6, 0)), Ok(AttendanceStatus::Present));
        assert_eq!(w.status_at(utc(6, 35)), Ok(AttendanceStatus::Present));
        assert_eq!(w.status_at(utc(6, 36)), Ok(AttendanceStatus::Late));
        let refused = w.status_at(utc(7, 31)).unwrap_err();
        assert_eq!(refused, "sign-in is open from 2026-10-08 14:00 to 2026-10-08 15:30 (UTC+8)");
        assert!(w.status_at(utc(5, 59)).is_err());
    }

    #[test]
    fn without_a_start_time_the_window_is_the_school_day_and_nobody_is_late() {
        let w = SignInWindow::of(day(), None, &EffectivePolicy::default());
        // 2026-10-08 00:00 UTC+8 is 10-07 16:00 UTC.
        assert_eq!(w.opens, Utc.from_utc_datetime(&day().pred_opt().unwrap().and_time(hm(16, 0))));
        assert_eq!(w.closes, utc(16, 0));
        assert_eq!(w.status_at(utc(9, 0)), Ok(AttendanceStatus::Present));
    }

    #[test]
    fn leave_is_asked_before_the_start() {
        assert_eq!(leave_cut_off(day(), Some(hm(14, 30))), utc(6, 30));
        assert_eq!(leave_cut_off(day(), None), Utc.from_utc_datetime(&day().pred_opt().unwrap().and_time(hm(16, 0))));
    }
}
