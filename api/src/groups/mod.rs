//! Groups (教研组, 备课组, 年级组, 课题组, district 中心组) with their members, weekly slots and
//! research topics.

pub mod access;
#[allow(clippy::module_inception)]
pub mod groups;
pub mod members;
pub mod slots;
pub mod topics;
