//! The demo's appraisal schemes (量化考核, seed 000): the flagship school's autumn scheme, drafted
//! with every kind of component so a newcomer can simulate and publish it
//! (`POST /appraisal-schemes/{id}/simulate`, `.../publish`), and the district's school-year
//! scheme for comparing schools, a draft too. Published versions are not seeded: publishing runs
//! the quota checks through the service's check cache, which the seed (one transaction, before
//! the service starts) does not have.

use entities::appraisal_scheme;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::json;

use super::created::DemoDistrict;

/// The flagship school's scoring: rules, awards and papers, attendance, mentorship; its groups
/// by their members and their own rules.
fn school_spec() -> serde_json::Value {
    json!({"components": [
        {"name": "教研常规", "weight": 1.0, "cap": 40.0,
         "scoring": {"kind": "quota_rules", "mode": "per_rule_met", "points": 8.0, "severity": "required"}},
        {"name": "力争目标", "weight": 1.0, "cap": 10.0,
         "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 10.0, "severity": "target"}},
        {"name": "获奖与论文", "weight": 1.0, "cap": 30.0, "scoring": {"kind": "awards", "table": {
            "national": {"first": 30.0, "second": 25.0, "third": 20.0},
            "province": {"first": 20.0, "second": 15.0, "third": 12.0},
            "city": {"first": 12.0, "second": 10.0, "third": 8.0},
            "county": {"first": 8.0, "second": 6.0, "third": 4.0},
            "school": {"first": 4.0, "second": 3.0, "third": 2.0}}}},
        {"name": "参与教研活动率", "weight": 1.0, "cap": null, "scoring": {"kind": "attendance_rate", "points": 15.0}},
        {"name": "师徒结对", "weight": 1.0, "cap": 5.0,
         "scoring": {"kind": "mentorship", "per_pair_met": 3.0, "assessment": {"excellent": 2.0, "good": 1.0}}}
    ],
    "group": {"member_weight": 1.0, "components": [
        {"name": "教研组常规", "weight": 1.0, "cap": null, "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 10.0}}
    ]}})
}

/// Writes the two schemes; returns how many.
pub async fn write(db: &impl ConnectionTrait, district: &DemoDistrict, school_year: &str) -> Result<usize, DbErr> {
    let at = crate::resource::now();
    let row = |school_id: Option<i64>, semester_id: Option<i64>, year: Option<String>, name: &str, spec| {
        appraisal_scheme::ActiveModel {
            district_id: Set(district.district_id),
            school_id: Set(school_id),
            semester_id: Set(semester_id),
            school_year: Set(year),
            name: Set(name.into()),
            status: Set("draft".into()),
            spec: Set(spec),
            published_version: Set(0),
            created_at: Set(at),
            updated_at: Set(at),
            archived_at: Set(None),
            ..Default::default()
        }
    };
    let flagship = district.flagship().id;
    row(Some(flagship), Some(district.autumn_semester_id), None, "2026年秋季学期教师量化考核", school_spec())
        .insert(db)
        .await?;
    let district_spec = json!({"components": [
        {"name": "教研常规", "weight": 1.0, "cap": null, "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 60.0}},
        {"name": "获奖与论文", "weight": 1.0, "cap": 40.0, "scoring": {"kind": "awards", "table": {
            "province": {"first": 20.0, "second": 15.0, "third": 12.0}, "city": {"first": 12.0, "second": 10.0, "third": 8.0},
            "county": {"first": 8.0, "second": 6.0, "third": 4.0}}}}]});
    row(None, None, Some(school_year.to_string()), "罗田县学年度教研先进评比", district_spec).insert(db).await?;
    Ok(2)
}
