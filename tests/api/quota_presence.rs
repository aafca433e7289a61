//! Subjects present for part of the semester (docs/API-DESIGN.md, "Quota checks", partial
//! presence). A mentorship pair formed in week 7 is judged from week 7, a pair that ended early is
//! still reported for the weeks it ran, a pair's days are validated against its semesters, and a
//! teacher who moves in or is transferred out is judged over their days at the school. Checked at
//! three dates on both engines.
//!
//! The fixture's autumn semester: 2026-09-01 (Tue) to 2027-01-22, week 1 from 08-31, 国庆
//! 10-01..10-07, 21 teaching weeks. Week 7 starts on Monday 10-12.

use entities::observation;
use jiaoyan_tests::fixtures::{date, observation_row, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::ActiveModelTrait;
use serde_json::Value;

const CHECKS: &str = "/api/v1/quota-checks";
const EARLY: &str = "2026-09-18";
const MID: &str = "2026-11-20";
const END: &str = "2027-02-01";

/// 师傅每周听徒弟一节课 for school A's pairs, and a pair 李组长 → 王老师 formed on Monday 12 October.
async fn pair_from_week_7(app: &TestApp, w: &World) -> (i64, i64) {
    let admin = &w.tokens.admin_a;
    let rule = app
        .post(
            admin,
            "/api/v1/quota-rules",
            json!({"school_id": w.school_a, "name": "师傅每周听徒弟一节课", "subject_type": "mentorship",
                   "metric": {"kind": "mentor_observes_mentee"}, "period": "week", "min": 1, "severity": "required"}),
        )
        .await
        .expect(201);
    let pair = app
        .post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": w.teacher_a, "start_semester_id": w.semester,
                   "start_date": "2026-10-12"}),
        )
        .await
        .expect(201);
    assert_eq!(pair.body["start_date"], "2026-10-12");
    assert_eq!(pair.body["end_date"], "2027-01-22");
    // The mentor observed the mentee every Wednesday from week 7 to week 12 (14 October to 18
    // November); nothing before the pair existed.
    for week in 0..6u64 {
        let day = date(2026, 10, 14) + chrono::Days::new(7 * week);
        let row: observation::ActiveModel =
            observation_row(w.district, w.semester, (w.leader_a, w.school_a), w.teacher_a, day);
        row.insert(&app.db).await.unwrap();
    }
    (rule.body["id"].as_i64().unwrap(), pair.body["id"].as_i64().unwrap())
}

async fn result_of(app: &TestApp, w: &World, rule: i64, pair: i64, as_of: &str) -> Value {
    let page = app
        .get(
            &w.tokens.admin_a,
            &format!("{CHECKS}?semester_id={}&as_of={as_of}&mentorship_id={pair}&rule_id={rule}", w.semester),
        )
        .await
        .expect(200);
    assert_eq!(page.body["total"], 1, "{as_of}: {}", page.body);
    page.body["items"][0].clone()
}

fn starts(item: &Value) -> Vec<String> {
    item["periods"].as_array().unwrap().iter().map(|p| p["start"].as_str().unwrap().to_string()).collect()
}

async fn a_pair_formed_in_week_7_is_judged_from_week_7(app: TestApp) {
    let w = World::build(&app).await;
    let (rule, pair) = pair_from_week_7(&app, &w).await;
    // Early, before the pair exists: nothing is due yet.
    let early = result_of(&app, &w, rule, pair, EARLY).await;
    assert_eq!(early["status"], "on_track");
    assert_eq!(early["required"], 15.0);
    assert_eq!(early["expected_by_now"], 0.0);
    assert_eq!(starts(&early)[0], "2026-10-12");
    assert_eq!(starts(&early).len(), 15);
    // Mid-term, Friday 20 November: weeks 7–11 met, week 12 met on the 18th. Judged over the
    // whole semester, weeks 1–6 would make it short.
    let mid = result_of(&app, &w, rule, pair, MID).await;
    assert_eq!(mid["status"], "on_track", "{mid}");
    assert_eq!(mid["actual"], 6.0);
    let statuses: Vec<&str> =
        mid["periods"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(&statuses[..7], &["met", "met", "met", "met", "met", "met", "upcoming"]);
    // After the end: weeks 13–21 had no observation.
    let end = result_of(&app, &w, rule, pair, END).await;
    assert_eq!(end["status"], "short");
    assert_eq!(end["actual"], 6.0);
}

async fn an_ended_pair_is_reported_for_the_weeks_it_ran(app: TestApp) {
    let w = World::build(&app).await;
    let (rule, pair) = pair_from_week_7(&app, &w).await;
    // Ended early, on Friday 20 November (week 12).
    let ended = app
        .patch(
            &w.tokens.admin_a,
            &format!("/api/v1/mentorships/{pair}"),
            json!({"status": "terminated", "end_date": "2026-11-20"}),
        )
        .await
        .expect(200);
    assert_eq!(ended.body["end_date"], "2026-11-20");
    let early = result_of(&app, &w, rule, pair, EARLY).await;
    assert_eq!((early["status"].as_str(), early["required"].as_f64()), (Some("on_track"), Some(6.0)));
    let mid = result_of(&app, &w, rule, pair, MID).await;
    assert_eq!(mid["status"], "met", "{mid}");
    assert_eq!(starts(&mid).len(), 6);
    assert_eq!(mid["periods"][5]["end"], "2026-11-20");
    let end = result_of(&app, &w, rule, pair, END).await;
    assert_eq!(end["status"], "met");
    assert_eq!(end["required"], 6.0);
}

async fn a_pairs_days_lie_inside_its_semesters(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let body = |extra: Value| {
        let mut b = json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": w.teacher_a,
                           "start_semester_id": w.semester});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let fields = app.post(admin, "/api/v1/mentorships", body(json!({"start_date": "2026-08-01"}))).await.expect(422);
    assert_eq!(fields.error_fields(), ["start_date"]);
    let fields = app
        .post(admin, "/api/v1/mentorships", body(json!({"start_date": "2026-11-02", "end_date": "2026-10-30"})))
        .await
        .expect(422);
    assert_eq!(fields.error_fields(), ["end_date"]);
    let created = app.post(admin, "/api/v1/mentorships", body(json!({}))).await.expect(201);
    assert_eq!(
        (created.body["start_date"].as_str(), created.body["end_date"].as_str()),
        (Some("2026-09-01"), Some("2027-01-22"))
    );
    let id = created.body["id"].as_i64().unwrap();
    let moved =
        app.patch(admin, &format!("/api/v1/mentorships/{id}"), json!({"end_date": "2027-03-01"})).await.expect(422);
    assert_eq!(moved.error_fields(), ["end_date"]);
}

