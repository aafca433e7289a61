//! The authorization matrix of the teachers' work (docs/API-DESIGN.md, "Authorization"): every
//! route of activities, attendance, observations, rubrics, records, tasks, mentorships, collective
//! preparations, policies and calendar feeds, probed against school B's objects by school A's
//! administrator, group leader and teacher and by another district's administrator. Each answer
//! is 404 (exactly like a missing object), B's rows never show in their lists, creating something
//! that points at B's objects is refused, and afterwards every object of B reads exactly as
//! before. Within school A, a teacher cannot change a colleague's records. A final check fails
//! when a route of these areas is missing from the matrix.

use std::collections::BTreeSet;

use jiaoyan_tests::fixtures::{new_school, World};
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use serde_json::Value;

/// A request against one of school B's objects: the route's template (as in the OpenAPI
/// document) and the concrete call.
struct Probe {
    method: &'static str,
    template: &'static str,
    path: String,
    body: Option<Value>,
    /// 404, except where B's object is named by a query parameter: that is a reference, and an
    /// out-of-scope reference is a 422 "no such ..." (docs/API-DESIGN.md).
    expect: u16,
}

fn probe(method: &'static str, template: &'static str, path: String, body: Option<Value>) -> Probe {
    Probe { method, template, path, body, expect: 404 }
}

/// A list that would contain one of B's objects if scope leaked.
struct Listing {
    template: &'static str,
    path: String,
    id: i64,
}

/// The routes of this issue that act only on the caller's own account (nothing of another school
/// can be named in them); their scope is the token's user, tested in `calendar`.
const SELF_ONLY: [&str; 1] = ["/api/v1/me/calendar-token"];

/// The routes this matrix covers, by prefix: its last check fails when one of them is not probed
/// (the route coverage check counts them as covered).
pub(crate) const AREAS: [&str; 12] = [
    "/api/v1/activit",
    "/api/v1/attendance",
    "/api/v1/observations",
    "/api/v1/rubrics",
    "/api/v1/records",
    "/api/v1/record-tasks",
    "/api/v1/mentorship",
    "/api/v1/calendar",
    "/api/v1/me/calendar",
    "/api/v1/groups/{id}/slots/{slot_id}/generate",
    "/api/v1/school-pairings/{id}/log",
    "/api/v1/preparation",
];

fn id(resp: Resp) -> i64 {
    resp.expect(201).body["id"].as_i64().unwrap()
}

struct SchoolB {
    activity: i64,
    observation: i64,
    record: i64,
    rubric: i64,
    task: i64,
    mentorship: i64,
    slot: i64,
    pairing: i64,
    second_teacher: i64,
    preparation: i64,
}

