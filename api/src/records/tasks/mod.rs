//! Dated tasks that records answer ("3月25日前上交...", seeds 002/003): a school's academic office,
//! a group's leader or the district office asks for records by a day; records handed in after it
//! are flagged late ("过时不候": flagged, never hidden). See [`access`] for who sets, sees and is
//! asked by a task.

pub mod access;
mod handlers;
mod queries;
mod submissions;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

use self::handlers::{archive_record_task, create_record_task, get_record_task, list_record_tasks, update_record_task};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_record_tasks)
        .service(create_record_task)
        .service(get_record_task)
        .service(update_record_task)
        .service(archive_record_task)
        .service(submissions::task_submissions);
}
