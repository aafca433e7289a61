//! Attendance (考勤): the organiser records and corrects it, teachers sign themselves in during the
//! window around the start (present, or late after the grace minutes) or ask for leave before it,
//! and rates come out per activity, per teacher and per group over a semester. Other schools see
//! nothing; a teacher records nothing but their own sign-in.
//!
//! Activities are written straight into the database (the activities endpoints are another
//! module's); the expected participants come from the organiser's members, as in production.

use api::activities::access::Organiser;
use api::activities::participants::add_default_participants;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};
use entities::enums::*;
use entities::{activity, activity_participant, group};
use jiaoyan_tests::fixtures::{activity_row, date, new_teacher, new_user, World};
use jiaoyan_tests::{json, on_both_backends, TestApp, PASSWORD};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, EntityTrait, Set};

/// Where and when an activity takes place.
pub struct Plan {
    pub title: &'static str,
    pub group_id: Option<i64>,
    pub school_id: Option<i64>,
    pub status: ActivityStatus,
    pub date: Option<NaiveDate>,
    pub start_time: Option<NaiveTime>,
}

impl Plan {
    /// A scheduled activity of a school group on `date` at 14:30 (seed 000's afternoon slot).
    pub fn of_group(w: &World, group_id: i64, title: &'static str, on: NaiveDate) -> Plan {
        let school_id = if group_id == w.group_b { w.school_b } else { w.school_a };
        Plan {
            title,
            group_id: Some(group_id),
            school_id: Some(school_id),
            status: ActivityStatus::Scheduled,
            date: Some(on),
            start_time: NaiveTime::from_hms_opt(14, 30, 0),
        }
    }

    pub fn status(mut self, status: ActivityStatus) -> Plan {
        self.status = status;
        self
    }

    pub fn at(mut self, local: DateTime<FixedOffset>) -> Plan {
        self.date = Some(local.date_naive());
        self.start_time = Some(local.time());
        self
    }
}

/// Writes the activity (in `w.semester`) and returns it.
pub async fn new_activity(app: &TestApp, w: &World, plan: Plan) -> activity::Model {
    let kind = if plan.group_id.is_some() {
        OrganiserKind::Group
    } else if plan.school_id.is_some() {
        OrganiserKind::School
    } else {
        OrganiserKind::Zone
    };
    activity::ActiveModel {
        school_id: Set(plan.school_id),
        organiser_kind: Set(kind),
        group_id: Set(plan.group_id),
        zone_id: Set((kind == OrganiserKind::Zone).then_some(w.zone)),
        title: Set(plan.title.into()),
        topic: Set(Some("低年级识字写字教学".into())),
        date: Set(plan.date),
        start_time: Set(plan.start_time),
        start_period: Set(Some(6)),
        end_period: Set(Some(6)),
        venue: Set(Some("语文教研室".into())),
        status: Set(plan.status),
        ..activity_row(w.district, w.semester)
    }
    .insert(&app.db)
    .await
    .unwrap()
}

/// Lists the group's live members as expected, pending participants.
pub async fn expect_group_members(app: &TestApp, a: &activity::Model) {
    let g = group::Entity::find_by_id(a.group_id.unwrap()).one(&app.db).await.unwrap().unwrap();
    add_default_participants(&app.db, a, &Organiser::Group(g), api::clock::today()).await.unwrap();
}

/// Writes one participant row directly.
async fn participant(app: &TestApp, activity_id: i64, teacher_id: i64, status: AttendanceStatus, expected: bool) {
    let now = Utc::now();
    activity_participant::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id),
        teacher_id: Set(teacher_id),
        expected: Set(expected),
        status: Set(status),
        leave_reason: Set((status == AttendanceStatus::OnLeave).then(|| "外出培训".into())),
        signed_in_at: Set(None),
        recorded_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// The schools' clock (UTC+8), now.
fn china_now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
}

fn row(body: &serde_json::Value, teacher_id: i64) -> &serde_json::Value {
    body["items"].as_array().unwrap().iter().find(|r| r["teacher_id"] == teacher_id).expect("teacher listed")
}

