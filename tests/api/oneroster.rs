//! The OneRoster 1.2 rostering view, read as a district system would: a machine client registered
//! by the district administrator, a client-credentials token, then `/ims/oneroster/rostering/v1p2`
//! with its paging, sorting, field selection and filters — including the delta pull by
//! `dateLastModified` and the walk along the `Link` headers.

use std::collections::BTreeSet;

use api::config::Settings;
use api::oneroster::mapping::encode_segment;
use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use entities::{school, semester, teacher};
use jiaoyan_tests::clients::client_token;
use jiaoyan_tests::fixtures::{new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, Clock, Resp, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::Value;

const BASE: &str = "/ims/oneroster/rostering/v1p2";

/// `GET BASE + path` with the query pairs percent-encoded.
async fn get(app: &TestApp, token: &str, path: &str, query: &[(&str, &str)]) -> Resp {
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", encode_segment(v))).collect();
    let url = if query.is_empty() { format!("{BASE}{path}") } else { format!("{BASE}{path}?{}", query.join("&")) };
    app.get(token, &url).await
}

/// The objects of a collection answer.
fn objects<'a>(resp: &'a Resp, envelope: &str) -> &'a Vec<Value> {
    resp.body[envelope].as_array().unwrap_or_else(|| panic!("no {envelope} in {}", resp.body))
}

fn sourced_ids(resp: &Resp, envelope: &str) -> Vec<String> {
    objects(resp, envelope).iter().map(|o| o["sourcedId"].as_str().unwrap().to_string()).collect()
}

fn total(resp: &Resp) -> u64 {
    resp.headers.get("x-total-count").unwrap().to_str().unwrap().parse().unwrap()
}

/// `rel → URL` of the `Link` header.
fn links(resp: &Resp) -> Vec<(String, String)> {
    let header = resp.headers.get("link").expect("a Link header").to_str().unwrap();
    header
        .split(", ")
        .map(|part| {
            let (url, rel) = part.split_once("; rel=").unwrap();
            (rel.trim_matches('"').to_string(), url.trim_matches(|c| c == '<' || c == '>').to_string())
        })
        .collect()
}

fn link(resp: &Resp, rel: &str) -> Option<String> {
    links(resp).into_iter().find(|(r, _)| r == rel).map(|(_, url)| url)
}

/// Asserts a OneRoster error body with this status, minor code and field name.
#[track_caller]
fn assert_roster_error(resp: &Resp, status: u16, minor: &str, field: Option<&str>) {
    assert_eq!(resp.status, status, "{}", resp.body);
    assert_eq!(resp.body["imsx_codeMajor"], "failure", "{}", resp.body);
    assert_eq!(resp.body["imsx_severity"], "error");
    assert!(resp.body["imsx_description"].as_str().is_some_and(|d| !d.is_empty()));
    let code = &resp.body["imsx_CodeMinor"]["imsx_codeMinorField"][0];
    assert_eq!(code["imsx_codeMinorFieldValue"], minor, "{}", resp.body);
    if let Some(field) = field {
        assert_eq!(code["imsx_codeMinorFieldName"], field, "{}", resp.body);
    }
}

async fn set_updated_at(app: &TestApp, teacher_id: i64, at: DateTime<Utc>) {
    let mut row = teacher::Entity::find_by_id(teacher_id).one(&app.db).await.unwrap().unwrap().into_active_model();
    row.updated_at = Set(at);
    row.update(&app.db).await.unwrap();
}

fn is_iso_millis_z(value: &Value) -> bool {
    let s = value.as_str().unwrap_or("");
    s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.' && DateTime::parse_from_rfc3339(s).is_ok()
}

