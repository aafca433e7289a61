//! The rules of planning and running an activity, as plain functions: the "四定", the status life
//! cycle, what may be written in which status, timing, and whether a summary is late.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use entities::activity;
use entities::enums::{ActivityStatus, Modality};

use super::views::ActivityPatch;
use crate::validate::Checks;

/// Periods of a school day (节次), as for weekly slots.
pub const MAX_PERIOD: i32 = 12;

/// Times are written as for weekly slots.
pub use crate::groups::slots::rules::{format_time, parse_time};

/// Records the problems of an activity's timing: periods 1–12 in order, times in order, an end
/// only with its start. A start alone is fine (the end is often open).
pub fn check_timing(checks: &mut Checks, a: &activity::Model) {
    for (field, period) in [("start_period", a.start_period), ("end_period", a.end_period)] {
        if let Some(p) = period {
            checks.ensure((1..=MAX_PERIOD).contains(&p), field, format!("must be 1 to {MAX_PERIOD}"));
        }
    }
    match (a.start_period, a.end_period) {
        (Some(s), Some(e)) => checks.ensure(s <= e, "end_period", "must not be before start_period"),
        (None, Some(_)) => checks.fail("start_period", "required with end_period"),
        _ => {}
    }
    match (a.start_time, a.end_time) {
        (Some(s), Some(e)) => checks.ensure(s < e, "end_time", "must be after start_time"),
        (None, Some(_)) => checks.fail("start_time", "required with end_time"),
        _ => {}
    }
}

/// Sets `field` to the patched `value` (absent keeps, `null` or an empty text clears, a text is
/// trimmed and bounded to `max` characters).
fn patch_text(checks: &mut Checks, field: &mut Option<String>, name: &str, value: &Option<Option<String>>, max: usize) {
    if let Some(v) = value {
        *field = checks.optional_text(name, v.as_deref(), max);
    }
}

/// Sets `field` to the patched `value` (absent keeps; for a nullable field `null` clears).
fn patch<T: Clone>(field: &mut T, value: &Option<T>) {
    if let Some(v) = value {
        *field = v.clone();
    }
}

/// Applies a PATCH to the stored activity `a`: an absent field keeps the stored value, `null`
/// clears it, a value replaces it (texts trimmed and bounded, times parsed; problems go to
/// `checks`). Leaving the pairing also leaves its host school, unless the patch names one. A
/// `cancel_reason` is only taken with `status: cancelled` (the status change sets it); the
/// status itself and the lessons are the caller's.
pub fn merge_patch(checks: &mut Checks, a: &mut activity::Model, p: &ActivityPatch) {
    if let Some(title) = &p.title {
        a.title = checks.text("title", title, 200);
    }
    patch(&mut a.activity_type, &p.activity_type);
    patch(&mut a.semester_id, &p.semester_id);
    patch_text(checks, &mut a.topic, "topic", &p.topic, 500);
    patch(&mut a.date, &p.date);
    if let Some(t) = &p.start_time {
        a.start_time = t.as_deref().and_then(|t| parse_time(checks, "start_time", t));
    }
    if let Some(t) = &p.end_time {
        a.end_time = t.as_deref().and_then(|t| parse_time(checks, "end_time", t));
    }
    patch(&mut a.start_period, &p.start_period);
    patch(&mut a.end_period, &p.end_period);
    patch_text(checks, &mut a.venue, "venue", &p.venue, 200);
    patch_text(checks, &mut a.meeting_url, "meeting_url", &p.meeting_url, 500);
    patch(&mut a.modality, &p.modality);
    patch(&mut a.lead_speaker_teacher_id, &p.lead_speaker_teacher_id);
    patch_text(checks, &mut a.lead_speaker_name, "lead_speaker_name", &p.lead_speaker_name, 100);
    patch_text(checks, &mut a.description, "description", &p.description, 5000);
    patch_text(checks, &mut a.minutes, "minutes", &p.minutes, 50000);
    patch_text(checks, &mut a.summary, "summary", &p.summary, 50000);
    if let Some(reason) = &p.cancel_reason {
        checks.ensure(p.status == Some(ActivityStatus::Cancelled), "cancel_reason", "only with status cancelled");
        checks.optional_text("cancel_reason", Some(reason), 500);
    }
    patch(&mut a.pairing_id, &p.pairing_id);
    if p.host_school_id.is_some() {
        patch(&mut a.host_school_id, &p.host_school_id);
    } else if p.pairing_id == Some(None) {
        // Leaving the pairing also leaves its host school.
        a.host_school_id = None;
    }
}

