//! Groups (教研组, 备课组, 中心组 ...), their members, weekly slots and research topics, with the
//! scope rules: school B's groups are invisible to school A, district teams are read by the whole
//! district (but each school sees only its own members of them), and a group leader manages the
//! members, slots and topics of the groups they lead, and nothing else.

use entities::enums::{MemberRole, Role};
use jiaoyan_tests::fixtures::{new_membership, new_teacher, new_user, World};
use jiaoyan_tests::{json, on_both_backends, TestApp, PASSWORD};

async fn create_group(app: &TestApp, token: &str, body: serde_json::Value) -> i64 {
    app.post(token, "/api/v1/groups", body).await.expect(201).body["id"].as_i64().unwrap()
}

async fn research_group_with_lesson_prep_sub_groups_reads_as_a_tree(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    // 数学教研组 with its lesson-prep groups (seed 000: 数学 has five; two are enough here).
    let created = app
        .post(
            admin,
            "/api/v1/groups",
            json!({"kind": "research", "school_id": w.school_a, "name": "数学教研组", "subject": "数学",
                   "leader_teacher_id": w.teacher_a}),
        )
        .await
        .expect(201);
    let math = created.body["id"].as_i64().unwrap();
    assert_eq!(created.headers["location"], format!("/api/v1/groups/{math}").as_str());
    assert_eq!(created.body["district_id"], w.district);
    assert_eq!(created.body["member_count"], 0);
    let lower = create_group(
        &app,
        admin,
        json!({"kind": "lesson_prep", "school_id": w.school_a, "name": "低段数学备课组", "subject": "数学",
               "grade_band": "lower", "parent_id": math}),
    )
    .await;
    let upper = create_group(
        &app,
        admin,
        json!({"kind": "lesson_prep", "school_id": w.school_a, "name": "高段数学备课组", "subject": "数学",
               "grade_band": "upper", "parent_id": math}),
    )
    .await;

    // The tree, one level at a time.
    let children = app.get(admin, &format!("/api/v1/groups?parent_id={math}&sort=-name")).await.expect(200);
    assert_eq!(children.ids(), vec![upper, lower], "高 sorts after 低 by name, descending");
    let roots = app.get(admin, &format!("/api/v1/groups?school_id={}&kind=research", w.school_a)).await.expect(200);
    assert_eq!(roots.ids(), vec![w.group_a, math]);
    let of_subject = app.get(admin, "/api/v1/groups?subject=数学&sort=name").await.expect(200);
    assert_eq!(of_subject.body["total"], 3);
    // group_a counts its two live fixture members; teacher_a's groups are found by membership.
    let got = app.get(admin, &format!("/api/v1/groups/{}", w.group_a)).await.expect(200);
    assert_eq!(got.body["member_count"], 2);
    let mine = app.get(admin, &format!("/api/v1/groups?teacher_id={}", w.teacher_a)).await.expect(200);
    assert_eq!(mine.ids(), vec![w.group_a]);

    // Structure rules: a lesson-prep group sits under a research group, never under itself.
    let grade = create_group(&app, admin, json!({"kind": "grade", "school_id": w.school_a, "name": "一年级组"})).await;
    let bad = app
        .post(
            admin,
            "/api/v1/groups",
            json!({"kind": "lesson_prep", "school_id": w.school_a, "name": "一年级备课组", "parent_id": grade}),
        )
        .await
        .expect(422);
    assert_eq!(bad.error_fields(), vec!["parent_id"]);
    let cycle = app.patch(admin, &format!("/api/v1/groups/{math}"), json!({"parent_id": math})).await.expect(422);
    assert_eq!(cycle.error_fields(), vec!["parent_id"]);
    let orphaning = app.patch(admin, &format!("/api/v1/groups/{math}"), json!({"kind": "project"})).await.expect(422);
    assert_eq!(orphaning.error_fields(), vec!["kind"]);
    let foreign_parent = app
        .post(
            admin,
            "/api/v1/groups",
            json!({"kind": "lesson_prep", "school_id": w.school_a, "name": "x", "parent_id": w.group_b}),
        )
        .await
        .expect(422);
    assert_eq!(foreign_parent.error_fields(), vec!["parent_id"]);
    let missing = app.post(admin, "/api/v1/groups", json!({"kind": "research", "name": "  "})).await.expect(422);
    assert_eq!(missing.error_fields(), vec!["school_id"]);
    let no_name =
        app.post(admin, "/api/v1/groups", json!({"kind": "research", "school_id": w.school_a, "name": " "})).await;
    assert_eq!(no_name.expect(422).error_fields(), vec!["name"]);
    let dup = app
        .post(admin, "/api/v1/groups", json!({"kind": "research", "school_id": w.school_a, "name": "数学教研组"}))
        .await;
    assert_eq!(dup.expect(409).error_fields(), vec!["name"]);
    let leader_of_b = app
        .post(admin, "/api/v1/groups", json!({"kind": "research", "school_id": w.school_a, "name": "英语教研组", "leader_teacher_id": w.teacher_b}))
        .await
        .expect(422);
    assert_eq!(leader_of_b.error_fields(), vec!["leader_teacher_id"]);

    // PATCH: absent unchanged, null cleared.
    let patched = app
        .patch(
            admin,
            &format!("/api/v1/groups/{lower}"),
            json!({"name": "低段数学备课组（一二年级）", "grade_band": null}),
        )
        .await
        .expect(200);
    assert_eq!(patched.body["grade_band"], serde_json::Value::Null);
    assert_eq!(patched.body["parent_id"], math);

    // Teachers and group leaders do not manage groups themselves.
    let body = json!({"kind": "research", "school_id": w.school_a, "name": "科学教研组"});
    app.post(&w.tokens.teacher_a, "/api/v1/groups", body.clone()).await.expect(403);
    app.post(&w.tokens.leader_a, "/api/v1/groups", body).await.expect(403);
    app.patch(&w.tokens.leader_a, &format!("/api/v1/groups/{}", w.group_a), json!({"name": "x"})).await.expect(403);
    app.delete(&w.tokens.teacher_a, &format!("/api/v1/groups/{lower}")).await.expect(403);

    // Archiving: not while live sub-groups exist; then gone from lists unless asked for.
    let blocked = app.delete(admin, &format!("/api/v1/groups/{math}")).await.expect(409);
    assert_eq!(blocked.content_type(), "application/problem+json");
    app.delete(admin, &format!("/api/v1/groups/{lower}")).await.expect(204);
    app.delete(admin, &format!("/api/v1/groups/{upper}")).await.expect(204);
    app.delete(admin, &format!("/api/v1/groups/{math}")).await.expect(204);
    app.delete(admin, &format!("/api/v1/groups/{math}")).await.expect(204);
    let live = app.get(admin, &format!("/api/v1/groups?parent_id={math}")).await.expect(200);
    assert!(live.ids().is_empty());
    let all = app.get(admin, &format!("/api/v1/groups?parent_id={math}&include_archived=true")).await.expect(200);
    assert_eq!(all.ids(), vec![lower, upper]);
    // The name is free again once the group is archived.
    create_group(&app, admin, json!({"kind": "research", "school_id": w.school_a, "name": "数学教研组"})).await;
    app.get(admin, "/api/v1/groups?sort=size").await.expect(422);
}