async fn every_collection_has_the_oneroster_shape(app: TestApp) {
    let w = World::build(&app).await;
    let token = client_token(&app, &w.tokens.district_admin, "区级平台", &["roster.read"], None).await;
    let (district, zone) = (format!("jiaoyan-district-{}", w.district), format!("jiaoyan-zone-{}", w.zone));
    let (school_a, school_b) = (format!("jiaoyan-school-{}", w.school_a), format!("jiaoyan-school-{}", w.school_b));

    // Orgs: district → zone → schools, with parents and children as GUIDRefs.
    let orgs = get(&app, &token, "/orgs", &[]).await.expect(200);
    assert_eq!(sourced_ids(&orgs, "orgs"), vec![district.clone(), zone.clone(), school_a.clone(), school_b.clone()]);
    assert_eq!(total(&orgs), 4);
    let o = objects(&orgs, "orgs");
    assert_eq!((o[0]["type"].as_str(), o[0]["name"].as_str()), (Some("district"), Some("测试县")));
    assert!(o[0].get("parent").is_none());
    assert_eq!(
        o[0]["children"],
        json!([{"href": format!("{}{BASE}/orgs/{zone}", app.base_url), "sourcedId": zone, "type": "org"}])
    );
    assert_eq!((o[1]["type"].as_str(), o[1]["parent"]["sourcedId"].as_str()), (Some("local"), Some(district.as_str())));
    let zone_children: Vec<&str> =
        o[1]["children"].as_array().unwrap().iter().map(|c| c["sourcedId"].as_str().unwrap()).collect();
    assert_eq!(zone_children, vec![school_a.as_str(), school_b.as_str()]);
    assert_eq!((o[2]["type"].as_str(), o[2]["parent"]["sourcedId"].as_str()), (Some("school"), Some(zone.as_str())));
    assert!(o[2].get("children").is_none());
    for org in o {
        assert_eq!(org["status"], "active");
        assert!(is_iso_millis_z(&org["dateLastModified"]), "{org}");
        assert_eq!(org["identifier"], "");
    }
    assert_eq!(o[2]["metadata"]["jiaoyan.id"], w.school_a);
    // A GUIDRef's href is where the object is read.
    let href = o[2]["parent"]["href"].as_str().unwrap().strip_prefix(&app.base_url).unwrap().to_string();
    let parent = app.get(&token, &href).await.expect(200);
    assert_eq!(parent.body["org"]["sourcedId"], zone);

    let schools = get(&app, &token, "/schools", &[]).await.expect(200);
    assert_eq!(sourced_ids(&schools, "orgs"), vec![school_a.clone(), school_b.clone()]);
    assert_eq!(total(&schools), 2);

    // Users and teachers: the district's teachers, each a teacher at their school.
    let users = get(&app, &token, "/users", &[]).await.expect(200);
    let expected: Vec<String> =
        [w.teacher_a, w.leader_a, w.teacher_b].iter().map(|id| format!("jiaoyan-teacher-{id}")).collect();
    assert_eq!(sourced_ids(&users, "users"), expected);
    let u = &objects(&users, "users")[0];
    assert_eq!((u["familyName"].as_str(), u["givenName"].as_str()), (Some("王"), Some("老师")));
    assert_eq!(u["enabledUser"], "true");
    assert_eq!(u["status"], "active");
    assert_eq!(u["roles"][0]["roleType"], "primary");
    assert_eq!(u["roles"][0]["role"], "teacher");
    assert_eq!(u["roles"][0]["org"]["sourcedId"], school_a);
    assert_eq!(u["roles"][0]["org"]["type"], "org");
    assert_eq!(u["primaryOrg"]["sourcedId"], school_a);
    assert_eq!(u["userIds"], json!([{"type": "jiaoyan", "identifier": w.teacher_a.to_string()}]));
    assert!(u.get("identifier").is_none() && u.get("password").is_none() && u.get("username").is_none());
    let teachers = get(&app, &token, "/teachers", &[]).await.expect(200);
    assert_eq!(teachers.body, users.body);

    // Sessions: the school year with its term as child; the term with the year as parent.
    let sessions = get(&app, &token, "/academicSessions", &[]).await.expect(200);
    let year = "jiaoyan-year-2026-2027".to_string();
    let term = format!("jiaoyan-term-{}", w.semester);
    assert_eq!(sourced_ids(&sessions, "academicSessions"), vec![year.clone(), term.clone()]);
    let s = objects(&sessions, "academicSessions");
    assert_eq!(s[0]["type"], "schoolYear");
    assert_eq!(s[0]["schoolYear"], "2027");
    assert_eq!((s[0]["startDate"].as_str(), s[0]["endDate"].as_str()), (Some("2026-09-01"), Some("2027-01-22")));
    assert_eq!(s[0]["children"][0]["sourcedId"], term);
    assert_eq!(s[0]["children"][0]["type"], "academicSession");
    assert_eq!((s[1]["type"].as_str(), s[1]["title"].as_str()), (Some("term"), Some("2026年秋季学期")));
    assert_eq!(s[1]["parent"]["sourcedId"], year);
    assert_eq!(s[1]["schoolYear"], "2027");
    let terms = get(&app, &token, "/terms", &[]).await.expect(200);
    assert_eq!(sourced_ids(&terms, "academicSessions"), vec![term.clone()]);

    // Single objects, with their own envelopes; the wrong collection is a 404.
    let one = get(&app, &token, &format!("/orgs/{school_a}"), &[]).await.expect(200);
    assert_eq!(one.body["org"]["name"], "甲小学");
    assert_eq!(get(&app, &token, &format!("/schools/{school_b}"), &[]).await.expect(200).body["org"]["name"], "乙小学");
    assert_roster_error(&get(&app, &token, &format!("/schools/{zone}"), &[]).await, 404, "unknownobject", None);
    let y = get(&app, &token, &format!("/academicSessions/{year}"), &[]).await.expect(200);
    assert_eq!(y.body["academicSession"]["type"], "schoolYear");
    assert_roster_error(&get(&app, &token, &format!("/terms/{year}"), &[]).await, 404, "unknownobject", None);
    assert_eq!(
        get(&app, &token, &format!("/terms/{term}"), &[]).await.expect(200).body["academicSession"]["sourcedId"],
        term
    );
    let user = get(&app, &token, &format!("/teachers/jiaoyan-teacher-{}", w.teacher_b), &[]).await.expect(200);
    assert_eq!(user.body["user"]["roles"][0]["org"]["sourcedId"], school_b);
    assert_roster_error(&get(&app, &token, "/users/no-such-teacher", &[]).await, 404, "unknownobject", None);
    // The other district's rows are not there at all.
    let c = format!("jiaoyan-school-{}", w.school_c);
    assert_roster_error(&get(&app, &token, &format!("/orgs/{c}"), &[]).await, 404, "unknownobject", None);
    assert_roster_error(&get(&app, &token, "/classes", &[]).await, 404, "unknownobject", None);

    // Ids the district's systems gave replace the synthetic ones, everywhere they are referenced.
    let mut row = school::Entity::find_by_id(w.school_a).one(&app.db).await.unwrap().unwrap().into_active_model();
    row.sourced_id = Set(Some("sch 甲/01".into()));
    row.code = Set(Some("4211230001".into()));
    row.update(&app.db).await.unwrap();
    let mut row = teacher::Entity::find_by_id(w.teacher_a).one(&app.db).await.unwrap().unwrap().into_active_model();
    row.external_id = Set(Some("T-0001".into()));
    row.update(&app.db).await.unwrap();
    let mut row = semester::Entity::find_by_id(w.semester).one(&app.db).await.unwrap().unwrap().into_active_model();
    row.sourced_id = Set(Some("term-2026-autumn".into()));
    row.update(&app.db).await.unwrap();
    let school = get(&app, &token, &format!("/orgs/{}", encode_segment("sch 甲/01")), &[]).await.expect(200);
    assert_eq!(
        (school.body["org"]["name"].as_str(), school.body["org"]["identifier"].as_str()),
        (Some("甲小学"), Some("4211230001"))
    );
    assert_roster_error(&get(&app, &token, &format!("/orgs/{school_a}"), &[]).await, 404, "unknownobject", None);
    let teacher = get(&app, &token, "/users/T-0001", &[]).await.expect(200);
    assert_eq!(teacher.body["user"]["identifier"], "T-0001");
    assert_eq!(teacher.body["user"]["primaryOrg"]["sourcedId"], "sch 甲/01");
    assert!(teacher.body["user"]["primaryOrg"]["href"].as_str().unwrap().ends_with("/orgs/sch%20%E7%94%B2%2F01"));
    let zone_now = get(&app, &token, &format!("/orgs/{zone}"), &[]).await.expect(200);
    assert_eq!(zone_now.body["org"]["children"][0]["sourcedId"], "sch 甲/01");
    let year_now = get(&app, &token, &format!("/academicSessions/{year}"), &[]).await.expect(200);
    assert_eq!(year_now.body["academicSession"]["children"][0]["sourcedId"], "term-2026-autumn");
}

