//! Calendar feeds: a per-user feed token (issued once, rotated, revoked) opens RFC 5545 feeds of
//! a teacher's and a group's activities that an iCalendar parser reads back, with exactly the
//! expected events; other schools' feeds stay 404 and bad tokens 401.

use std::collections::BTreeSet;

use chrono::{NaiveTime, Utc};
use entities::enums::{ActivityStatus, LessonKind};
use entities::{activity_lesson, user};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime};
use jiaoyan_tests::fixtures::{date, World};
use jiaoyan_tests::{on_both_backends, Resp, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::attendance::{expect_group_members, new_activity, Plan};

async fn issue_token(app: &TestApp, bearer: &str) -> Resp {
    app.call("POST", "/api/v1/me/calendar-token", Some(bearer), None).await.expect(200)
}

/// A feed read with the feed token only (as a calendar app does).
async fn feed(app: &TestApp, path: &str, token: &str) -> Resp {
    app.call("GET", &format!("{path}?token={token}"), None, None).await
}

/// The events of a feed as (UID, SUMMARY, DTSTART), parsed by an iCalendar parser.
fn events(resp: &Resp) -> BTreeSet<(String, String, String)> {
    assert_eq!(resp.content_type(), "text/calendar; charset=utf-8");
    let text = resp.body.as_str().expect("an iCalendar text body");
    let calendar: icalendar::Calendar = text.parse().expect("the feed parses as iCalendar");
    calendar
        .events()
        .map(|e| {
            let start = match e.get_start().expect("DTSTART") {
                DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)) => at.format("%Y%m%dT%H%M%SZ").to_string(),
                DatePerhapsTime::Date(day) => day.format("%Y%m%d").to_string(),
                other => panic!("DTSTART neither UTC nor a date: {other:?}"),
            };
            (e.get_uid().unwrap().to_string(), e.get_summary().unwrap().to_string(), start)
        })
        .collect()
}

fn event(id: i64, summary: &str, start: &str) -> (String, String, String) {
    (format!("activity-{id}@jiaoyan"), summary.to_string(), start.to_string())
}

