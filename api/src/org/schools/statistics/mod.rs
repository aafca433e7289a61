//! Teacher statistics of a school, as school plans report them (seed 004: "35周岁以下青年教师35人
//! ... 35周岁至50周岁以下中年教师23人 ... 50岁以上教师2人 ... 本科学历36人 ... 中级职称教师13人 ...
//! 县级学科带头人、骨干教师各1人，县级教坛新秀5人").
//!
//! The population is the school's active (在岗), non-archived teachers. Every number is a SQL
//! COUNT with GROUP BY; age bands are a CASE on `birth_date` against boundary dates computed here.
//! Readable by the district's administrators and the school's own administrator.
//!
//! The counting ([`figures_per_school`]) takes a set of schools and groups by school as well, so
//! that the zone and district teacher statistics report (`quota::reports::statistics`) shares it:
//! one query per figure for all the schools, and zone or district totals are sums of schools.
//!
//! `views` (the query and the answer), `queries` (the counting), `rules` (cut-offs, bands, and
//! adding figures up; unit-tested), `handlers` (`GET /schools/{id}/statistics`).

pub(super) mod handlers;
mod queries;
mod rules;
mod views;

pub use queries::figures_per_school;
pub use rules::{parse_cutoffs, Dimension, Figures};
pub use views::{AgeBand, SchoolStatistics, StatisticsQuery};