async fn school_b_work(app: &TestApp, w: &World) -> SchoolB {
    let (admin, admin_b, teacher_b) = (&w.tokens.district_admin, &w.tokens.admin_b, &w.tokens.teacher_b);
    let second_teacher =
        id(app.post(admin, "/api/v1/teachers", json!({"school_id": w.school_b, "name": "孙老师"})).await);
    let activity = id(app
        .post(
            admin,
            "/api/v1/activities",
            json!({"organiser_kind": "group", "organiser_id": w.group_b, "semester_id": w.semester,
                   "activity_type": "collective_prep", "title": "乙小学集体备课", "topic": "识字教学",
                   "date": "2026-10-15", "start_time": "14:30", "venue": "会议室",
                   "lead_speaker_teacher_id": w.teacher_b, "status": "scheduled"}),
        )
        .await);
    let observation = id(app
        .post(
            teacher_b,
            "/api/v1/observations",
            json!({"observed_teacher_id": second_teacher, "observed_on": "2026-10-09", "subject": "语文",
                   "lesson_kind": "ordinary", "strengths": ["导入自然"], "weaknesses": ["时间紧"], "suggestions": ["精简环节"]}),
        )
        .await);
    let record = id(app
        .post(
            teacher_b,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "乙小学的反思", "written_on": "2026-10-09", "body": "今天的课上得不错。"}),
        )
        .await);
    let rubric = id(app
        .post(
            admin_b,
            "/api/v1/rubrics",
            json!({"school_id": w.school_b, "name": "乙小学听课量表", "dimensions": [{"name": "教学目标", "max_points": 10}]}),
        )
        .await);
    let task = id(app
        .post(
            admin_b,
            "/api/v1/record-tasks",
            json!({"school_id": w.school_b, "semester_id": w.semester, "kind": "reading_note", "title": "读书笔记",
                   "due_on": "2026-10-15"}),
        )
        .await);
    let mentorship = id(app
        .post(
            admin_b,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.teacher_b, "mentee_teacher_id": second_teacher, "start_semester_id": w.semester}),
        )
        .await);
    let slot = id(app
        .post(
            admin_b,
            &format!("/api/v1/groups/{}/slots", w.group_b),
            json!({"weekday": 3, "start_period": 6, "end_period": 6}),
        )
        .await);
    let school_d = new_school(&app.db, w.district, None, "丁小学").await;
    let pairing = id(app
        .post(
            admin,
            "/api/v1/school-pairings",
            json!({"mentor_school_id": w.school_b, "partner_school_id": school_d, "kind": "outreach", "start_date": "2026-09-01"}),
        )
        .await);
    let policy = json!({"summary_due_rule": "days_after", "summary_due_value": 3});
    let stored =
        app.call("PUT", &format!("/api/v1/activity-policies/school/{}", w.school_b), Some(admin_b), Some(policy)).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    let rules = json!({"capacities": {"backbone_teacher": 2}, "default_capacity": 1, "grade_band_rule": "warn"});
    let stored = app
        .call("PUT", &format!("/api/v1/mentorship-policies/schools/{}", w.school_b), Some(admin_b), Some(rules))
        .await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    // A collective preparation of B's group, its draft in (so that notes could be written).
    app.post(admin, &format!("/api/v1/groups/{}/members", w.group_b), json!({"teacher_id": second_teacher}))
        .await
        .expect(201);
    let preparation = id(app
        .post(
            admin_b,
            "/api/v1/preparations",
            json!({"group_id": w.group_b, "grade": 2, "lesson_title": "识字4", "lead_teacher_id": w.teacher_b,
                   "session_on": "2026-10-15"}),
        )
        .await);
    let sections = json!({"sections": [{"title": "教学目标", "body": "认识生字"}]});
    let drafted =
        app.call("PUT", &format!("/api/v1/preparations/{preparation}/draft"), Some(teacher_b), Some(sections)).await;
    assert_eq!(drafted.status, 200, "{}", drafted.body);
    let stored = app
        .call(
            "PUT",
            &format!("/api/v1/preparation-policies/schools/{}", w.school_b),
            Some(admin_b),
            Some(json!({"draft_lead_days": 4})),
        )
        .await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    SchoolB { activity, observation, record, rubric, task, mentorship, slot, pairing, second_teacher, preparation }
}

