//! Database access: the standings of every district team's members in one `GROUP BY`, and the
//! removals with their memberships and notices in three set-wise statements of one transaction.

use super::rules::{removal_day, Rule, Tally};
use super::views::*;
use crate::auth::{Actor, Reach};
use crate::domain::DomainResult;
use crate::oneroster::sql::Sql;
use chrono::{DateTime, NaiveDate, Utc};
use entities::{semester, team_attendance_policy, team_removal};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The only reason a removal has for now (seed 001's attendance rule).
pub const REASON_ATTENDANCE: &str = "attendance";

/// Only sessions that took place count (as for attendance rates): held or filed, not deleted.
const HELD: &str = "a.status IN ('held', 'archived') AND a.archived_at IS NULL";

/// A current member of a district team and their numbers over a semester.
#[derive(Debug, Clone)]
pub struct Standing {
    pub membership_id: i64,
    pub group_id: i64,
    pub teacher_id: i64,
    pub school_id: i64,
    pub teacher_name: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    pub tally: Tally,
}

/// Which members a standings query reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Which {
    pub school_id: Option<i64>,
    pub group_id: Option<i64>,
    pub membership_id: Option<i64>,
}

/// The district's rule and when it was last set (`None`: the defaults).
pub async fn load_rule(db: &impl ConnectionTrait, district_id: i64) -> DomainResult<(Rule, Option<DateTime<Utc>>)> {
    let row = team_attendance_policy::Entity::find()
        .filter(team_attendance_policy::Column::DistrictId.eq(district_id))
        .one(db)
        .await?;
    Ok(match row {
        Some(p) => (
            Rule {
                numerator: p.absence_numerator,
                denominator: p.absence_denominator,
                leave_counts_as_absence: p.leave_counts_as_absence,
                automatic_at_semester_end: p.automatic_at_semester_end,
            },
            Some(p.updated_at),
        ),
        None => (Rule::default(), None),
    })
}

/// Sets the district's rule (insert or update), returning when.
pub async fn save_rule(db: &impl ConnectionTrait, district_id: i64, rule: Rule, at: DateTime<Utc>) -> DomainResult<()> {
    let existing = team_attendance_policy::Entity::find()
        .filter(team_attendance_policy::Column::DistrictId.eq(district_id))
        .one(db)
        .await?;
    let mut row = team_attendance_policy::ActiveModel {
        district_id: Set(district_id),
        absence_numerator: Set(rule.numerator),
        absence_denominator: Set(rule.denominator),
        leave_counts_as_absence: Set(rule.leave_counts_as_absence),
        automatic_at_semester_end: Set(rule.automatic_at_semester_end),
        updated_at: Set(at),
        ..Default::default()
    };
    match existing {
        Some(p) => {
            row.id = Set(p.id);
            team_attendance_policy::Entity::update(row).exec(db).await?;
        }
        None => {
            row.created_at = Set(at);
            team_attendance_policy::Entity::insert(row).exec(db).await?;
        }
    }
    Ok(())
}

/// Every district team of the district (or one) with the sessions it held in the semester.
pub async fn teams(
    db: &impl ConnectionTrait,
    semester: &semester::Model,
    group_id: Option<i64>,
) -> DomainResult<Vec<(i64, String, i64)>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT g.id, g.name, COUNT(a.id) FROM groups g LEFT JOIN activities a ON a.group_id = g.id AND a.semester_id = ")
        .bind(semester.id)
        .push(&format!(" AND {HELD} WHERE g.kind = 'district_team' AND g.archived_at IS NULL AND g.district_id = "))
        .bind(semester.district_id);
    if let Some(g) = group_id {
        sql.push(" AND g.id = ").bind(g);
    }
    sql.push(" GROUP BY g.id, g.name ORDER BY g.id");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// The numbers of the district teams' current members over the semester: every team's held
