//! The demo district (`jiaoyan seed-demo`): its accounts log in with their roles and scopes, its
//! organisation matches the seeds (zones of seed 001, structure and slots of seed 000, staff
//! statistics of seed 004), and seeding never writes into a database that has it already.

use api::demo::{self, DemoSummary};
use chrono::NaiveDate;
use entities::enums::{Degree, GroupKind, Role};
use entities::{district, group, teacher, user, weekly_slot};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{on_both_backends, TestApp};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const DEMO_PASSWORD: &str = "demo-password-1234";

async fn seeded(app: &TestApp) -> DemoSummary {
    demo::seed(&app.db, Some(DEMO_PASSWORD)).await.expect("the demo seeds into an empty database")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn districts(db: &DatabaseConnection) -> u64 {
    district::Entity::find().count(db).await.unwrap()
}

/// The live (not archived) teachers of a school.
fn live_teachers(school_id: i64) -> sea_orm::Select<teacher::Entity> {
    teacher::Entity::find()
        .filter(teacher::Column::SchoolId.eq(school_id))
        .filter(teacher::Column::ArchivedAt.is_null())
}

async fn demo_accounts_log_in_with_their_roles_and_scopes(app: TestApp) {
    let summary = seeded(&app).await;
    let flagship = summary.district.flagship();
    let yuwen = flagship.group("语文教研组").unwrap();
    let expected = [
        ("luotian-admin", Role::DistrictAdmin, None, None),
        ("dahean-admin", Role::SchoolAdmin, Some(flagship.id), None),
        ("dahean-yuwen", Role::GroupLeader, Some(flagship.id), Some(yuwen.leader_teacher_id)),
        ("dahean-teacher", Role::Teacher, Some(flagship.id), None),
    ];
    assert_eq!(summary.logins.len(), 4);
    for (username, role, school_id, teacher_id) in expected {
        let login = summary.logins.iter().find(|l| l.username == username).expect("a login per role");
        assert_eq!((login.role, login.password.as_str()), (role, DEMO_PASSWORD));
        let token = app.login(username, DEMO_PASSWORD).await;
        let me = app.get(&token, "/api/v1/me").await.expect(200).body;
        assert_eq!(me["role"], role.code(), "{username}");
        assert_eq!(me["district_id"], summary.district_id, "{username}");
        assert_eq!(me["school_id"].as_i64(), school_id, "{username}");
        if let Some(teacher_id) = teacher_id {
            assert_eq!(me["teacher_id"], teacher_id, "{username}");
        }
    }
    // The teacher account belongs to an ordinary teacher of the flagship: no post, no leadership.
    let token = app.login("dahean-teacher", DEMO_PASSWORD).await;
    let me = app.get(&token, "/api/v1/me").await.expect(200).body;
    let teacher = flagship.teacher(me["teacher_id"].as_i64().unwrap()).expect("a teacher of the flagship");
    assert!(teacher.spec.posts.is_empty());
    assert!(flagship.groups.iter().all(|g| g.leader_teacher_id != teacher.id));
}

async fn the_district_admin_sees_three_zones_each_led_by_its_lead_school(app: TestApp) {
    let summary = seeded(&app).await;
    let token = app.login("luotian-admin", DEMO_PASSWORD).await;
    let zones = app.get(&token, "/api/v1/zones").await.expect(200).body;
    let items = zones["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for (zone, lead) in [("东片", "大河岸中心小学"), ("西片", "三里畈小学"), ("南片", "骆驼坳小学")]
    {
        let found = items.iter().find(|z| z["name"] == zone).unwrap_or_else(|| panic!("zone {zone} listed"));
        assert_eq!(found["district_id"], summary.district_id);
        assert_eq!(found["lead_school_id"], summary.district.school(lead).unwrap().id, "{zone} led by {lead}");
    }
}

async fn the_flagship_matches_the_staff_statistics_of_seed_004(app: TestApp) {
    let summary = seeded(&app).await;
    let db = &app.db;
    let live = || live_teachers(summary.district.flagship().id);
    assert_eq!(live().count(db).await.unwrap(), 60);
    // Ages on 2026-11-23: under 35 ⇔ born after 1991-11-23; 50 or more ⇔ born on or before 1976-11-23.
    let (young, old) = (day(1991, 11, 23), day(1976, 11, 23));
    let under_35 = live().filter(teacher::Column::BirthDate.gt(young)).count(db).await.unwrap();
    let middle = live()
        .filter(teacher::Column::BirthDate.lte(young))
        .filter(teacher::Column::BirthDate.gt(old))
        .count(db)
        .await
        .unwrap();
    let over_50 = live().filter(teacher::Column::BirthDate.lte(old)).count(db).await.unwrap();
    assert_eq!((under_35, middle, over_50), (35, 23, 2));
    let bachelors = live().filter(teacher::Column::Degree.eq(Degree::Bachelor)).count(db).await.unwrap();
    assert_eq!(bachelors, 36);
}

async fn the_flagship_has_the_groups_and_slots_of_seed_000(app: TestApp) {
    let summary = seeded(&app).await;
    let db = &app.db;
    let school_id = summary.district.flagship().id;
    let research = |name: &'static str| async move {
        group::Entity::find()
            .filter(group::Column::SchoolId.eq(school_id))
            .filter(group::Column::Name.eq(name))
            .one(db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{name} exists"))
    };
    for (name, prep_groups, weekday) in [("语文教研组", 6, 4), ("数学教研组", 5, 2), ("英语教研组", 0, 3)]
    {
        let g = research(name).await;
        assert_eq!(g.kind, GroupKind::Research);
        let children = group::Entity::find()
            .filter(group::Column::ParentId.eq(g.id))
            .filter(group::Column::Kind.eq(GroupKind::LessonPrep))
            .count(db)
            .await
            .unwrap();
        assert_eq!(children, prep_groups, "{name}");
        let slots = weekly_slot::Entity::find().filter(weekly_slot::Column::GroupId.eq(g.id)).all(db).await.unwrap();
        assert_eq!(slots.len(), 1, "{name}");
        assert_eq!((slots[0].weekday, slots[0].start_period), (weekday, Some(6)), "{name}: 下午第二节");
    }
    // The district team has no school and gathers teachers of several schools.
    let team = group::Entity::find_by_id(summary.district.district_team.id).one(db).await.unwrap().unwrap();
    assert_eq!((team.kind, team.school_id), (GroupKind::DistrictTeam, None));
    let schools: std::collections::HashSet<i64> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(summary.district.district_team.member_ids.clone()))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.school_id)
        .collect();
    assert!(schools.len() >= 3, "members from several schools: {schools:?}");
}

