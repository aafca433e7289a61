//! The wire types of generating activities from a slot.

use chrono::NaiveDate;
use entities::enums::ActivityType;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::activities::plan::views::ActivityView;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GenerateParams {
    /// A live semester of the group's district.
    pub semester_id: i64,
    /// Default `collective_prep` (集体备课).
    pub activity_type: Option<ActivityType>,
    /// Only days on or after this one.
    pub from: Option<NaiveDate>,
    /// Only days on or before this one.
    pub until: Option<NaiveDate>,
}

/// What a generation run did.
#[derive(Debug, Serialize, ToSchema)]
/// (The example is a re-run: every meeting day already has its activity.)
#[schema(example = json!({"created": 0, "already_existing": 20, "activities": []}))]
pub struct GenerateResult {
    /// Activities created by this run.
    pub created: u64,
    /// Meeting days that already had an activity of this slot (archived ones included).
    pub already_existing: u64,
    /// The created activities, in date order.
    pub activities: Vec<ActivityView>,
}
