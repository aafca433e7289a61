//! A group's fixed weekly meeting slots (固定教研时间): "语文星期四下午第二节课, 数学星期二下午第二节课,
//! 英语星期三下午第二节课" (seed 000), some only in odd or even weeks ("每单周五") or every two
//! weeks ("每两周一次"). A slot gives the periods of the school day, the clock times, or both.
//!
//! Whoever sees the group reads its slots; its administrators and leader manage them.

mod handlers;
mod queries;
pub mod rules;
mod views;

use utoipa_actix_web::service_config::ServiceConfig;

use self::handlers::{archive_slot, create_slot, get_slot, list_slots, update_slot};
pub use self::views::{NewSlot, SlotFilter, SlotPatch, SlotView};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_slots).service(create_slot).service(get_slot).service(update_slot).service(archive_slot);
}
