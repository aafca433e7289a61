//! Quota rules (docs/API-DESIGN.md, "Quota rules"): the catalogue of rules from the source documents.

use jiaoyan_tests::fixtures::World;
use jiaoyan_tests::{on_both_backends, TestApp};

async fn the_catalogue_lists_every_source_rule_with_its_source(app: TestApp) {
    let w = World::build(&app).await;
    assert_eq!(app.call("GET", "/api/v1/quota-rule-templates", None, None).await.status, 401);
    let list = app.get(&w.tokens.teacher_a, "/api/v1/quota-rule-templates").await.expect(200);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(list.body["total"], items.len());
    assert!(items.len() >= 40);
    let find = |id: &str| items.iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("no template {id}"));
    let monthly = find("observations-monthly-4");
    assert_eq!((monthly["period"].as_str(), monthly["min"].as_f64()), (Some("month"), Some(4.0)));
    assert_eq!(monthly["metric"]["kind"], "observations");
    assert!(monthly["source"].as_str().unwrap().contains("seed 000"));
    // Seed 004's four posts are one family, the most senior post first.
    let family: Vec<(i64, f64)> = items
        .iter()
        .filter(|t| t["family"] == "observations-by-post-004")
        .map(|t| (t["priority"].as_i64().unwrap(), t["min"].as_f64().unwrap()))
        .collect();
    assert_eq!(family, vec![(4, 30.0), (3, 15.0), (2, 15.0), (1, 10.0)]);
    let weekly = find("mentor-observes-mentee-weekly");
    assert_eq!((weekly["subject_type"].as_str(), weekly["period"].as_str()), (Some("mentorship"), Some("week")));
    let online = find("district-team-online-1");
    assert_eq!(online["metric"]["modality"], "online");
    assert_eq!(online["applies_to"]["group_kinds"][0], "district_team");
}

on_both_backends!(the_catalogue_lists_every_source_rule_with_its_source);
