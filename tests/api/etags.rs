//! ETags and `If-Match` (optimistic concurrency: docs/API-DESIGN.md, "Change tracking, ETags and
//! If-Match"), on both databases.
//!
//! Every single-resource GET carries `ETag: "<change_version>"`; `If-None-Match` with it answers
//! 304. Every PATCH and DELETE of a tracked resource honours `If-Match`: a stale tag is a 412 and
//! nothing is written, the current one goes through and the answer carries the new tag. The
//! matrix fails when a PATCH or DELETE route of a tracked resource is missing from it. Writers
//! racing with the same tag: exactly one wins. A precondition never confirms that an object
//! outside the caller's scope exists.

use std::collections::BTreeSet;

use jiaoyan_tests::fixtures::{new_school, World};
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use serde_json::Value;

on_both_backends!(
    reads_carry_an_etag_and_if_none_match_answers_304,
    if_match_guards_every_patch_and_delete,
    a_precondition_never_confirms_an_object_out_of_scope,
    concurrent_writers_with_the_same_etag_cannot_both_win,
);

fn etag(resp: &Resp) -> String {
    let tag = resp.header("etag");
    assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() > 2, "not a strong ETag: {tag:?}");
    tag
}

async fn read(app: &TestApp, token: &str, path: &str) -> Resp {
    app.get(token, path).await.expect(200)
}

async fn reads_carry_an_etag_and_if_none_match_answers_304(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let path = format!("/api/v1/teachers/{}", w.teacher_a);
    let first = etag(&read(&app, admin, &path).await);
    assert_eq!(etag(&read(&app, admin, &path).await), first, "the tag is stable while nothing changes");

    let cached = app.call_with("GET", &path, Some(admin), None, &[("If-None-Match", first.as_str())]).await;
    assert_eq!(cached.status, 304);
    assert_eq!(cached.body, Value::Null, "a 304 has no body");
    assert_eq!(cached.header("etag"), first);

    // A change of one of the teacher's own lists is a change of the teacher.
    let changed = app.patch(admin, &path, json!({"subjects": ["语文", "书法"]})).await.expect(200);
    let second = etag(&changed);
    assert_ne!(second, first);
    assert_eq!(etag(&read(&app, admin, &path).await), second, "the PATCH answer carries the new tag");
    let stale = app.call_with("GET", &path, Some(admin), None, &[("If-None-Match", first.as_str())]).await;
    assert_eq!(stale.status, 200, "an old tag no longer matches");

    // Lists carry no tag; neither do sub-resources that are not resources of their own.
    let list = app.get(admin, "/api/v1/teachers").await.expect(200);
    assert_eq!(list.header("etag"), "");
}

/// One tracked resource: its GET/PATCH/DELETE path, a harmless valid change, and the route
/// templates as the OpenAPI document names them.
struct Target {
    template: &'static str,
    path: String,
    patch: Value,
}

fn target(template: &'static str, path: String, patch: Value) -> Target {
    Target { template, path, patch }
}

fn created(resp: Resp) -> i64 {
    resp.expect(201).body["id"].as_i64().unwrap()
}

