//! Validation of a rubric's dimensions and who may manage a rubric: plain functions, no HTTP.

use std::collections::HashSet;

use crate::validate::Checks;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_DIMENSION_DESCRIPTION_CHARS: usize = 500;
pub const MAX_DIMENSIONS: usize = 30;
pub const MAX_POINTS: i32 = 100;

/// A dimension as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionInput {
    pub name: String,
    pub max_points: i32,
    pub description: Option<String>,
}

/// Checks the dimensions (1–30, names 1–100 characters and unique within the rubric, max points
/// 1–100) and returns them trimmed, in the order given (which becomes their `position`).
pub fn check_dimensions(checks: &mut Checks, dimensions: &[DimensionInput]) -> Vec<DimensionInput> {
    if dimensions.is_empty() || dimensions.len() > MAX_DIMENSIONS {
        checks.fail("dimensions", format!("must have 1 to {MAX_DIMENSIONS} dimensions"));
    }
    let mut seen = HashSet::new();
    dimensions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let name = checks.text(&format!("dimensions[{i}].name"), &d.name, MAX_NAME_CHARS);
            if !name.is_empty() && !seen.insert(name.clone()) {
                checks.fail(format!("dimensions[{i}].name"), "another dimension of the rubric has this name");
            }
            checks.ensure(
                (1..=MAX_POINTS).contains(&d.max_points),
                format!("dimensions[{i}].max_points"),
                format!("must be between 1 and {MAX_POINTS}"),
            );
            let description = checks.optional_text(
                &format!("dimensions[{i}].description"),
                d.description.as_deref(),
                MAX_DIMENSION_DESCRIPTION_CHARS,
            );
            DimensionInput { name, max_points: d.max_points, description }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(name: &str, max_points: i32) -> DimensionInput {
        DimensionInput { name: name.into(), max_points, description: None }
    }

    fn fields(checks: Checks) -> Vec<String> {
        match checks.finish() {
            Ok(()) => vec![],
            Err(e) => e.problem().errors.unwrap().into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn the_seed_rubric_is_valid_and_trimmed() {
        // 教学目标 10, 教学内容 20, 教学方法 20, 教学过程 30, 教学效果 20: a seed-style 量表 of 100.
        let mut checks = Checks::new();
        let dims =
            [dim(" 教学目标 ", 10), dim("教学内容", 20), dim("教学方法", 20), dim("教学过程", 30), dim("教学效果", 20)];
        let out = check_dimensions(&mut checks, &dims);
        assert!(checks.is_empty());
        assert_eq!(out[0].name, "教学目标");
        assert_eq!(out.iter().map(|d| d.max_points).sum::<i32>(), 100);
    }

    #[test]
    fn bad_dimensions_are_named() {
        let mut checks = Checks::new();
        check_dimensions(&mut checks, &[dim("教学目标", 10), dim("教学目标", 0), dim(" ", 101)]);
        assert_eq!(
            fields(checks),
            vec!["dimensions[1].name", "dimensions[1].max_points", "dimensions[2].name", "dimensions[2].max_points"]
        );
        let mut checks = Checks::new();
        check_dimensions(&mut checks, &[]);
        assert_eq!(fields(checks), vec!["dimensions"]);
        let mut checks = Checks::new();
        let many: Vec<_> = (0..31).map(|i| dim(&format!("维度{i}"), 1)).collect();
        check_dimensions(&mut checks, &many);
        assert_eq!(fields(checks), vec!["dimensions"]);
    }
}
