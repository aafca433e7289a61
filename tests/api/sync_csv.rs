//! The CSV import (`POST /api/v1/sync/csv`), as a district office would use it: a zip of
//! OneRoster-style files exported from its staff database, or one CSV saved from Excel (UTF-8 or
//! GBK); a dry run first; every bad value named by file, line and column, and nothing written
//! unless everything is right.

use std::io::{Cursor, Write};

use entities::{school, teacher};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use zip::write::SimpleFileOptions;

const PATH: &str = "/api/v1/sync/csv";

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

async fn upload(app: &TestApp, token: &str, query: &str, content_type: &str, body: Vec<u8>) -> Resp {
    app.call_raw("POST", &format!("{PATH}{query}"), Some(token), content_type, body).await
}

/// The fixture district (测试县) with a new zone, two schools, a semester and three teachers
/// (and a student, skipped).
const ORGS: &str = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,tier\n\
    CTY,active,,测试县,district,,,\n\
    Z-W,active,,西片,local,,CTY,\n\
    S-01,active,,三里畈小学,school,4211230001,Z-W,township_central\n\
    S-02,active,,县实验小学,school,,CTY,county_direct\n";
const SESSIONS: &str = "sourcedId,status,title,type,startDate,endDate,parentSourcedId,schoolYear\n\
    Y2028,active,2027-2028学年,schoolYear,2027-09-01,2028-07-10,,2028\n\
    T-2027A,active,2027年秋季学期,term,2027-09-01,2028-01-21,Y2028,2028\n";
const USERS: &str =
    "sourcedId,status,role,givenName,familyName,orgSourcedIds,gender,birthDate,subjects,grades,honours\n\
    T-001,active,teacher,芳,王,S-01,female,1990-05-01,语文;数学,\"03,04\",backbone_teacher:county:2022\n\
    T-002,active,teacher,修,欧阳,S-01,male,1985/3/9,数学,,\n\
    T-003,active,teacher,Mary,Smith,S-02,female,,英语,,\n\
    P-001,active,student,小明,李,S-01,,,,,\n";

fn roster_zip() -> Vec<u8> {
    zip_of(&[
        ("orgs.csv", ORGS.as_bytes()),
        ("academicSessions.csv", SESSIONS.as_bytes()),
        ("users.csv", USERS.as_bytes()),
    ])
}

fn counts(resp: &Resp, resource: &str) -> (u64, u64, u64, u64) {
    let c = &resp.body[resource];
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{resource}.{k} in {}", resp.body));
    (n("created"), n("updated"), n("unchanged"), n("archived"))
}

async fn teacher_named(app: &TestApp, name: &str) -> Option<teacher::Model> {
    teacher::Entity::find().filter(teacher::Column::Name.eq(name)).one(&app.db).await.unwrap()
}

async fn school_named(app: &TestApp, name: &str) -> Option<school::Model> {
    school::Entity::find().filter(school::Column::Name.eq(name)).one(&app.db).await.unwrap()
}

/// The change feed's newest version, as a district system reads it.
async fn version(app: &TestApp, token: &str) -> i64 {
    let available = app.get(token, "/api/v1/changes/available").await.expect(200);
    available.body["newest"].as_i64().unwrap()
}

async fn client_token(app: &TestApp, admin: &str, scopes: &[&str], school_ids: Option<Vec<i64>>) -> String {
    jiaoyan_tests::clients::client_token(app, admin, "县人事系统", scopes, school_ids).await
}

