//! Mentorship pairs (师徒结对): default duties, the mentor's capacity by honour (seed 000: 名师 two
//! mentees, 骨干 one) and its policies, the grade-band rule, the end assessment, the pair's
//! observation log, and scope.

use chrono::Utc;
use entities::enums::LessonKind;
use entities::{observation, semester};
use jiaoyan_tests::fixtures::{date, new_teacher, observation_row, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::Value;

/// Gives a teacher honours and grades through the teachers API.
async fn profile(app: &TestApp, w: &World, teacher: i64, honours: &[&str], grades: &[i32]) {
    let honours: Vec<Value> = honours.iter().map(|h| json!({"title": h, "level": "county", "year": 2022})).collect();
    app.patch(&w.tokens.admin_a, &format!("/api/v1/teachers/{teacher}"), json!({"honours": honours, "grades": grades}))
        .await
        .expect(200);
}

async fn pair(app: &TestApp, token: &str, mentor: i64, mentee: i64, semester: i64) -> serde_json::Value {
    let resp = app
        .post(
            token,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": mentor, "mentee_teacher_id": mentee, "start_semester_id": semester}),
        )
        .await;
    json!({"status": resp.status, "body": resp.body, "fields": resp.error_fields()})
}

async fn pair_id(app: &TestApp, token: &str, mentor: i64, mentee: i64, semester: i64) -> i64 {
    let got = pair(app, token, mentor, mentee, semester).await;
    assert_eq!(got["status"], 201, "{got}");
    got["body"]["id"].as_i64().unwrap()
}

/// The spring semester after the fixture's autumn one.
async fn spring_semester(app: &TestApp, w: &World) -> i64 {
    let now = Utc::now();
    semester::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        name: Set("2027年春季学期".into()),
        school_year: Set("2026-2027".into()),
        start_date: Set(date(2027, 2, 22)),
        end_date: Set(date(2027, 7, 9)),
        week1_start: Set(date(2027, 2, 22)),
        holidays: Set(json!([])),
        sourced_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

/// An observation written straight into the database (the observations API is another area's).
async fn observe(app: &TestApp, w: &World, observer: i64, observed: i64, on: (i32, u32, u32), archived: bool) -> i64 {
    observation::ActiveModel {
        observed_school_id: Set(Some(w.school_a)),
        period: Set(Some(3)),
        grade: Set(Some(3)),
        class_name: Set(Some("三(2)班".into())),
        lesson_kind: Set(LessonKind::DropIn),
        lesson_title: Set(Some("秋天的雨".into())),
        strengths: Set(json!(["导入自然"])),
        weaknesses: Set(json!(["板书偏少", "提问面窄"])),
        suggestions: Set(json!(["多让学生朗读"])),
        strengths_count: Set(1),
        weaknesses_count: Set(2),
        suggestions_count: Set(1),
        critique_given: Set(true),
        archived_at: Set(archived.then(Utc::now)),
        ..observation_row(w.district, w.semester, (observer, w.school_a), observed, date(on.0, on.1, on.2))
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn a_pair_gets_seed_000s_duties_and_checks_its_teachers(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let created = app
        .post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": w.teacher_a, "start_semester_id": w.semester,
                   "agreement": "师徒双方签订结对协议，为期一学期。"}),
        )
        .await
        .expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.headers["location"], format!("/api/v1/mentorships/{id}").as_str());
    assert_eq!(created.body["school_id"], w.school_a);
    assert_eq!(created.body["district_id"], w.district);
    assert_eq!(created.body["end_semester_id"], w.semester, "the end semester defaults to the start");
    assert_eq!(created.body["status"], "active");
    assert_eq!(created.body["grade_band_mismatch"], false);
    assert_eq!(created.body["warnings"], json!([]));
    assert_eq!(created.body["assessment"], Value::Null);
    assert_eq!(
        created.body["duties"],
        json!([
            "师傅每周听徒弟一节课",
            "每学期指导徒弟上一节有价值的研究课",
            "师徒每学期相互随堂听课2节以上",
            "学期末徒弟上汇报课并写结对总结"
        ])
    );
    // The mentee reads their own pair.
    let got = app.get(&w.tokens.teacher_a, &format!("/api/v1/mentorships/{id}")).await.expect(200);
    assert_eq!(got.body["agreement"], "师徒双方签订结对协议，为期一学期。");

    // Bad input names its field.
    let same = pair(&app, admin, w.leader_a, w.leader_a, w.semester).await;
    assert_eq!((same["status"].clone(), same["fields"].clone()), (json!(422), json!(["mentee_teacher_id"])));
    let other_school = pair(&app, admin, w.leader_a, w.teacher_b, w.semester).await;
    assert_eq!(other_school["fields"], json!(["mentee_teacher_id"]), "school B's teacher is no teacher for admin_a");
    let missing = pair(&app, admin, 999_999, w.teacher_a, w.semester).await;
    assert_eq!(missing["fields"], json!(["mentor_teacher_id"]));
    let across = pair(&app, &w.tokens.district_admin, w.leader_a, w.teacher_b, w.semester).await;
    assert_eq!((across["status"].clone(), across["fields"].clone()), (json!(422), json!(["mentee_teacher_id"])));
    let spring = spring_semester(&app, &w).await;
    let fresh = new_teacher(&app.db, w.school_a, "新老师").await;
    let backwards = app
        .post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": fresh, "start_semester_id": spring,
                   "end_semester_id": w.semester, "duties": ["  "]}),
        )
        .await
        .expect(422);
    assert_eq!(backwards.error_fields(), vec!["end_semester_id", "duties[0]"]);
    let unknown = app
        .post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": fresh, "start_semester_id": w.semester,
                   "mentor": 1}),
        )
        .await
        .expect(422);
    assert_eq!(unknown.status, 422);

    // One mentor at a time: teacher_a already has leader_a this semester.
    let other_mentor = new_teacher(&app.db, w.school_a, "张名师").await;
    profile(&app, &w, other_mentor, &["renowned_teacher"], &[]).await;
    let twice = pair(&app, admin, other_mentor, w.teacher_a, w.semester).await;
    assert_eq!((twice["status"].clone(), twice["fields"].clone()), (json!(409), json!(["mentee_teacher_id"])));
    // ... but a pair in the next semester does not overlap.
    pair_id(&app, admin, other_mentor, w.teacher_a, spring).await;
}

