//! Pure rules, no database.

use entities::activity;

/// Undated activities (drafts) sort after dated ones.
pub(super) fn date_order(a: &activity::Model, b: &activity::Model) -> std::cmp::Ordering {
    (a.date.is_none(), a.date, a.start_time, a.id).cmp(&(b.date.is_none(), b.date, b.start_time, b.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use entities::enums::ActivityType;

    #[test]
    fn undated_activities_sort_last() {
        let dated = |id, d: Option<NaiveDate>| activity::Model { id, date: d, ..blank() };
        let mut list = [
            dated(1, None),
            dated(2, NaiveDate::from_ymd_opt(2026, 10, 2)),
            dated(3, NaiveDate::from_ymd_opt(2026, 9, 2)),
        ];
        list.sort_by(date_order);
        assert_eq!(list.iter().map(|a| a.id).collect::<Vec<_>>(), vec![3, 2, 1]);
    }

    fn blank() -> activity::Model {
        activity::Model {
            id: 0,
            school_id: None,
            organiser_kind: entities::enums::OrganiserKind::School,
            group_id: None,
            pairing_id: Some(1),
            activity_type: ActivityType::Outreach,
            title: "送教下乡".into(),
            ..crate::activities::sample_activity()
        }
    }
}