async fn a_zip_creates_zones_schools_semesters_and_teachers(app: TestApp) {
    let w = World::build(&app).await;
    let token = client_token(&app, &w.tokens.district_admin, &["roster.write"], None).await;
    let resp = upload(&app, &token, "", "application/zip", roster_zip()).await.expect(200);
    assert_eq!(resp.body["dry_run"], false);
    assert_eq!(counts(&resp, "zones"), (1, 0, 0, 0));
    assert_eq!(counts(&resp, "schools"), (2, 0, 0, 0));
    assert_eq!(counts(&resp, "semesters"), (1, 0, 0, 0));
    assert_eq!(counts(&resp, "teachers"), (3, 0, 0, 0));
    assert_eq!(resp.body["skipped"], json!({"users.csv": 1, "academicSessions.csv": 1}));

    let s1 = school_named(&app, "三里畈小学").await.expect("school created");
    assert_eq!(
        (s1.district_id, s1.code.as_deref(), s1.sourced_id.as_deref()),
        (w.district, Some("4211230001"), Some("S-01"))
    );
    assert!(s1.zone_id.is_some_and(|z| z != w.zone), "in the new zone 西片");
    assert_eq!(school_named(&app, "县实验小学").await.unwrap().zone_id, None, "parent is the district: no zone");

    let wang =
        app.get(&w.tokens.district_admin, &format!("/api/v1/teachers?school_id={}&sort=name", s1.id)).await.expect(200);
    let names: Vec<&str> = wang.body["items"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"王芳") && names.contains(&"欧阳修"), "{names:?}");
    let t1 = teacher_named(&app, "王芳").await.unwrap();
    let t1 = app.get(&w.tokens.district_admin, &format!("/api/v1/teachers/{}", t1.id)).await.expect(200);
    assert_eq!(t1.body["external_id"], "T-001");
    assert_eq!(t1.body["birth_date"], "1990-05-01");
    assert_eq!(t1.body["gender"], "female");
    assert_eq!(t1.body["grades"], json!([3, 4]));
    assert!(teacher_named(&app, "Mary Smith").await.is_some());
    assert!(teacher_named(&app, "李小明").await.is_none(), "students are not imported");

    let semesters = app.get(&w.tokens.district_admin, "/api/v1/semesters?limit=50").await.expect(200);
    let autumn = semesters.body["items"].as_array().unwrap().iter().find(|s| s["name"] == "2027年秋季学期").cloned();
    let autumn = autumn.expect("semester created");
    assert_eq!(
        (autumn["school_year"].as_str(), autumn["start_date"].as_str()),
        (Some("2027-2028"), Some("2027-09-01"))
    );

    // The same files again change nothing.
    let again = upload(&app, &token, "", "application/zip", roster_zip()).await.expect(200);
    assert_eq!(counts(&again, "teachers"), (0, 0, 3, 0));
    assert_eq!(counts(&again, "schools"), (0, 0, 2, 0));

    // Our own files: a group led by T-001 with its two members, GBK like the rest.
    let groups =
        "sourced_id,kind,school_sourced_id,name,subject,leader_sourced_id\nG-YW,research,S-01,语文教研组,语文,T-001\n";
    let members = "sourced_id,group_sourced_id,teacher_sourced_id,role,since\n\
        M-1,G-YW,T-001,leader,2027-09-01\nM-2,G-YW,T-002,member,2027/9/1\n";
    let zip = zip_of(&[("groups.csv", &gbk(groups)), ("memberships.csv", &gbk(members))]);
    let resp = upload(&app, &token, "", "application/zip", zip).await.expect(200);
    assert_eq!((counts(&resp, "groups"), counts(&resp, "memberships")), ((1, 0, 0, 0), (2, 0, 0, 0)));
    let listed = app.get(&w.tokens.district_admin, &format!("/api/v1/groups?school_id={}", s1.id)).await.expect(200);
    let group = &listed.body["items"][0];
    assert_eq!((group["name"].as_str(), group["kind"].as_str()), (Some("语文教研组"), Some("research")));
    let members =
        app.get(&w.tokens.district_admin, &format!("/api/v1/groups/{}/members", group["id"])).await.expect(200);
    assert_eq!(members.body["total"], 2, "{}", members.body);

    // tobedeleted archives.
    let gone = "sourcedId,status,role,givenName,familyName,orgSourcedIds\nT-003,tobedeleted,,,,\n";
    let resp = upload(&app, &token, "?file=users.csv", "text/csv", gone.as_bytes().to_vec()).await.expect(200);
    assert_eq!(counts(&resp, "teachers"), (0, 0, 0, 1));
    assert!(teacher_named(&app, "Mary Smith").await.unwrap().archived_at.is_some());
}

async fn a_dry_run_reports_the_counts_and_writes_nothing(app: TestApp) {
    let w = World::build(&app).await;
    let before = version(&app, &w.tokens.district_admin).await;
    let resp =
        upload(&app, &w.tokens.district_admin, "?dry_run=true", "application/zip", roster_zip()).await.expect(200);
    assert_eq!(resp.body["dry_run"], true);
    assert_eq!(counts(&resp, "schools"), (2, 0, 0, 0));
    assert_eq!(counts(&resp, "teachers"), (3, 0, 0, 0));
    assert_eq!(version(&app, &w.tokens.district_admin).await, before, "the change feed did not move");
    assert_eq!(resp.body["change_version"].as_i64(), Some(before), "a dry run announces no version it rolled back");
    assert!(school_named(&app, "三里畈小学").await.is_none());
    assert!(teacher_named(&app, "王芳").await.is_none());
    let list = app.get(&w.tokens.district_admin, "/api/v1/teachers?limit=500").await.expect(200);
    assert_eq!(list.body["total"], 3, "the fixture's three teachers of the district only");
    // Then for real: the same counts.
    let real =
        upload(&app, &w.tokens.district_admin, "?dry_run=false", "application/zip", roster_zip()).await.expect(200);
    assert_eq!(counts(&real, "teachers"), counts(&resp, "teachers"));
    assert!(version(&app, &w.tokens.district_admin).await > before);
    assert_eq!(real.body["change_version"].as_i64(), Some(version(&app, &w.tokens.district_admin).await));
}

