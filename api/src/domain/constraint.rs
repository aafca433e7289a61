//! Database constraint violations that slip past the handlers' own checks (two writers racing)
//! become 409s naming the field, never repeating the database's text (which names tables,
//! indexes and other rows' values).
//!
//! The field is the last column of the violated key, the one a client chooses (`name` of
//! `(district_id, name)`, `sourced_id`, `username`): PostgreSQL names the columns in the error's
//! detail (`Key (district_id, name)=(1, 罗田县) already exists.`), SQLite in its message
//! (`UNIQUE constraint failed: schools.district_id, schools.name`). SQLite's foreign-key errors
//! name nothing, so those 409s name no field.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

use super::DomainError;

/// The 409 a constraint violation becomes, or `None` for any other database error.
pub(super) fn conflict_of(err: &DbErr) -> Option<DomainError> {
    let unique = match err.sql_err()? {
        SqlErr::UniqueConstraintViolation(_) => true,
        SqlErr::ForeignKeyConstraintViolation(_) => false,
        _ => return None,
    };
    let (message, detail) = texts(err);
    Some(conflict(unique, &message, detail.as_deref()))
}

/// The database's message and, on PostgreSQL, its detail.
fn texts(err: &DbErr) -> (String, Option<String>) {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err else {
        return (String::new(), None);
    };
    let sea_orm::sqlx::Error::Database(db) = e.as_ref() else {
        return (String::new(), None);
    };
    let detail = db
        .try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()
        .and_then(|pg| pg.detail())
        .map(str::to_string);
    (db.message().to_string(), detail)
}

/// The 409 for a violation described by `message` (and PostgreSQL's `detail`).
fn conflict(unique: bool, message: &str, detail: Option<&str>) -> DomainError {
    let field = columns(message, detail).pop();
    let still_referenced = detail.is_some_and(|d| d.contains("is still referenced"));
    let what = match (unique, still_referenced) {
        (true, _) => "another record already has this value",
        (false, true) => "the record is still referenced by other records",
        (false, false) => "refers to a record that does not exist (or no longer does)",
    };
    match field {
        // A row still referenced is the request's target, not one of its fields.
        Some(field) if !still_referenced => {
            DomainError::Conflict { detail: format!("{field}: {what}"), field: Some(field) }
        }
        _ if unique => {
            DomainError::Conflict { detail: "another record already has one of these values".into(), field: None }
        }
        _ if still_referenced => DomainError::Conflict { detail: what.into(), field: None },
        _ => DomainError::Conflict {
            detail: "the record refers to a record that does not exist, or is still referenced".into(),
            field: None,
        },
    }
}

/// The columns of the violated key, in order; only plain identifiers (never values).
fn columns(message: &str, detail: Option<&str>) -> Vec<String> {
    let listed = match detail.and_then(|d| d.strip_prefix("Key (")) {
        // `lower(username), x` → the identifiers inside any expression
        Some(rest) => rest.split(")=").next().unwrap_or_default().to_string(),
        None => match message.split_once("constraint failed: ") {
            Some((_, rest)) => {
                rest.split(", ").map(|c| c.rsplit('.').next().unwrap_or_default()).collect::<Vec<_>>().join(", ")
            }
            None => String::new(),
        },
    };
    listed
        .split(',')
        .map(|c| {
            let c = c.trim();
            // An expression column (`lower(username)`): the identifier inside.
            c.rsplit('(').next().unwrap_or(c).trim_end_matches(')').trim().to_string()
        })
        .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(unique: bool, message: &str, detail: Option<&str>) -> (Option<String>, String) {
        match conflict(unique, message, detail) {
            DomainError::Conflict { detail, field } => (field, detail),
            other => panic!("not a conflict: {other:?}"),
        }
    }

    #[test]
    fn unique_violations_name_the_last_column_of_the_key() {
        let (field, detail) = problem(
            true,
            "duplicate key value violates unique constraint \"ux_schools_district_name\"",
            Some("Key (district_id, name)=(1, 大河岸中心小学) already exists."),
        );
        assert_eq!(field.as_deref(), Some("name"));
        assert!(!detail.contains("ux_") && !detail.contains("大河岸") && !detail.contains("duplicate key"), "{detail}");
        let (field, detail) = problem(true, "UNIQUE constraint failed: schools.district_id, schools.name", None);
        assert_eq!(field.as_deref(), Some("name"));
        assert!(!detail.contains("schools") && !detail.contains("UNIQUE"), "{detail}");
        let (field, _) = problem(true, "UNIQUE constraint failed: users.username", None);
        assert_eq!(field.as_deref(), Some("username"));
        let (field, _) = problem(true, "x", Some("Key (lower(username::text))=(ab) already exists."));
        assert_eq!(field, None, "a cast is not a plain identifier");
        let (field, _) = problem(true, "x", Some("Key (lower(username))=(ab) already exists."));
        assert_eq!(field.as_deref(), Some("username"));
    }

    #[test]
    fn foreign_key_violations_say_which_way_without_the_database_text() {
        let (field, detail) = problem(
            false,
            "insert or update on table \"teachers\" violates foreign key constraint \"fk_teachers_school\"",
            Some("Key (school_id)=(99) is not present in table \"schools\"."),
        );
        assert_eq!(field.as_deref(), Some("school_id"));
        assert!(!detail.contains("teachers") && !detail.contains("99"), "{detail}");
        let (field, detail) = problem(
            false,
            "update or delete on table \"schools\" violates foreign key constraint \"fk_teachers_school\" on table \"teachers\"",
            Some("Key (id)=(3) is still referenced from table \"teachers\"."),
        );
        assert_eq!(field, None);
        assert!(detail.contains("still referenced") && !detail.contains("teachers"), "{detail}");
        let (field, detail) = problem(false, "FOREIGN KEY constraint failed", None);
        assert_eq!(field, None);
        assert!(!detail.contains("FOREIGN KEY"), "{detail}");
    }
}
