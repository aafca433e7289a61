//! The wire types of a group's weekly slots.

use super::rules::format_time;
use crate::validate::nullable;
use chrono::{DateTime, Utc};
use entities::enums::WeekPattern;
use entities::weekly_slot;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A weekly slot as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "group_id": 2, "weekday": 4, "start_period": 6, "end_period": 6,
    "start_time": "14:30", "end_time": "15:10", "venue": "语文教研室", "week_pattern": "every", "first_week": 1,
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SlotView {
    pub id: i64,
    pub group_id: i64,
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    /// First period of the school day (节次, 1–12).
    pub start_period: Option<i32>,
    /// Last period (1–12, not before `start_period`).
    pub end_period: Option<i32>,
    /// `HH:MM`.
    pub start_time: Option<String>,
    /// `HH:MM`, after `start_time`.
    pub end_time: Option<String>,
    pub venue: Option<String>,
    pub week_pattern: WeekPattern,
    /// The teaching week the pattern counts from (1 = the semester's first week).
    pub first_week: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<weekly_slot::Model> for SlotView {
    fn from(m: weekly_slot::Model) -> Self {
        SlotView {
            id: m.id,
            group_id: m.group_id,
            weekday: m.weekday,
            start_period: m.start_period,
            end_period: m.end_period,
            start_time: m.start_time.map(format_time),
            end_time: m.end_time.map(format_time),
            venue: m.venue,
            week_pattern: m.week_pattern,
            first_week: m.first_week,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new weekly slot: the periods, the times, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weekday": 4, "start_period": 6, "end_period": 6, "start_time": "14:30", "end_time": "15:10",
    "venue": "语文教研室", "week_pattern": "every"}))]
pub struct NewSlot {
    /// ISO weekday: 1 = Monday … 7 = Sunday (星期四 = 4).
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i32,
    /// 1–12; give it with `end_period`.
    #[schema(minimum = 1, maximum = 12)]
    pub start_period: Option<i32>,
    /// 1–12, not before `start_period`.
    #[schema(minimum = 1, maximum = 12)]
    pub end_period: Option<i32>,
    /// `HH:MM`; give it with `end_time`.
    pub start_time: Option<String>,
    /// `HH:MM`, after `start_time`.
    pub end_time: Option<String>,
    #[schema(max_length = 100)]
    pub venue: Option<String>,
    /// Default `every`.
    pub week_pattern: Option<WeekPattern>,
    /// At least 1; default 1.
    #[schema(minimum = 1)]
    pub first_week: Option<i32>,
}

/// Changes to a slot; absent fields stay as they are, `null` clears. The result must still give
/// the periods or the times.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"week_pattern": "odd", "venue": "多功能教室"}))]
pub struct SlotPatch {
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub start_period: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 12)]
    pub end_period: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub start_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub end_time: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub venue: Option<Option<String>>,
    pub week_pattern: Option<WeekPattern>,
    #[schema(minimum = 1)]
    pub first_week: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SlotFilter {
    pub weekday: Option<i32>,
    /// Include archived slots (default false).
    pub include_archived: Option<bool>,
    /// `weekday`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
