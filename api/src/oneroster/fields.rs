//! What each OneRoster collection lets a client filter, sort and select, and how a parsed
//! `filter=` becomes SQL over the collection's view (`queries.rs`).
//!
//! Filtering and sorting go through an allow-list per collection: each OneRoster field name maps
//! to a column of the view and a kind that decides how its literal is read and compared.
//! Instants (`dateLastModified`) are parsed and bound as timestamps, so they compare as instants on
//! both engines: PostgreSQL compares `timestamptz` values; SQLite stores every timestamp as
//! RFC 3339 text in one canonical form (UTC, `+00:00`, fractional digits only when non-zero,
//! written by sqlx from the same `DateTime<Utc>` type we bind), whose text order is the order in
//! time (see the unit test), so a bound instant compares correctly as text at full precision.
//! Text compares by code point on both engines (`COLLATE "C"` on PostgreSQL); `~` (contains)
//! ignores ASCII case on both.
//!
//! `fields=` may name any field of the OneRoster object (those we never fill, such as `email`,
//! are simply absent); anything else is refused.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value as Json;

use super::errors::{RosterError, RosterResult};
use super::filter::{Filter, Op};
use super::sql::Sql;

/// How a field's values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A timestamp (`dateLastModified`).
    Instant,
    /// A calendar date (`startDate`).
    Date,
    /// `true`/`false`, stored in the view as that text.
    Bool,
}

/// A field clients may filter and sort by.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The OneRoster name (`dateLastModified`, `parent.sourcedId`).
    pub name: &'static str,
    /// Its SQL over the view `v`.
    pub column: &'static str,
    pub kind: Kind,
}

/// The fields of one collection.
#[derive(Debug)]
pub struct Catalogue {
    /// The object's OneRoster name, for messages.
    pub object: &'static str,
    /// Filterable and sortable, after the [`COMMON`] ones.
    pub fields: &'static [Field],
    /// Every field of the object after the [`COMMON_SELECTABLE`] ones, for `fields=`.
    pub selectable: &'static [&'static str],
}

const fn field(name: &'static str, column: &'static str, kind: Kind) -> Field {
    Field { name, column, kind }
}

/// The fields every collection filters and sorts by.
static COMMON: [Field; 3] = [
    field("sourcedId", "v.sourced_id", Kind::Text),
    field("status", "v.status", Kind::Text),
    field("dateLastModified", "v.date_last_modified", Kind::Instant),
];

/// The fields every OneRoster object has (the base class).
const COMMON_SELECTABLE: [&str; 4] = ["sourcedId", "status", "dateLastModified", "metadata"];

pub static ORGS: Catalogue = Catalogue {
    object: "org",
    fields: &[
        field("name", "v.name", Kind::Text),
        field("type", "v.org_type", Kind::Text),
        field("identifier", "v.identifier", Kind::Text),
        field("parent.sourcedId", "COALESCE(v.parent_sourced_id, '')", Kind::Text),
    ],
    selectable: &["name", "type", "identifier", "parent", "children"],
};

pub static USERS: Catalogue = Catalogue {
    object: "user",
    fields: &[
        field("givenName", "v.given_name", Kind::Text),
        field("familyName", "v.family_name", Kind::Text),
        field("identifier", "v.identifier", Kind::Text),
        field("enabledUser", "v.enabled_user", Kind::Bool),
        field("primaryOrg.sourcedId", "v.org_sourced_id", Kind::Text),
        field("roles.org.sourcedId", "v.org_sourced_id", Kind::Text),
    ],
    selectable: &[
        "userMasterIdentifier",
        "username",
        "userIds",
        "enabledUser",
        "givenName",
        "familyName",
        "middleName",
        "preferredFirstName",
        "preferredMiddleName",
        "preferredLastName",
        "pronouns",
        "roles",
        "userProfiles",
        "primaryOrg",
        "identifier",
        "email",
        "sms",
        "phone",
        "agents",
        "grades",
        "password",
        "resources",
    ],
};

pub static SESSIONS: Catalogue = Catalogue {
    object: "academicSession",
    fields: &[
        field("title", "v.title", Kind::Text),
        field("type", "v.session_type", Kind::Text),
        field("startDate", "v.start_date", Kind::Date),
        field("endDate", "v.end_date", Kind::Date),
        field("schoolYear", "v.school_year", Kind::Text),
        field("parent.sourcedId", "COALESCE(v.parent_sourced_id, '')", Kind::Text),
    ],
    selectable: &["title", "startDate", "endDate", "type", "parent", "children", "schoolYear"],
};