/// One missing "定" (seeds 002/004: 定时间、定内容、定地点、定主讲人): the field to fill and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingFixed {
    pub field: &'static str,
    pub message: &'static str,
}

/// The "四定" an activity lacks, one entry per missing 定, in the order time, topic, place, lead
/// speaker. Empty when the activity may be scheduled.
pub fn missing_four_fixed(a: &activity::Model) -> Vec<MissingFixed> {
    let mut missing = Vec::new();
    if a.date.is_none() {
        missing.push(MissingFixed { field: "date", message: "定时间: the date is missing" });
    } else if a.start_time.is_none() && a.start_period.is_none() {
        missing.push(MissingFixed { field: "start_time", message: "定时间: give start_time or start_period" });
    }
    if a.topic.is_none() {
        missing.push(MissingFixed { field: "topic", message: "定内容: the topic is missing" });
    }
    let has_place = a.venue.is_some() || (a.modality == Modality::Online && a.meeting_url.is_some());
    if !has_place {
        let message = match a.modality {
            Modality::Online => "定地点: give the venue or the meeting_url",
            Modality::OnSite => "定地点: the venue is missing",
        };
        missing.push(MissingFixed { field: "venue", message });
    }
    if a.lead_speaker_teacher_id.is_none() && a.lead_speaker_name.is_none() {
        missing.push(MissingFixed {
            field: "lead_speaker_teacher_id",
            message: "定主讲人: give lead_speaker_teacher_id or lead_speaker_name",
        });
    }
    missing
}

/// Statuses in which the "四定" must stay complete.
pub fn needs_four_fixed(status: ActivityStatus) -> bool {
    matches!(status, ActivityStatus::Scheduled | ActivityStatus::Held)
}

/// Cancelled and archived activities are read-only.
pub fn is_read_only(status: ActivityStatus) -> bool {
    matches!(status, ActivityStatus::Cancelled | ActivityStatus::Archived)
}

/// Whether the life cycle allows `from` → `to`: draft → scheduled → held → archived, draft or
/// scheduled → cancelled, and back from scheduled to draft. Staying put is not a transition.
pub fn transition_allowed(from: ActivityStatus, to: ActivityStatus) -> bool {
    use ActivityStatus::*;
    matches!(
        (from, to),
        (Draft, Scheduled)
            | (Scheduled, Held)
            | (Held, Archived)
            | (Draft, Cancelled)
            | (Scheduled, Cancelled)
            | (Scheduled, Draft)
    )
}

/// The statuses an activity is created in: a draft, a scheduled session, or a session that
/// already took place (held), recorded afterwards in one call. Cancelled and archived come only
/// from the life cycle: what is cancelled or filed was planned or held first.
pub fn creatable(status: ActivityStatus) -> bool {
    matches!(status, ActivityStatus::Draft | ActivityStatus::Scheduled | ActivityStatus::Held)
}

/// Whether holding an activity on `date` would come before its day (`today`, UTC+8). Without a
/// date the "四定" refuse it anyway.
pub fn held_before_its_day(date: Option<NaiveDate>, today: NaiveDate) -> bool {
    date.is_some_and(|d| d > today)
}

/// Minutes (纪要) are taken at the session: writable once it is scheduled, and while held.
pub fn minutes_writable(status: ActivityStatus) -> bool {
    matches!(status, ActivityStatus::Scheduled | ActivityStatus::Held)
}

