//! The demo district (`jiaoyan seed-demo`): its accounts log in with their roles and scopes, its
//! organisation matches the seeds (zones of seed 001, structure and slots of seed 000, staff
//! statistics of seed 004), its half semester of work keeps the rules the API enforces and is
//! varied enough for quota checks, and seeding never writes into a database that has it already.

use std::collections::{HashMap, HashSet};

use api::activities::policy::summary_due_on;
use api::demo::{self, DemoSummary};
use api::org::calendar::{calendar_of_semester, is_teaching_day, Calendar};
use api::records::words::word_count;
use chrono::{Datelike, NaiveDate};
use entities::enums::{
    ActivityStatus, ActivityType, AttendanceStatus, Degree, GroupKind, HonourTitle, LessonKind, MentorshipStatus,
    Modality, OrganiserKind, RecordKind, Role, SummaryDueRule,
};
use entities::{
    activity, activity_lesson, activity_participant, district, group, group_membership, mentorship, observation,
    record, record_coauthor, record_task, rubric, rubric_dimension, semester, teacher, user, weekly_slot,
};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{on_both_backends, TestApp, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// Seeds the demo into the app's (empty) database.
async fn seeded(app: &TestApp) -> DemoSummary {
    demo::seed(&app.db, Some(DEMO_PASSWORD)).await.expect("the demo seeds into an empty database")
}

/// What the database of an app started by `TestApp::spawn_demo` holds: the demo district, seeded
/// by the same `demo::seed` once per test process into a template, and copied.
fn demo_of(app: &TestApp) -> DemoSummary {
    app.demo.clone().expect("the app was started on the demo template")
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
    let summary = demo_of(&app);
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
    let summary = demo_of(&app);
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
    let summary = demo_of(&app);
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
    let summary = demo_of(&app);
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
        jiaoyan_tests::json!({"username": "dahean-admin", "password": "Wutong-5#tree-lantern", "role": "district_admin",
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
    assert_eq!(a.work, b.work);
    let observations = |db: DatabaseConnection| async move {
        observation::Entity::find()
            .order_by_asc(observation::Column::Id)
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|o| (o.observed_on, o.lesson_kind, o.strengths, o.total_score))
            .collect::<Vec<_>>()
    };
    assert_eq!(observations(app.db.clone()).await, observations(other.db.clone()).await);
}

async fn the_summary_prints_every_login_and_where_to_use_it(app: TestApp) {
    let summary = demo_of(&app);
    let printed = summary.to_string();
    for login in &summary.logins {
        assert!(printed.contains(&login.username) && printed.contains(login.role.code()), "{printed}");
    }
    assert!(printed.contains(DEMO_PASSWORD));
    assert!(printed.contains("POST /api/v1/auth/login") && printed.contains("/swagger-ui/"), "{printed}");
}

on_both_backends!(
    seed_if_empty_leaves_a_database_with_a_district_alone,
    seed_if_empty_seeds_an_empty_database_once,
    seeding_twice_fails_without_writing_anything,
    a_taken_demo_username_stops_the_seed_before_it_writes,
    two_databases_seeded_apart_hold_the_same_data,
);

/// The tests that only read the demo start on a copy of it, seeded once per test process.
mod on_the_demo_template {
    use super::*;
    jiaoyan_tests::on_both_backends!(
        spawn = spawn_demo;
        demo_accounts_log_in_with_their_roles_and_scopes,
        the_district_admin_sees_three_zones_each_led_by_its_lead_school,
        the_flagship_matches_the_staff_statistics_of_seed_004,
        the_flagship_has_the_groups_and_slots_of_seed_000,
        the_work_has_the_documented_counts,
        activities_keep_the_rules_of_the_api,
        attendance_follows_the_organisers_members,
        observations_vary_and_their_feedback_counts_match,
        records_count_their_words_and_flag_late_answers,
        mentorships_pair_honoured_teachers_with_young_ones,
        the_summary_prints_every_login_and_where_to_use_it,
    );
}

// ---- Half a semester of work (as of 2026-11-20) ----

async fn autumn_calendar(db: &DatabaseConnection, summary: &DemoSummary) -> Calendar {
    let semester = semester::Entity::find_by_id(summary.district.autumn_semester_id).one(db).await.unwrap().unwrap();
    calendar_of_semester(&semester).unwrap()
}

async fn the_work_has_the_documented_counts(app: TestApp) {
    let summary = demo_of(&app);
    let db = &app.db;
    let w = &summary.work;
    assert_eq!(w.as_of, Some(demo::as_of()));
    assert_eq!(demo::as_of(), day(2026, 11, 20));
    // The numbers documented in docs/API-DESIGN.md (### Demo district: half a semester of work).
    assert_eq!(
        (w.activities, w.held, w.scheduled, w.drafts, w.cancelled),
        (EXPECTED.0, EXPECTED.1, EXPECTED.2, EXPECTED.3, EXPECTED.4)
    );
    assert_eq!((w.observations, w.records, w.record_tasks, w.mentorships), (EXPECTED.5, EXPECTED.6, 3, 5));
    // What the summary says is what the database holds.
    let of_district = || activity::Entity::find().filter(activity::Column::DistrictId.eq(summary.district_id));
    assert_eq!(
        activity::Entity::find().filter(activity::Column::DistrictId.eq(summary.district_id)).count(db).await.unwrap()
            as usize,
        w.activities
    );
    for (status, expected) in [
        (ActivityStatus::Held, w.held),
        (ActivityStatus::Scheduled, w.scheduled),
        (ActivityStatus::Draft, w.drafts),
        (ActivityStatus::Cancelled, w.cancelled),
    ] {
        let n = of_district().filter(activity::Column::Status.eq(status)).count(db).await.unwrap();
        assert_eq!(n as usize, expected, "{status:?}");
    }
    assert_eq!(activity_lesson::Entity::find().count(db).await.unwrap() as usize, w.activity_lessons);
    assert_eq!(activity_participant::Entity::find().count(db).await.unwrap() as usize, w.participants);
    assert_eq!(observation::Entity::find().count(db).await.unwrap() as usize, w.observations);
    assert_eq!(record::Entity::find().count(db).await.unwrap() as usize, w.records);
    assert_eq!(record_task::Entity::find().count(db).await.unwrap() as usize, w.record_tasks);
    assert_eq!(mentorship::Entity::find().count(db).await.unwrap() as usize, w.mentorships);
    // 集体备课: one preparation in each stage (docs/API-DESIGN.md, "Collective preparation").
    assert_eq!(w.preparations, 5);
    assert_eq!(entities::preparation::Entity::find().count(db).await.unwrap() as usize, w.preparations);
    // The flagship's rubric: 教学目标 10, 教学内容 20, 教学方法 20, 教学过程 30, 教学效果 20.
    let rubric = rubric::Entity::find_by_id(w.rubric_id).one(db).await.unwrap().unwrap();
    assert_eq!(rubric.school_id, Some(summary.district.flagship().id));
    let dims = rubric_dimension::Entity::find()
        .filter(rubric_dimension::Column::RubricId.eq(rubric.id))
        .order_by_asc(rubric_dimension::Column::Position)
        .all(db)
        .await
        .unwrap();
    let dims: Vec<(String, i32)> = dims.into_iter().map(|d| (d.name, d.max_points)).collect();
    let expected: Vec<(String, i32)> =
        [("教学目标", 10), ("教学内容", 20), ("教学方法", 20), ("教学过程", 30), ("教学效果", 20)]
            .into_iter()
            .map(|(n, p)| (n.to_string(), p))
            .collect();
    assert_eq!(dims, expected);
    // The summary mentions the work.
    assert!(summary.to_string().contains("2026-11-20"), "{summary}");
}

/// (activities, held, scheduled, drafts, cancelled, observations, records)
const EXPECTED: (usize, usize, usize, usize, usize, usize, usize) = (81, 61, 11, 8, 1, 541, 783);

async fn activities_keep_the_rules_of_the_api(app: TestApp) {
    let summary = demo_of(&app);
    let db = &app.db;
    let calendar = autumn_calendar(db, &summary).await;
    let d = &summary.district;
    let groups: HashMap<i64, group::Model> =
        group::Entity::find().all(db).await.unwrap().into_iter().map(|g| (g.id, g)).collect();
    let activities = activity::Entity::find().all(db).await.unwrap();
    let lessons = activity_lesson::Entity::find().all(db).await.unwrap();
    let mut slot_days = HashSet::new();
    let mut kinds = HashSet::new();
    for a in &activities {
        let what = format!("activity {} {}", a.id, a.title);
        assert_eq!(a.semester_id, d.autumn_semester_id, "{what}");
        kinds.insert((a.organiser_kind, a.status));
        match a.organiser_kind {
            OrganiserKind::Group => {
                let g = &groups[&a.group_id.expect("a group")];
                assert_eq!(a.school_id, g.school_id, "{what}: the group's school (none for the district team)");
                assert_eq!(a.zone_id, None, "{what}");
            }
            OrganiserKind::Zone => {
                assert!(a.zone_id.is_some() && a.school_id.is_none() && a.group_id.is_none(), "{what}");
                assert!(a.host_school_id.is_some(), "{what}: hosted by the lead school");
            }
            OrganiserKind::School => assert!(a.school_id.is_some() && a.group_id.is_none(), "{what}"),
            OrganiserKind::District => assert!(a.school_id.is_none(), "{what}"),
        }
        let on = a.date.expect("every demo activity has a date");
        assert!(is_teaching_day(&calendar, on), "{what}: {on} is a teaching day");
        match a.status {
            ActivityStatus::Held => {
                assert!(on <= demo::as_of(), "{what}");
                assert!(a.minutes.is_some() && a.summary.is_some(), "{what}: minutes and summary");
                assert_eq!(a.summary_due_on, summary_due_on(SummaryDueRule::NextWeekday, Some(2), on), "{what}");
                assert!(a.summary_submitted_at.is_some(), "{what}");
            }
            ActivityStatus::Scheduled => {
                assert!(on > demo::as_of(), "{what}");
                // 四定: time, content, place, lead speaker.
                assert!(a.start_time.is_some() || a.start_period.is_some(), "{what}: time");
                assert!(a.topic.as_deref().is_some_and(|t| !t.is_empty()), "{what}: topic");
                assert!(a.venue.is_some() || a.meeting_url.is_some(), "{what}: place");
                assert!(a.lead_speaker_teacher_id.is_some() || a.lead_speaker_name.is_some(), "{what}: speaker");
            }
            ActivityStatus::Draft => assert!(on > demo::as_of(), "{what}"),
            ActivityStatus::Cancelled => assert!(a.cancel_reason.is_some(), "{what}"),
            ActivityStatus::Archived => panic!("{what}: nothing is archived"),
        }
        assert_eq!(a.slot_id.is_some(), a.generated_for.is_some(), "{what}");
        if let (Some(slot), Some(generated_for)) = (a.slot_id, a.generated_for) {
            assert_eq!(generated_for, on, "{what}");
            assert!(slot_days.insert((slot, generated_for)), "{what}: one activity per slot and day");
        }
        let taught = lessons.iter().filter(|l| l.activity_id == a.id).count();
        assert_eq!(taught > 0, a.activity_type.is_lesson(), "{what}: lesson activities name their lessons");
        if a.activity_type == ActivityType::Outreach {
            assert!(a.pairing_id.is_some() && a.host_school_id.is_some() && a.host_school_id != a.school_id, "{what}");
        }
    }
    // Every kind of organiser and status is there.
    for expected in [
        (OrganiserKind::Group, ActivityStatus::Held),
        (OrganiserKind::Group, ActivityStatus::Scheduled),
        (OrganiserKind::Group, ActivityStatus::Draft),
        (OrganiserKind::Group, ActivityStatus::Cancelled),
        (OrganiserKind::Zone, ActivityStatus::Held),
        (OrganiserKind::School, ActivityStatus::Held),
        (OrganiserKind::School, ActivityStatus::Scheduled),
    ] {
        assert!(kinds.contains(&expected), "{expected:?}");
    }
    // The district team: one online and three on-site sessions over the semester (seed 001).
    let team: Vec<&activity::Model> = activities.iter().filter(|a| a.group_id == Some(d.district_team.id)).collect();
    assert_eq!(team.len(), 4);
    assert_eq!(team.iter().filter(|a| a.modality == Modality::Online).count(), 1);
    // Some summaries came in after their due day.
    let late = activities
        .iter()
        .filter(|a| match (a.summary_submitted_at, a.summary_due_on) {
            (Some(at), Some(due)) => (at + chrono::TimeDelta::hours(8)).date_naive() > due,
            _ => false,
        })
        .count();
    assert!(late > 0, "some summaries are late");
    // The weekly sessions of 语文教研组 run on Thursdays, every teaching week up to the as-of day.
    let yuwen = d.flagship().group("语文教研组").unwrap();
    let held: Vec<NaiveDate> = activities
        .iter()
        .filter(|a| a.group_id == Some(yuwen.id) && a.slot_id.is_some() && a.status == ActivityStatus::Held)
        .map(|a| a.date.unwrap())
        .collect();
    assert_eq!(held.len(), 11, "12 Thursdays up to 2026-11-20, 国庆 off");
    assert!(held.iter().all(|d| d.weekday() == chrono::Weekday::Thu));
}

async fn attendance_follows_the_organisers_members(app: TestApp) {
    let summary = demo_of(&app);
    let db = &app.db;
    let activities = activity::Entity::find().all(db).await.unwrap();
    let participants = activity_participant::Entity::find().all(db).await.unwrap();
    let members = group_membership::Entity::find().all(db).await.unwrap();
    let mut statuses = HashMap::new();
    for a in &activities {
        let listed: Vec<&activity_participant::Model> = participants.iter().filter(|p| p.activity_id == a.id).collect();
        match a.status {
            ActivityStatus::Held | ActivityStatus::Scheduled => assert!(!listed.is_empty(), "{}", a.title),
            _ => assert!(listed.is_empty(), "{}", a.title),
        }
        if let (OrganiserKind::Group, Some(group_id)) = (a.organiser_kind, a.group_id) {
            let mut expected: Vec<i64> = members
                .iter()
                // Live on the day (a district team's member removed for absences is listed only
                // for the sessions before the removal).
                .filter(|m| m.group_id == group_id && m.until.is_none_or(|u| a.date.is_some_and(|d| u >= d)))
                .map(|m| m.teacher_id)
                .collect();
            let mut got: Vec<i64> = listed.iter().map(|p| p.teacher_id).collect();
            if !got.is_empty() {
                expected.sort();
                got.sort();
                assert_eq!(got, expected, "{}: the group's live members", a.title);
            }
        }
        for p in listed {
            assert!(p.expected);
            *statuses.entry(p.status).or_insert(0) += 1;
            match p.status {
                AttendanceStatus::Present | AttendanceStatus::Late => {
                    assert!(p.signed_in_at.is_some() && p.leave_reason.is_none())
                }
                AttendanceStatus::OnLeave => assert!(p.signed_in_at.is_none() && p.leave_reason.is_some()),
                AttendanceStatus::Absent => assert!(p.signed_in_at.is_none() && p.leave_reason.is_none()),
                AttendanceStatus::Pending => assert_eq!(a.status, ActivityStatus::Scheduled),
            }
        }
    }
    // Mostly present, some late, a few on leave and a few absent.
    let n = |s| statuses.get(&s).copied().unwrap_or(0);
    assert!(n(AttendanceStatus::Present) > 5 * n(AttendanceStatus::Late), "{statuses:?}");
    for s in [AttendanceStatus::Late, AttendanceStatus::OnLeave, AttendanceStatus::Absent, AttendanceStatus::Pending] {
        assert!(n(s) > 0, "{s:?}: {statuses:?}");
    }
    let _ = summary;
}

async fn observations_vary_and_their_feedback_counts_match(app: TestApp) {
    let summary = demo_of(&app);
    let db = &app.db;
    let calendar = autumn_calendar(db, &summary).await;
    let flagship = summary.district.flagship();
    let observations = observation::Entity::find().all(db).await.unwrap();
    let dimensions: HashMap<i64, i32> =
        rubric_dimension::Entity::find().all(db).await.unwrap().into_iter().map(|d| (d.id, d.max_points)).collect();
    let len = |v: &serde_json::Value| v.as_array().expect("an array").len() as i32;
    let mut patterns = HashSet::new();
    for o in &observations {
        assert_eq!(o.semester_id, Some(summary.district.autumn_semester_id));
        assert!(is_teaching_day(&calendar, o.observed_on) && o.observed_on <= demo::as_of(), "{}", o.observed_on);
        assert_eq!(
            (o.strengths_count, o.weaknesses_count, o.suggestions_count),
            (len(&o.strengths), len(&o.weaknesses), len(&o.suggestions))
        );
        patterns.insert((o.strengths_count, o.weaknesses_count, o.suggestions_count));
        assert_ne!(o.observer_teacher_id, o.observed_teacher_id.unwrap());
        if let Some(scores) = &o.scores {
            assert_eq!(o.rubric_id, Some(summary.work.rubric_id));
            let mut total = 0;
            for s in scores.as_array().unwrap() {
                let points = s["points"].as_i64().unwrap() as i32;
                assert!(points <= dimensions[&s["dimension_id"].as_i64().unwrap()]);
                total += points;
            }
            assert_eq!(o.total_score, Some(f64::from(total)));
        } else {
            assert_eq!((o.rubric_id, o.total_score), (None, None));
        }
    }
    // "123", "三个一" and incomplete feedback all occur.
    assert!(patterns.contains(&(1, 2, 3)) && patterns.contains(&(1, 1, 1)), "{patterns:?}");
    assert!(patterns.iter().any(|p| p.0 == 0 || p.1 == 0 || p.2 == 0), "{patterns:?}");
    assert!(observations.iter().any(|o| o.critique_given) && observations.iter().any(|o| !o.critique_given));
    assert!(observations.iter().any(|o| o.activity_id.is_some()), "some observe lessons of activities");
    assert!(observations.iter().any(|o| o.observer_school_id != o.observed_school_id.unwrap()), "cross-school");
    // Per flagship teacher, by the as-of day: some far ahead of seed 000's 15 a semester, some far behind.
    let by_observer = |id: i64| observations.iter().filter(|o| o.observer_teacher_id == id).count();
    let counts: Vec<usize> = flagship.teachers.iter().map(|t| by_observer(t.id)).collect();
    assert!(counts.iter().any(|&n| n >= 15), "{counts:?}");
    assert!(counts.iter().filter(|&&n| n >= 12).count() >= 3, "{counts:?}");
    assert!(counts.iter().filter(|&&n| n <= 3).count() >= 3, "{counts:?}");
    // Leaders drop in unannounced (推门).
    assert!(observations.iter().any(|o| o.lesson_kind == LessonKind::Unannounced));
}

async fn records_count_their_words_and_flag_late_answers(app: TestApp) {
    let summary = demo_of(&app);
    let db = &app.db;
    let records = record::Entity::find().all(db).await.unwrap();
    let tasks: HashMap<i64, record_task::Model> =
        record_task::Entity::find().all(db).await.unwrap().into_iter().map(|t| (t.id, t)).collect();
    for r in &records {
        let what = format!("record {} {}", r.id, r.title);
        assert_eq!(r.word_count as usize, r.body.as_deref().map(word_count).unwrap_or(0), "{what}");
        assert!(r.submitted_on >= r.written_on && r.submitted_on <= demo::as_of(), "{what}");
        assert_eq!(r.task_id.map(|t| tasks[&t].due_on), r.due_on, "{what}: copies the task's due day");
        assert_eq!(r.late, r.due_on.is_some_and(|due| r.submitted_on > due), "{what}");
        if let Some(task) = r.task_id {
            assert_eq!(tasks[&task].kind, Some(r.kind), "{what}");
        }
        match r.kind {
            RecordKind::Training => assert!(r.hours.is_some_and(|h| h > 0.0), "{what}"),
            RecordKind::Courseware => assert!(r.attachment_url.is_some(), "{what}"),
            RecordKind::LessonPlan => assert!(r.lesson_plan_form.is_some(), "{what}"),
            RecordKind::Award => assert!(r.award_level.is_some() && r.award_rank.is_some(), "{what}"),
            RecordKind::ResearchProject => assert!(r.project_level.is_some() && r.project_stage.is_some(), "{what}"),
            _ => {}
        }
    }
    let late = records.iter().filter(|r| r.late).count();
    assert!((2..=12).contains(&late), "a few late answers: {late}");
    let reading = tasks.values().find(|t| t.kind == Some(RecordKind::ReadingNote)).unwrap();
    assert_eq!(reading.due_on, day(2026, 10, 15));
    // Papers on both sides of seed 002's 500字.
    let papers: Vec<i32> = records.iter().filter(|r| r.kind == RecordKind::Paper).map(|r| r.word_count).collect();
    assert!(papers.iter().any(|&n| n >= 500) && papers.iter().any(|&n| n < 500), "{papers:?}");
    // The research project has its co-authors.
    let project = records.iter().find(|r| r.kind == RecordKind::ResearchProject).unwrap();
    let coauthors = record_coauthor::Entity::find()
        .filter(record_coauthor::Column::RecordId.eq(project.id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(coauthors, 3);
    // Reflections: every month for some, a month missed by others (seed 000's 每月一次).
    let flagship = summary.district.flagship();
    let mut every_month = 0;
    let mut missed_one = 0;
    for t in &flagship.teachers {
        let months: HashSet<u32> = records
            .iter()
            .filter(|r| r.author_teacher_id == t.id && r.kind == RecordKind::Reflection)
            .map(|r| r.written_on.month())
            .collect();
        if [9, 10, 11].iter().all(|m| months.contains(m)) {
            every_month += 1;
        } else {
            missed_one += 1;
        }
    }
    assert!(every_month >= 10 && missed_one >= 10, "{every_month} / {missed_one}");
    // Study-note word sums spread widely.
    let sums: Vec<i32> = flagship
        .teachers
        .iter()
        .map(|t| {
            records
                .iter()
                .filter(|r| r.author_teacher_id == t.id && r.kind == RecordKind::StudyNote)
                .map(|r| r.word_count)
                .sum()
        })
        .collect();
    assert!(sums.contains(&0) && sums.iter().filter(|&&s| s >= 2500).count() >= 3, "{sums:?}");
}

async fn mentorships_pair_honoured_teachers_with_young_ones(app: TestApp) {
    let summary = demo_of(&app);
    let db = &app.db;
    let flagship = summary.district.flagship();
    let pairs = mentorship::Entity::find().all(db).await.unwrap();
    assert_eq!(pairs.len(), 5);
    let observations = observation::Entity::find().all(db).await.unwrap();
    let visits = |from: i64, to: i64| {
        observations.iter().filter(|o| o.observer_teacher_id == from && o.observed_teacher_id == Some(to)).count()
    };
    let mut mentor_visits = Vec::new();
    for p in &pairs {
        assert_eq!((p.status, p.school_id, p.grade_band_mismatch), (MentorshipStatus::Active, flagship.id, false));
        assert_eq!(p.duties.as_array().unwrap().len(), 4);
        assert_eq!(p.duties[0], "师傅每周听徒弟一节课");
        let mentor = flagship.teacher(p.mentor_teacher_id).unwrap();
        let mentee = flagship.teacher(p.mentee_teacher_id).unwrap();
        assert!(!mentor.spec.honours.is_empty() && mentee.spec.honours.is_empty());
        let capacity = if mentor.spec.honours.iter().any(|h| h.title == HonourTitle::RenownedTeacher) { 2 } else { 1 };
        assert!(pairs.iter().filter(|q| q.mentor_teacher_id == p.mentor_teacher_id).count() <= capacity);
        assert!(visits(p.mentee_teacher_id, p.mentor_teacher_id) >= 1);
        mentor_visits.push(visits(p.mentor_teacher_id, p.mentee_teacher_id));
    }
    // One mentor observes every week (weeks 2–12), another only now and then (twice, and once at a
    // lesson of an activity).
    assert!(mentor_visits.iter().any(|&n| n >= 11), "{mentor_visits:?}");
    assert!(mentor_visits.iter().any(|&n| n <= 3), "{mentor_visits:?}");
}
