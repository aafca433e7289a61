//! The records a district system pushes (`PUT /sync/{resource}`), and that the CSV import builds
//! from its files. One struct per resource, keyed by the source system's `sourced_id`; every
//! reference is a `sourced_id` too, so the source system never needs our ids.
//!
//! A record is the row's **whole state** in the source system: an optional field that is absent
//! is cleared, a list that is absent is emptied. That is what makes re-sending a batch a no-op
//! and lets the sync tell `unchanged` from `updated`. A record with `"status": "tobedeleted"`
//! archives the row and needs nothing but its `sourced_id`.

use chrono::NaiveDate;
use entities::enums::{
    Degree, EmploymentType, Gender, GradeBand, GroupKind, MemberRole, Post, ProfessionalTitle, SchoolTier,
    TeacherStatus,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org::calendar::Holiday;
use crate::people::teachers::views::Honour;

/// The most records one batch may carry.
pub const MAX_BATCH_RECORDS: usize = 10_000;

/// A record's status in the source system (OneRoster's `status`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordStatus {
    /// Create or update the row (the default).
    #[default]
    Active,
    /// Archive the row (a no-op when it is archived already or was never synced).
    Tobedeleted,
}

/// What every record has: its id in the source system, and whether it lives or goes. The wire
/// types keep the id as text so that a bad one is reported with the record's other errors (one
/// 422 naming every bad field); [`Sync::sourced`](super::batch::Sync::sourced) parses it into a
/// [`SourcedId`](crate::domain::ids::SourcedId), and the passes see only records that hold one.
pub trait Record {
    fn sourced_id(&self) -> &str;
    fn status(&self) -> RecordStatus;
}

macro_rules! records {
    ($($record:ty),*) => {$(
        impl Record for $record {
            fn sourced_id(&self) -> &str {
                &self.sourced_id
            }
            fn status(&self) -> RecordStatus {
                self.status
            }
        }
    )*};
}

records!(SyncSemester, SyncZone, SyncSchool, SyncTeacher, SyncGroup, SyncMembership);

/// A batch of records of one resource.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Batch<T> {
    /// 1 to 10,000 records; each `sourced_id` at most once.
    #[schema(min_items = 1, max_items = 10000)]
    pub records: Vec<T>,
}

/// A semester (学期) of the district.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sourced_id": "term-2026-autumn", "name": "2026年秋季学期", "school_year": "2026-2027",
    "start_date": "2026-09-01", "end_date": "2027-01-22", "holidays": [{"start": "2026-10-01", "end": "2026-10-07", "name": "国庆节"}]}))]
pub struct SyncSemester {
    #[schema(min_length = 1, max_length = 64)]
    pub sourced_id: String,
    #[serde(default)]
    pub status: RecordStatus,
    /// Required unless `tobedeleted`.
    pub name: Option<String>,
    /// `YYYY-YYYY`; required unless `tobedeleted`.
    pub school_year: Option<String>,
    /// Required unless `tobedeleted`.
    pub start_date: Option<NaiveDate>,
    /// Required unless `tobedeleted`.
    pub end_date: Option<NaiveDate>,
    /// At most 50.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub holidays: Vec<Holiday>,
}

/// A zone (片区) of the district.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sourced_id": "zone-east", "name": "东片"}))]
pub struct SyncZone {
    #[schema(min_length = 1, max_length = 64)]
    pub sourced_id: String,
    #[serde(default)]
    pub status: RecordStatus,
    /// Required unless `tobedeleted`.
    pub name: Option<String>,
    /// The lead school (牵头学校), a school already synced.
    pub lead_school_sourced_id: Option<String>,
}

/// A school of the district.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sourced_id": "sch-0421", "name": "大河岸中心小学", "tier": "township_central",
    "zone_sourced_id": "zone-east", "code": "4211230421"}))]
pub struct SyncSchool {
    #[schema(min_length = 1, max_length = 64)]
    pub sourced_id: String,
    #[serde(default)]
    pub status: RecordStatus,
    /// Required unless `tobedeleted`.
    pub name: Option<String>,
    /// Required unless `tobedeleted`.
    pub tier: Option<SchoolTier>,
    pub zone_sourced_id: Option<String>,
    pub code: Option<String>,
    pub address: Option<String>,
}

