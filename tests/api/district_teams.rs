//! The district team's attendance rule (中心组自动退出, seed 001), over HTTP on both databases: a
//! team with members from two schools holds sessions; the report lists the member over the share
//! of held sessions (strictly: exactly a third is not over) with their numbers; the district
//! confirms the removal, the membership ends, and the member's school — only that school's
//! administrators — reads the notice. An automatic rule applies itself after the semester's end,
//! read on an injected clock.

use api::config::Settings;
use chrono::NaiveDate;
use entities::activity_participant;
use entities::enums::{ActivityStatus, AttendanceStatus, OrganiserKind};
use jiaoyan_tests::fixtures::{activity_row, date, new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::Value;

/// The tags whose every operation this file probes against another school's and another
/// district's callers (the route coverage check counts them as covered).
pub(crate) const TAGS: [&str; 2] = ["district-teams", "notices"];

/// The operations it probes so; [`every_route_of_these_tags_is_probed`] checks the list against
/// the OpenAPI document.
const PROBED: [(&str, &str); 9] = [
    ("GET", "/api/v1/team-attendance-policies/districts/{id}"),
    ("PUT", "/api/v1/team-attendance-policies/districts/{id}"),
    ("GET", "/api/v1/team-attendance"),
    ("POST", "/api/v1/team-removals"),
    ("POST", "/api/v1/team-removals/settle"),
    ("GET", "/api/v1/team-removals"),
    ("GET", "/api/v1/team-removals/{id}"),
    ("GET", "/api/v1/notices"),
    ("GET", "/api/v1/notices/{id}"),
];

#[test]
fn every_route_of_these_tags_is_probed() {
    let documented = crate::route_coverage::operations_tagged(&TAGS);
    let probed: std::collections::BTreeSet<(String, String)> =
        PROBED.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, probed, "a route of the district teams or notices is not probed here");
}

/// Mid-semester: the fixtures' autumn semester runs 2026-09-01 to 2027-01-22.
fn in_the_semester(settings: &mut Settings) {
    settings.clock = Some(Clock::Fixed(date(2026, 12, 10)));
}

/// After the semester's last day.
fn after_the_semester(settings: &mut Settings) {
    settings.clock = Some(Clock::Fixed(date(2027, 1, 25)));
}

fn id(resp: Resp) -> i64 {
    resp.expect(201).body["id"].as_i64().unwrap()
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.call("PUT", path, Some(token), Some(body)).await
}

/// A district team with 王老师 (school A), 赵老师 (school B) and 孙老师 (school B), and three held
/// sessions: 王 attends one (2 of 3 missed: over a third), 赵 attends two and is on leave from one
/// (exactly a third with leave counted), 孙 attends all three. A fourth session is only
/// scheduled and does not count.
pub(crate) struct Team {
    pub(crate) group: i64,
    pub(crate) wang: i64,
    pub(crate) zhao: i64,
    pub(crate) sun_teacher: i64,
}

pub(crate) async fn team(app: &TestApp, w: &World) -> Team {
    let admin = &w.tokens.district_admin;
    let group = id(app
        .post(
            admin,
            "/api/v1/groups",
            json!({"kind": "district_team", "district_id": w.district, "name": "小学语文中心组", "subject": "语文"}),
        )
        .await);
    let sun_teacher = new_teacher(&app.db, w.school_b, "孙老师").await;
    let mut members = Vec::new();
    for t in [w.teacher_a, w.teacher_b, sun_teacher] {
        let path = format!("/api/v1/groups/{group}/members");
        members.push(id(app.post(admin, &path, json!({"teacher_id": t, "since": "2026-09-01"})).await));
    }
    use AttendanceStatus::{Absent, Late, OnLeave, Pending, Present};
    let sessions = [
        (date(2026, 9, 24), ActivityStatus::Held, [Present, Present, Present]),
        (date(2026, 10, 29), ActivityStatus::Held, [Absent, OnLeave, Late]),
        // 王 is not even on the list of the third: still an absence.
        (date(2026, 11, 26), ActivityStatus::Archived, [Pending, Present, Present]),
        (date(2026, 12, 24), ActivityStatus::Scheduled, [Absent, Absent, Absent]),
    ];
    for (i, (day, status, marks)) in sessions.into_iter().enumerate() {
        let row = activity_row(w.district, w.semester);
        let activity = entities::activity::ActiveModel {
            organiser_kind: Set(OrganiserKind::Group),
            group_id: Set(Some(group)),
            title: Set(format!("中心组活动{}", i + 1)),
            date: Set(Some(day)),
            status: Set(status),
            ..row
        }
        .insert(&app.db)
        .await
        .unwrap();
        for (teacher, mark) in [w.teacher_a, w.teacher_b, sun_teacher].into_iter().zip(marks) {
            if i == 2 && teacher == w.teacher_a {
                continue;
            }
            participant(app, activity.id, teacher, mark).await;
        }
    }
    Team { group, wang: members[0], zhao: members[1], sun_teacher }
}

