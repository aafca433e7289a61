//! The quota rules the demo district and its flagship school adopted, all from the catalogue, so
//! that `GET /quota-checks` and the reports have something to say as of the demo's day.
//! - the flagship (大河岸中心小学, seed 004's school): its four-post observation family, a
//!   reflection every month, six same-subject 常态课 observations and the research groups' eight
//!   open-lesson reviews;
//! - the district: the 98% attendance rate, both mentorship duties, and the district teams' one
//!   online and three on-site sessions.

use entities::quota_rule;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use super::created::DemoDistrict;
use crate::quota::store::views::write_spec;
use crate::quota::templates::template;

const SCHOOL_RULES: [&str; 7] = [
    "observations-by-post-004-supervising",
    "observations-by-post-004-leaders",
    "observations-by-post-004-group-leaders",
    "observations-by-post-004-teachers",
    "reflection-monthly-1",
    "same-subject-ordinary-6",
    "research-group-open-lesson-reviews-8",
];

const DISTRICT_RULES: [&str; 5] = [
    "attendance-rate-98",
    "mentor-observes-mentee-weekly",
    "mentee-observes-mentor-drop-in-2",
    "district-team-online-1",
    "district-team-on-site-3",
];

/// Adopts the rules; returns how many.
pub async fn write(db: &impl ConnectionTrait, district: &DemoDistrict) -> Result<usize, DbErr> {
    let flagship = district.flagship().id;
    let at = crate::resource::now();
    let owned = SCHOOL_RULES.iter().map(|id| (id, Some(flagship))).chain(DISTRICT_RULES.iter().map(|id| (id, None)));
    let mut written = 0;
    for (id, school_id) in owned {
        let found = template(id).ok_or_else(|| DbErr::Custom(format!("the catalogue lost template {id}")))?;
        let mut row = quota_rule::ActiveModel {
            district_id: Set(district.district_id),
            school_id: Set(school_id),
            semester_ids: Set(serde_json::json!([district.autumn_semester_id])),
            template_id: Set(Some(id.to_string())),
            created_at: Set(at),
            updated_at: Set(at),
            archived_at: Set(None),
            ..Default::default()
        };
        write_spec(&mut row, &found.spec);
        row.insert(db).await?;
        written += 1;
    }
    Ok(written)
}