/// A teacher; `sourced_id` is the teacher's `external_id`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sourced_id": "T-0012", "school_sourced_id": "sch-0421", "name": "王芳", "gender": "female",
    "birth_date": "1990-05-01", "teaching_start_year": 2012, "degree": "bachelor", "employment_type": "permanent",
    "professional_title": "first", "subjects": ["语文"], "grades": [3, 4], "posts": ["research_group_leader"],
    "honours": [{"title": "backbone_teacher", "level": "county", "year": 2022}]}))]
pub struct SyncTeacher {
    #[schema(min_length = 1, max_length = 64)]
    pub sourced_id: String,
    #[serde(default)]
    pub status: RecordStatus,
    /// Required unless `tobedeleted`.
    pub school_sourced_id: Option<String>,
    /// Required unless `tobedeleted`.
    pub name: Option<String>,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub teaching_start_year: Option<i32>,
    pub degree: Option<Degree>,
    /// Default `permanent`.
    pub employment_type: Option<EmploymentType>,
    pub professional_title: Option<ProfessionalTitle>,
    /// The teacher's own status (在岗, on leave ...); default `active`.
    pub teacher_status: Option<TeacherStatus>,
    /// At most 20, as for `POST /teachers`.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub subjects: Vec<String>,
    /// At most 6.
    #[serde(default)]
    #[schema(max_items = 6)]
    pub grades: Vec<i32>,
    /// At most 6.
    #[serde(default)]
    #[schema(max_items = 6)]
    pub posts: Vec<Post>,
    /// At most 50.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub honours: Vec<Honour>,
}

/// A group: of a school, or (no school) a district team (中心组).
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sourced_id": "grp-0421-yw", "school_sourced_id": "sch-0421", "kind": "research",
    "name": "语文教研组", "subject": "语文", "leader_sourced_id": "T-0012"}))]
pub struct SyncGroup {
    #[schema(min_length = 1, max_length = 64)]
    pub sourced_id: String,
    #[serde(default)]
    pub status: RecordStatus,
    /// Required unless `tobedeleted`.
    pub kind: Option<GroupKind>,
    /// The school; absent for a district team.
    pub school_sourced_id: Option<String>,
    /// Required unless `tobedeleted`.
    pub name: Option<String>,
    pub subject: Option<String>,
    pub grade_band: Option<GradeBand>,
    /// The parent group (synced before, or earlier in the same batch).
    pub parent_sourced_id: Option<String>,
    /// The leader, a teacher's `sourced_id`.
    pub leader_sourced_id: Option<String>,
    pub description: Option<String>,
}

/// A teacher's membership of a group.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sourced_id": "m-0421-yw-T0012", "group_sourced_id": "grp-0421-yw", "teacher_sourced_id": "T-0012",
    "role": "leader", "since": "2026-09-01"}))]
pub struct SyncMembership {
    #[schema(min_length = 1, max_length = 64)]
    pub sourced_id: String,
    #[serde(default)]
    pub status: RecordStatus,
    /// Required unless `tobedeleted`.
    pub group_sourced_id: Option<String>,
    /// Required unless `tobedeleted`.
    pub teacher_sourced_id: Option<String>,
    /// Default `member`.
    pub role: Option<MemberRole>,
    /// Default the day the membership is first synced.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Everything one import carries, applied in this order (what later records reference comes
/// first) in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterBatch {
    pub semesters: Vec<SyncSemester>,
    pub zones: Vec<SyncZone>,
    pub schools: Vec<SyncSchool>,
    pub teachers: Vec<SyncTeacher>,
    pub groups: Vec<SyncGroup>,
    pub memberships: Vec<SyncMembership>,
}

impl RosterBatch {
    /// How many records of each resource the batch carries (those it carries any of).
    pub fn sizes(&self) -> Vec<(&'static str, usize)> {
        let all = [
            ("semesters", self.semesters.len()),
            ("zones", self.zones.len()),
            ("schools", self.schools.len()),
            ("teachers", self.teachers.len()),
            ("groups", self.groups.len()),
            ("memberships", self.memberships.len()),
        ];
        all.into_iter().filter(|(_, n)| *n > 0).collect()
    }
}
