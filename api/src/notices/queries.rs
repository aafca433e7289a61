//! Database access.

use super::views::*;
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult};
use entities::enums::Role;
use entities::notice;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The kind of notice a district team's removal writes.
pub const TEAM_REMOVAL: &str = "team_removal";

/// Whether the caller's role reads notices at all: administrators (of the school or district).
pub fn reads_notices(actor: &Actor) -> bool {
    matches!(actor.role, Role::DistrictAdmin | Role::SchoolAdmin)
}

/// The SQL form of "the caller sees this notice": the notices of the schools within reach.
pub fn visible_notices(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(notice::Column::DistrictId.eq(d)),
        Reach::School { school_id, .. } => Condition::all().add(notice::Column::SchoolId.eq(school_id)),
    }
}

/// A notice within the caller's reach, or 404; 403 when the caller's role reads no notices.
pub async fn load_notice(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<notice::Model> {
    let found = notice::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|n| actor.sees_school(n.district_id, n.school_id))
        .ok_or_else(|| DomainError::not_found("notice"))?;
    actor.require(reads_notices(actor), "read notices")?;
    Ok(found)
}

/// Writes the notice of every removal of `district_id` and `semester_id` that has none yet, in
/// one statement (in the removals' transaction): to the member's school, naming the teacher, the
/// team and the numbers.
pub async fn notify_removals(
    db: &impl ConnectionTrait,
    district_id: i64,
    semester_id: i64,
    at: chrono::DateTime<chrono::Utc>,
) -> DomainResult<u64> {
    let backend = db.get_database_backend();
    let text = |column: &str| format!("CAST({column} AS TEXT)");
    let sql = format!(
        "INSERT INTO notices (district_id, school_id, kind, title, body, teacher_id, team_removal_id, created_at, updated_at) \
         SELECT r.district_id, r.school_id, '{TEAM_REMOVAL}', '中心组成员退出通知：' || t.name, \
                t.name || '（' || g.name || '）' || s.name || '应参加中心组活动 ' || {held} || ' 次，缺席 ' || {absent} || \
                ' 次（其中请假 ' || {leave} || ' 次' || CASE WHEN r.leave_counts_as_absence THEN '，计入缺席' ELSE '，不计入缺席' END || \
                '），超过 ' || {num} || '/' || {den} || '，按中心组管理制度退出中心组（自动退出）。', \
                r.teacher_id, r.id, {at}, {at} \
           FROM team_removals r \
           JOIN teachers t ON t.id = r.teacher_id \
           JOIN groups g ON g.id = r.group_id \
           JOIN semesters s ON s.id = r.semester_id \
          WHERE r.district_id = {district} AND r.semester_id = {semester} \
            AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.team_removal_id = r.id)",
        held = text("r.held"),
        absent = text("r.absent"),
        leave = text("r.on_leave"),
        num = text("r.absence_numerator"),
        den = text("r.absence_denominator"),
        at = placeholder(backend, 1),
        district = placeholder(backend, 2),
        semester = placeholder(backend, 3),
    );
    let values: Vec<sea_orm::Value> = vec![at.into(), district_id.into(), semester_id.into()];
    // `{at}` appears twice: SQLite's `?NNN` and PostgreSQL's `$n` both name the value by number.
    let result = db.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values)).await?;
    Ok(result.rows_affected())
}

/// The `n`th bound value (1-based), by number on both engines.
fn placeholder(backend: sea_orm::DatabaseBackend, n: usize) -> String {
    match backend {
        sea_orm::DatabaseBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

/// What `list_notices` lists: the rows the caller sees that match the filter, in order (not paged).
pub(super) fn notices_matching(actor: &Actor, f: &NoticeFilter) -> sea_orm::Select<notice::Entity> {
    let mut query = notice::Entity::find().filter(visible_notices(actor));
    if let Some(school_id) = f.school_id {
        query = query.filter(notice::Column::SchoolId.eq(school_id));
    }
    if let Some(kind) = &f.kind {
        query = query.filter(notice::Column::Kind.eq(kind));
    }
    query.order_by_desc(notice::Column::Id)
}
