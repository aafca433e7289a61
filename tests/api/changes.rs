//! The change feed (`GET /changes`, `GET /changes/available`), read as a district system would:
//! a machine client, a client-credentials token, then pages followed by `next_since` to the end.
//! Every write shows once, in its latest state, as the resource's own GET shows it; deletions as
//! tombstones; scopes and school limits hold for data and tombstones alike; reads write nothing;
//! purged tombstones make an old `since` a 409.

use std::collections::{BTreeSet, HashSet};

use entities::change_log;
use jiaoyan_tests::clients::client_token;
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

on_both_backends!(
    every_type_shows_once_in_its_latest_state_as_its_get_shows_it,
    pages_followed_by_next_since_read_to_the_end,
    an_archive_is_a_tombstone_with_the_sourced_id,
    types_and_scopes_decide_what_is_read,
    bad_parameters_are_422_naming_the_parameter,
    a_school_limited_client_never_sees_another_schools_rows,
    reads_write_nothing_to_the_log,
    purged_tombstones_make_an_older_since_a_409,
);

async fn feed(app: &TestApp, token: &str, query: &str) -> Resp {
    app.get(token, &format!("/api/v1/changes?{query}")).await
}

/// Every entry from `since` on, following `next_since` with pages of `limit`; and the last
/// `next_since`.
async fn pull(app: &TestApp, token: &str, since: i64, limit: u64, extra: &str) -> (Vec<Value>, i64) {
    let mut entries = Vec::new();
    let mut since = since;
    loop {
        let page = feed(app, token, &format!("since={since}&limit={limit}{extra}")).await.expect(200);
        let changes = page.body["changes"].as_array().unwrap();
        assert!(changes.len() as u64 <= limit);
        entries.extend(changes.iter().cloned());
        since = page.body["next_since"].as_i64().unwrap();
        if !page.body["has_more"].as_bool().unwrap() {
            assert_eq!(since, page.body["newest"].as_i64().unwrap(), "the last page hands out newest");
            return (entries, since);
        }
        assert_eq!(Some(since), changes.last().and_then(|c| c["change_version"].as_i64()));
    }
}

fn find<'a>(entries: &'a [Value], kind: &str, id: i64) -> Option<&'a Value> {
    entries.iter().find(|e| e["type"] == kind && e["id"] == id)
}

fn keys(entries: &[Value]) -> Vec<(String, i64)> {
    entries.iter().map(|e| (e["type"].as_str().unwrap().to_string(), e["id"].as_i64().unwrap())).collect()
}

fn types_of(entries: &[Value]) -> BTreeSet<String> {
    entries.iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
}

fn created(resp: Resp) -> i64 {
    resp.expect(201).body["id"].as_i64().unwrap()
}