async fn gbk_and_utf8_bom_files_import_with_their_chinese_names(app: TestApp) {
    let w = World::build(&app).await;
    let token = &w.tokens.district_admin;
    // orgs.csv saved as "CSV UTF-8" (with a byte-order mark), recognised by its header.
    let mut orgs = b"\xEF\xBB\xBF".to_vec();
    orgs.extend_from_slice(ORGS.as_bytes());
    upload(&app, token, "", "text/csv", orgs).await.expect(200);
    // users.csv saved by Excel on Chinese Windows: GBK.
    let users = gbk(
        "sourcedId,role,givenName,familyName,orgSourcedIds,subjects\nT-9,teacher,晓燕,诸葛,S-01,语文、道德与法治\n",
    );
    assert!(std::str::from_utf8(&users).is_err());
    let resp = upload(&app, token, "", "text/csv", users).await.expect(200);
    assert_eq!(counts(&resp, "teachers"), (1, 0, 0, 0));
    let t = teacher_named(&app, "诸葛晓燕").await.expect("the name decoded from GBK");
    let view = app.get(token, &format!("/api/v1/teachers/{}", t.id)).await.expect(200);
    assert_eq!(view.body["subjects"], json!(["语文", "道德与法治"]));
    // Inside a zip too.
    let users = gbk("sourcedId,role,givenName,familyName,orgSourcedIds\nT-10,teacher,建国,张,S-02\n");
    upload(&app, token, "", "application/zip", zip_of(&[("users.csv", &users)])).await.expect(200);
    assert!(teacher_named(&app, "张建国").await.is_some());
    // Bytes that are neither are refused, naming the file.
    let resp = upload(&app, token, "", "application/zip", zip_of(&[("users.csv", b"sourcedId\n\xFF\xFE\xFF\n")])).await;
    assert_eq!(resp.expect(422).error_fields(), vec!["users.csv"]);
}

async fn one_bad_row_is_a_422_naming_it_and_nothing_is_written(app: TestApp) {
    let w = World::build(&app).await;
    let before = version(&app, &w.tokens.district_admin).await;
    let users =
        USERS.replace("1985/3/9", "1985-02-30").replace("T-003,active,teacher,Mary", "T-003,active,techer,Mary");
    let zip = zip_of(&[("orgs.csv", ORGS.as_bytes()), ("users.csv", users.as_bytes())]);
    let resp = upload(&app, &w.tokens.district_admin, "", "application/zip", zip).await.expect(422);
    assert_eq!(resp.content_type(), "application/problem+json");
    assert_eq!(resp.error_fields(), vec!["users.csv:3:birthDate", "users.csv:4:role"]);
    assert!(school_named(&app, "三里畈小学").await.is_none(), "orgs.csv was fine, and still not imported");
    assert_eq!(version(&app, &w.tokens.district_admin).await, before);

    // Errors only the sync finds (a school that does not exist) are named in the files' terms.
    let users =
        "sourcedId,role,givenName,familyName,orgSourcedIds\nT-1,teacher,芳,王,S-01\nT-2,teacher,伟,张,NO-SUCH\n";
    let zip = zip_of(&[("orgs.csv", ORGS.as_bytes()), ("users.csv", users.as_bytes())]);
    let resp = upload(&app, &w.tokens.district_admin, "", "application/zip", zip).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["users.csv:3:orgSourcedIds"], "{}", resp.body);
    assert!(teacher_named(&app, "王芳").await.is_none());
    assert_eq!(version(&app, &w.tokens.district_admin).await, before);

    // A missing column names the file and column; an unknown file in the zip is refused.
    let zip = zip_of(&[("users.csv", b"sourcedId,role,givenName,orgSourcedIds\n"), ("classes.csv", b"x\n")]);
    let resp = upload(&app, &w.tokens.district_admin, "", "application/zip", zip).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["classes.csv"]);
    let zip = zip_of(&[("users.csv", b"sourcedId,role,givenName,orgSourcedIds\n")]);
    let resp = upload(&app, &w.tokens.district_admin, "", "application/zip", zip).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["users.csv:1:familyName"]);
}