async fn the_mentors_capacity_follows_their_honours_and_the_policy(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let mut mentees = Vec::new();
    for i in 0..6 {
        mentees.push(new_teacher(&app.db, w.school_a, &format!("徒弟{i}")).await);
    }
    let backbone = new_teacher(&app.db, w.school_a, "骨干老师").await;
    profile(&app, &w, backbone, &["backbone_teacher"], &[]).await;
    let renowned = new_teacher(&app.db, w.school_a, "名师").await;
    profile(&app, &w, renowned, &["renowned_teacher", "backbone_teacher"], &[]).await;

    let effective = app.get(admin, &format!("/api/v1/mentorship-policies/effective?school_id={}", w.school_a)).await;
    let effective = effective.expect(200);
    assert_eq!(effective.body["source"], "default");
    assert_eq!(effective.body["capacities"], json!({"renowned_teacher": 2, "backbone_teacher": 1, "rising_star": 1}));
    assert_eq!(effective.body["default_capacity"], 1);
    assert_eq!(effective.body["grade_band_rule"], "warn");

    // 骨干: one mentee (seed 000).
    pair_id(&app, admin, backbone, mentees[0], w.semester).await;
    let refused = pair(&app, admin, backbone, mentees[1], w.semester).await;
    assert_eq!((refused["status"].clone(), refused["fields"].clone()), (json!(422), json!(["mentor_teacher_id"])));
    let message = refused["body"]["errors"][0]["message"].as_str().unwrap().to_string();
    assert!(message.contains("骨干教师") && message.contains("may mentor 1 at a time"), "{message}");
    // 名师: two, whatever else they hold.
    pair_id(&app, admin, renowned, mentees[2], w.semester).await;
    pair_id(&app, admin, renowned, mentees[3], w.semester).await;
    let third = pair(&app, admin, renowned, mentees[4], w.semester).await;
    assert_eq!(third["fields"], json!(["mentor_teacher_id"]));
    assert!(third["body"]["errors"][0]["message"].as_str().unwrap().contains("名师"), "{third}");

    // The school raises 骨干 to two: the second passes, a third does not.
    let put = app
        .call(
            "PUT",
            &format!("/api/v1/mentorship-policies/schools/{}", w.school_a),
            Some(admin),
            Some(json!({"capacities": {"renowned_teacher": 2, "backbone_teacher": 2}})),
        )
        .await
        .expect(201);
    assert_eq!(put.body["school_id"], w.school_a);
    assert_eq!(put.body["default_capacity"], 1);
    assert_eq!(put.body["grade_band_rule"], "warn");
    let got = app.get(&w.tokens.teacher_a, &format!("/api/v1/mentorship-policies/schools/{}", w.school_a)).await;
    assert_eq!(got.expect(200).body["capacities"], json!({"renowned_teacher": 2, "backbone_teacher": 2}));
    pair_id(&app, admin, backbone, mentees[1], w.semester).await;
    let over = pair(&app, admin, backbone, mentees[4], w.semester).await;
    assert!(over["body"]["errors"][0]["message"].as_str().unwrap().contains("may mentor 2 at a time"), "{over}");

    // A terminated pair frees a place.
    let list = app.get(admin, &format!("/api/v1/mentorships?mentor_teacher_id={backbone}&sort=id")).await.expect(200);
    let first = list.ids()[0];
    app.patch(admin, &format!("/api/v1/mentorships/{first}"), json!({"status": "terminated"})).await.expect(200);
    pair_id(&app, admin, backbone, mentees[4], w.semester).await;

    // Policy validation and rights.
    let bad = app
        .call(
            "PUT",
            &format!("/api/v1/mentorship-policies/schools/{}", w.school_a),
            Some(admin),
            Some(json!({"capacities": {"famous": 2, "backbone_teacher": 99}, "default_capacity": -1})),
        )
        .await
        .expect(422);
    assert_eq!(bad.error_fields(), vec!["capacities.backbone_teacher", "capacities.famous", "default_capacity"]);
    let path = format!("/api/v1/mentorship-policies/schools/{}", w.school_a);
    let body = json!({"capacities": {}});
    app.call("PUT", &path, Some(&w.tokens.teacher_a), Some(body.clone())).await.expect(403);
    app.call("PUT", &path, Some(&w.tokens.admin_b), Some(body.clone())).await.expect(404);
    app.call("PUT", &path, Some(&w.tokens.other_district_admin), Some(body.clone())).await.expect(404);
    app.delete(&w.tokens.teacher_a, &path).await.expect(403);
    // Replacing answers 200; deleting falls back to the defaults.
    app.call("PUT", &path, Some(admin), Some(json!({"capacities": {}, "default_capacity": 3}))).await.expect(200);
    let eff = app.get(admin, &format!("/api/v1/mentorship-policies/effective?school_id={}", w.school_a)).await;
    assert_eq!((eff.body["source"].clone(), eff.body["default_capacity"].clone()), (json!("school"), json!(3)));
    app.delete(admin, &path).await.expect(204);
    app.delete(admin, &path).await.expect(204);
    app.get(admin, &path).await.expect(404);
    let eff = app.get(admin, &format!("/api/v1/mentorship-policies/effective?school_id={}", w.school_a)).await;
    assert_eq!(eff.body["source"], "default");
    app.get(&w.tokens.admin_b, &format!("/api/v1/mentorship-policies/effective?school_id={}", w.school_a))
        .await
        .expect(422);
}