fn versions_ascend_and_keys_are_unique(entries: &[Value]) {
    let versions: Vec<i64> = entries.iter().map(|e| e["change_version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "not in version order: {versions:?}");
    let unique: HashSet<(String, i64)> = keys(entries).into_iter().collect();
    assert_eq!(unique.len(), entries.len(), "a resource appears twice");
}

async fn newest(app: &TestApp, token: &str) -> i64 {
    app.get(token, "/api/v1/changes/available").await.expect(200).body["newest"].as_i64().unwrap()
}

/// One resource of every type the feed serves, written through the API; `(type, GET path)`.
async fn one_of_each(app: &TestApp, w: &World) -> Vec<(&'static str, String)> {
    let admin = &w.tokens.district_admin;
    let (a, sem) = (w.school_a, w.semester);
    let zone = created(app.post(admin, "/api/v1/zones", json!({"district_id": w.district, "name": "西片"})).await);
    let school = created(
        app.post(admin, "/api/v1/schools", json!({"district_id": w.district, "name": "戊小学", "tier": "village"}))
            .await,
    );
    let semester = created(
        app.post(
            admin,
            "/api/v1/semesters",
            json!({"district_id": w.district, "name": "2027年春季学期", "school_year": "2026-2027",
                   "start_date": "2027-02-22", "end_date": "2027-07-02"}),
        )
        .await,
    );
    let teacher = created(
        app.post(
            admin,
            "/api/v1/teachers",
            json!({"school_id": a, "name": "周老师", "subjects": ["语文"], "grades": [3]}),
        )
        .await,
    );
    let group =
        created(app.post(admin, "/api/v1/groups", json!({"kind": "project", "school_id": a, "name": "课题组"})).await);
    let member =
        created(app.post(admin, &format!("/api/v1/groups/{group}/members"), json!({"teacher_id": w.teacher_a})).await);
    let slot = created(
        app.post(
            admin,
            &format!("/api/v1/groups/{group}/slots"),
            json!({"weekday": 3, "start_period": 6, "end_period": 6}),
        )
        .await,
    );
    let topic = created(
        app.post(
            admin,
            "/api/v1/research-topics",
            json!({"group_id": group, "semester_id": sem, "title": "整本书阅读"}),
        )
        .await,
    );
    let activity = created(
        app.post(
            admin,
            "/api/v1/activities",
            json!({"organiser_kind": "group", "organiser_id": w.group_a, "semester_id": sem,
                   "activity_type": "collective_prep", "title": "集体备课", "date": "2026-10-15",
                   "lessons": [{"teacher_id": w.teacher_a, "subject": "语文", "grade": 3, "lesson_kind": "research"}]}),
        )
        .await,
    );
    let rubric = created(
        app.post(
            admin,
            "/api/v1/rubrics",
            json!({"school_id": a, "name": "听课量表", "dimensions": [{"name": "教学目标", "max_points": 10}]}),
        )
        .await,
    );
    let observation = created(
        app.post(
            admin,
            "/api/v1/observations",
            json!({"observer_teacher_id": w.teacher_a, "observed_teacher_id": w.leader_a, "observed_on": "2026-10-09",
                   "subject": "语文", "lesson_kind": "ordinary", "rubric_id": rubric}),
        )
        .await,
    );
    let record = created(
        app.post(
            &w.tokens.teacher_a,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-09", "body": "今天的课上得不错。",
                   "coauthor_teacher_ids": [w.leader_a]}),
        )
        .await,
    );
    let task = created(
        app.post(
            admin,
            "/api/v1/record-tasks",
            json!({"school_id": a, "semester_id": sem, "kind": "reading_note", "title": "读书笔记", "due_on": "2026-10-15"}),
        )
        .await,
    );
    let mentorship = created(
        app.post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": teacher, "start_semester_id": sem}),
        )
        .await,
    );
    let rule = created(
        app.post(admin, "/api/v1/quota-rules", json!({"school_id": a, "template_id": "observations-semester-20"}))
            .await,
    );
    let preparation = created(
        app.post(
            admin,
            "/api/v1/preparations",
            json!({"group_id": w.group_a, "grade": 3, "lesson_title": "秋天的雨", "lead_teacher_id": w.teacher_a,
                   "session_on": "2026-10-15"}),
        )
        .await,
    );
    vec![
        ("districts", format!("/api/v1/districts/{}", w.district)),
        ("zones", format!("/api/v1/zones/{zone}")),
        ("schools", format!("/api/v1/schools/{school}")),
        ("schools", format!("/api/v1/schools/{a}")),
        ("semesters", format!("/api/v1/semesters/{semester}")),
        ("teachers", format!("/api/v1/teachers/{teacher}")),
        ("groups", format!("/api/v1/groups/{group}")),
        ("memberships", format!("/api/v1/groups/{group}/members/{member}")),
        ("slots", format!("/api/v1/groups/{group}/slots/{slot}")),
        ("research_topics", format!("/api/v1/research-topics/{topic}")),
        ("activities", format!("/api/v1/activities/{activity}")),
        ("observations", format!("/api/v1/observations/{observation}")),
        ("rubrics", format!("/api/v1/rubrics/{rubric}")),
        ("records", format!("/api/v1/records/{record}")),
        ("record_tasks", format!("/api/v1/record-tasks/{task}")),
        ("mentorships", format!("/api/v1/mentorships/{mentorship}")),
        ("preparations", format!("/api/v1/preparations/{preparation}")),
        ("quota_rules", format!("/api/v1/quota-rules/{rule}")),
    ]
}

