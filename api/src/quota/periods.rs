//! (placeholder until the periods module lands)
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Week,
    Fortnight,
    Month,
    Semester,
    SchoolYear,
}
