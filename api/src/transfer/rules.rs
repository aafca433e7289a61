//! The pure rules of moving a database between engines: the one conversion table (an engine's
//! declared column type → the type a value has in the file, and each value both ways), the order
//! tables are written in, which file a binary may import, and the size of an insert batch.
//! No database here; `queries.rs` reads and writes with these.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, Timelike, Utc};
use sea_orm::Value;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The version of the file format this binary writes and reads (docs/MOVING.md, "The file").
pub const FORMAT_VERSION: u32 = 1;

/// Tables never written to the file: the migration list travels in the header
/// (`seaql_migrations`), and `audit_context` is SQLite's per-connection state of the writer
/// (migration 10), which an import finds made by its own migrations.
pub const NOT_EXPORTED: &[&str] = &["seaql_migrations", "audit_context"];

/// Tables the migrations themselves fill (one row each): an import replaces their rows with the
/// file's, and they do not make a database "not empty".
pub const FILLED_BY_MIGRATIONS: &[&str] = &["change_counter"];

/// Bind parameters of one insert statement at most: below SQLite's 32,766 and PostgreSQL's 65,535.
pub const MAX_PARAMS: usize = 16_000;
/// Rows of one insert statement, and of one read of an export, at most.
pub const MAX_ROWS: usize = 1_000;