/// Every call on B's objects, each of which must answer 404 to anyone outside B's reach.
fn probes(w: &World, b: &SchoolB) -> Vec<Probe> {
    let (s, a, sem) = (w.school_b, b.activity, w.semester);
    let policy = json!({"summary_due_rule": "none"});
    let rules = json!({"capacities": {}, "default_capacity": 0, "grade_band_rule": "refuse"});
    vec![
        probe("GET", "/api/v1/activities/{id}", format!("/api/v1/activities/{a}"), None),
        probe("PATCH", "/api/v1/activities/{id}", format!("/api/v1/activities/{a}"), Some(json!({"title": "改"}))),
        probe("DELETE", "/api/v1/activities/{id}", format!("/api/v1/activities/{a}"), None),
        probe("GET", "/api/v1/activities/{id}/policy", format!("/api/v1/activities/{a}/policy"), None),
        probe("GET", "/api/v1/activities/{id}/attendance", format!("/api/v1/activities/{a}/attendance"), None),
        probe(
            "PUT",
            "/api/v1/activities/{id}/attendance",
            format!("/api/v1/activities/{a}/attendance"),
            Some(json!({"entries": [{"teacher_id": w.teacher_b, "status": "absent"}]})),
        ),
        probe(
            "DELETE",
            "/api/v1/activities/{id}/attendance/{teacher_id}",
            format!("/api/v1/activities/{a}/attendance/{}", w.teacher_b),
            None,
        ),
        probe(
            "POST",
            "/api/v1/activities/{id}/attendance/sign-in",
            format!("/api/v1/activities/{a}/attendance/sign-in"),
            None,
        ),
        probe(
            "POST",
            "/api/v1/activities/{id}/attendance/leave",
            format!("/api/v1/activities/{a}/attendance/leave"),
            Some(json!({"reason": "病假"})),
        ),
        probe(
            "POST",
            "/api/v1/groups/{id}/slots/{slot_id}/generate",
            format!("/api/v1/groups/{}/slots/{}/generate?semester_id={sem}", w.group_b, b.slot),
            None,
        ),
        probe(
            "GET",
            "/api/v1/activity-policies/{scope}/{scope_id}",
            format!("/api/v1/activity-policies/school/{s}"),
            None,
        ),
        probe(
            "PUT",
            "/api/v1/activity-policies/{scope}/{scope_id}",
            format!("/api/v1/activity-policies/school/{s}"),
            Some(policy),
        ),
        probe(
            "DELETE",
            "/api/v1/activity-policies/{scope}/{scope_id}",
            format!("/api/v1/activity-policies/school/{s}"),
            None,
        ),
        probe(
            "GET",
            "/api/v1/attendance-rates/teachers/{id}",
            format!("/api/v1/attendance-rates/teachers/{}?semester_id={sem}", w.teacher_b),
            None,
        ),
        probe(
            "GET",
            "/api/v1/attendance-rates/groups/{id}",
            format!("/api/v1/attendance-rates/groups/{}?semester_id={sem}", w.group_b),
            None,
        ),
        probe("GET", "/api/v1/observations/{id}", format!("/api/v1/observations/{}", b.observation), None),
        probe(
            "PATCH",
            "/api/v1/observations/{id}",
            format!("/api/v1/observations/{}", b.observation),
            Some(json!({"notes": "改"})),
        ),
        probe("DELETE", "/api/v1/observations/{id}", format!("/api/v1/observations/{}", b.observation), None),
        probe("GET", "/api/v1/rubrics/{id}", format!("/api/v1/rubrics/{}", b.rubric), None),
        probe("PATCH", "/api/v1/rubrics/{id}", format!("/api/v1/rubrics/{}", b.rubric), Some(json!({"name": "改"}))),
        probe("DELETE", "/api/v1/rubrics/{id}", format!("/api/v1/rubrics/{}", b.rubric), None),
        probe("GET", "/api/v1/records/{id}", format!("/api/v1/records/{}", b.record), None),
        probe("PATCH", "/api/v1/records/{id}", format!("/api/v1/records/{}", b.record), Some(json!({"title": "改"}))),
        probe("DELETE", "/api/v1/records/{id}", format!("/api/v1/records/{}", b.record), None),
        probe("GET", "/api/v1/record-tasks/{id}", format!("/api/v1/record-tasks/{}", b.task), None),
        probe(
            "PATCH",
            "/api/v1/record-tasks/{id}",
            format!("/api/v1/record-tasks/{}", b.task),
            Some(json!({"title": "改"})),
        ),
        probe("DELETE", "/api/v1/record-tasks/{id}", format!("/api/v1/record-tasks/{}", b.task), None),
        probe(
            "GET",
            "/api/v1/record-tasks/{id}/submissions",
            format!("/api/v1/record-tasks/{}/submissions", b.task),
            None,
        ),
        probe("GET", "/api/v1/mentorships/{id}", format!("/api/v1/mentorships/{}", b.mentorship), None),
        probe(
            "PATCH",
            "/api/v1/mentorships/{id}",
            format!("/api/v1/mentorships/{}", b.mentorship),
            Some(json!({"agreement": "改"})),
        ),
        probe("DELETE", "/api/v1/mentorships/{id}", format!("/api/v1/mentorships/{}", b.mentorship), None),
        probe("GET", "/api/v1/mentorships/{id}/log", format!("/api/v1/mentorships/{}/log", b.mentorship), None),
        Probe {
            expect: 422,
            ..probe(
                "GET",
                "/api/v1/mentorship-policies/effective",
                format!("/api/v1/mentorship-policies/effective?school_id={s}"),
                None,
            )
        },
        probe(
            "GET",
            "/api/v1/mentorship-policies/schools/{id}",
            format!("/api/v1/mentorship-policies/schools/{s}"),
            None,
        ),
        probe(
            "PUT",
            "/api/v1/mentorship-policies/schools/{id}",
            format!("/api/v1/mentorship-policies/schools/{s}"),
            Some(rules),
        ),
        probe(
            "DELETE",
            "/api/v1/mentorship-policies/schools/{id}",
            format!("/api/v1/mentorship-policies/schools/{s}"),
            None,
        ),
        probe("GET", "/api/v1/school-pairings/{id}/log", format!("/api/v1/school-pairings/{}/log", b.pairing), None),
        probe("GET", "/api/v1/preparations/{id}", format!("/api/v1/preparations/{}", b.preparation), None),
        probe("DELETE", "/api/v1/preparations/{id}", format!("/api/v1/preparations/{}", b.preparation), None),
        probe(
            "PUT",
            "/api/v1/preparations/{id}/draft",
            format!("/api/v1/preparations/{}/draft", b.preparation),
            Some(json!({"sections": [{"title": "改", "body": "改"}]})),
        ),
        probe(
            "POST",
            "/api/v1/preparations/{id}/notes",
            format!("/api/v1/preparations/{}/notes", b.preparation),
            Some(json!({"section": 0, "body": "越界"})),
        ),
        probe(
            "PUT",
            "/api/v1/preparations/{id}/consensus",
            format!("/api/v1/preparations/{}/consensus", b.preparation),
            Some(json!({"body": "越界"})),
        ),
        probe(
            "POST",
            "/api/v1/preparations/{id}/reflections",
            format!("/api/v1/preparations/{}/reflections", b.preparation),
            Some(json!({"body": "越界"})),
        ),
        Probe {
            expect: 422,
            ..probe(
                "GET",
                "/api/v1/preparation-policies/effective",
                format!("/api/v1/preparation-policies/effective?group_id={}", w.group_b),
                None,
            )
        },
        probe(
            "PUT",
            "/api/v1/preparation-policies/schools/{id}",
            format!("/api/v1/preparation-policies/schools/{s}"),
            Some(json!({"draft_lead_days": 1})),
        ),
        probe(
            "DELETE",
            "/api/v1/preparation-policies/schools/{id}",
            format!("/api/v1/preparation-policies/schools/{s}"),
            None,
        ),
        probe(
            "PUT",
            "/api/v1/preparation-policies/groups/{id}",
            format!("/api/v1/preparation-policies/groups/{}", w.group_b),
            Some(json!({"draft_lead_days": 1})),
        ),
        probe(
            "DELETE",
            "/api/v1/preparation-policies/groups/{id}",
            format!("/api/v1/preparation-policies/groups/{}", w.group_b),
            None,
        ),
    ]
}

