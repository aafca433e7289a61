//! What a hot read costs in database statements (docs/PERFORMANCE.md, "Reads"), counted
//! by the service itself (`count_statements`: every answer says how many statements it ran), so
//! that a change that adds a round trip fails here, however its SQL is written.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Backend, Resp, TestApp};

on_both_backends!(
    a_teacher_read_costs_two_statements_on,
    a_page_of_teachers_costs_four_statements_whatever_its_size_on,
    observations_and_records_read_their_version_with_the_resource_on,
    the_cheap_reload_still_sees_a_changed_or_removed_account_at_once,
);

async fn counting(app: TestApp) -> TestApp {
    let backend: Backend = app.backend;
    drop(app);
    TestApp::spawn_with(backend, |s| s.count_statements = true).await
}

fn statements(resp: &Resp) -> u32 {
    resp.header("x-statement-count").parse().unwrap_or_else(|_| panic!("no statement count: {:?}", resp.headers))
}

async fn a_teacher_read_costs_two_statements_on(app: TestApp) {
    let app = counting(app).await;
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let path = format!("/api/v1/teachers/{}", w.teacher_a);
    app.patch(
        admin,
        &path,
        json!({"subjects": ["语文", "数学", "书法"], "grades": [4, 3], "posts": ["research_group_leader", "principal"],
               "honours": [{"title": "backbone_teacher", "level": "county", "year": 2021},
                           {"title": "subject_leader", "level": "city", "year": 2024}]}),
    )
    .await
    .expect(200);

    // The actor's reload, and the teacher with their school, lists and version in one.
    let read = app.get(admin, &path).await.expect(200);
    assert_eq!(statements(&read), 2, "GET /teachers/{{id}}");
    let mut subjects: Vec<String> = serde_json::from_value(read.body["subjects"].clone()).unwrap();
    let given = subjects.clone();
    subjects.sort();
    assert_eq!(given, subjects, "subjects come sorted");
    assert_eq!(read.body["grades"], json!([3, 4]));
    assert_eq!(read.body["posts"], json!(["principal", "research_group_leader"]), "declaration order");
    assert_eq!(read.body["honours"][0]["year"], 2024, "most recent honour first");
    assert_eq!(read.body["honours"].as_array().map(Vec::len), Some(2));

    // The tag comes from the same statement, and still turns into a 304 after the scope check.
    let tag = read.header("etag");
    assert!(tag.len() > 2, "a read carries its tag");
    let cached = app.call_with("GET", &path, Some(admin), None, &[("If-None-Match", tag.as_str())]).await;
    assert_eq!((cached.status, statements(&cached)), (304, 2));
    let elsewhere =
        app.call_with("GET", &path, Some(&w.tokens.admin_b), None, &[("If-None-Match", tag.as_str())]).await;
    assert_eq!(elsewhere.status, 404, "another school's administrator learns nothing, not even a 304");

    // A teacher without lists reads as empty lists, at the same cost.
    let bare = app.get(admin, &format!("/api/v1/teachers/{}", w.leader_a)).await.expect(200);
    assert_eq!(statements(&bare), 2);
    for list in ["subjects", "grades", "posts", "honours"] {
        assert!(bare.body[list].is_array(), "{list}: {}", bare.body);
    }
}

async fn a_page_of_teachers_costs_four_statements_whatever_its_size_on(app: TestApp) {
    let app = counting(app).await;
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    for i in 0..40 {
        app.post(
            admin,
            "/api/v1/teachers",
            json!({"school_id": w.school_a, "name": format!("教师{i}"), "subjects": ["语文", format!("科目{i}")],
                   "grades": [1 + i % 6], "posts": ["research_group_leader"],
                   "honours": [{"title": "backbone_teacher", "level": "county", "year": 2020 + i % 5}]}),
        )
        .await
        .expect(201);
    }
    // The actor, the count, the page, and the lists of the whole page.
    let list = format!("/api/v1/teachers?school_id={}&limit=50", w.school_a);
    let page = app.get(admin, &list).await.expect(200);
    assert!(page.ids().len() > 40, "{}", page.body);
    assert_eq!(statements(&page), 4, "a page of {} teachers", page.ids().len());
    let small = app.get(admin, &format!("/api/v1/teachers?school_id={}&limit=2", w.school_a)).await.expect(200);
    assert_eq!(statements(&small), 4, "a page of two");

    // Every teacher on the page has their own lists.
    for item in page.body["items"].as_array().unwrap() {
        let one = app.get(admin, &format!("/api/v1/teachers/{}", item["id"])).await.expect(200);
        for list in ["subjects", "grades", "posts", "honours"] {
            assert_eq!(item[list], one.body[list], "{list} of teacher {}", item["id"]);
        }
    }
}

async fn observations_and_records_read_their_version_with_the_resource_on(app: TestApp) {
    let app = counting(app).await;
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    let observation = app
        .post(
            t,
            "/api/v1/observations",
            json!({"observed_teacher_id": w.leader_a, "observed_on": "2026-10-15", "subject": "语文",
                   "lesson_kind": "ordinary"}),
        )
        .await
        .expect(201);
    let record = app
        .post(t, "/api/v1/records", json!({"kind": "essay", "title": "随笔", "written_on": "2026-10-20"}))
        .await
        .expect(201);
    // The actor; the resource with its version; the observed teacher's school (scope) or the
    // record's co-authors. No separate change-log query for the tag.
    for (path, cost) in [
        (format!("/api/v1/observations/{}", observation.body["id"]), 3),
        (format!("/api/v1/records/{}", record.body["id"]), 3),
    ] {
        let read = app.get(t, &path).await.expect(200);
        assert_eq!(statements(&read), cost, "GET {path}");
        let tag = read.header("etag");
        assert!(tag.len() > 2, "GET {path} carries its tag");
        let cached = app.call_with("GET", &path, Some(t), None, &[("If-None-Match", tag.as_str())]).await;
        assert_eq!(cached.status, 304, "{path}");
        let other = &w.tokens.teacher_b;
        let elsewhere = app.call_with("GET", &path, Some(other), None, &[("If-None-Match", tag.as_str())]).await;
        assert_eq!(elsewhere.status, 404, "{path} from another school");
    }
}

/// The caller's reload reads only a live account's six columns; a role change and an archived
/// account still take effect with the very next request.
async fn the_cheap_reload_still_sees_a_changed_or_removed_account_at_once(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let me = app.get(admin, "/api/v1/me").await.expect(200);
    let user = format!("/api/v1/users/{}", me.body["id"]);
    let teacher = format!("/api/v1/teachers/{}", w.teacher_a);
    app.patch(admin, &teacher, json!({"name": "王芳"})).await.expect(200);

    app.patch(&w.tokens.district_admin, &user, json!({"role": "group_leader", "teacher_id": w.leader_a}))
        .await
        .expect(200);
    assert_eq!(app.patch(admin, &teacher, json!({"name": "王芳芳"})).await.status, 403, "no longer an administrator");
    app.get(admin, &teacher).await.expect(200);

    app.call("DELETE", &user, Some(&w.tokens.district_admin), None).await.expect(204);
    assert_eq!(app.get(admin, &teacher).await.status, 401, "an archived account is refused");
}