/// A database engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// What a column holds, whatever engine stores it: how its values are written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// JSON `true`/`false` (SQLite stores 0/1).
    Boolean,
    /// A JSON integer (64 bits).
    Integer,
    /// A JSON number.
    Float,
    /// A JSON string.
    Text,
    /// RFC 3339 in UTC, to the microsecond (`2026-11-20T08:00:00.5Z`): SQLite keeps text with
    /// the offset it was written with, PostgreSQL `timestamptz` keeps microseconds in UTC.
    Timestamp,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM:SS[.ffffff]`.
    Time,
    /// The JSON document itself (SQLite keeps it as text, PostgreSQL as `json`/`jsonb`).
    Json,
    /// Standard base64.
    Bytes,
}

/// The conversion table: (engine, declared type without its length, type in the file). SQLite's
/// names are those sea-query declares (`timestamp_with_timezone_text` ...), PostgreSQL's those
/// `format_type` prints.
pub const CONVERSIONS: &[(Engine, &str, ColumnType)] = &[
    (Engine::Sqlite, "boolean", ColumnType::Boolean),
    (Engine::Sqlite, "integer", ColumnType::Integer),
    (Engine::Sqlite, "bigint", ColumnType::Integer),
    (Engine::Sqlite, "smallint", ColumnType::Integer),
    (Engine::Sqlite, "double", ColumnType::Float),
    (Engine::Sqlite, "float", ColumnType::Float),
    (Engine::Sqlite, "real", ColumnType::Float),
    (Engine::Sqlite, "varchar", ColumnType::Text),
    (Engine::Sqlite, "char", ColumnType::Text),
    (Engine::Sqlite, "text", ColumnType::Text),
    (Engine::Sqlite, "timestamp_with_timezone_text", ColumnType::Timestamp),
    (Engine::Sqlite, "date_text", ColumnType::Date),
    (Engine::Sqlite, "time_text", ColumnType::Time),
    (Engine::Sqlite, "json_text", ColumnType::Json),
    (Engine::Sqlite, "jsonb_text", ColumnType::Json),
    (Engine::Sqlite, "blob", ColumnType::Bytes),
    (Engine::Postgres, "boolean", ColumnType::Boolean),
    (Engine::Postgres, "smallint", ColumnType::Integer),
    (Engine::Postgres, "integer", ColumnType::Integer),
    (Engine::Postgres, "bigint", ColumnType::Integer),
    (Engine::Postgres, "double precision", ColumnType::Float),
    (Engine::Postgres, "real", ColumnType::Float),
    (Engine::Postgres, "character varying", ColumnType::Text),
    (Engine::Postgres, "character", ColumnType::Text),
    (Engine::Postgres, "text", ColumnType::Text),
    (Engine::Postgres, "timestamp with time zone", ColumnType::Timestamp),
    (Engine::Postgres, "date", ColumnType::Date),
    (Engine::Postgres, "time without time zone", ColumnType::Time),
    (Engine::Postgres, "json", ColumnType::Json),
    (Engine::Postgres, "jsonb", ColumnType::Json),
    (Engine::Postgres, "bytea", ColumnType::Bytes),
];

/// A declared type without its length or precision, lower case: `varchar(64)` → `varchar`.
pub fn base_type(declared: &str) -> String {
    declared.split('(').next().unwrap_or("").trim().to_lowercase()
}

/// The file type of a column an engine declares as `declared`; `None` for a type the table does
/// not know (an export refuses it, naming the column, rather than guess).
pub fn column_type(engine: Engine, declared: &str) -> Option<ColumnType> {
    let base = base_type(declared);
    CONVERSIONS.iter().find(|(e, name, _)| *e == engine && *name == base).map(|(_, _, t)| *t)
}

/// A value read from a database, decoded by its column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Boolean(bool),
    Integer(i64),
    Float(f64),
    Text(String),
    Timestamp(DateTime<FixedOffset>),
    Date(NaiveDate),
    Time(NaiveTime),
    Json(Json),
    Bytes(Vec<u8>),
}

/// Whole microseconds: the precision both engines keep.
fn micros(nanos: u32) -> u32 {
    nanos / 1_000 * 1_000
}

/// A cell as it is written in the file. Fails on a float that JSON cannot hold (NaN, ∞).
pub fn to_file(cell: Cell) -> Result<Json, String> {
    Ok(match cell {
        Cell::Null => Json::Null,
        Cell::Boolean(b) => Json::Bool(b),
        Cell::Integer(i) => Json::from(i),
        Cell::Float(f) => {
            serde_json::Number::from_f64(f).map(Json::Number).ok_or(format!("{f} is not a JSON number"))?
        }
        Cell::Text(s) => Json::String(s),
        Cell::Timestamp(t) => {
            let utc = t.with_timezone(&Utc);
            let utc = utc.with_nanosecond(micros(utc.nanosecond())).unwrap_or(utc);
            Json::String(utc.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        }
        Cell::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        Cell::Time(t) => {
            let t = t.with_nanosecond(micros(t.nanosecond())).unwrap_or(t);
            Json::String(t.format("%H:%M:%S%.f").to_string())
        }
        Cell::Json(j) => j,
        Cell::Bytes(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
    })
}

/// A value of the file as the parameter that writes it into a column of type `ty` (a typed
/// NULL for `null`, as PostgreSQL wants the parameter's type). Fails, saying what was expected,
/// on a value that is not of the column's type.
pub fn to_value(ty: ColumnType, value: &Json) -> Result<Value, String> {
    let wrong = |what: &str| format!("expected {what}, found {value}");
    let text = || value.as_str().ok_or_else(|| wrong("a string"));
    Ok(match (ty, value) {
        (ColumnType::Boolean, Json::Null) => Value::Bool(None),
        (ColumnType::Integer, Json::Null) => Value::BigInt(None),
        (ColumnType::Float, Json::Null) => Value::Double(None),
        (ColumnType::Text, Json::Null) => Value::String(None),
        (ColumnType::Timestamp, Json::Null) => Value::ChronoDateTimeWithTimeZone(None),
        (ColumnType::Date, Json::Null) => Value::ChronoDate(None),
        (ColumnType::Time, Json::Null) => Value::ChronoTime(None),
        (ColumnType::Json, Json::Null) => Value::Json(None),
        (ColumnType::Bytes, Json::Null) => Value::Bytes(None),
        (ColumnType::Boolean, _) => Value::Bool(Some(value.as_bool().ok_or_else(|| wrong("true or false"))?)),
        (ColumnType::Integer, _) => Value::BigInt(Some(value.as_i64().ok_or_else(|| wrong("an integer"))?)),
        (ColumnType::Float, _) => Value::Double(Some(value.as_f64().ok_or_else(|| wrong("a number"))?)),
        (ColumnType::Text, _) => Value::String(Some(text()?.to_string())),
        (ColumnType::Timestamp, _) => Value::ChronoDateTimeWithTimeZone(Some(
            DateTime::parse_from_rfc3339(text()?).map_err(|_| wrong("an RFC 3339 timestamp"))?,
        )),
        (ColumnType::Date, _) => Value::ChronoDate(Some(
            NaiveDate::parse_from_str(text()?, "%Y-%m-%d").map_err(|_| wrong("a date (YYYY-MM-DD)"))?,
        )),
        (ColumnType::Time, _) => Value::ChronoTime(Some(
            NaiveTime::parse_from_str(text()?, "%H:%M:%S%.f").map_err(|_| wrong("a time (HH:MM:SS)"))?,
        )),
        (ColumnType::Json, _) => Value::Json(Some(Box::new(value.clone()))),
        (ColumnType::Bytes, _) => {
            Value::Bytes(Some(base64::engine::general_purpose::STANDARD.decode(text()?).map_err(|_| wrong("base64"))?))
        }
    })
}

/// The order tables are written and imported in: a table after every table it refers to, ties
/// (and the tables of a reference cycle, in the end) by name. `refers` maps each table to the
/// tables its foreign keys name (itself included, which is ignored here).
pub fn table_order(refers: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut placed: Vec<String> = Vec::new();
    let mut left: BTreeSet<&String> = refers.keys().collect();
    while !left.is_empty() {
        let ready: Vec<&String> =
            left.iter().copied().filter(|t| refers[*t].iter().all(|r| r == *t || !left.contains(r))).collect();
        // A cycle: take the first by name and go on; its references are checked at commit.
        let ready = if ready.is_empty() { vec![*left.iter().next().expect("not empty")] } else { ready };
        for t in ready {
            left.remove(t);
            placed.push(t.clone());
        }
    }
    placed
}

/// Whether a foreign key from `table` to `referenced` must be checked at commit rather than at
/// each statement, given the tables `imported` before it: a reference to the table itself (a
/// group's parent may have a larger id) or to a table not imported yet (a cycle).
pub fn checked_at_commit(imported: &[String], table: &str, referenced: &str) -> bool {
    referenced == table || !imported.iter().any(|t| t == referenced)
}

/// How many of `binary`'s migrations to apply before importing a file exported after
/// `file`'s: all of the file's, which must be the binary's first ones in order. A file with a
/// migration this binary does not know was written by a newer version, and is refused.
pub fn migrations_to_apply(file: &[String], binary: &[String]) -> Result<usize, String> {
    if let Some(unknown) = file.iter().find(|m| !binary.contains(m)) {
        return Err(format!(
            "the file was exported by a newer Jiaoyan: its migration {unknown} is unknown to this binary; import it with the version that exported it (or a newer one)"
        ));
    }
    if binary.get(..file.len()) != Some(file) {
        return Err("the file's migrations are not this binary's first ones, in order: it was not written by Jiaoyan"
            .to_string());
    }
    Ok(file.len())
}

/// Rows per insert statement for a table of `columns` columns.
pub fn rows_per_batch(columns: usize) -> usize {
    (MAX_PARAMS / columns.max(1)).clamp(1, MAX_ROWS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_declares_each_file_type() {
        for (sqlite, postgres, ty) in [
            ("boolean", "boolean", ColumnType::Boolean),
            ("integer", "bigint", ColumnType::Integer),
            ("bigint", "integer", ColumnType::Integer),
            ("double", "double precision", ColumnType::Float),
            ("varchar(64)", "character varying(64)", ColumnType::Text),
            ("text", "text", ColumnType::Text),
            ("timestamp_with_timezone_text", "timestamp with time zone", ColumnType::Timestamp),
            ("date_text", "date", ColumnType::Date),
            ("time_text", "time without time zone", ColumnType::Time),
            ("json_text", "json", ColumnType::Json),
            ("jsonb_text", "jsonb", ColumnType::Json),
            ("blob", "bytea", ColumnType::Bytes),
        ] {
            assert_eq!(column_type(Engine::Sqlite, sqlite), Some(ty), "{sqlite}");
            assert_eq!(column_type(Engine::Postgres, postgres), Some(ty), "{postgres}");
        }
        assert_eq!(column_type(Engine::Sqlite, "VARCHAR(16)"), Some(ColumnType::Text));
        assert_eq!(column_type(Engine::Postgres, "numeric(10,2)"), None, "unknown types are refused, not guessed");
        assert_eq!(column_type(Engine::Postgres, "timestamp_with_timezone_text"), None);
    }

    fn round_trip(ty: ColumnType, cell: Cell) -> (Json, Value) {
        let written = to_file(cell).unwrap();
        let value = to_value(ty, &written).unwrap();
        (written, value)
    }

    #[test]
    fn values_are_written_one_way_whatever_engine_stored_them() {
        let (json, value) = round_trip(ColumnType::Boolean, Cell::Boolean(true));
        assert_eq!((json, value), (Json::Bool(true), Value::Bool(Some(true))));
        let (json, value) = round_trip(ColumnType::Integer, Cell::Integer(9_007_199_254_740_993));
        assert_eq!(json.to_string(), "9007199254740993", "64-bit integers survive");
        assert_eq!(value, Value::BigInt(Some(9_007_199_254_740_993)));
        let (json, _) = round_trip(ColumnType::Float, Cell::Float(2.5));
        assert_eq!(json, serde_json::json!(2.5));
        assert!(to_file(Cell::Float(f64::NAN)).is_err());
        let (json, value) = round_trip(ColumnType::Text, Cell::Text("语文 \"组\"".into()));
        assert_eq!(json, Json::String("语文 \"组\"".into()));
        assert_eq!(value, Value::String(Some("语文 \"组\"".into())));
        let (json, _) = round_trip(ColumnType::Date, Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
        assert_eq!(json, "2026-11-20");
        let (json, _) = round_trip(ColumnType::Time, Cell::Time(NaiveTime::from_hms_opt(14, 30, 0).unwrap()));
        assert_eq!(json, "14:30:00");
        let document = serde_json::json!({"scopes": ["roster.read"], "n": null});
        let (json, value) = round_trip(ColumnType::Json, Cell::Json(document.clone()));
        assert_eq!(json, document, "JSON is embedded, not quoted");
        assert_eq!(value, Value::Json(Some(Box::new(document))));
        let (json, value) = round_trip(ColumnType::Bytes, Cell::Bytes(vec![0, 255, 7]));
        assert_eq!(json, "AP8H");
        assert_eq!(value, Value::Bytes(Some(vec![0, 255, 7])));
    }

    #[test]
    fn timestamps_are_utc_to_the_microsecond() {
        // SQLite text keeps the writer's offset and nanoseconds; PostgreSQL keeps microseconds.
        let beijing = DateTime::parse_from_rfc3339("2026-11-20T16:00:00.123456789+08:00").unwrap();
        let (json, value) = round_trip(ColumnType::Timestamp, Cell::Timestamp(beijing));
        assert_eq!(json, "2026-11-20T08:00:00.123456Z");
        let expected = DateTime::parse_from_rfc3339("2026-11-20T08:00:00.123456Z").unwrap();
        assert_eq!(value, Value::ChronoDateTimeWithTimeZone(Some(expected)));
        let whole = DateTime::parse_from_rfc3339("2026-11-20T08:00:00+00:00").unwrap();
        assert_eq!(to_file(Cell::Timestamp(whole)).unwrap(), "2026-11-20T08:00:00Z");
    }

    #[test]
    fn nulls_are_typed_and_wrong_values_say_what_was_expected() {
        assert_eq!(to_value(ColumnType::Integer, &Json::Null).unwrap(), Value::BigInt(None));
        assert_eq!(to_value(ColumnType::Timestamp, &Json::Null).unwrap(), Value::ChronoDateTimeWithTimeZone(None));
        assert_eq!(to_file(Cell::Null).unwrap(), Json::Null);
        let err = to_value(ColumnType::Integer, &serde_json::json!("12")).unwrap_err();
        assert!(err.contains("expected an integer"), "{err}");
        let err = to_value(ColumnType::Date, &serde_json::json!("20.11.2026")).unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        assert!(to_value(ColumnType::Boolean, &serde_json::json!(1)).is_err(), "booleans are true/false in the file");
    }

    fn refs(pairs: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
        pairs.iter().map(|(t, r)| (t.to_string(), r.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn tables_come_after_those_they_refer_to() {
        let order = table_order(&refs(&[
            ("teachers", &["schools"]),
            ("schools", &["districts"]),
            ("districts", &[]),
            ("groups", &["groups", "schools"]),
            ("audit_log", &[]),
        ]));
        assert_eq!(order, ["audit_log", "districts", "schools", "groups", "teachers"]);
        let before = |table: &str| order[..order.iter().position(|t| t == table).unwrap()].to_vec();
        assert!(checked_at_commit(&before("groups"), "groups", "groups"), "a self-reference waits for the commit");
        assert!(!checked_at_commit(&before("teachers"), "teachers", "schools"));
        let cycle = table_order(&refs(&[("a", &["b"]), ("b", &["a"]), ("c", &[])]));
        assert_eq!(cycle, ["c", "a", "b"]);
        assert!(checked_at_commit(&["c".to_string()], "a", "b"), "a cycle's first reference waits");
        assert!(!checked_at_commit(&["c".to_string(), "a".to_string()], "b", "a"));
    }

    #[test]
    fn a_file_from_a_newer_binary_is_refused() {
        let binary: Vec<String> = ["m1", "m2", "m3"].map(String::from).to_vec();
        assert_eq!(migrations_to_apply(&binary[..2], &binary), Ok(2));
        assert_eq!(migrations_to_apply(&binary, &binary), Ok(3));
        let newer: Vec<String> = ["m1", "m2", "m3", "m4"].map(String::from).to_vec();
        let err = migrations_to_apply(&newer, &binary).unwrap_err();
        assert!(err.contains("newer") && err.contains("m4"), "{err}");
        let shuffled: Vec<String> = ["m2", "m1"].map(String::from).to_vec();
        assert!(migrations_to_apply(&shuffled, &binary).is_err());
    }

    #[test]
    fn batches_stay_under_the_parameter_limits() {
        assert_eq!(rows_per_batch(3), MAX_ROWS);
        assert_eq!(rows_per_batch(40), 400);
        assert!(rows_per_batch(40) * 40 <= MAX_PARAMS);
        assert_eq!(rows_per_batch(100_000), 1);
    }
}
