//! A month of one school, over HTTP on both databases (the work of docs/DOMAIN.md, "Activities").
//!
//! A group's weekly slot generates the month's sessions; the leader schedules them (refused
//! while a 定 is missing), holds them and records attendance; a teacher signs in to today's
//! session; observations and records are logged; the academic office pairs mentors with mentees
//! (a 骨干 mentor's third mentee is refused); the pair's log shows their observations; and a
//! teacher's calendar feed parses as iCalendar with the month's sessions in it.
//!
//! The service runs on a fixed school date (docs/API-DESIGN.md, "The clock"), so that nothing
//! races midnight in UTC+8: the month is the one ending that day, in a semester made for the
//! test, and "not in the future", "held only on or after the day" and sign-in (open all day) hold
//! whatever the hour the suite runs at.

use std::collections::BTreeSet;

use api::config::Settings;
use chrono::{Datelike, Duration, NaiveDate};
use icalendar::Component;
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp};
use serde_json::Value;

/// The service's "today": a Thursday in the fixtures' autumn semester, after its holidays.
fn on_a_fixed_day(settings: &mut Settings) {
    settings.clock = Some(Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 19).expect("a date")));
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday().into())
}

fn id(resp: &Resp) -> i64 {
    resp.body["id"].as_i64().expect("an id")
}

fn field_set(resp: &Resp) -> BTreeSet<String> {
    resp.error_fields().into_iter().collect()
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.call("PUT", path, Some(token), Some(body)).await
}

