//! Teachers: CRUD with their subjects, grades, posts and honours; the list's filters, sorting
//! and paging; validation; duplicate external ids; and who may read and write which teacher.

use chrono::{Datelike, Months, Utc};
use entities::enums::MemberRole;
use entities::{group_membership, teacher_honour};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp, PASSWORD};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::Value;

const TEACHERS: &str = "/api/v1/teachers";

fn at(id: i64) -> String {
    format!("{TEACHERS}/{id}")
}

async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    app.post(token, TEACHERS, body).await.expect(201).body["id"].as_i64().expect("id")
}

async fn list(app: &TestApp, token: &str, query: &str) -> Resp {
    app.get(token, &format!("{TEACHERS}?{query}")).await.expect(200)
}

async fn create_with_every_field_and_read_back(app: TestApp) {
    let w = World::build(&app).await;
    let today = Utc::now().date_naive();
    let birth = today.checked_sub_months(Months::new(12 * 30)).unwrap();
    let resp = app
        .post(
            &w.tokens.admin_a,
            TEACHERS,
            json!({
                "school_id": w.school_a, "name": " 王芳 ", "gender": "female", "birth_date": birth,
                "teaching_start_year": 2018, "degree": "master", "employment_type": "support",
                "professional_title": "second", "status": "on_leave", "external_id": "T-0012",
                "subjects": [" 语文", "数学", "语文"], "grades": [4, 3, 3],
                "posts": ["prep_group_leader", "research_group_leader"],
                "honours": [
                    {"title": "rising_star", "level": "school", "year": 2019},
                    {"title": "backbone_teacher", "level": "county", "year": 2023}
                ]
            }),
        )
        .await
        .expect(201);
    let id = resp.body["id"].as_i64().unwrap();
    assert_eq!(resp.headers["location"], at(id).as_str());

    // A teacher of the school reads it back, exactly as stored.
    let got = app.get(&w.tokens.teacher_a, &at(id)).await.expect(200).body;
    assert_eq!(got["name"], "王芳");
    assert_eq!(got["school_id"], w.school_a);
    assert_eq!(got["gender"], "female");
    assert_eq!(got["birth_date"], birth.to_string());
    assert_eq!(got["age"], 30);
    assert_eq!(got["teaching_years"], today.year() - 2018);
    assert_eq!(got["degree"], "master");
    assert_eq!(got["employment_type"], "support");
    assert_eq!(got["professional_title"], "second");
    assert_eq!(got["status"], "on_leave");
    assert_eq!(got["external_id"], "T-0012");
    assert_eq!(got["subjects"], json!(["数学", "语文"]));
    assert_eq!(got["grades"], json!([3, 4]));
    assert_eq!(got["posts"], json!(["research_group_leader", "prep_group_leader"]));
    assert_eq!(
        got["honours"],
        json!([
            {"title": "backbone_teacher", "level": "county", "year": 2023},
            {"title": "rising_star", "level": "school", "year": 2019}
        ])
    );
    assert_eq!(got, resp.body, "the 201 body is the stored teacher");

    // The defaults, and a teacher with no dates has no age.
    let bare =
        app.post(&w.tokens.admin_a, TEACHERS, json!({"school_id": w.school_a, "name": "刘洋"})).await.expect(201);
    assert_eq!(bare.body["employment_type"], "permanent");
    assert_eq!(bare.body["status"], "active");
    assert_eq!(bare.body["age"], Value::Null);
    assert_eq!(bare.body["teaching_years"], Value::Null);
    assert_eq!(bare.body["subjects"], json!([]));
    assert_eq!(bare.body["honours"], json!([]));
}

