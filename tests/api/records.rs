//! Research records (反思, 教案, 论文, 课题, 获奖 ...) and the dated tasks they answer: word counts
//! that match a hand count, the rules of each kind, "过时不候" (late is flagged, never hidden), the
//! submissions report, co-authors, filters, and scope (no one reads another school's records or
//! changes another teacher's).

use chrono::Utc;
use entities::enums::{ActivityStatus, ActivityType, LessonKind, OrganiserKind};
use entities::{activity, observation};
use jiaoyan_tests::fixtures::{activity_row, date, new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::Value;

/// 50 characters: 45 Chinese characters and 5 full-width marks (，、、，。), each one 字.
const FIFTY: &str =
    "本学期我校语文组围绕低年级识字教学开展了校本教研活动，老师们集体备课、互相听课、认真评课，收获很多。";

async fn create_record(app: &TestApp, token: &str, body: Value) -> Value {
    app.post(token, "/api/v1/records", body).await.expect(201).body
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

/// An activity of school A, straight into the database (activities are another module's).
async fn school_activity(app: &TestApp, w: &World, school_id: i64) -> i64 {
    activity::ActiveModel {
        school_id: Set(Some(school_id)),
        organiser_kind: Set(OrganiserKind::School),
        activity_type: Set(ActivityType::LessonStudy),
        title: Set("识字教学课例研讨".into()),
        date: Set(Some(date(2026, 10, 15))),
        status: Set(ActivityStatus::Held),
        ..activity_row(w.district, w.semester)
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

/// An observation by `observer` of school `school_id`, straight into the database.
async fn observation_by(app: &TestApp, w: &World, observer: i64, school_id: i64) -> i64 {
    let at = Utc::now();
    observation::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        semester_id: Set(Some(w.semester)),
        observer_teacher_id: Set(observer),
        observer_school_id: Set(school_id),
        observed_teacher_id: Set(None),
        observed_school_id: Set(None),
        observed_name: Set(Some("外校老师".into())),
        observed_on: Set(date(2026, 10, 12)),
        period: Set(None),
        subject: Set("语文".into()),
        grade: Set(Some(2)),
        class_name: Set(None),
        lesson_kind: Set(LessonKind::Open),
        lesson_title: Set(None),
        activity_id: Set(None),
        rubric_id: Set(None),
        scores: Set(None),
        total_score: Set(None),
        strengths: Set(json!([])),
        weaknesses: Set(json!([])),
        suggestions: Set(json!([])),
        strengths_count: Set(0),
        weaknesses_count: Set(0),
        suggestions_count: Set(0),
        critique_given: Set(false),
        critique: Set(None),
        notes: Set(None),
        created_by_user_id: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn word_counts_match_a_hand_count(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    // Seed 002's "字数不少于500字": a 500-character paper counts 500.
    let paper = FIFTY.repeat(10);
    assert_eq!(paper.chars().count(), 500);
    let created = app
        .post(
            t,
            "/api/v1/records",
            json!({"kind": "paper", "title": "低年级识字教学初探", "body": paper, "written_on": "2026-10-20"}),
        )
        .await
        .expect(201);
    let rid = id(&created.body);
    assert_eq!(created.headers["location"], format!("/api/v1/records/{rid}").as_str());
    assert_eq!(created.body["word_count"], 500);
    assert_eq!(created.body["author_teacher_id"], w.teacher_a);
    assert_eq!(created.body["school_id"], w.school_a);
    assert_eq!(created.body["semester_id"], w.semester, "derived from written_on");
    assert_eq!(created.body["late"], false);
    assert_eq!(created.body["due_on"], Value::Null);

    // Mixed text, counted by hand: 用(1) PPT(1) 上了(2) 2026(1) 年的第(3) 1(1) 课(1) ，(1)
    // 效果很好(4) 。(1) = 16; the spaces and the line break count nothing.
    let mixed = "用PPT上了2026年的第1课，\n效果 很好。";
    let patched = app.patch(t, &format!("/api/v1/records/{rid}"), json!({"body": mixed})).await.expect(200);
    assert_eq!(patched.body["word_count"], 16, "a new body recomputes the count");
    assert_eq!(patched.body["body"], mixed);

    // A count given with a body would contradict it.
    let both =
        app.patch(t, &format!("/api/v1/records/{rid}"), json!({"body": "反思", "word_count": 2})).await.expect(422);
    assert_eq!(both.error_fields(), vec!["word_count"]);
    let against_stored = app.patch(t, &format!("/api/v1/records/{rid}"), json!({"word_count": 3000})).await.expect(422);
    assert_eq!(against_stored.error_fields(), vec!["word_count"]);
    // Without a body (handed in on paper) the count may be given; clearing the body clears it.
    let cleared = app
        .patch(t, &format!("/api/v1/records/{rid}"), json!({"body": null, "attachment_url": "records/2026/识字.pdf"}))
        .await
        .expect(200);
    assert_eq!(cleared.body["word_count"], 0);
    let given = app.patch(t, &format!("/api/v1/records/{rid}"), json!({"word_count": 3000})).await.expect(200);
    assert_eq!(given.body["word_count"], 3000);
    let on_paper = create_record(
        &app,
        t,
        json!({"kind": "study_note", "title": "学习心得", "written_on": "2026-10-21", "word_count": 1200}),
    )
    .await;
    assert_eq!(on_paper["word_count"], 1200);
    let too_long = app
        .post(
            t,
            "/api/v1/records",
            json!({"kind": "essay", "title": "随笔", "body": "字".repeat(200_001), "written_on": "2026-10-21"}),
        )
        .await
        .expect(422);
    assert_eq!(too_long.error_fields(), vec!["body"]);
}

async fn each_kind_requires_and_refuses_its_own_fields(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    let post = |body: Value| app.post(t, "/api/v1/records", body);
    let base = |kind: &str| json!({"kind": kind, "title": "记录", "written_on": "2026-10-20"});
    let with = |kind: &str, extra: Value| {
        let mut b = base(kind);
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };

    assert_eq!(post(base("training")).await.expect(422).error_fields(), vec!["hours"]);
    assert_eq!(post(with("training", json!({"hours": 0}))).await.expect(422).error_fields(), vec!["hours"]);
    assert_eq!(post(with("training", json!({"hours": 1001}))).await.expect(422).error_fields(), vec!["hours"]);
    let training = post(with("training", json!({"hours": 12.5}))).await.expect(201);
    assert_eq!(training.body["hours"], 12.5);
    assert_eq!(post(base("lesson_plan")).await.expect(422).error_fields(), vec!["lesson_plan_form"]);
    post(with("lesson_plan", json!({"lesson_plan_form": "full"}))).await.expect(201);
    assert_eq!(
        post(with("reflection", json!({"lesson_plan_form": "brief"}))).await.expect(422).error_fields(),
        vec!["lesson_plan_form"]
    );
    assert_eq!(post(base("research_project")).await.expect(422).error_fields(), vec!["project_stage"]);
    post(with("research_project", json!({"project_stage": "approved", "project_level": "county"}))).await.expect(201);
    assert_eq!(
        post(with("paper", json!({"project_stage": "approved"}))).await.expect(422).error_fields(),
        vec!["project_stage"]
    );
    assert_eq!(
        post(with("award", json!({"award_level": "county"}))).await.expect(422).error_fields(),
        vec!["award_rank"]
    );
    assert_eq!(post(base("award")).await.expect(422).error_fields(), vec!["award_level", "award_rank"]);
    let award = post(with("award", json!({"award_level": "city", "award_rank": "first"}))).await.expect(201);
    assert_eq!(
        post(with("paper", json!({"award_level": "city", "award_rank": "first"}))).await.expect(422).error_fields(),
        vec!["award_level", "award_rank"]
    );
    assert_eq!(post(with("reflection", json!({"kind": "diary"}))).await.expect(422).error_fields(), vec!["kind"]);

    // Changing the kind: the fields must fit the new kind, in the same request.
    let aid = id(&award.body);
    let bad = app.patch(t, &format!("/api/v1/records/{aid}"), json!({"kind": "paper"})).await.expect(422);
    assert_eq!(bad.error_fields(), vec!["award_level", "award_rank"]);
    let ok = app
        .patch(t, &format!("/api/v1/records/{aid}"), json!({"kind": "paper", "award_level": null, "award_rank": null}))
        .await
        .expect(200);
    assert_eq!(ok.body["kind"], "paper");
    let tid = id(&training.body);
    let no_hours = app.patch(t, &format!("/api/v1/records/{tid}"), json!({"hours": null})).await.expect(422);
    assert_eq!(no_hours.error_fields(), vec!["hours"]);

    // Dates, titles, attachments.
    assert_eq!(
        post(with("essay", json!({"written_on": "2099-01-01"}))).await.expect(422).error_fields(),
        vec!["written_on"]
    );
    // The summer holidays lie in no semester: the essay is kept without one.
    let summer = post(with("essay", json!({"written_on": "2026-08-15"}))).await.expect(201);
    assert_eq!(summer.body["semester_id"], Value::Null, "no semester contains the day");
    let wrong_semester =
        post(with("essay", json!({"written_on": "2026-08-15", "semester_id": w.semester}))).await.expect(422);
    assert_eq!(wrong_semester.error_fields(), vec!["semester_id"]);
    let detail = wrong_semester.body["detail"].as_str().unwrap();
    assert!(detail.contains("2026-09-01 to 2027-01-22") && !detail.contains("give semester_id"), "{detail}");
    assert_eq!(post(with("essay", json!({"title": "  "}))).await.expect(422).error_fields(), vec!["title"]);
    assert_eq!(post(with("essay", json!({"title": "题".repeat(201)}))).await.expect(422).error_fields(), vec!["title"]);
    assert_eq!(
        post(with("courseware", json!({"attachment_url": "javascript:alert(1)"}))).await.expect(422).error_fields(),
        vec!["attachment_url"]
    );
    let linked =
        post(with("courseware", json!({"attachment_url": "https://pan.example.cn/s/识字课件"}))).await.expect(201);
    assert_eq!(linked.body["attachment_url"], "https://pan.example.cn/s/识字课件");
    assert_eq!(post(with("essay", json!({"late": true}))).await.expect(422).error_fields(), vec!["late"]);
}

async fn late_records_are_flagged_and_still_listed(app: TestApp) {
    let w = World::build(&app).await;
    let (admin, teacher) = (&w.tokens.admin_a, &w.tokens.teacher_a);
    let third = new_teacher(&app.db, w.school_a, "张老师").await;
    // "10月15日前上交教学反思" — set by school A's academic office, long past.
    let task = app
        .post(
            admin,
            "/api/v1/record-tasks",
            json!({"school_id": w.school_a, "semester_id": w.semester, "kind": "reflection",
                   "title": "上交教学反思", "due_on": "2026-10-15"}),
        )
        .await
        .expect(201);
    let task_id = id(&task.body);
    assert_eq!(task.body["district_id"], w.district);
    assert_eq!(task.headers["location"], format!("/api/v1/record-tasks/{task_id}").as_str());
    let teacher_made = app
        .post(
            teacher,
            "/api/v1/record-tasks",
            json!({"school_id": w.school_a, "semester_id": w.semester,
            "title": "x", "due_on": "2026-10-15"}),
        )
        .await
        .expect(403);
    assert_eq!(teacher_made.body["status"], 403);
    let outside = app
        .post(
            admin,
            "/api/v1/record-tasks",
            json!({"school_id": w.school_a, "semester_id": w.semester,
            "title": "x", "due_on": "2027-03-25"}),
        )
        .await
        .expect(422);
    assert_eq!(outside.error_fields(), vec!["due_on"]);

    // teacher_a hands in today: late, flagged and never hidden.
    let wrong_kind = app
        .post(
            teacher,
            "/api/v1/records",
            json!({"kind": "essay", "title": "随笔", "written_on": "2026-10-10", "task_id": task_id}),
        )
        .await
        .expect(422);
    assert_eq!(wrong_kind.error_fields(), vec!["kind"]);
    let late = create_record(
        &app,
        teacher,
        json!({"kind": "reflection", "title": "《秋天》教学反思", "body": FIFTY, "written_on": "2026-10-10", "task_id": task_id}),
    )
    .await;
    assert_eq!(late["late"], true);
    assert_eq!(late["due_on"], "2026-10-15");
    assert!(late["submitted_on"].as_str().unwrap() > "2026-10-15");
    let late_id = id(&late);
    let listed = app.get(teacher, "/api/v1/records?late=true").await.expect(200);
    assert_eq!(listed.ids(), vec![late_id]);
    assert_eq!(app.get(teacher, &format!("/api/v1/records?task_id={task_id}")).await.expect(200).ids(), vec![late_id]);
    // Editing later changes neither the submission day nor the flag.
    let edited = app
        .patch(teacher, &format!("/api/v1/records/{late_id}"), json!({"title": "《秋天》教后反思"}))
        .await
        .expect(200);
    assert_eq!(edited.body["late"], true);
    assert_eq!(edited.body["submitted_on"], late["submitted_on"]);
    let no_task_change =
        app.patch(teacher, &format!("/api/v1/records/{late_id}"), json!({"task_id": null})).await.expect(422);
    assert_eq!(no_task_change.error_fields(), vec!["task_id"]);

    // The academic office enters leader_a's paper record, handed in on 10月14日: on time.
    // Teachers may not back-date their own.
    let backdated = app
        .post(
            teacher,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-10",
            "task_id": task_id, "submitted_on": "2026-10-14"}),
        )
        .await
        .expect(403);
    assert_eq!(backdated.body["status"], 403);
    let on_time = create_record(
        &app,
        admin,
        json!({"author_teacher_id": w.leader_a, "kind": "reflection", "title": "教学反思（纸质）", "written_on": "2026-10-12",
               "task_id": task_id, "submitted_on": "2026-10-14", "word_count": 800}),
    )
    .await;
    assert_eq!(on_time["late"], false);
    assert_eq!(on_time["submitted_on"], "2026-10-14");
    let before_writing = app
        .post(
            admin,
            "/api/v1/records",
            json!({"author_teacher_id": w.leader_a, "kind": "reflection", "title": "反思",
            "written_on": "2026-10-12", "submitted_on": "2026-10-11"}),
        )
        .await
        .expect(422);
    assert_eq!(before_writing.error_fields(), vec!["submitted_on"]);
    assert_eq!(
        app.get(admin, "/api/v1/records?late=false&kind=reflection").await.expect(200).ids(),
        vec![id(&on_time)]
    );

    // The report: two asked teachers handed in (one late), the third has not.
    let report = app.get(admin, &format!("/api/v1/record-tasks/{task_id}/submissions")).await.expect(200).body;
    assert_eq!((report["asked"].as_u64(), report["on_time"].as_u64()), (Some(3), Some(1)));
    assert_eq!((report["late"].as_u64(), report["missing"].as_u64()), (Some(1), Some(1)));
    let status_of = |report: &Value, teacher: i64| {
        report["teachers"].as_array().unwrap().iter().find(|r| r["teacher_id"] == teacher).map(|r| r["status"].clone())
    };
    assert_eq!(status_of(&report, w.teacher_a), Some(json!("late")));
    assert_eq!(status_of(&report, w.leader_a), Some(json!("on_time")));
    assert_eq!(status_of(&report, third), Some(json!("missing")));
    let missing =
        app.get(admin, &format!("/api/v1/record-tasks/{task_id}/submissions?status=missing")).await.expect(200);
    assert_eq!(missing.body["teachers"].as_array().unwrap().len(), 1);
    assert_eq!(missing.body["teachers"][0]["teacher_id"], third);
    assert_eq!(missing.body["missing"], 1);

    // Extending the deadline re-derives the flag of what was handed in.
    let moved =
        app.patch(admin, &format!("/api/v1/record-tasks/{task_id}"), json!({"due_on": "2027-01-20"})).await.expect(200);
    assert_eq!(moved.body["due_on"], "2027-01-20");
    let now_on_time = app.get(teacher, &format!("/api/v1/records/{late_id}")).await.expect(200);
    assert_eq!(
        (now_on_time.body["late"].clone(), now_on_time.body["due_on"].clone()),
        (json!(false), json!("2027-01-20"))
    );
    let kind_change =
        app.patch(admin, &format!("/api/v1/record-tasks/{task_id}"), json!({"kind": "paper"})).await.expect(409);
    assert_eq!(kind_change.error_fields(), vec!["kind"]);

    // Scope of tasks: school B sees nothing of A's task and cannot answer it.
    assert_eq!(app.get(&w.tokens.admin_b, &format!("/api/v1/record-tasks/{task_id}")).await.status, 404);
    assert_eq!(app.get(&w.tokens.teacher_b, &format!("/api/v1/record-tasks/{task_id}/submissions")).await.status, 404);
    assert_eq!(app.get(&w.tokens.teacher_b, "/api/v1/record-tasks").await.expect(200).body["total"], 0);
    let foreign = app
        .post(
            &w.tokens.teacher_b,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-10",
            "task_id": task_id}),
        )
        .await
        .expect(422);
    assert_eq!(foreign.error_fields(), vec!["task_id"]);
    assert_eq!(
        app.patch(&w.tokens.admin_b, &format!("/api/v1/record-tasks/{task_id}"), json!({"title": "x"})).await.status,
        404
    );
    assert_eq!(app.patch(teacher, &format!("/api/v1/record-tasks/{task_id}"), json!({"title": "x"})).await.status, 403);
    assert_eq!(
        app.get(teacher, &format!("/api/v1/record-tasks?teacher_id={}", w.teacher_a)).await.expect(200).ids(),
        vec![task_id]
    );
    app.delete(admin, &format!("/api/v1/record-tasks/{task_id}")).await.expect(204);
    app.delete(admin, &format!("/api/v1/record-tasks/{task_id}")).await.expect(204);
    assert_eq!(app.get(admin, "/api/v1/record-tasks").await.expect(200).body["total"], 0);
    let archived_task = app
        .post(
            teacher,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-10",
            "task_id": task_id}),
        )
        .await
        .expect(422);
    assert_eq!(archived_task.error_fields(), vec!["task_id"]);
}