async fn feed_tokens_are_issued_rotated_and_revoked(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let issued = issue_token(&app, &t.teacher_a).await;
    let token = issued.body["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()), "URL-safe");
    let feeds = issued.body["feeds"].as_array().unwrap();
    assert_eq!(feeds[0]["kind"], "teacher");
    assert_eq!(feeds[0]["id"], w.teacher_a);
    let teacher_url = feeds[0]["url"].as_str().unwrap();
    assert!(teacher_url.ends_with(&format!("/api/v1/calendar/teachers/{}.ics?token={token}", w.teacher_a)));
    assert!(feeds.iter().any(|f| f["kind"] == "group" && f["id"] == w.group_a), "{feeds:?}");
    // The URL handed out works as it is, without any other credentials.
    let direct = app.client.get(teacher_url).send().await.unwrap();
    assert_eq!(direct.status().as_u16(), 200);

    let teacher_feed = format!("/api/v1/calendar/teachers/{}.ics", w.teacher_a);
    feed(&app, &teacher_feed, &token).await.expect(200);
    // Rotating invalidates the old token.
    let rotated = issue_token(&app, &t.teacher_a).await.body["token"].as_str().unwrap().to_string();
    assert_ne!(rotated, token);
    let old = feed(&app, &teacher_feed, &token).await.expect(401);
    assert_eq!(old.content_type(), "application/problem+json");
    feed(&app, &teacher_feed, &rotated).await.expect(200);
    // Revoking: 204, idempotent, and the token stops working.
    app.delete(&t.teacher_a, "/api/v1/me/calendar-token").await.expect(204);
    app.delete(&t.teacher_a, "/api/v1/me/calendar-token").await.expect(204);
    feed(&app, &teacher_feed, &rotated).await.expect(401);

    // Bad and missing credentials; a bearer token works instead of a feed token.
    feed(&app, &teacher_feed, "not-a-token").await.expect(401);
    app.call("GET", &teacher_feed, None, None).await.expect(401);
    app.get(&t.teacher_a, &teacher_feed).await.expect(200);
    // Ids that are not numbers, and paths without `.ics`, name nothing.
    let fresh = issue_token(&app, &t.teacher_a).await.body["token"].as_str().unwrap().to_string();
    feed(&app, "/api/v1/calendar/teachers/abc.ics", &fresh).await.expect(404);
    feed(&app, &format!("/api/v1/calendar/teachers/{}", w.teacher_a), &fresh).await.expect(404);

    // The token's account is reloaded: a disabled account's token is refused.
    let account = user::Entity::find().filter(user::Column::Username.eq("teacher_a")).one(&app.db).await.unwrap();
    let mut account = account.unwrap().into_active_model();
    account.disabled = Set(true);
    account.update(&app.db).await.unwrap();
    feed(&app, &teacher_feed, &fresh).await.expect(401);
}

async fn feeds_hold_exactly_the_teachers_and_groups_activities(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let group = |title, day| Plan::of_group(&w, w.group_a, title, date(2026, 12, day));
    let scheduled = new_activity(&app, &w, group("十二月集体备课", 3)).await;
    let held = new_activity(
        &app,
        &w,
        Plan::of_group(&w, w.group_a, "十一月集体备课", date(2026, 11, 19)).status(ActivityStatus::Held),
    )
    .await;
    let draft = new_activity(&app, &w, group("草稿", 10).status(ActivityStatus::Draft)).await;
    let cancelled = new_activity(&app, &w, group("取消的活动", 17).status(ActivityStatus::Cancelled)).await;
    let mut periods_only = group("只有节次", 24);
    periods_only.start_time = None;
    let all_day = new_activity(&app, &w, periods_only).await;
    for a in [&scheduled, &held, &draft, &cancelled, &all_day] {
        expect_group_members(&app, a).await;
    }
    // School-level activities where teacher_a speaks or teaches, without being listed.
    let school = |title, day, hour| Plan {
        title,
        group_id: None,
        school_id: Some(w.school_a),
        status: ActivityStatus::Scheduled,
        date: Some(date(2026, 12, day)),
        start_time: NaiveTime::from_hms_opt(hour, 0, 0),
    };
    let speaks = new_activity(&app, &w, school("专题讲座", 8, 9)).await;
    let mut speaker = speaks.clone().into_active_model();
    speaker.lead_speaker_teacher_id = Set(Some(w.teacher_a));
    speaker.update(&app.db).await.unwrap();
    let teaches = new_activity(&app, &w, school("公开课", 9, 10)).await;
    let now = Utc::now();
    activity_lesson::ActiveModel {
        id: NotSet,
        activity_id: Set(teaches.id),
        position: Set(1),
        teacher_id: Set(w.teacher_a),
        subject: Set("语文".into()),
        grade: Set(Some(3)),
        class_name: Set(Some("三(2)班".into())),
        lesson_kind: Set(LessonKind::Open),
        title: Set(Some("荷花".into())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
    // Neither teacher_a's nor group_a's; and a soft-deleted one of group_a.
    let other = new_activity(&app, &w, Plan::of_group(&w, w.group_b, "乙校集体备课", date(2026, 12, 3))).await;
    expect_group_members(&app, &other).await;
    let deleted = new_activity(&app, &w, group("已删除", 4)).await;
    let mut gone = deleted.into_active_model();
    gone.archived_at = Set(Some(now));
    gone.update(&app.db).await.unwrap();

    let token = issue_token(&app, &t.teacher_a).await.body["token"].as_str().unwrap().to_string();
    let teacher_feed = feed(&app, &format!("/api/v1/calendar/teachers/{}.ics", w.teacher_a), &token).await;
    // 14:30 in UTC+8 is 06:30 UTC; an activity with periods only is an all-day event.
    let group_events = [
        event(scheduled.id, "十二月集体备课", "20261203T063000Z"),
        event(held.id, "十一月集体备课", "20261119T063000Z"),
        event(cancelled.id, "取消的活动", "20261217T063000Z"),
        event(all_day.id, "只有节次", "20261224"),
    ];
    let mut expected: BTreeSet<_> = group_events.iter().cloned().collect();
    expected.insert(event(speaks.id, "专题讲座", "20261208T010000Z"));
    expected.insert(event(teaches.id, "公开课", "20261209T020000Z"));
    assert_eq!(events(&teacher_feed.expect(200)), expected);

    let group_feed = feed(&app, &format!("/api/v1/calendar/groups/{}.ics", w.group_a), &token).await.expect(200);
    assert_eq!(events(&group_feed), group_events.iter().cloned().collect());
    let text = group_feed.body.as_str().unwrap();
    assert!(text.contains("STATUS:CANCELLED"), "{text}");
    assert!(text.contains("LOCATION:语文教研室"), "{text}");
    assert!(text.lines().all(|l| l.len() <= 76), "lines are folded: {text}");

    // teacher_b's token does not open school A's feeds; their own group's feed works.
    let token_b = issue_token(&app, &t.teacher_b).await.body["token"].as_str().unwrap().to_string();
    feed(&app, &format!("/api/v1/calendar/teachers/{}.ics", w.teacher_a), &token_b).await.expect(404);
    feed(&app, &format!("/api/v1/calendar/groups/{}.ics", w.group_a), &token_b).await.expect(404);
    let own = feed(&app, &format!("/api/v1/calendar/groups/{}.ics", w.group_b), &token_b).await.expect(200);
    assert_eq!(events(&own), [event(other.id, "乙校集体备课", "20261203T063000Z")].into_iter().collect());
}

on_both_backends!(feed_tokens_are_issued_rotated_and_revoked, feeds_hold_exactly_the_teachers_and_groups_activities);