/// The lists B's objects would leak into, filtered as narrowly as possible towards B.
fn listings(w: &World, b: &SchoolB) -> Vec<Listing> {
    let s = w.school_b;
    vec![
        Listing { template: "/api/v1/activities", path: format!("/api/v1/activities?school_id={s}"), id: b.activity },
        Listing { template: "/api/v1/activities", path: "/api/v1/activities?limit=500".into(), id: b.activity },
        Listing {
            template: "/api/v1/observations",
            path: format!("/api/v1/observations?teacher_id={}", w.teacher_b),
            id: b.observation,
        },
        Listing { template: "/api/v1/observations", path: "/api/v1/observations?limit=500".into(), id: b.observation },
        Listing { template: "/api/v1/rubrics", path: format!("/api/v1/rubrics?school_id={s}"), id: b.rubric },
        Listing { template: "/api/v1/rubrics", path: format!("/api/v1/rubrics?usable_by_school_id={s}"), id: b.rubric },
        Listing {
            template: "/api/v1/records",
            path: format!("/api/v1/records?author_teacher_id={}", w.teacher_b),
            id: b.record,
        },
        Listing { template: "/api/v1/records", path: "/api/v1/records?limit=500".into(), id: b.record },
        Listing { template: "/api/v1/record-tasks", path: format!("/api/v1/record-tasks?school_id={s}"), id: b.task },
        Listing {
            template: "/api/v1/mentorships",
            path: format!("/api/v1/mentorships?school_id={s}"),
            id: b.mentorship,
        },
        Listing {
            template: "/api/v1/mentorships",
            path: format!("/api/v1/mentorships?teacher_id={}", b.second_teacher),
            id: b.mentorship,
        },
        Listing {
            template: "/api/v1/preparations",
            path: format!("/api/v1/preparations?school_id={s}"),
            id: b.preparation,
        },
        Listing {
            template: "/api/v1/preparations",
            path: format!("/api/v1/preparations?teacher_id={}", w.teacher_b),
            id: b.preparation,
        },
    ]
}

