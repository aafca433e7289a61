//! Lesson observations (听课记录) and rubrics (量表): the "三个一" and "听评课123" checks, rubric
//! scores and their total, the semester derived from the date, and the scope rules: another
//! school never reads school A's observations, and a teacher records and changes only their own.

use chrono::{Duration, Utc};
use entities::enums::{ActivityStatus, ActivityType, LessonKind, OrganiserKind};
use entities::{activity, activity_lesson};
use jiaoyan_tests::fixtures::{activity_row, date, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::Value;

/// A 课例研讨 of school A's group on `day`, where `teaching_teacher_id` teaches the lesson.
/// Inserted straight into the database: the activities API is another module's.
async fn lesson_activity(app: &TestApp, w: &World, day: chrono::NaiveDate, teaching_teacher_id: i64) -> i64 {
    let now = Utc::now();
    let saved = activity::ActiveModel {
        school_id: Set(Some(w.school_a)),
        organiser_kind: Set(OrganiserKind::Group),
        group_id: Set(Some(w.group_a)),
        activity_type: Set(ActivityType::LessonStudy),
        title: Set("课例研讨:秋天的雨".into()),
        topic: Set(Some("低年级朗读指导".into())),
        date: Set(Some(day)),
        start_period: Set(Some(6)),
        end_period: Set(Some(6)),
        venue: Set(Some("录播教室".into())),
        lead_speaker_teacher_id: Set(Some(w.leader_a)),
        status: Set(ActivityStatus::Scheduled),
        ..activity_row(w.district, w.semester)
    }
    .insert(&app.db)
    .await
    .unwrap();
    activity_lesson::ActiveModel {
        id: NotSet,
        activity_id: Set(saved.id),
        position: Set(1),
        teacher_id: Set(teaching_teacher_id),
        subject: Set("语文".into()),
        grade: Set(Some(3)),
        class_name: Set(Some("三(2)班".into())),
        lesson_kind: Set(LessonKind::Research),
        title: Set(Some("秋天的雨".into())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
    saved.id
}

/// A minimal valid observation body of `observed` on `day`, with extra fields merged in.
fn body(observed: i64, day: &str, extra: Value) -> Value {
    let mut b =
        json!({"observed_teacher_id": observed, "observed_on": day, "subject": "语文", "lesson_kind": "ordinary"});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

async fn create(app: &TestApp, token: &str, b: Value) -> i64 {
    app.post(token, "/api/v1/observations", b).await.expect(201).body["id"].as_i64().unwrap()
}

/// The seed-style 量表 (教学目标 10, 教学内容 20, 教学方法 20, 教学过程 30, 教学效果 20) of school A.
async fn seed_rubric(app: &TestApp, w: &World) -> Value {
    app.post(
        &w.tokens.admin_a,
        "/api/v1/rubrics",
        json!({"school_id": w.school_a, "name": "课堂教学评价表", "dimensions": [
            {"name": "教学目标", "max_points": 10, "description": "目标明确"}, {"name": "教学内容", "max_points": 20},
            {"name": "教学方法", "max_points": 20}, {"name": "教学过程", "max_points": 30},
            {"name": "教学效果", "max_points": 20}]}),
    )
    .await
    .expect(201)
    .body
}

async fn feedback_checks_three_ones_and_one_two_three(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    // 三个一: one strength, one weakness, one hope.
    let created = app
        .post(
            t,
            "/api/v1/observations",
            body(
                w.leader_a,
                "2026-10-15",
                json!({"period": 2, "grade": 3, "class_name": "三(2)班", "lesson_kind": "unannounced",
                       "lesson_title": "秋天的雨", "strengths": [" 朗读指导到位 "], "weaknesses": ["小组合作流于形式"],
                       "suggestions": ["多给学生质疑的时间"]}),
            ),
        )
        .await
        .expect(201);
    let first = created.body["id"].as_i64().unwrap();
    assert_eq!(created.headers["location"], format!("/api/v1/observations/{first}").as_str());
    let got = app.get(t, &format!("/api/v1/observations/{first}")).await.expect(200).body;
    assert_eq!(got["observer_teacher_id"], w.teacher_a, "the observer defaults to the caller's teacher");
    assert_eq!(got["observer_school_id"], w.school_a);
    assert_eq!(got["observed_school_id"], w.school_a);
    assert_eq!(got["semester_id"], w.semester);
    assert_eq!(got["strengths"], json!(["朗读指导到位"]));
    assert_eq!(got["three_ones"], true);
    assert_eq!(got["one_two_three"], false);
    assert_eq!(got["critique_given"], false);
    assert_eq!(got["total_score"], Value::Null);
    assert_eq!(got["max_score"], Value::Null);

    // 听评课123: one good point, two weaknesses, three suggestions; with a critique given.
    let second = create(
        &app,
        t,
        body(
            w.leader_a,
            "2026-10-20",
            json!({"strengths": ["情境创设好"], "weaknesses": ["板书不清", "时间分配不均"],
                   "suggestions": ["突出重点", "留足练习时间", "关注后进生"], "critique_given": true, "critique": "课后交流"}),
        ),
    )
    .await;
    let got = app.get(t, &format!("/api/v1/observations/{second}")).await.expect(200).body;
    assert_eq!((got["three_ones"].clone(), got["one_two_three"].clone()), (json!(true), json!(true)));

    // No weakness: neither check holds. An outside teacher is named instead of referenced.
    let third = create(
        &app,
        t,
        json!({"observed_name": "外校张老师", "observed_on": "2026-11-02", "subject": "数学", "lesson_kind": "open",
               "strengths": ["a", "b"], "suggestions": ["c", "d", "e"]}),
    )
    .await;
    let got = app.get(t, &format!("/api/v1/observations/{third}")).await.expect(200).body;
    assert_eq!((got["three_ones"].clone(), got["one_two_three"].clone()), (json!(false), json!(false)));
    assert_eq!(got["observed_teacher_id"], Value::Null);
    assert_eq!(got["observed_name"], "外校张老师");

    // PATCH completes the feedback; the checks follow.
    let patched =
        app.patch(t, &format!("/api/v1/observations/{third}"), json!({"weaknesses": ["x", "y"]})).await.expect(200);
    assert_eq!((patched.body["three_ones"].clone(), patched.body["one_two_three"].clone()), (json!(true), json!(true)));

    let list = app.get(t, &format!("/api/v1/observations?observer_teacher_id={}&sort=-observed_on", w.teacher_a)).await;
    assert_eq!(list.expect(200).ids(), vec![third, second, first]);

    // Bad input names its fields.
    let bad = app
        .post(
            t,
            "/api/v1/observations",
            json!({"observed_on": "2026-10-15", "subject": " ", "lesson_kind": "ordinary", "period": 13, "grade": 7,
                   "strengths": ["", "ok"], "suggestions": (0..11).map(|i| format!("建议{i}")).collect::<Vec<_>>()}),
        )
        .await
        .expect(422);
    for field in ["subject", "period", "grade", "strengths[0]", "suggestions", "observed_teacher_id"] {
        assert!(bad.error_fields().contains(&field.to_string()), "{field} missing in {}", bad.body);
    }
    let both = app
        .post(t, "/api/v1/observations", body(w.leader_a, "2026-10-15", json!({"observed_name": "张老师"})))
        .await
        .expect(422);
    assert_eq!(both.error_fields(), vec!["observed_name"]);
    let self_observed =
        app.post(t, "/api/v1/observations", body(w.teacher_a, "2026-10-15", json!({}))).await.expect(422);
    assert_eq!(self_observed.error_fields(), vec!["observed_teacher_id"]);
    let unknown = app.post(t, "/api/v1/observations", body(w.leader_a, "2026-10-15", json!({"score": 1}))).await;
    assert_eq!(unknown.status, 422);
}

async fn rubric_scores_and_frozen_dimensions(app: TestApp) {
    let w = World::build(&app).await;
    let rubric = seed_rubric(&app, &w).await;
    let rubric_id = rubric["id"].as_i64().unwrap();
    assert_eq!(rubric["max_total"], 100);
    assert_eq!(rubric["school_id"], w.school_a);
    assert_eq!(rubric["district_id"], w.district);
    let dims: Vec<i64> = rubric["dimensions"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(rubric["dimensions"][3]["name"], "教学过程");
    assert_eq!(rubric["dimensions"][3]["position"], 4);

    // Rubric rules: only administrators create; names unique per owner; another school never sees it.
    let by_teacher = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/rubrics",
            json!({"school_id": w.school_a, "name": "x", "dimensions": [{"name": "a", "max_points": 5}]}),
        )
        .await;
    assert_eq!(by_teacher.status, 403);
    let dup = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/rubrics",
            json!({"school_id": w.school_a, "name": "课堂教学评价表", "dimensions": [{"name": "a", "max_points": 5}]}),
        )
        .await;
    assert_eq!(dup.status, 409);
    let bad = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/rubrics",
            json!({"school_id": w.school_a, "name": "y", "dimensions": [{"name": "a", "max_points": 5}, {"name": "a", "max_points": 0}]}),
        )
        .await
        .expect(422);
    assert_eq!(bad.error_fields(), vec!["dimensions[1].name", "dimensions[1].max_points"]);
    app.get(&w.tokens.admin_b, &format!("/api/v1/rubrics/{rubric_id}")).await.expect(404);
    // A district rubric, usable by every school of the district.
    let district_rubric = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/rubrics",
            json!({"district_id": w.district, "name": "县课堂评价表", "dimensions": [{"name": "综合", "max_points": 100}]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let usable = app.get(&w.tokens.teacher_a, &format!("/api/v1/rubrics?usable_by_school_id={}", w.school_a)).await;
    assert_eq!(usable.expect(200).ids(), vec![rubric_id, district_rubric]);
    let of_b = app.get(&w.tokens.admin_b, "/api/v1/rubrics").await.expect(200);
    assert_eq!(of_b.ids(), vec![district_rubric]);
    let district_only = app.get(&w.tokens.district_admin, &format!("/api/v1/rubrics?district_id={}", w.district)).await;
    assert_eq!(district_only.expect(200).ids(), vec![district_rubric]);

    // Scores: total of what was scored, against the rubric's best total.
    let scores = json!([{"dimension_id": dims[0], "points": 9}, {"dimension_id": dims[1], "points": 18},
        {"dimension_id": dims[2], "points": 17}, {"dimension_id": dims[3], "points": 27}, {"dimension_id": dims[4], "points": 19}]);
    let scored = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/observations",
            body(w.leader_a, "2026-10-15", json!({"rubric_id": rubric_id, "scores": scores})),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(scored["total_score"].as_f64(), Some(90.0));
    assert_eq!(scored["max_score"], 100);
    assert_eq!(scored["scores"], scores);

    // Points over a dimension's maximum, and scores without a rubric.
    let over = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/observations",
            body(
                w.leader_a,
                "2026-10-15",
                json!({"rubric_id": rubric_id, "scores": [{"dimension_id": dims[0], "points": 10},
                       {"dimension_id": dims[1], "points": 21}]}),
            ),
        )
        .await
        .expect(422);
    assert_eq!(over.error_fields(), vec!["scores[1].points"]);
    let twice = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/observations",
            body(
                w.leader_a,
                "2026-10-15",
                json!({"rubric_id": rubric_id, "scores": [{"dimension_id": dims[0], "points": 1},
                       {"dimension_id": dims[0], "points": 2}, {"dimension_id": 999999, "points": 1}]}),
            ),
        )
        .await
        .expect(422);
    assert_eq!(twice.error_fields(), vec!["scores[1].dimension_id", "scores[2].dimension_id"]);
    let no_rubric = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/observations",
            body(w.leader_a, "2026-10-15", json!({"scores": [{"dimension_id": dims[0], "points": 1}]})),
        )
        .await
        .expect(422);
    assert_eq!(no_rubric.error_fields(), vec!["scores"]);
    // School B's rubric is not usable (nor visible) for school A's observers.
    let rubric_b = app
        .post(
            &w.tokens.admin_b,
            "/api/v1/rubrics",
            json!({"school_id": w.school_b, "name": "乙校评价表", "dimensions": [{"name": "综合", "max_points": 100}]}),
        )
        .await
        .expect(201)
        .body["id"]
        .clone();
    let foreign = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/observations",
            body(w.leader_a, "2026-10-15", json!({"rubric_id": rubric_b})),
        )
        .await
        .expect(422);
    assert_eq!(foreign.error_fields(), vec!["rubric_id"]);

    // Once used, the dimensions are frozen; the name still changes, and sending the same
    // dimensions back is not a change.
    let path = format!("/api/v1/rubrics/{rubric_id}");
    let refused = app
        .patch(&w.tokens.admin_a, &path, json!({"dimensions": [{"name": "综合", "max_points": 100}]}))
        .await
        .expect(409);
    assert_eq!(refused.error_fields(), vec!["dimensions"]);
    let same: Vec<Value> = rubric["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| json!({"name": d["name"], "max_points": d["max_points"], "description": d["description"]}))
        .collect();
    let renamed = app.patch(&w.tokens.admin_a, &path, json!({"name": "课堂评价表(修订)", "dimensions": same})).await;
    let renamed = renamed.expect(200).body;
    assert_eq!(renamed["name"], "课堂评价表(修订)");
    assert_eq!(renamed["dimensions"][0]["id"], dims[0], "unchanged dimensions keep their ids");
    // An unused rubric's dimensions are replaced whole.
    let replaced = app
        .patch(
            &w.tokens.district_admin,
            &format!("/api/v1/rubrics/{district_rubric}"),
            json!({"dimensions": [{"name": "教学目标", "max_points": 40}, {"name": "教学效果", "max_points": 60}]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(replaced["max_total"], 100);
    assert_eq!(replaced["dimensions"].as_array().unwrap().len(), 2);
    // A school admin reads the district rubric but does not manage it.
    app.patch(&w.tokens.admin_a, &format!("/api/v1/rubrics/{district_rubric}"), json!({"name": "z"})).await.expect(403);

    // Archived rubrics leave lists and cannot score new observations; old ones keep their scores.
    app.call("DELETE", &path, Some(&w.tokens.admin_a), None).await.expect(204);
    app.call("DELETE", &path, Some(&w.tokens.admin_a), None).await.expect(204);
    let listed = app.get(&w.tokens.admin_a, &format!("/api/v1/rubrics?school_id={}", w.school_a)).await.expect(200);
    assert!(listed.ids().is_empty());
    let archived = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/observations",
            body(w.leader_a, "2026-10-15", json!({"rubric_id": rubric_id})),
        )
        .await
        .expect(422);
    assert_eq!(archived.error_fields(), vec!["rubric_id"]);
    let kept = app.get(&w.tokens.teacher_a, &format!("/api/v1/observations/{}", scored["id"])).await.expect(200);
    assert_eq!(kept.body["total_score"].as_f64(), Some(90.0));
    // Clearing the rubric clears the scores.
    let cleared = app
        .patch(&w.tokens.teacher_a, &format!("/api/v1/observations/{}", scored["id"]), json!({"rubric_id": null}))
        .await
        .expect(200)
        .body;
    assert_eq!((cleared["scores"].clone(), cleared["total_score"].clone()), (Value::Null, Value::Null));
}

async fn the_date_gives_the_semester(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    let id = create(&app, t, body(w.leader_a, "2026-09-01", json!({}))).await;
    let got = app.get(t, &format!("/api/v1/observations/{id}")).await.expect(200);
    assert_eq!(got.body["semester_id"], w.semester);
    // The summer holidays lie in no semester: the observation is kept without one.
    let outside = app.post(t, "/api/v1/observations", body(w.leader_a, "2026-07-01", json!({}))).await.expect(201);
    assert_eq!(outside.body["semester_id"], Value::Null);
    let moved =
        app.patch(t, &format!("/api/v1/observations/{id}"), json!({"observed_on": "2026-08-31"})).await.expect(200);
    assert_eq!(moved.body["semester_id"], Value::Null, "moved out of the semester");
    let back =
        app.patch(t, &format!("/api/v1/observations/{id}"), json!({"observed_on": "2026-09-02"})).await.expect(200);
    assert_eq!(back.body["semester_id"], w.semester, "and back into it");
    // Tomorrow (in China) has not been observed yet.
    let tomorrow = (Utc::now() + Duration::hours(8) + Duration::days(1)).date_naive();
    let future =
        app.post(t, "/api/v1/observations", body(w.leader_a, &tomorrow.to_string(), json!({}))).await.expect(422);
    assert_eq!(future.error_fields(), vec!["observed_on"]);
    assert!(future.body["detail"].as_str().unwrap().contains("future"), "{}", future.body);
}

async fn other_schools_and_other_observers_are_kept_out(app: TestApp) {
    let w = World::build(&app).await;
    let id = create(
        &app,
        &w.tokens.leader_a,
        body(w.teacher_a, "2026-10-15", json!({"lesson_kind": "unannounced", "strengths": ["好"]})),
    )
    .await;
    let path = format!("/api/v1/observations/{id}");
    for token in [&w.tokens.teacher_b, &w.tokens.admin_b, &w.tokens.other_district_admin] {
        app.get(token, &path).await.expect(404);
        app.patch(token, &path, json!({"notes": "x"})).await.expect(404);
        app.call("DELETE", &path, Some(token), None).await.expect(404);
        let list = app.get(token, "/api/v1/observations?include_archived=true").await.expect(200);
        assert_eq!(list.body["total"], 0);
    }
    app.get(&w.tokens.district_admin, &path).await.expect(200);
    let of_school_a = format!("/api/v1/observations?school_id={}", w.school_a);
    assert_eq!(app.get(&w.tokens.district_admin, &of_school_a).await.expect(200).ids(), vec![id]);
    // An account without a teacher names the observer.
    let no_observer = app.post(&w.tokens.root, "/api/v1/observations", body(w.leader_a, "2026-10-15", json!({})));
    assert_eq!(no_observer.await.expect(422).error_fields(), vec!["observer_teacher_id"]);

    // teacher_a reads their school's observation but records only their own.
    let t = &w.tokens.teacher_a;
    app.get(t, &path).await.expect(200);
    app.patch(t, &path, json!({"notes": "改"})).await.expect(403);
    app.call("DELETE", &path, Some(t), None).await.expect(403);
    let as_leader = app
        .post(
            t,
            "/api/v1/observations",
            json!({"observer_teacher_id": w.leader_a, "observed_name": "外校老师",
              "observed_on": "2026-10-15", "subject": "语文", "lesson_kind": "ordinary"}),
        )
        .await;
    assert_eq!(as_leader.status, 403);
    // An observer of another school is no such teacher.
    let foreign_observer = app.post(
        t,
        "/api/v1/observations",
        body(w.leader_a, "2026-10-15", json!({"observer_teacher_id": w.teacher_b})),
    );
    assert_eq!(foreign_observer.await.error_fields(), vec!["observer_teacher_id"]);

    // The school's administrator records for its teachers, changes and archives.
    let by_admin =
        create(&app, &w.tokens.admin_a, body(w.leader_a, "2026-10-16", json!({"observer_teacher_id": w.teacher_a})))
            .await;
    let got = app.get(t, &format!("/api/v1/observations/{by_admin}")).await.expect(200);
    assert_eq!(got.body["observer_teacher_id"], w.teacher_a);
    let patched = app.patch(&w.tokens.admin_a, &path, json!({"notes": "教导处补记"})).await.expect(200);
    assert_eq!(patched.body["notes"], "教导处补记");
    // From one of ours to an outside teacher: the observed school goes with the teacher.
    let outside = app
        .patch(&w.tokens.admin_a, &path, json!({"observed_teacher_id": null, "observed_name": "县教研员"}))
        .await
        .expect(200);
    assert_eq!(
        (outside.body["observed_school_id"].clone(), outside.body["notes"].clone()),
        (Value::Null, json!("教导处补记"))
    );
    app.call("DELETE", &path, Some(&w.tokens.admin_a), None).await.expect(204);
    app.call("DELETE", &path, Some(&w.tokens.admin_a), None).await.expect(204);
    let live = app.get(&w.tokens.admin_a, "/api/v1/observations").await.expect(200);
    assert_eq!(live.ids(), vec![by_admin]);
    let all = app.get(&w.tokens.admin_a, "/api/v1/observations?include_archived=true").await.expect(200);
    assert_eq!(all.ids(), vec![id, by_admin]);
    let archived = app.get(&w.tokens.admin_a, &path).await.expect(200);
    assert!(archived.body["archived_at"].is_string());
}

async fn another_schools_teacher_only_through_an_activity(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    // teacher_b and teacher_c are not teachers teacher_a sees: no such teacher.
    for other in [w.teacher_b, w.teacher_c] {
        let r = app.post(t, "/api/v1/observations", body(other, "2026-10-15", json!({}))).await.expect(422);
        assert_eq!(r.error_fields(), vec!["observed_teacher_id"]);
        assert!(r.body["detail"].as_str().unwrap().contains("no such teacher"));
    }
    // teacher_b teaches the lesson at school A's 课例研讨: then teacher_a observes them.
    let activity_id = lesson_activity(&app, &w, date(2026, 10, 20), w.teacher_b).await;
    let wrong_day = app
        .post(t, "/api/v1/observations", body(w.teacher_b, "2026-10-21", json!({"activity_id": activity_id})))
        .await
        .expect(422);
    assert_eq!(wrong_day.error_fields(), vec!["observed_on"]);
    let id = create(
        &app,
        t,
        body(
            w.teacher_b,
            "2026-10-20",
            json!({"activity_id": activity_id, "lesson_kind": "research", "weaknesses": ["w"]}),
        ),
    )
    .await;
    let got = app.get(t, &format!("/api/v1/observations/{id}")).await.expect(200).body;
    assert_eq!(got["observed_school_id"], w.school_b);
    assert_eq!(got["activity_id"], activity_id);
    // The observed teacher's school reads the feedback, but only the observer's side changes it.
    let seen_by_b = app.get(&w.tokens.teacher_b, &format!("/api/v1/observations?teacher_id={}", w.teacher_b)).await;
    assert_eq!(seen_by_b.expect(200).ids(), vec![id]);
    app.patch(&w.tokens.teacher_b, &format!("/api/v1/observations/{id}"), json!({"notes": "x"})).await.expect(403);
    app.patch(&w.tokens.admin_b, &format!("/api/v1/observations/{id}"), json!({"notes": "x"})).await.expect(403);
    let by_activity = app.get(t, &format!("/api/v1/observations?activity_id={activity_id}")).await.expect(200);
    assert_eq!(by_activity.ids(), vec![id]);
    // teacher_c teaches nothing there: still no such teacher, even with the activity.
    let r = app
        .post(t, "/api/v1/observations", body(w.teacher_c, "2026-10-20", json!({"activity_id": activity_id})))
        .await
        .expect(422);
    assert_eq!(r.error_fields(), vec!["observed_teacher_id"]);
    let missing = app
        .post(t, "/api/v1/observations", body(w.leader_a, "2026-10-20", json!({"activity_id": 999999})))
        .await
        .expect(422);
    assert_eq!(missing.error_fields(), vec!["activity_id"]);
}

async fn lists_filter_by_teacher_date_and_kind(app: TestApp) {
    let w = World::build(&app).await;
    let a =
        create(&app, &w.tokens.teacher_a, body(w.leader_a, "2026-09-10", json!({"lesson_kind": "unannounced"}))).await;
    let b = create(
        &app,
        &w.tokens.teacher_a,
        body(w.leader_a, "2026-10-12", json!({"critique_given": true, "subject": "数学"})),
    )
    .await;
    let c = create(&app, &w.tokens.leader_a, body(w.teacher_a, "2026-11-05", json!({"lesson_kind": "open"}))).await;
    let ids = |path: String| {
        let app = &app;
        let token = w.tokens.admin_a.clone();
        async move { app.get(&token, &path).await.expect(200).ids() }
    };
    assert_eq!(ids(format!("/api/v1/observations?teacher_id={}", w.teacher_a)).await, vec![a, b, c]);
    assert_eq!(ids(format!("/api/v1/observations?observer_teacher_id={}", w.leader_a)).await, vec![c]);
    assert_eq!(ids(format!("/api/v1/observations?observed_teacher_id={}", w.leader_a)).await, vec![a, b]);
    assert_eq!(ids("/api/v1/observations?date_from=2026-10-01&date_to=2026-10-31".into()).await, vec![b]);
    assert_eq!(ids("/api/v1/observations?date_from=2026-10-01&sort=-observed_on".into()).await, vec![c, b]);
    assert_eq!(ids("/api/v1/observations?lesson_kind=unannounced,open".into()).await, vec![a, c]);
    assert_eq!(ids("/api/v1/observations?critique_given=true".into()).await, vec![b]);
    assert_eq!(ids("/api/v1/observations?subject=数学".into()).await, vec![b]);
    assert_eq!(
        ids(format!("/api/v1/observations?semester_id={}&school_id={}", w.semester, w.school_a)).await,
        vec![a, b, c]
    );
    let bad = app.get(&w.tokens.admin_a, "/api/v1/observations?date_from=2026-11-01&date_to=2026-10-01").await;
    assert_eq!(bad.expect(422).error_fields(), vec!["date_to"]);
    let bad = app.get(&w.tokens.admin_a, "/api/v1/observations?lesson_kind=lecture").await;
    assert_eq!(bad.expect(422).error_fields(), vec!["lesson_kind"]);
    let bad = app.get(&w.tokens.admin_a, "/api/v1/observations?sort=subject").await;
    assert_eq!(bad.expect(422).error_fields(), vec!["sort"]);
}

on_both_backends!(
    feedback_checks_three_ones_and_one_two_three,
    rubric_scores_and_frozen_dimensions,
    the_date_gives_the_semester,
    other_schools_and_other_observers_are_kept_out,
    another_schools_teacher_only_through_an_activity,
    lists_filter_by_teacher_date_and_kind,
);
