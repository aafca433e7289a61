//! Quota rules adopted by a school or district (`/api/v1/quota-rules`): from a template with
//! overrides or written whole, refused with the field named when invalid, managed only by the
//! owner's administrators, and who may ask for whose checks.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{on_both_backends, TestApp};
use serde_json::{json, Value};

async fn create(app: &TestApp, token: &str, body: Value) -> jiaoyan_tests::Resp {
    app.post(token, "/api/v1/quota-rules", body).await
}

async fn a_rule_is_a_template_with_overrides_or_written_whole(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let made = create(
        &app,
        admin,
        json!({"school_id": w.school_a, "template_id": "observations-monthly-4", "min": 3,
               "metric": {"same_subject": true}, "semester_ids": [w.semester]}),
    )
    .await
    .expect(201);
    let rule = &made.body;
    assert_eq!(made.headers["location"], format!("/api/v1/quota-rules/{}", rule["id"]));
    assert_eq!((rule["school_id"].as_i64(), rule["district_id"].as_i64()), (Some(w.school_a), Some(w.district)));
    assert_eq!((rule["min"].as_f64(), rule["period"].as_str()), (Some(3.0), Some("month")));
    assert_eq!(rule["metric"]["same_subject"], true, "the override is merged into the template's metric");
    assert_eq!(rule["metric"]["kind"], "observations");
    assert_eq!(rule["template_id"], "observations-monthly-4");
    assert!(rule["source"].as_str().unwrap().contains("seed 000"));
    assert_eq!(rule["semester_ids"], json!([w.semester]));

    let whole = json!({"district_id": w.district, "name": "每学期读书笔记5000字", "subject_type": "teacher",
        "metric": {"kind": "record_words", "kinds": ["reading_note"]}, "period": "semester", "min": 5000,
        "severity": "target", "source": "自拟"});
    assert_eq!(create(&app, admin, whole.clone()).await.status, 403, "a school admin adopts no district rule");
    let district_rule = create(&app, &w.tokens.district_admin, whole).await.expect(201);
    assert_eq!(district_rule.body["school_id"], Value::Null);

    // Both are listed for school A, oldest first; school B's admin sees only the district's.
    let list = app.get(admin, &format!("/api/v1/quota-rules?semester_id={}", w.semester)).await.expect(200);
    assert_eq!(list.ids(), vec![rule["id"].as_i64().unwrap(), district_rule.body["id"].as_i64().unwrap()]);
    let list_b = app.get(&w.tokens.admin_b, "/api/v1/quota-rules").await.expect(200);
    assert_eq!(list_b.ids(), vec![district_rule.body["id"].as_i64().unwrap()]);
    let path = format!("/api/v1/quota-rules/{}", rule["id"]);
    assert_eq!(app.get(&w.tokens.admin_b, &path).await.status, 404, "another school's rule does not exist for B");
    assert_eq!(app.patch(&w.tokens.admin_b, &path, json!({"min": 1})).await.status, 404);
    assert_eq!(app.delete(&w.tokens.admin_b, &path).await.status, 404);
    app.get(&w.tokens.teacher_a, &path).await.expect(200);
    assert_eq!(app.patch(&w.tokens.teacher_a, &path, json!({"min": 1})).await.status, 403);

    // A change merges like an override; the owner cannot change.
    let changed =
        app.patch(admin, &path, json!({"min": 5, "metric": {"lesson_kinds": ["ordinary"]}})).await.expect(200);
    assert_eq!(
        (changed.body["min"].as_f64(), changed.body["metric"]["same_subject"].as_bool()),
        (Some(5.0), Some(true))
    );
    assert_eq!(changed.body["metric"]["lesson_kinds"], json!(["ordinary"]));
    let moved = app.patch(admin, &path, json!({"school_id": w.school_b})).await.expect(422);
    assert_eq!(moved.error_fields(), vec!["school_id"]);

    // The name is unique among the owner's live rules, and free again once archived.
    let again = json!({"school_id": w.school_a, "template_id": "observations-monthly-4", "min": 3,
        "metric": {"same_subject": true}});
    let clash = create(&app, admin, again.clone()).await.expect(409);
    assert_eq!(clash.content_type(), "application/problem+json");
    app.delete(admin, &path).await.expect(204);
    app.delete(admin, &path).await.expect(204);
    assert_eq!(app.get(admin, &format!("/api/v1/quota-rules?semester_id={}", w.semester)).await.ids().len(), 1);
    create(&app, admin, again).await.expect(201);
}