/// sessions while the teacher was a member, and the teacher's attendance at them. One query.
pub async fn standings(
    db: &impl ConnectionTrait,
    semester: &semester::Model,
    which: Which,
) -> DomainResult<Vec<Standing>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT m.id, m.group_id, m.teacher_id, t.school_id, t.name, m.since, m.until, COUNT(a.id), \
                COALESCE(SUM(CASE WHEN p.status IN ('present', 'late') THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN p.status = 'on_leave' THEN 1 ELSE 0 END), 0) \
           FROM group_memberships m \
           JOIN groups g ON g.id = m.group_id \
           JOIN teachers t ON t.id = m.teacher_id \
           LEFT JOIN activities a ON a.group_id = m.group_id AND a.semester_id = ",
    )
    .bind(semester.id)
    .push(&format!(
        " AND {HELD} AND a.date >= m.since AND (m.until IS NULL OR a.date <= m.until) \
           LEFT JOIN activity_participants p ON p.activity_id = a.id AND p.teacher_id = m.teacher_id \
          WHERE g.kind = 'district_team' AND g.archived_at IS NULL AND m.archived_at IS NULL AND g.district_id = "
    ))
    .bind(semester.district_id)
    .push(" AND m.since <= ")
    .bind(semester.end_date)
    .push(" AND (m.until IS NULL OR m.until >= ")
    .bind(semester.start_date)
    .push(")");
    for (column, value) in
        [("t.school_id", which.school_id), ("m.group_id", which.group_id), ("m.id", which.membership_id)]
    {
        if let Some(v) = value {
            sql.push(&format!(" AND {column} = ")).bind(v);
        }
    }
    sql.push(" GROUP BY m.id, m.group_id, m.teacher_id, t.school_id, t.name, m.since, m.until ORDER BY m.group_id, t.name, m.id");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    let standing = |r: sea_orm::QueryResult| -> Result<Standing, sea_orm::DbErr> {
        Ok(Standing {
            membership_id: r.try_get_by_index(0)?,
            group_id: r.try_get_by_index(1)?,
            teacher_id: r.try_get_by_index(2)?,
            school_id: r.try_get_by_index(3)?,
            teacher_name: r.try_get_by_index(4)?,
            since: r.try_get_by_index(5)?,
            until: r.try_get_by_index(6)?,
            tally: Tally {
                held: r.try_get_by_index(7)?,
                attended: r.try_get_by_index(8)?,
                on_leave: r.try_get_by_index(9)?,
            },
        })
    };
    Ok(rows.into_iter().map(standing).collect::<Result<_, _>>()?)
}

/// Who confirmed a batch of removals: a district administrator by hand, or the automatic rule.
#[derive(Debug, Clone, Copy)]
pub enum Decided {
    ByHand { user_id: i64 },
    Automatically,
}

/// Removes `members` (all over the rule) in the caller's transaction: one removal row each, their
/// memberships ended on the removal day and archived, and a notice to each member's school.
/// Returns the removals made.
pub async fn remove(
    txn: &impl ConnectionTrait,
    semester: &semester::Model,
    rule: &Rule,
    members: &[Standing],
    decided: Decided,
    note: Option<String>,
    (today, at): (NaiveDate, DateTime<Utc>),
) -> DomainResult<Vec<team_removal::Model>> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let rows = members.iter().map(|m| team_removal::ActiveModel {
        district_id: Set(semester.district_id),
        group_id: Set(m.group_id),
        semester_id: Set(semester.id),
        membership_id: Set(m.membership_id),
        teacher_id: Set(m.teacher_id),
        school_id: Set(m.school_id),
        reason: Set(REASON_ATTENDANCE.into()),
        held: Set(count(m.tally.held)),
        attended: Set(count(m.tally.attended)),
        absent: Set(count(m.tally.absent())),
        on_leave: Set(count(m.tally.on_leave)),
        absence_numerator: Set(rule.numerator),
        absence_denominator: Set(rule.denominator),
        leave_counts_as_absence: Set(rule.leave_counts_as_absence),
        automatic: Set(matches!(decided, Decided::Automatically)),
        confirmed_by_user_id: Set(match decided {
            Decided::ByHand { user_id } => Some(user_id),
            Decided::Automatically => None,
        }),
        removed_on: Set(removal_day(today, m.since, m.until)),
        note: Set(note.clone()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    });
    team_removal::Entity::insert_many(rows).exec(txn).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.membership_id).collect();
    let made = team_removal::Entity::find()
        .filter(team_removal::Column::SemesterId.eq(semester.id))
        .filter(team_removal::Column::MembershipId.is_in(ids))
        .all(txn)
        .await?;
    end_memberships(txn, semester, at).await?;
    leave_future_sessions(txn, semester).await?;
    crate::notices::queries::notify_removals(txn, semester.district_id, semester.id, at).await?;
    crate::alerts::events::team_notices(txn, made.iter().map(|r| r.id).collect()).await?;
    Ok(made)
}

