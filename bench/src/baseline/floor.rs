//! The floor: raw `sqlx` doing the statements Jiaoyan needs for the same answer, with no ORM,
//! producing byte-identical JSON.
//!
//! A single read is four kinds of work, as in Jiaoyan: verify the JWT, reload the caller's user
//! row (a disabled or archived account is refused), the teacher joined with its school and its
//! change version (the ETag) in one statement, and the four child tables, one statement each.
//! A list of 50 is the user, the count, the page, and the four child tables of the page (the
//! page's ids as a subquery, never one bind parameter per row).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use entities::enums::Post;
use sea_orm::Iterable;
use serde::Serialize;
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

#[derive(Debug, Serialize)]
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

const USER_SQL: &str = "SELECT role, district_id, school_id, disabled, archived_at FROM users WHERE id = $1";
const TEACHER_COLUMNS: &str = "t.id, t.school_id, t.name, t.gender, t.birth_date, t.teaching_start_year, t.degree, \
     t.employment_type, t.professional_title, t.status, t.external_id, t.joined_on, t.left_on, t.created_at, \
     t.updated_at, t.archived_at";

/// Decodes the teacher columns of a row (either engine) into a view without children.
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

/// The four child-table statements for the teachers `ids_sql` selects (binds `$1`, `$2`, ...).
fn child_sql(ids_sql: &str) -> [&'static str; 4] {
    [
        format!("SELECT teacher_id, subject FROM teacher_subjects WHERE teacher_id IN ({ids_sql}) ORDER BY subject"),
        format!("SELECT teacher_id, grade FROM teacher_grades WHERE teacher_id IN ({ids_sql}) ORDER BY grade"),
        format!("SELECT teacher_id, post FROM teacher_posts WHERE teacher_id IN ({ids_sql})"),
        format!(
            "SELECT teacher_id, title, level, year FROM teacher_honours WHERE teacher_id IN ({ids_sql}) \
             ORDER BY year DESC, id"
        ),
    ]
    .map(|sql| sql.leak() as &'static str)
}

/// Fills the children of `teachers` from the four child statements' rows.
macro_rules! fill_children {
    ($pool:expr, $sqls:expr, [$($arg:expr),*], $teachers:expr) => {{
        let index: HashMap<i64, usize> = $teachers.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let [subjects, grades, posts, honours] = $sqls;
        for row in sqlx::query(subjects)$(.bind($arg))*.fetch_all($pool).await? {
            if let Some(i) = index.get(&row.try_get::<i64, _>(0)?) {
                $teachers[*i].subjects.push(row.try_get(1)?);
            }
        }
        for row in sqlx::query(grades)$(.bind($arg))*.fetch_all($pool).await? {
            if let Some(i) = index.get(&row.try_get::<i64, _>(0)?) {
                $teachers[*i].grades.push(row.try_get(1)?);
            }
        }
        for row in sqlx::query(posts)$(.bind($arg))*.fetch_all($pool).await? {
            if let Some(i) = index.get(&row.try_get::<i64, _>(0)?) {
                $teachers[*i].posts.push(row.try_get(1)?);
            }
        }
        for row in sqlx::query(honours)$(.bind($arg))*.fetch_all($pool).await? {
            if let Some(i) = index.get(&row.try_get::<i64, _>(0)?) {
                $teachers[*i].honours.push(HonourJson {
                    title: row.try_get(1)?,
                    level: row.try_get(2)?,
                    year: row.try_get(3)?,
                });
            }
        }
        for t in $teachers.iter_mut() {
            t.posts.sort_by_key(|p| post_rank(p));
        }
    }};
}

/// The floor's statements, once per engine (the same SQL text: both accept `$n`).
/// The statements are built once and kept for the process's life (`&'static str` is what sqlx
/// takes as audited SQL).
pub struct Floor {
    pub pool: Pool,
    one_teacher: &'static str,
    one_children: [&'static str; 4],
    count: &'static str,
    page: &'static str,
    page_children: [&'static str; 4],
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
        let one_teacher = format!(
            "SELECT {TEACHER_COLUMNS}, s.district_id, \
             (SELECT c.change_version FROM change_log c WHERE c.resource_type = 'teachers' AND c.resource_id = t.id) \
             AS version FROM teachers t JOIN schools s ON s.id = t.school_id WHERE t.id = $1"
        );
        let one_children = [
            "SELECT teacher_id, subject FROM teacher_subjects WHERE teacher_id = $1 ORDER BY subject",
            "SELECT teacher_id, grade FROM teacher_grades WHERE teacher_id = $1 ORDER BY grade",
            "SELECT teacher_id, post FROM teacher_posts WHERE teacher_id = $1",
            "SELECT teacher_id, title, level, year FROM teacher_honours WHERE teacher_id = $1 ORDER BY year DESC, id",
        ];
        let count = format!(
            "SELECT COUNT(*) FROM teachers t WHERE {}",
            LIST_WHERE.replace("$2", "$1").replace("$3", "$2").replace("$4", "$3")
        );
        let page =
            format!("SELECT {TEACHER_COLUMNS} FROM teachers t WHERE {LIST_WHERE} ORDER BY t.id LIMIT $5 OFFSET $1");
        let ids = format!("SELECT t.id FROM teachers t WHERE {LIST_WHERE} ORDER BY t.id LIMIT $5 OFFSET $1");
        Floor {
            pool,
            one_teacher: one_teacher.leak(),
            one_children,
            count: count.leak(),
            page: page.leak(),
            page_children: child_sql(&ids),
        }
    }

    /// The user of a verified token, reloaded; `None` when disabled, archived or missing.
    pub async fn caller(&self, user_id: i64) -> anyhow::Result<Option<Caller>> {
        macro_rules! run {
            ($pool:expr, $row:ty) => {{
                let row: Option<$row> = sqlx::query(USER_SQL).bind(user_id).fetch_optional($pool).await?;
                match row {
                    Some(row) => {
                        let disabled: bool = row.try_get("disabled")?;
                        let archived: Option<DateTime<Utc>> = row.try_get("archived_at")?;
                        (!disabled && archived.is_none()).then(|| -> anyhow::Result<Caller> {
                            Ok(Caller {
                                role: row.try_get("role")?,
                                district_id: row.try_get("district_id")?,
                                school_id: row.try_get("school_id")?,
                            })
                        })
                    }
                    None => None,
                }
            }};
        }
        let found = match &self.pool {
            Pool::Sqlite(p) => run!(p, SqliteRow),
            Pool::Postgres(p) => run!(p, PgRow),
        };
        found.transpose()
    }

    /// One teacher with its children, its district and its change version.
    pub async fn teacher(&self, id: i64, today: NaiveDate) -> anyhow::Result<Option<Found>> {
        macro_rules! run {
            ($pool:expr, $row:ty) => {{
                let row: Option<$row> = sqlx::query(self.one_teacher).bind(id).fetch_optional($pool).await?;
                let Some(row) = row else { return Ok(None) };
                let district_id: i64 = row.try_get("district_id")?;
                let version: Option<i64> = row.try_get("version")?;
                let mut teachers = vec![teacher_of_row!(&row, today)];
                let sqls = self.one_children;
                fill_children!($pool, sqls, [id], teachers);
                let teacher = teachers.pop().expect("one teacher");
                Ok(Some(Found { teacher, district_id, version }))
            }};
        }
        match &self.pool {
            Pool::Sqlite(p) => run!(p, SqliteRow),
            Pool::Postgres(p) => run!(p, PgRow),
        }
    }

    /// `GET /teachers?school_id=S&limit=L&offset=O` as the caller sees it.
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
                    fill_children!($pool, self.page_children, [offset_i, school_id, district, school, limit_i], items);
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
