//! People: teachers (with subjects, grades, posts, honours) and user accounts.

pub mod teachers;
pub mod users;