impl Catalogue {
    fn all(&self) -> impl Iterator<Item = &'static Field> {
        COMMON.iter().chain(self.fields)
    }

    fn find(&self, name: &str) -> Option<&'static Field> {
        self.all().find(|f| f.name == name)
    }

    fn names(&self) -> String {
        self.all().map(|f| f.name).collect::<Vec<_>>().join(", ")
    }

    fn selectable(&self) -> impl Iterator<Item = &'static str> {
        COMMON_SELECTABLE.into_iter().chain(self.selectable.iter().copied())
    }
}

/// A predicate's literal, read for its field's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Instant(DateTime<Utc>),
    Date(NaiveDate),
}

/// A predicate on a known field with a well-typed literal.
#[derive(Debug)]
pub struct Condition {
    pub field: &'static Field,
    pub op: Op,
    pub literal: Literal,
}

/// A filter checked against a catalogue: any group of all-true conditions.
#[derive(Debug)]
pub struct Where {
    pub any: Vec<Vec<Condition>>,
}

/// Checks a parsed filter against the collection's fields: every field allowed, every operator
/// meaningful for its kind, every literal readable.
pub fn resolve(filter: &Filter, catalogue: &'static Catalogue) -> RosterResult<Where> {
    let mut any = Vec::new();
    for group in &filter.any {
        let mut all = Vec::new();
        for p in group {
            let field = catalogue.find(&p.field).ok_or_else(|| {
                RosterError::filter(
                    &p.field,
                    format!(
                        "{} cannot be filtered on {}s; these can: {}",
                        p.field,
                        catalogue.object,
                        catalogue.names()
                    ),
                )
            })?;
            let refused = |what: &str| {
                RosterError::filter(field.name, format!("{} {} is not allowed: {what}", field.name, p.op.symbol()))
            };
            match (field.kind, p.op) {
                (Kind::Text, _) => {}
                (_, Op::Contains) => return Err(refused("~ compares text only")),
                (Kind::Bool, Op::Eq | Op::Ne) => {}
                (Kind::Bool, _) => return Err(refused("a true/false field compares with = or != only")),
                _ => {}
            }
            if p.value.contains('\0') {
                return Err(RosterError::filter(field.name, "the value must not contain NUL characters"));
            }
            let literal = literal(field, &p.value)?;
            all.push(Condition { field, op: p.op, literal });
        }
        any.push(all);
    }
    Ok(Where { any })
}

fn literal(field: &Field, value: &str) -> RosterResult<Literal> {
    match field.kind {
        Kind::Text => Ok(Literal::Text(value.to_string())),
        Kind::Bool => match value {
            "true" | "false" => Ok(Literal::Text(value.to_string())),
            _ => Err(RosterError::filter(field.name, format!("{} is 'true' or 'false'", field.name))),
        },
        Kind::Date => parse_date(value).map(Literal::Date).ok_or_else(|| {
            RosterError::filter(field.name, format!("{}: '{}' is not a date such as 2026-09-01", field.name, shorten(value)))
        }),
        Kind::Instant => parse_instant(value).map(Literal::Instant).ok_or_else(|| {
            RosterError::filter(
                field.name,
                format!(
                    "{}: '{}' is not an ISO 8601 date-time such as 2026-09-01T00:00:00Z (or a date, meaning its midnight UTC)",
                    field.name,
                    shorten(value)
                ),
            )
        }),
    }
}

fn shorten(value: &str) -> String {
    value.chars().take(40).collect()
}

/// `YYYY-MM-DD`, four-digit years only.
fn parse_date(value: &str) -> Option<NaiveDate> {
    let bytes = value.as_bytes();
    if value.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// An RFC 3339 date-time with a zone (`Z` or an offset), or a date meaning its midnight UTC.
pub fn parse_instant(value: &str) -> Option<DateTime<Utc>> {
    if let Some(date) = parse_date(value) {
        return Some(date.and_time(NaiveTime::MIN).and_utc());
    }
    let parsed = DateTime::parse_from_rfc3339(value).ok()?;
    Some(parsed.with_timezone(&Utc))
}

/// Appends the WHERE condition of a checked filter: `(a AND b) OR (c)`.
pub fn push_where(sql: &mut Sql, filter: &Where) {
    for (i, group) in filter.any.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.push("(");
        for (j, condition) in group.iter().enumerate() {
            if j > 0 {
                sql.push(" AND ");
            }
            push_condition(sql, condition);
        }
        sql.push(")");
    }
}

