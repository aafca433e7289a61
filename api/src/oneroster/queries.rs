//! The SQL behind the OneRoster view. Each collection is a derived table `v` (a "view" in the
//! SQL sense, written out in the query) whose columns are the OneRoster fields that can be
//! filtered and sorted, already computed in SQL: sourcedIds (the row's own, or the synthetic
//! `jiaoyan-<type>-<id>`), status, dateLastModified, the split names. `filter=` and `sort=` then
//! become a WHERE and an ORDER BY over `v` (`fields.rs`), so every row is matched by the database
//! and only one page is ever loaded.
//!
//! - orgs: the caller's district, its zones, and its schools (only the caller's schools when the
//!   caller is limited to some);
//! - users: the teachers of those schools;
//! - academic sessions: the district's semesters (`term`) and one `schoolYear` per distinct
//!   `school_year` of them (dates spanning its semesters, last modified when the latest of them
//!   was, `tobedeleted` once all of them are archived).
//!
//! Every ordering ends with the view's unique key (`type_rank`, `row_id`, `sourced_id`), so pages
//! never overlap or skip rows.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::errors::RosterResult;
use super::fields::{order_term, push_where, Sort, Where};
use super::names::{family_name_sql, given_name_sql};
use super::sql::Sql;

/// Which district and schools a caller reads.
#[derive(Debug, Clone)]
pub struct Scope {
    pub district_id: i64,
    /// `None`: every school of the district.
    pub schools: Option<Vec<i64>>,
}

/// The three views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Orgs,
    Users,
    Sessions,
}

/// The synthetic sourcedId of a row the district system never named: `jiaoyan-<kind>-<id>`. The
/// prefix keeps them apart from the ids of the district's systems.
fn synthetic(kind: &str, id_column: &str) -> String {
    format!("'jiaoyan-{kind}-' || CAST({id_column} AS TEXT)")
}

/// sourcedId of the district `d` (districts have no `sourced_id`).
pub fn district_sourced_id_sql(d: &str) -> String {
    synthetic("district", &format!("{d}.id"))
}

/// sourcedId of the zone `z`.
pub fn zone_sourced_id_sql(z: &str) -> String {
    format!("COALESCE({z}.sourced_id, {})", synthetic("zone", &format!("{z}.id")))
}

/// sourcedId of the school `s`.
pub fn school_sourced_id_sql(s: &str) -> String {
    format!("COALESCE({s}.sourced_id, {})", synthetic("school", &format!("{s}.id")))
}

/// sourcedId of the teacher `t`: its `external_id`, the id the staff database knows it by.
pub fn teacher_sourced_id_sql(t: &str) -> String {
    format!("COALESCE({t}.external_id, {})", synthetic("teacher", &format!("{t}.id")))
}

/// sourcedId of the semester `m`.
pub fn term_sourced_id_sql(m: &str) -> String {
    format!("COALESCE({m}.sourced_id, {})", synthetic("term", &format!("{m}.id")))
}

/// sourcedId of the school year of the semester `m`: `jiaoyan-year-2026-2027`.
pub fn year_sourced_id_sql(m: &str) -> String {
    format!("'jiaoyan-year-' || {m}.school_year")
}

fn status_sql(alias: &str) -> String {
    format!("CASE WHEN {alias}.archived_at IS NULL THEN 'active' ELSE 'tobedeleted' END")
}

fn push_orgs(sql: &mut Sql, scope: &Scope) {
    let district = format!(
        "SELECT CAST(0 AS BIGINT) AS type_rank, d.id AS row_id, {sid} AS sourced_id, {status} AS status, \
         d.updated_at AS date_last_modified, d.name AS name, 'district' AS org_type, \
         COALESCE(d.code, '') AS identifier, CAST(NULL AS TEXT) AS parent_sourced_id \
         FROM districts d WHERE d.id = ",
        sid = district_sourced_id_sql("d"),
        status = status_sql("d"),
    );
    sql.push("(").push(&district).bind(scope.district_id);
    let zones = format!(
        " UNION ALL SELECT CAST(1 AS BIGINT), z.id, {sid}, {status}, z.updated_at, z.name, 'local', '', {parent} \
         FROM zones z WHERE z.district_id = ",
        sid = zone_sourced_id_sql("z"),
        status = status_sql("z"),
        parent = synthetic("district", "z.district_id"),
    );
    sql.push(&zones).bind(scope.district_id);
    let schools = format!(
        " UNION ALL SELECT CAST(2 AS BIGINT), s.id, {sid}, {status}, s.updated_at, s.name, 'school', \
         COALESCE(s.code, ''), CASE WHEN z.id IS NULL THEN {district} ELSE {zone} END \
         FROM schools s LEFT JOIN zones z ON z.id = s.zone_id WHERE s.district_id = ",
        sid = school_sourced_id_sql("s"),
        status = status_sql("s"),
        district = synthetic("district", "s.district_id"),
        zone = zone_sourced_id_sql("z"),
    );
    sql.push(&schools).bind(scope.district_id);
    if let Some(schools) = &scope.schools {
        sql.push(" AND s.id IN ").bind_list(schools);
    }
    sql.push(") v");
}

