//! A teaching-research activity (教研活动) with its "四定": time, topic, place and lead speaker.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// The school whose activity this is (the organising group's school, or the organising school); none for zone and district activities.
    pub school_id: Option<i64>,
    pub organiser_kind: OrganiserKind,
    pub group_id: Option<i64>,
    pub zone_id: Option<i64>,
    /// A school↔school pairing this activity belongs to (城乡结对, 送教下乡).
    pub pairing_id: Option<i64>,
    /// Where a cross-school activity takes place.
    pub host_school_id: Option<i64>,
    pub semester_id: i64,
    pub activity_type: ActivityType,
    pub title: String,
    pub topic: Option<String>,
    /// The school-local (UTC+8) day.
    pub date: Option<Date>,
    pub start_time: Option<Time>,
    pub end_time: Option<Time>,
    pub start_period: Option<i32>,
    pub end_period: Option<i32>,
    pub venue: Option<String>,
    pub meeting_url: Option<String>,
    pub modality: Modality,
    pub lead_speaker_teacher_id: Option<i64>,
    /// A lead speaker who is not one of our teachers (a district 教研员, a guest).
    pub lead_speaker_name: Option<String>,
    pub description: Option<String>,
    pub status: ActivityStatus,
    pub cancel_reason: Option<String>,
    /// The weekly slot that generated this activity, and the day it was generated for.
    pub slot_id: Option<i64>,
    pub generated_for: Option<Date>,
    pub minutes: Option<String>,
    pub summary: Option<String>,
    pub summary_due_on: Option<Date>,
    pub summary_submitted_at: Option<DateTimeUtc>,
    pub created_by_user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