async fn fields_sort_and_filters(app: TestApp) {
    let w = World::build(&app).await;
    let token = client_token(&app, &w.tokens.district_admin, "区级平台", &["roster.read"], None).await;
    let ouyang = new_teacher(&app.db, w.school_a, "欧阳修").await;
    let mary = new_teacher(&app.db, w.school_b, "Mary Smith").await;
    let zhang = new_teacher(&app.db, w.school_a, "张三").await;
    let mut row = teacher::Entity::find_by_id(zhang).one(&app.db).await.unwrap().unwrap().into_active_model();
    row.status = Set(entities::enums::TeacherStatus::OnLeave);
    row.update(&app.db).await.unwrap();
    let id = |t: i64| format!("jiaoyan-teacher-{t}");
    let users = |filter: &str| {
        let (app, token, filter) = (&app, &token, filter.to_string());
        async move {
            let resp = get(app, token, "/users", &[("filter", &filter)]).await.expect(200);
            assert_eq!(total(&resp) as usize, objects(&resp, "users").len());
            sourced_ids(&resp, "users").into_iter().collect::<BTreeSet<_>>()
        }
    };
    let set = |ids: &[i64]| ids.iter().map(|t| id(*t)).collect::<BTreeSet<_>>();

    // fields= keeps exactly the fields asked for.
    let picked = get(&app, &token, "/users", &[("fields", "sourcedId,familyName")]).await.expect(200);
    for user in objects(&picked, "users") {
        let keys: BTreeSet<&str> = user.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["sourcedId", "familyName"]));
    }
    let one = get(&app, &token, &format!("/users/{}", id(ouyang)), &[("fields", "givenName")]).await.expect(200);
    assert_eq!(one.body, json!({"user": {"givenName": "修"}}));
    let bad = get(&app, &token, "/users", &[("fields", "sourcedId,nickname")]).await;
    assert_roster_error(&bad, 400, "invalid_selection_field", Some("fields"));
    assert_roster_error(
        &get(&app, &token, "/orgs", &[("fields", "")]).await,
        400,
        "invalid_selection_field",
        Some("fields"),
    );

    // sort= and orderBy=, by code point on both engines.
    let by_family = |resp: &Resp| -> Vec<String> {
        objects(resp, "users").iter().map(|u| u["familyName"].as_str().unwrap().to_string()).collect()
    };
    let asc = by_family(&get(&app, &token, "/users", &[("sort", "familyName")]).await.expect(200));
    let mut sorted = asc.clone();
    sorted.sort();
    assert_eq!(asc, sorted);
    assert_eq!(asc.len(), 6);
    let desc =
        by_family(&get(&app, &token, "/users", &[("sort", "familyName"), ("orderBy", "desc")]).await.expect(200));
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());
    assert_roster_error(
        &get(&app, &token, "/users", &[("sort", "roles")]).await,
        400,
        "invalid_sort_field",
        Some("sort"),
    );
    assert_roster_error(
        &get(&app, &token, "/users", &[("sort", "familyName"), ("orderBy", "up")]).await,
        400,
        "invalid_sort_field",
        Some("orderBy"),
    );

    // Name filters use the same split as the objects (复姓, given-name-first names).
    assert_eq!(users("familyName='欧阳'").await, set(&[ouyang]));
    assert_eq!(users("givenName='修'").await, set(&[ouyang]));
    assert_eq!(users("familyName='Smith' AND givenName='Mary'").await, set(&[mary]));
    assert_eq!(users("givenName~'MARY'").await, set(&[mary])); // ~ ignores ASCII case
    assert_eq!(users("familyName!='王'").await, set(&[w.leader_a, w.teacher_b, ouyang, mary, zhang]));
    assert_eq!(users("familyName='欧阳' OR familyName='张'").await, set(&[ouyang, zhang]));
    assert_eq!(users("enabledUser='false'").await, set(&[zhang]));
    assert_eq!(users("enabledUser=true AND familyName~'阳'").await, set(&[ouyang]));
    assert_eq!(
        users(&format!("primaryOrg.sourcedId='jiaoyan-school-{}'", w.school_b)).await,
        set(&[w.teacher_b, mary])
    );

    // Instants compare as instants, to the sub-second, whatever the literal's zone.
    let t0 = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
    let half = t0 + chrono::Duration::milliseconds(500);
    let micro = t0 + chrono::Duration::microseconds(1);
    for t in [w.teacher_a, w.leader_a, w.teacher_b, zhang] {
        set_updated_at(&app, t, Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap()).await;
    }
    set_updated_at(&app, ouyang, t0).await;
    set_updated_at(&app, mary, half).await;
    set_updated_at(&app, zhang, micro).await;
    assert_eq!(users("dateLastModified>'2026-09-01T00:00:00Z'").await, set(&[mary, zhang]));
    assert_eq!(users("dateLastModified>'2026-09-01T08:00:00+08:00'").await, set(&[mary, zhang]));
    assert_eq!(users("dateLastModified>='2026-09-01T00:00:00.000Z'").await, set(&[ouyang, mary, zhang]));
    assert_eq!(
        users("dateLastModified<'2026-09-01T00:00:00.5Z'").await,
        set(&[w.teacher_a, w.leader_a, w.teacher_b, ouyang, zhang])
    );
    assert_eq!(
        users("dateLastModified<='2026-09-01T00:00:00.500Z' AND dateLastModified>='2026-09-01'").await,
        set(&[ouyang, mary, zhang])
    );
    assert_eq!(users("dateLastModified>'2026-09-01T00:00:00.4Z'").await, set(&[mary]));
    assert_eq!(
        users("dateLastModified!='2026-09-01T00:00:00Z' AND dateLastModified>'2026-08-31'").await,
        set(&[mary, zhang])
    );
    assert_eq!(users("dateLastModified='2026-09-01T00:00:00.5Z'").await, set(&[mary]));
    assert_eq!(users("dateLastModified>'2026-09-01T23:59:59Z'").await, BTreeSet::new());
    // Sorting by the instant follows time too.
    let by_time = get(
        &app,
        &token,
        "/users",
        &[("sort", "dateLastModified"), ("orderBy", "desc"), ("filter", "dateLastModified>'2026-08-31'")],
    )
    .await
    .expect(200);
    assert_eq!(sourced_ids(&by_time, "users"), vec![id(mary), id(zhang), id(ouyang)]);
    let stamp = objects(&by_time, "users")[0]["dateLastModified"].clone();
    assert_eq!(stamp, "2026-09-01T00:00:00.500Z");

    // Orgs and sessions.
    let orgs = |filter: String| {
        let (app, token) = (&app, &token);
        async move { sourced_ids(&get(app, token, "/orgs", &[("filter", &filter)]).await.expect(200), "orgs") }
    };
    assert_eq!(orgs(format!("type='school' AND parent.sourcedId='jiaoyan-zone-{}'", w.zone)).await.len(), 2);
    assert_eq!(orgs("name~'甲'".into()).await, vec![format!("jiaoyan-school-{}", w.school_a)]);
    assert_eq!(orgs("type='district' OR type='local'".into()).await.len(), 2);
    assert_eq!(orgs("status='tobedeleted'".into()).await.len(), 0);
    // Text compares by code point: 东 (U+4E1C) < 乙 (U+4E59) < 乙小学 < 测 (U+6D4B) < 甲 (U+7532).
    assert_eq!(
        orgs("name>'乙'".into()).await,
        vec![
            format!("jiaoyan-district-{}", w.district),
            format!("jiaoyan-school-{}", w.school_a),
            format!("jiaoyan-school-{}", w.school_b)
        ]
    );
    let sessions = |filter: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            sourced_ids(
                &get(app, token, "/academicSessions", &[("filter", filter)]).await.expect(200),
                "academicSessions",
            )
        }
    };
    assert_eq!(sessions("startDate>='2026-09-01' AND type='term'").await, vec![format!("jiaoyan-term-{}", w.semester)]);
    assert_eq!(sessions("endDate<'2027-01-22'").await, Vec::<String>::new());
    assert_eq!(sessions("schoolYear='2027' AND type='schoolYear'").await, vec!["jiaoyan-year-2026-2027".to_string()]);
    assert_eq!(
        sessions("parent.sourcedId='jiaoyan-year-2026-2027'").await,
        vec![format!("jiaoyan-term-{}", w.semester)]
    );

    // Bad filters: 400 with OneRoster's body, naming the field.
    for (filter, field) in [
        ("nickname='x'", "nickname"),
        ("dateLastModified>'yesterday'", "dateLastModified"),
        ("dateLastModified~'2026'", "dateLastModified"),
        ("enabledUser='maybe'", "enabledUser"),
        ("familyName='王", "familyName"),
        ("familyName='王' XOR givenName='芳'", "filter"),
        ("familyName", "familyName"),
        ("familyName='王' AND", "filter"),
    ] {
        let resp = get(&app, &token, "/users", &[("filter", filter)]).await;
        assert_roster_error(&resp, 400, "invalid_filter_field", Some(field));
    }
    let resp = get(&app, &token, "/academicSessions", &[("filter", "startDate>'2026-13-01'")]).await;
    assert_roster_error(&resp, 400, "invalid_filter_field", Some("startDate"));
    assert!(resp.body["imsx_description"].as_str().unwrap().contains("startDate"));
}

