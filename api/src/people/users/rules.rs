//! Rules about accounts that are not HTTP and touch no database: who sees and who may manage
//! whom, the username's form, the password policy, and how a checked PATCH merges into the row.

use chrono::{DateTime, Utc};
use entities::enums::Role;
use entities::user;
use sea_orm::Set;

use crate::auth::{password, Actor, Reach};
use crate::validate::Checks;

/// Whether `actor` sees `target`: admins their scope, everyone their own account.
pub fn sees(actor: &Actor, target: &user::Model) -> bool {
    if actor.user_id == target.id {
        return true;
    }
    match (actor.role, actor.reach()) {
        (_, Reach::Everything) => true,
        (Role::DistrictAdmin, Reach::District(d)) => target.district_id == Some(d),
        (Role::SchoolAdmin, Reach::School { school_id, .. }) => target.school_id == Some(school_id),
        _ => false,
    }
}

/// Whether `actor` may hold power over an account of this role and scope.
pub fn may_grant(actor: &Actor, role: Role, district_id: Option<i64>, school_id: Option<i64>) -> bool {
    match actor.reach() {
        Reach::Everything => true,
        Reach::District(d) => district_id == Some(d),
        Reach::School { school_id: s, .. } => {
            actor.role == Role::SchoolAdmin && role != Role::DistrictAdmin && school_id == Some(s)
        }
    }
}

/// The username trimmed, with its errors recorded: 3 to 64 characters, no spaces.
pub fn check_username(checks: &mut Checks, username: &str) -> String {
    let username = username.trim().to_string();
    let n = username.chars().count();
    checks.ensure((3..=64).contains(&n), "username", "must be 3 to 64 characters");
    checks.ensure(!username.chars().any(char::is_whitespace), "username", "must not contain spaces");
    username
}

/// Checks a new password against the policy ([`crate::auth::rules::password_weakness`]).
pub fn check_password(checks: &mut Checks, field: &str, password: &str, context: &[String]) {
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    if let Some(why) = password::password_weakness(password, &context) {
        checks.fail(field, why);
    }
}

/// Where an account sits: its district, school and teacher, after checking the references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    pub teacher_id: Option<i64>,
}

/// A checked PATCH of an account. `None` leaves a field as it is; `display_name: Some(None)`
/// clears the display name; a placement sets the role with the whole scope.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub display_name: Option<Option<String>>,
    pub password_hash: Option<String>,
    pub placement: Option<(Role, Placement)>,
    pub disabled: Option<bool>,
}

impl UserChange {
    /// Whether the change ends the account's sessions: a new password, a new role or scope, or
    /// disabling it.
    pub fn revokes_sessions(&self) -> bool {
        self.password_hash.is_some() || self.disabled == Some(true) || self.placement.is_some()
    }
}

/// Merges `change` into an account's row, setting only what it carries (and `updated_at`).
pub fn apply_change(active: &mut user::ActiveModel, change: UserChange, at: DateTime<Utc>) {
    if let Some(display_name) = change.display_name {
        active.display_name = Set(display_name);
    }
    if let Some(hash) = change.password_hash {
        active.password_hash = Set(hash);
    }
    if let Some((role, p)) = change.placement {
        active.role = Set(role);
        active.district_id = Set(p.district_id);
        active.school_id = Set(p.school_id);
        active.teacher_id = Set(p.teacher_id);
    }
    if let Some(disabled) = change.disabled {
        active.disabled = Set(disabled);
    }
    active.updated_at = Set(at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveValue, IntoActiveModel};

    fn account() -> user::Model {
        user::Model {
            id: 7,
            username: "dhs-admin".into(),
            password_hash: "hash".into(),
            role: Role::SchoolAdmin,
            district_id: Some(1),
            school_id: Some(3),
            teacher_id: None,
            display_name: Some("教导处".into()),
            disabled: false,
            last_login_at: None,
            created_at: DateTime::default(),
            updated_at: DateTime::default(),
            archived_at: None,
        }
    }

    #[test]
    fn a_change_sets_what_it_carries_and_clears_nulls() {
        let at = DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap();
        let mut active = account().into_active_model();
        let change = UserChange { display_name: Some(None), disabled: Some(true), ..UserChange::default() };
        assert!(change.revokes_sessions());
        apply_change(&mut active, change, at);
        assert_eq!(active.display_name, ActiveValue::Set(None));
        assert_eq!(active.disabled, ActiveValue::Set(true));
        assert_eq!(active.updated_at, ActiveValue::Set(at));
        assert_eq!(active.password_hash, ActiveValue::Unchanged("hash".to_string()));
        assert_eq!(active.role, ActiveValue::Unchanged(Role::SchoolAdmin));
    }

    #[test]
    fn a_placement_moves_the_whole_scope() {
        let mut active = account().into_active_model();
        let placement = Placement { district_id: Some(1), school_id: Some(4), teacher_id: Some(9) };
        let change = UserChange { placement: Some((Role::Teacher, placement)), ..UserChange::default() };
        assert!(change.revokes_sessions());
        apply_change(&mut active, change, DateTime::default());
        assert_eq!(active.role, ActiveValue::Set(Role::Teacher));
        assert_eq!(active.school_id, ActiveValue::Set(Some(4)));
        assert_eq!(active.teacher_id, ActiveValue::Set(Some(9)));
        assert_eq!(active.display_name, ActiveValue::Unchanged(Some("教导处".to_string())));
        assert!(!UserChange { display_name: Some(None), ..UserChange::default() }.revokes_sessions());
    }

    #[test]
    fn usernames_are_trimmed_and_bounded() {
        let mut checks = Checks::new();
        assert_eq!(check_username(&mut checks, " abc "), "abc");
        assert!(checks.is_empty());
        check_username(&mut checks, "ab");
        check_username(&mut checks, "a b c");
        assert!(!checks.is_empty());
    }
}