/// The summary (简报) reports a session that took place: writable while held.
pub fn summary_writable(status: ActivityStatus) -> bool {
    status == ActivityStatus::Held
}

/// The schools' day (UTC+8) of a UTC timestamp.
pub fn school_day(at: DateTime<Utc>) -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    at.with_timezone(&china).date_naive()
}

/// Whether the summary is late: submitted after its due day (in UTC+8), or not submitted and the
/// due day has passed. Cancelled activities owe no summary; without a due day nothing is late.
pub fn summary_late(
    status: ActivityStatus,
    due: Option<NaiveDate>,
    submitted_at: Option<DateTime<Utc>>,
    today: NaiveDate,
) -> bool {
    let Some(due) = due else { return false };
    if status == ActivityStatus::Cancelled {
        return false;
    }
    match submitted_at {
        Some(at) => school_day(at) > due,
        None => today > due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn draft() -> activity::Model {
        crate::activities::sample_activity()
    }

    fn fields(missing: Vec<MissingFixed>) -> Vec<&'static str> {
        missing.into_iter().map(|m| m.field).collect()
    }

    #[test]
    fn an_empty_draft_misses_all_four() {
        assert_eq!(fields(missing_four_fixed(&draft())), ["date", "topic", "venue", "lead_speaker_teacher_id"]);
    }

    #[test]
    fn time_needs_a_start_besides_the_date() {
        let mut a = draft();
        a.date = Some(day(10, 8));
        assert_eq!(fields(missing_four_fixed(&a))[0], "start_time");
        a.start_period = Some(6);
        assert!(!fields(missing_four_fixed(&a)).contains(&"start_time"));
    }

    #[test]
    fn a_complete_activity_misses_nothing_and_online_sessions_may_give_a_link() {
        let mut a = draft();
        a.date = Some(day(10, 8));
        a.start_time = NaiveTime::from_hms_opt(14, 30, 0);
        a.topic = Some("识字教学".into());
        a.lead_speaker_name = Some("县教研员".into());
        a.meeting_url = Some("https://meeting.example/1".into());
        assert_eq!(fields(missing_four_fixed(&a)), ["venue"]);
        a.modality = Modality::Online;
        assert!(missing_four_fixed(&a).is_empty());
    }

    #[test]
    fn the_life_cycle() {
        use ActivityStatus::*;
        for (from, to) in
            [(Draft, Scheduled), (Scheduled, Held), (Held, Archived), (Draft, Cancelled), (Scheduled, Draft)]
        {
            assert!(transition_allowed(from, to), "{from:?} → {to:?}");
        }
        for (from, to) in [(Draft, Held), (Held, Cancelled), (Held, Scheduled), (Cancelled, Draft), (Archived, Held)] {
            assert!(!transition_allowed(from, to), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn new_activities_are_drafts_scheduled_or_held_and_held_not_before_their_day() {
        use ActivityStatus::*;
        assert!([Draft, Scheduled, Held].into_iter().all(creatable));
        assert!(!creatable(Cancelled) && !creatable(Archived));
        assert!(held_before_its_day(Some(day(10, 9)), day(10, 8)));
        assert!(!held_before_its_day(Some(day(10, 8)), day(10, 8)));
        assert!(!held_before_its_day(Some(day(10, 7)), day(10, 8)));
        assert!(!held_before_its_day(None, day(10, 8)));
    }

    #[test]
    fn timing_is_ordered_and_bounded() {
        let mut a = draft();
        a.start_period = Some(7);
        a.end_period = Some(6);
        a.start_time = NaiveTime::from_hms_opt(15, 0, 0);
        a.end_time = NaiveTime::from_hms_opt(14, 0, 0);
        let mut checks = Checks::new();
        check_timing(&mut checks, &a);
        let problem = checks.finish().unwrap_err().problem();
        let names: Vec<_> = problem.errors.unwrap().into_iter().map(|e| e.field).collect();
        assert_eq!(names, ["end_period", "end_time"]);
        a.start_period = Some(13);
        a.end_period = None;
        a.end_time = None;
        let mut checks = Checks::new();
        check_timing(&mut checks, &a);
        assert!(!checks.is_empty());
    }

    #[test]
    fn summaries_are_late_after_the_due_day_in_china() {
        let due = Some(day(10, 13));
        let held = ActivityStatus::Held;
        // 10-13 23:30 in UTC+8 is 15:30 UTC: on time.
        let on_time = Utc.with_ymd_and_hms(2026, 10, 13, 15, 30, 0).unwrap();
        assert!(!summary_late(held, due, Some(on_time), day(10, 20)));
        // 10-14 00:30 in UTC+8 is still 10-13 in UTC: late.
        let late = Utc.with_ymd_and_hms(2026, 10, 13, 16, 30, 0).unwrap();
        assert!(summary_late(held, due, Some(late), day(10, 20)));
        assert!(!summary_late(held, due, None, day(10, 13)));
        assert!(summary_late(held, due, None, day(10, 14)));
        assert!(!summary_late(ActivityStatus::Cancelled, due, None, day(10, 14)));
        assert!(!summary_late(held, None, None, day(10, 14)));
    }

    fn patch(body: serde_json::Value) -> ActivityPatch {
        serde_json::from_value(body).unwrap()
    }

    fn stored() -> activity::Model {
        activity::Model {
            topic: Some("识字教学".into()),
            date: Some(day(10, 14)),
            venue: Some("语文教研室".into()),
            lead_speaker_teacher_id: Some(3),
            pairing_id: Some(5),
            host_school_id: Some(2),
            ..draft()
        }
    }

    #[test]
    fn a_patch_keeps_what_is_absent_clears_what_is_null_and_replaces_the_rest() {
        let mut a = stored();
        let mut checks = Checks::new();
        merge_patch(
            &mut checks,
            &mut a,
            &patch(serde_json::json!({"venue": null, "title": "  二年级识字  ",
            "start_time": "14:30", "lead_speaker_teacher_id": 7})),
        );
        assert!(checks.is_empty());
        assert_eq!((a.title.as_str(), a.venue.as_deref(), a.lead_speaker_teacher_id), ("二年级识字", None, Some(7)));
        assert_eq!(a.start_time.map(|t| t.to_string()).as_deref(), Some("14:30:00"));
        assert_eq!((a.topic.as_deref(), a.date, a.pairing_id), (Some("识字教学"), Some(day(10, 14)), Some(5)));
        assert_eq!(a.host_school_id, Some(2));
    }

    #[test]
    fn leaving_the_pairing_leaves_its_host_unless_one_is_named() {
        let mut a = stored();
        merge_patch(&mut Checks::new(), &mut a, &patch(serde_json::json!({"pairing_id": null})));
        assert_eq!((a.pairing_id, a.host_school_id), (None, None));
        let mut a = stored();
        merge_patch(&mut Checks::new(), &mut a, &patch(serde_json::json!({"pairing_id": null, "host_school_id": 4})));
        assert_eq!((a.pairing_id, a.host_school_id), (None, Some(4)));
    }

    #[test]
    fn bad_values_and_a_cancel_reason_without_cancelling_are_named() {
        let mut a = stored();
        let mut checks = Checks::new();
        merge_patch(
            &mut checks,
            &mut a,
            &patch(serde_json::json!({"title": " ", "start_time": "25:00",
            "cancel_reason": "下雨"})),
        );
        let problem = checks.finish().unwrap_err().problem();
        let fields: Vec<String> = problem.errors.unwrap().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "start_time", "cancel_reason"]);
        let mut checks = Checks::new();
        merge_patch(
            &mut checks,
            &mut stored(),
            &patch(serde_json::json!({"status": "cancelled", "cancel_reason": "下雨"})),
        );
        assert!(checks.is_empty());
    }
}