fn push_condition(sql: &mut Sql, c: &Condition) {
    let column = c.field.column;
    let collate = sql.binary_collation();
    let bind = |sql: &mut Sql| match &c.literal {
        Literal::Text(text) => {
            sql.bind(text.clone());
        }
        Literal::Instant(at) => {
            sql.bind(*at);
        }
        Literal::Date(date) => {
            sql.bind(*date);
        }
    };
    if c.op == Op::Contains {
        // ASCII case is ignored on both engines: SQLite's LOWER folds ASCII only, and so does
        // PostgreSQL's under the C collation.
        let position = match sql.backend {
            sea_orm::DbBackend::Postgres => "STRPOS",
            _ => "INSTR",
        };
        sql.push(&format!("{position}(LOWER({column}{collate}), LOWER("));
        bind(sql);
        sql.push(&format!("{collate})) > 0"));
        return;
    }
    let collate = if c.field.kind == Kind::Text { collate } else { "" };
    sql.push(&format!("{column}{collate} {} ", c.op.symbol()));
    bind(sql);
}

/// The checked `sort=`/`orderBy=`: a field and whether descending.
#[derive(Debug)]
pub struct Sort {
    pub field: &'static Field,
    pub descending: bool,
}

pub fn resolve_sort(
    sort: Option<&str>,
    order_by: Option<&str>,
    catalogue: &'static Catalogue,
) -> RosterResult<Option<Sort>> {
    // Exactly the two values the document lists: an empty or padded one is refused too.
    let descending = match order_by {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(RosterError::sort("orderBy", format!("orderBy is asc or desc, not '{}'", shorten(other))))
        }
    };
    let Some(name) = sort.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let field = catalogue.find(name).ok_or_else(|| {
        RosterError::sort(
            "sort",
            format!(
                "{}s cannot be sorted by '{}'; they can by: {}",
                catalogue.object,
                shorten(name),
                catalogue.names()
            ),
        )
    })?;
    Ok(Some(Sort { field, descending }))
}

/// `ORDER BY` text of a sort (without the tie-breaking keys).
pub fn order_term(sql: &Sql, sort: &Sort) -> String {
    let collate = if sort.field.kind == Kind::Text { sql.binary_collation() } else { "" };
    format!("{}{collate} {}", sort.field.column, if sort.descending { "DESC" } else { "ASC" })
}

/// The checked `fields=` list.
pub fn resolve_selection(value: &str, catalogue: &Catalogue) -> RosterResult<Vec<String>> {
    let mut selected = Vec::new();
    for name in value.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(RosterError::selection("fields lists field names separated by commas; one is blank"));
        }
        if !catalogue.selectable().any(|s| s == name) {
            return Err(RosterError::selection(format!(
                "{}s have no field '{}'; they have: {}",
                catalogue.object,
                shorten(name),
                catalogue.selectable().collect::<Vec<_>>().join(", ")
            )));
        }
        if !selected.iter().any(|s| s == name) {
            selected.push(name.to_string());
        }
    }
    Ok(selected)
}

/// Keeps only the selected fields of a serialised object.
pub fn select(object: Json, selection: Option<&[String]>) -> Json {
    match (object, selection) {
        (Json::Object(map), Some(fields)) => {
            Json::Object(map.into_iter().filter(|(k, _)| fields.iter().any(|f| f == k)).collect())
        }
        (object, _) => object,
    }
}

#[cfg(test)]
mod tests {
    use super::super::filter::parse;
    use super::*;
    use sea_orm::DbBackend;

    fn where_sql(backend: DbBackend, filter: &str, catalogue: &'static Catalogue) -> String {
        let resolved = resolve(&parse(filter).unwrap().unwrap(), catalogue).unwrap();
        let mut sql = Sql::new(backend);
        push_where(&mut sql, &resolved);
        sql.text().to_string()
    }

    fn refused(filter: &str, catalogue: &'static Catalogue) -> (String, String) {
        let err = resolve(&parse(filter).unwrap().unwrap(), catalogue).unwrap_err();
        (err.field.unwrap(), err.description)
    }

    #[test]
    fn filters_become_bound_sql_over_the_view() {
        assert_eq!(
            where_sql(
                DbBackend::Sqlite,
                "dateLastModified>'2026-09-01T00:00:00Z' AND type='school' OR name~'小学'",
                &ORGS
            ),
            "(v.date_last_modified > ? AND v.org_type = ?) OR (INSTR(LOWER(v.name), LOWER(?)) > 0)"
        );
        assert_eq!(
            where_sql(DbBackend::Postgres, "familyName>='王' AND enabledUser!='true'", &USERS),
            "(v.family_name COLLATE \"C\" >= $1 AND v.enabled_user != $2)"
        );
        assert_eq!(where_sql(DbBackend::Postgres, "startDate<'2027-01-01'", &SESSIONS), "(v.start_date < $1)");
    }

