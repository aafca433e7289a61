//! Schools: the district office manages them, school-level roles see only their own school,
//! and a school's teacher statistics are counted as seed 004 reports them.

use chrono::{NaiveDate, Utc};
use entities::enums::*;
use entities::{teacher, teacher_honour};
use jiaoyan_tests::fixtures::{date, new_school, new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection, EntityTrait, IntoActiveModel, Set};
use serde_json::Value;

on_both_backends!(
    district_admin_creates_finds_and_changes_schools,
    school_level_roles_see_only_their_own_school,
    only_the_district_office_changes_schools,
    school_fields_are_validated_and_unique,
    a_school_is_archived_only_without_live_teachers_or_groups,
    statistics_count_teachers_by_age_band_degree_title_and_honour,
    statistics_take_other_age_cutoffs,
    statistics_are_for_the_district_office_and_the_school_admin,
    invalid_statistics_parameters_are_named,
);

fn school_body(w: &World, name: &str) -> Value {
    json!({"district_id": w.district, "zone_id": w.zone, "name": name, "tier": "village",
           "code": format!("C-{name}"), "address": "河铺镇"})
}

async fn district_admin_creates_finds_and_changes_schools(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;

    let created = app.post(t, "/api/v1/schools", school_body(&w, "丁村小")).await.expect(201);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.headers["location"], format!("/api/v1/schools/{id}").as_str());
    assert_eq!(created.body["tier"], "village");
    assert_eq!(created.body["zone_id"], w.zone);
    assert_eq!(created.body["code"], "C-丁村小");
    assert_eq!(created.body["is_zone_lead"], false);

    // School A is the zone's lead school (牵头学校).
    let a = app.get(t, &format!("/api/v1/schools/{}", w.school_a)).await.expect(200);
    assert_eq!(a.body["is_zone_lead"], true);
    let b = app.get(t, &format!("/api/v1/schools/{}", w.school_b)).await.expect(200);
    assert_eq!(b.body["is_zone_lead"], false);

    let all = app.get(t, "/api/v1/schools").await.expect(200);
    assert_eq!(all.ids(), vec![w.school_a, w.school_b, id]);
    assert_eq!(all.body["total"], 3);
    assert_eq!(all.body["items"][0]["is_zone_lead"], true);
    assert_eq!(app.get(t, "/api/v1/schools?tier=village").await.ids(), vec![id]);
    assert_eq!(app.get(t, "/api/v1/schools?q=%E6%9D%91").await.ids(), vec![id]); // q=村
    assert_eq!(app.get(t, "/api/v1/schools?q=%25").await.ids(), Vec::<i64>::new()); // q=% is literal
    assert_eq!(
        app.get(t, &format!("/api/v1/schools?zone_id={}&sort=-id", w.zone)).await.ids(),
        vec![id, w.school_b, w.school_a]
    );
    let limited = app.get(t, "/api/v1/schools?limit=1&offset=1").await.expect(200);
    assert_eq!((limited.ids(), limited.body["total"].as_i64()), (vec![w.school_b], Some(3)));

    let changed = app
        .patch(
            t,
            &format!("/api/v1/schools/{id}"),
            json!({"name": "丁村小学", "tier": "township_central",
            "zone_id": null, "code": null}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["name"], "丁村小学");
    assert_eq!(changed.body["tier"], "township_central");
    assert_eq!(changed.body["zone_id"], Value::Null);
    assert_eq!(changed.body["code"], Value::Null);
    assert_eq!(changed.body["address"], "河铺镇", "absent fields stay as they are");
    assert_eq!(app.get(t, &format!("/api/v1/schools?zone_id={}", w.zone)).await.ids(), vec![w.school_a, w.school_b]);
}

