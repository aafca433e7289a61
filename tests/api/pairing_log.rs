//! A school pairing's log (城乡结对, 送教下乡): its activities in date order with their lessons and
//! the observations made at them; visible to both schools and their district only.

use chrono::{NaiveTime, Utc};
use entities::enums::{ActivityStatus, ActivityType, LessonKind, OrganiserKind};
use entities::{activity, activity_lesson, observation};
use jiaoyan_tests::fixtures::{activity_row, date, new_school, new_teacher, observation_row, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};

async fn new_pairing(app: &TestApp, w: &World, mentor_school: i64, partner_school: i64) -> i64 {
    app.post(
        &w.tokens.district_admin,
        "/api/v1/school-pairings",
        json!({"mentor_school_id": mentor_school, "partner_school_id": partner_school, "kind": "outreach",
               "start_date": "2026-09-01"}),
    )
    .await
    .expect(201)
    .body["id"]
        .as_i64()
        .unwrap()
}

/// An activity written straight into the database (the activities API is another area's).
async fn new_activity(
    app: &TestApp,
    w: &World,
    pairing: Option<i64>,
    on: Option<(u32, u32)>,
    status: ActivityStatus,
    archived: bool,
) -> i64 {
    activity::ActiveModel {
        school_id: Set(Some(w.school_a)),
        organiser_kind: Set(OrganiserKind::School),
        pairing_id: Set(pairing),
        host_school_id: Set(Some(w.school_b)),
        activity_type: Set(ActivityType::Outreach),
        title: Set("送教下乡：三年级语文".into()),
        topic: Set(Some("阅读教学".into())),
        date: Set(on.map(|(m, d)| date(2026, m, d))),
        start_time: Set(on.map(|_| NaiveTime::from_hms_opt(14, 0, 0).unwrap())),
        venue: Set(Some("乙小学多媒体教室".into())),
        lead_speaker_teacher_id: Set(Some(w.leader_a)),
        status: Set(status),
        archived_at: Set(archived.then(Utc::now)),
        ..activity_row(w.district, w.semester)
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn new_lesson(app: &TestApp, activity: i64, position: i32, teacher: i64) -> i64 {
    let now = Utc::now();
    activity_lesson::ActiveModel {
        id: NotSet,
        activity_id: Set(activity),
        position: Set(position),
        teacher_id: Set(teacher),
        subject: Set("语文".into()),
        grade: Set(Some(3)),
        class_name: Set(Some("三(1)班".into())),
        lesson_kind: Set(LessonKind::Demo),
        title: Set(Some("秋天的雨".into())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

#[allow(clippy::too_many_arguments)]
async fn new_observation(
    app: &TestApp,
    district: i64,
    semester: i64,
    activity: i64,
    observer: (i64, i64),
    observed: i64,
    on: (u32, u32),
    archived: bool,
) -> i64 {
    observation::ActiveModel {
        grade: Set(Some(3)),
        lesson_kind: Set(LessonKind::Demo),
        activity_id: Set(Some(activity)),
        critique_given: Set(true),
        archived_at: Set(archived.then(Utc::now)),
        ..observation_row(district, semester, observer, observed, date(2026, on.0, on.1))
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

async fn the_log_shows_the_pairings_activities_lessons_and_observations(app: TestApp) {
    let w = World::build(&app).await;
    let pairing = new_pairing(&app, &w, w.school_a, w.school_b).await;
    let other_pairing = new_pairing(&app, &w, w.school_b, w.school_a).await;
    let october = new_activity(&app, &w, Some(pairing), Some((10, 15)), ActivityStatus::Held, false).await;
    let september = new_activity(&app, &w, Some(pairing), Some((9, 17)), ActivityStatus::Held, false).await;
    let draft = new_activity(&app, &w, Some(pairing), None, ActivityStatus::Draft, false).await;
    new_activity(&app, &w, Some(pairing), Some((9, 1)), ActivityStatus::Held, true).await;
    new_activity(&app, &w, Some(other_pairing), Some((9, 2)), ActivityStatus::Held, false).await;
    new_activity(&app, &w, None, Some((9, 3)), ActivityStatus::Held, false).await;
    let second = new_lesson(&app, october, 2, w.leader_a).await;
    let first = new_lesson(&app, october, 1, w.teacher_a).await;
    let (d, s) = (w.district, w.semester);
    let by_b = new_observation(&app, d, s, october, (w.teacher_b, w.school_b), w.teacher_a, (10, 15), false).await;
    let by_a = new_observation(&app, d, s, september, (w.teacher_a, w.school_a), w.leader_a, (9, 17), false).await;
    new_observation(&app, d, s, october, (w.teacher_b, w.school_b), w.leader_a, (10, 15), true).await;
    // An observer from another district's school is not part of the pairing's log.
    new_observation(&app, w.other_district, s, october, (w.teacher_c, w.school_c), w.teacher_a, (10, 15), false).await;

    // The partner school's teacher reads it.
    let log = app.get(&w.tokens.teacher_b, &format!("/api/v1/school-pairings/{pairing}/log")).await.expect(200);
    assert_eq!(log.body["pairing_id"], pairing);
    assert_eq!(log.body["counts"], json!({"activities": 3, "held": 2, "lessons": 2, "observations": 2}));
    let activities = log.body["activities"].as_array().unwrap();
    let ids: Vec<i64> = activities.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![september, october, draft], "date order, undated drafts last");
    let oct = &activities[1];
    assert_eq!(oct["date"], "2026-10-15");
    assert_eq!(oct["activity_type"], "outreach");
    assert_eq!(oct["host_school_id"], w.school_b);
    let lessons: Vec<i64> = oct["lessons"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect();
    assert_eq!(lessons, vec![first, second]);
    assert_eq!(oct["lessons"][0]["lesson_kind"], "demo");
    let observed: Vec<i64> =
        oct["observations"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
    assert_eq!(observed, vec![by_b]);
    assert_eq!(oct["observations"][0]["observer_school_id"], w.school_b);
    assert_eq!(activities[0]["observations"][0]["id"], by_a);
    assert_eq!(activities[2]["lessons"], json!([]));

    // Semester filter.
    let same = app.get(&w.tokens.admin_a, &format!("/api/v1/school-pairings/{pairing}/log?semester_id={s}")).await;
    assert_eq!(same.expect(200).body["counts"]["activities"], 3);
    app.get(&w.tokens.admin_a, &format!("/api/v1/school-pairings/{pairing}/log?semester_id=999999")).await.expect(422);
}

async fn only_the_paired_schools_and_their_district_read_the_log(app: TestApp) {
    let w = World::build(&app).await;
    let school_d = new_school(&app.db, w.district, None, "丁小学").await;
    new_teacher(&app.db, school_d, "孙老师").await;
    let b_and_d = new_pairing(&app, &w, w.school_b, school_d).await;
    new_activity(&app, &w, Some(b_and_d), Some((10, 1)), ActivityStatus::Scheduled, false).await;
    let path = format!("/api/v1/school-pairings/{b_and_d}/log");
    for token in [&w.tokens.admin_a, &w.tokens.teacher_a, &w.tokens.leader_a, &w.tokens.other_district_admin] {
        app.get(token, &path).await.expect(404);
    }
    for token in [&w.tokens.admin_b, &w.tokens.teacher_b, &w.tokens.district_admin, &w.tokens.root] {
        let log = app.get(token, &path).await.expect(200);
        assert_eq!(log.body["counts"]["activities"], 1);
    }
    app.get(&w.tokens.district_admin, "/api/v1/school-pairings/999999/log").await.expect(404);
}

on_both_backends!(
    the_log_shows_the_pairings_activities_lessons_and_observations,
    only_the_paired_schools_and_their_district_read_the_log,
);
