//! Teaching-research activities (教研活动): planning with the "四定", the life cycle, lessons
//! taught, generation from weekly slots, attendance, and the policies that shape them.

pub mod access;
pub mod attendance;
pub mod participants;
pub mod plan;
pub mod policy;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    plan::routes(cfg);
    attendance::routes(cfg);
}

/// A draft 集体备课 of group 1 (school 1, district 1, semester 1) with nothing else set, for unit
/// tests to adjust with struct update syntax.
#[cfg(test)]
pub(crate) fn sample_activity() -> entities::activity::Model {
    use entities::enums::{ActivityStatus, ActivityType, Modality, OrganiserKind};
    let at = chrono::Utc::now();
    entities::activity::Model {
        id: 1,
        district_id: 1,
        school_id: Some(1),
        organiser_kind: OrganiserKind::Group,
        group_id: Some(1),
        zone_id: None,
        pairing_id: None,
        host_school_id: None,
        semester_id: 1,
        activity_type: ActivityType::CollectivePrep,
        title: "集体备课".into(),
        topic: None,
        date: None,
        start_time: None,
        end_time: None,
        start_period: None,
        end_period: None,
        venue: None,
        meeting_url: None,
        modality: Modality::OnSite,
        lead_speaker_teacher_id: None,
        lead_speaker_name: None,
        description: None,
        status: ActivityStatus::Draft,
        cancel_reason: None,
        slot_id: None,
        generated_for: None,
        minutes: None,
        summary: None,
        summary_due_on: None,
        summary_submitted_at: None,
        created_by_user_id: None,
        created_at: at,
        updated_at: at,
        archived_at: None,
    }
}