async fn school_level_roles_see_only_their_own_school(app: TestApp) {
    let w = World::build(&app).await;
    let tk = &w.tokens;
    for token in [&tk.admin_a, &tk.teacher_a, &tk.leader_a] {
        assert_eq!(app.get(token, "/api/v1/schools").await.expect(200).ids(), vec![w.school_a]);
        app.get(token, &format!("/api/v1/schools/{}", w.school_a)).await.expect(200);
        app.get(token, &format!("/api/v1/schools/{}", w.school_b)).await.expect(404);
        app.get(token, &format!("/api/v1/schools/{}", w.school_c)).await.expect(404);
        // Filters cannot widen the scope.
        assert!(app.get(token, &format!("/api/v1/schools?district_id={}", w.district)).await.ids() == vec![w.school_a]);
    }
    assert_eq!(app.get(&tk.teacher_b, "/api/v1/schools").await.ids(), vec![w.school_b]);
    assert_eq!(app.get(&tk.other_district_admin, "/api/v1/schools").await.ids(), vec![w.school_c]);
    app.get(&tk.other_district_admin, &format!("/api/v1/schools/{}", w.school_a)).await.expect(404);
    assert_eq!(app.get(&tk.root, "/api/v1/schools").await.ids(), vec![w.school_a, w.school_b, w.school_c]);
    app.get(&tk.district_admin, &format!("/api/v1/schools/{}", w.school_c)).await.expect(404);
}

async fn only_the_district_office_changes_schools(app: TestApp) {
    let w = World::build(&app).await;
    let tk = &w.tokens;
    let (a, b) = (format!("/api/v1/schools/{}", w.school_a), format!("/api/v1/schools/{}", w.school_b));
    let rename = json!({"name": "改名小学"});

    // A school admin may not change even its own school; other schools do not exist for it.
    app.patch(&tk.admin_a, &a, rename.clone()).await.expect(403);
    app.delete(&tk.admin_a, &a).await.expect(403);
    app.patch(&tk.admin_a, &b, rename.clone()).await.expect(404);
    app.delete(&tk.admin_a, &b).await.expect(404);
    app.post(&tk.admin_a, "/api/v1/schools", school_body(&w, "丁村小")).await.expect(403);
    app.post(&tk.teacher_a, "/api/v1/schools", school_body(&w, "丁村小")).await.expect(403);
    app.patch(&tk.teacher_a, &a, rename.clone()).await.expect(403);
    app.delete(&tk.teacher_a, &a).await.expect(403);

    // The other district's administrator cannot reach district 1 at all.
    app.patch(&tk.other_district_admin, &a, rename.clone()).await.expect(404);
    app.delete(&tk.other_district_admin, &a).await.expect(404);
    let refused = app.post(&tk.other_district_admin, "/api/v1/schools", school_body(&w, "丁村小")).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["district_id"]);

    let unchanged = app.get(&tk.district_admin, &a).await.expect(200);
    assert_eq!(unchanged.body["name"], "甲小学");
    assert!(unchanged.body["archived_at"].is_null());
    app.patch(&tk.district_admin, &a, rename).await.expect(200);
}

