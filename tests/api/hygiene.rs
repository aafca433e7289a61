//! Input hygiene: request bodies are objects where objects are documented, texts are NFC without
//! control characters, names hold no invisible characters (so look-alikes meet uniqueness),
//! lists have maxima, and query values that are not UTF-8 are a 400 naming the parameter. The
//! same for the sync and the CSV import.

use jiaoyan_tests::clients::put;
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use serde_json::Value;

on_both_backends!(
    arrays_and_other_non_objects_are_refused_where_an_object_is_documented,
    names_refuse_invisible_and_control_characters_and_texts_are_nfc,
    look_alike_names_meet_uniqueness,
    lists_have_maxima,
    query_values_that_are_not_utf8_are_a_400_naming_the_parameter,
    the_sync_and_the_csv_import_clean_their_texts_too,
);

async fn school_count(app: &TestApp, token: &str) -> u64 {
    app.get(token, "/api/v1/schools?limit=500").await.expect(200).body["total"].as_u64().unwrap()
}

async fn arrays_and_other_non_objects_are_refused_where_an_object_is_documented(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let before = school_count(&app, t).await;
    // The probe of the issue: fields by position.
    let positional = app.post(t, "/api/v1/schools", json!([w.district, null, "数组小学", "village", null, null])).await;
    assert_eq!(positional.expect(422).error_fields(), ["body"]);
    for body in [json!("数组小学"), json!(3), json!(null), json!(true)] {
        assert_eq!(app.post(t, "/api/v1/schools", body.clone()).await.expect(422).error_fields(), ["body"], "{body}");
    }
    assert_eq!(school_count(&app, t).await, before, "nothing was created");

    // At any depth: an honour given as an array.
    let teacher = json!({"school_id": w.school_a, "name": "王芳", "honours": [["backbone_teacher", "county", 2022]]});
    assert_eq!(app.post(t, "/api/v1/teachers", teacher).await.expect(422).error_fields(), ["honours[0]"]);
    // A key given twice is refused rather than one of them silently winning.
    let twice = br#"{"district_id":1,"name":"a","name":"b","tier":"village"}"#.to_vec();
    let resp = app.call_raw("POST", "/api/v1/schools", Some(t), "application/json", twice).await;
    assert_eq!(resp.expect(422).error_fields(), ["name"]);
}

fn school(w: &World, name: &str) -> Value {
    json!({"district_id": w.district, "zone_id": w.zone, "name": name, "tier": "village"})
}

async fn names_refuse_invisible_and_control_characters_and_texts_are_nfc(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    for (name, reason) in [
        ("大河岸中心小学\u{200B}", "invisible"),
        ("大河\u{200D}岸小学", "invisible"),
        ("\u{FEFF}大河岸小学", "invisible"),
        ("大河岸小学\u{202E}", "bidirectional"),
        ("大河岸\u{7}小学", "control"),
        ("大河岸\u{1B}[31m小学", "control"),
        ("大河岸\n小学", "control"),
    ] {
        let refused = app.post(t, "/api/v1/schools", school(&w, name)).await.expect(422);
        assert_eq!(refused.error_fields(), ["name"], "{name:?}");
        let message = refused.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{name:?}: {message}");
    }
    // Users' display names and usernames are names too.
    let user = json!({"username": "wang\u{200B}", "password": "a-long-password-1", "role": "teacher",
                      "school_id": w.school_a, "display_name": "王\u{2060}老师"});
    let refused = app.post(&w.tokens.admin_a, "/api/v1/users", user).await.expect(422);
    // (json! writes keys in alphabetical order; the errors follow the body's order)
    assert_eq!(refused.error_fields(), ["display_name", "username"]);

    // NFC: a decomposed é is stored composed; free text keeps its lines, with \r\n as \n.
    let created = app.post(t, "/api/v1/schools", school(&w, "Jose\u{301}小学")).await.expect(201);
    assert_eq!(created.body["name"], "José小学");
    let teacher = app
        .post(t, "/api/v1/teachers", json!({"school_id": w.school_a, "name": "王芳", "subjects": ["语文"]}))
        .await
        .expect(201);
    assert_eq!(teacher.body["name"], "王芳");
    let group = app
        .post(
            &w.tokens.admin_a,
            "/api/v1/groups",
            json!({"school_id": w.school_a, "kind": "research", "name": "语文组", "description": "第一行\r\n第二行\t完"}),
        )
        .await
        .expect(201);
    assert_eq!(group.body["description"], "第一行\n第二行\t完");
    let bell = json!({"school_id": w.school_a, "kind": "research", "name": "数学组", "description": "铃\u{7}"});
    assert_eq!(app.post(&w.tokens.admin_a, "/api/v1/groups", bell).await.expect(422).error_fields(), ["description"]);
}

async fn look_alike_names_meet_uniqueness(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    // The composed and the decomposed spelling are one name once normalised: a 409, not a twin.
    app.post(t, "/api/v1/schools", school(&w, "Café小学")).await.expect(201);
    let twin = app.post(t, "/api/v1/schools", school(&w, "Cafe\u{301}小学")).await;
    assert_eq!(twin.status, 409, "{}", twin.body);
    // A zero-width space cannot make a second 大河岸中心小学.
    app.post(t, "/api/v1/schools", school(&w, "大河岸中心小学")).await.expect(201);
    let hidden = app.post(t, "/api/v1/schools", school(&w, "大河岸中心小学\u{200B}")).await;
    assert_eq!(hidden.expect(422).error_fields(), ["name"]);
    let names: Vec<String> = app.get(t, "/api/v1/schools?limit=500").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.iter().filter(|n| n.contains("大河岸中心小学")).count(), 1, "{names:?}");
}