async fn organiser_records_and_corrects_attendance(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let a = new_activity(&app, &w, Plan::of_group(&w, w.group_a, "三年级语文集体备课", date(2026, 10, 8))).await;
    expect_group_members(&app, &a).await;
    let path = format!("/api/v1/activities/{}/attendance", a.id);

    // Before anything is recorded: both members are expected and pending.
    let before = app.get(&t.teacher_a, &path).await.expect(200);
    assert_eq!(before.body["activity_status"], "scheduled");
    assert_eq!(before.body["summary"]["expected"], 2);
    assert_eq!(before.body["summary"]["pending"], 2);
    assert_eq!(row(&before.body, w.teacher_a)["teacher_name"], "王老师");

    // The leader records: a guest from school A is added (expected by default).
    let guest = new_teacher(&app.db, w.school_a, "孙老师").await;
    let body = json!({"entries": [
        {"teacher_id": w.teacher_a, "status": "present"},
        {"teacher_id": w.leader_a, "status": "on_leave", "leave_reason": "外出培训"},
        {"teacher_id": guest, "status": "absent"}]});
    let saved = app.call("PUT", &path, Some(&t.leader_a), Some(body)).await.expect(200);
    let s = &saved.body["summary"];
    assert_eq!((s["expected"].as_i64(), s["present"].as_i64(), s["on_leave"].as_i64()), (Some(3), Some(1), Some(1)));
    assert_eq!((s["absent"].as_i64(), s["attended"].as_i64()), (Some(1), Some(1)));
    assert_eq!(s["rate"], 0.5, "1 attended of 3 expected, 1 excused");
    assert_eq!(row(&saved.body, w.leader_a)["leave_reason"], "外出培训");
    assert_eq!(row(&saved.body, guest)["expected"], true);
    assert!(row(&saved.body, w.teacher_a)["recorded_by_user_id"].is_i64());

    // Correction: the guest came late after all; the leave reason goes with the leave.
    let body = json!({"entries": [{"teacher_id": guest, "status": "late"},
                                  {"teacher_id": w.leader_a, "status": "present"}]});
    let corrected = app.call("PUT", &path, Some(&t.leader_a), Some(body)).await.expect(200);
    assert_eq!(corrected.body["summary"]["rate"], 1.0);
    assert!(row(&corrected.body, w.leader_a)["leave_reason"].is_null());

    // Validation names the entry: leave without a reason, a reason without leave, unknown and
    // out-of-scope teachers (school B's teacher does not exist for school A's leader), duplicates.
    let body = json!({"entries": [
        {"teacher_id": w.teacher_a, "status": "present"},
        {"teacher_id": w.leader_a, "status": "on_leave"},
        {"teacher_id": guest, "status": "present", "leave_reason": "x"},
        {"teacher_id": w.teacher_b, "status": "present"},
        {"teacher_id": 999_999, "status": "present"},
        {"teacher_id": w.teacher_a, "status": "late"}]});
    let bad = app.call("PUT", &path, Some(&t.leader_a), Some(body)).await.expect(422);
    assert_eq!(
        bad.error_fields(),
        vec![
            "entries[1].leave_reason",
            "entries[2].leave_reason",
            "entries[3].teacher_id",
            "entries[4].teacher_id",
            "entries[5].teacher_id"
        ]
    );
    assert!(bad.body["errors"][2]["message"].as_str().unwrap().contains("no such teacher"));
    let typo = app.call("PUT", &path, Some(&t.leader_a), Some(json!({"entries": [{"teacher": 1}]}))).await;
    assert_eq!(typo.expect(422).error_fields(), vec!["entries[0].teacher"]);
    // Nothing of the refused request was saved.
    let after = app.get(&t.leader_a, &path).await.expect(200);
    assert_eq!(after.body["summary"]["rate"], 1.0);

    // Scope: a teacher reads but does not record; school B sees nothing.
    let entry = json!({"entries": [{"teacher_id": w.teacher_a, "status": "absent"}]});
    app.call("PUT", &path, Some(&t.teacher_a), Some(entry.clone())).await.expect(403);
    app.get(&t.admin_b, &path).await.expect(404);
    app.get(&t.teacher_b, &path).await.expect(404);
    app.call("PUT", &path, Some(&t.admin_b), Some(entry.clone())).await.expect(404);
    app.call("POST", &format!("{path}/sign-in"), Some(&t.teacher_b), None).await.expect(404);
    app.delete(&t.admin_b, &format!("{path}/{}", w.teacher_a)).await.expect(404);
    // School A's admin and the district office run it too.
    app.call("PUT", &path, Some(&t.admin_a), Some(entry.clone())).await.expect(200);
    app.call("PUT", &path, Some(&t.district_admin), Some(entry)).await.expect(200);
    app.get(&t.other_district_admin, &path).await.expect(404);

    // Removing a participant: only before the activity is held; idempotent.
    app.delete(&t.leader_a, &format!("{path}/{guest}")).await.expect(204);
    app.delete(&t.leader_a, &format!("{path}/{guest}")).await.expect(204);
    app.delete(&t.teacher_a, &format!("{path}/{}", w.leader_a)).await.expect(403);
    let listed = app.get(&t.leader_a, &path).await.expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    let held =
        new_activity(&app, &w, Plan::of_group(&w, w.group_a, "已开展", date(2026, 10, 9)).status(ActivityStatus::Held))
            .await;
    expect_group_members(&app, &held).await;
    let held_path = format!("/api/v1/activities/{}/attendance", held.id);
    app.delete(&t.leader_a, &format!("{held_path}/{}", w.teacher_a)).await.expect(409);
    // While held, the leader corrects at any time.
    let entry = json!({"entries": [{"teacher_id": w.teacher_a, "status": "late"}]});
    app.call("PUT", &held_path, Some(&t.leader_a), Some(entry)).await.expect(200);

    // A draft takes leave but not presence; a cancelled activity takes nothing.
    let draft =
        new_activity(&app, &w, Plan::of_group(&w, w.group_a, "草稿", date(2026, 10, 15)).status(ActivityStatus::Draft))
            .await;
    let draft_path = format!("/api/v1/activities/{}/attendance", draft.id);
    let present = json!({"entries": [{"teacher_id": w.teacher_a, "status": "present"}]});
    let conflict = app.call("PUT", &draft_path, Some(&t.leader_a), Some(present)).await.expect(409);
    assert!(conflict.body["detail"].as_str().unwrap().contains("scheduled"), "{}", conflict.body);
    let leave = json!({"entries": [{"teacher_id": w.teacher_a, "status": "on_leave", "leave_reason": "产假"}]});
    app.call("PUT", &draft_path, Some(&t.leader_a), Some(leave.clone())).await.expect(200);
    let cancelled = new_activity(
        &app,
        &w,
        Plan::of_group(&w, w.group_a, "取消", date(2026, 10, 16)).status(ActivityStatus::Cancelled),
    )
    .await;
    let cancelled_path = format!("/api/v1/activities/{}/attendance", cancelled.id);
    app.call("PUT", &cancelled_path, Some(&t.leader_a), Some(leave)).await.expect(409);
}