/// Creating work that points at B's objects: each must be refused without creating anything.
fn creations(w: &World, b: &SchoolB) -> Vec<Probe> {
    vec![
        probe(
            "POST",
            "/api/v1/activities",
            "/api/v1/activities".into(),
            Some(json!({"organiser_kind": "group", "organiser_id": w.group_b, "semester_id": w.semester,
                        "activity_type": "lecture", "title": "越界"})),
        ),
        probe(
            "POST",
            "/api/v1/observations",
            "/api/v1/observations".into(),
            Some(json!({"observed_teacher_id": w.teacher_b, "observed_on": "2026-10-09", "subject": "语文",
                        "lesson_kind": "ordinary", "strengths": [], "weaknesses": [], "suggestions": []})),
        ),
        probe(
            "POST",
            "/api/v1/records",
            "/api/v1/records".into(),
            Some(
                json!({"author_teacher_id": w.teacher_b, "kind": "reflection", "title": "越界", "written_on": "2026-10-09"}),
            ),
        ),
        probe(
            "POST",
            "/api/v1/rubrics",
            "/api/v1/rubrics".into(),
            Some(json!({"school_id": w.school_b, "name": "越界", "dimensions": [{"name": "目标", "max_points": 5}]})),
        ),
        probe(
            "POST",
            "/api/v1/record-tasks",
            "/api/v1/record-tasks".into(),
            Some(json!({"school_id": w.school_b, "semester_id": w.semester, "title": "越界", "due_on": "2026-10-20"})),
        ),
        probe(
            "POST",
            "/api/v1/mentorships",
            "/api/v1/mentorships".into(),
            Some(json!({"mentor_teacher_id": w.teacher_b, "mentee_teacher_id": b.second_teacher,
                        "start_semester_id": w.semester})),
        ),
        probe(
            "POST",
            "/api/v1/preparations",
            "/api/v1/preparations".into(),
            Some(json!({"group_id": w.group_b, "grade": 2, "lesson_title": "越界", "lead_teacher_id": w.teacher_b,
                        "session_on": "2026-10-20"})),
        ),
    ]
}

async fn call(app: &TestApp, token: &str, p: &Probe) -> Resp {
    app.call(p.method, &p.path, Some(token), p.body.clone()).await
}

/// What the district administrator reads of every object of B, to compare after the attempts.
async fn snapshot(app: &TestApp, w: &World, probes: &[Probe]) -> Vec<(String, Value)> {
    let mut seen = Vec::new();
    for p in probes.iter().filter(|p| p.method == "GET") {
        let resp = app.get(&w.tokens.district_admin, &p.path).await;
        assert_eq!(resp.status, 200, "the district administrator reads {}: {}", p.path, resp.body);
        seen.push((p.path.clone(), resp.body));
    }
    seen
}