async fn group_and_district_tasks_ask_their_members(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    let outsider = new_teacher(&app.db, w.school_a, "不在组里的老师").await;
    // The group leader asks the 语文 group for reading notes.
    let task = app
        .post(
            leader,
            "/api/v1/record-tasks",
            json!({"group_id": w.group_a, "semester_id": w.semester,
            "kind": "reading_note", "title": "读书笔记", "due_on": "2026-11-01"}),
        )
        .await
        .expect(201);
    let task_id = id(&task.body);
    assert_eq!((task.body["school_id"].as_i64(), task.body["group_id"].as_i64()), (Some(w.school_a), Some(w.group_a)));
    let by_teacher = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/record-tasks",
            json!({"group_id": w.group_a, "semester_id": w.semester,
            "title": "x", "due_on": "2026-11-01"}),
        )
        .await
        .expect(403);
    assert_eq!(by_teacher.body["status"], 403);
    let foreign_group = app
        .post(
            leader,
            "/api/v1/record-tasks",
            json!({"group_id": w.group_b, "semester_id": w.semester,
            "title": "x", "due_on": "2026-11-01"}),
        )
        .await
        .expect(422);
    assert_eq!(foreign_group.error_fields(), vec!["group_id"]);
    let report = app.get(leader, &format!("/api/v1/record-tasks/{task_id}/submissions")).await.expect(200).body;
    let listed: Vec<i64> =
        report["teachers"].as_array().unwrap().iter().map(|r| r["teacher_id"].as_i64().unwrap()).collect();
    assert_eq!(report["asked"], 2);
    assert!(listed.contains(&w.teacher_a) && listed.contains(&w.leader_a) && !listed.contains(&outsider));
    // A teacher outside the group was not asked.
    let not_asked = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/records",
            json!({"author_teacher_id": outsider, "kind": "reading_note",
            "title": "读书笔记", "written_on": "2026-10-20", "task_id": task_id}),
        )
        .await
        .expect(422);
    assert_eq!(not_asked.error_fields(), vec!["task_id"]);

    // The district office asks every teacher of the district; a school sees only its own.
    let district_task = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/record-tasks",
            json!({"semester_id": w.semester, "kind": "paper",
            "title": "教学论文评选", "due_on": "2026-12-20"}),
        )
        .await
        .expect(201);
    let dt = id(&district_task.body);
    assert_eq!(district_task.body["school_id"], Value::Null);
    assert_eq!(
        app.post(
            &w.tokens.admin_a,
            "/api/v1/record-tasks",
            json!({"semester_id": w.semester,
        "title": "x", "due_on": "2026-12-20"})
        )
        .await
        .status,
        403
    );
    let whole = app.get(&w.tokens.district_admin, &format!("/api/v1/record-tasks/{dt}/submissions")).await.expect(200);
    assert_eq!(whole.body["asked"], 4, "teacher_a, leader_a, the outsider and teacher_b");
    let school_view = app.get(&w.tokens.admin_b, &format!("/api/v1/record-tasks/{dt}/submissions")).await.expect(200);
    assert_eq!(school_view.body["asked"], 1);
    assert_eq!(school_view.body["teachers"][0]["teacher_id"], w.teacher_b);
    assert_eq!(app.get(&w.tokens.other_district_admin, &format!("/api/v1/record-tasks/{dt}")).await.status, 404);
    create_record(
        &app,
        &w.tokens.teacher_b,
        json!({"kind": "paper", "title": "论文", "body": FIFTY, "written_on": "2026-11-20", "task_id": dt}),
    )
    .await;
    let after = app.get(&w.tokens.district_admin, &format!("/api/v1/record-tasks/{dt}/submissions")).await.expect(200);
    assert_eq!((after.body["on_time"].as_u64(), after.body["missing"].as_u64()), (Some(1), Some(3)));
}