async fn a_month_of_a_school(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let today = app.clock.today();

    // The district's semester around today, and the 语文 group's weekly slot on today's weekday.
    let start = monday_of(today - Duration::days(28));
    let semester = id(&app
        .post(
            &t.district_admin,
            "/api/v1/semesters",
            json!({"district_id": w.district, "name": "本月测试学期",
                   "school_year": format!("{}-{}", start.year(), start.year() + 1),
                   "start_date": start, "end_date": today + Duration::days(60)}),
        )
        .await
        .expect(201));
    let slot = id(&app
        .post(
            &t.admin_a,
            &format!("/api/v1/groups/{}/slots", w.group_a),
            json!({"weekday": today.weekday().number_from_monday(), "start_time": "12:00", "end_time": "13:00",
                   "venue": "语文组办公室"}),
        )
        .await
        .expect(201));
    // Sign-in open all day around the session, so the test does not depend on the hour it runs.
    put(
        &app,
        &t.leader_a,
        &format!("/api/v1/activity-policies/group/{}", w.group_a),
        json!({"summary_due_rule": "next_weekday", "summary_due_value": 2, "sign_in_opens_minutes_before": 720,
               "sign_in_closes_minutes_after": 720, "late_after_minutes": 720}),
    )
    .await
    .expect(201);

    // 1. The slot generates the month: one session a week up to today, and re-running adds none.
    let generate = format!("/api/v1/groups/{}/slots/{slot}/generate?semester_id={semester}&until={today}", w.group_a);
    app.post(&t.teacher_a, &generate, json!({})).await.expect(403);
    let generated = app.post(&t.leader_a, &generate, json!({})).await.expect(201);
    assert_eq!(generated.body["created"], 5, "five weeks from the Monday four weeks ago up to today");
    let sessions: Vec<(i64, NaiveDate)> = generated.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["date"].as_str().unwrap().parse().unwrap()))
        .collect();
    assert_eq!(sessions.last().unwrap().1, today);
    assert!(sessions.windows(2).all(|p| p[1].1 - p[0].1 == Duration::days(7)));
    let again = app.post(&t.leader_a, &generate, json!({})).await.expect(200);
    assert_eq!((again.body["created"].as_i64(), again.body["already_existing"].as_i64()), (Some(0), Some(5)));

    // 2. Scheduling is refused while a 定 is missing; the slot fixed the time and the place.
    let (first, first_day) = sessions[0];
    let refused = app.patch(&t.leader_a, &format!("/api/v1/activities/{first}"), json!({"status": "scheduled"})).await;
    assert_eq!(refused.expect(422).error_fields().len(), 2);
    let refused = app.patch(&t.leader_a, &format!("/api/v1/activities/{first}"), json!({"status": "scheduled"})).await;
    assert_eq!(field_set(&refused), BTreeSet::from(["topic".to_string(), "lead_speaker_teacher_id".to_string()]));
    assert!(refused.body["detail"].as_str().unwrap().contains("四定"));

    // 3. Each past session is scheduled, held, and its attendance and summary recorded.
    let statuses = ["present", "late", "on_leave", "absent"];
    for (i, (session, day)) in sessions[..4].iter().enumerate() {
        let path = format!("/api/v1/activities/{session}");
        let scheduled = app
            .patch(
                &t.leader_a,
                &path,
                json!({"status": "scheduled", "topic": format!("第{}单元识字教学", i + 1), "lead_speaker_teacher_id": w.leader_a}),
            )
            .await
            .expect(200);
        assert!(scheduled.body["missing_for_schedule"].as_array().unwrap().is_empty());
        app.patch(&t.leader_a, &path, json!({"status": "held", "minutes": "集体备课，主备人说课，组员研讨。"}))
            .await
            .expect(200);
        let mut teacher_a = json!({"teacher_id": w.teacher_a, "status": statuses[i]});
        if statuses[i] == "on_leave" {
            teacher_a["leave_reason"] = json!("外出培训");
        }
        let attendance = put(
            &app,
            &t.leader_a,
            &format!("{path}/attendance"),
            json!({"entries": [{"teacher_id": w.leader_a, "status": "present"}, teacher_a]}),
        )
        .await
        .expect(200);
        assert_eq!(attendance.body["summary"]["expected"], 2, "the group's two members are expected");
        app.patch(&t.leader_a, &path, json!({"summary": "本次活动围绕识字教学展开研讨。"})).await.expect(200);
        let _ = day;
    }
    let rate = app
        .get(&t.teacher_a, &format!("/api/v1/attendance-rates/teachers/{}?semester_id={semester}", w.teacher_a))
        .await
        .expect(200);
    assert_eq!(rate.body["counts"]["attended"], 2, "present once, late once");
    assert_eq!(rate.body["counts"]["on_leave"], 1);
    let rate_value = rate.body["counts"]["rate"].as_f64().unwrap();
    assert!((rate_value - 2.0 / 3.0).abs() < 1e-3, "leave is excused: 2 of 3, got {rate_value}");

    // 4. Today's session: scheduled, and teacher_a signs in themselves.
    let (today_session, _) = *sessions.last().unwrap();
    app.patch(
        &t.leader_a,
        &format!("/api/v1/activities/{today_session}"),
        json!({"status": "scheduled", "topic": "古诗教学研讨", "lead_speaker_name": "县教研室 陈老师"}),
    )
    .await
    .expect(200);
    app.post(&t.teacher_a, &format!("/api/v1/activities/{today_session}/attendance/sign-in"), json!({}))
        .await
        .expect(200);
    let attendance = app.get(&t.leader_a, &format!("/api/v1/activities/{today_session}/attendance")).await.expect(200);
    let mine = attendance.body["items"].as_array().unwrap().iter().find(|p| p["teacher_id"] == w.teacher_a).unwrap();
    assert_eq!(mine["status"], "present");
    assert!(mine["signed_in_at"].is_string());
    app.get(&t.teacher_b, &format!("/api/v1/activities/{today_session}/attendance")).await.expect(404);

    // 5. Observations both ways between leader_a and teacher_a, on session days.
    let observe = |observer: &str, observed: i64, day: NaiveDate, kind: &str| {
        json!({"observer_teacher_id": null, "observed_teacher_id": observed, "observed_on": day, "subject": "语文",
               "grade": 3, "lesson_kind": kind, "strengths": ["目标明确"], "weaknesses": ["朗读指导不足", "板书略乱"],
               "suggestions": ["多给学生朗读时间", "板书提前设计", "小组合作要有分工"], "critique_given": true,
               "critique": format!("{observer}的评课")})
    };
    let seen_by_leader = app
        .post(&t.teacher_a, "/api/v1/observations", observe("王老师", w.leader_a, sessions[1].1, "ordinary"))
        .await
        .expect(201);
    assert_eq!(seen_by_leader.body["one_two_three"], true);
    let unannounced = app
        .post(&t.leader_a, "/api/v1/observations", observe("李组长", w.teacher_a, first_day, "unannounced"))
        .await
        .expect(201);
    let mut as_leader = observe("王老师", w.teacher_a, first_day, "ordinary");
    as_leader["observer_teacher_id"] = json!(w.leader_a);
    app.post(&t.teacher_a, "/api/v1/observations", as_leader).await.expect(403);
    app.patch(&t.teacher_a, &format!("/api/v1/observations/{}", id(&unannounced)), json!({"notes": "改"}))
        .await
        .expect(403);
    app.get(&t.teacher_b, &format!("/api/v1/observations/{}", id(&unannounced))).await.expect(404);

    // 6. Records: a reflection on a session, and a 500-character paper that counts 500.
    let reflection = app
        .post(
            &t.teacher_a,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "识字教学反思", "written_on": sessions[2].1,
                   "body": "今天的识字课，学生兴趣很高。", "activity_id": sessions[2].0}),
        )
        .await
        .expect(201);
    assert_eq!(reflection.body["word_count"], 14, "12 characters and 2 marks");
    assert_eq!(reflection.body["semester_id"], semester);
    let paper = app
        .post(
            &t.teacher_a,
            "/api/v1/records",
            json!({"kind": "paper", "title": "低年级识字教学的有效策略", "written_on": today, "body": "识".repeat(500)}),
        )
        .await
        .expect(201);
    assert_eq!(paper.body["word_count"], 500);
    app.patch(&t.leader_a, &format!("/api/v1/records/{}", id(&paper)), json!({"title": "改"})).await.expect(403);
    app.get(&t.teacher_b, &format!("/api/v1/records/{}", id(&paper))).await.expect(404);

    // 7. Mentorship: leader_a is a county 骨干教师; the school lets 骨干 mentor two at a time.
    app.patch(
        &t.admin_a,
        &format!("/api/v1/teachers/{}", w.leader_a),
        json!({"honours": [{"title": "backbone_teacher", "level": "county", "year": today.year() - 2}]}),
    )
    .await
    .expect(200);
    put(
        &app,
        &t.admin_a,
        &format!("/api/v1/mentorship-policies/schools/{}", w.school_a),
        json!({"capacities": {"renowned_teacher": 2, "backbone_teacher": 2, "rising_star": 1}, "default_capacity": 1,
               "grade_band_rule": "warn"}),
    )
    .await
    .expect(201);
    let mut young = Vec::new();
    for name in ["新教师甲", "新教师乙"] {
        young.push(id(&app
            .post(&t.admin_a, "/api/v1/teachers", json!({"school_id": w.school_a, "name": name}))
            .await
            .expect(201)));
    }
    let pair = |mentee: i64| {
        json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": mentee, "start_semester_id": semester,
               "agreement": "师傅每周听徒弟一节课，徒弟每学期上一节汇报课。"})
    };
    app.post(&t.teacher_a, "/api/v1/mentorships", pair(w.teacher_a)).await.expect(403);
    let mentorship = id(&app.post(&t.admin_a, "/api/v1/mentorships", pair(w.teacher_a)).await.expect(201));
    app.post(&t.admin_a, "/api/v1/mentorships", pair(young[0])).await.expect(201);
    let third = app.post(&t.admin_a, "/api/v1/mentorships", pair(young[1])).await.expect(422);
    assert_eq!(third.error_fields(), vec!["mentor_teacher_id"]);

    // The pair's log: both observations between them, in date order.
    let log = app.get(&t.admin_a, &format!("/api/v1/mentorships/{mentorship}/log")).await.expect(200);
    let logged: Vec<i64> =
        log.body["entries"].as_array().unwrap().iter().map(|o| o["observation_id"].as_i64().unwrap()).collect();
    assert_eq!(logged, vec![id(&unannounced), id(&seen_by_leader)]);
    app.get(&t.teacher_b, &format!("/api/v1/mentorships/{mentorship}/log")).await.expect(404);

    // 8. teacher_a's calendar: a feed token, and a feed an iCalendar parser reads with every
    //    session of the month (held ones and today's), and nothing of the drafts.
    let token = app.call("POST", "/api/v1/me/calendar-token", Some(&t.teacher_a), None).await.expect(200);
    let token = token.body["token"].as_str().unwrap().to_string();
    let feed = app
        .call("GET", &format!("/api/v1/calendar/teachers/{}.ics?token={token}", w.teacher_a), None, None)
        .await
        .expect(200);
    let calendar: icalendar::Calendar = feed.body.as_str().unwrap().parse().expect("the feed parses as iCalendar");
    let uids: BTreeSet<String> =
        calendar.components.iter().filter_map(|c| c.as_event()).map(|e| e.get_uid().unwrap().to_string()).collect();
    let expected: BTreeSet<String> =
        [0, 1, 2, 3, 4].iter().map(|i| format!("activity-{}@jiaoyan", sessions[*i].0)).collect();
    assert_eq!(uids, expected);
    app.call("GET", &format!("/api/v1/calendar/teachers/{}.ics?token={token}", w.teacher_b), None, None)
        .await
        .expect(404);
}

on_both_backends!(configure = on_a_fixed_day; a_month_of_a_school);