async fn totals(app: &TestApp, w: &World) -> Vec<Value> {
    let mut all = Vec::new();
    for list in ["activities", "observations", "records", "rubrics", "record-tasks", "mentorships", "preparations"] {
        let resp =
            app.get(&w.tokens.district_admin, &format!("/api/v1/{list}?include_archived=true")).await.expect(200);
        all.push(resp.body["total"].clone());
    }
    all
}

async fn school_b_work_is_out_of_reach(app: TestApp) {
    let w = World::build(&app).await;
    let b = school_b_work(&app, &w).await;
    let probes = probes(&w, &b);
    let listings = listings(&w, &b);
    let creations = creations(&w, &b);
    let before = snapshot(&app, &w, &probes).await;
    let counts = totals(&app, &w).await;
    // The matrix is not vacuous: the district administrator sees B's objects in every listing.
    for l in &listings {
        let resp = app.get(&w.tokens.district_admin, &l.path).await.expect(200);
        assert!(resp.ids().contains(&l.id), "the district administrator misses {} in {}", l.id, l.path);
    }

    let t = &w.tokens;
    for (who, token) in [
        ("admin_a", &t.admin_a),
        ("leader_a", &t.leader_a),
        ("teacher_a", &t.teacher_a),
        ("other district admin", &t.other_district_admin),
    ] {
        for p in &probes {
            let resp = call(&app, token, p).await;
            assert_eq!(resp.status, p.expect, "{who} {} {}: {}", p.method, p.path, resp.body);
            assert_eq!(resp.content_type(), "application/problem+json", "{who} {} {}", p.method, p.path);
        }
        for l in &listings {
            let resp = app.get(token, &l.path).await;
            assert_eq!(resp.status, 200, "{who} GET {}: {}", l.path, resp.body);
            assert!(!resp.ids().contains(&l.id), "{who} sees {} in {}", l.id, l.path);
        }
        for p in &creations {
            let resp = call(&app, token, p).await;
            assert!(
                [403, 404, 422].contains(&resp.status),
                "{who} {} {} pointing at school B answered {}: {}",
                p.method,
                p.path,
                resp.status,
                resp.body
            );
        }
    }
    // A calendar feed token of school A opens nothing of school B.
    let token = app.call("POST", "/api/v1/me/calendar-token", Some(&t.teacher_a), None).await.expect(200);
    let token = token.body["token"].as_str().unwrap().to_string();
    for feed in [format!("teachers/{}", w.teacher_b), format!("groups/{}", w.group_b)] {
        let resp = app.call("GET", &format!("/api/v1/calendar/{feed}.ics?token={token}"), None, None).await;
        assert_eq!(resp.status, 404, "teacher_a's feed token opened {feed}");
    }

    // Nothing of B changed, and nothing was created.
    assert_eq!(snapshot(&app, &w, &probes).await, before, "an object of school B changed");
    assert_eq!(totals(&app, &w).await, counts, "something was created");

    // Every route of these areas is in the matrix.
    let spec: Value = serde_json::from_str(&api::openapi::spec_json()).unwrap();
    let covered: BTreeSet<&str> = probes
        .iter()
        .chain(creations.iter())
        .map(|p| p.template)
        .chain(listings.iter().map(|l| l.template))
        .chain(["/api/v1/calendar/teachers/{id}.ics", "/api/v1/calendar/groups/{id}.ics"])
        .chain(SELF_ONLY)
        .collect();
    let missing: Vec<&String> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|path| AREAS.iter().any(|a| path.starts_with(a)))
        .filter(|path| !covered.contains(path.as_str()))
        .collect();
    // Zone- and district-level routes are probed in `district_level_policies_are_the_district_s`.
    let district_level = ["/api/v1/activity-policies", "/api/v1/mentorship-policies/districts/{id}"];
    let missing: Vec<&&String> = missing.iter().filter(|p| !district_level.contains(&p.as_str())).collect();
    assert!(missing.is_empty(), "routes missing from the matrix: {missing:?}");
}

