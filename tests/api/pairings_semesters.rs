//! School pairings (城乡结对, 手拉手, 送教下乡) and the district's semester calendar.

use chrono::Utc;
use entities::research_topic;
use jiaoyan_tests::fixtures::{new_school, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::Value;

on_both_backends!(
    the_district_office_pairs_schools_and_finds_the_pairings,
    school_roles_see_only_pairings_of_their_school,
    pairings_are_validated,
    the_district_office_sets_the_semester_calendar,
    a_week_of_holidays_is_not_a_teaching_week,
    everyone_in_the_district_reads_semesters_but_only_its_office_writes,
    semesters_are_validated_naming_each_field,
    a_semester_with_live_research_topics_is_not_archived,
);

fn id(resp: &jiaoyan_tests::Resp) -> i64 {
    resp.body["id"].as_i64().expect("an id")
}

/// A third school of district 1 (D), and two pairings: A→B (urban–rural, this school year) and
/// B→D (outreach, last autumn).
async fn two_pairings(app: &TestApp, w: &World) -> (i64, i64, i64) {
    let d = new_school(&app.db, w.district, None, "丁小学").await;
    let t = &w.tokens.district_admin;
    let ab = app
        .post(
            t,
            "/api/v1/school-pairings",
            json!({"mentor_school_id": w.school_a, "partner_school_id": w.school_b, "kind": "urban_rural",
                   "start_date": "2026-09-01", "end_date": "2027-07-10", "notes": "每月送教一次"}),
        )
        .await
        .expect(201);
    let bd = app
        .post(
            t,
            "/api/v1/school-pairings",
            json!({"mentor_school_id": w.school_b, "partner_school_id": d, "kind": "outreach",
                   "start_date": "2025-09-01", "end_date": "2026-01-20"}),
        )
        .await
        .expect(201);
    (id(&ab), id(&bd), d)
}

async fn the_district_office_pairs_schools_and_finds_the_pairings(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let (ab, bd, d) = two_pairings(&app, &w).await;

    let got = app.get(t, &format!("/api/v1/school-pairings/{ab}")).await.expect(200);
    assert_eq!(got.body["district_id"], w.district);
    assert_eq!(got.body["mentor_school_id"], w.school_a);
    assert_eq!(got.body["partner_school_id"], w.school_b);
    assert_eq!(got.body["kind"], "urban_rural");
    assert_eq!(got.body["start_date"], "2026-09-01");
    assert_eq!(got.body["end_date"], "2027-07-10");
    assert_eq!(got.body["notes"], "每月送教一次");

    let list = |q: &'static str| {
        let app = &app;
        async move { app.get(t, &format!("/api/v1/school-pairings{q}")).await.expect(200).ids() }
    };
    assert_eq!(list("").await, vec![ab, bd]);
    assert_eq!(app.get(t, &format!("/api/v1/school-pairings?school_id={}", w.school_a)).await.ids(), vec![ab]);
    assert_eq!(app.get(t, &format!("/api/v1/school-pairings?school_id={}", w.school_b)).await.ids(), vec![ab, bd]);
    assert_eq!(app.get(t, &format!("/api/v1/school-pairings?school_id={d}")).await.ids(), vec![bd]);
    assert_eq!(list("?kind=outreach").await, vec![bd]);
    assert_eq!(list("?active_on=2026-10-01").await, vec![ab]);
    assert_eq!(list("?active_on=2026-01-20").await, vec![bd]);
    assert_eq!(list("?active_on=2026-06-01").await, Vec::<i64>::new());
    assert_eq!(list("?sort=start_date").await, vec![bd, ab]);
    assert_eq!(list("?sort=-id").await, vec![bd, ab]);
    assert_eq!(app.get(t, "/api/v1/school-pairings?sort=kind").await.expect(422).error_fields(), vec!["sort"]);

    // Open-ended from now on, with other notes.
    let changed = app
        .patch(
            t,
            &format!("/api/v1/school-pairings/{ab}"),
            json!({"end_date": null, "notes": "手拉手", "kind": "hand_in_hand"}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["end_date"], Value::Null);
    assert_eq!(changed.body["kind"], "hand_in_hand");
    assert_eq!(changed.body["notes"], "手拉手");
    assert_eq!(changed.body["start_date"], "2026-09-01");
    assert_eq!(list("?active_on=2030-01-01").await, vec![ab]);

    app.delete(t, &format!("/api/v1/school-pairings/{bd}")).await.expect(204);
    app.delete(t, &format!("/api/v1/school-pairings/{bd}")).await.expect(204);
    assert_eq!(list("").await, vec![ab]);
    assert_eq!(list("?include_archived=true").await, vec![ab, bd]);
}

async fn school_roles_see_only_pairings_of_their_school(app: TestApp) {
    let w = World::build(&app).await;
    let tk = &w.tokens;
    let (ab, bd, d) = two_pairings(&app, &w).await;
    let (ab_path, bd_path) = (format!("/api/v1/school-pairings/{ab}"), format!("/api/v1/school-pairings/{bd}"));

    // School A is a side of A→B only.
    for token in [&tk.admin_a, &tk.teacher_a] {
        assert_eq!(app.get(token, "/api/v1/school-pairings").await.expect(200).ids(), vec![ab]);
        assert_eq!(app.get(token, &format!("/api/v1/school-pairings?school_id={d}")).await.ids(), Vec::<i64>::new());
        app.get(token, &ab_path).await.expect(200);
        app.get(token, &bd_path).await.expect(404);
    }
    assert_eq!(app.get(&tk.teacher_b, "/api/v1/school-pairings").await.ids(), vec![ab, bd]);

    // Only district administrators write: the school admin is refused on its own pairing and
    // does not even see the other one.
    app.patch(&tk.admin_a, &ab_path, json!({"notes": "x"})).await.expect(403);
    app.delete(&tk.admin_a, &ab_path).await.expect(403);
    app.patch(&tk.admin_a, &bd_path, json!({"notes": "x"})).await.expect(404);
    app.delete(&tk.admin_a, &bd_path).await.expect(404);
    let body = json!({"mentor_school_id": w.school_a, "partner_school_id": w.school_b, "kind": "urban_rural",
                      "start_date": "2026-09-01"});
    app.post(&tk.admin_a, "/api/v1/school-pairings", body.clone()).await.expect(403);
    app.post(&tk.teacher_a, "/api/v1/school-pairings", body.clone()).await.expect(403);
    app.patch(&tk.teacher_b, &bd_path, json!({"notes": "x"})).await.expect(403);

    // The other district's administrator sees nothing of district 1.
    let other = &tk.other_district_admin;
    assert_eq!(app.get(other, "/api/v1/school-pairings").await.expect(200).ids(), Vec::<i64>::new());
    app.get(other, &ab_path).await.expect(404);
    app.patch(other, &ab_path, json!({"notes": "x"})).await.expect(404);
    app.delete(other, &ab_path).await.expect(404);
    let refused = app.post(other, "/api/v1/school-pairings", body).await.expect(422);
    assert_eq!(refused.error_fields(), vec!["mentor_school_id", "partner_school_id"]);

    let unchanged = app.get(&tk.district_admin, &ab_path).await.expect(200);
    assert_eq!(unchanged.body["notes"], "每月送教一次");
    assert!(unchanged.body["archived_at"].is_null());
}

async fn pairings_are_validated(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let pair = |mentor: i64, partner: i64, start: &str, end: Value| {
        json!({"mentor_school_id": mentor, "partner_school_id": partner, "kind": "urban_rural",
               "start_date": start, "end_date": end})
    };

    let backwards =
        app.post(t, "/api/v1/school-pairings", pair(w.school_a, w.school_b, "2026-09-01", json!("2026-08-31")));
    assert_eq!(backwards.await.expect(422).error_fields(), vec!["end_date"]);
    let itself = app.post(t, "/api/v1/school-pairings", pair(w.school_a, w.school_a, "2026-09-01", Value::Null));
    assert_eq!(itself.await.expect(422).error_fields(), vec!["partner_school_id"]);
    let unseen = app.post(t, "/api/v1/school-pairings", pair(w.school_a, w.school_c, "2026-09-01", Value::Null));
    assert_eq!(unseen.await.expect(422).error_fields(), vec!["partner_school_id"]);
    // Even the installation administrator, who sees both, cannot pair across districts.
    let across =
        app.post(&w.tokens.root, "/api/v1/school-pairings", pair(w.school_a, w.school_c, "2026-09-01", Value::Null));
    let across = across.await.expect(422);
    assert_eq!(across.error_fields(), vec!["partner_school_id"]);
    assert!(across.body["errors"][0]["message"].as_str().unwrap().contains("district"));
    let missing = app.post(t, "/api/v1/school-pairings", pair(999_999, w.school_b, "2026-09-01", json!("2020-01-01")));
    assert_eq!(missing.await.expect(422).error_fields(), vec!["mentor_school_id", "end_date"]);
    let kind = app
        .post(
            t,
            "/api/v1/school-pairings",
            json!({"mentor_school_id": w.school_a, "partner_school_id": w.school_b,
            "kind": "friendship", "start_date": "2026-09-01"}),
        )
        .await
        .expect(422);
    assert_eq!(kind.error_fields(), vec!["kind"]);

    let created = app.post(t, "/api/v1/school-pairings", pair(w.school_a, w.school_b, "2026-09-01", Value::Null));
    let path = format!("/api/v1/school-pairings/{}", id(&created.await.expect(201)));
    let patched = app.patch(t, &path, json!({"end_date": "2026-06-30"})).await.expect(422);
    assert_eq!(patched.error_fields(), vec!["end_date"]);
    let patched = app.patch(t, &path, json!({"start_date": "2027-01-01", "end_date": "2026-12-31"})).await;
    assert_eq!(patched.expect(422).error_fields(), vec!["end_date"]);
    let patched = app.patch(t, &path, json!({"partner_school_id": w.school_a})).await.expect(422);
    assert_eq!(patched.error_fields(), vec!["partner_school_id"]);
    assert_eq!(app.get(t, &path).await.body["end_date"], Value::Null);
}

fn spring(w: &World) -> Value {
    json!({"district_id": w.district, "name": "2027年春季学期", "school_year": "2026-2027",
           "start_date": "2027-02-24", "end_date": "2027-07-09",
           "holidays": [{"name": "清明节", "start": "2027-04-05", "end": "2027-04-05"},
                        {"name": "劳动节", "start": "2027-05-01", "end": "2027-05-07"}]})
}

async fn the_district_office_sets_the_semester_calendar(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;

    // The fixture's autumn semester: 31 August to the week of 22 January, 国庆 leaves school days.
    let autumn = app.get(t, &format!("/api/v1/semesters/{}", w.semester)).await.expect(200);
    assert_eq!(autumn.body["teaching_weeks"], 21);
    assert_eq!(autumn.body["holidays"], json!([{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}]));

    let created = app.post(t, "/api/v1/semesters", spring(&w)).await.expect(201);
    let spring_id = id(&created);
    assert_eq!(created.headers["location"], format!("/api/v1/semesters/{spring_id}").as_str());
    // Starting on a Wednesday: week 1 starts on the Monday before.
    assert_eq!(created.body["week1_start"], "2027-02-22");
    assert_eq!(created.body["school_year"], "2026-2027");
    assert_eq!(created.body["holidays"][1]["name"], "劳动节");
    // 20 calendar weeks, less the 劳动节 week (Monday 3 to Friday 7 May).
    assert_eq!(created.body["teaching_weeks"], 19);

    let list = |q: String| {
        let app = &app;
        async move { app.get(t, &format!("/api/v1/semesters{q}")).await.expect(200).ids() }
    };
    assert_eq!(list(String::new()).await, vec![w.semester, spring_id]);
    assert_eq!(list("?contains_date=2027-03-01".into()).await, vec![spring_id]);
    assert_eq!(list("?contains_date=2026-09-01".into()).await, vec![w.semester]);
    assert_eq!(list("?contains_date=2027-02-01".into()).await, Vec::<i64>::new());
    assert_eq!(list("?school_year=2026-2027&sort=-start_date".into()).await, vec![spring_id, w.semester]);
    assert_eq!(list("?school_year=2027-2028".into()).await, Vec::<i64>::new());
    assert_eq!(list(format!("?district_id={}", w.other_district)).await, Vec::<i64>::new());

    // Moving the start to Monday 1 March moves week 1 with it; clearing the holidays.
    let changed = app
        .patch(t, &format!("/api/v1/semesters/{spring_id}"), json!({"start_date": "2027-03-01", "holidays": []}))
        .await
        .expect(200);
    assert_eq!(changed.body["week1_start"], "2027-03-01");
    assert_eq!(changed.body["holidays"], json!([]));
    assert_eq!(changed.body["teaching_weeks"], 19);
    assert_eq!(changed.body["name"], "2027年春季学期");

    app.delete(t, &format!("/api/v1/semesters/{spring_id}")).await.expect(204);
    app.delete(t, &format!("/api/v1/semesters/{spring_id}")).await.expect(204);
    assert_eq!(list(String::new()).await, vec![w.semester]);
    assert_eq!(list("?include_archived=true".into()).await, vec![w.semester, spring_id]);
}

async fn a_week_of_holidays_is_not_a_teaching_week(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let path = format!("/api/v1/semesters/{}", w.semester);
    // 国庆 from Saturday 3 to Friday 9 October: week 6 has no school day.
    let changed = app
        .patch(t, &path, json!({"holidays": [{"name": "国庆节", "start": "2026-10-03", "end": "2026-10-09"}]}))
        .await
        .expect(200);
    assert_eq!(changed.body["teaching_weeks"], 20);
    // Thursday 1 to Thursday 8 October leaves Friday 9 as a school day.
    let changed = app
        .patch(t, &path, json!({"holidays": [{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-08"}]}))
        .await
        .expect(200);
    assert_eq!(changed.body["teaching_weeks"], 21);
}

async fn everyone_in_the_district_reads_semesters_but_only_its_office_writes(app: TestApp) {
    let w = World::build(&app).await;
    let tk = &w.tokens;
    let path = format!("/api/v1/semesters/{}", w.semester);
    for token in [&tk.admin_a, &tk.admin_b, &tk.leader_a, &tk.teacher_a, &tk.teacher_b] {
        assert_eq!(app.get(token, "/api/v1/semesters").await.expect(200).ids(), vec![w.semester]);
        app.get(token, &path).await.expect(200);
        app.patch(token, &path, json!({"name": "改名"})).await.expect(403);
        app.delete(token, &path).await.expect(403);
        app.post(token, "/api/v1/semesters", spring(&w)).await.expect(403);
    }
    let other = &tk.other_district_admin;
    assert_eq!(app.get(other, "/api/v1/semesters").await.expect(200).ids(), Vec::<i64>::new());
    app.get(other, &path).await.expect(404);
    app.patch(other, &path, json!({"name": "改名"})).await.expect(404);
    app.delete(other, &path).await.expect(404);
    assert_eq!(app.post(other, "/api/v1/semesters", spring(&w)).await.expect(422).error_fields(), vec!["district_id"]);
    let own = app.post(
        other,
        "/api/v1/semesters",
        json!({"district_id": w.other_district, "name": "2027年春季学期",
        "school_year": "2026-2027", "start_date": "2027-02-22", "end_date": "2027-07-09"}),
    );
    let own_id = id(&own.await.expect(201));
    app.get(&tk.teacher_a, &format!("/api/v1/semesters/{own_id}")).await.expect(404);

    let unchanged = app.get(&tk.district_admin, &path).await.expect(200);
    assert_eq!(unchanged.body["name"], "2026年秋季学期");
    assert!(unchanged.body["archived_at"].is_null());
}

async fn semesters_are_validated_naming_each_field(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let with = |changes: Value| {
        let mut body = spring(&w);
        for (k, v) in changes.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let fields = |resp: jiaoyan_tests::Resp| resp.expect(422).error_fields();

    let backwards = app.post(t, "/api/v1/semesters", with(json!({"end_date": "2027-02-23", "holidays": []}))).await;
    assert_eq!(fields(backwards), vec!["end_date"]);
    let too_long = app.post(t, "/api/v1/semesters", with(json!({"end_date": "2028-02-26", "holidays": []}))).await;
    assert_eq!(fields(too_long), vec!["end_date"]);
    let year = app.post(t, "/api/v1/semesters", with(json!({"school_year": "2026-2028"}))).await;
    assert_eq!(fields(year), vec!["school_year"]);
    let year = app.post(t, "/api/v1/semesters", with(json!({"school_year": "2026"}))).await;
    assert_eq!(fields(year), vec!["school_year"]);
    let tuesday = app.post(t, "/api/v1/semesters", with(json!({"week1_start": "2027-02-23"}))).await;
    assert_eq!(fields(tuesday), vec!["week1_start"]);
    let week_early = app.post(t, "/api/v1/semesters", with(json!({"week1_start": "2027-02-15"}))).await;
    assert_eq!(fields(week_early), vec!["week1_start"]);
    app.post(t, "/api/v1/semesters", with(json!({"name": "显式第一周", "week1_start": "2027-02-22"})))
        .await
        .expect(201);

    let holidays = app
        .post(
            t,
            "/api/v1/semesters",
            with(json!({"name": " ", "holidays": [
                {"name": "寒假", "start": "2027-02-01", "end": "2027-02-25"},
                {"name": "清明节", "start": "2027-04-05", "end": "2027-04-04"},
                {"name": "", "start": "2027-07-01", "end": "2027-07-20"}]})),
        )
        .await;
    assert_eq!(
        fields(holidays),
        vec!["name", "holidays[0].start", "holidays[1].end", "holidays[2].name", "holidays[2].end"]
    );
    let shape =
        app.post(t, "/api/v1/semesters", with(json!({"holidays": [{"name": "x", "start": "2027-04-05"}]}))).await;
    assert_eq!(fields(shape), vec!["holidays[0].end"], "the missing field is named");

    app.post(t, "/api/v1/semesters", spring(&w)).await.expect(201);
    let again = app.post(t, "/api/v1/semesters", spring(&w)).await.expect(409);
    assert_eq!(again.error_fields(), vec!["name"]);
    let path = format!("/api/v1/semesters/{}", w.semester);
    assert_eq!(app.patch(t, &path, json!({"name": "2027年春季学期"})).await.expect(409).error_fields(), vec!["name"]);
    // A new end before the stored start; a new start after the stored holidays.
    assert_eq!(
        fields(app.patch(t, &path, json!({"end_date": "2026-08-01"})).await),
        vec!["end_date", "holidays[0].end"]
    );
    assert_eq!(fields(app.patch(t, &path, json!({"start_date": "2026-10-05"})).await), vec!["holidays[0].start"]);
    assert_eq!(app.get(t, &path).await.body["start_date"], "2026-09-01");
}

async fn a_semester_with_live_research_topics_is_not_archived(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.district_admin;
    let now = Utc::now();
    research_topic::ActiveModel {
        id: NotSet,
        group_id: Set(w.group_a),
        semester_id: Set(w.semester),
        title: Set("低年级识字教学有效性研究".into()),
        description: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let refused = app.delete(t, &format!("/api/v1/semesters/{}", w.semester)).await.expect(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("1 research topics"));
    assert!(app.get(t, &format!("/api/v1/semesters/{}", w.semester)).await.body["archived_at"].is_null());
}
