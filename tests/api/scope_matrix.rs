//! The authorization matrix over every resource: a school administrator of school A, a teacher
//! of school A and the administrator of another district can neither read, list, change nor
//! archive anything that belongs to school B: each answer is 404, exactly like a missing object,
//! and B's rows never appear in their lists, whatever the filters.

use jiaoyan_tests::fixtures::{new_school, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};

/// One object of school B: where it lives and the list that would contain it, with the item's
/// route as the OpenAPI document names it.
struct Target {
    template: &'static str,
    item: String,
    list: String,
    id: i64,
}

/// The item routes this matrix probes with GET, PATCH and DELETE, each with the list that would
/// contain the object (probed with GET); the route coverage check counts them as covered, and the
/// matrix checks that it probes exactly these.
pub(crate) const ITEMS: [(&str, &str); 8] = [
    ("/api/v1/schools/{id}", "/api/v1/schools"),
    ("/api/v1/teachers/{id}", "/api/v1/teachers"),
    ("/api/v1/groups/{id}", "/api/v1/groups"),
    ("/api/v1/groups/{id}/members/{membership_id}", "/api/v1/groups/{id}/members"),
    ("/api/v1/groups/{id}/slots/{slot_id}", "/api/v1/groups/{id}/slots"),
    ("/api/v1/research-topics/{id}", "/api/v1/research-topics"),
    ("/api/v1/school-pairings/{id}", "/api/v1/school-pairings"),
    ("/api/v1/users/{id}", "/api/v1/users"),
];

/// Other routes this matrix probes with GET.
pub(crate) const READS: [&str; 1] = ["/api/v1/schools/{id}/statistics"];

async fn school_b_objects(app: &TestApp, w: &World) -> Vec<Target> {
    let admin = &w.tokens.district_admin;
    let id = |resp: jiaoyan_tests::Resp| resp.expect(201).body["id"].as_i64().unwrap();
    let teacher = id(app
        .post(admin, "/api/v1/teachers", json!({"school_id": w.school_b, "name": "孙老师", "subjects": ["数学"]}))
        .await);
    let member =
        id(app.post(admin, &format!("/api/v1/groups/{}/members", w.group_b), json!({"teacher_id": teacher})).await);
    let slot = id(app
        .post(
            admin,
            &format!("/api/v1/groups/{}/slots", w.group_b),
            json!({"weekday": 4, "start_period": 6, "end_period": 6, "week_pattern": "every"}),
        )
        .await);
    let topic = id(app
        .post(
            admin,
            "/api/v1/research-topics",
            json!({"group_id": w.group_b, "semester_id": w.semester, "title": "低段识字教学"}),
        )
        .await);
    let school_d = new_school(&app.db, w.district, None, "丁小学").await;
    let pairing = id(app
        .post(admin, "/api/v1/school-pairings", json!({"mentor_school_id": w.school_b, "partner_school_id": school_d, "kind": "urban_rural", "start_date": "2026-09-01"}))
        .await);
    let admin_b = app.get(&w.tokens.admin_b, "/api/v1/me").await.body["id"].as_i64().unwrap();
    let (b, g) = (w.school_b, w.group_b);
    vec![
        Target {
            template: "/api/v1/schools/{id}",
            item: format!("/api/v1/schools/{b}"),
            list: "/api/v1/schools".into(),
            id: b,
        },
        Target {
            template: "/api/v1/teachers/{id}",
            item: format!("/api/v1/teachers/{teacher}"),
            list: format!("/api/v1/teachers?school_id={b}"),
            id: teacher,
        },
        Target {
            template: "/api/v1/teachers/{id}",
            item: format!("/api/v1/teachers/{}", w.teacher_b),
            list: "/api/v1/teachers?limit=500".into(),
            id: w.teacher_b,
        },
        Target {
            template: "/api/v1/groups/{id}",
            item: format!("/api/v1/groups/{g}"),
            list: format!("/api/v1/groups?school_id={b}"),
            id: g,
        },
        Target {
            template: "/api/v1/groups/{id}/members/{membership_id}",
            item: format!("/api/v1/groups/{g}/members/{member}"),
            list: format!("/api/v1/groups/{g}/members"),
            id: member,
        },
        Target {
            template: "/api/v1/groups/{id}/slots/{slot_id}",
            item: format!("/api/v1/groups/{g}/slots/{slot}"),
            list: format!("/api/v1/groups/{g}/slots"),
            id: slot,
        },
        Target {
            template: "/api/v1/research-topics/{id}",
            item: format!("/api/v1/research-topics/{topic}"),
            list: format!("/api/v1/research-topics?group_id={g}"),
            id: topic,
        },
        Target {
            template: "/api/v1/school-pairings/{id}",
            item: format!("/api/v1/school-pairings/{pairing}"),
            list: format!("/api/v1/school-pairings?school_id={b}"),
            id: pairing,
        },
        Target {
            template: "/api/v1/users/{id}",
            item: format!("/api/v1/users/{admin_b}"),
            list: format!("/api/v1/users?school_id={b}"),
            id: admin_b,
        },
    ]
}