async fn grade_bands_warn_by_default_and_refuse_when_the_district_says_so(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let lower = new_teacher(&app.db, w.school_a, "低段师傅").await;
    profile(&app, &w, lower, &["renowned_teacher"], &[1, 2]).await;
    let upper = new_teacher(&app.db, w.school_a, "高段徒弟").await;
    profile(&app, &w, upper, &[], &[5, 6]).await;
    let upper2 = new_teacher(&app.db, w.school_a, "高段徒弟二").await;
    profile(&app, &w, upper2, &[], &[6]).await;
    let same_band = new_teacher(&app.db, w.school_a, "低段徒弟").await;
    profile(&app, &w, same_band, &[], &[2, 3]).await;

    let warned = pair(&app, admin, lower, upper, w.semester).await;
    assert_eq!(warned["status"], 201, "{warned}");
    assert_eq!(warned["body"]["grade_band_mismatch"], true);
    assert_eq!(warned["body"]["warnings"].as_array().unwrap().len(), 1);

    // The district refuses; school admins cannot change the district's policy.
    let path = format!("/api/v1/mentorship-policies/districts/{}", w.district);
    let body = json!({"capacities": {"renowned_teacher": 2}, "grade_band_rule": "refuse"});
    app.call("PUT", &path, Some(admin), Some(body.clone())).await.expect(403);
    app.call("PUT", &path, Some(&w.tokens.other_district_admin), Some(body.clone())).await.expect(404);
    app.call("PUT", &path, Some(&w.tokens.district_admin), Some(body)).await.expect(201);
    let got = app.get(&w.tokens.teacher_a, &path).await.expect(200);
    assert_eq!(got.body["school_id"], Value::Null);
    let eff = app.get(admin, &format!("/api/v1/mentorship-policies/effective?school_id={}", w.school_a)).await;
    assert_eq!(eff.body["source"], "district");

    let refused = pair(&app, admin, lower, upper2, w.semester).await;
    assert_eq!((refused["status"].clone(), refused["fields"].clone()), (json!(422), json!(["mentee_teacher_id"])));
    let fine = pair(&app, admin, lower, same_band, w.semester).await;
    assert_eq!((fine["status"].clone(), fine["body"]["warnings"].clone()), (json!(201), json!([])));
}