async fn participant(app: &TestApp, activity_id: i64, teacher_id: i64, status: AttendanceStatus) {
    let now = chrono::Utc::now();
    activity_participant::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id),
        teacher_id: Set(teacher_id),
        expected: Set(true),
        status: Set(status),
        leave_reason: Set((status == AttendanceStatus::OnLeave).then(|| "外出培训".to_string())),
        signed_in_at: Set(None),
        recorded_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

pub(crate) fn members_of(report: &Value, group: i64) -> Vec<Value> {
    let teams = report["teams"].as_array().unwrap();
    let team = teams.iter().find(|t| t["group_id"] == group).unwrap_or_else(|| panic!("no team {group} in {report}"));
    team["members"].as_array().unwrap().clone()
}

async fn a_member_over_a_third_is_confirmed_out_and_their_school_told(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let team = team(&app, &w).await;
    let report_path = format!("/api/v1/team-attendance?semester_id={}", w.semester);

    // Only 王 is over: 2 of 3 held sessions missed (the scheduled fourth does not count).
    let report = app.get(&t.district_admin, &report_path).await.expect(200).body;
    assert_eq!(report["rule"]["absence_share_numerator"], 1);
    assert_eq!(report["rule"]["absence_share_denominator"], 3);
    assert_eq!(report["rule"]["is_default"], true);
    let team_row = &report["teams"].as_array().unwrap().iter().find(|x| x["group_id"] == team.group).unwrap().clone();
    assert_eq!(team_row["held"], 3);
    let over = members_of(&report, team.group);
    assert_eq!(over.len(), 1, "{report}");
    let wang = &over[0];
    assert_eq!(wang["teacher_id"], w.teacher_a);
    assert_eq!(wang["school_id"], w.school_a);
    assert_eq!(
        (wang["held"].as_i64(), wang["attended"].as_i64(), wang["absent"].as_i64()),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(wang["share"], 0.6667);
    assert_eq!(wang["over"], true);

    // Everyone, with their numbers: 赵 missed exactly a third (leave counted), which is not over.
    let all = app.get(&t.district_admin, &format!("{report_path}&all_members=true")).await.expect(200).body;
    let everyone = members_of(&all, team.group);
    assert_eq!(everyone.len(), 3);
    let zhao = everyone.iter().find(|m| m["teacher_id"] == w.teacher_b).unwrap();
    assert_eq!((zhao["on_leave"].as_i64(), zhao["counted_absences"].as_i64()), (Some(1), Some(1)));
    assert_eq!(zhao["over"], false);
    let sun = everyone.iter().find(|m| m["teacher_id"] == team.sun_teacher).unwrap();
    assert_eq!(sun["attended"], 3);

    // School staff see their own school's members only.
    let b_view = app.get(&t.admin_b, &format!("{report_path}&all_members=true")).await.expect(200).body;
    let seen: Vec<i64> = members_of(&b_view, team.group).iter().map(|m| m["teacher_id"].as_i64().unwrap()).collect();
    assert_eq!(seen.len(), 2);
    assert!(!seen.contains(&w.teacher_a));
    assert_eq!(app.get(&t.other_district_admin, &report_path).await.status, 422);

    // Only the district confirms; 赵 is not over; 王 is removed once.
    let confirm = |membership: i64| json!({"membership_id": membership, "semester_id": w.semester, "note": "经核实"});
    assert_eq!(app.post(&t.admin_a, "/api/v1/team-removals", confirm(team.wang)).await.status, 403);
    let refused = app.post(&t.district_admin, "/api/v1/team-removals", confirm(team.zhao)).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let removal = app.post(&t.district_admin, "/api/v1/team-removals", confirm(team.wang)).await.expect(201).body;
    assert_eq!(removal["reason"], "attendance");
    assert_eq!((removal["held"].as_i64(), removal["absent"].as_i64()), (Some(3), Some(2)));
    assert_eq!(removal["automatic"], false);
    assert_eq!(removal["removed_on"], "2026-12-10");
    assert_eq!(app.post(&t.district_admin, "/api/v1/team-removals", confirm(team.wang)).await.status, 409);

    // The membership ended that day; 王 is no longer a member, nor listed.
    let membership = app.get(&t.district_admin, &format!("/api/v1/groups/{}/members/{}", team.group, team.wang)).await;
    let membership = membership.expect(200).body;
    assert_eq!(membership["until"], "2026-12-10");
    assert!(!membership["archived_at"].is_null());
    let after = app.get(&t.district_admin, &format!("{report_path}&all_members=true")).await.expect(200).body;
    assert_eq!(members_of(&after, team.group).len(), 2);

    // School A's administrators read the notice; school B's, teachers and another district do not.
    let notices = app.get(&t.admin_a, "/api/v1/notices").await.expect(200).body;
    let items = notices["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{notices}");
    let notice = &items[0];
    assert_eq!(notice["school_id"], w.school_a);
    assert_eq!(notice["kind"], "team_removal");
    assert_eq!(notice["team_removal_id"], removal["id"]);
    let body = notice["body"].as_str().unwrap();
    assert!(body.contains("王老师") && body.contains("小学语文中心组") && body.contains("1/3"), "{body}");
    let notice_path = format!("/api/v1/notices/{}", notice["id"]);
    app.get(&t.admin_a, &notice_path).await.expect(200);
    app.get(&t.district_admin, &notice_path).await.expect(200);
    assert_eq!(app.get(&t.admin_b, &notice_path).await.status, 404);
    assert_eq!(app.get(&t.teacher_b, &notice_path).await.status, 404);
    assert_eq!(app.get(&t.other_district_admin, &notice_path).await.status, 404);
    assert_eq!(app.get(&t.teacher_a, &notice_path).await.status, 403);
    assert_eq!(app.get(&t.teacher_a, "/api/v1/notices").await.status, 403);
    assert!(app.get(&t.admin_b, "/api/v1/notices").await.expect(200).body["items"].as_array().unwrap().is_empty());

    // The removal is read by the member's school, not by another.
    let removal_path = format!("/api/v1/team-removals/{}", removal["id"]);
    app.get(&t.teacher_a, &removal_path).await.expect(200);
    assert_eq!(app.get(&t.admin_b, &removal_path).await.status, 404);
    let listed = app.get(&t.admin_b, &format!("/api/v1/team-removals?semester_id={}", w.semester)).await;
    assert!(listed.expect(200).ids().is_empty());
    let listed = app.get(&t.admin_a, &format!("/api/v1/team-removals?semester_id={}", w.semester)).await;
    assert_eq!(listed.expect(200).ids(), vec![removal["id"].as_i64().unwrap()]);

    // Settling is for after the semester's end.
    let settle = app.post(&t.district_admin, "/api/v1/team-removals/settle", json!({"semester_id": w.semester})).await;
    assert_eq!(settle.status, 409, "{}", settle.body);
}

async fn the_rule_is_the_district_s_and_validated(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let team = team(&app, &w).await;
    let path = format!("/api/v1/team-attendance-policies/districts/{}", w.district);
    let read = app.get(&t.teacher_a, &path).await.expect(200).body;
    assert_eq!(
        (read["absence_share_denominator"].as_i64(), read["leave_counts_as_absence"].as_bool()),
        (Some(3), Some(true))
    );

    let bad =
        put(&app, &t.district_admin, &path, json!({"absence_share_numerator": 3, "absence_share_denominator": 3}))
            .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(bad.error_fields(), vec!["absence_share_numerator".to_string()]);
    let bad =
        put(&app, &t.district_admin, &path, json!({"absence_share_numerator": 1, "absence_share_denominator": 0}))
            .await;
    assert!(bad.error_fields().contains(&"absence_share_denominator".to_string()), "{}", bad.body);
    let unknown = put(
        &app,
        &t.district_admin,
        &path,
        json!({"absence_share_numerator": 1, "absence_share_denominator": 3, "share": 1}),
    )
    .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    let rule = json!({"absence_share_numerator": 1, "absence_share_denominator": 4, "leave_counts_as_absence": false});
    assert_eq!(put(&app, &t.admin_a, &path, rule.clone()).await.status, 403);
    assert_eq!(put(&app, &t.other_district_admin, &path, rule.clone()).await.status, 404);
    assert_eq!(app.get(&t.other_district_admin, &path).await.status, 404);
    let set = put(&app, &t.district_admin, &path, rule).await.expect(200).body;
    assert_eq!(set["is_default"], false);

    // Leave no longer counts: 赵 has no counted absence; 王's 2 of 3 is still over a quarter.
    let report_path = format!("/api/v1/team-attendance?semester_id={}&all_members=true", w.semester);
    let report = app.get(&t.district_admin, &report_path).await.expect(200).body;
    let members = members_of(&report, team.group);
    let zhao = members.iter().find(|m| m["teacher_id"] == w.teacher_b).unwrap();
    assert_eq!((zhao["counted_absences"].as_i64(), zhao["share"].as_f64()), (Some(0), Some(0.0)));
    let over: Vec<&Value> = members.iter().filter(|m| m["over"] == true).collect();
    assert_eq!(over.len(), 1);

    // Bad references are named.
    let missing = app.get(&t.district_admin, "/api/v1/team-attendance?semester_id=999999").await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.error_fields(), vec!["semester_id".to_string()]);
    let nobody = json!({"membership_id": 999999, "semester_id": w.semester});
    let refused = app.post(&t.district_admin, "/api/v1/team-removals", nobody).await;
    assert_eq!((refused.status, refused.error_fields()), (422, vec!["membership_id".to_string()]));
    // A school group's membership is no district team's.
    let school_member = app.get(&t.district_admin, &format!("/api/v1/groups/{}/members", w.group_a)).await.ids()[0];
    let refused = app
        .post(
            &t.district_admin,
            "/api/v1/team-removals",
            json!({"membership_id": school_member, "semester_id": w.semester}),
        )
        .await;
    assert_eq!(refused.status, 422);
}

