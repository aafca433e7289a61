//! The floor of the request-path benchmark (`jiaoyan_bench::baseline::floor`, raw sqlx) answers a
//! teacher and a list page byte for byte as Jiaoyan does, ETag included: otherwise the
//! benchmark's ratios would compare different work. (`bench/run.sh` checks the same against
//! the generated county before it measures.)

use jiaoyan_bench::baseline::floor::{today, Floor, Pool};
use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{json, on_both_backends, Backend, TestApp};

fn pool(app: &TestApp) -> Pool {
    match app.backend {
        Backend::Sqlite => Pool::Sqlite(app.db.get_sqlite_connection_pool().clone()),
        Backend::Postgres => Pool::Postgres(app.db.get_postgres_connection_pool().clone()),
    }
}

/// The raw body and ETag of a GET.
async fn raw(app: &TestApp, token: &str, path: &str) -> (String, Option<String>) {
    let resp = app.client.get(format!("{}{path}", app.base_url)).bearer_auth(token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "GET {path}");
    let etag = resp.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
    (resp.text().await.unwrap(), etag)
}

async fn the_floor_answers_byte_for_byte_as_jiaoyan(app: TestApp) {
    let w = World::build(&app).await;
    // Every child table, posts given out of their declaration order, honours of two years.
    app.patch(
        &w.tokens.admin_a,
        &format!("/api/v1/teachers/{}", w.teacher_a),
        json!({"subjects": ["语文", "数学"], "grades": [4, 3], "posts": ["research_group_leader", "principal"],
               "honours": [{"title": "backbone_teacher", "level": "county", "year": 2019},
                           {"title": "subject_leader", "level": "city", "year": 2023}],
               "birth_date": "1990-05-01", "teaching_start_year": 2012, "external_id": "T-bench-1"}),
    )
    .await
    .expect(200);
    let floor = Floor::new(pool(&app));
    let me = app.get(&w.tokens.admin_a, "/api/v1/me").await.expect(200).body;
    let caller = floor.caller(me["id"].as_i64().unwrap()).await.unwrap().expect("a live account");

    for id in [w.teacher_a, w.leader_a] {
        let (body, etag) = raw(&app, &w.tokens.admin_a, &format!("/api/v1/teachers/{id}")).await;
        let found = floor.teacher(id, today()).await.unwrap().expect("the teacher");
        assert!(caller.sees_school(found.district_id, found.teacher.school_id));
        assert_eq!(String::from_utf8(serde_json::to_vec(&found.teacher).unwrap()).unwrap(), body);
        assert_eq!(found.version.map(|v| format!("\"{v}\"")), etag);
    }
    assert!(!caller.sees_school(w.district, w.school_b), "another school's teacher is out of reach");

    let path = format!("/api/v1/teachers?school_id={}&limit=50", w.school_a);
    let (body, _) = raw(&app, &w.tokens.admin_a, &path).await;
    let page = floor.page(&caller, w.school_a, 50, 0, today()).await.unwrap();
    assert!(page.items.len() >= 2, "school A has teachers");
    assert_eq!(String::from_utf8(serde_json::to_vec(&page).unwrap()).unwrap(), body);
}

on_both_backends!(the_floor_answers_byte_for_byte_as_jiaoyan);