async fn seed_if_empty_leaves_a_database_with_a_district_alone(app: TestApp) {
    World::build(&app).await;
    let before = districts(&app.db).await;
    let seeded = demo::seed_if_empty(&app.db, Some(DEMO_PASSWORD)).await.unwrap();
    assert!(seeded.is_none());
    assert_eq!(districts(&app.db).await, before);
    let users = user::Entity::find().filter(user::Column::Username.eq("luotian-admin")).count(&app.db).await.unwrap();
    assert_eq!(users, 0);
}

async fn seed_if_empty_seeds_an_empty_database_once(app: TestApp) {
    let first = demo::seed_if_empty(&app.db, None).await.unwrap().expect("an empty database gets the demo");
    let password = first.logins[0].password.clone();
    assert_eq!(password.chars().count(), 20, "a generated password");
    assert!(first.logins.iter().all(|l| l.password == password), "one password for every demo account");
    app.login("dahean-admin", &password).await;
    assert!(demo::seed_if_empty(&app.db, None).await.unwrap().is_none());
    assert_eq!(districts(&app.db).await, 1);
}

async fn seeding_twice_fails_without_writing_anything(app: TestApp) {
    seeded(&app).await;
    let counts = |db: DatabaseConnection| async move {
        (
            districts(&db).await,
            teacher::Entity::find().count(&db).await.unwrap(),
            group::Entity::find().count(&db).await.unwrap(),
            user::Entity::find().count(&db).await.unwrap(),
        )
    };
    let before = counts(app.db.clone()).await;
    let error = demo::seed(&app.db, Some(DEMO_PASSWORD)).await.expect_err("the demo district exists already");
    assert!(error.to_string().contains("罗田县"), "{error}");
    assert_eq!(counts(app.db.clone()).await, before);
    // A short password is refused before anything is written.
    let error = demo::seed(&app.db, Some("short")).await.expect_err("too short");
    assert!(error.to_string().contains("password"), "{error}");
    assert_eq!(counts(app.db.clone()).await, before);
}

async fn a_taken_demo_username_stops_the_seed_before_it_writes(app: TestApp) {
    let w = World::build(&app).await;
    let root = app.root().await;
    app.post(
        &root,
        "/api/v1/users",
        jiaoyan_tests::json!({"username": "dahean-admin", "password": "a-long-password", "role": "district_admin",
            "district_id": w.district}),
    )
    .await
    .expect(201);
    let before = districts(&app.db).await;
    let error = demo::seed(&app.db, Some(DEMO_PASSWORD)).await.expect_err("the username is taken");
    assert!(error.to_string().contains("dahean-admin"), "{error}");
    assert_eq!(districts(&app.db).await, before);
}

async fn two_databases_seeded_apart_hold_the_same_data(app: TestApp) {
    let other = TestApp::spawn(app.backend).await;
    let (a, b) = (seeded(&app).await, seeded(&other).await);
    assert_eq!(a.district.teacher_count(), b.district.teacher_count());
    let rows = |db: DatabaseConnection| async move {
        teacher::Entity::find()
            .order_by_asc(teacher::Column::Id)
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.birth_date, t.degree, t.professional_title, t.teaching_start_year))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(app.db.clone()).await, rows(other.db.clone()).await);
}

async fn the_summary_prints_every_login_and_where_to_use_it(app: TestApp) {
    let summary = seeded(&app).await;
    let printed = summary.to_string();
    for login in &summary.logins {
        assert!(printed.contains(&login.username) && printed.contains(login.role.code()), "{printed}");
    }
    assert!(printed.contains(DEMO_PASSWORD));
    assert!(printed.contains("POST /api/v1/auth/login") && printed.contains("/swagger-ui/"), "{printed}");
}

on_both_backends!(
    demo_accounts_log_in_with_their_roles_and_scopes,
    the_district_admin_sees_three_zones_each_led_by_its_lead_school,
    the_flagship_matches_the_staff_statistics_of_seed_004,
    the_flagship_has_the_groups_and_slots_of_seed_000,
    seed_if_empty_leaves_a_database_with_a_district_alone,
    seed_if_empty_seeds_an_empty_database_once,
    seeding_twice_fails_without_writing_anything,
    a_taken_demo_username_stops_the_seed_before_it_writes,
    two_databases_seeded_apart_hold_the_same_data,
    the_summary_prints_every_login_and_where_to_use_it,
);