async fn every_type_shows_once_in_its_latest_state_as_its_get_shows_it(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let made = one_of_each(&app, &w).await;
    // Two writes to one row: one entry, with the later version and state.
    let teacher_path = &made.iter().find(|(k, _)| *k == "teachers").unwrap().1;
    app.patch(admin, teacher_path, json!({"name": "周老师一"})).await.expect(200);
    app.patch(admin, teacher_path, json!({"name": "周老师二", "grades": [3, 4]})).await.expect(200);

    let client = client_token(&app, admin, "区级平台", &["roster.read", "records.read"], None).await;
    let (entries, _) = pull(&app, &client, 0, 1000, "").await;
    versions_ascend_and_keys_are_unique(&entries);
    for (kind, path) in &made {
        let got = app.get(admin, path).await.expect(200);
        let id = got.body["id"].as_i64().unwrap();
        let entry = find(&entries, kind, id).unwrap_or_else(|| panic!("{kind} {id} is not in the feed"));
        assert_eq!(entry["deleted"], false);
        assert_eq!(entry["data"], got.body, "{kind} {id}: the feed's data differs from {path}");
        assert_eq!(
            got.header("etag"),
            format!("\"{}\"", entry["change_version"]),
            "{kind} {id}: not its latest version"
        );
    }
    let teacher = made.iter().find(|(k, _)| *k == "teachers").unwrap();
    let teacher_id: i64 = teacher.1.rsplit('/').next().unwrap().parse().unwrap();
    let entry = find(&entries, "teachers", teacher_id).unwrap();
    assert_eq!((entry["data"]["name"].as_str(), &entry["data"]["grades"]), (Some("周老师二"), &json!([3, 4])));

    // Every type of the feed is there; accounts, clients and pairings never are; nor is anything
    // of the other district.
    let expected: BTreeSet<String> = made.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(types_of(&entries), expected);
    assert!(find(&entries, "schools", w.school_c).is_none() && find(&entries, "teachers", w.teacher_c).is_none());
    assert!(find(&entries, "districts", w.other_district).is_none());
}

async fn pages_followed_by_next_since_read_to_the_end(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let client = client_token(&app, admin, "区级平台", &["roster.read"], None).await;
    for i in 0..7 {
        app.post(admin, "/api/v1/teachers", json!({"school_id": w.school_b, "name": format!("新老师{i}")}))
            .await
            .expect(201);
    }
    let (whole, end) = pull(&app, &client, 0, 1000, "").await;
    let (paged, paged_end) = pull(&app, &client, 0, 3, "").await;
    assert!(whole.len() > 9, "the world and seven teachers: {}", whole.len());
    assert_eq!(keys(&paged), keys(&whole), "pages of 3 read the same entries in the same order");
    assert_eq!(paged_end, end);
    versions_ascend_and_keys_are_unique(&whole);

    // The first page says there is more; the default page is 100.
    let first = feed(&app, &client, "limit=2").await.expect(200);
    assert_eq!((first.body["changes"].as_array().unwrap().len(), first.body["has_more"].as_bool()), (2, Some(true)));
    assert_eq!(first.body["next_since"], first.body["changes"][1]["change_version"]);
    let default = feed(&app, &client, "").await.expect(200);
    assert_eq!(default.body["changes"].as_array().unwrap().len(), whole.len().min(100));

    // At the end nothing is new; after a write exactly that write is.
    let nothing = feed(&app, &client, &format!("since={end}")).await.expect(200);
    assert_eq!(nothing.body["changes"], json!([]));
    assert_eq!((nothing.body["has_more"].as_bool(), nothing.body["next_since"].as_i64()), (Some(false), Some(end)));
    app.patch(admin, &format!("/api/v1/teachers/{}", w.teacher_b), json!({"name": "赵老师二"})).await.expect(200);
    let (after, _) = pull(&app, &client, end, 100, "").await;
    assert_eq!(keys(&after), vec![("teachers".to_string(), w.teacher_b)]);
    assert_eq!(after[0]["data"]["name"], "赵老师二");
    assert!(after[0]["change_version"].as_i64().unwrap() > end);
    // The teacher moved to the end of the feed: a full pull has it once, last.
    let (again, _) = pull(&app, &client, 0, 1000, "").await;
    assert_eq!(keys(&again).last(), Some(&("teachers".to_string(), w.teacher_b)));
    assert_eq!(again.len(), whole.len());
}

