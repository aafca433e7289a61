//! The demo's appraisal schemes (量化考核, seed 000): the flagship school's autumn scheme, drafted
//! with every kind of component so a newcomer can simulate and publish it
//! (`POST /appraisal-schemes/{id}/simulate`, `.../publish`), and the district's school-year
//! scheme for comparing schools, a draft too. After the seed commits, [`publish_flagship`]
//! publishes the flagship's scheme as of the demo's as-of day, so a newcomer also finds a published,
//! frozen version (publishing reads the committed work through the quota checks).

use chrono::NaiveDate;
use entities::appraisal_scheme;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use serde_json::json;

use super::created::DemoDistrict;
use crate::appraisals::publish::publish;
use crate::auth::throttle::LoginGuard;
use crate::auth::tokens::JwtKeys;
use crate::config::Settings;
use crate::domain::DomainError;
use crate::quota::checks::cache::CheckCache;
use crate::state::{AppState, Services};

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
         "scoring": {"kind": "mentorship", "per_pair_met": 3.0, "assessment": {"excellent": 2.0, "good": 1.0}}},
        {"name": "常规检查", "weight": 1.0, "cap": 10.0, "scoring": {"kind": "inspection_grades",
            "grades": {"excellent": 3.0, "good": 2.0, "pass": 1.0}, "per_point": 0.1}},
        {"name": "集体备课", "weight": 1.0, "cap": null, "scoring": {"kind": "prep_completion", "points": 5.0}}
    ],
    "group": {"member_weight": 1.0, "components": [
        {"name": "教研组常规", "weight": 1.0, "cap": null, "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 10.0}},
        {"name": "备课组集体备课", "weight": 1.0, "cap": null, "scoring": {"kind": "prep_completion", "points": 10.0}}
    ]}})
}

/// Writes the two schemes; returns the flagship school's.
pub async fn write(db: &impl ConnectionTrait, district: &DemoDistrict, school_year: &str) -> Result<i64, DbErr> {
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
    let school =
        row(Some(flagship), Some(district.autumn_semester_id), None, "2026年秋季学期教师量化考核", school_spec())
            .insert(db)
            .await?;
    let district_spec = json!({"components": [
        {"name": "教研常规", "weight": 1.0, "cap": null, "scoring": {"kind": "quota_rules", "mode": "share_met", "points": 60.0}},
        {"name": "获奖与论文", "weight": 1.0, "cap": 40.0, "scoring": {"kind": "awards", "table": {
            "province": {"first": 20.0, "second": 15.0, "third": 12.0}, "city": {"first": 12.0, "second": 10.0, "third": 8.0},
            "county": {"first": 8.0, "second": 6.0, "third": 4.0}}}}]});
    row(None, None, Some(school_year.to_string()), "罗田县学年度教研先进评比", district_spec).insert(db).await?;
    Ok(school.id)
}

/// Publishes the flagship's scheme (version 1) as of the demo's as-of day, as its administrator
/// would; nothing when the semester has not begun by then. The quota checks it reads run
/// through a check cache of their own, as in a running service.
pub async fn publish_flagship(db: &DatabaseConnection, scheme_id: i64, as_of: NaiveDate) -> anyhow::Result<bool> {
    let settings = Settings::for_database("demo");
    let state = AppState {
        db: db.clone(),
        read_db: db.clone(),
        keys: JwtKeys::new(b"demo seed: no token is signed"),
        logins: LoginGuard::new(&settings.logins),
        services: Services::default().with(CheckCache::new(settings.check_cache_mb)),
        settings,
    };
    let scheme = appraisal_scheme::Entity::find_by_id(scheme_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo scheme {scheme_id} is gone"))?;
    match publish(&state, scheme, None, as_of).await {
        Ok(_) => Ok(true),
        Err(DomainError::Conflict { .. }) => Ok(false),
        Err(other) => Err(anyhow::anyhow!("publishing the demo appraisal: {other}")),
    }
}