async fn assert_unreachable(app: &TestApp, token: &str, who: &str, targets: &[Target]) {
    for t in targets {
        assert_eq!(app.get(token, &t.item).await.status, 404, "{who} GET {}", t.item);
        assert_eq!(app.patch(token, &t.item, json!({})).await.status, 404, "{who} PATCH {}", t.item);
        assert_eq!(app.delete(token, &t.item).await.status, 404, "{who} DELETE {}", t.item);
        let list = app.get(token, &t.list).await;
        match list.status {
            // A list nested under an object out of reach is itself out of reach.
            404 => {}
            200 => assert!(!list.ids().contains(&t.id), "{who} sees {} in {}", t.id, t.list),
            other => panic!("{who} GET {} answered {other}: {}", t.list, list.body),
        }
    }
}

async fn school_b_is_invisible_to_school_a_and_other_districts(app: TestApp) {
    let w = World::build(&app).await;
    let targets = school_b_objects(&app, &w).await;
    let probed: std::collections::BTreeSet<&str> = targets.iter().map(|t| t.template).collect();
    let claimed: std::collections::BTreeSet<&str> = ITEMS.iter().map(|(item, _)| *item).collect();
    assert_eq!(probed, claimed, "the matrix probes exactly the routes it claims (ITEMS)");
    // The district administrator reaches all of it (the matrix is not vacuous).
    for t in &targets {
        app.get(&w.tokens.district_admin, &t.item).await.expect(200);
        assert!(app.get(&w.tokens.district_admin, &t.list).await.expect(200).ids().contains(&t.id), "{}", t.list);
    }
    assert_unreachable(&app, &w.tokens.admin_a, "admin_a", &targets).await;
    assert_unreachable(&app, &w.tokens.teacher_a, "teacher_a", &targets).await;
    assert_unreachable(&app, &w.tokens.leader_a, "leader_a", &targets).await;
    assert_unreachable(&app, &w.tokens.other_district_admin, "other district admin", &targets).await;
    let stats = format!("/api/v1/schools/{}/statistics", w.school_b);
    assert_eq!(app.get(&w.tokens.admin_a, &stats).await.status, 404);
    // Nothing was changed by all those attempts.
    for t in &targets {
        let item = app.get(&w.tokens.district_admin, &t.item).await.expect(200);
        assert!(item.body["archived_at"].is_null(), "{} was archived", t.item);
    }
}

async fn school_staff_cannot_change_what_they_can_only_read(app: TestApp) {
    let w = World::build(&app).await;
    let teacher = format!("/api/v1/teachers/{}", w.teacher_a);
    app.get(&w.tokens.teacher_a, &teacher).await.expect(200);
    assert_eq!(app.patch(&w.tokens.teacher_a, &teacher, json!({"name": "改名"})).await.status, 403);
    assert_eq!(app.delete(&w.tokens.teacher_a, &teacher).await.status, 403);
    let group = format!("/api/v1/groups/{}", w.group_a);
    app.get(&w.tokens.teacher_a, &group).await.expect(200);
    assert_eq!(app.patch(&w.tokens.teacher_a, &group, json!({"name": "改名"})).await.status, 403);
    let school = format!("/api/v1/schools/{}", w.school_a);
    app.get(&w.tokens.admin_a, &school).await.expect(200);
    assert_eq!(app.delete(&w.tokens.admin_a, &school).await.status, 403);
}

on_both_backends!(
    school_b_is_invisible_to_school_a_and_other_districts,
    school_staff_cannot_change_what_they_can_only_read
);