async fn an_automatic_rule_applies_itself_after_the_semester(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens;
    let team = team(&app, &w).await;
    let path = format!("/api/v1/team-attendance-policies/districts/{}", w.district);
    let rule = json!({"absence_share_numerator": 1, "absence_share_denominator": 3, "automatic_at_semester_end": true});
    put(&app, &t.district_admin, &path, rule).await.expect(200);
    // The semester has ended (the service's clock says 2027-01-25): the first read removes 王.
    assert!(app.get(&t.admin_a, "/api/v1/notices").await.expect(200).body["items"].as_array().unwrap().is_empty());
    let report_path = format!("/api/v1/team-attendance?semester_id={}", w.semester);
    let report = app.get(&t.admin_b, &report_path).await.expect(200).body;
    assert_eq!(report["automatically_removed"], 1);
    assert!(members_of(&report, team.group).is_empty());
    let again = app.get(&t.district_admin, &report_path).await.expect(200).body;
    assert_eq!(again["automatically_removed"], 0);
    let removals = app.get(&t.district_admin, &format!("/api/v1/team-removals?group_id={}", team.group)).await;
    let removals = removals.expect(200).body;
    let removal = &removals["items"][0];
    assert_eq!((removal["automatic"].as_bool(), removal["membership_id"].as_i64()), (Some(true), Some(team.wang)));
    assert!(removal["confirmed_by_user_id"].is_null());
    // Ended on the semester's... removal day: the clock's day (the membership was open-ended).
    assert_eq!(removal["removed_on"], NaiveDate::from_ymd_opt(2027, 1, 25).unwrap().to_string());
    let notices = app.get(&t.admin_a, "/api/v1/notices").await.expect(200).body;
    assert_eq!(notices["items"].as_array().unwrap().len(), 1);
    // Nothing is left to settle.
    let settled = app.post(&t.district_admin, "/api/v1/team-removals/settle", json!({"semester_id": w.semester})).await;
    assert_eq!(settled.expect(200).body["removed"], 0);
    assert_eq!(
        app.post(&t.admin_a, "/api/v1/team-removals/settle", json!({"semester_id": w.semester})).await.status,
        403
    );
}