async fn invalid_rules_are_refused_naming_the_field(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let cases = [
        (json!({"template_id": "observations-monthly-4", "metric": {"kind": "coffee"}}), "metric.kind"),
        // A misspelt filter is named where it is, not on the (right) kind.
        (json!({"template_id": "observations-monthly-4", "metric": {"same_subjects": true}}), "metric.same_subjects"),
        (
            json!({"name": "x", "subject_type": "teacher", "metric": {"kind": "records", "min_word": 500},
                "period": "month", "min": 1, "severity": "required"}),
            "metric.min_word",
        ),
        (json!({"template_id": "observations-monthly-4", "min": -1}), "min"),
        (json!({"template_id": "observations-monthly-4", "metric": {"kind": "mentor_observes_mentee"}}), "metric.kind"),
        (json!({"template_id": "no-such-template"}), "template_id"),
        (json!({"template_id": "observations-monthly-4", "min": "four"}), "min"),
        (json!({"template_id": "observations-monthly-4", "period": "decade"}), "period"),
        (json!({"template_id": "observations-monthly-4", "semester_ids": [999999]}), "semester_ids[0]"),
        (
            json!({"name": "x", "metric": {"kind": "observations"}, "period": "month", "min": 1, "severity": "required"}),
            "subject_type",
        ),
        (json!({"template_id": "attendance-rate-98", "min": 98}), "min"),
    ];
    for (body, field) in cases {
        let mut body = body;
        body["school_id"] = json!(w.school_a);
        let answer = create(&app, admin, body.clone()).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.body);
        assert_eq!(answer.error_fields(), vec![field], "{body}");
    }
    let elsewhere =
        create(&app, &w.tokens.admin_b, json!({"school_id": w.school_a, "template_id": "observations-monthly-4"}));
    assert_eq!(elsewhere.await.error_fields(), vec!["school_id"], "school A does not exist for school B's admin");
    let teacher =
        create(&app, &w.tokens.teacher_a, json!({"school_id": w.school_a, "template_id": "observations-monthly-4"}));
    assert_eq!(teacher.await.status, 403, "a teacher sees the school but does not adopt rules");
    let other_district = create(
        &app,
        &w.tokens.other_district_admin,
        json!({"school_id": w.school_a, "template_id": "observations-monthly-4"}),
    );
    assert_eq!(other_district.await.error_fields(), vec!["school_id"], "a school out of reach does not exist");
    assert_eq!(app.call("POST", "/api/v1/quota-rules", None, Some(json!({}))).await.status, 401);
    let not_object = create(&app, admin, json!([1, 2])).await.expect(422);
    assert_eq!(not_object.error_fields(), vec!["body"]);
}

async fn checks_are_private_to_their_subject_and_administrators(app: TestApp) {
    let w = World::build(&app).await;
    let checks = |query: String| format!("/api/v1/quota-checks?semester_id={}&as_of=2026-11-20&{query}", w.semester);
    // A teacher may not ask for a colleague's checks, nor for a group or the whole school.
    let colleague = app.get(&w.tokens.teacher_a, &checks(format!("teacher_id={}", w.leader_a))).await;
    assert_eq!(colleague.status, 404);
    assert_eq!(app.get(&w.tokens.teacher_a, &checks(format!("group_id={}", w.group_a))).await.status, 404);
    assert_eq!(app.get(&w.tokens.teacher_a, &checks(format!("school_id={}", w.school_a))).await.status, 403);
    assert_eq!(app.get(&w.tokens.admin_a, &checks(format!("zone_id={}", w.zone))).await.status, 403);
    // Another school's teacher and group do not exist for school A's admin.
    assert_eq!(app.get(&w.tokens.admin_a, &checks(format!("teacher_id={}", w.teacher_b))).await.status, 404);
    assert_eq!(app.get(&w.tokens.admin_a, &checks(format!("group_id={}", w.group_b))).await.status, 404);
    let two = app.get(&w.tokens.admin_a, &checks(format!("teacher_id={}&group_id={}", w.teacher_a, w.group_a))).await;
    assert_eq!(two.expect(422).error_fields(), vec!["group_id"]);
    let bad_day =
        app.get(&w.tokens.admin_a, &format!("/api/v1/quota-checks?semester_id={}&as_of=2026-13-01", w.semester)).await;
    assert_eq!(bad_day.expect(422).error_fields(), vec!["as_of"]);
    let other = app.get(&w.tokens.other_district_admin, &checks(String::new())).await;
    assert_eq!(other.status, 404, "another district's semester does not exist");
    // With no rules adopted there is nothing to report, for anyone in reach.
    for token in [&w.tokens.teacher_a, &w.tokens.leader_a, &w.tokens.admin_a, &w.tokens.district_admin] {
        let empty = app.get(token, &checks(String::new())).await.expect(200);
        assert_eq!(empty.body["summary"], json!({"met": 0, "short": 0, "at_risk": 0, "on_track": 0, "total": 0}));
    }
    // Simulation is for those who adopt rules.
    let draft = json!({"semester_id": w.semester, "school_id": w.school_a, "rules": [{"template_id": "observations-monthly-4"}]});
    assert_eq!(app.post(&w.tokens.teacher_a, "/api/v1/quota-checks/simulate", draft).await.status, 403);
    let invalid = json!({"semester_id": w.semester, "school_id": w.school_a,
        "rules": [{"template_id": "observations-monthly-4"}, {"template_id": "observations-monthly-4", "min": -2}]});
    let refused = app.post(&w.tokens.admin_a, "/api/v1/quota-checks/simulate", invalid).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["rules[1].min"]);
    let misspelt = json!({"semester_id": w.semester, "school_id": w.school_a,
        "rules": [{"template_id": "observations-monthly-4", "metric": {"same_subjects": true}}]});
    let refused = app.post(&w.tokens.admin_a, "/api/v1/quota-checks/simulate", misspelt).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["rules[0].metric.same_subjects"]);
}

on_both_backends!(
    a_rule_is_a_template_with_overrides_or_written_whole,
    invalid_rules_are_refused_naming_the_field,
    checks_are_private_to_their_subject_and_administrators
);