/// District-level policies are read by the district's schools but written only by its
/// administrators, and another district sees none of them.
async fn district_level_policies_are_the_district_s(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let rules = json!({"capacities": {"renowned_teacher": 3}, "default_capacity": 1, "grade_band_rule": "warn"});
    let path = format!("/api/v1/mentorship-policies/districts/{}", w.district);
    assert_eq!(app.call("PUT", &path, Some(&t.district_admin), Some(rules.clone())).await.status, 201);
    let policy = json!({"summary_due_rule": "days_after", "summary_due_value": 2});
    let activity_path = format!("/api/v1/activity-policies/district/{}", w.district);
    assert_eq!(app.call("PUT", &activity_path, Some(&t.district_admin), Some(policy.clone())).await.status, 201);
    for token in [&t.admin_a, &t.leader_a, &t.teacher_a] {
        app.get(token, &path).await.expect(200);
        app.get(token, &activity_path).await.expect(200);
        assert_eq!(app.call("PUT", &path, Some(token), Some(rules.clone())).await.status, 403);
        assert_eq!(app.delete(token, &path).await.status, 403);
        assert_eq!(app.call("PUT", &activity_path, Some(token), Some(policy.clone())).await.status, 403);
        assert_eq!(app.delete(token, &activity_path).await.status, 403);
    }
    for (p, body) in [(&path, &rules), (&activity_path, &policy)] {
        assert_eq!(app.get(&t.other_district_admin, p).await.status, 404);
        assert_eq!(app.call("PUT", p, Some(&t.other_district_admin), Some(body.clone())).await.status, 404);
        assert_eq!(app.delete(&t.other_district_admin, p).await.status, 404);
    }
    let listed = app.get(&t.other_district_admin, "/api/v1/activity-policies").await.expect(200);
    assert!(listed.body["items"].as_array().unwrap().is_empty(), "{}", listed.body);
    // Still the district's own values.
    let read = app.get(&t.district_admin, &path).await.expect(200);
    assert_eq!(read.body["capacities"]["renowned_teacher"], 3);
}

/// Within one school a teacher reads colleagues' work but changes only their own.
async fn a_teacher_changes_only_their_own_work(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let observation = id(app
        .post(
            &t.leader_a,
            "/api/v1/observations",
            json!({"observed_teacher_id": w.teacher_a, "observed_on": "2026-10-09", "subject": "语文",
                   "lesson_kind": "unannounced", "strengths": ["节奏好"], "weaknesses": [], "suggestions": []}),
        )
        .await);
    let record = id(app
        .post(&t.leader_a, "/api/v1/records", json!({"kind": "essay", "title": "组长随笔", "written_on": "2026-10-09"}))
        .await);
    let activity = id(app
        .post(
            &t.leader_a,
            "/api/v1/activities",
            json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": w.semester,
                   "activity_type": "salon", "title": "读书沙龙"}),
        )
        .await);
    for (path, change) in [
        (format!("/api/v1/observations/{observation}"), json!({"notes": "改"})),
        (format!("/api/v1/records/{record}"), json!({"title": "改"})),
        (format!("/api/v1/activities/{activity}"), json!({"title": "改"})),
    ] {
        let before = app.get(&t.teacher_a, &path).await.expect(200).body;
        assert_eq!(app.patch(&t.teacher_a, &path, change).await.status, 403, "PATCH {path}");
        assert_eq!(app.delete(&t.teacher_a, &path).await.status, 403, "DELETE {path}");
        assert_eq!(app.get(&t.teacher_a, &path).await.body, before, "{path} changed");
    }
    let attendance = format!("/api/v1/activities/{activity}/attendance");
    let entries = json!({"entries": [{"teacher_id": w.teacher_a, "status": "on_leave", "leave_reason": "自己批假"}]});
    assert_eq!(app.call("PUT", &attendance, Some(&t.teacher_a), Some(entries)).await.status, 403);
}

on_both_backends!(
    school_b_work_is_out_of_reach,
    district_level_policies_are_the_district_s,
    a_teacher_changes_only_their_own_work
);