on_both_backends!(configure = in_the_semester;
    a_member_over_a_third_is_confirmed_out_and_their_school_told,
    the_rule_is_the_district_s_and_validated
);

mod after_the_end {
    use super::*;
    on_both_backends!(configure = after_the_semester; an_automatic_rule_applies_itself_after_the_semester);
}

/// The demo district shows the rule in each state: a member confirmed out (with the notice to
/// their school), one over the share awaiting confirmation.
async fn the_demo_team_has_a_removal_and_a_member_awaiting_one(app: TestApp) {
    let demo = app.demo.clone().expect("started on the demo template");
    let admin = app.login(api::demo::DISTRICT_ADMIN, jiaoyan_tests::DEMO_PASSWORD).await;
    let semester = demo.district.autumn_semester_id;
    let removals = app.get(&admin, &format!("/api/v1/team-removals?semester_id={semester}")).await.expect(200).body;
    let items = removals["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{removals}");
    assert_eq!(items[0]["group_id"], demo.district.district_team.id);
    let report = app.get(&admin, &format!("/api/v1/team-attendance?semester_id={semester}")).await.expect(200).body;
    let waiting = members_of(&report, demo.district.district_team.id);
    assert!(!waiting.is_empty(), "{report}");
    let school = items[0]["school_id"].as_i64().unwrap();
    let notices = app.get(&admin, &format!("/api/v1/notices?school_id={school}")).await.expect(200).body;
    assert_eq!(notices["items"][0]["team_removal_id"], items[0]["id"]);
}

mod on_the_demo {
    use super::*;
    on_both_backends!(spawn = spawn_demo; the_demo_team_has_a_removal_and_a_member_awaiting_one);
}
