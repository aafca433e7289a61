//! Work done between semesters (docs/API-DESIGN.md, "Work between semesters"): a reading note
//! written in the winter holiday and an observation at a holiday visit are kept without a semester;
//! they count for school-year rules and date ranges, not for semester rules, and `explain` says so.
//! Without `semester_id`, the checks and reports take the semester containing `as_of`.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, TestApp};
use serde_json::Value;

const CHECKS: &str = "/api/v1/quota-checks";

/// The school year 2025-2026 of the fixture's district: autumn 2025 (1 September to 16 January)
/// and spring 2026 (24 February to 3 July); the winter holiday lies between them, in the past.
struct Year {
    autumn: i64,
    spring: i64,
}

async fn school_year(app: &TestApp, w: &World) -> Year {
    let t = &w.tokens.district_admin;
    let mut ids = vec![];
    for (name, start, end) in
        [("2025年秋季学期", "2025-09-01", "2026-01-16"), ("2026年春季学期", "2026-02-24", "2026-07-03")]
    {
        let body = json!({"district_id": w.district, "name": name, "school_year": "2025-2026",
            "start_date": start, "end_date": end});
        ids.push(app.post(t, "/api/v1/semesters", body).await.expect(201).body["id"].as_i64().unwrap());
    }
    Year { autumn: ids[0], spring: ids[1] }
}

/// 50 字 (45 Chinese characters and 5 full-width marks).
const FIFTY: &str =
    "本学期我校语文组围绕低年级识字教学开展了校本教研活动，老师们集体备课、互相听课、认真评课，收获很多。";

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

async fn a_winter_holiday_note_is_kept_without_a_semester(app: TestApp) {
    let w = World::build(&app).await;
    let year = school_year(&app, &w).await;
    let t = &w.tokens.teacher_a;
    let note = json!({"kind": "reading_note", "title": "寒假读《给教师的建议》", "body": FIFTY.repeat(10),
        "written_on": "2026-02-02"});
    let created = app.post(t, "/api/v1/records", note).await.expect(201).body;
    assert_eq!(created["semester_id"], Value::Null);
    assert_eq!(created["word_count"], 500);
    let rid = id(&created);

    // Date ranges find it; the semesters' lists do not hold it.
    let list = |q: String| {
        let app = &app;
        async move { app.get(t, &format!("/api/v1/records?{q}")).await.expect(200).ids() }
    };
    assert_eq!(list("date_from=2026-01-17&date_to=2026-02-23".into()).await, vec![rid]);
    assert_eq!(list(format!("semester_id={}", year.spring)).await, Vec::<i64>::new());
    assert_eq!(list(format!("semester_id={}", year.autumn)).await, Vec::<i64>::new());

    // Moved into the spring semester it takes it; moved back, it has none again.
    let path = format!("/api/v1/records/{rid}");
    let moved = app.patch(t, &path, json!({"written_on": "2026-03-02"})).await.expect(200);
    assert_eq!(moved.body["semester_id"], year.spring);
    let back = app.patch(t, &path, json!({"written_on": "2026-02-03"})).await.expect(200);
    assert_eq!(back.body["semester_id"], Value::Null);
    // A semester given must contain the day; the problem names it and its dates.
    let wrong = app.patch(t, &path, json!({"semester_id": year.spring})).await.expect(422);
    assert_eq!(wrong.error_fields(), vec!["semester_id"]);
    assert!(wrong.body["detail"].as_str().unwrap().contains("2026-02-24 to 2026-07-03"), "{}", wrong.body);

    // An observation at a holiday visit is kept the same way.
    let observed = json!({"observed_teacher_id": w.leader_a, "observed_on": "2026-02-05", "subject": "语文",
        "lesson_kind": "ordinary"});
    let observation = app.post(t, "/api/v1/observations", observed).await.expect(201).body;
    assert_eq!(observation["semester_id"], Value::Null);
    let of_spring = app.get(t, &format!("/api/v1/observations?semester_id={}", year.spring)).await.expect(200);
    assert_eq!(of_spring.body["total"], 0);
}

/// The result of `rule` in a page of checks.
fn result_of(page: &Value, rule: i64) -> Value {
    let items = page["items"].as_array().unwrap();
    items.iter().find(|i| i["rule"]["id"] == rule).cloned().unwrap_or_else(|| panic!("rule {rule} in {page}"))
}

