//! `GET /record-tasks/{id}/submissions`: who a task asked, who handed in on time, late, or not
//! yet. Two SQL queries (the teachers, and the task's records grouped by author); no query per
//! teacher.

mod handlers;
pub mod queries;
pub mod rules;

pub(crate) use handlers::*;