async fn an_archive_is_a_tombstone_with_the_sourced_id(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let client = client_token(&app, admin, "县教师管理系统", &["roster.read"], None).await;
    let teacher = created(
        app.post(
            admin,
            "/api/v1/teachers",
            json!({"school_id": w.school_a, "name": "孙老师", "external_id": "T-2019-0040"}),
        )
        .await,
    );
    let since = newest(&app, &client).await;
    app.delete(admin, &format!("/api/v1/teachers/{teacher}")).await.expect(204);
    let (entries, _) = pull(&app, &client, since, 100, "").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let tombstone = entries[0].as_object().unwrap();
    let fields: BTreeSet<&str> = tombstone.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        BTreeSet::from(["type", "id", "sourced_id", "change_version", "deleted"]),
        "no data on a tombstone"
    );
    assert_eq!((tombstone["type"].as_str(), tombstone["id"].as_i64()), (Some("teachers"), Some(teacher)));
    assert_eq!((tombstone["sourced_id"].as_str(), tombstone["deleted"].as_bool()), (Some("T-2019-0040"), Some(true)));

    // An archived group and an ended membership are tombstones too; a full pull shows the
    // archived teacher only as its tombstone.
    let group = created(
        app.post(admin, "/api/v1/groups", json!({"kind": "project", "school_id": w.school_a, "name": "旧课题组"}))
            .await,
    );
    let member =
        created(app.post(admin, &format!("/api/v1/groups/{group}/members"), json!({"teacher_id": w.teacher_a})).await);
    app.delete(admin, &format!("/api/v1/groups/{group}/members/{member}")).await.expect(204);
    app.delete(admin, &format!("/api/v1/groups/{group}")).await.expect(204);
    let (entries, _) = pull(&app, &client, 0, 1000, "").await;
    for (kind, id) in [("teachers", teacher), ("groups", group), ("memberships", member)] {
        let entry = find(&entries, kind, id).unwrap_or_else(|| panic!("no {kind} {id}"));
        assert_eq!(entry["deleted"], true, "{kind} {id}");
        assert!(entry.get("data").is_none());
    }
    assert_eq!(find(&entries, "groups", w.group_a).map(|e| &e["deleted"]), Some(&json!(false)));
}