async fn patch_replaces_only_the_lists_it_carries(app: TestApp) {
    let w = World::build(&app).await;
    let id = create(
        &app,
        &w.tokens.admin_a,
        json!({"school_id": w.school_a, "name": "陈静", "gender": "female", "subjects": ["语文", "道德与法治"],
            "grades": [1, 2], "honours": [{"title": "rising_star", "level": "school", "year": 2020},
            {"title": "teaching_expert", "level": "district", "year": 2021}]}),
    )
    .await;
    let patched = app
        .patch(
            &w.tokens.admin_a,
            &at(id),
            json!({"honours": [{"title": "subject_leader", "level": "city", "year": 2025}], "gender": null,
                "professional_title": "senior"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(patched["honours"], json!([{"title": "subject_leader", "level": "city", "year": 2025}]));
    assert_eq!(patched["subjects"], json!(["语文", "道德与法治"]), "subjects are left alone");
    assert_eq!(patched["grades"], json!([1, 2]));
    assert_eq!(patched["gender"], Value::Null, "null clears");
    assert_eq!(patched["professional_title"], "senior");
    assert_eq!(patched["name"], "陈静", "absent stays");
    let stored = teacher_honour::Entity::find().filter(teacher_honour::Column::TeacherId.eq(id)).count(&app.db).await;
    assert_eq!(stored.unwrap(), 1, "the old honours are gone from the table");

    let emptied = app.patch(&w.tokens.admin_a, &at(id), json!({"subjects": [], "grades": null})).await.expect(200);
    assert_eq!(emptied.body["subjects"], json!([]));
    assert_eq!(emptied.body["grades"], json!([]));
    assert_eq!(emptied.body["honours"].as_array().unwrap().len(), 1);
    assert_eq!(app.get(&w.tokens.admin_a, &at(id)).await.expect(200).body, emptied.body);
}

async fn each_filter_returns_exactly_the_matching_teachers(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let t1 = create(&app, admin, json!({"school_id": w.school_a, "name": "张一", "subjects": ["语文"],
        "posts": ["research_group_leader"], "honours": [{"title": "backbone_teacher", "level": "county", "year": 2020}]}))
    .await;
    let t2 = create(
        &app,
        admin,
        json!({"school_id": w.school_a, "name": "张二", "subjects": ["数学"],
        "status": "on_leave", "employment_type": "contract",
        "honours": [{"title": "backbone_teacher", "level": "school", "year": 2021}]}),
    )
    .await;
    let t3 = create(
        &app,
        admin,
        json!({"school_id": w.school_a, "name": "李三", "subjects": ["语文", "数学"],
        "posts": ["prep_group_leader"], "external_id": "X-3",
        "honours": [{"title": "rising_star", "level": "county", "year": 2022}]}),
    )
    .await;
    let tb =
        create(&app, &w.tokens.admin_b, json!({"school_id": w.school_b, "name": "张乙", "subjects": ["语文"]})).await;
    // Past and archived memberships of group A do not count.
    let now = Utc::now();
    let yesterday = now.date_naive().pred_opt().unwrap();
    for (teacher, until, archived) in [(t1, Some(yesterday), None), (t2, None, Some(now))] {
        group_membership::ActiveModel {
            id: NotSet,
            group_id: Set(w.group_a),
            teacher_id: Set(teacher),
            role: Set(MemberRole::Member),
            since: Set(yesterday.pred_opt().unwrap()),
            until: Set(until),
            sourced_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(archived),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }

    for (query, expected) in [
        ("subject=语文", vec![t1, t3]),
        ("subject=数学", vec![t2, t3]),
        ("post=research_group_leader", vec![t1]),
        ("honour=backbone_teacher", vec![t1, t2]),
        ("honour_level=county", vec![t1, t3]),
        ("honour=backbone_teacher&honour_level=county", vec![t1]),
        ("status=on_leave", vec![t2]),
        ("employment_type=contract", vec![t2]),
        ("q=张", vec![t1, t2]),
        ("q=张&subject=语文", vec![t1]),
        ("external_id=X-3", vec![t3]),
        ("school_id=0", vec![]),
    ] {
        let page = list(&app, admin, query).await;
        assert_eq!(page.ids(), expected, "{query}");
        assert_eq!(page.body["total"], expected.len(), "{query}");
    }
    let members = list(&app, admin, &format!("group_id={}", w.group_a)).await;
    assert_eq!(members.ids(), vec![w.teacher_a, w.leader_a], "live members of group A only");
    // The district administrator sees both schools; the same filter then finds school B's too.
    assert_eq!(list(&app, &w.tokens.district_admin, "subject=语文").await.ids(), vec![t1, t3, tb]);
    assert_eq!(list(&app, &w.tokens.district_admin, "q=张&status=active").await.ids(), vec![t1, tb]);
    let bad = app.get(admin, &format!("{TEACHERS}?post=janitor")).await.expect(422);
    assert_eq!(bad.error_fields(), vec!["post"]);
}

async fn sort_and_paging_are_stable(app: TestApp) {
    let w = World::build(&app).await;
    let mut ids = Vec::new();
    for (name, birth) in [
        ("Teacher Dai", Some("1985-03-01")),
        ("Teacher Ann", None),
        ("Teacher Eve", Some("1979-11-30")),
        ("Teacher Cai", Some("1992-07-15")),
        ("Teacher Ben", None),
    ] {
        ids.push(
            create(&app, &w.tokens.admin_a, json!({"school_id": w.school_a, "name": name, "birth_date": birth})).await,
        );
    }
    let [dai, ann, eve, cai, ben] = ids[..] else { unreachable!() };
    let q = "q=teacher";
    assert_eq!(list(&app, &w.tokens.admin_a, &format!("{q}&sort=name")).await.ids(), vec![ann, ben, cai, dai, eve]);
    assert_eq!(list(&app, &w.tokens.admin_a, &format!("{q}&sort=-name")).await.ids(), vec![eve, dai, cai, ben, ann]);
    assert_eq!(
        list(&app, &w.tokens.admin_a, &format!("{q}&sort=birth_date")).await.ids(),
        vec![eve, dai, cai, ann, ben]
    );
    assert_eq!(
        list(&app, &w.tokens.admin_a, &format!("{q}&sort=-birth_date")).await.ids(),
        vec![cai, dai, eve, ann, ben]
    );
    assert_eq!(list(&app, &w.tokens.admin_a, &format!("{q}&sort=-id")).await.ids(), vec![ben, cai, eve, ann, dai]);
    assert_eq!(list(&app, &w.tokens.admin_a, &format!("{q}&sort=created_at")).await.ids(), ids);

    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let page = list(&app, &w.tokens.admin_a, &format!("{q}&sort=birth_date&limit=2&offset={offset}")).await;
        assert_eq!(page.body["total"], 5);
        assert_eq!((page.body["limit"].as_u64(), page.body["offset"].as_u64()), (Some(2), Some(offset)));
        paged.extend(page.ids());
    }
    assert_eq!(paged, vec![eve, dai, cai, ann, ben], "pages neither overlap nor skip");
    let bad = app.get(&w.tokens.admin_a, &format!("{TEACHERS}?sort=age")).await.expect(422);
    assert_eq!(bad.error_fields(), vec!["sort"]);
}

async fn duplicate_external_id_is_a_conflict(app: TestApp) {
    let w = World::build(&app).await;
    let first =
        create(&app, &w.tokens.admin_a, json!({"school_id": w.school_a, "name": "周一", "external_id": "HR-1"})).await;
    let dup = app
        .post(&w.tokens.admin_b, TEACHERS, json!({"school_id": w.school_b, "name": "周二", "external_id": "HR-1"}))
        .await;
    assert_eq!(dup.expect(409).error_fields(), vec!["external_id"]);
    let taken = app.patch(&w.tokens.admin_a, &at(w.teacher_a), json!({"external_id": "HR-1"})).await.expect(409);
    assert_eq!(taken.error_fields(), vec!["external_id"]);
    // Archived teachers keep their external id; a teacher may re-send their own.
    app.delete(&w.tokens.admin_a, &at(first)).await.expect(204);
    app.post(&w.tokens.admin_a, TEACHERS, json!({"school_id": w.school_a, "name": "周三", "external_id": "HR-1"}))
        .await
        .expect(409);
    app.patch(&w.tokens.admin_a, &at(first), json!({"external_id": "HR-1", "name": "周一一"})).await.expect(200);
    // The OneRoster view's made-up ids are no one's external id.
    let reserved = json!({"school_id": w.school_a, "name": "周四", "external_id": "jiaoyan-teacher-1"});
    assert_eq!(app.post(&w.tokens.admin_a, TEACHERS, reserved).await.expect(422).error_fields(), vec!["external_id"]);
    let reserved = json!({"external_id": "jiaoyan-teacher-1"});
    assert_eq!(
        app.patch(&w.tokens.admin_a, &at(first), reserved).await.expect(422).error_fields(),
        vec!["external_id"]
    );
    assert_eq!(list(&app, &w.tokens.district_admin, "include_archived=true&q=周").await.ids(), vec![first]);
}

async fn invalid_bodies_name_each_bad_field(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let before = list(&app, admin, "").await.body["total"].clone();
    let post = |body: Value| app.post(admin, TEACHERS, body);
    assert_eq!(post(json!({"school_id": w.school_a, "name": 5})).await.expect(422).error_fields(), vec!["name"]);
    let bad_enum = post(json!({"school_id": w.school_a, "name": "吴", "employment_type": "volunteer"})).await;
    assert_eq!(bad_enum.expect(422).error_fields(), vec!["employment_type"]);
    let grade = post(json!({"school_id": w.school_a, "name": "吴", "grades": [1, 2, 7]})).await;
    assert_eq!(grade.expect(422).error_fields(), vec!["grades[2]"]);
    let tomorrow = Utc::now().date_naive().succ_opt().unwrap();
    let future = post(json!({"school_id": w.school_a, "name": "吴", "birth_date": tomorrow})).await;
    assert_eq!(future.expect(422).error_fields(), vec!["birth_date"]);
    let many = post(json!({
        "school_id": w.school_a, "name": "  ", "birth_date": "1939-12-31", "teaching_start_year": 1959,
        "subjects": ["语文", " "], "grades": [0], "external_id": "x".repeat(65),
        "honours": [{"title": "rising_star", "level": "school", "year": 2020}, {"title": "rising_star", "level": "school", "year": 1979}]
    }))
    .await
    .expect(422);
    assert_eq!(
        many.error_fields(),
        vec!["name", "birth_date", "teaching_start_year", "external_id", "subjects[1]", "grades[0]", "honours[1].year"]
    );
    let too_young =
        post(json!({"school_id": w.school_a, "name": "吴", "birth_date": "2000-01-01", "teaching_start_year": 2010}))
            .await;
    assert_eq!(too_young.expect(422).error_fields(), vec!["teaching_start_year"]);
    let unknown = post(json!({"school_id": w.school_a, "name": "吴", "salary": 1})).await.expect(422);
    assert!(unknown.body["detail"].as_str().unwrap().contains("salary"), "{}", unknown.body);
    assert_eq!(list(&app, admin, "").await.body["total"], before, "nothing was stored");

    let patch = app
        .patch(
            admin,
            &at(w.teacher_a),
            json!({"grades": [3, 9], "honours": [{"title": "x", "level": "school", "year": 2020}]}),
        )
        .await;
    assert_eq!(patch.expect(422).error_fields(), vec!["honours[0].title"]);
    let patch =
        app.patch(admin, &at(w.teacher_a), json!({"grades": [3, 9], "birth_date": "2015-01-01"})).await.expect(422);
    assert_eq!(patch.error_fields(), vec!["birth_date", "grades[1]"]);
    // teacher_a was born in 1990: teaching from 2000 would be at ten.
    let patch = app.patch(admin, &at(w.teacher_a), json!({"teaching_start_year": 2000})).await.expect(422);
    assert_eq!(patch.error_fields(), vec!["teaching_start_year"]);
    let patch = app.patch(admin, &at(w.teacher_a), json!({"birth_date": "2000-01-01"})).await.expect(422);
    assert_eq!(patch.error_fields(), vec!["birth_date"], "the fixture started teaching in 2012");
}

async fn scope_matrix(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    // admin_a cannot reach school B's teacher at all.
    app.get(&t.admin_a, &at(w.teacher_b)).await.expect(404);
    app.patch(&t.admin_a, &at(w.teacher_b), json!({"name": "x"})).await.expect(404);
    app.delete(&t.admin_a, &at(w.teacher_b)).await.expect(404);
    assert_eq!(list(&app, &t.admin_a, "").await.ids(), vec![w.teacher_a, w.leader_a]);
    let b = list(&app, &t.admin_a, &format!("school_id={}", w.school_b)).await;
    assert_eq!((b.ids(), b.body["total"].as_u64()), (vec![], Some(0)));
    assert_eq!(list(&app, &t.admin_a, &format!("group_id={}", w.group_b)).await.ids(), Vec::<i64>::new());
    let elsewhere = app.post(&t.admin_a, TEACHERS, json!({"school_id": w.school_b, "name": "越界"})).await.expect(422);
    assert_eq!(elsewhere.error_fields(), vec!["school_id"]);
    let moved = app.patch(&t.admin_a, &at(w.teacher_a), json!({"school_id": w.school_b})).await.expect(422);
    assert_eq!(moved.error_fields(), vec!["school_id"]);

    // Teachers and group leaders read their school's teachers but write nothing.
    for token in [&t.teacher_a, &t.leader_a] {
        assert_eq!(list(&app, token, "").await.ids(), vec![w.teacher_a, w.leader_a]);
        app.get(token, &at(w.leader_a)).await.expect(200);
        app.get(token, &at(w.teacher_b)).await.expect(404);
        app.post(token, TEACHERS, json!({"school_id": w.school_a, "name": "新人"})).await.expect(403);
        app.patch(token, &at(w.teacher_a), json!({"name": "改名"})).await.expect(403);
        app.delete(token, &at(w.leader_a)).await.expect(403);
    }

    // The other district's administrator sees none of district 1.
    let other = &t.other_district_admin;
    app.get(other, &at(w.teacher_a)).await.expect(404);
    app.patch(other, &at(w.teacher_a), json!({"name": "x"})).await.expect(404);
    app.delete(other, &at(w.teacher_a)).await.expect(404);
    assert_eq!(list(&app, other, "").await.ids(), vec![w.teacher_c]);
    app.post(other, TEACHERS, json!({"school_id": w.school_a, "name": "x"})).await.expect(422);

    // The district administrator writes in both schools; nothing above changed anything.
    assert_eq!(app.get(&t.admin_a, &at(w.teacher_a)).await.expect(200).body["name"], "王老师");
    assert_eq!(app.get(&t.admin_b, &at(w.teacher_b)).await.expect(200).body["archived_at"], Value::Null);
    create(&app, &t.district_admin, json!({"school_id": w.school_b, "name": "乙新"})).await;
}

async fn moving_a_teacher_moves_their_account(app: TestApp) {
    let w = World::build(&app).await;
    let moved =
        app.patch(&w.tokens.district_admin, &at(w.teacher_a), json!({"school_id": w.school_b})).await.expect(200);
    assert_eq!(moved.body["school_id"], w.school_b);
    // admin_a lost the teacher; the teacher's own account now sees school B.
    app.get(&w.tokens.admin_a, &at(w.teacher_a)).await.expect(404);
    let token = app.login("teacher_a", PASSWORD).await;
    assert_eq!(list(&app, &token, "").await.ids(), vec![w.teacher_a, w.teacher_b]);
}

async fn archiving_is_soft_and_idempotent(app: TestApp) {
    let w = World::build(&app).await;
    app.delete(&w.tokens.admin_a, &at(w.leader_a)).await.expect(204);
    app.delete(&w.tokens.admin_a, &at(w.leader_a)).await.expect(204);
    let got = app.get(&w.tokens.admin_a, &at(w.leader_a)).await.expect(200);
    assert!(got.body["archived_at"].is_string());
    assert_eq!(list(&app, &w.tokens.admin_a, "").await.ids(), vec![w.teacher_a]);
    assert_eq!(list(&app, &w.tokens.admin_a, "include_archived=true").await.ids(), vec![w.teacher_a, w.leader_a]);
    assert_eq!(list(&app, &w.tokens.admin_a, &format!("group_id={}", w.group_a)).await.ids(), vec![w.teacher_a]);
    // Their account is left alone (it is archived through /users).
    app.get(&w.tokens.leader_a, &at(w.teacher_a)).await.expect(200);
}

on_both_backends!(
    create_with_every_field_and_read_back,
    patch_replaces_only_the_lists_it_carries,
    each_filter_returns_exactly_the_matching_teachers,
    sort_and_paging_are_stable,
    duplicate_external_id_is_a_conflict,
    invalid_bodies_name_each_bad_field,
    scope_matrix,
    moving_a_teacher_moves_their_account,
    archiving_is_soft_and_idempotent,
);