async fn records_stay_inside_their_school_and_with_their_author(app: TestApp) {
    let w = World::build(&app).await;
    let tk = &w.tokens;
    let mine = create_record(
        &app,
        &tk.teacher_a,
        json!({"kind": "reflection", "title": "教学反思", "written_on": "2026-10-20"}),
    )
    .await;
    let path = format!("/api/v1/records/{}", id(&mine));
    for token in [&tk.teacher_b, &tk.admin_b, &tk.other_district_admin] {
        assert_eq!(app.get(token, &path).await.status, 404);
        assert_eq!(app.patch(token, &path, json!({"title": "改"})).await.status, 404);
        assert_eq!(app.delete(token, &path).await.status, 404);
        assert_eq!(app.get(token, "/api/v1/records").await.expect(200).body["total"], 0);
    }
    // Colleagues of the school read it; the district office too.
    app.get(&tk.leader_a, &path).await.expect(200);
    app.get(&tk.district_admin, &path).await.expect(200);

    // teacher_a writes only as themselves; leader_a's record is not theirs to change.
    let as_leader = app
        .post(
            &tk.teacher_a,
            "/api/v1/records",
            json!({"author_teacher_id": w.leader_a, "kind": "essay", "title": "随笔",
            "written_on": "2026-10-20"}),
        )
        .await
        .expect(403);
    assert_eq!(as_leader.body["status"], 403);
    let leaders =
        create_record(&app, &tk.leader_a, json!({"kind": "essay", "title": "随笔", "written_on": "2026-10-20"})).await;
    let leaders_path = format!("/api/v1/records/{}", id(&leaders));
    assert_eq!(app.patch(&tk.teacher_a, &leaders_path, json!({"title": "改"})).await.status, 403);
    assert_eq!(app.delete(&tk.teacher_a, &leaders_path).await.status, 403);
    assert_eq!(app.patch(&tk.leader_a, &path, json!({"title": "改"})).await.status, 403);
    // The school's administrator enters and corrects records of the school's teachers.
    let fixed = app.patch(&tk.admin_a, &leaders_path, json!({"title": "教育随笔"})).await.expect(200);
    assert_eq!(fixed.body["title"], "教育随笔");
    let for_leader = create_record(
        &app,
        &tk.admin_a,
        json!({"author_teacher_id": w.leader_a, "kind": "essay", "title": "随笔二", "written_on": "2026-10-21"}),
    )
    .await;
    assert_eq!(for_leader["author_teacher_id"], w.leader_a);
    // Another school's teacher does not exist for admin_a; the district office writes for both.
    let foreign = app
        .post(
            &tk.admin_a,
            "/api/v1/records",
            json!({"author_teacher_id": w.teacher_b, "kind": "essay", "title": "随笔",
            "written_on": "2026-10-20"}),
        )
        .await
        .expect(422);
    assert_eq!(foreign.error_fields(), vec!["author_teacher_id"]);
    let by_district = create_record(
        &app,
        &tk.district_admin,
        json!({"author_teacher_id": w.teacher_b, "kind": "essay", "title": "随笔", "written_on": "2026-10-20"}),
    )
    .await;
    assert_eq!(by_district["school_id"], w.school_b);
    let no_teacher = app
        .post(&tk.admin_a, "/api/v1/records", json!({"kind": "essay", "title": "随笔", "written_on": "2026-10-20"}))
        .await
        .expect(422);
    assert_eq!(no_teacher.error_fields(), vec!["author_teacher_id"]);

    // Archiving: idempotent, out of lists, still readable by id.
    app.delete(&tk.teacher_a, &path).await.expect(204);
    app.delete(&tk.teacher_a, &path).await.expect(204);
    let listed =
        app.get(&tk.teacher_a, &format!("/api/v1/records?author_teacher_id={}", w.teacher_a)).await.expect(200);
    assert_eq!(listed.body["total"], 0);
    let with_archived = app
        .get(&tk.teacher_a, &format!("/api/v1/records?author_teacher_id={}&include_archived=true", w.teacher_a))
        .await
        .expect(200);
    assert_eq!(with_archived.ids(), vec![id(&mine)]);
    assert!(app.get(&tk.teacher_a, &path).await.expect(200).body["archived_at"].is_string());
}

