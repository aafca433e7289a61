//! The district-scale quota engine against the per-rule reference it replaced, on a generated
//! county (`jiaoyan_bench::gen`): every catalogue template adopted as a district rule, plus a
//! school's own rule and a school-level rule, checked as of four days (early, mid-term, the
//! last day, after the end) over the whole district and over one school. Every result is
//! compared — subject, rule, status, actual, required, expected by now, projected, and every
//! period. Then, over HTTP, a district with more than 33,000 live group memberships gets its
//! check (SQLite's limit of bind parameters was reached by the per-rule engine's id lists).

use api::quota::checks::engine::{compute, kind_rank, CheckItem, CheckRule, Term, ALL_KINDS};
use api::quota::checks::reference;
use api::quota::checks::scan::{Place, Within};
use api::quota::checks::subjects::load_subjects;
use api::quota::store::queries::rules_for;
use api::quota::templates::templates;
use chrono::NaiveDate;
use entities::semester;
use jiaoyan_bench::gen::{generate, GenOptions};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::EntityTrait;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Adopts every template as a district rule, plus a school's own monthly rule (of the
/// observation family's kind) and a school-level rule.
async fn adopt_rules(app: &TestApp, token: &str, district_id: i64, school_id: i64) {
    for t in templates() {
        app.post(token, "/api/v1/quota-rules", json!({"template_id": t.id, "district_id": district_id}))
            .await
            .expect(201);
    }
    app.post(
        token,
        "/api/v1/quota-rules",
        json!({"template_id": "observations-monthly-4", "school_id": school_id, "name": "本校每月听课不少于3节", "min": 3}),
    )
    .await
    .expect(201);
    app.post(
        token,
        "/api/v1/quota-rules",
        json!({"district_id": district_id, "name": "学校每月至少组织一次校级教研活动", "subject_type": "school",
            "metric": {"kind": "activities_held"}, "period": "month", "min": 1, "severity": "required"}),
    )
    .await
    .expect(201);
}

fn order(item: &CheckItem) -> (usize, String, i64, bool, Option<i64>, Option<usize>) {
    (
        kind_rank(item.subject.kind),
        item.subject.name.clone(),
        item.subject.id,
        item.rule.id.is_none(),
        item.rule.id,
        item.rule.index,
    )
}

#[track_caller]
fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{what}: {a} (engine) ≠ {b} (reference)");
}

fn assert_same(got: &CheckItem, want: &CheckItem) {
    let what = format!("{} {} / rule {:?}", got.subject.name, got.subject.id, got.rule.id);
    assert_eq!(got.subject, want.subject, "{what}");
    assert_eq!(got.rule, want.rule, "{what}");
    assert_eq!(got.status, want.status, "{what}: status");
    close(got.actual, want.actual, &format!("{what}: actual"));
    assert_eq!(got.required, want.required, "{what}: required");
    close(got.expected_by_now, want.expected_by_now, &format!("{what}: expected_by_now"));
    close(got.projected, want.projected, &format!("{what}: projected"));
    assert_eq!(got.periods.len(), want.periods.len(), "{what}: periods");
    for (g, w) in got.periods.iter().zip(&want.periods) {
        assert_eq!((g.start, g.end, g.required, g.status), (w.start, w.end, w.required, w.status), "{what}");
        assert_eq!((g.teaching_days, g.full_teaching_days), (w.teaching_days, w.full_teaching_days), "{what}");
        close(g.actual, w.actual, &format!("{what}: period from {}", g.start));
    }
}