async fn a_district_team_shows_each_school_only_its_own_members(app: TestApp) {
    let w = World::build(&app).await;
    let district = &w.tokens.district_admin;
    let body = json!({"kind": "district_team", "district_id": w.district, "name": "小学语文中心组", "subject": "语文",
                      "leader_teacher_id": w.teacher_b});
    // Only district administrators manage district teams; a team has no school.
    app.post(&w.tokens.admin_a, "/api/v1/groups", body.clone()).await.expect(403);
    let with_school = json!({"kind": "district_team", "district_id": w.district, "school_id": w.school_a, "name": "x"});
    assert_eq!(app.post(district, "/api/v1/groups", with_school).await.expect(422).error_fields(), vec!["school_id"]);
    let no_district = json!({"kind": "district_team", "name": "x"});
    assert_eq!(app.post(district, "/api/v1/groups", no_district).await.expect(422).error_fields(), vec!["district_id"]);
    let team = create_group(&app, district, body).await;
    let members = format!("/api/v1/groups/{team}/members");
    let from_a = app.post(district, &members, json!({"teacher_id": w.teacher_a})).await.expect(201);
    assert_eq!(from_a.body["role"], "member");
    assert_eq!(from_a.body["school_id"], w.school_a);
    assert_eq!(from_a.body["teacher_name"], "王老师");
    let from_b = app.post(district, &members, json!({"teacher_id": w.teacher_b, "role": "leader"})).await.expect(201);
    let from_b = from_b.body["id"].as_i64().unwrap();
    let from_c = app.post(district, &members, json!({"teacher_id": w.teacher_c})).await.expect(422);
    assert_eq!(from_c.error_fields(), vec!["teacher_id"]);

    let all = app.get(district, &members).await.expect(200);
    assert_eq!(all.body["total"], 2);
    assert_eq!(app.get(district, &format!("/api/v1/groups/{team}")).await.expect(200).body["member_count"], 2);
    // School A reads the team, but of its members only its own teacher.
    let seen_by_a = app.get(&w.tokens.admin_a, &members).await.expect(200);
    assert_eq!(seen_by_a.body["total"], 1);
    assert_eq!(seen_by_a.body["items"][0]["teacher_id"], w.teacher_a);
    let team_for_a = app.get(&w.tokens.teacher_a, &format!("/api/v1/groups/{team}")).await.expect(200);
    assert_eq!(team_for_a.body["member_count"], 1);
    let teams = app.get(&w.tokens.admin_a, "/api/v1/groups?kind=district_team").await.expect(200);
    assert_eq!(teams.ids(), vec![team]);
    app.get(&w.tokens.admin_a, &format!("{members}/{from_b}")).await.expect(404);
    app.delete(&w.tokens.admin_a, &format!("{members}/{from_b}")).await.expect(404);
    // A school administrator does not manage the team's members; another district sees nothing.
    app.post(&w.tokens.admin_a, &members, json!({"teacher_id": w.leader_a})).await.expect(403);
    app.get(&w.tokens.other_district_admin, &format!("/api/v1/groups/{team}")).await.expect(404);
    app.get(&w.tokens.other_district_admin, &members).await.expect(404);
    let other = app.get(&w.tokens.other_district_admin, "/api/v1/groups").await.expect(200);
    assert!(other.ids().is_empty());
}

