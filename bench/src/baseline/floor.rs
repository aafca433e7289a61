//! The floor: raw `sqlx` issuing the statements Jiaoyan issues for the same answer, with no ORM,
//! producing byte-identical JSON.
//!
//! As in Jiaoyan (`docs/PERFORMANCE.md`, "Reads"): the JWT verified, then a single read is
//! **2 statements**: the caller's live account by primary key (`api/src/auth/actor.rs`), and
//! one statement with the teacher, its school's district (the scope check), its change version
//! (the ETag) and its four lists as JSON arrays (`read_teacher` in
//! `api/src/people/teachers/queries.rs`). A list of 50 is **4 statements**: the account, the
//! count, the page, and the lists of every teacher of the page in one statement, the page's ids
//! as one JSON-array bind parameter (`load_children`).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use entities::enums::Post;
use sea_orm::Iterable;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::Row;

/// The pool of either engine, sized as Jiaoyan sizes its own (`api::db::connect`).
#[derive(Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub async fn connect(url: &str) -> anyhow::Result<Pool> {
        if url.starts_with("sqlite:") {
            let options: SqliteConnectOptions = url.parse()?;
            let options = options
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(10))
                .foreign_keys(true);
            Ok(Pool::Sqlite(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?))
        } else {
            Ok(Pool::Postgres(PgPoolOptions::new().max_connections(20).connect(url).await?))
        }
    }
}

/// The caller, as Jiaoyan's actor extractor reloads it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: String,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
}

impl Caller {
    /// `Actor::sees_school`.
    pub fn sees_school(&self, district_id: i64, school_id: i64) -> bool {
        match (self.role.as_str(), self.district_id, self.school_id) {
            ("district_admin", None, _) => true,
            ("district_admin", Some(d), _) => d == district_id,
            (_, Some(_), Some(s)) => s == school_id,
            _ => false,
        }
    }