fn subjects(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("科目{i}")).collect()
}

async fn lists_have_maxima(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.admin_a;
    let teacher = |field: &str, list: Value| {
        let mut body = json!({"school_id": w.school_a, "name": "王芳"});
        body[field] = list;
        body
    };
    // The probe of the issue: 10,000 subjects.
    for (field, list) in [
        ("subjects", json!(subjects(10_000))),
        ("subjects", json!(subjects(21))),
        ("grades", json!([1, 2, 3, 4, 5, 6, 1])),
        ("posts", json!(vec!["principal"; 7])),
        ("honours", json!(vec![json!({"title": "rising_star", "level": "school", "year": 2020}); 51])),
    ] {
        let refused = app.post(t, "/api/v1/teachers", teacher(field, list)).await.expect(422);
        assert_eq!(refused.error_fields(), [field], "{}", refused.body);
        assert!(refused.body["errors"][0]["message"].as_str().unwrap().contains("at most"));
    }
    let id = app.post(t, "/api/v1/teachers", teacher("subjects", json!(subjects(20)))).await.expect(201).body["id"]
        .as_i64()
        .unwrap();
    let patch = app.patch(t, &format!("/api/v1/teachers/{id}"), json!({"subjects": subjects(21)})).await;
    assert_eq!(patch.expect(422).error_fields(), ["subjects"]);

    // The maxima are in the published schema.
    let spec = app.call("GET", "/api-docs/openapi.json", None, None).await.expect(200).body;
    let new_teacher = &spec["components"]["schemas"]["NewTeacher"]["properties"];
    assert_eq!(
        (new_teacher["subjects"]["maxItems"].as_u64(), new_teacher["honours"]["maxItems"].as_u64()),
        (Some(20), Some(50))
    );
}

async fn query_values_that_are_not_utf8_are_a_400_naming_the_parameter(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let bad = app.get(t, &format!("/api/v1/teachers?school_id={}&subject=%ff%fe", w.school_a)).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(bad.error_fields(), ["subject"]);
    assert!(bad.body["detail"].as_str().unwrap().contains("subject"));
    // A valid percent-encoded value is fine, and so is U+FFFD itself.
    app.get(t, "/api/v1/teachers?subject=%E8%AF%AD%E6%96%87").await.expect(200);
    app.get(t, "/api/v1/teachers?q=%EF%BF%BD").await.expect(200);
    // The OneRoster view answers in its own error shape, naming the parameter too.
    let roster = app.get(t, "/ims/oneroster/rostering/v1p2/users?filter=%ff").await;
    assert_eq!(roster.status, 400, "{}", roster.body);
    assert_eq!(roster.body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldName"], "filter");
    // A control character in a query value is a 422 naming it.
    let bell = app.get(t, "/api/v1/teachers?q=a%07").await;
    assert_eq!(bell.expect(422).error_fields(), ["q"]);
}

async fn csv_upload(app: &TestApp, token: &str, file: &str, text: &str) -> Resp {
    let path = format!("/api/v1/sync/csv?file={file}");
    app.call_raw("POST", &path, Some(token), "text/csv", text.as_bytes().to_vec()).await
}

async fn the_sync_and_the_csv_import_clean_their_texts_too(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let record = |name: &str| json!({"sourced_id": "sch-1", "name": name, "tier": "village"});
    let hidden = put(&app, t, "/api/v1/sync/schools", json!({"records": [record("河口小学\u{200B}")]})).await;
    assert_eq!(hidden.expect(422).error_fields(), ["records[0].name"]);
    let positional = put(&app, t, "/api/v1/sync/schools", json!({"records": [["sch-1", "河口小学", "village"]]})).await;
    assert_eq!(positional.expect(422).error_fields(), ["records[0]"]);
    put(&app, t, "/api/v1/sync/schools", json!({"records": [record("Jose\u{301}小学")]})).await.expect(200);
    let listed = app.get(t, "/api/v1/schools?limit=500").await.expect(200);
    assert!(listed.body["items"].as_array().unwrap().iter().any(|s| s["name"] == "José小学"), "{}", listed.body);
    let many = json!({"records": [{"sourced_id": "T-1", "school_sourced_id": "sch-1", "name": "王芳", "subjects": subjects(21)}]});
    assert_eq!(put(&app, t, "/api/v1/sync/teachers", many).await.expect(422).error_fields(), ["records[0].subjects"]);

    // The CSV import: a zero-width joiner in a given name, a BEL in a family name.
    let users = "sourcedId,role,givenName,familyName,orgSourcedIds\n\
                 T-1,teacher,芳\u{200D},王,sch-1\n\
                 T-2,teacher,修,欧\u{7}阳,sch-1\n";
    let refused = csv_upload(&app, t, "users.csv", users).await.expect(422);
    assert_eq!(refused.error_fields(), ["users.csv:2:givenName", "users.csv:3:familyName"]);
}
