//! User accounts: who may create, see and change which accounts.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, TestApp, PASSWORD};

async fn user_id(app: &TestApp, token: &str) -> i64 {
    app.get(token, "/api/v1/me").await.expect(200).body["id"].as_i64().unwrap()
}

async fn a_school_admin_creates_accounts_for_their_school(app: TestApp) {
    let w = World::build(&app).await;
    let created = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "wang", "password": "Wutong-5#tree-lantern", "role": "teacher", "school_id": w.school_a,
                   "teacher_id": w.teacher_a, "display_name": "王老师"}),
        )
        .await
        .expect(201);
    assert_eq!(created.body["district_id"], w.district, "the district follows from the school");
    assert!(created.body.get("password").is_none() && created.body.get("password_hash").is_none());
    let token = app.login("wang", "Wutong-5#tree-lantern").await;
    let me = app.get(&token, "/api/v1/me").await.expect(200);
    assert_eq!((me.body["role"].as_str(), me.body["teacher_id"].as_i64()), (Some("teacher"), Some(w.teacher_a)));
}

async fn a_school_admin_cannot_reach_beyond_their_school(app: TestApp) {
    let w = World::build(&app).await;
    let district_role = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "boss", "password": "Wutong-5#tree-lantern", "role": "district_admin"}),
        )
        .await;
    assert_eq!(district_role.status, 403);
    let other_school = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "spy", "password": "Wutong-5#tree-lantern", "role": "school_admin", "school_id": w.school_b}),
        )
        .await;
    assert_eq!(other_school.expect(422).error_fields(), vec!["school_id"]);
    let foreign_teacher = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "t-two", "password": "Wutong-5#tree-lantern", "role": "teacher", "school_id": w.school_a, "teacher_id": w.teacher_b}),
        )
        .await;
    assert_eq!(foreign_teacher.expect(422).error_fields(), vec!["teacher_id"]);

    let admin_b = user_id(&app, &w.tokens.admin_b).await;
    let path = format!("/api/v1/users/{admin_b}");
    assert_eq!(app.get(&w.tokens.admin_a, &path).await.status, 404);
    assert_eq!(app.patch(&w.tokens.admin_a, &path, json!({"disabled": true})).await.status, 404);
    assert_eq!(app.delete(&w.tokens.admin_a, &path).await.status, 404);
    let listed = app.get(&w.tokens.admin_a, "/api/v1/users?limit=500").await.expect(200);
    assert!(!listed.ids().contains(&admin_b));
    let schools: Vec<i64> =
        listed.body["items"].as_array().unwrap().iter().map(|u| u["school_id"].as_i64().unwrap()).collect();
    assert!(!schools.is_empty() && schools.iter().all(|s| *s == w.school_a));
    let filtered = app.get(&w.tokens.admin_a, &format!("/api/v1/users?school_id={}", w.school_b)).await.expect(200);
    assert_eq!(filtered.body["total"], 0);
}

async fn district_admins_manage_their_district_only(app: TestApp) {
    let w = World::build(&app).await;
    let created = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/users",
            json!({"username": "deputy", "password": "Wutong-5#tree-lantern", "role": "district_admin"}),
        )
        .await
        .expect(201);
    assert_eq!(created.body["district_id"], w.district, "defaults to the creator's district");
    let total = app.get(&w.tokens.district_admin, "/api/v1/users").await.expect(200).body["total"].as_u64().unwrap();
    assert_eq!(total, 7, "dadmin, deputy, two school admins, leader, two teachers");
    let dadmin2 = user_id(&app, &w.tokens.other_district_admin).await;
    assert_eq!(app.get(&w.tokens.district_admin, &format!("/api/v1/users/{dadmin2}")).await.status, 404);
    let into_other = app
        .post(
            &w.tokens.district_admin,
            "/api/v1/users",
            json!({"username": "xx-admin", "password": "Wutong-5#tree-lantern", "role": "school_admin", "school_id": w.school_c}),
        )
        .await;
    assert_eq!(into_other.expect(422).error_fields(), vec!["school_id"]);
    // A district account may be linked to a teacher of the district, and only to one there.
    let deputy = format!("/api/v1/users/{}", created.body["id"]);
    for unknown in [json!(987_654_321), json!(w.teacher_c)] {
        let linked = app.patch(&w.tokens.district_admin, &deputy, json!({"teacher_id": unknown})).await;
        assert_eq!(linked.expect(422).error_fields(), vec!["teacher_id"], "{unknown}");
    }
    let linked = app.patch(&w.tokens.district_admin, &deputy, json!({"teacher_id": w.teacher_a})).await.expect(200);
    assert_eq!(linked.body["teacher_id"], w.teacher_a);
}