/// 教师每月听课不少于4节 (the catalogue's template) for school A's teachers, as of `as_of`, for
/// `teacher`.
async fn monthly_of(app: &TestApp, w: &World, rule: i64, teacher: i64, as_of: &str) -> Value {
    let page = app
        .get(
            &w.tokens.district_admin,
            &format!("{CHECKS}?semester_id={}&as_of={as_of}&teacher_id={teacher}&rule_id={rule}", w.semester),
        )
        .await
        .expect(200);
    assert_eq!(page.body["total"], 1, "{as_of}: {}", page.body);
    page.body["items"][0].clone()
}

async fn a_teacher_who_joins_or_leaves_is_judged_over_their_days(app: TestApp) {
    let w = World::build(&app).await;
    let rule = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/quota-rules",
            json!({"school_id": w.school_a, "template_id": "observations-monthly-4"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    // 赵老师 of school B moves to school A on Wednesday 21 October. Her September observation at
    // school B does not count at school A; two in late October do.
    let moved = app
        .patch(
            &w.tokens.district_admin,
            &format!("/api/v1/teachers/{}", w.teacher_b),
            json!({"school_id": w.school_a, "joined_on": "2026-10-21"}),
        )
        .await
        .expect(200);
    assert_eq!((moved.body["joined_on"].as_str(), moved.body["left_on"].as_str()), (Some("2026-10-21"), None));
    for (day, school) in
        [(date(2026, 9, 15), w.school_b), (date(2026, 10, 22), w.school_a), (date(2026, 10, 28), w.school_a)]
    {
        let row: observation::ActiveModel =
            observation_row(w.district, w.semester, (w.teacher_b, school), w.leader_a, day);
        row.insert(&app.db).await.unwrap();
    }
    let early = monthly_of(&app, &w, rule, w.teacher_b, EARLY).await;
    assert_eq!((early["status"].as_str(), early["expected_by_now"].as_f64()), (Some("on_track"), Some(0.0)));
    let mid = monthly_of(&app, &w, rule, w.teacher_b, MID).await;
    assert_eq!(starts(&mid), ["2026-10-21", "2026-11-01", "2026-12-01", "2027-01-01"]);
    // October from the 21st: 8 of its 17 teaching days, ceil(4 × 8/17) = 2, and both there.
    let october = &mid["periods"][0];
    assert_eq!((october["required"].as_f64(), october["actual"].as_f64()), (Some(2.0), Some(2.0)));
    assert_eq!(october["status"], "met");
    assert_eq!(mid["actual"], 2.0);

    // 王老师 is transferred on Friday 13 November: still judged, up to that day.
    let left = app
        .patch(
            &w.tokens.admin_a,
            &format!("/api/v1/teachers/{}", w.teacher_a),
            json!({"status": "transferred", "left_on": "2026-11-13"}),
        )
        .await
        .expect(200);
    assert_eq!(left.body["left_on"], "2026-11-13");
    for as_of in [MID, END] {
        let end = monthly_of(&app, &w, rule, w.teacher_a, as_of).await;
        assert_eq!(starts(&end), ["2026-09-01", "2026-10-01", "2026-11-01"], "{as_of}");
        // November to the 13th: 10 of 21 teaching days, ceil(4 × 10/21) = 2.
        assert_eq!(end["periods"][2]["end"], "2026-11-13");
        assert_eq!(end["periods"][2]["required"], 2.0);
        assert_eq!(end["status"], "short");
    }
    let refused = app
        .patch(&w.tokens.admin_a, &format!("/api/v1/teachers/{}", w.teacher_a), json!({"joined_on": "2026-12-01"}))
        .await
        .expect(422);
    assert_eq!(refused.error_fields(), ["left_on"]);
}

on_both_backends!(
    a_teacher_who_joins_or_leaves_is_judged_over_their_days,
    a_pair_formed_in_week_7_is_judged_from_week_7,
    an_ended_pair_is_reported_for_the_weeks_it_ran,
    a_pairs_days_lie_inside_its_semesters,
);
