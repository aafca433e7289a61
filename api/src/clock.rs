//! What day it is for the schools.
//!
//! Every school this service runs for keeps China Standard Time (UTC+8, no daylight saving), so
//! "today" (for ages, live memberships, default `as_of` dates) is the date in UTC+8 whatever the
//! server's own time zone. Timestamps stay in UTC.

use chrono::{FixedOffset, NaiveDate, Utc};

pub fn today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&china).date_naive()
}