async fn a_school_limited_caller_cannot_import_another_schools_teachers(app: TestApp) {
    let w = World::build(&app).await;
    for (id, sid) in [(w.school_a, "S-A"), (w.school_b, "S-B")] {
        let mut row = school::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().into_active_model();
        row.sourced_id = Set(Some(sid.into()));
        row.update(&app.db).await.unwrap();
    }
    let client = client_token(&app, &w.tokens.district_admin, &["roster.write"], Some(vec![w.school_a])).await;
    let other = "sourcedId,role,givenName,familyName,orgSourcedIds\nT-B1,teacher,丽,孙,S-B\n";
    for token in [&client, &w.tokens.admin_a] {
        let resp = upload(&app, token, "", "text/csv", other.as_bytes().to_vec()).await;
        assert_eq!(resp.expect(422).error_fields(), vec!["users.csv:2:orgSourcedIds"]);
        assert!(teacher_named(&app, "孙丽").await.is_none());
    }
    let own = "sourcedId,role,givenName,familyName,orgSourcedIds\nT-A1,teacher,丽,孙,S-A\n";
    upload(&app, &client, "", "text/csv", own.as_bytes().to_vec()).await.expect(200);
    // Schools belong to the whole district: a school-limited caller may not push orgs.csv.
    upload(&app, &client, "", "application/zip", roster_zip()).await.expect(403);
    assert!(school_named(&app, "三里畈小学").await.is_none());
    assert_eq!(teacher_named(&app, "孙丽").await.unwrap().school_id, w.school_a);
}

async fn callers_content_types_and_sizes_are_checked(app: TestApp) {
    let w = World::build(&app).await;
    let body = || roster_zip();
    // No token, a teacher, a client without roster.write, another district's district row.
    assert_eq!(app.call_raw("POST", PATH, None, "application/zip", body()).await.status, 401);
    upload(&app, &w.tokens.teacher_a, "", "application/zip", body()).await.expect(403);
    let reader = client_token(&app, &w.tokens.district_admin, &["roster.read"], None).await;
    upload(&app, &reader, "", "application/zip", body()).await.expect(403);
    let resp = upload(&app, &w.tokens.other_district_admin, "", "application/zip", body()).await.expect(422);
    assert!(resp.error_fields().contains(&"orgs.csv:2:name".to_string()), "{}", resp.body);
    // An installation administrator names the district.
    upload(&app, &w.tokens.root, "", "application/zip", body()).await.expect(422);
    upload(&app, &w.tokens.root, &format!("?district_id={}&dry_run=true", w.district), "application/zip", body())
        .await
        .expect(200);
    // Bodies.
    upload(&app, &w.tokens.district_admin, "", "application/json", b"{}".to_vec()).await.expect(415);
    let resp = upload(&app, &w.tokens.district_admin, "", "application/zip", b"not a zip".to_vec()).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["body"]);
    upload(&app, &w.tokens.district_admin, "", "text/csv", Vec::new()).await.expect(422);
    let resp =
        upload(&app, &w.tokens.district_admin, "?file=classes.csv", "text/csv", b"a\n".to_vec()).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["file"]);
    let resp = upload(&app, &w.tokens.district_admin, "", "text/csv", b"a,b\n1,2\n".to_vec()).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["file"]);
    // A zip bomb: 40 MiB of one letter, deflated to a few dozen KiB, stops at the per-file limit.
    let bomb = zip_of(&[("users.csv", &vec![b'a'; 40 << 20])]);
    assert!(bomb.len() < 1 << 20);
    let resp = upload(&app, &w.tokens.district_admin, "", "application/zip", bomb).await.expect(422);
    assert_eq!(resp.error_fields(), vec!["users.csv"]);
    // Above the sync body limit (16 MiB by default), larger than the JSON limit (1 MiB) is fine.
    let big = format!("sourced_id,kind,name,description\n{}", format!("G,nope,x,{}\n", "y".repeat(1000)).repeat(2000));
    assert!(big.len() > 1 << 20);
    let resp = upload(&app, &w.tokens.district_admin, "", "text/csv", big.into_bytes()).await.expect(422);
    assert_eq!(resp.error_fields().len(), 2000, "every bad row is listed");
    assert_eq!(resp.error_fields()[1999], "groups.csv:2001:kind");
    upload(&app, &w.tokens.district_admin, "", "application/zip", vec![0; (16 << 20) + 1]).await.expect(413);
}

on_both_backends!(
    a_zip_creates_zones_schools_semesters_and_teachers,
    a_dry_run_reports_the_counts_and_writes_nothing,
    gbk_and_utf8_bom_files_import_with_their_chinese_names,
    one_bad_row_is_a_422_naming_it_and_nothing_is_written,
    a_school_limited_caller_cannot_import_another_schools_teachers,
    callers_content_types_and_sizes_are_checked,
);
