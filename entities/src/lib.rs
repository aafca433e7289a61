//! sea-orm entities of the Jiaoyan database.
//!
//! One module per table, written in the shape `sea-orm-cli generate entity` produces, plus
//! [`enums`]: the enumerations stored as text columns. The enumerations derive `ToSchema` and
//! `Serialize` because the API exposes them unchanged; everything else about the wire format
//! lives in the `api` crate, never here.

pub mod enums;

pub mod activity;
pub mod activity_lesson;
pub mod activity_participant;
pub mod activity_policy;
pub mod alert_delivery;
pub mod alert_outbox;
pub mod alert_subscription;
pub mod api_client;
pub mod appraisal_result;
pub mod appraisal_scheme;
pub mod appraisal_version;
pub mod audit_log;
pub mod calendar_token;
pub mod change_counter;
pub mod change_log;
pub mod district;
pub mod group;
pub mod group_membership;
pub mod inspection;
pub mod inspection_finding;
pub mod inspection_grade;
pub mod inspection_subject;
pub mod inspection_template;
pub mod login_lockout;
pub mod mentorship;
pub mod mentorship_policy;
pub mod notice;
pub mod observation;
pub mod preparation;
pub mod preparation_note;
pub mod preparation_participant;
pub mod preparation_policy;
pub mod quota_rule;
pub mod record;
pub mod record_coauthor;
pub mod record_task;
pub mod refresh_token;
pub mod research_topic;
pub mod rubric;
pub mod rubric_dimension;
pub mod school;
pub mod school_pairing;
pub mod semester;
pub mod teacher;
pub mod teacher_grade;
pub mod teacher_honour;
pub mod teacher_post;
pub mod teacher_subject;
pub mod team_attendance_policy;
pub mod team_removal;
pub mod user;
pub mod weekly_slot;
pub mod zone;
