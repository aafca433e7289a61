//! Pure rules, no database.

use super::super::views::SubmissionStatus;
use chrono::NaiveDate;

/// A teacher's state from the first day they handed in a record answering the task.
pub fn status_of(first_submitted_on: Option<NaiveDate>, due_on: NaiveDate) -> SubmissionStatus {
    match first_submitted_on {
        None => SubmissionStatus::Missing,
        Some(day) if day <= due_on => SubmissionStatus::OnTime,
        Some(_) => SubmissionStatus::Late,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_time_means_by_the_due_day_inclusive() {
        let due = NaiveDate::from_ymd_opt(2027, 3, 25).unwrap();
        assert_eq!(status_of(None, due), SubmissionStatus::Missing);
        assert_eq!(status_of(Some(due), due), SubmissionStatus::OnTime);
        assert_eq!(status_of(due.succ_opt(), due), SubmissionStatus::Late);
    }
}