/// A fresh object of every tracked type (so that each can be archived at the end).
async fn targets(app: &TestApp, w: &World) -> Vec<Target> {
    let (root, admin) = (&w.tokens.root, &w.tokens.district_admin);
    let (a, sem) = (w.school_a, w.semester);
    let district = created(app.post(root, "/api/v1/districts", json!({"name": "丙县"})).await);
    let zone = created(app.post(admin, "/api/v1/zones", json!({"district_id": w.district, "name": "西片"})).await);
    let school = created(
        app.post(admin, "/api/v1/schools", json!({"district_id": w.district, "name": "戊小学", "tier": "village"}))
            .await,
    );
    let partner = new_school(&app.db, w.district, None, "己小学").await;
    let pairing = created(
        app.post(
            admin,
            "/api/v1/school-pairings",
            json!({"mentor_school_id": a, "partner_school_id": partner, "kind": "outreach", "start_date": "2026-09-01"}),
        )
        .await,
    );
    let semester = created(
        app.post(
            admin,
            "/api/v1/semesters",
            json!({"district_id": w.district, "name": "2027年春季学期", "school_year": "2026-2027",
                   "start_date": "2027-02-22", "end_date": "2027-07-02"}),
        )
        .await,
    );
    let teacher = created(app.post(admin, "/api/v1/teachers", json!({"school_id": a, "name": "周老师"})).await);
    let user = created(
        app.post(
            admin,
            "/api/v1/users",
            json!({"username": "etag-office", "password": "Etag-Office-9#pine-wind", "role": "school_admin", "school_id": a}),
        )
        .await,
    );
    let group =
        created(app.post(admin, "/api/v1/groups", json!({"kind": "project", "school_id": a, "name": "课题组"})).await);
    let member =
        created(app.post(admin, &format!("/api/v1/groups/{group}/members"), json!({"teacher_id": w.teacher_a})).await);
    let slot = created(
        app.post(
            admin,
            &format!("/api/v1/groups/{group}/slots"),
            json!({"weekday": 3, "start_period": 6, "end_period": 6}),
        )
        .await,
    );
    let topic = created(
        app.post(
            admin,
            "/api/v1/research-topics",
            json!({"group_id": group, "semester_id": sem, "title": "整本书阅读"}),
        )
        .await,
    );
    let activity = created(
        app.post(
            admin,
            "/api/v1/activities",
            json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": sem,
                   "activity_type": "collective_prep", "title": "集体备课", "date": "2026-10-15"}),
        )
        .await,
    );
    let observation = created(
        app.post(
            admin,
            "/api/v1/observations",
            json!({"observer_teacher_id": w.teacher_a, "observed_teacher_id": w.leader_a, "observed_on": "2026-10-09",
                   "subject": "语文", "lesson_kind": "ordinary"}),
        )
        .await,
    );
    let rubric = created(
        app.post(
            admin,
            "/api/v1/rubrics",
            json!({"school_id": a, "name": "听课量表", "dimensions": [{"name": "教学目标", "max_points": 10}]}),
        )
        .await,
    );
    let record = created(
        app.post(
            &w.tokens.teacher_a,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-09", "body": "今天的课上得不错。"}),
        )
        .await,
    );
    let task = created(
        app.post(
            admin,
            "/api/v1/record-tasks",
            json!({"school_id": a, "semester_id": sem, "kind": "reading_note", "title": "读书笔记", "due_on": "2026-10-15"}),
        )
        .await,
    );
    let mentorship = created(
        app.post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": teacher, "start_semester_id": sem}),
        )
        .await,
    );
    let rule = created(
        app.post(admin, "/api/v1/quota-rules", json!({"school_id": a, "template_id": "observations-semester-20"}))
            .await,
    );
    let client = app
        .post(admin, "/api/v1/api-clients", json!({"name": "县教师管理系统", "scopes": ["roster.read"]}))
        .await
        .expect(201)
        .body["client"]["id"]
        .as_i64()
        .unwrap();
    vec![
        target("/api/v1/districts/{id}", format!("/api/v1/districts/{district}"), json!({"name": "丙县二"})),
        target("/api/v1/zones/{id}", format!("/api/v1/zones/{zone}"), json!({"name": "西片二"})),
        target("/api/v1/schools/{id}", format!("/api/v1/schools/{school}"), json!({"name": "戊小学二"})),
        target("/api/v1/school-pairings/{id}", format!("/api/v1/school-pairings/{pairing}"), json!({"notes": "送教"})),
        target("/api/v1/semesters/{id}", format!("/api/v1/semesters/{semester}"), json!({"name": "2027春"})),
        target("/api/v1/teachers/{id}", format!("/api/v1/teachers/{teacher}"), json!({"name": "周老师二"})),
        target("/api/v1/users/{id}", format!("/api/v1/users/{user}"), json!({"display_name": "教导处"})),
        target("/api/v1/groups/{id}", format!("/api/v1/groups/{group}"), json!({"name": "课题组二"})),
        target(
            "/api/v1/groups/{id}/members/{membership_id}",
            format!("/api/v1/groups/{group}/members/{member}"),
            json!({"role": "deputy_leader"}),
        ),
        target(
            "/api/v1/groups/{id}/slots/{slot_id}",
            format!("/api/v1/groups/{group}/slots/{slot}"),
            json!({"weekday": 4}),
        ),
        target(
            "/api/v1/research-topics/{id}",
            format!("/api/v1/research-topics/{topic}"),
            json!({"title": "群文阅读"}),
        ),
        target("/api/v1/activities/{id}", format!("/api/v1/activities/{activity}"), json!({"title": "集体备课二"})),
        target("/api/v1/observations/{id}", format!("/api/v1/observations/{observation}"), json!({"subject": "数学"})),
        target("/api/v1/rubrics/{id}", format!("/api/v1/rubrics/{rubric}"), json!({"name": "听课量表二"})),
        target("/api/v1/records/{id}", format!("/api/v1/records/{record}"), json!({"title": "反思二"})),
        target("/api/v1/record-tasks/{id}", format!("/api/v1/record-tasks/{task}"), json!({"title": "读书笔记二"})),
        target(
            "/api/v1/mentorships/{id}",
            format!("/api/v1/mentorships/{mentorship}"),
            json!({"agreement": "每周听课"}),
        ),
        target("/api/v1/quota-rules/{id}", format!("/api/v1/quota-rules/{rule}"), json!({"name": "听课20节"})),
        target("/api/v1/api-clients/{id}", format!("/api/v1/api-clients/{client}"), json!({"name": "县教师系统"})),
    ]
}

