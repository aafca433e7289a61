//! The structural rules of the group tree, as plain functions.

use std::collections::HashMap;

use entities::enums::GroupKind;

/// Why a group cannot be the parent of another, if it cannot.
pub fn parent_problem(child_kind: GroupKind, parent_kind: GroupKind) -> Option<&'static str> {
    match (child_kind, parent_kind) {
        (GroupKind::LessonPrep, GroupKind::Research) => None,
        (GroupKind::LessonPrep, _) => Some("a lesson-prep group's parent must be a research group"),
        (GroupKind::DistrictTeam, GroupKind::DistrictTeam) => None,
        (GroupKind::DistrictTeam, _) => Some("a district team's parent must be a district team"),
        (_, GroupKind::DistrictTeam) => Some("a school group's parent must be a group of the same school"),
        _ => None,
    }
}

/// Whether making `parent` the parent of `id` closes a loop, given each group's current parent.
/// A chain longer than the map (a loop elsewhere) also counts as one.
pub fn would_cycle(id: i64, parent: i64, parents: &HashMap<i64, Option<i64>>) -> bool {
    let mut at = Some(parent);
    let mut steps = 0;
    while let Some(current) = at {
        if current == id || steps > parents.len() {
            return true;
        }
        at = parents.get(&current).copied().flatten();
        steps += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_prep_groups_sit_under_research_groups() {
        assert_eq!(parent_problem(GroupKind::LessonPrep, GroupKind::Research), None);
        assert!(parent_problem(GroupKind::LessonPrep, GroupKind::Grade).is_some());
        assert!(parent_problem(GroupKind::LessonPrep, GroupKind::LessonPrep).is_some());
        assert_eq!(parent_problem(GroupKind::Project, GroupKind::Research), None);
        assert!(parent_problem(GroupKind::Research, GroupKind::DistrictTeam).is_some());
        assert!(parent_problem(GroupKind::DistrictTeam, GroupKind::Research).is_some());
    }

    #[test]
    fn cycles_are_found_through_any_depth() {
        // 1 ← 2 ← 3 (3's parent is 2, 2's parent is 1).
        let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2)), (4, None)]);
        assert!(would_cycle(1, 3, &parents));
        assert!(would_cycle(2, 2, &parents));
        assert!(!would_cycle(4, 3, &parents));
        assert!(!would_cycle(3, 1, &parents));
        let looped = HashMap::from([(5, Some(6)), (6, Some(5))]);
        assert!(would_cycle(7, 5, &looped));
    }
}
