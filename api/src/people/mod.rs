//! People: teachers (with subjects, grades, posts, honours) and user accounts.

pub mod teachers;
mod user_logins;
pub mod users;