async fn teachers_see_and_change_only_their_own_account(app: TestApp) {
    let w = World::build(&app).await;
    let me = user_id(&app, &w.tokens.teacher_a).await;
    let list = app.get(&w.tokens.teacher_a, "/api/v1/users").await.expect(200);
    assert_eq!(list.ids(), vec![me]);
    let admin_a = user_id(&app, &w.tokens.admin_a).await;
    assert_eq!(app.get(&w.tokens.teacher_a, &format!("/api/v1/users/{admin_a}")).await.status, 404);
    let create = app
        .post(
            &w.tokens.teacher_a,
            "/api/v1/users",
            json!({"username": "x", "password": "Wutong-5#tree-lantern", "role": "teacher"}),
        )
        .await;
    assert_eq!(create.status, 403);

    let path = format!("/api/v1/users/{me}");
    assert_eq!(app.patch(&w.tokens.teacher_a, &path, json!({"role": "school_admin"})).await.status, 403);
    let no_current = app.patch(&w.tokens.teacher_a, &path, json!({"password": "Fenghuang-3$river-bamboo"})).await;
    assert_eq!(no_current.expect(422).error_fields(), vec!["current_password"]);
    app.patch(
        &w.tokens.teacher_a,
        &path,
        json!({"password": "Fenghuang-3$river-bamboo", "current_password": PASSWORD, "display_name": "王"}),
    )
    .await
    .expect(200);
    app.login("teacher_a", "Fenghuang-3$river-bamboo").await;
    let old = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "teacher_a", "password": PASSWORD})))
        .await;
    assert_eq!(old.status, 401);
}

async fn usernames_are_unique_and_passwords_long(app: TestApp) {
    let w = World::build(&app).await;
    let dup = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "teacher_a", "password": "Wutong-5#tree-lantern", "role": "school_admin", "school_id": w.school_a}),
        )
        .await;
    assert_eq!(dup.expect(409).error_fields(), vec!["username"]);
    let weak = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "a b", "password": "short", "role": "school_admin", "school_id": w.school_a}),
        )
        .await;
    assert_eq!(weak.expect(422).error_fields(), vec!["username", "password"]);
    let missing = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/users",
            json!({"username": "lin", "password": "Wutong-5#tree-lantern", "role": "teacher", "school_id": w.school_a}),
        )
        .await;
    assert_eq!(missing.expect(422).error_fields(), vec!["teacher_id"]);
}

async fn archiving_an_account_ends_its_access(app: TestApp) {
    let w = World::build(&app).await;
    let teacher = user_id(&app, &w.tokens.teacher_a).await;
    let own = user_id(&app, &w.tokens.admin_a).await;
    assert_eq!(app.delete(&w.tokens.admin_a, &format!("/api/v1/users/{own}")).await.status, 403);
    app.delete(&w.tokens.admin_a, &format!("/api/v1/users/{teacher}")).await.expect(204);
    assert_eq!(app.get(&w.tokens.teacher_a, "/api/v1/me").await.status, 401);
    assert!(!app.get(&w.tokens.admin_a, "/api/v1/users").await.ids().contains(&teacher));
    assert!(app.get(&w.tokens.admin_a, "/api/v1/users?include_archived=true").await.ids().contains(&teacher));
}

on_both_backends!(
    a_school_admin_creates_accounts_for_their_school,
    a_school_admin_cannot_reach_beyond_their_school,
    district_admins_manage_their_district_only,
    teachers_see_and_change_only_their_own_account,
    usernames_are_unique_and_passwords_long,
    archiving_an_account_ends_its_access,
);