async fn a_group_leader_manages_the_members_slots_and_topics_of_their_group(app: TestApp) {
    let w = World::build(&app).await;
    let leader = &w.tokens.leader_a;
    let newcomer = new_teacher(&app.db, w.school_a, "孙老师").await;
    let members = format!("/api/v1/groups/{}/members", w.group_a);

    // Members: add, change, end; a second live membership is refused.
    let added = app
        .post(leader, &members, json!({"teacher_id": newcomer, "role": "deputy_leader", "since": "2026-09-01"}))
        .await
        .expect(201);
    let membership = added.body["id"].as_i64().unwrap();
    assert_eq!(added.body["until"], serde_json::Value::Null);
    let again = app.post(leader, &members, json!({"teacher_id": newcomer})).await.expect(409);
    assert_eq!(again.error_fields(), vec!["teacher_id"]);
    let early =
        app.post(leader, &members, json!({"teacher_id": w.leader_a, "since": "2026-09-01", "until": "2026-08-01"}));
    assert_eq!(early.await.expect(422).error_fields(), vec!["until"]);
    let from_b = app.post(leader, &members, json!({"teacher_id": w.teacher_b})).await.expect(422);
    assert_eq!(from_b.error_fields(), vec!["teacher_id"]);
    let changed = app.patch(leader, &format!("{members}/{membership}"), json!({"role": "member"})).await.expect(200);
    assert_eq!(changed.body["role"], "member");
    assert_eq!(app.get(leader, &members).await.expect(200).body["total"], 3);
    app.delete(leader, &format!("{members}/{membership}")).await.expect(204);
    app.delete(leader, &format!("{members}/{membership}")).await.expect(204);
    let live = app.get(leader, &members).await.expect(200);
    assert_eq!(live.body["total"], 2);
    assert!(!live.ids().contains(&membership));
    let past = app.get(leader, &format!("{members}?include_past=true")).await.expect(200);
    let ended = past.body["items"].as_array().unwrap().iter().find(|m| m["id"] == membership).unwrap().clone();
    assert!(ended["until"].is_string() && ended["archived_at"].is_string());
    // Ended, the teacher may join again.
    app.post(leader, &members, json!({"teacher_id": newcomer})).await.expect(201);

    // Weekly slots: 语文星期四下午第二节课 (seed 000).
    let slots = format!("/api/v1/groups/{}/slots", w.group_a);
    let slot = app
        .post(
            leader,
            &slots,
            json!({"weekday": 4, "start_period": 6, "end_period": 6, "start_time": "14:30",
                                     "end_time": "15:10", "venue": "语文教研室"}),
        )
        .await
        .expect(201);
    assert_eq!(slot.body["week_pattern"], "every");
    assert_eq!(slot.body["first_week"], 1);
    assert_eq!(slot.body["start_time"], "14:30");
    let slot = slot.body["id"].as_i64().unwrap();
    let odd = app
        .patch(leader, &format!("{slots}/{slot}"), json!({"week_pattern": "odd", "start_time": null, "end_time": null}))
        .await
        .expect(200);
    assert_eq!(odd.body["week_pattern"], "odd");
    assert_eq!(odd.body["start_time"], serde_json::Value::Null);
    let slot_path = format!("{slots}/{slot}");
    let nothing = app.patch(leader, &slot_path, json!({"start_period": null, "end_period": null}));
    assert_eq!(nothing.await.expect(422).error_fields(), vec!["start_period", "start_time"]);
    let neither = app.post(leader, &slots, json!({"weekday": 2, "venue": "会议室"})).await.expect(422);
    assert!(neither.error_fields().contains(&"start_period".to_string()), "{}", neither.body);
    let wrong = app
        .post(leader, &slots, json!({"weekday": 8, "start_period": 7, "end_period": 6, "first_week": 0}))
        .await
        .expect(422);
    assert_eq!(wrong.error_fields(), vec!["weekday", "first_week", "end_period"]);
    let bad_time = app.post(leader, &slots, json!({"weekday": 3, "start_time": "2:30pm", "end_time": "15:10"}));
    assert_eq!(bad_time.await.expect(422).error_fields(), vec!["start_time"]);
    assert_eq!(app.get(&w.tokens.teacher_a, &slots).await.expect(200).ids(), vec![slot]);
    app.delete(leader, &format!("{slots}/{slot}")).await.expect(204);
    assert!(app.get(leader, &slots).await.expect(200).ids().is_empty());

    // Research topics: one live topic per group and semester.
    let topic = json!({"group_id": w.group_a, "semester_id": w.semester, "title": "低年级识字写字教学的有效性研究"});
    let created = app.post(leader, "/api/v1/research-topics", topic.clone()).await.expect(201);
    let topic_id = created.body["id"].as_i64().unwrap();
    let dup = app.post(leader, "/api/v1/research-topics", topic).await.expect(409);
    assert_eq!(dup.error_fields(), vec!["semester_id"]);
    let long = json!({"group_id": w.group_a, "semester_id": w.semester, "title": "长".repeat(201)});
    assert_eq!(app.post(leader, "/api/v1/research-topics", long).await.expect(422).error_fields(), vec!["title"]);
    let patched = app
        .patch(leader, &format!("/api/v1/research-topics/{topic_id}"), json!({"description": "每月一次课例研讨"}))
        .await
        .expect(200);
    assert_eq!(patched.body["description"], "每月一次课例研讨");
    let listed = app.get(&w.tokens.teacher_a, &format!("/api/v1/research-topics?school_id={}", w.school_a)).await;
    assert_eq!(listed.expect(200).ids(), vec![topic_id]);

    // A teacher only reads.
    let teacher = &w.tokens.teacher_a;
    app.post(teacher, &members, json!({"teacher_id": w.leader_a})).await.expect(403);
    app.post(teacher, &slots, json!({"weekday": 4, "start_period": 6, "end_period": 6})).await.expect(403);
    app.patch(teacher, &format!("/api/v1/research-topics/{topic_id}"), json!({"title": "x"})).await.expect(403);
    app.delete(teacher, &format!("/api/v1/research-topics/{topic_id}")).await.expect(403);

    // Another group of school A that leader_a does not lead: visible, not theirs to manage.
    let math = create_group(
        &app,
        &w.tokens.admin_a,
        json!({"kind": "research", "school_id": w.school_a, "name": "数学教研组"}),
    )
    .await;
    app.get(leader, &format!("/api/v1/groups/{math}")).await.expect(200);
    app.post(leader, &format!("/api/v1/groups/{math}/members"), json!({"teacher_id": newcomer})).await.expect(403);
    app.post(
        leader,
        &format!("/api/v1/groups/{math}/slots"),
        json!({"weekday": 2, "start_period": 6, "end_period": 6}),
    )
    .await
    .expect(403);
    let other_topic = json!({"group_id": math, "semester_id": w.semester, "title": "计算教学"});
    app.post(leader, "/api/v1/research-topics", other_topic.clone()).await.expect(403);
    // School B's group is out of reach altogether.
    app.post(leader, &format!("/api/v1/groups/{}/members", w.group_b), json!({"teacher_id": newcomer}))
        .await
        .expect(404);
    app.get(leader, &format!("/api/v1/groups/{}/slots", w.group_b)).await.expect(404);

    // Leading by membership: a deputy leader with a group_leader account manages the group too.
    let deputy = new_teacher(&app.db, w.school_a, "周老师").await;
    new_membership(&app.db, math, deputy, MemberRole::DeputyLeader).await;
    new_user(&app.db, "deputy_a", Role::GroupLeader, Some(w.district), Some(w.school_a), Some(deputy)).await;
    let deputy_token = app.login("deputy_a", PASSWORD).await;
    app.post(&deputy_token, "/api/v1/research-topics", other_topic).await.expect(201);
    app.post(&deputy_token, &members, json!({"teacher_id": deputy})).await.expect(403);
}

