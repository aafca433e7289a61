//! The quota core of Jiaoyan (教研常规考核): rules as data, the periods they are counted over,
//! the folding of counted segments into per-period values, the evaluation against minimums, the
//! catalogue of rule templates, and which rule measures whom.
//!
//! It holds no database and no HTTP on purpose: everything here is a pure function of the rules,
//! the semester calendar, the subjects' profiles and the counts the api hands it, so it is tested
//! on its own (`cargo test -p jiaoyan-quota`) without a server or a database, and the api crate
//! only loads counts (with sea-orm) and serves results (with actix-web).
//! - [`calendar`]: week numbering, holidays and teaching weeks;
//! - [`periods`]: the periods a rule is counted over, with cut periods' minimums pro-rated;
//! - [`fold`]: segments of one scan folded into each rule's per-period values;
//! - [`presence`]: subjects present for part of the semester (pairs, members, teachers who
//!   come and go), judged over the days they were there;
//! - [`evaluate`]: the four statuses, what is expected by now and the projection;
//! - [`rules`]: the rule model, who a rule applies to, and families;
//! - [`templates`]: the catalogue of rule templates;
//! - [`assign`]: the rules assigned to each subject of a check;
//! - [`vocab`]: the enumerations rules filter on, shared with the `entities` crate through
//!   [`quota_vocabulary!`].

pub mod assign;
pub mod calendar;
pub mod evaluate;
pub mod fold;
pub mod periods;
pub mod presence;
pub mod rules;
pub mod templates;
pub mod vocab;