    #[test]
    fn unknown_fields_bad_operators_and_bad_literals_name_the_field() {
        assert_eq!(refused("password='x'", &USERS).0, "password");
        assert_eq!(refused("title='x'", &ORGS).0, "title");
        assert_eq!(refused("dateLastModified~'2026'", &ORGS).0, "dateLastModified");
        assert_eq!(refused("enabledUser>'true'", &USERS).0, "enabledUser");
        assert_eq!(refused("enabledUser='yes'", &USERS).0, "enabledUser");
        assert_eq!(refused("dateLastModified>'yesterday'", &USERS).0, "dateLastModified");
        assert_eq!(refused("dateLastModified>'2026-13-01T00:00:00Z'", &USERS).0, "dateLastModified");
        assert_eq!(refused("startDate>'2026-9-1'", &SESSIONS).0, "startDate");
        assert_eq!(refused("name='a\u{0}b'", &ORGS).0, "name");
        assert!(refused("title='x'", &ORGS).1.contains("parent.sourcedId"));
    }

    #[test]
    fn instants_are_read_with_zones_and_dates_are_midnight_utc() {
        let at = |s| parse_instant(s).map(|d| d.to_rfc3339());
        assert_eq!(at("2026-09-01T08:00:00+08:00"), Some("2026-09-01T00:00:00+00:00".into()));
        assert_eq!(at("2026-09-01T00:00:00.123Z"), Some("2026-09-01T00:00:00.123+00:00".into()));
        assert_eq!(at("2026-09-01"), Some("2026-09-01T00:00:00+00:00".into()));
        assert_eq!(at("2026-09-01T00:00:00"), None); // no zone: ambiguous
    }

    /// SQLite keeps timestamps as the text sqlx writes for a `DateTime<Utc>`
    /// (`to_rfc3339_opts(AutoSi, false)`); comparing those texts must order instants in time,
    /// whatever their fractional digits.
    #[test]
    fn the_stored_text_form_of_timestamps_sorts_in_time() {
        use chrono::{SecondsFormat, TimeZone};
        let base = Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 59).unwrap();
        let mut instants: Vec<DateTime<Utc>> =
            [0i64, 1, 999, 1_000, 100_000, 120_000, 123_456, 999_999, 1_000_000, 123_456_789]
                .iter()
                .map(|n| base + chrono::Duration::nanoseconds(*n))
                .collect();
        instants.push(base + chrono::Duration::seconds(1));
        instants.push(Utc.with_ymd_and_hms(999, 1, 1, 0, 0, 0).unwrap());
        instants.push(Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap());
        for a in &instants {
            for b in &instants {
                let (ta, tb) =
                    (a.to_rfc3339_opts(SecondsFormat::AutoSi, false), b.to_rfc3339_opts(SecondsFormat::AutoSi, false));
                assert_eq!(ta.cmp(&tb), a.cmp(b), "{ta} vs {tb}");
            }
        }
    }

    #[test]
    fn sorts_and_orders_are_checked() {
        let sql = Sql::new(DbBackend::Postgres);
        let sort = resolve_sort(Some("familyName"), Some("desc"), &USERS).unwrap().unwrap();
        assert_eq!(order_term(&sql, &sort), "v.family_name COLLATE \"C\" DESC");
        let sort = resolve_sort(Some("dateLastModified"), None, &USERS).unwrap().unwrap();
        assert_eq!(order_term(&sql, &sort), "v.date_last_modified ASC");
        assert!(resolve_sort(None, Some("asc"), &ORGS).unwrap().is_none());
        assert_eq!(resolve_sort(Some("roles"), None, &USERS).unwrap_err().field.as_deref(), Some("sort"));
        assert_eq!(resolve_sort(Some("name"), Some("up"), &ORGS).unwrap_err().field.as_deref(), Some("orderBy"));
        assert_eq!(resolve_sort(Some("name"), Some(""), &ORGS).unwrap_err().field.as_deref(), Some("orderBy"));
    }

    #[test]
    fn selections_keep_known_fields_only() {
        assert_eq!(resolve_selection("sourcedId, name,sourcedId", &ORGS).unwrap(), vec!["sourcedId", "name"]);
        assert!(resolve_selection("email", &USERS).is_ok()); // a OneRoster field we never fill
        assert!(resolve_selection("nickname", &USERS).is_err());
        assert!(resolve_selection("name,,type", &ORGS).is_err());
        assert!(resolve_selection("", &ORGS).is_err());
        let object = serde_json::json!({"sourcedId": "a", "name": "b", "type": "school"});
        let kept = select(object, Some(&["name".to_string(), "parent".to_string()]));
        assert_eq!(kept, serde_json::json!({"name": "b"}));
    }
}