async fn types_and_scopes_decide_what_is_read(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    app.post(
        &w.tokens.teacher_a,
        "/api/v1/records",
        json!({"kind": "reflection", "title": "反思", "written_on": "2026-10-09", "body": "今天的课上得不错。"}),
    )
    .await
    .expect(201);
    let roster = client_token(&app, admin, "花名册", &["roster.read"], None).await;
    let work = client_token(&app, admin, "教研平台", &["records.read"], None).await;
    let writer = client_token(&app, admin, "推送", &["roster.write"], None).await;

    // Without types: every type the scopes allow.
    let (seen, _) = pull(&app, &roster, 0, 1000, "").await;
    assert_eq!(
        types_of(&seen),
        BTreeSet::from(
            ["districts", "zones", "schools", "semesters", "teachers", "groups", "memberships"].map(String::from)
        )
    );
    let (seen, _) = pull(&app, &work, 0, 1000, "").await;
    assert_eq!(types_of(&seen), BTreeSet::from(["records".to_string()]));

    // Named types: only those; one without its scope is a 403, an unknown one a 422.
    let (seen, _) = pull(&app, &roster, 0, 1000, "&types=teachers,schools").await;
    assert_eq!(types_of(&seen), BTreeSet::from(["schools".to_string(), "teachers".to_string()]));
    let (seen, _) = pull(&app, admin, 0, 1000, "&types=records,zones").await;
    assert_eq!(types_of(&seen), BTreeSet::from(["records".to_string(), "zones".to_string()]));
    for query in ["types=records", "types=teachers,records"] {
        let refused = feed(&app, &roster, query).await.expect(403);
        assert!(refused.content_type().starts_with("application/problem+json"));
        assert!(refused.body["detail"].as_str().unwrap().contains("records.read"), "{}", refused.body);
    }
    feed(&app, &work, "types=teachers").await.expect(403);
    for query in ["types=users", "types=api_clients", "types=school_pairings", "types=teacher", "types=", "types=,"] {
        assert_eq!(feed(&app, &roster, query).await.expect(422).error_fields(), vec!["types"], "{query}");
    }
    // A client with neither read scope reads nothing; nor do teachers, nor strangers.
    feed(&app, &writer, "").await.expect(403);
    app.get(&writer, "/api/v1/changes/available").await.expect(403);
    feed(&app, &w.tokens.teacher_a, "").await.expect(403);
    app.get(&w.tokens.leader_a, "/api/v1/changes/available").await.expect(403);
    assert_eq!(app.call("GET", "/api/v1/changes", None, None).await.status, 401);
    assert_eq!(app.call("GET", "/api/v1/changes/available", None, None).await.status, 401);

    // An installation administrator names the district; another district's is not the caller's.
    let root = &w.tokens.root;
    assert_eq!(feed(&app, root, "").await.expect(422).error_fields(), vec!["district_id"]);
    let (seen, _) = pull(&app, root, 0, 1000, &format!("&district_id={}&types=schools", w.district)).await;
    assert_eq!(keys(&seen), vec![("schools".to_string(), w.school_a), ("schools".to_string(), w.school_b)]);
    let (seen, _) = pull(&app, root, 0, 1000, &format!("&district_id={}&types=schools", w.other_district)).await;
    assert_eq!(keys(&seen), vec![("schools".to_string(), w.school_c)]);
    let elsewhere = feed(&app, &roster, &format!("district_id={}", w.other_district)).await.expect(422);
    assert_eq!(elsewhere.error_fields(), vec!["district_id"]);
}

