//! Districts and zones: who creates, reads, changes and archives them.

use jiaoyan_tests::fixtures::{new_school, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};

async fn only_an_installation_admin_creates_districts(app: TestApp) {
    let w = World::build(&app).await;
    let created =
        app.post(&w.tokens.root, "/api/v1/districts", json!({"name": "英山县", "code": "421124"})).await.expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.headers.get("location").unwrap().to_str().unwrap(), format!("/api/v1/districts/{id}"));
    assert_eq!(app.get(&w.tokens.root, &format!("/api/v1/districts/{id}")).await.expect(200).body["code"], "421124");
    assert_eq!(app.post(&w.tokens.district_admin, "/api/v1/districts", json!({"name": "浠水县"})).await.status, 403);
    assert_eq!(
        app.post(&w.tokens.root, "/api/v1/districts", json!({"name": "英山县"})).await.expect(409).error_fields(),
        vec!["name"]
    );
}

async fn each_caller_sees_only_their_district(app: TestApp) {
    let w = World::build(&app).await;
    assert_eq!(app.get(&w.tokens.root, "/api/v1/districts").await.expect(200).body["total"], 2);
    for token in [&w.tokens.district_admin, &w.tokens.admin_a, &w.tokens.teacher_b] {
        let list = app.get(token, "/api/v1/districts").await.expect(200);
        assert_eq!(list.ids(), vec![w.district]);
        assert_eq!(list.body["total"], 1);
    }
    assert_eq!(app.get(&w.tokens.other_district_admin, &format!("/api/v1/districts/{}", w.district)).await.status, 404);
    let patch = app
        .patch(&w.tokens.other_district_admin, &format!("/api/v1/districts/{}", w.district), json!({"name": "x"}))
        .await;
    assert_eq!(patch.status, 404);
}

async fn district_admins_rename_their_district_but_school_staff_cannot(app: TestApp) {
    let w = World::build(&app).await;
    let path = format!("/api/v1/districts/{}", w.district);
    let renamed =
        app.patch(&w.tokens.district_admin, &path, json!({"name": "测试县教研室", "code": "X1"})).await.expect(200);
    assert_eq!(renamed.body["name"], "测试县教研室");
    assert_eq!(app.patch(&w.tokens.admin_a, &path, json!({"name": "y"})).await.status, 403);
    let cleared = app.patch(&w.tokens.district_admin, &path, json!({"code": null})).await.expect(200);
    assert!(cleared.body["code"].is_null());
    assert_eq!(cleared.body["name"], "测试县教研室", "absent fields stay as they were");
}

async fn a_district_with_live_schools_cannot_be_archived(app: TestApp) {
    let w = World::build(&app).await;
    let resp = app.delete(&w.tokens.root, &format!("/api/v1/districts/{}", w.district)).await;
    assert_eq!(resp.expect(409).body["type"], "/problems/conflict");
    let empty = app.post(&w.tokens.root, "/api/v1/districts", json!({"name": "空县"})).await.expect(201).body["id"]
        .as_i64()
        .unwrap();
    app.delete(&w.tokens.root, &format!("/api/v1/districts/{empty}")).await.expect(204);
    app.delete(&w.tokens.root, &format!("/api/v1/districts/{empty}")).await.expect(204);
    let list = app.get(&w.tokens.root, "/api/v1/districts").await;
    assert!(!list.ids().contains(&empty), "archived districts leave the list");
    let all = app.get(&w.tokens.root, "/api/v1/districts?include_archived=true").await;
    assert!(all.ids().contains(&empty));
}