async fn a_school_limited_caller_sees_only_its_school(app: TestApp) {
    let w = World::build(&app).await;
    let token =
        client_token(&app, &w.tokens.district_admin, "甲小学前端", &["roster.read"], Some(vec![w.school_a])).await;
    let (school_a, school_b) = (format!("jiaoyan-school-{}", w.school_a), format!("jiaoyan-school-{}", w.school_b));

    // The district-level orgs and its own school; the zone lists only the schools it sees.
    let orgs = get(&app, &token, "/orgs", &[]).await.expect(200);
    assert_eq!(
        sourced_ids(&orgs, "orgs"),
        vec![format!("jiaoyan-district-{}", w.district), format!("jiaoyan-zone-{}", w.zone), school_a.clone()]
    );
    assert_eq!(total(&orgs), 3);
    assert_eq!(objects(&orgs, "orgs")[1]["children"].as_array().unwrap().len(), 1);
    assert_eq!(sourced_ids(&get(&app, &token, "/schools", &[]).await.expect(200), "orgs"), vec![school_a.clone()]);
    let users = get(&app, &token, "/users", &[]).await.expect(200);
    assert_eq!(
        sourced_ids(&users, "users"),
        vec![format!("jiaoyan-teacher-{}", w.teacher_a), format!("jiaoyan-teacher-{}", w.leader_a)]
    );
    // Even a filter naming the other school finds nothing, and its rows are unknown objects.
    let other =
        get(&app, &token, "/users", &[("filter", &format!("primaryOrg.sourcedId='{school_b}'"))]).await.expect(200);
    assert_eq!(total(&other), 0);
    assert_roster_error(&get(&app, &token, &format!("/schools/{school_b}"), &[]).await, 404, "unknownobject", None);
    let b_teacher = format!("/users/jiaoyan-teacher-{}", w.teacher_b);
    assert_roster_error(&get(&app, &token, &b_teacher, &[]).await, 404, "unknownobject", None);
    assert_eq!(total(&get(&app, &token, "/terms", &[]).await.expect(200)), 1);

    // A school administrator reads their school the same way; the other district's admin theirs.
    let admin_b = get(&app, &w.tokens.admin_b, "/users", &[]).await.expect(200);
    assert_eq!(sourced_ids(&admin_b, "users"), vec![format!("jiaoyan-teacher-{}", w.teacher_b)]);
    let other_district = get(&app, &w.tokens.other_district_admin, "/orgs", &[]).await.expect(200);
    assert_eq!(
        sourced_ids(&other_district, "orgs"),
        vec![format!("jiaoyan-district-{}", w.other_district), format!("jiaoyan-school-{}", w.school_c)]
    );
    assert_eq!(
        objects(&other_district, "orgs")[1]["parent"]["sourcedId"],
        format!("jiaoyan-district-{}", w.other_district)
    );

    // Without roster.read, or as a teacher: 403; without a token: 401; all as OneRoster bodies.
    let writer = client_token(&app, &w.tokens.district_admin, "写入端", &["roster.write"], None).await;
    assert_roster_error(&get(&app, &writer, "/orgs", &[]).await, 403, "forbidden", None);
    assert_roster_error(&get(&app, &w.tokens.teacher_a, "/users", &[]).await, 403, "forbidden", None);
    assert_roster_error(&get(&app, &w.tokens.root, "/users", &[]).await, 403, "forbidden", None);
    let anonymous = app.call("GET", &format!("{BASE}/orgs"), None, None).await;
    assert_roster_error(&anonymous, 401, "unauthorisedrequest", None);
    assert_eq!(anonymous.headers.get("www-authenticate").unwrap(), "Bearer");
    assert_roster_error(&get(&app, "not-a-token", "/users/x", &[]).await, 401, "unauthorisedrequest", None);
    // Authentication comes before the parameters: a stranger learns nothing from a 400.
    let stranger = app.call("GET", &format!("{BASE}/orgs?limit=abc"), None, None).await;
    assert_eq!(stranger.status, 401);
}