async fn co_authors_links_and_filters(app: TestApp) {
    let w = World::build(&app).await;
    let (leader, teacher) = (&w.tokens.leader_a, &w.tokens.teacher_a);
    // A county-level research project led by leader_a, with teacher_a as a member.
    let project = create_record(
        &app,
        leader,
        json!({"kind": "research_project", "title": "低年级识字写字教学的有效性研究", "written_on": "2026-09-20",
               "project_level": "county", "project_stage": "approved", "coauthor_teacher_ids": [w.teacher_a, w.teacher_a]}),
    )
    .await;
    assert_eq!(project["coauthor_teacher_ids"], json!([w.teacher_a]));
    let pid = id(&project);
    let self_coauthor = app
        .post(
            leader,
            "/api/v1/records",
            json!({"kind": "paper", "title": "论文", "written_on": "2026-10-20",
            "coauthor_teacher_ids": [w.teacher_a, w.leader_a]}),
        )
        .await
        .expect(422);
    assert_eq!(self_coauthor.error_fields(), vec!["coauthor_teacher_ids[1]"]);
    let foreign = app
        .post(
            leader,
            "/api/v1/records",
            json!({"kind": "paper", "title": "论文", "written_on": "2026-10-20",
            "coauthor_teacher_ids": [w.teacher_b]}),
        )
        .await
        .expect(422);
    assert_eq!(foreign.error_fields(), vec!["coauthor_teacher_ids[0]"]);
    // A co-author reads but does not change it.
    assert_eq!(app.patch(teacher, &format!("/api/v1/records/{pid}"), json!({"title": "x"})).await.status, 403);

    let paper = create_record(
        &app,
        teacher,
        json!({"kind": "paper", "title": "识字教学的几点思考", "body": FIFTY.repeat(3), "written_on": "2026-10-05"}),
    )
    .await;
    let note = create_record(
        &app,
        teacher,
        json!({"kind": "reading_note", "title": "《给教师的建议》读书笔记", "body": FIFTY, "written_on": "2026-11-02"}),
    )
    .await;
    let (paper_id, note_id) = (id(&paper), id(&note));
    let (app_ref, admin) = (&app, &w.tokens.admin_a);
    let ids =
        move |q: String| async move { app_ref.get(admin, &format!("/api/v1/records?{q}")).await.expect(200).ids() };
    assert_eq!(ids(format!("teacher_id={}", w.teacher_a)).await, vec![pid, paper_id, note_id]);
    assert_eq!(ids(format!("author_teacher_id={}", w.teacher_a)).await, vec![paper_id, note_id]);
    assert_eq!(ids("kind=paper,research_project".into()).await, vec![pid, paper_id]);
    assert_eq!(ids("date_from=2026-10-01&date_to=2026-10-31".into()).await, vec![paper_id]);
    assert_eq!(ids("min_words=100".into()).await, vec![paper_id]);
    assert_eq!(ids("q=读书".into()).await, vec![note_id]);
    assert_eq!(ids("sort=-word_count".into()).await, vec![paper_id, note_id, pid]);
    assert_eq!(ids("sort=written_on".into()).await, vec![pid, paper_id, note_id]);
    assert_eq!(ids(format!("school_id={}&semester_id={}", w.school_a, w.semester)).await.len(), 3);
    let bad_kind = app.get(teacher, "/api/v1/records?kind=paper,diary").await.expect(422);
    assert_eq!(bad_kind.error_fields(), vec!["kind"]);
    let bad_sort = app.get(teacher, "/api/v1/records?sort=title").await.expect(422);
    assert_eq!(bad_sort.error_fields(), vec!["sort"]);

    // Replacing the co-authors.
    let emptied =
        app.patch(leader, &format!("/api/v1/records/{pid}"), json!({"coauthor_teacher_ids": []})).await.expect(200);
    assert_eq!(emptied.body["coauthor_teacher_ids"], json!([]));
    assert_eq!(ids(format!("teacher_id={}", w.teacher_a)).await, vec![paper_id, note_id]);

    // Links to an activity and an observation the caller sees; another school's are "no such".
    let ours = school_activity(&app, &w, w.school_a).await;
    let theirs = school_activity(&app, &w, w.school_b).await;
    let seen = observation_by(&app, &w, w.teacher_a, w.school_a).await;
    let unseen = observation_by(&app, &w, w.teacher_b, w.school_b).await;
    let linked = create_record(
        &app,
        teacher,
        json!({"kind": "reflection", "title": "课例研讨后的反思", "written_on": "2026-10-16", "activity_id": ours,
               "observation_id": seen}),
    )
    .await;
    assert_eq!((linked["activity_id"].as_i64(), linked["observation_id"].as_i64()), (Some(ours), Some(seen)));
    let bad = app
        .post(
            teacher,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-16",
            "activity_id": theirs, "observation_id": unseen}),
        )
        .await
        .expect(422);
    assert_eq!(bad.error_fields(), vec!["activity_id", "observation_id"]);
    let unlinked =
        app.patch(teacher, &format!("/api/v1/records/{}", id(&linked)), json!({"activity_id": null})).await.expect(200);
    assert_eq!(unlinked.body["activity_id"], Value::Null);
}

on_both_backends!(
    word_counts_match_a_hand_count,
    each_kind_requires_and_refuses_its_own_fields,
    late_records_are_flagged_and_still_listed,
    group_and_district_tasks_ask_their_members,
    records_stay_inside_their_school_and_with_their_author,
    co_authors_links_and_filters,
);