async fn district_admins_manage_zones(app: TestApp) {
    let w = World::build(&app).await;
    let created = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/zones",
            json!({"district_id": w.district, "name": "西片", "lead_school_id": w.school_b}),
        )
        .await
        .expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["lead_school_id"], w.school_b);
    let dup =
        app.post(&w.tokens.district_admin, "/api/v1/zones", json!({"district_id": w.district, "name": "西片"})).await;
    assert_eq!(dup.expect(409).error_fields(), vec!["name"]);
    let foreign_lead = app
        .patch(&w.tokens.district_admin, &format!("/api/v1/zones/{id}"), json!({"lead_school_id": w.school_c}))
        .await;
    assert_eq!(foreign_lead.expect(422).error_fields(), vec!["lead_school_id"]);
    let cleared =
        app.patch(&w.tokens.district_admin, &format!("/api/v1/zones/{id}"), json!({"lead_school_id": null})).await;
    assert!(cleared.expect(200).body["lead_school_id"].is_null());
    app.delete(&w.tokens.district_admin, &format!("/api/v1/zones/{id}")).await.expect(204);
    assert!(app.get(&w.tokens.district_admin, &format!("/api/v1/zones/{id}")).await.expect(200).body["archived_at"]
        .is_string());
}

async fn school_staff_read_zones_but_do_not_change_them(app: TestApp) {
    let w = World::build(&app).await;
    let zone = format!("/api/v1/zones/{}", w.zone);
    assert_eq!(app.get(&w.tokens.teacher_a, &zone).await.expect(200).body["name"], "东片");
    assert_eq!(app.patch(&w.tokens.admin_a, &zone, json!({"name": "x"})).await.status, 403);
    assert_eq!(app.delete(&w.tokens.admin_a, &zone).await.status, 403);
    let create = app.post(&w.tokens.admin_a, "/api/v1/zones", json!({"district_id": w.district, "name": "北片"})).await;
    assert_eq!(create.status, 403);
    // Another district's administrator cannot even see it.
    assert_eq!(app.get(&w.tokens.other_district_admin, &zone).await.status, 404);
    assert_eq!(app.patch(&w.tokens.other_district_admin, &zone, json!({"name": "x"})).await.status, 404);
    assert_eq!(app.delete(&w.tokens.other_district_admin, &zone).await.status, 404);
    assert_eq!(app.get(&w.tokens.other_district_admin, "/api/v1/zones").await.expect(200).body["total"], 0);
    let create = app
        .post(&w.tokens.other_district_admin, "/api/v1/zones", json!({"district_id": w.district, "name": "北片"}))
        .await;
    assert_eq!(create.expect(422).error_fields(), vec!["district_id"]);
}

async fn a_zone_with_live_schools_cannot_be_archived(app: TestApp) {
    let w = World::build(&app).await;
    assert_eq!(app.delete(&w.tokens.district_admin, &format!("/api/v1/zones/{}", w.zone)).await.status, 409);
}

async fn zone_lists_page_and_sort_stably(app: TestApp) {
    let w = World::build(&app).await;
    for name in ["南片", "西片", "北片", "中片"] {
        app.post(&w.tokens.district_admin, "/api/v1/zones", json!({"district_id": w.district, "name": name}))
            .await
            .expect(201);
    }
    let _ = new_school(&app.db, w.district, None, "无片小学").await;
    let first = app.get(&w.tokens.district_admin, "/api/v1/zones?limit=2&sort=name").await.expect(200);
    let second = app.get(&w.tokens.district_admin, "/api/v1/zones?limit=2&offset=2&sort=name").await.expect(200);
    let third = app.get(&w.tokens.district_admin, "/api/v1/zones?limit=2&offset=4&sort=name").await.expect(200);
    assert_eq!(first.body["total"], 5);
    assert_eq!((first.body["limit"].as_u64(), first.body["offset"].as_u64()), (Some(2), Some(0)));
    let mut seen: Vec<i64> = [first.ids(), second.ids(), third.ids()].concat();
    assert_eq!(seen.len(), 5);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "pages neither overlap nor skip");
    let names: Vec<String> = app.get(&w.tokens.district_admin, "/api/v1/zones?sort=-name").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["name"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
}

on_both_backends!(
    only_an_installation_admin_creates_districts,
    each_caller_sees_only_their_district,
    district_admins_rename_their_district_but_school_staff_cannot,
    a_district_with_live_schools_cannot_be_archived,
    district_admins_manage_zones,
    school_staff_read_zones_but_do_not_change_them,
    a_zone_with_live_schools_cannot_be_archived,
    zone_lists_page_and_sort_stably,
);
