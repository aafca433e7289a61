//! Attendance rates over a semester, per teacher and per group: counted with `GROUP BY` in SQL
//! (a district has thousands of rows per semester), then folded with
//! [`super::rules::AttendanceCounts`], the one definition of the rate.
//!
//! Only activities that took place count: status `held` or `archived` (filed), not soft-deleted.
//! Rows still `pending` there count as absent (nobody recorded the teacher as present).

mod handlers;
pub mod queries;
pub mod rules;

pub(crate) use handlers::*;