    /// The list's scope as (district, school) conditions: `None` is no condition.
    fn scope(&self) -> (Option<i64>, Option<i64>) {
        match (self.role.as_str(), self.district_id, self.school_id) {
            ("district_admin", None, _) => (None, None),
            ("district_admin", Some(d), _) => (Some(d), None),
            (_, Some(_), Some(s)) => (None, Some(s)),
            _ => (None, Some(-1)),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct HonourJson {
    pub title: String,
    pub level: String,
    pub year: i32,
}

/// The same fields in the same order as Jiaoyan's `TeacherView`.
#[derive(Debug, Serialize)]
pub struct TeacherJson {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<i32>,
    pub teaching_start_year: Option<i32>,
    pub teaching_years: Option<i32>,
    pub degree: Option<String>,
    pub employment_type: String,
    pub professional_title: Option<String>,
    pub status: String,
    pub external_id: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub subjects: Vec<String>,
    pub grades: Vec<i32>,
    pub posts: Vec<String>,
    pub honours: Vec<HonourJson>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct PageJson {
    pub items: Vec<TeacherJson>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// What day it is for the schools (UTC+8), as `api::clock::today`.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8")).date_naive()
}

fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    on.year() - birth.year() - i32::from(before_birthday)
}

/// The rank of a post in its declaration order (principal first), as Jiaoyan sorts them.
fn post_rank(code: &str) -> usize {
    Post::iter().position(|p| p.code() == code).unwrap_or(usize::MAX)
}

/// `actor_of_token`'s statement: the columns of an `Actor`, a live account only.
const USER_SQL: &str = "SELECT id, username, role, district_id, school_id, teacher_id FROM users \
     WHERE id = $1 AND disabled = $2 AND archived_at IS NULL";
const TEACHER_COLUMNS: &str = "t.id, t.school_id, t.name, t.gender, t.birth_date, t.teaching_start_year, t.degree, \
     t.employment_type, t.professional_title, t.status, t.external_id, t.joined_on, t.left_on, t.created_at, \
     t.updated_at, t.archived_at";

/// The engines' dialects of the JSON aggregates, as Jiaoyan's `children_columns`.
#[derive(Clone, Copy)]
enum Dialect {
    Sqlite,
    Postgres,
}

/// The four lists of the teacher aliased `t`, each one text column holding a JSON array (`[]` on
/// SQLite and `NULL` on PostgreSQL when empty): the same SQL as Jiaoyan's `children_columns`.
fn children_columns(dialect: Dialect) -> String {
    let (agg, object, text) = match dialect {
        Dialect::Postgres => ("json_agg", "json_build_object", "::text"),
        Dialect::Sqlite => ("json_group_array", "json_object", ""),
    };
    format!(
        "(SELECT {agg}(x.subject ORDER BY x.subject){text} FROM teacher_subjects x WHERE x.teacher_id = t.id) \
           AS subjects, \
         (SELECT {agg}(x.grade ORDER BY x.grade){text} FROM teacher_grades x WHERE x.teacher_id = t.id) AS grades, \
         (SELECT {agg}(x.post){text} FROM teacher_posts x WHERE x.teacher_id = t.id) AS posts, \
         (SELECT {agg}({object}('title', x.title, 'level', x.level, 'year', x.year) ORDER BY x.year DESC, x.id){text} \
           FROM teacher_honours x WHERE x.teacher_id = t.id) AS honours"
    )
}

/// One list column of [`children_columns`], decoded straight into its type.
fn list<T: DeserializeOwned>(json: Option<String>, column: &str) -> anyhow::Result<Vec<T>> {
    match json {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json).map_err(|e| anyhow::anyhow!("teacher list {column} unreadable: {e}")),
    }
}

/// Decodes the teacher columns of a row (either engine) into a view without its lists.
macro_rules! teacher_of_row {
    ($row:expr, $today:expr) => {{
        let row = $row;
        let birth_date: Option<NaiveDate> = row.try_get("birth_date")?;
        let start: Option<i32> = row.try_get("teaching_start_year")?;
        TeacherJson {
            id: row.try_get("id")?,
            school_id: row.try_get("school_id")?,
            name: row.try_get("name")?,
            gender: row.try_get("gender")?,
            birth_date,
            age: birth_date.map(|b| age_on(b, $today)),
            teaching_start_year: start,
            teaching_years: start.map(|y| ($today.year() - y).max(0)),
            degree: row.try_get("degree")?,
            employment_type: row.try_get("employment_type")?,
            professional_title: row.try_get("professional_title")?,
            status: row.try_get("status")?,
            external_id: row.try_get("external_id")?,
            joined_on: row.try_get("joined_on")?,
            left_on: row.try_get("left_on")?,
            subjects: Vec::new(),
            grades: Vec::new(),
            posts: Vec::new(),
            honours: Vec::new(),
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            archived_at: row.try_get("archived_at")?,
        }
    }};
}

/// Fills a teacher's lists from the [`children_columns`] of a row (either engine).
macro_rules! fill_lists {
    ($row:expr, $teacher:expr) => {{
        let row = $row;
        let teacher: &mut TeacherJson = $teacher;
        teacher.subjects = list(row.try_get("subjects")?, "subjects")?;
        teacher.grades = list(row.try_get("grades")?, "grades")?;
        teacher.posts = list(row.try_get("posts")?, "posts")?;
        // Declaration order (principal first), which the text column cannot sort by.
        teacher.posts.sort_by_key(|p| post_rank(p));
        teacher.honours = list(row.try_get("honours")?, "honours")?;
    }};
}

/// The floor's statements, built once per engine and kept for the process's life
/// (`&'static str` is what sqlx takes as audited SQL). Placeholders are `$n` on both engines;
/// only the JSON functions differ, as in Jiaoyan.
pub struct Floor {
    pub pool: Pool,
    one_teacher: &'static str,
    count: &'static str,
    page: &'static str,
    page_lists: &'static str,
}

/// A teacher, its district and its change version.
pub struct Found {
    pub teacher: TeacherJson,
    pub district_id: i64,
    pub version: Option<i64>,
}

const LIST_WHERE: &str = "t.school_id = $2 AND t.archived_at IS NULL \
     AND (CAST($3 AS BIGINT) IS NULL OR t.school_id IN (SELECT id FROM schools WHERE district_id = $3)) \
     AND (CAST($4 AS BIGINT) IS NULL OR t.school_id = $4)";

impl Floor {
    pub fn new(pool: Pool) -> Floor {
        let dialect = match pool {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        };
        let children = children_columns(dialect);
        let one_teacher = format!(
            "SELECT {TEACHER_COLUMNS}, s.district_id AS school_district_id, \
               (SELECT c.change_version FROM change_log c WHERE c.resource_type = 'teachers' AND c.resource_id = t.id) \
                 AS change_version, \
               {children} \
             FROM teachers t JOIN schools s ON s.id = t.school_id WHERE t.id = $1"
        );
        let count = format!(
            "SELECT COUNT(*) FROM teachers t WHERE {}",
            LIST_WHERE.replace("$2", "$1").replace("$3", "$2").replace("$4", "$3")
        );
        let page =
            format!("SELECT {TEACHER_COLUMNS} FROM teachers t WHERE {LIST_WHERE} ORDER BY t.id LIMIT $5 OFFSET $1");
        let ids_of_param = match dialect {
            Dialect::Postgres => "SELECT value::bigint FROM json_array_elements_text($1::json)",
            Dialect::Sqlite => "SELECT value FROM json_each($1)",
        };
        let page_lists = format!("SELECT t.id, {children} FROM teachers t WHERE t.id IN ({ids_of_param})");
        Floor {
            pool,
            one_teacher: one_teacher.leak(),
            count: count.leak(),
            page: page.leak(),
            page_lists: page_lists.leak(),
        }
    }

    /// The user of a verified token, reloaded; `None` when disabled, archived or missing.
    pub async fn caller(&self, user_id: i64) -> anyhow::Result<Option<Caller>> {
        macro_rules! run {
            ($pool:expr, $row:ty) => {{
                let row: Option<$row> = sqlx::query(USER_SQL).bind(user_id).bind(false).fetch_optional($pool).await?;
                match row {
                    Some(row) => Some(Caller {
                        role: row.try_get("role")?,
                        district_id: row.try_get("district_id")?,
                        school_id: row.try_get("school_id")?,
                    }),
                    None => None,
                }
            }};
        }
        Ok(match &self.pool {
            Pool::Sqlite(p) => run!(p, SqliteRow),
            Pool::Postgres(p) => run!(p, PgRow),
        })
    }

    /// One teacher with its lists, its district and its change version: one statement.
    pub async fn teacher(&self, id: i64, today: NaiveDate) -> anyhow::Result<Option<Found>> {
        macro_rules! run {
            ($pool:expr, $row:ty) => {{
                let row: Option<$row> = sqlx::query(self.one_teacher).bind(id).fetch_optional($pool).await?;
                let Some(row) = row else { return Ok(None) };
                let district_id: i64 = row.try_get("school_district_id")?;
                let version: Option<i64> = row.try_get("change_version")?;
                let mut teacher = teacher_of_row!(&row, today);
                fill_lists!(&row, &mut teacher);
                Ok(Some(Found { teacher, district_id, version }))
            }};
        }
        match &self.pool {
            Pool::Sqlite(p) => run!(p, SqliteRow),
            Pool::Postgres(p) => run!(p, PgRow),
        }
    }

    /// `GET /teachers?school_id=S&limit=L&offset=O` as the caller sees it: the count, the page,
    /// and the page's lists in one statement (its ids as one JSON-array bind parameter).
    pub async fn page(
        &self,
        caller: &Caller,
        school_id: i64,
        limit: u64,
        offset: u64,
        today: NaiveDate,
    ) -> anyhow::Result<PageJson> {
        let (district, school) = caller.scope();
        let (limit_i, offset_i) = (limit as i64, offset as i64);
        macro_rules! run {
            ($pool:expr) => {{
                let total: i64 =
                    sqlx::query_scalar(self.count).bind(school_id).bind(district).bind(school).fetch_one($pool).await?;
                let rows = sqlx::query(self.page)
                    .bind(offset_i)
                    .bind(school_id)
                    .bind(district)
                    .bind(school)
                    .bind(limit_i)
                    .fetch_all($pool)
                    .await?;
                let mut items = Vec::with_capacity(rows.len());
                for row in &rows {
                    items.push(teacher_of_row!(row, today));
                }
                if !items.is_empty() {
                    let ids: Vec<i64> = items.iter().map(|t| t.id).collect();
                    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
                    let ids_json = serde_json::to_string(&ids)?;
                    for row in sqlx::query(self.page_lists).bind(ids_json).fetch_all($pool).await? {
                        if let Some(i) = index.get(&row.try_get::<i64, _>("id")?) {
                            fill_lists!(&row, &mut items[*i]);
                        }
                    }
                }
                PageJson { items, total: total as u64, limit, offset }
            }};
        }
        Ok(match &self.pool {
            Pool::Sqlite(p) => run!(p),
            Pool::Postgres(p) => run!(p),
        })
    }
}
