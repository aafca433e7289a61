//! Pure rules, no database.

use super::super::views::Direction;

/// Which way an observation went between `mentor` and `mentee`, if it is between them at all.
pub fn direction(mentor: i64, mentee: i64, observer: i64, observed: Option<i64>) -> Option<Direction> {
    match (observer, observed) {
        (o, Some(d)) if o == mentor && d == mentee => Some(Direction::MentorObservedMentee),
        (o, Some(d)) if o == mentee && d == mentor => Some(Direction::MenteeObservedMentor),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        assert_eq!(direction(1, 2, 1, Some(2)), Some(Direction::MentorObservedMentee));
        assert_eq!(direction(1, 2, 2, Some(1)), Some(Direction::MenteeObservedMentor));
        assert_eq!(direction(1, 2, 1, Some(3)), None);
        assert_eq!(direction(1, 2, 2, None), None);
    }
}