async fn a_pair_is_assessed_and_ended(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let id = pair_id(&app, admin, w.leader_a, w.teacher_a, w.semester).await;
    let path = format!("/api/v1/mentorships/{id}");
    let spring = spring_semester(&app, &w).await;
    let changed = app
        .patch(admin, &path, json!({"end_semester_id": spring, "duties": ["师傅每周听徒弟一节课"], "agreement": null}))
        .await
        .expect(200);
    assert_eq!(changed.body["end_semester_id"], spring);
    assert_eq!(changed.body["duties"], json!(["师傅每周听徒弟一节课"]));
    assert_eq!(changed.body["agreement"], Value::Null);

    let assessed = app
        .patch(
            &w.tokens.district_admin,
            &path,
            json!({"status": "completed", "assessment": {"grade": "excellent", "comment": "徒弟进步明显",
                   "reward": "优秀师徒", "assessed_on": "2026-11-01"}}),
        )
        .await
        .expect(200);
    assert_eq!(assessed.body["status"], "completed");
    assert_eq!(
        assessed.body["assessment"],
        json!({"grade": "excellent", "comment": "徒弟进步明显", "reward": "优秀师徒", "assessed_on": "2026-11-01"})
    );
    let back = app.patch(admin, &path, json!({"status": "active"})).await.expect(422);
    assert_eq!(back.error_fields(), vec!["status"]);
    let bad = app
        .patch(
            admin,
            &path,
            json!({"assessment": {"grade": "good", "assessed_on": "2099-01-01"}, "end_semester_id": 999}),
        )
        .await
        .expect(422);
    assert_eq!(bad.error_fields(), vec!["end_semester_id", "assessment.assessed_on"]);
    app.patch(admin, &path, json!({"assessment": {"grade": "top"}})).await.expect(422);
    let cleared = app.patch(admin, &path, json!({"assessment": null})).await.expect(200);
    assert_eq!(cleared.body["assessment"], Value::Null);
    assert_eq!(cleared.body["status"], "completed");

    let done = app.get(admin, "/api/v1/mentorships?status=completed").await.expect(200);
    assert_eq!(done.ids(), vec![id]);
    assert_eq!(app.get(admin, "/api/v1/mentorships?status=active").await.body["total"], 0);

    // Extending an active pair into a semester where the mentor is at capacity is refused.
    let mentor = new_teacher(&app.db, w.school_a, "普通师傅").await;
    let (m1, m2) = (new_teacher(&app.db, w.school_a, "徒弟甲").await, new_teacher(&app.db, w.school_a, "徒弟乙").await);
    let autumn_pair = pair_id(&app, admin, mentor, m1, w.semester).await;
    pair_id(&app, admin, mentor, m2, spring).await;
    let longer = app
        .patch(admin, &format!("/api/v1/mentorships/{autumn_pair}"), json!({"end_semester_id": spring}))
        .await
        .expect(422);
    assert_eq!(longer.error_fields(), vec!["mentor_teacher_id"]);
    let in_spring = app.get(admin, &format!("/api/v1/mentorships?semester_id={spring}&sort=-id")).await.expect(200);
    assert_eq!(in_spring.body["total"], 2, "the completed pair still spans the spring semester");
}

