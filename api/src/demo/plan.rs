//! The whole demo district as plain data, before anything is written: deterministic (fixed
//! lists and fixed seeds), and checked against the rules the API enforces.

use entities::enums::{EmploymentType, HonourTitle, MemberRole};

use super::flagship;
use super::groups::{district_team, school_groups, yuwen_leader, GroupSpec, TeamSpec};
use super::organisation::{school_index, SchoolSpec, COUNTY_SCHOOL, FLAGSHIP, SCHOOLS, SUPPORTED_SCHOOL};
use super::people::{school_staff, Names, TeacherSpec};
use super::rng::Rng;

const NAME_SEED: u64 = 0x4C55_4F54_4941_4E31; // "LUOTIAN1"
const STAFF_SEED: u64 = 2026;

/// One school: its teachers and its groups.
#[derive(Debug, Clone)]
pub struct SchoolPlan {
    pub spec: &'static SchoolSpec,
    pub staff: Vec<TeacherSpec>,
    pub groups: Vec<GroupSpec>,
}

/// The district: schools in [`SCHOOLS`] order, and the district team.
#[derive(Debug, Clone)]
pub struct DistrictPlan {
    pub schools: Vec<SchoolPlan>,
    pub team: TeamSpec,
}

pub fn plan() -> DistrictPlan {
    let mut names = Names::new(NAME_SEED);
    let mut rng = Rng::new(STAFF_SEED);
    let schools: Vec<SchoolPlan> = SCHOOLS
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            if i == FLAGSHIP {
                let staff = flagship::staff(&mut names);
                let groups = flagship::groups(&staff);
                return SchoolPlan { spec, staff, groups };
            }
            let mut staff = school_staff(&mut rng, &mut names, spec.teachers, spec.tier);
            if spec.name == SUPPORTED_SCHOOL {
                // The county school's support teacher (支教) of the 城乡结对 pairing: the youngest.
                if let Some(t) = staff.iter_mut().max_by_key(|t| t.birth_date) {
                    t.employment = EmploymentType::Support;
                }
            }
            let groups = school_groups(&mut rng, &mut staff);
            SchoolPlan { spec, staff, groups }
        })
        .collect();
    let flagship = &schools[FLAGSHIP];
    let backbone = flagship
        .staff
        .iter()
        .position(|t| t.honours.iter().any(|h| h.title == HonourTitle::BackboneTeacher))
        .expect("the flagship has a backbone teacher");
    let mut members = vec![
        ((COUNTY_SCHOOL, yuwen_leader(&schools[COUNTY_SCHOOL].groups)), MemberRole::Leader),
        ((FLAGSHIP, yuwen_leader(&flagship.groups)), MemberRole::DeputyLeader),
        ((FLAGSHIP, backbone), MemberRole::Member),
    ];
    for name in ["三里畈小学", "骆驼坳小学", "九资河镇中心小学", "匡河镇中心小学", "胜利镇中心小学"]
    {
        let s = school_index(name);
        members.push(((s, yuwen_leader(&schools[s].groups)), MemberRole::Member));
    }
    DistrictPlan { team: district_team(members), schools }
}

impl DistrictPlan {
    pub fn teacher_count(&self) -> usize {
        self.schools.iter().map(|s| s.staff.len()).sum()
    }

    pub fn group_count(&self) -> usize {
        self.schools.iter().map(|s| s.groups.len()).sum::<usize>() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::enums::{GroupKind, Post};
    use std::collections::HashSet;

    fn assert_led_by_a_member(name: &str, leader: usize, members: &[(usize, MemberRole)]) {
        let leaders: Vec<usize> = members.iter().filter(|m| m.1 == MemberRole::Leader).map(|m| m.0).collect();
        assert_eq!(leaders, vec![leader], "{name}: one leader, who is a member");
        let distinct: HashSet<usize> = members.iter().map(|m| m.0).collect();
        assert_eq!(distinct.len(), members.len(), "{name}: members are distinct");
    }

    #[test]
    fn two_plans_are_identical() {
        let (a, b) = (plan(), plan());
        let names = |p: &DistrictPlan| -> Vec<String> {
            p.schools.iter().flat_map(|s| s.staff.iter().map(|t| format!("{}{:?}", t.name, t.birth_date))).collect()
        };
        assert_eq!(names(&a), names(&b));
        assert_eq!(a.team.members, b.team.members);
    }

    #[test]
    fn respects_the_rules_of_the_api() {
        let plan = plan();
        let mut all_names = HashSet::new();
        for school in &plan.schools {
            assert!((8..=15).contains(&school.staff.len()) || school.spec.name == "大河岸中心小学");
            for t in &school.staff {
                assert!(all_names.insert(t.name.clone()), "{} is unique in the district", t.name);
            }
            let group_names: HashSet<&str> = school.groups.iter().map(|g| g.name.as_str()).collect();
            assert_eq!(group_names.len(), school.groups.len(), "{}: group names are unique", school.spec.name);
            assert!(!school.groups.is_empty());
            for g in &school.groups {
                assert!(g.leader < school.staff.len());
                assert_led_by_a_member(&g.name, g.leader, &g.members);
                match g.kind {
                    GroupKind::LessonPrep => {
                        let parent = &school.groups[g.parent.expect("a lesson-prep group has a parent")];
                        assert_eq!(parent.kind, GroupKind::Research, "{}", g.name);
                        assert_eq!(parent.subject, g.subject, "{}", g.name);
                    }
                    _ => assert_eq!(g.parent, None),
                }
                let post =
                    if g.kind == GroupKind::Research { Post::ResearchGroupLeader } else { Post::PrepGroupLeader };
                assert!(school.staff[g.leader].has_post(post), "{}", g.name);
            }
            assert_eq!(school.staff.iter().filter(|t| t.has_post(Post::Principal)).count(), 1);
        }
        assert!(plan.teacher_count() > 180);
    }

    #[test]
    fn the_district_team_gathers_eight_teachers_from_several_schools() {
        let plan = plan();
        let team = &plan.team;
        assert_eq!(team.members.len(), 8);
        let schools: HashSet<usize> = team.members.iter().map(|m| m.0 .0).collect();
        assert!(schools.len() >= 6);
        let distinct: HashSet<_> = team.members.iter().map(|m| m.0).collect();
        assert_eq!(distinct.len(), 8);
        assert_eq!(team.members.iter().filter(|m| m.1 == MemberRole::Leader).count(), 1);
        for ((s, t), _) in &team.members {
            assert!(*t < plan.schools[*s].staff.len());
        }
    }

    #[test]
    fn the_supported_village_school_has_its_support_teacher() {
        let plan = plan();
        let school = &plan.schools[school_index(SUPPORTED_SCHOOL)];
        assert_eq!(school.staff.iter().filter(|t| t.employment == EmploymentType::Support).count(), 1);
    }
}