async fn holiday_work_counts_for_school_year_rules_only(app: TestApp) {
    let w = World::build(&app).await;
    let year = school_year(&app, &w).await;
    let admin = &w.tokens.district_admin;
    let rule = |body: Value| {
        let app = &app;
        async move { app.post(admin, "/api/v1/quota-rules", body).await.expect(201).body["id"].as_i64().unwrap() }
    };
    let whole = |name: &str, metric: Value, period: &str, min: f64| {
        json!({"district_id": w.district, "name": name, "subject_type": "teacher", "metric": metric,
            "period": period, "min": min, "severity": "required"})
    };
    // 一学年读书笔记5000字, beside seed 003's 每学期 5000字; and observations per year and semester.
    let words_year = rule(whole(
        "一学年读书笔记5000字",
        json!({"kind": "record_words", "kinds": ["reading_note"]}),
        "school_year",
        5000.0,
    ))
    .await;
    let words_semester =
        rule(json!({"district_id": w.district, "template_id": "reading-and-study-words-semester-5000"})).await;
    let observations_year = rule(whole("一学年听课30节", json!({"kind": "observations"}), "school_year", 30.0)).await;
    let observations_semester = rule(whole("每学期听课15节", json!({"kind": "observations"}), "semester", 15.0)).await;

    // 王老师 writes 500字 in the winter holiday and 50字 in spring, and observes once in each.
    let t = &w.tokens.teacher_a;
    for (day, body) in [("2026-02-02", FIFTY.repeat(10)), ("2026-03-10", FIFTY.to_string())] {
        let note = json!({"kind": "reading_note", "title": "读书笔记", "body": body, "written_on": day});
        app.post(t, "/api/v1/records", note).await.expect(201);
        let observed = json!({"observed_teacher_id": w.leader_a, "observed_on": day, "subject": "语文", "lesson_kind": "ordinary"});
        app.post(t, "/api/v1/observations", observed).await.expect(201);
    }

    let checks = |semester: i64| {
        let app = &app;
        let path = format!("{CHECKS}?semester_id={semester}&as_of=2026-07-03&teacher_id={}", w.teacher_a);
        async move { app.get(t, &path).await.expect(200).body }
    };
    let spring = checks(year.spring).await;
    assert_eq!(result_of(&spring, words_year)["actual"], 550.0, "the holiday's 500字 count for the year");
    assert_eq!(result_of(&spring, words_semester)["actual"], 50.0, "only spring's 50字 count for spring");
    assert_eq!(result_of(&spring, observations_year)["actual"], 2.0);
    assert_eq!(result_of(&spring, observations_semester)["actual"], 1.0);
    let autumn = checks(year.autumn).await;
    assert_eq!(result_of(&autumn, words_semester)["actual"], 0.0, "nor for autumn");
    assert_eq!(result_of(&autumn, words_year)["actual"], 550.0, "the year is the same from either semester");

    // explain lists the holiday note for the year's rule, and says which rules count such work.
    let explain = |rule: i64| {
        let app = &app;
        let path = format!(
            "{CHECKS}/explain?rule_id={rule}&subject_type=teacher&subject_id={}&semester_id={}&as_of=2026-07-03",
            w.teacher_a, year.spring
        );
        async move { app.get(t, &path).await.expect(200).body }
    };
    let for_year = explain(words_year).await;
    let dates: Vec<&str> =
        for_year["evidence"].as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert_eq!(dates, vec!["2026-02-02", "2026-03-10"]);
    let note = for_year["notes"][0].as_str().unwrap();
    assert!(
        note.contains("records dated in the holidays between two semesters") && note.contains("count for it"),
        "{note}"
    );
    let for_semester = explain(observations_semester).await;
    assert_eq!(for_semester["evidence"].as_array().unwrap().len(), 1, "the holiday visit lies outside the semester");
    let note = for_semester["notes"][0].as_str().unwrap();
    assert!(note.contains("observations dated outside every semester") && note.contains("do not count"), "{note}");
}

async fn without_a_semester_the_checks_take_the_one_containing_as_of(app: TestApp) {
    let w = World::build(&app).await;
    let year = school_year(&app, &w).await;
    let admin = &w.tokens.district_admin;
    let adopted = json!({"district_id": w.district, "template_id": "reading-note-semester-1"});
    let rule = app.post(admin, "/api/v1/quota-rules", adopted).await.expect(201).body["id"].as_i64().unwrap();
    let t = &w.tokens.teacher_a;

    for (as_of, semester) in [("2026-03-10", year.spring), ("2025-11-20", year.autumn), ("2026-11-20", w.semester)] {
        let page = app.get(t, &format!("{CHECKS}?as_of={as_of}")).await.expect(200).body;
        assert_eq!(page["semester_id"], semester, "as of {as_of}");
        assert_eq!(result_of(&page, rule)["subject"]["id"], w.teacher_a);
        let explained = app
            .get(
                t,
                &format!(
                    "{CHECKS}/explain?rule_id={rule}&subject_type=teacher&subject_id={}&as_of={as_of}",
                    w.teacher_a
                ),
            )
            .await
            .expect(200);
        assert_eq!(explained.body["result"]["periods"][0]["start"], page["items"][0]["periods"][0]["start"]);
        let report = app
            .get(admin, &format!("/api/v1/reports/compliance?as_of={as_of}&school_id={}", w.school_a))
            .await
            .expect(200);
        assert_eq!(report.body["semester_id"], semester);
        let group = app.get(admin, &format!("/api/v1/reports/groups/{}?as_of={as_of}", w.group_a)).await.expect(200);
        assert_eq!(group.body["semester_id"], semester);
    }

    // In the winter holiday no semester is meant: the problem says so, on `semester_id`.
    let holiday = app.get(t, &format!("{CHECKS}?as_of=2026-02-02")).await.expect(422);
    assert_eq!(holiday.error_fields(), vec!["semester_id"]);
    assert!(holiday.body["detail"].as_str().unwrap().contains("2026-02-02"), "{}", holiday.body);
    let report = app.get(admin, &format!("/api/v1/reports/groups/{}?as_of=2026-02-02", w.group_a)).await.expect(422);
    assert_eq!(report.error_fields(), vec!["semester_id"]);
    // An installation administrator has no district whose semester to take.
    let root = app.get(&w.tokens.root, &format!("{CHECKS}?as_of=2026-03-10")).await.expect(422);
    assert_eq!(root.error_fields(), vec!["semester_id"]);
    // Given, it is used as before.
    let given = app.get(t, &format!("{CHECKS}?semester_id={}&as_of=2026-02-02", year.autumn)).await.expect(200);
    assert_eq!(given.body["semester_id"], year.autumn);
}

on_both_backends!(
    a_winter_holiday_note_is_kept_without_a_semester,
    holiday_work_counts_for_school_year_rules_only,
    without_a_semester_the_checks_take_the_one_containing_as_of
);
