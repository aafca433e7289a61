//! The district's organisation: districts, zones, schools (and their statistics), school
//! pairings and the semester calendar.

pub mod calendar;
pub mod districts;
pub mod ownership;
pub mod pairing_log;
pub mod pairings;
pub mod schools;
pub mod semester_days;
pub mod semesters;
pub mod zones;