async fn school_b_groups_are_invisible_to_school_a(app: TestApp) {
    let w = World::build(&app).await;
    let admin_b = &w.tokens.admin_b;
    let b = w.group_b;
    let slots = format!("/api/v1/groups/{b}/slots");
    let slot = app.post(admin_b, &slots, json!({"weekday": 2, "start_period": 6, "end_period": 6}));
    let slot = slot.await.expect(201).body["id"].as_i64().unwrap();
    let membership = app.get(admin_b, &format!("/api/v1/groups/{b}/members")).await.expect(200).ids()[0];
    let topic = json!({"group_id": b, "semester_id": w.semester, "title": "乙小学语文主题"});
    let topic = app.post(admin_b, "/api/v1/research-topics", topic).await.expect(201).body["id"].as_i64().unwrap();

    let a = &w.tokens.admin_a;
    for path in [
        format!("/api/v1/groups/{b}"),
        format!("/api/v1/groups/{b}/members"),
        format!("/api/v1/groups/{b}/members/{membership}"),
        format!("/api/v1/groups/{b}/slots"),
        format!("/api/v1/groups/{b}/slots/{slot}"),
        format!("/api/v1/research-topics/{topic}"),
    ] {
        app.get(a, &path).await.expect(404);
    }
    app.patch(a, &format!("/api/v1/groups/{b}"), json!({"name": "x"})).await.expect(404);
    app.delete(a, &format!("/api/v1/groups/{b}")).await.expect(404);
    app.post(a, &format!("/api/v1/groups/{b}/members"), json!({"teacher_id": w.teacher_a})).await.expect(404);
    app.patch(a, &format!("/api/v1/groups/{b}/members/{membership}"), json!({"role": "member"})).await.expect(404);
    app.delete(a, &format!("/api/v1/groups/{b}/members/{membership}")).await.expect(404);
    app.post(a, &format!("/api/v1/groups/{b}/slots"), json!({"weekday": 2, "start_period": 6, "end_period": 6}))
        .await
        .expect(404);
    app.patch(a, &format!("/api/v1/groups/{b}/slots/{slot}"), json!({"weekday": 3})).await.expect(404);
    app.delete(a, &format!("/api/v1/groups/{b}/slots/{slot}")).await.expect(404);
    app.patch(a, &format!("/api/v1/research-topics/{topic}"), json!({"title": "x"})).await.expect(404);
    app.delete(a, &format!("/api/v1/research-topics/{topic}")).await.expect(404);
    // A body naming school B's group is a 422, as if it did not exist.
    let foreign = json!({"group_id": b, "semester_id": w.semester, "title": "x"});
    assert_eq!(app.post(a, "/api/v1/research-topics", foreign).await.expect(422).error_fields(), vec!["group_id"]);
    let foreign = json!({"kind": "research", "school_id": w.school_b, "name": "x"});
    assert_eq!(app.post(a, "/api/v1/groups", foreign).await.expect(422).error_fields(), vec!["school_id"]);
    // Never in lists, even when asked for by school.
    assert_eq!(app.get(a, "/api/v1/groups").await.expect(200).ids(), vec![w.group_a]);
    let by_school = app.get(a, &format!("/api/v1/groups?school_id={}", w.school_b)).await.expect(200);
    assert!(by_school.ids().is_empty());
    assert!(app.get(a, "/api/v1/research-topics").await.expect(200).ids().is_empty());
    // The district administrator sees both schools; the other district neither.
    let district = app.get(&w.tokens.district_admin, "/api/v1/research-topics").await.expect(200);
    assert_eq!(district.ids(), vec![topic]);
    app.get(&w.tokens.other_district_admin, &format!("/api/v1/groups/{}", w.group_a)).await.expect(404);
    app.get(&w.tokens.other_district_admin, &format!("/api/v1/research-topics/{topic}")).await.expect(404);
}

on_both_backends!(
    research_group_with_lesson_prep_sub_groups_reads_as_a_tree,
    a_district_team_shows_each_school_only_its_own_members,
    a_group_leader_manages_the_members_slots_and_topics_of_their_group,
    school_b_groups_are_invisible_to_school_a,
);