async fn engine_matches_the_per_rule_reference(app: TestApp) {
    let summary = generate(
        &app.db,
        &GenOptions { schools: 3, teachers_per_school: 14, seed: 11, work_scale: 0.25, until: Some(day(2027, 1, 15)) },
    )
    .await
    .expect("generated");
    let token = app.root().await;
    let school = summary.school_ids[0];
    adopt_rules(&app, &token, summary.district_id, school).await;
    let semester = semester::Entity::find_by_id(summary.autumn_semester_id).one(&app.db).await.unwrap().unwrap();
    let term = Term::load(&app.db, semester.clone()).await.unwrap();
    let places = [
        Place { district_id: summary.district_id, within: Within::District },
        Place { district_id: summary.district_id, within: Within::School(school) },
    ];
    let mut rules_seen = std::collections::BTreeSet::new();
    let mut kinds_seen = std::collections::BTreeSet::new();
    for as_of in [day(2026, 9, 18), day(2026, 11, 13), day(2027, 1, 22), day(2027, 2, 1)] {
        for place in &places {
            let rules: Vec<CheckRule> = rules_for(&app.db, place, semester.id)
                .await
                .unwrap()
                .into_iter()
                .enumerate()
                .map(|(index, r)| CheckRule {
                    id: Some(r.row.id),
                    index,
                    owner_school_id: r.row.school_id,
                    spec: r.spec,
                })
                .collect();
            let subjects = load_subjects(&app.db, place, &ALL_KINDS, &semester, as_of).await.unwrap();
            let kept = compute(&app.db, &term, place, &rules, subjects.clone(), as_of).await.unwrap();
            let school_ids = match place.within {
                Within::School(id) => Some(vec![id]),
                _ => None,
            };
            let mut want =
                reference::run(&app.db, &term, place.district_id, school_ids, &rules, &subjects, as_of).await.unwrap();
            want.sort_by_key(order);
            assert_eq!(kept.items.len(), want.len(), "as of {as_of}, {place:?}");
            for (i, w) in want.iter().enumerate() {
                assert_same(&kept.item(i), w);
                rules_seen.insert(w.rule.id);
                kinds_seen.insert(kind_rank(w.subject.kind));
            }
        }
    }
    assert_eq!(kinds_seen.len(), 4, "teachers, groups, pairs and schools were all compared");
    // Rules of one family measure different teachers; every template measures someone here but
    // those whose filters no generated subject matches.
    assert!(rules_seen.len() >= 35, "{} rules compared", rules_seen.len());
}

async fn a_district_with_more_than_33000_memberships_gets_its_check(app: TestApp) {
    let summary = generate(
        &app.db,
        &GenOptions {
            schools: 100,
            teachers_per_school: 70,
            seed: 3,
            work_scale: 0.01,
            until: Some(day(2026, 11, 13)),
        },
    )
    .await
    .expect("generated");
    assert!(
        summary.live_memberships_at_start > 33_000,
        "{} live memberships: more than one statement may bind on SQLite",
        summary.live_memberships_at_start
    );
    let token = app.root().await;
    adopt_rules(&app, &token, summary.district_id, summary.school_ids[0]).await;
    let path = format!("/api/v1/quota-checks?semester_id={}&as_of=2026-11-13&limit=500", summary.autumn_semester_id);
    let first = app.get(&token, &path).await.expect(200);
    let total = first.body["total"].as_u64().unwrap();
    assert!(total > 7_000 * 10, "every teacher is measured by many rules: {total}");
    assert_eq!(first.body["items"].as_array().unwrap().len(), 500);
    assert_eq!(first.body["items"][0]["subject"]["type"], "teacher");
    // A further page is read from the kept result and continues the same order.
    let second = app.get(&token, &format!("{path}&offset=500")).await.expect(200);
    assert_eq!(second.body["total"], first.body["total"]);
    assert_eq!(second.body["summary"], first.body["summary"]);
    let last_of_first = &first.body["items"][499]["subject"]["name"];
    let first_of_second = &second.body["items"][0]["subject"]["name"];
    assert!(last_of_first.as_str() <= first_of_second.as_str(), "pages follow the list order");
    // The district's teams are measured too.
    let groups = app.get(&token, &format!("{path}&subject_type=group")).await.expect(200);
    assert!(groups.body["total"].as_u64().unwrap() > 0);
    assert!(groups.body["items"].as_array().unwrap().iter().all(|i| i["subject"]["type"] == "group"));
}

on_both_backends!(engine_matches_the_per_rule_reference, a_district_with_more_than_33000_memberships_gets_its_check);