async fn teachers_sign_in_during_the_window_and_ask_for_leave_before_it(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    // Start times relative to now in UTC+8; date and time come from the same instant, so this
    // holds across midnight. Default policy: opens 30 min before, closes 60 after, late after 5.
    let now = china_now();
    let just_started = new_activity(
        &app,
        &w,
        Plan::of_group(&w, w.group_a, "刚开始", now.date_naive()).at(now - Duration::minutes(2)),
    )
    .await;
    let started_a_while_ago = new_activity(
        &app,
        &w,
        Plan::of_group(&w, w.group_a, "已开始", now.date_naive()).at(now - Duration::minutes(20)),
    )
    .await;
    let long_over =
        new_activity(&app, &w, Plan::of_group(&w, w.group_a, "已结束", now.date_naive()).at(now - Duration::hours(3)))
            .await;
    let later =
        new_activity(&app, &w, Plan::of_group(&w, w.group_a, "后天", now.date_naive()).at(now + Duration::days(2)))
            .await;
    for a in [&just_started, &started_a_while_ago, &long_over, &later] {
        expect_group_members(&app, a).await;
    }
    let sign_in = |id: i64| format!("/api/v1/activities/{id}/attendance/sign-in");

    let first = app.call("POST", &sign_in(just_started.id), Some(&t.teacher_a), None).await.expect(200);
    assert_eq!(first.body["status"], "present");
    assert_eq!(first.body["expected"], true);
    let signed_at = first.body["signed_in_at"].clone();
    assert!(signed_at.is_string());
    // Again: nothing changes, the first time stays.
    let again = app.call("POST", &sign_in(just_started.id), Some(&t.teacher_a), None).await.expect(200);
    assert_eq!(again.body["signed_in_at"], signed_at);
    assert_eq!(again.body["status"], "present");

    let late = app.call("POST", &sign_in(started_a_while_ago.id), Some(&t.teacher_a), None).await.expect(200);
    assert_eq!(late.body["status"], "late");

    let closed = app.call("POST", &sign_in(long_over.id), Some(&t.teacher_a), None).await.expect(409);
    assert!(closed.body["detail"].as_str().unwrap().starts_with("sign-in is open from"), "{}", closed.body);
    let early = app.call("POST", &sign_in(later.id), Some(&t.teacher_a), None).await.expect(409);
    assert!(early.body["detail"].as_str().unwrap().contains("(UTC+8)"), "{}", early.body);

    // A teacher of school A who is not a member walks in.
    let guest = new_teacher(&app.db, w.school_a, "孙老师").await;
    new_user(&app.db, "sun", Role::Teacher, Some(w.district), Some(w.school_a), Some(guest)).await;
    let sun = app.login("sun", PASSWORD).await;
    let walk_in = app.call("POST", &sign_in(just_started.id), Some(&sun), None).await.expect(200);
    assert_eq!(walk_in.body["expected"], false);
    assert_eq!(walk_in.body["teacher_name"], "孙老师");
    let read = app.get(&t.leader_a, &format!("/api/v1/activities/{}/attendance", just_started.id)).await.expect(200);
    assert_eq!(read.body["summary"]["walk_ins"], 1);
    assert_eq!(read.body["summary"]["expected"], 2);
    assert_eq!(read.body["summary"]["present"], 1);

    // Accounts without a teacher cannot sign in; other schools do not see the activity; a draft
    // is not open.
    app.call("POST", &sign_in(just_started.id), Some(&t.admin_a), None).await.expect(403);
    app.call("POST", &sign_in(just_started.id), Some(&t.teacher_b), None).await.expect(404);
    let draft = new_activity(
        &app,
        &w,
        Plan::of_group(&w, w.group_a, "草稿", now.date_naive()).at(now).status(ActivityStatus::Draft),
    )
    .await;
    app.call("POST", &sign_in(draft.id), Some(&t.teacher_a), None).await.expect(409);

    // Leave: before the start, with a reason; not once started; not for a walk-in.
    let leave = |id: i64| format!("/api/v1/activities/{id}/attendance/leave");
    let asked = app.post(&t.teacher_a, &leave(later.id), json!({"reason": "外出参加县级培训"})).await.expect(200);
    assert_eq!(asked.body["status"], "on_leave");
    assert_eq!(asked.body["leave_reason"], "外出参加县级培训");
    let empty = app.post(&t.teacher_a, &leave(later.id), json!({"reason": "  "})).await.expect(422);
    assert_eq!(empty.error_fields(), vec!["reason"]);
    app.post(&t.leader_a, &leave(started_a_while_ago.id), json!({"reason": "生病"})).await.expect(409);
    app.post(&sun, &leave(later.id), json!({"reason": "生病"})).await.expect(409);
    app.post(&t.admin_a, &leave(later.id), json!({"reason": "生病"})).await.expect(403);
    let read = app.get(&t.leader_a, &format!("/api/v1/activities/{}/attendance", later.id)).await.expect(200);
    assert_eq!(row(&read.body, w.teacher_a)["status"], "on_leave");
    assert_eq!(read.body["summary"]["rate"], 0.0, "the leader is still pending: 0 of 1 due");
}