async fn the_log_lists_observations_both_ways_in_date_order(app: TestApp) {
    let w = World::build(&app).await;
    let id = pair_id(&app, &w.tokens.admin_a, w.leader_a, w.teacher_a, w.semester).await;
    let (mentor, mentee) = (w.leader_a, w.teacher_a);
    let third = new_teacher(&app.db, w.school_a, "旁人").await;
    let late = observe(&app, &w, mentor, mentee, (2026, 10, 12), false).await;
    let back = observe(&app, &w, mentee, mentor, (2026, 9, 20), false).await;
    let early = observe(&app, &w, mentor, mentee, (2026, 9, 10), false).await;
    let same_day = observe(&app, &w, mentee, mentor, (2026, 9, 10), false).await;
    observe(&app, &w, mentor, third, (2026, 9, 11), false).await;
    observe(&app, &w, third, mentee, (2026, 9, 12), false).await;
    observe(&app, &w, mentor, mentee, (2026, 9, 13), true).await;

    let log = app.get(&w.tokens.teacher_a, &format!("/api/v1/mentorships/{id}/log")).await.expect(200);
    let ids: Vec<i64> =
        log.body["entries"].as_array().unwrap().iter().map(|e| e["observation_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![early, same_day, back, late]);
    let directions: Vec<&str> =
        log.body["entries"].as_array().unwrap().iter().map(|e| e["direction"].as_str().unwrap()).collect();
    assert_eq!(
        directions,
        vec!["mentor_observed_mentee", "mentee_observed_mentor", "mentee_observed_mentor", "mentor_observed_mentee"]
    );
    assert_eq!(log.body["counts"], json!({"mentor_observed_mentee": 2, "mentee_observed_mentor": 2, "total": 4}));
    let first = &log.body["entries"][0];
    assert_eq!(first["observed_on"], "2026-09-10");
    assert_eq!(first["lesson_kind"], "drop_in");
    assert_eq!(first["subject"], "语文");
    assert_eq!(first["critique_given"], true);
    assert_eq!(first["weaknesses_count"], 2);

    let spring = spring_semester(&app, &w).await;
    let none = app.get(&w.tokens.admin_a, &format!("/api/v1/mentorships/{id}/log?semester_id={spring}")).await;
    assert_eq!(none.expect(200).body["counts"]["total"], 0);
    let same = app.get(&w.tokens.admin_a, &format!("/api/v1/mentorships/{id}/log?semester_id={}", w.semester)).await;
    assert_eq!(same.expect(200).body["counts"]["total"], 4);
    app.get(&w.tokens.admin_a, &format!("/api/v1/mentorships/{id}/log?semester_id=999999")).await.expect(422);
}

async fn other_schools_see_nothing_and_teachers_change_nothing(app: TestApp) {
    let w = World::build(&app).await;
    let id = pair_id(&app, &w.tokens.admin_a, w.leader_a, w.teacher_a, w.semester).await;
    let path = format!("/api/v1/mentorships/{id}");
    for token in [&w.tokens.teacher_b, &w.tokens.admin_b, &w.tokens.other_district_admin] {
        app.get(token, &path).await.expect(404);
        app.get(token, &format!("{path}/log")).await.expect(404);
        app.patch(token, &path, json!({"agreement": "x"})).await.expect(404);
        app.delete(token, &path).await.expect(404);
        let list = app.get(token, "/api/v1/mentorships?include_archived=true").await.expect(200);
        assert_eq!(list.body["total"], 0);
        let by_teacher = app.get(token, &format!("/api/v1/mentorships?teacher_id={}", w.teacher_a)).await.expect(200);
        assert_eq!(by_teacher.body["total"], 0);
    }
    // The mentee (and the mentor) read but do not change.
    let fresh = new_teacher(&app.db, w.school_a, "新老师").await;
    let created = pair(&app, &w.tokens.teacher_a, w.teacher_a, fresh, w.semester).await;
    assert_eq!(created["status"], 403);
    let created = pair(&app, &w.tokens.leader_a, w.leader_a, fresh, w.semester).await;
    assert_eq!(created["status"], 403);
    app.patch(&w.tokens.teacher_a, &path, json!({"agreement": "x"})).await.expect(403);
    app.delete(&w.tokens.teacher_a, &path).await.expect(403);
    let mine = app.get(&w.tokens.teacher_a, &format!("/api/v1/mentorships?teacher_id={}", w.teacher_a)).await;
    assert_eq!(mine.expect(200).ids(), vec![id]);
    let as_mentor =
        app.get(&w.tokens.teacher_a, &format!("/api/v1/mentorships?mentor_teacher_id={}", w.teacher_a)).await;
    assert_eq!(as_mentor.body["total"], 0);
    let in_semester =
        app.get(&w.tokens.district_admin, &format!("/api/v1/mentorships?semester_id={}", w.semester)).await;
    assert_eq!(in_semester.expect(200).ids(), vec![id]);
    app.get(&w.tokens.admin_a, "/api/v1/mentorships?sort=name").await.expect(422);

    // Archiving is idempotent; archived pairs leave lists but stay readable.
    app.delete(&w.tokens.admin_a, &path).await.expect(204);
    app.delete(&w.tokens.admin_a, &path).await.expect(204);
    assert_eq!(app.get(&w.tokens.admin_a, "/api/v1/mentorships").await.body["total"], 0);
    let all = app.get(&w.tokens.admin_a, "/api/v1/mentorships?include_archived=true").await.expect(200);
    assert_eq!(all.ids(), vec![id]);
    assert!(app.get(&w.tokens.teacher_a, &path).await.expect(200).body["archived_at"].is_string());
    // An archived pair no longer holds the mentor's place.
    pair_id(&app, &w.tokens.admin_a, w.leader_a, fresh, w.semester).await;
}

on_both_backends!(
    a_pair_gets_seed_000s_duties_and_checks_its_teachers,
    the_mentors_capacity_follows_their_honours_and_the_policy,
    grade_bands_warn_by_default_and_refuse_when_the_district_says_so,
    a_pair_is_assessed_and_ended,
    the_log_lists_observations_both_ways_in_date_order,
    other_schools_see_nothing_and_teachers_change_nothing,
);
