//! Activities as RFC 5545 iCalendar, written with the `icalendar` crate (which escapes and folds).
//!
//! - `UID:activity-<id>@jiaoyan`, stable, so that a subscribed calendar updates an event in place.
//! - Times are school-local (UTC+8) in the database and written in UTC (`...Z`), so no VTIMEZONE
//!   is needed. Without an end time an event lasts one hour; without a start time (only periods,
//!   or nothing) it is an all-day event on its date (`VALUE=DATE`, ending the next day as RFC 5545
//!   wants).
//! - `DTSTAMP` and `LAST-MODIFIED` are the activity's `updated_at`, so that the feed is the same
//!   until something changes.
//! - Scheduled and held activities are `CONFIRMED`; cancelled ones are written `CANCELLED`, so
//!   that a calendar which had them removes or strikes them.

use chrono::{Duration, NaiveDate};
use entities::activity;
use entities::enums::ActivityStatus;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::activities::attendance::rules::local_to_utc;

/// How long an activity lasts when only its start time is known.
pub const DEFAULT_DURATION_MINUTES: i64 = 60;

/// A calendar of `events`, named `name`.
pub fn calendar(name: &str, events: Vec<Event>) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//Jiaoyan//Teaching research activities//ZH"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(name);
    for event in events {
        cal.push(event);
    }
    cal.to_string()
}

/// The event of an activity, or `None` when it has no date yet (it cannot be placed).
pub fn event(a: &activity::Model, lead_speaker: Option<&str>) -> Option<Event> {
    let date = a.date?;
    let mut e = Event::new();
    e.uid(&format!("activity-{}@jiaoyan", a.id));
    e.timestamp(a.updated_at);
    e.last_modified(a.updated_at);
    e.summary(&a.title);
    match a.start_time {
        Some(start_time) => {
            let start = local_to_utc(date, start_time);
            let end = a
                .end_time
                .map(|t| local_to_utc(date, t))
                .filter(|end| *end > start)
                .unwrap_or(start + Duration::minutes(DEFAULT_DURATION_MINUTES));
            e.starts(start).ends(end);
        }
        None => {
            e.starts(date).ends(date.succ_opt().unwrap_or(NaiveDate::MAX));
        }
    }
    if let Some(venue) = a.venue.as_deref() {
        e.location(venue);
    }
    if let Some(url) = a.meeting_url.as_deref() {
        e.url(url);
    }
    e.description(&description(a, lead_speaker));
    e.status(match a.status {
        ActivityStatus::Cancelled => EventStatus::Cancelled,
        _ => EventStatus::Confirmed,
    });
    Some(e.done())
}

/// Type, topic, lead speaker, periods and modality, one per line.
fn description(a: &activity::Model, lead_speaker: Option<&str>) -> String {
    let mut lines = vec![format!("类型 type: {}", a.activity_type.code())];
    if let Some(topic) = a.topic.as_deref() {
        lines.push(format!("主题 topic: {topic}"));
    }
    if let Some(lead) = lead_speaker.or(a.lead_speaker_name.as_deref()) {
        lines.push(format!("主讲 lead speaker: {lead}"));
    }
    match (a.start_period, a.end_period) {
        (Some(s), Some(e)) if s != e => lines.push(format!("节次 periods: {s}–{e}")),
        (Some(s), _) => lines.push(format!("节次 period: {s}")),
        _ => {}
    }
    lines.push(format!("形式 modality: {}", a.modality.code()));
    if let Some(reason) = a.cancel_reason.as_deref().filter(|_| a.status == ActivityStatus::Cancelled) {
        lines.push(format!("取消原因 cancelled: {reason}"));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone, Utc};

    fn activity() -> activity::Model {
        let at = Utc.with_ymd_and_hms(2026, 10, 1, 2, 0, 0).unwrap();
        activity::Model {
            id: 42,
            group_id: Some(2),
            title: "三年级语文集体备课, 第一单元; 识字".into(),
            topic: Some("低年级识字写字教学".into()),
            date: NaiveDate::from_ymd_opt(2026, 10, 8),
            start_time: NaiveTime::from_hms_opt(14, 30, 0),
            start_period: Some(6),
            end_period: Some(6),
            venue: Some("语文教研室".into()),
            lead_speaker_teacher_id: Some(3),
            status: ActivityStatus::Scheduled,
            created_at: at,
            updated_at: at,
            ..crate::activities::sample_activity()
        }
    }

    #[test]
    fn timed_events_are_in_utc_and_last_an_hour_without_an_end() {
        let ics = calendar("甲小学语文教研组", vec![event(&activity(), Some("李组长")).unwrap()]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("UID:activity-42@jiaoyan\r\n"), "{ics}");
        assert!(ics.contains("DTSTART:20261008T063000Z\r\n"), "{ics}");
        assert!(ics.contains("DTEND:20261008T073000Z\r\n"), "{ics}");
        assert!(ics.contains("STATUS:CONFIRMED\r\n"), "{ics}");
        assert!(ics.contains("LAST-MODIFIED:20261001T020000Z\r\n"), "{ics}");
        // Commas and semicolons in text are escaped by the crate.
        assert!(ics.contains(r"SUMMARY:三年级语文集体备课\, 第一单元\; 识字"), "{ics}");
        assert!(ics.contains("LOCATION:语文教研室"), "{ics}");
        assert!(ics.contains("X-WR-CALNAME:甲小学语文教研组"), "{ics}");
    }

    #[test]
    fn periods_only_make_an_all_day_event_and_cancelled_ones_say_so() {
        let mut a = activity();
        a.start_time = None;
        a.status = ActivityStatus::Cancelled;
        let ics = calendar("x", vec![event(&a, None).unwrap()]);
        assert!(ics.contains("DTSTART;VALUE=DATE:20261008\r\n"), "{ics}");
        assert!(ics.contains("DTEND;VALUE=DATE:20261009\r\n"), "{ics}");
        assert!(ics.contains("STATUS:CANCELLED\r\n"), "{ics}");
    }

    #[test]
    fn an_end_time_is_used_and_undated_activities_are_left_out() {
        let mut a = activity();
        a.end_time = NaiveTime::from_hms_opt(16, 0, 0);
        let ics = calendar("x", vec![event(&a, None).unwrap()]);
        assert!(ics.contains("DTEND:20261008T080000Z\r\n"), "{ics}");
        a.date = None;
        assert!(event(&a, None).is_none());
    }
}