async fn school_fields_are_validated_and_unique(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let other_zone = app
        .post(&w.tokens.other_district_admin, "/api/v1/zones", json!({"district_id": w.other_district, "name": "北片"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();

    let bad = app
        .post(
            t,
            "/api/v1/schools",
            json!({"district_id": w.district, "zone_id": other_zone, "name": "  ", "tier": "village"}),
        )
        .await
        .expect(422);
    assert_eq!(bad.error_fields(), vec!["name", "zone_id"]);
    let bad_tier =
        app.post(t, "/api/v1/schools", json!({"district_id": w.district, "name": "x", "tier": "city"})).await;
    assert_eq!(bad_tier.expect(422).error_fields(), vec!["tier"]);
    let unknown = app
        .post(t, "/api/v1/schools", json!({"district_id": w.district, "name": "x", "tier": "village", "colour": "red"}))
        .await
        .expect(422);
    assert!(unknown.body["detail"].as_str().unwrap().contains("colour"));
    let moved = app.patch(t, &format!("/api/v1/schools/{}", w.school_b), json!({"zone_id": other_zone})).await;
    assert_eq!(moved.expect(422).error_fields(), vec!["zone_id"]);

    app.post(t, "/api/v1/schools", school_body(&w, "丁村小")).await.expect(201);
    let same_name =
        app.post(t, "/api/v1/schools", json!({"district_id": w.district, "name": "甲小学", "tier": "village"}));
    assert_eq!(same_name.await.expect(409).error_fields(), vec!["name"]);
    let same_code = app
        .post(
            t,
            "/api/v1/schools",
            json!({"district_id": w.district, "name": "戊小学", "tier": "village", "code": "C-丁村小"}),
        )
        .await
        .expect(409);
    assert_eq!(same_code.error_fields(), vec!["code"]);
    let renamed = app.patch(t, &format!("/api/v1/schools/{}", w.school_b), json!({"name": "甲小学"})).await;
    assert_eq!(renamed.expect(409).error_fields(), vec!["name"]);
    // The same name in another district is fine.
    app.post(
        &w.tokens.other_district_admin,
        "/api/v1/schools",
        json!({"district_id": w.other_district, "name": "甲小学", "tier": "county_direct"}),
    )
    .await
    .expect(201);
    // Keeping one's own name and code is no conflict.
    app.patch(t, &format!("/api/v1/schools/{}", w.school_a), json!({"name": "甲小学"})).await.expect(200);
}

async fn a_school_is_archived_only_without_live_teachers_or_groups(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let refused = app.delete(t, &format!("/api/v1/schools/{}", w.school_a)).await.expect(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("2 teachers"));

    let with_teacher = new_school(&app.db, w.district, None, "有老师小学").await;
    new_teacher(&app.db, with_teacher, "孙老师").await;
    app.delete(t, &format!("/api/v1/schools/{with_teacher}")).await.expect(409);

    // An empty school that leads its zone: archiving it frees the zone's lead.
    let empty =
        app.post(t, "/api/v1/schools", school_body(&w, "空小学")).await.expect(201).body["id"].as_i64().unwrap();
    app.patch(t, &format!("/api/v1/zones/{}", w.zone), json!({"lead_school_id": empty})).await.expect(200);
    assert_eq!(app.get(t, &format!("/api/v1/schools/{empty}")).await.body["is_zone_lead"], true);
    app.delete(t, &format!("/api/v1/schools/{empty}")).await.expect(204);
    app.delete(t, &format!("/api/v1/schools/{empty}")).await.expect(204);
    let zone = app.get(t, &format!("/api/v1/zones/{}", w.zone)).await.expect(200);
    assert_eq!(zone.body["lead_school_id"], Value::Null);

    let archived = app.get(t, &format!("/api/v1/schools/{empty}")).await.expect(200);
    assert!(archived.body["archived_at"].is_string());
    assert!(!app.get(t, "/api/v1/schools").await.ids().contains(&empty));
    assert!(app.get(t, "/api/v1/schools?include_archived=true").await.ids().contains(&empty));
}

/// A teacher of `school` with the given particulars.
struct T {
    birth: Option<NaiveDate>,
    degree: Option<Degree>,
    title: Option<ProfessionalTitle>,
    gender: Option<Gender>,
    employment: EmploymentType,
    status: TeacherStatus,
}

impl Default for T {
    fn default() -> Self {
        T {
            birth: Some(date(1990, 5, 1)),
            degree: Some(Degree::Bachelor),
            title: Some(ProfessionalTitle::First),
            gender: Some(Gender::Female),
            employment: EmploymentType::Permanent,
            status: TeacherStatus::Active,
        }
    }
}

async fn add_teacher(db: &DatabaseConnection, school: i64, name: &str, t: T) -> i64 {
    let id = new_teacher(db, school, name).await;
    let mut row = teacher::Entity::find_by_id(id).one(db).await.unwrap().unwrap().into_active_model();
    row.birth_date = Set(t.birth);
    row.degree = Set(t.degree);
    row.professional_title = Set(t.title);
    row.gender = Set(t.gender);
    row.employment_type = Set(t.employment);
    row.status = Set(t.status);
    row.update(db).await.unwrap();
    id
}

async fn add_honour(db: &DatabaseConnection, teacher_id: i64, title: HonourTitle, level: Level, year: i32) {
    teacher_honour::ActiveModel {
        id: NotSet,
        teacher_id: Set(teacher_id),
        title: Set(title),
        level: Set(level),
        year: Set(year),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await
    .unwrap();
}

/// Six counted teachers on 2026-09-01 (35 years back is 1991-09-01, 50 years back 1976-09-01),
/// plus one on leave and one archived who are not counted.
async fn statistics_school(app: &TestApp, w: &World) -> i64 {
    let db = &app.db;
    let s = new_school(db, w.district, None, "统计小学").await;
    let young = add_teacher(
        db,
        s,
        "一",
        T { birth: Some(date(1991, 9, 2)), degree: Some(Degree::Master), gender: Some(Gender::Male), ..T::default() },
    )
    .await;
    let just_35 =
        add_teacher(db, s, "二", T { birth: Some(date(1991, 9, 1)), degree: Some(Degree::Associate), ..T::default() })
            .await;
    let just_49 = add_teacher(db, s, "三", T { birth: Some(date(1976, 9, 2)), ..T::default() }).await;
    add_teacher(
        db,
        s,
        "四",
        T { birth: Some(date(1976, 9, 1)), title: Some(ProfessionalTitle::Senior), ..T::default() },
    )
    .await;
    add_teacher(db, s, "五", T { birth: None, degree: None, title: None, ..T::default() }).await;
    let newcomer = add_teacher(
        db,
        s,
        "六",
        T { birth: Some(date(2000, 1, 1)), employment: EmploymentType::Contract, ..T::default() },
    )
    .await;
    let on_leave = add_teacher(db, s, "七", T { status: TeacherStatus::OnLeave, ..T::default() }).await;
    let archived = add_teacher(db, s, "八", T::default()).await;
    let mut row = teacher::Entity::find_by_id(archived).one(db).await.unwrap().unwrap().into_active_model();
    row.archived_at = Set(Some(Utc::now()));
    row.update(db).await.unwrap();

    // 县级学科带头人 and 县级骨干教师 held by the same teacher count once at county level.
    add_honour(db, young, HonourTitle::SubjectLeader, Level::County, 2024).await;
    add_honour(db, young, HonourTitle::BackboneTeacher, Level::County, 2025).await;
    add_honour(db, just_35, HonourTitle::RisingStar, Level::County, 2023).await;
    add_honour(db, just_49, HonourTitle::RisingStar, Level::City, 2020).await;
    add_honour(db, just_49, HonourTitle::RisingStar, Level::School, 2019).await;
    add_honour(db, newcomer, HonourTitle::TeachingExpert, Level::County, 2027).await; // after as_of
    add_honour(db, on_leave, HonourTitle::RenownedTeacher, Level::Province, 2020).await;
    add_honour(db, archived, HonourTitle::RenownedTeacher, Level::Province, 2020).await;
    s
}

fn counts(body: &Value, key: &str, codes: &[(&str, i64)]) {
    for (code, n) in codes {
        assert_eq!(body[key][code], *n, "{key}.{code} in {}", body[key]);
    }
}

async fn statistics_count_teachers_by_age_band_degree_title_and_honour(app: TestApp) {
    let w = World::build(&app).await;
    let s = statistics_school(&app, &w).await;
    let stats = app
        .get(&w.tokens.district_admin, &format!("/api/v1/schools/{s}/statistics?as_of=2026-09-01"))
        .await
        .expect(200)
        .body;
    assert_eq!(stats["school_id"], s);
    assert_eq!(stats["as_of"], "2026-09-01");
    assert_eq!(stats["age_cutoffs"], json!([35, 50]));
    assert_eq!(stats["total"], 6);
    assert_eq!(
        stats["by_age_band"],
        json!([
            {"label": "<35", "min_age": null, "max_age": 34, "count": 2},
            {"label": "35–49", "min_age": 35, "max_age": 49, "count": 2},
            {"label": "≥50", "min_age": 50, "max_age": null, "count": 1},
        ])
    );
    assert_eq!(stats["unknown_age"], 1);
    counts(&stats, "by_degree", &[("bachelor", 3), ("master", 1), ("associate", 1), ("unknown", 1), ("doctorate", 0)]);
    counts(&stats, "by_professional_title", &[("first", 4), ("senior", 1), ("unknown", 1), ("second", 0)]);
    counts(&stats, "by_employment_type", &[("permanent", 5), ("contract", 1), ("support", 0)]);
    assert_eq!(stats["by_gender"], json!({"female": 5, "male": 1}));
    assert_eq!(
        stats["by_honour_level"],
        json!({"school": 1, "district": 0, "county": 2, "city": 1, "province": 0, "national": 0})
    );
    assert_eq!(
        stats["by_honour_title"],
        json!({"renowned_teacher": 0, "subject_leader": 1, "backbone_teacher": 1, "rising_star": 2, "teaching_expert": 0})
    );

    // A year later the newcomer's 2027 honour counts, "三" has turned 50 and "一" 35.
    let later = app
        .get(&w.tokens.district_admin, &format!("/api/v1/schools/{s}/statistics?as_of=2027-09-02"))
        .await
        .expect(200)
        .body;
    let later_counts: Vec<i64> =
        later["by_age_band"].as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).collect();
    assert_eq!(later_counts, vec![1, 2, 2]);
    assert_eq!(later["by_honour_title"]["teaching_expert"], 1);
    assert_eq!(later["by_honour_level"]["county"], 3);
}

async fn statistics_take_other_age_cutoffs(app: TestApp) {
    let w = World::build(&app).await;
    let s = statistics_school(&app, &w).await;
    let stats = app
        .get(&w.tokens.district_admin, &format!("/api/v1/schools/{s}/statistics?as_of=2026-09-01&age_cutoffs=28,35,45"))
        .await
        .expect(200)
        .body;
    assert_eq!(stats["age_cutoffs"], json!([28, 35, 45]));
    let bands: Vec<(String, i64)> = stats["by_age_band"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["label"].as_str().unwrap().to_string(), b["count"].as_i64().unwrap()))
        .collect();
    // Born 2000 (26), 1991-09-02 (34), 1991-09-01 (35), 1976-09-02 (49), 1976-09-01 (50).
    assert_eq!(bands, vec![("<28".into(), 1), ("28–34".into(), 1), ("35–44".into(), 1), ("≥45".into(), 2)]);
    assert_eq!(stats["unknown_age"], 1);

    // Without as_of, ages are counted today: the fixture's teachers are both born 1990-05-01.
    let today = app.get(&w.tokens.admin_a, &format!("/api/v1/schools/{}/statistics", w.school_a)).await.expect(200);
    assert_eq!(today.body["total"], 2);
    assert!(NaiveDate::parse_from_str(today.body["as_of"].as_str().unwrap(), "%Y-%m-%d").is_ok());
    let counted: i64 = today.body["by_age_band"].as_array().unwrap().iter().map(|b| b["count"].as_i64().unwrap()).sum();
    assert_eq!(counted, 2);
}

async fn statistics_are_for_the_district_office_and_the_school_admin(app: TestApp) {
    let w = World::build(&app).await;
    let tk = &w.tokens;
    let (a, b) =
        (format!("/api/v1/schools/{}/statistics", w.school_a), format!("/api/v1/schools/{}/statistics", w.school_b));
    assert_eq!(app.get(&tk.admin_a, &a).await.expect(200).body["total"], 2);
    assert_eq!(app.get(&tk.district_admin, &b).await.expect(200).body["total"], 1);
    app.get(&tk.root, &b).await.expect(200);
    app.get(&tk.teacher_a, &a).await.expect(403);
    app.get(&tk.leader_a, &a).await.expect(403);
    app.get(&tk.admin_a, &b).await.expect(404);
    app.get(&tk.teacher_a, &b).await.expect(404);
    app.get(&tk.other_district_admin, &a).await.expect(404);
    app.get(&tk.district_admin, "/api/v1/schools/999999/statistics").await.expect(404);
}

async fn invalid_statistics_parameters_are_named(app: TestApp) {
    let w = World::build(&app).await;
    let path = format!("/api/v1/schools/{}/statistics", w.school_a);
    for cutoffs in ["50,35", "35,35", "10", "35,81", "35,abc", ""] {
        let resp = app.get(&w.tokens.district_admin, &format!("{path}?age_cutoffs={cutoffs}")).await.expect(422);
        assert_eq!(resp.error_fields(), vec!["age_cutoffs"], "for {cutoffs:?}");
    }
    let resp = app.get(&w.tokens.district_admin, &format!("{path}?as_of=yesterday")).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["as_of"]);
    let resp = app.get(&w.tokens.district_admin, &format!("{path}?colour=red")).await.expect(422);
    assert_eq!(resp.status, 422);
}