async fn bad_parameters_are_422_naming_the_parameter(app: TestApp) {
    let w = World::build(&app).await;
    let client = client_token(&app, &w.tokens.district_admin, "区级平台", &["roster.read"], None).await;
    for (query, field) in [
        ("since=-1", "since"),
        ("since=abc", "since"),
        ("since=1.5", "since"),
        ("since=99999999999999999999", "since"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("district_id=x", "district_id"),
    ] {
        let refused = feed(&app, &client, query).await.expect(422);
        assert!(refused.content_type().starts_with("application/problem+json"));
        assert_eq!(refused.error_fields(), vec![field], "{query}");
    }
    feed(&app, &client, "sinse=3").await.expect(422);
    feed(&app, &client, "limit=1000").await.expect(200);
    feed(&app, &client, "limit=1").await.expect(200);
    // The feed's own gaps are not errors: a since between two of the district's versions is fine.
    feed(&app, &client, "since=1").await.expect(200);
}

async fn a_school_limited_client_never_sees_another_schools_rows(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    // A district team with a member from each school; work and a tombstone in school B.
    let team = created(
        app.post(
            admin,
            "/api/v1/groups",
            json!({"kind": "district_team", "district_id": w.district, "name": "语文中心组"}),
        )
        .await,
    );
    let member_a =
        created(app.post(admin, &format!("/api/v1/groups/{team}/members"), json!({"teacher_id": w.teacher_a})).await);
    let member_b =
        created(app.post(admin, &format!("/api/v1/groups/{team}/members"), json!({"teacher_id": w.teacher_b})).await);
    let record_b = created(
        app.post(
            &w.tokens.teacher_b,
            "/api/v1/records",
            json!({"kind": "reflection", "title": "乙校反思", "written_on": "2026-10-09", "body": "乙校的课。"}),
        )
        .await,
    );
    let gone_b =
        created(app.post(admin, "/api/v1/teachers", json!({"school_id": w.school_b, "name": "调走的老师"})).await);
    app.delete(admin, &format!("/api/v1/teachers/{gone_b}")).await.expect(204);
    let gone_a =
        created(app.post(admin, "/api/v1/teachers", json!({"school_id": w.school_a, "name": "退休的老师"})).await);
    app.delete(admin, &format!("/api/v1/teachers/{gone_a}")).await.expect(204);

    let only_a =
        client_token(&app, admin, "甲小学系统", &["roster.read", "records.read"], Some(vec![w.school_a])).await;
    let (entries, _) = pull(&app, &only_a, 0, 2, "").await;
    versions_ascend_and_keys_are_unique(&entries);
    for (kind, id) in [
        ("schools", w.school_b),
        ("teachers", w.teacher_b),
        ("teachers", gone_b),
        ("groups", w.group_b),
        ("memberships", member_b),
        ("records", record_b),
        ("schools", w.school_c),
        ("teachers", w.teacher_c),
    ] {
        assert!(find(&entries, kind, id).is_none(), "{kind} {id} of another school reached the client");
    }
    for (kind, id) in [
        ("districts", w.district),
        ("zones", w.zone),
        ("semesters", w.semester),
        ("schools", w.school_a),
        ("teachers", w.teacher_a),
        ("groups", w.group_a),
        ("groups", team),
        ("memberships", member_a),
    ] {
        assert_eq!(find(&entries, kind, id).map(|e| &e["deleted"]), Some(&json!(false)), "{kind} {id}");
    }
    assert_eq!(find(&entries, "teachers", gone_a).map(|e| &e["deleted"]), Some(&json!(true)), "its own tombstones");
    // The district team counts only the client's own school's members, as school A's staff see it.
    let team_entry = find(&entries, "groups", team).unwrap();
    assert_eq!(team_entry["data"]["member_count"], 1);
    let seen_by_a = app.get(&w.tokens.admin_a, &format!("/api/v1/groups/{team}")).await.expect(200);
    assert_eq!(team_entry["data"], seen_by_a.body);

    // School A's administrator reads the same feed as the client limited to school A.
    let (by_admin, _) = pull(&app, &w.tokens.admin_a, 0, 1000, "").await;
    assert_eq!(keys(&by_admin), keys(&entries));
    // The whole district sees school B's rows, tombstones included.
    let district = client_token(&app, admin, "区级平台", &["roster.read", "records.read"], None).await;
    let (all, _) = pull(&app, &district, 0, 1000, "").await;
    assert_eq!(find(&all, "teachers", gone_b).map(|e| &e["deleted"]), Some(&json!(true)));
    assert!(find(&all, "records", record_b).is_some() && find(&all, "memberships", member_b).is_some());
    assert_eq!(find(&all, "groups", team).unwrap()["data"]["member_count"], 2);
}

async fn reads_write_nothing_to_the_log(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let client = client_token(&app, admin, "区级平台", &["roster.read", "records.read"], None).await;
    let before = app.get(&client, "/api/v1/changes/available").await.expect(200).body;
    assert_eq!(before["oldest"], 0);
    let (entries, end) = pull(&app, &client, 0, 5, "").await;
    assert_eq!(end, before["newest"].as_i64().unwrap());
    assert!(entries.iter().all(|e| e["change_version"].as_i64().unwrap() <= end));
    let log = || change_log::Entity::find().order_by_asc(change_log::Column::ChangeVersion).all(&app.db);
    let rows_before = log().await.unwrap();

    for path in [
        "/api/v1/teachers".to_string(),
        format!("/api/v1/teachers/{}", w.teacher_a),
        format!("/api/v1/groups/{}", w.group_a),
        format!("/api/v1/groups/{}/members", w.group_a),
        format!("/api/v1/schools/{}", w.school_a),
        "/api/v1/changes?since=0&limit=1000".to_string(),
        "/api/v1/changes/available".to_string(),
        "/api/v1/me".to_string(),
    ] {
        app.get(admin, &path).await;
    }
    for path in ["/api/v1/changes?types=teachers", "/ims/oneroster/rostering/v1p2/users", "/api/v1/changes/available"] {
        app.get(&client, path).await.expect(200);
    }
    assert_eq!(app.get(&client, "/api/v1/changes/available").await.expect(200).body, before);
    assert_eq!(log().await.unwrap(), rows_before, "a read changed the log");
    let after = feed(&app, &client, &format!("since={end}")).await.expect(200);
    assert_eq!(after.body["changes"], json!([]));
}

async fn purged_tombstones_make_an_older_since_a_409(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let client = client_token(&app, admin, "区级平台", &["roster.read"], None).await;
    let teacher =
        created(app.post(admin, "/api/v1/teachers", json!({"school_id": w.school_a, "name": "旧老师"})).await);
    app.delete(admin, &format!("/api/v1/teachers/{teacher}")).await.expect(204);
    let (entries, _) = pull(&app, &client, 0, 1000, "").await;
    let tombstone_version = find(&entries, "teachers", teacher).unwrap()["change_version"].as_i64().unwrap();
    let recent = created(app.post(admin, "/api/v1/teachers", json!({"school_id": w.school_a, "name": "新老师"})).await);
    app.delete(admin, &format!("/api/v1/teachers/{recent}")).await.expect(204);

    // Nothing is old enough yet: the purge removes nothing and the window stays open from 0.
    let now = chrono::Utc::now().timestamp();
    let purged = api::feed::retention::purge(&app.db, 90, now).await.unwrap();
    assert_eq!((purged.removed, purged.purged_through), (0, 0));
    feed(&app, &client, "since=1").await.expect(200);

    // The first tombstone and a live teacher were last changed 100 days ago: only the tombstone
    // goes, and the window closes below its version.
    let long_ago = now - 100 * 86_400;
    change_log::Entity::update_many()
        .col_expr(change_log::Column::ChangedAt, Expr::value(long_ago))
        .filter(change_log::Column::ResourceType.eq("teachers"))
        .filter(change_log::Column::ResourceId.is_in([teacher, w.teacher_a]))
        .exec(&app.db)
        .await
        .unwrap();
    let purged = api::feed::retention::purge(&app.db, 90, now).await.unwrap();
    assert_eq!((purged.removed, purged.purged_through), (1, tombstone_version));
    let available = app.get(&client, "/api/v1/changes/available").await.expect(200).body;
    assert_eq!(available["oldest"], tombstone_version);
    let newest = available["newest"].as_i64().unwrap();

    for since in [1, tombstone_version - 1, newest + 1] {
        let refused = feed(&app, &client, &format!("since={since}")).await.expect(409);
        assert!(refused.content_type().starts_with("application/problem+json"));
        assert_eq!(refused.body["type"], "/problems/resync-required");
        assert_eq!(refused.body["status"], 409);
        assert_eq!(
            (refused.body["oldest"].as_i64(), refused.body["newest"].as_i64()),
            (Some(tombstone_version), Some(newest))
        );
    }
    feed(&app, &client, &format!("since={tombstone_version}")).await.expect(200);
    feed(&app, &client, &format!("since={newest}")).await.expect(200);
    // A full pull is always served: the purged tombstone is gone, the old live teacher and the
    // recent tombstone are there.
    let (entries, _) = pull(&app, &client, 0, 1000, "").await;
    assert!(find(&entries, "teachers", teacher).is_none());
    assert_eq!(find(&entries, "teachers", w.teacher_a).map(|e| &e["deleted"]), Some(&json!(false)));
    assert_eq!(find(&entries, "teachers", recent).map(|e| &e["deleted"]), Some(&json!(true)));

    // Purging again finds nothing and never lowers the window.
    let again = api::feed::retention::purge(&app.db, 90, now).await.unwrap();
    assert_eq!((again.removed, again.purged_through), (0, tombstone_version));
}