async fn rates_per_teacher_and_group_over_a_semester(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let guest = new_teacher(&app.db, w.school_a, "孙老师").await;
    let held = |title, day| Plan::of_group(&w, w.group_a, title, date(2026, 10, day)).status(ActivityStatus::Held);
    let first = new_activity(&app, &w, held("第一次", 8)).await;
    let second = new_activity(&app, &w, held("第二次", 15)).await;
    let third = new_activity(&app, &w, held("第三次", 22).status(ActivityStatus::Archived)).await;
    let not_yet = new_activity(&app, &w, Plan::of_group(&w, w.group_a, "未开展", date(2026, 12, 3))).await;
    let other_group =
        new_activity(&app, &w, Plan::of_group(&w, w.group_b, "乙校", date(2026, 10, 8)).status(ActivityStatus::Held))
            .await;
    use AttendanceStatus::*;
    for (a, leader, teacher) in
        [(&first, Present, Present), (&second, Late, OnLeave), (&third, Absent, Pending), (&not_yet, Present, Present)]
    {
        participant(&app, a.id, w.leader_a, leader, true).await;
        participant(&app, a.id, w.teacher_a, teacher, true).await;
    }
    participant(&app, first.id, guest, Present, false).await;
    participant(&app, other_group.id, w.teacher_b, Absent, true).await;

    // teacher_a: present, on leave, pending (= absent): 1 of 2 due.
    let path = format!("/api/v1/attendance-rates/teachers/{}?semester_id={}", w.teacher_a, w.semester);
    let rate = app.get(&t.teacher_a, &path).await.expect(200);
    assert_eq!(rate.body["activities"], 3);
    assert_eq!(rate.body["counts"]["attended"], 1);
    assert_eq!(rate.body["counts"]["excused"], 1);
    assert_eq!(rate.body["counts"]["pending"], 1);
    assert_eq!(rate.body["counts"]["rate"], 0.5);
    // leader_a: present, late, absent: 2 of 3.
    let path = format!("/api/v1/attendance-rates/teachers/{}?semester_id={}", w.leader_a, w.semester);
    assert_eq!(app.get(&t.admin_a, &path).await.expect(200).body["counts"]["rate"], 0.6667);
    // The walk-in has no rate (nobody expected them) but the walk-in is counted.
    let path = format!("/api/v1/attendance-rates/teachers/{guest}?semester_id={}", w.semester);
    let walk_in = app.get(&t.admin_a, &path).await.expect(200);
    assert!(walk_in.body["counts"]["rate"].is_null());
    assert_eq!(walk_in.body["counts"]["walk_ins"], 1);

    let path = format!("/api/v1/attendance-rates/groups/{}?semester_id={}", w.group_a, w.semester);
    let group = app.get(&t.leader_a, &path).await.expect(200);
    let overall = &group.body["overall"];
    assert_eq!((overall["expected"].as_i64(), overall["attended"].as_i64()), (Some(6), Some(3)));
    assert_eq!(overall["rate"], 0.6, "3 attended of 6 expected, 1 excused");
    let activities = group.body["activities"].as_array().unwrap();
    let ids: Vec<i64> = activities.iter().map(|a| a["activity_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![first.id, second.id, third.id], "held and filed ones, by date; not the planned one");
    let rates: Vec<&serde_json::Value> = activities.iter().map(|a| &a["counts"]["rate"]).collect();
    assert_eq!(rates, vec![&json!(1.0), &json!(1.0), &json!(0.0)]);
    let members = group.body["members"].as_array().unwrap();
    let member = |id: i64| members.iter().find(|m| m["teacher_id"] == id).unwrap();
    assert_eq!(member(w.teacher_a)["counts"]["rate"], 0.5);
    assert_eq!(member(w.leader_a)["counts"]["rate"], 0.6667);
    assert_eq!(member(guest)["counts"]["walk_ins"], 1);
    assert_eq!(member(w.leader_a)["teacher_name"], "李组长");

    // Scope and validation.
    app.get(&t.admin_b, &path).await.expect(404);
    let teacher_path = format!("/api/v1/attendance-rates/teachers/{}?semester_id={}", w.teacher_a, w.semester);
    app.get(&t.teacher_b, &teacher_path).await.expect(404);
    let wrong = format!("/api/v1/attendance-rates/groups/{}?semester_id=999999", w.group_a);
    assert_eq!(app.get(&t.leader_a, &wrong).await.expect(422).error_fields(), vec!["semester_id"]);
    let missing = format!("/api/v1/attendance-rates/groups/{}", w.group_a);
    app.get(&t.leader_a, &missing).await.expect(422);
}

async fn school_readers_of_a_zone_activity_see_their_own_school_only(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let zone = new_activity(
        &app,
        &w,
        Plan {
            title: "东片联片教研",
            group_id: None,
            school_id: None,
            status: ActivityStatus::Held,
            date: Some(date(2026, 10, 20)),
            start_time: NaiveTime::from_hms_opt(9, 0, 0),
        },
    )
    .await;
    participant(&app, zone.id, w.teacher_a, AttendanceStatus::Present, true).await;
    participant(&app, zone.id, w.teacher_b, AttendanceStatus::Absent, true).await;
    let path = format!("/api/v1/activities/{}/attendance", zone.id);
    let seen_by_b = app.get(&t.admin_b, &path).await.expect(200);
    let ids: Vec<i64> =
        seen_by_b.body["items"].as_array().unwrap().iter().map(|r| r["teacher_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![w.teacher_b]);
    assert_eq!(seen_by_b.body["summary"]["expected"], 2, "the counts cover everyone");
    let seen_by_district = app.get(&t.district_admin, &path).await.expect(200);
    assert_eq!(seen_by_district.body["items"].as_array().unwrap().len(), 2);
    // The zone's activities are run by the district office and the lead school's admin (A).
    let entry = json!({"entries": [{"teacher_id": w.teacher_b, "status": "late"}]});
    app.call("PUT", &path, Some(&t.admin_b), Some(entry.clone())).await.expect(403);
    app.call("PUT", &path, Some(&t.district_admin), Some(entry)).await.expect(200);
}

on_both_backends!(
    organiser_records_and_corrects_attendance,
    teachers_sign_in_during_the_window_and_ask_for_leave_before_it,
    rates_per_teacher_and_group_over_a_semester,
    school_readers_of_a_zone_activity_see_their_own_school_only
);
