//! The rule catalogue: every rule of docs/DOMAIN.md's table, as a ready template with the words
//! it comes from. The sources disagree with each other (15 or 20 observations a semester ...),
//! which is why they are templates to pick from, never defaults.
//!
//! The catalogue is data: one JSON file per category beside this module, each entry a rule in
//! its wire form (`RuleSpec`, defaults left out) with a stable `id`, and its `source` quoting
//! the seed it comes from (where a seed gives a family of alternatives, such as seed 004's
//! minimum by post, the entries share a `family` and the most specific has the highest
//! `priority`). The files are parsed once, on first use.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::rules::RuleSpec;

/// A catalogue rule: a stable id to create a rule from, and the rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Template {
    /// Stable identifier, e.g. `observations-monthly-4`.
    pub id: &'static str,
    #[serde(flatten)]
    pub spec: RuleSpec,
}

/// The catalogue's files, in the catalogue's order.
const CATEGORIES: [(&str, &str); 7] = [
    ("observations", include_str!("templates/observations.json")),
    ("writing", include_str!("templates/writing.json")),
    ("lessons", include_str!("templates/lessons.json")),
    ("research", include_str!("templates/research.json")),
    ("groups", include_str!("templates/groups.json")),
    ("mentorships", include_str!("templates/mentorships.json")),
    ("attendance-and-lesson-plans", include_str!("templates/attendance-and-lesson-plans.json")),
];

/// An entry of a catalogue file: the id, and the rest read as a `RuleSpec` (which refuses
/// unknown fields, so a misspelt one fails the parse).
#[derive(Deserialize)]
struct Entry<'a> {
    id: &'a str,
    #[serde(flatten)]
    rule: serde_json::Map<String, serde_json::Value>,
}

fn parse(category: &str, json: &'static str) -> Result<Vec<Template>, String> {
    let entries: Vec<Entry<'static>> = serde_json::from_str(json).map_err(|e| format!("{category}.json: {e}"))?;
    entries
        .into_iter()
        .map(|Entry { id, rule }| {
            let spec = serde_json::from_value(rule.into()).map_err(|e| format!("{category}.json, {id}: {e}"))?;
            Ok(Template { id, spec })
        })
        .collect()
}

static CATALOGUE: LazyLock<Vec<Template>> = LazyLock::new(|| {
    let parsed: Result<Vec<Vec<Template>>, String> = CATEGORIES.iter().map(|(c, json)| parse(c, json)).collect();
    // The files are compiled in and parsed by the tests below: a failure here is a build error.
    parsed.unwrap_or_else(|e| panic!("the template catalogue does not parse: {e}")).concat()
});

/// Every template, in the order of the catalogue.
pub fn templates() -> Vec<Template> {
    CATALOGUE.clone()
}

/// The template with this id.
pub fn template(id: &str) -> Option<Template> {
    CATALOGUE.iter().find(|t| t.id == id).cloned()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::rules::{check, select, Profile};
    use crate::vocab::Post;

    #[test]
    fn every_catalogue_file_parses() {
        for (category, json) in CATEGORIES {
            let parsed = parse(category, json).unwrap_or_else(|e| panic!("{e}"));
            assert!(!parsed.is_empty(), "{category}");
        }
        assert!(parse(
            "x",
            r#"[{"id": "x", "name": "x", "subject_type": "teacher", "metric": {"kind": "attendance_rate"},
            "period": "month", "min": 1, "severity": "required", "sorce": "misspelt"}]"#
        )
        .is_err_and(|e| e.contains("sorce")));
    }

    #[test]
    fn every_template_is_a_valid_rule_with_a_unique_id_and_a_source() {
        let all = templates();
        let ids: BTreeSet<&str> = all.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for t in &all {
            assert!(check(&t.spec).is_empty(), "{}: {:?}", t.id, check(&t.spec));
            assert!(t.spec.source.as_deref().is_some_and(|s| s.contains("seed") || s.contains("DOMAIN")), "{}", t.id);
        }
        // Every row of the catalogue in DOMAIN.md (26 rows; some rows are several rules).
        assert!(all.len() >= 40, "{}", all.len());
    }

    #[test]
    fn seed_004s_family_picks_by_post() {
        let family: Vec<Template> =
            templates().into_iter().filter(|t| t.spec.family.as_deref() == Some("observations-by-post-004")).collect();
        assert_eq!(family.len(), 4);
        let on = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let pick = |posts: Vec<Post>| {
            let p = Profile { posts, ..Default::default() };
            select(&family, |t| &t.spec, &p, on).into_iter().map(|t| t.spec.min).collect::<Vec<_>>()
        };
        assert_eq!(pick(vec![Post::SupervisingLeader]), vec![30.0]);
        assert_eq!(pick(vec![Post::MiddleManager]), vec![15.0]);
        assert_eq!(pick(vec![Post::ResearchGroupLeader]), vec![15.0]);
        assert_eq!(pick(vec![]), vec![10.0]);
    }

    #[test]
    fn the_teaching_years_bands_of_seed_002_do_not_overlap() {
        let family: Vec<Template> =
            templates().into_iter().filter(|t| t.spec.family.as_deref() == Some("full-lesson-plans-002")).collect();
        let on = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        for (start, share) in [(2025, 1.0), (2022, 1.0), (2021, 0.6), (2016, 0.6), (2015, 0.5), (1995, 0.5)] {
            let p = Profile { teaching_start_year: Some(start), ..Default::default() };
            let chosen: Vec<f64> = family
                .iter()
                .filter(|t| crate::rules::applies(&t.spec.applies_to, &p, on))
                .map(|t| t.spec.min)
                .collect();
            assert_eq!(chosen, vec![share], "teaching since {start}");
        }
    }

    #[test]
    fn a_template_is_found_by_id() {
        assert_eq!(template("observations-monthly-4").unwrap().spec.min, 4.0);
        assert!(template("no-such-template").is_none());
    }
}
