//! A pair's observation log: every lesson either of the two observed of the other, so that the
//! duties of seed 000 ("师傅每周听徒弟一节课", "每学期至少相互随堂听课2节以上") can be followed.

mod handlers;
pub mod rules;

pub use rules::direction;

pub(crate) use handlers::*;
