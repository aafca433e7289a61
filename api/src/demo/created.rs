//! What the demo created, with the ids the half semester of work (module `work`) builds on.

use entities::enums::{GroupKind, SchoolTier};

use super::people::TeacherSpec;

/// Every object the demo wrote, in the order of the fixed lists.
#[derive(Debug, Clone)]
pub struct DemoDistrict {
    pub district_id: i64,
    /// In [`ZONES`](super::organisation::ZONES) order.
    pub zone_ids: Vec<i64>,
    /// 2026年秋季学期: the semester of the research topics.
    pub autumn_semester_id: i64,
    /// 2027年春季学期.
    pub spring_semester_id: i64,
    /// In [`SCHOOLS`](super::organisation::SCHOOLS) order.
    pub schools: Vec<DemoSchool>,
    /// Index of 大河岸中心小学 in `schools`.
    pub flagship: usize,
    /// 罗田县小学语文中心组.
    pub district_team: DemoGroup,
    pub pairing_ids: Vec<i64>,
}

/// A school with its teachers and groups.
#[derive(Debug, Clone)]
pub struct DemoSchool {
    pub id: i64,
    pub name: &'static str,
    pub tier: SchoolTier,
    pub zone_id: Option<i64>,
    pub teachers: Vec<DemoTeacher>,
    pub groups: Vec<DemoGroup>,
}

/// A teacher: the stored id and everything the demo knows about them.
#[derive(Debug, Clone)]
pub struct DemoTeacher {
    pub id: i64,
    pub spec: TeacherSpec,
}

/// A group and its members.
#[derive(Debug, Clone)]
pub struct DemoGroup {
    pub id: i64,
    pub name: String,
    pub kind: GroupKind,
    pub subject: Option<&'static str>,
    pub parent_id: Option<i64>,
    pub leader_teacher_id: i64,
    /// Teacher ids, leader included.
    pub member_ids: Vec<i64>,
    pub slot_id: Option<i64>,
    pub topic_id: Option<i64>,
}

impl DemoDistrict {
    /// 大河岸中心小学.
    pub fn flagship(&self) -> &DemoSchool {
        &self.schools[self.flagship]
    }

    pub fn school(&self, name: &str) -> Option<&DemoSchool> {
        self.schools.iter().find(|s| s.name == name)
    }

    pub fn teacher_count(&self) -> usize {
        self.schools.iter().map(|s| s.teachers.len()).sum()
    }

    pub fn group_count(&self) -> usize {
        self.schools.iter().map(|s| s.groups.len()).sum::<usize>() + 1
    }
}

impl DemoSchool {
    pub fn group(&self, name: &str) -> Option<&DemoGroup> {
        self.groups.iter().find(|g| g.name == name)
    }

    pub fn teacher(&self, id: i64) -> Option<&DemoTeacher> {
        self.teachers.iter().find(|t| t.id == id)
    }
}