/// The PATCH and DELETE routes of the OpenAPI document that act on one tracked resource.
fn guarded_routes() -> BTreeSet<(String, String)> {
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let mut routes = BTreeSet::new();
    for (template, item) in spec["paths"].as_object().unwrap() {
        let concrete: String = template
            .split('/')
            .map(|segment| if segment.starts_with('{') { "1" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        if api::changes::resources::resource_of_path(&concrete).is_none() {
            continue;
        }
        for method in ["patch", "delete"] {
            if item.get(method).is_some() {
                routes.insert((method.to_uppercase(), template.clone()));
            }
        }
    }
    routes
}

async fn if_match_guards_every_patch_and_delete(app: TestApp) {
    let w = World::build(&app).await;
    let root = &w.tokens.root;
    let mut covered = BTreeSet::new();
    for t in targets(&app, &w).await {
        let before = etag(&read(&app, root, &t.path).await);
        let live = read(&app, root, &t.path).await.body;

        // Stale (or never issued) tags: 412, and nothing was written.
        for stale in ["\"0\"", "W/\"0\""] {
            let refused =
                app.call_with("PATCH", &t.path, Some(root), Some(t.patch.clone()), &[("If-Match", stale)]).await;
            assert_eq!(refused.status, 412, "PATCH {} with {stale}: {}", t.path, refused.body);
            assert_eq!(refused.content_type(), "application/problem+json");
        }
        let weak = format!("W/{before}");
        let refused = app.call_with("PATCH", &t.path, Some(root), Some(t.patch.clone()), &[("If-Match", &weak)]).await;
        assert_eq!(refused.status, 412, "If-Match compares strongly: {}", t.path);
        let after_refusal = read(&app, root, &t.path).await;
        assert_eq!(etag(&after_refusal), before, "PATCH {} wrote despite the 412", t.path);
        assert_eq!(after_refusal.body, live);

        // The current tag goes through and the answer carries the next one.
        let changed =
            app.call_with("PATCH", &t.path, Some(root), Some(t.patch.clone()), &[("If-Match", before.as_str())]).await;
        assert_eq!(changed.status, 200, "PATCH {}: {}", t.path, changed.body);
        let next = etag(&changed);
        assert_ne!(next, before, "PATCH {} did not move the tag", t.path);
        assert_eq!(etag(&read(&app, root, &t.path).await), next);
        covered.insert(("PATCH".to_string(), t.template.to_string()));

        // DELETE with the tag from before the PATCH: 412 and still live; with the current: done.
        let refused = app.call_with("DELETE", &t.path, Some(root), None, &[("If-Match", before.as_str())]).await;
        assert_eq!(refused.status, 412, "DELETE {}: {}", t.path, refused.body);
        let still = read(&app, root, &t.path).await;
        assert_eq!(still.body["archived_at"], Value::Null, "DELETE {} archived despite the 412", t.path);
        assert_eq!(etag(&still), next);
        let archived = app.call_with("DELETE", &t.path, Some(root), None, &[("If-Match", next.as_str())]).await;
        assert_eq!(archived.status, 204, "DELETE {}: {}", t.path, archived.body);
        let gone = read(&app, root, &t.path).await;
        assert!(gone.body["archived_at"].is_string(), "DELETE {} did not archive", t.path);
        // Archiving again with the old tag: nothing to do, but the condition still fails.
        let again = app.call_with("DELETE", &t.path, Some(root), None, &[("If-Match", next.as_str())]).await;
        assert_eq!(again.status, 412, "DELETE {} again with a stale tag", t.path);
        covered.insert(("DELETE".to_string(), t.template.to_string()));
    }
    // A resource archived but never patched (a preparation changes through its stages): its
    // DELETE is guarded all the same.
    let preparation = app
        .post(
            root,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 3, "lesson_title": "秋天的雨", "lead_teacher_id": w.teacher_a,
                   "session_on": "2027-01-12"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/preparations/{preparation}");
    let tag = etag(&read(&app, root, &path).await);
    let refused = app.call_with("DELETE", &path, Some(root), None, &[("If-Match", "\"0\"")]).await;
    assert_eq!(refused.status, 412, "DELETE {path}: {}", refused.body);
    assert_eq!(read(&app, root, &path).await.body["archived_at"], Value::Null, "archived despite the 412");
    let archived = app.call_with("DELETE", &path, Some(root), None, &[("If-Match", tag.as_str())]).await;
    assert_eq!(archived.status, 204, "DELETE {path}: {}", archived.body);
    covered.insert(("DELETE".to_string(), "/api/v1/preparations/{id}".to_string()));

    let missing: Vec<_> = guarded_routes().difference(&covered).cloned().collect();
    assert!(missing.is_empty(), "routes of tracked resources missing from the If-Match matrix: {missing:?}");
}

async fn a_precondition_never_confirms_an_object_out_of_scope(app: TestApp) {
    let w = World::build(&app).await;
    let path = format!("/api/v1/teachers/{}", w.teacher_b);
    for (method, body) in [("PATCH", Some(json!({"name": "改"}))), ("DELETE", None)] {
        for tag in ["\"0\"", "*"] {
            let answer =
                app.call_with(method, &path, Some(&w.tokens.admin_a), body.clone(), &[("If-Match", tag)]).await;
            assert_eq!(answer.status, 404, "{method} {path} If-Match {tag}: {}", answer.body);
        }
    }
    // Visible but not changeable: the 403 comes first too.
    let own = format!("/api/v1/teachers/{}", w.teacher_a);
    let answer = app
        .call_with("PATCH", &own, Some(&w.tokens.teacher_a), Some(json!({"name": "改"})), &[("If-Match", "\"0\"")])
        .await;
    assert_eq!(answer.status, 403);
}

async fn concurrent_writers_with_the_same_etag_cannot_both_win(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.tokens.district_admin.clone();
    let path = format!("/api/v1/teachers/{}", w.teacher_a);
    let tag = etag(&read(&app, &admin, &path).await);
    // Spawned, so that the eight requests are in flight at once.
    let mut writers = tokio::task::JoinSet::new();
    for i in 0..8 {
        let request = app
            .client
            .patch(format!("{}{path}", app.base_url))
            .bearer_auth(&admin)
            .header("If-Match", tag.as_str())
            .json(&json!({"name": format!("王老师{i}")}));
        writers.spawn(async move { request.send().await.expect("the service answers").status().as_u16() });
    }
    let mut statuses = writers.join_all().await;
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 412, 412, 412, 412, 412, 412, 412]);
}