/// The service's clock stands still a day ahead of the system's (after every row the fixtures
/// write), at a whole second, until a test moves it.
fn on_a_manual_clock(settings: &mut Settings) {
    let tomorrow = DateTime::from_timestamp(Utc::now().timestamp() + 86_400, 0).expect("an instant");
    settings.clock = Some(Clock::manual(tomorrow));
}

/// THE ACCEPTANCE: a delta pull by `dateLastModified` returns exactly the rows changed since, and
/// walking `Link: rel="next"` visits every row once and ends on `rel="last"`. The service's clock
/// is moved past `since` by hand, so that no wall-clock time has to pass.
async fn delta_pulls_and_link_walks_see_every_row_once(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.district_admin;
    let token = client_token(&app, admin, "县教师管理系统", &["roster.read"], None).await;
    let mut created = Vec::new();
    for i in 0..25 {
        let school = if i % 2 == 0 { w.school_a } else { w.school_b };
        let body = json!({"school_id": school, "name": format!("教师{i:02}"), "external_id": format!("T-{i:03}")});
        let teacher = app.post(admin, "/api/v1/teachers", body).await.expect(201);
        created.push(teacher.body["id"].as_i64().unwrap());
    }
    let since = (app.clock.now() + Duration::seconds(1)).to_rfc3339_opts(SecondsFormat::Millis, true);
    app.clock.advance(Duration::seconds(2));
    // 5 edits and 2 archivals after `since`.
    let mut changed = BTreeSet::new();
    for i in [1usize, 4, 9, 16, 24] {
        app.patch(admin, &format!("/api/v1/teachers/{}", created[i]), json!({"name": format!("改名{i:02}")}))
            .await
            .expect(200);
        changed.insert(format!("T-{i:03}"));
    }
    for i in [7usize, 20] {
        app.delete(admin, &format!("/api/v1/teachers/{}", created[i])).await.expect(204);
        changed.insert(format!("T-{i:03}"));
    }

    let filter = format!("dateLastModified>'{since}'");
    let delta = get(&app, &token, "/users", &[("filter", &filter)]).await.expect(200);
    assert_eq!(sourced_ids(&delta, "users").into_iter().collect::<BTreeSet<_>>(), changed);
    assert_eq!(total(&delta), 7);
    for user in objects(&delta, "users") {
        let archived = ["T-007", "T-020"].contains(&user["sourcedId"].as_str().unwrap());
        assert_eq!(user["status"], if archived { "tobedeleted" } else { "active" }, "{user}");
        assert!(user["dateLastModified"].as_str().unwrap() > since.as_str(), "{user}");
    }
    let renamed = objects(&delta, "users").iter().find(|u| u["sourcedId"] == "T-001").unwrap();
    assert_eq!((renamed["familyName"].as_str(), renamed["givenName"].as_str()), (Some("改"), Some("名01")));

    // Walk the whole collection 4 at a time along `next`.
    let mut page = get(&app, &token, "/teachers", &[("limit", "4")]).await.expect(200);
    let expected_total = total(&page);
    assert_eq!(expected_total, 25 + 3);
    let last = link(&page, "last").unwrap();
    assert!(link(&page, "prev").is_none());
    let mut seen = Vec::new();
    let mut pages = 1;
    loop {
        assert_eq!(total(&page), expected_total);
        assert!(objects(&page, "users").len() <= 4);
        seen.extend(sourced_ids(&page, "users"));
        match link(&page, "next") {
            Some(next) => {
                assert!(next.starts_with(&format!("{BASE}/teachers?")), "{next}");
                page = app.get(&token, &next).await.expect(200);
                pages += 1;
            }
            None => break,
        }
    }
    assert_eq!(seen.len() as u64, expected_total);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len(), "a row was visited twice");
    assert_eq!(pages, 7);
    let final_page = app.get(&token, &last).await.expect(200);
    assert_eq!(final_page.body, page.body, "rel=last is the page where next ends");
    assert!(link(&final_page, "prev").is_some());

    // The links keep the filter and sort: walking the delta two at a time gives the same 7.
    let mut page =
        get(&app, &token, "/users", &[("filter", &filter), ("limit", "2"), ("sort", "familyName")]).await.expect(200);
    let mut delta_seen = Vec::new();
    loop {
        delta_seen.extend(sourced_ids(&page, "users"));
        match link(&page, "next") {
            Some(next) => page = app.get(&token, &next).await.expect(200),
            None => break,
        }
    }
    assert_eq!(delta_seen.len(), 7);
    assert_eq!(delta_seen.into_iter().collect::<BTreeSet<_>>(), changed);
}

