//! The area's pure decisions: a scheme's validation as field errors, its status, who reads whose
//! results, and the export's tables.

use jiaoyan_appraisal::scheme::{check, SchemeSpec};

use super::views::ResultView;
use crate::domain::{DomainError, DomainResult, FieldError};
use crate::quota::reports::table::{Bilingual, Column, Table};

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";

/// 422 naming every invalid field of a scheme (`spec.components[0].weight`, `name` ...).
pub fn validate(name: Option<&str>, spec: Option<&SchemeSpec>) -> DomainResult<()> {
    let mut errors: Vec<FieldError> = Vec::new();
    if let Some(name) = name {
        let n = name.trim().chars().count();
        if n == 0 || n > 200 {
            errors.push(FieldError::new("name", "must be 1 to 200 characters"));
        }
    }
    if let Some(spec) = spec {
        errors.extend(check(spec).into_iter().map(|e| FieldError::new(format!("spec.{}", e.field), e.message)));
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(DomainError::Invalid(errors)),
    }
}

/// 422 unless exactly one of `semester_id` and `school_year` is given, the year well formed.
pub fn check_period(semester_id: Option<i64>, school_year: Option<&str>) -> DomainResult<()> {
    match (semester_id, school_year) {
        (Some(_), Some(_)) => Err(DomainError::invalid("school_year", "give semester_id or school_year, not both")),
        (None, None) => Err(DomainError::invalid("semester_id", "give semester_id or school_year")),
        (None, Some(y)) if y.trim().is_empty() || y.chars().count() > 16 => {
            Err(DomainError::invalid("school_year", "must be 1 to 16 characters (2026-2027)"))
        }
        _ => Ok(()),
    }
}

/// The export: teachers ranked, groups ranked, and every line of every breakdown.
pub fn export_tables(
    teachers: &[ResultView],
    groups: &[ResultView],
    schools: &dyn Fn(Option<i64>) -> String,
) -> Vec<Table> {
    let ranked = |name: &str, title: Bilingual, who: (&str, &str), rows: &[ResultView]| {
        let mut t = Table::new(
            name,
            title,
            vec![
                Column::new("rank", "Rank", "排名"),
                Column::new("name", who.0, who.1),
                Column::new("school", "School", "学校"),
                Column::new("score", "Score", "得分"),
            ],
        );
        t.rows = rows
            .iter()
            .map(|r| vec![i64::from(r.rank).into(), r.name.clone().into(), schools(r.school_id).into(), r.score.into()])
            .collect();
        t
    };
    let mut lines = Table::new(
        "lines",
        Bilingual::new("Breakdown", "得分明细"),
        vec![
            Column::new("subject_type", "Type", "类别"),
            Column::new("name", "Name", "姓名/组名"),
            Column::new("component", "Component", "考核项目"),
            Column::new("item", "Item", "得分来源"),
            Column::new("detail", "Detail", "说明"),
            Column::new("points", "Points", "得分"),
        ],
    );
    for r in teachers.iter().chain(groups) {
        let kind = if r.subject_type == "teacher" { "教师" } else { "教研组" };
        for c in &r.breakdown.components {
            for l in &c.lines {
                lines.rows.push(vec![
                    kind.into(),
                    r.name.clone().into(),
                    c.name.clone().into(),
                    l.label.clone().into(),
                    l.detail.clone().into(),
                    l.points.into(),
                ]);
            }
        }
    }
    vec![
        ranked("teachers", Bilingual::new("Teachers", "教师考核排名"), ("Teacher", "教师"), teachers),
        ranked("groups", Bilingual::new("Groups", "教研组考核排名"), ("Group", "教研组"), groups),
        lines,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_semester_or_a_year() {
        assert!(check_period(Some(1), None).is_ok());
        assert!(check_period(None, Some("2026-2027")).is_ok());
        for (s, y) in [(Some(1), Some("2026-2027")), (None, None), (None, Some(" "))] {
            assert!(matches!(check_period(s, y), Err(DomainError::Invalid(_))));
        }
    }

    #[test]
    fn spec_errors_are_named_under_spec() {
        let spec: SchemeSpec = serde_json::from_value(serde_json::json!({"components": []})).unwrap();
        let Err(DomainError::Invalid(errors)) = validate(Some(""), Some(&spec)) else { panic!("invalid") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "spec.components"]);
    }
}