fn push_users(sql: &mut Sql, scope: &Scope) {
    let users = format!(
        "(SELECT CAST(0 AS BIGINT) AS type_rank, t.id AS row_id, {sid} AS sourced_id, {status} AS status, \
         t.updated_at AS date_last_modified, t.name AS name, {given} AS given_name, {family} AS family_name, \
         COALESCE(t.external_id, '') AS identifier, \
         CASE WHEN t.status = 'active' THEN 'true' ELSE 'false' END AS enabled_user, \
         t.status AS teacher_status, {org} AS org_sourced_id \
         FROM teachers t JOIN schools s ON s.id = t.school_id WHERE s.district_id = ",
        sid = teacher_sourced_id_sql("t"),
        status = status_sql("t"),
        given = given_name_sql(sql.backend, "t.name"),
        family = family_name_sql(sql.backend, "t.name"),
        org = school_sourced_id_sql("s"),
    );
    sql.push(&users).bind(scope.district_id);
    if let Some(schools) = &scope.schools {
        sql.push(" AND t.school_id IN ").bind_list(schools);
    }
    sql.push(") v");
}

fn push_sessions(sql: &mut Sql, scope: &Scope) {
    let terms = format!(
        "(SELECT CAST(1 AS BIGINT) AS type_rank, m.id AS row_id, {sid} AS sourced_id, {status} AS status, \
         m.updated_at AS date_last_modified, m.name AS title, 'term' AS session_type, \
         m.start_date AS start_date, m.end_date AS end_date, SUBSTR(m.school_year, 6, 4) AS school_year, \
         {year} AS parent_sourced_id, m.school_year AS year_key \
         FROM semesters m WHERE m.district_id = ",
        sid = term_sourced_id_sql("m"),
        status = status_sql("m"),
        year = year_sourced_id_sql("m"),
    );
    sql.push(&terms).bind(scope.district_id);
    let years = format!(
        " UNION ALL SELECT CAST(0 AS BIGINT), CAST(0 AS BIGINT), {year}, \
         CASE WHEN MIN(CASE WHEN m.archived_at IS NULL THEN 0 ELSE 1 END) = 0 THEN 'active' ELSE 'tobedeleted' END, \
         MAX(m.updated_at), m.school_year || '学年', 'schoolYear', MIN(m.start_date), MAX(m.end_date), \
         SUBSTR(m.school_year, 6, 4), CAST(NULL AS TEXT), m.school_year \
         FROM semesters m WHERE m.district_id = ",
        year = year_sourced_id_sql("m"),
    );
    sql.push(&years).bind(scope.district_id).push(" GROUP BY m.school_year) v");
}

fn push_view(sql: &mut Sql, kind: ViewKind, scope: &Scope) {
    match kind {
        ViewKind::Orgs => push_orgs(sql, scope),
        ViewKind::Users => push_users(sql, scope),
        ViewKind::Sessions => push_sessions(sql, scope),
    }
}

/// The natural order of a view, then its unique key.
fn default_order(sql: &Sql, kind: ViewKind) -> String {
    let c = sql.binary_collation();
    match kind {
        ViewKind::Sessions => format!("v.year_key{c}, v.type_rank, v.start_date, v.row_id, v.sourced_id{c}"),
        _ => format!("v.type_rank, v.row_id, v.sourced_id{c}"),
    }
}

/// What to select from a view.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    /// A fixed condition of the endpoint (`/schools` are the orgs of type school).
    pub restriction: Option<&'static str>,
    pub filter: Option<&'a Where>,
    /// Only the rows with this sourcedId.
    pub sourced_id: Option<&'a str>,
    /// Only the rows whose parent is one of these (for `children`).
    pub parents: Option<&'a [String]>,
}

fn push_from_where(sql: &mut Sql, kind: ViewKind, scope: &Scope, selection: &Selection) {
    sql.push(" FROM ");
    push_view(sql, kind, scope);
    sql.push(" WHERE 1 = 1");
    if let Some(restriction) = selection.restriction {
        sql.push(" AND ").push(restriction);
    }
    if let Some(sourced_id) = selection.sourced_id {
        sql.push(" AND v.sourced_id = ").bind(sourced_id.to_string());
    }
    if let Some(parents) = selection.parents {
        sql.push(" AND v.parent_sourced_id IN (");
        for (i, parent) in parents.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(parent.clone());
        }
        sql.push(")");
    }
    if let Some(filter) = selection.filter {
        sql.push(" AND (");
        push_where(sql, filter);
        sql.push(")");
    }
}

