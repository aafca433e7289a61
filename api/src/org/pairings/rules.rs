//! Pure rules, no database.

use crate::auth::Actor;
use crate::validate::Checks;
use chrono::NaiveDate;
use entities::school_pairing;

pub(super) const NOTES_MAX: usize = 2000;

pub(super) fn sees(actor: &Actor, p: &school_pairing::Model) -> bool {
    actor.sees_school(p.district_id, p.mentor_school_id) || actor.sees_school(p.district_id, p.partner_school_id)
}

pub(super) fn check_dates(start: NaiveDate, end: Option<NaiveDate>, checks: &mut Checks) {
    if let Some(end) = end {
        checks.ensure(end >= start, "end_date", "must not be before start_date");
    }
}
