//! The semester calendar: the pure functions (week numbering, holidays and teaching weeks) live in
//! the quota core, [`jiaoyan_quota::calendar`], and are re-exported here; what needs the database
//! is here.

pub use jiaoyan_quota::calendar::*;

/// The calendar of a stored semester; fails only when its `holidays` column is not a list of
/// [`Holiday`]s.
pub fn calendar_of_semester(semester: &entities::semester::Model) -> Result<Calendar, serde_json::Error> {
    Ok(Calendar {
        start_date: semester.start_date,
        end_date: semester.end_date,
        week1_start: semester.week1_start,
        holidays: serde_json::from_value(semester.holidays.clone())?,
    })
}