/// How many rows of a view match.
pub async fn count(
    db: &impl ConnectionTrait,
    kind: ViewKind,
    scope: &Scope,
    selection: &Selection<'_>,
) -> RosterResult<u64> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n");
    push_from_where(&mut sql, kind, scope, selection);
    let row = db.query_one_raw(sql.into_statement()).await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(n.max(0) as u64)
}

/// One page of the matching rows of a view, in the requested order.
pub async fn rows<R: FromQueryResult>(
    db: &impl ConnectionTrait,
    kind: ViewKind,
    scope: &Scope,
    selection: &Selection<'_>,
    sort: Option<&Sort>,
    limit: u64,
    offset: u64,
) -> RosterResult<Vec<R>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT v.*");
    push_from_where(&mut sql, kind, scope, selection);
    sql.push(" ORDER BY ");
    if let Some(sort) = sort {
        let term = order_term(&sql, sort);
        sql.push(&term).push(", ");
    }
    let order = default_order(&sql, kind);
    sql.push(&order);
    sql.push(" LIMIT ").bind(limit as i64).push(" OFFSET ").bind(offset as i64);
    Ok(R::find_by_statement(sql.into_statement()).all(db).await?)
}

/// A row of the orgs view.
#[derive(Debug, Clone, FromQueryResult)]
pub struct OrgRow {
    pub type_rank: i64,
    pub row_id: i64,
    pub sourced_id: String,
    pub status: String,
    pub date_last_modified: DateTime<Utc>,
    pub name: String,
    pub org_type: String,
    pub identifier: String,
    pub parent_sourced_id: Option<String>,
}

/// A row of the users view.
#[derive(Debug, Clone, FromQueryResult)]
pub struct UserRow {
    pub row_id: i64,
    pub sourced_id: String,
    pub status: String,
    pub date_last_modified: DateTime<Utc>,
    pub name: String,
    pub identifier: String,
    pub enabled_user: String,
    pub teacher_status: String,
    pub org_sourced_id: String,
}

/// A row of the academic sessions view.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SessionRow {
    pub type_rank: i64,
    pub row_id: i64,
    pub sourced_id: String,
    pub status: String,
    pub date_last_modified: DateTime<Utc>,
    pub title: String,
    pub session_type: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub school_year: String,
    pub parent_sourced_id: Option<String>,
}

/// `(parent sourcedId, child sourcedId)` of the rows of a view whose parent is one of `parents`,
/// in the view's natural order.
pub async fn children(
    db: &impl ConnectionTrait,
    kind: ViewKind,
    scope: &Scope,
    parents: &[String],
) -> RosterResult<Vec<(String, String)>> {
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(FromQueryResult)]
    struct Child {
        parent_sourced_id: String,
        sourced_id: String,
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT v.parent_sourced_id, v.sourced_id");
    push_from_where(&mut sql, kind, scope, &Selection { parents: Some(parents), ..Default::default() });
    let order = default_order(&sql, kind);
    sql.push(" ORDER BY ").push(&order);
    let rows = Child::find_by_statement(sql.into_statement()).all(db).await?;
    Ok(rows.into_iter().map(|c| (c.parent_sourced_id, c.sourced_id)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::DbBackend;

    #[test]
    fn synthetic_ids_are_prefixed_and_given_ids_win() {
        assert_eq!(district_sourced_id_sql("d"), "'jiaoyan-district-' || CAST(d.id AS TEXT)");
        assert_eq!(school_sourced_id_sql("s"), "COALESCE(s.sourced_id, 'jiaoyan-school-' || CAST(s.id AS TEXT))");
        assert_eq!(teacher_sourced_id_sql("t"), "COALESCE(t.external_id, 'jiaoyan-teacher-' || CAST(t.id AS TEXT))");
        assert_eq!(year_sourced_id_sql("m"), "'jiaoyan-year-' || m.school_year");
    }

    #[test]
    fn a_school_limited_scope_limits_schools_and_teachers_only() {
        let scope = Scope { district_id: 1, schools: Some(vec![3, 4]) };
        let mut sql = Sql::new(DbBackend::Postgres);
        push_orgs(&mut sql, &scope);
        assert!(sql.text().contains("FROM districts d WHERE d.id = $1"));
        assert!(sql.text().contains("FROM zones z WHERE z.district_id = $2"));
        assert!(sql.text().ends_with("WHERE s.district_id = $3 AND s.id IN ($4, $5)) v"));
        let mut sql = Sql::new(DbBackend::Sqlite);
        push_users(&mut sql, &scope);
        assert!(sql.text().ends_with("WHERE s.district_id = ? AND t.school_id IN (?, ?)) v"));
    }
}