/// Ends and archives every still-open membership that has a removal in the semester, on its
/// removal day: one statement.
async fn end_memberships(
    txn: &impl ConnectionTrait,
    semester: &semester::Model,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push(
        "UPDATE group_memberships SET until = (SELECT r.removed_on FROM team_removals r \
           WHERE r.membership_id = group_memberships.id), archived_at = ",
    )
    .bind(at)
    .push(", updated_at = ")
    .bind(at)
    .push(" WHERE archived_at IS NULL AND id IN (SELECT r.membership_id FROM team_removals r WHERE r.semester_id = ")
    .bind(semester.id)
    .push(")");
    txn.execute_raw(sql.into_statement()).await?;
    Ok(())
}

/// Takes the removed members off the lists of their team's sessions still to come (not yet
/// recorded, after the removal day): one statement.
async fn leave_future_sessions(txn: &impl ConnectionTrait, semester: &semester::Model) -> DomainResult<()> {
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push(
        "DELETE FROM activity_participants WHERE status = 'pending' AND EXISTS (SELECT 1 FROM team_removals r \
           JOIN activities a ON a.group_id = r.group_id \
          WHERE a.id = activity_participants.activity_id AND r.teacher_id = activity_participants.teacher_id \
            AND a.status IN ('draft', 'scheduled') AND a.date > r.removed_on AND r.semester_id = ",
    )
    .bind(semester.id)
    .push(")");
    txn.execute_raw(sql.into_statement()).await?;
    Ok(())
}

fn count(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The SQL form of "the caller sees this removal": the removals of the schools within reach.
pub fn visible_removals(actor: &Actor) -> Condition {
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(team_removal::Column::DistrictId.eq(d)),
        Reach::School { school_id, .. } => Condition::all().add(team_removal::Column::SchoolId.eq(school_id)),
    }
}

/// The removal of a membership, if any (for the 409 of a second confirmation).
pub async fn removal_of(db: &impl ConnectionTrait, membership_id: i64) -> DomainResult<Option<team_removal::Model>> {
    Ok(team_removal::Entity::find().filter(team_removal::Column::MembershipId.eq(membership_id)).one(db).await?)
}

/// What `list_removals` lists: the rows the caller sees that match the filter, in order (not paged).
pub(super) fn removals_matching(actor: &Actor, f: &TeamRemovalFilter) -> sea_orm::Select<team_removal::Entity> {
    let mut query = team_removal::Entity::find().filter(visible_removals(actor));
    for (column, value) in [
        (team_removal::Column::SemesterId, f.semester_id),
        (team_removal::Column::GroupId, f.group_id),
        (team_removal::Column::SchoolId, f.school_id),
        (team_removal::Column::TeacherId, f.teacher_id),
    ] {
        if let Some(v) = value {
            query = query.filter(column.eq(v));
        }
    }
    query.order_by_asc(team_removal::Column::Id)
}
