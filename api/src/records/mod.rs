//! Research records teachers produce (反思, 教案, 笔记, 论文, 课题, 获奖 ...) and the dated tasks
//! they answer.
//!
//! Who may do what with a record:
//! - reading: whoever sees the record's school (the author's school when it was written);
//! - writing (create, change, archive): a teacher or group leader their own records (as author;
//!   co-authors only read); the school's administrators any of the school's teachers'; the
//!   district's administrators any in the district. Another teacher's record is a 403.
//!
//! Kind-specific fields, the word count and lateness are plain functions in [`rules`]; tasks and
//! their submissions report live in [`tasks`].

mod handlers;
pub mod queries;
pub mod rules;
pub mod tasks;
pub mod views;
pub mod words;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_records)
        .service(handlers::create_record)
        .service(handlers::get_record)
        .service(handlers::update_record)
        .service(handlers::archive_record);
    tasks::routes(cfg);
}