async fn no_query_string_makes_it_fail(app: TestApp) {
    let w = World::build(&app).await;
    let token = client_token(&app, &w.tokens.district_admin, "模糊测试", &["roster.read"], None).await;
    for query in [
        "limit=0",
        "limit=-1",
        "limit=1e3",
        "offset=-5",
        "offset=99999999999999999999",
        "filter=%00",
        "filter=name%3D%27%00%27",
        "filter=%27%27%27",
        "filter=name%3D%27%E4",
        "sort=%00",
        "fields=%2C",
        "orderBy=%27",
    ] {
        let resp = app.get(&token, &format!("{BASE}/orgs?{query}")).await;
        assert_eq!(resp.status, 400, "{query}: {}", resp.body);
        assert_eq!(resp.body["imsx_codeMajor"], "failure", "{query}");
    }
    // Odd but harmless: cut limits, offsets past the end, unknown parameters, odd sourcedIds.
    let big = app.get(&token, &format!("{BASE}/orgs?limit=100000&offset=9223372036854775807&x=y")).await.expect(200);
    assert_eq!(big.body["orgs"], json!([]));
    assert!(link(&big, "last").unwrap().contains("limit=1000"));
    for path in ["/orgs/%00", "/users/'%20OR%201=1", "/academicSessions/"] {
        let resp = app.get(&token, &format!("{BASE}{path}")).await;
        assert_eq!(resp.status, 404, "{path}: {}", resp.body);
    }
    // A sourcedId that is not UTF-8 once percent-decoded cannot be read at all: 400
    // (docs/INPUT-AND-OUTPUT.md, "Query strings and paths").
    for path in ["/orgs/%FF", "/users/%E4%B8"] {
        let resp = app.get(&token, &format!("{BASE}{path}")).await;
        assert_eq!(resp.status, 400, "{path}: {}", resp.body);
        assert_eq!(resp.body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldName"], "path");
    }
}

on_both_backends!(
    every_collection_has_the_oneroster_shape,
    fields_sort_and_filters,
    a_school_limited_caller_sees_only_its_school,
    no_query_string_makes_it_fail,
);

/// The delta pull, on a clock of its own.
mod manual_clock {
    use super::{delta_pulls_and_link_walks_see_every_row_once, on_a_manual_clock};
    jiaoyan_tests::on_both_backends!(configure = on_a_manual_clock; delta_pulls_and_link_walks_see_every_row_once);
}
