//! sea-orm entities of the Jiaoyan database.
//!
//! One module per table, written in the shape `sea-orm-cli generate entity` produces, plus
//! [`enums`]: the enumerations stored as text columns. The enumerations derive `ToSchema` and
//! `Serialize` because the API exposes them unchanged; everything else about the wire format
//! lives in the `api` crate, never here.

pub mod enums;

pub mod district;
pub mod group;
pub mod group_membership;
pub mod refresh_token;
pub mod research_topic;
pub mod school;
pub mod school_pairing;
pub mod semester;
pub mod teacher;
pub mod teacher_grade;
pub mod teacher_honour;
pub mod teacher_post;
pub mod teacher_subject;
pub mod user;
pub mod weekly_slot;
pub mod zone;
