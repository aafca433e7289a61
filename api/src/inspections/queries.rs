//! Database access of the inspections API: scope, loading, the teachers an inspection covers,
//! and what the records show for them (one statement per source for all teachers at once).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entities::enums::{GroupKind, Role, TeacherStatus};
use entities::{
    group, group_membership, inspection, inspection_finding, inspection_subject, inspection_template, school, teacher,
};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::rules::{ChecklistItem, CountedWork, RowScope};
use super::views::WorkRef;
use crate::auth::{Actor, Reach};
use crate::domain::{DomainError, DomainResult, FieldError};
use crate::groups::access::live_membership;
use crate::oneroster::sql::Sql;

/// The caller's reach over templates, as SQL: its district's (district templates and those of
/// the schools it sees).
pub fn template_scope(actor: &Actor) -> Condition {
    use inspection_template::Column as C;
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(C::DistrictId.eq(d)),
        Reach::School { district_id, school_id } => Condition::all()
            .add(C::DistrictId.eq(district_id))
            .add(Condition::any().add(C::SchoolId.is_null()).add(C::SchoolId.eq(school_id))),
    }
}

/// A template the caller sees, or 404.
pub async fn load_template(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<inspection_template::Model> {
    inspection_template::Entity::find_by_id(id)
        .filter(template_scope(actor))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("inspection template"))
}

/// The caller's reach over inspections, as SQL: a school's staff see their school's inspections
/// and the district inspections that inspect one of its teachers.
pub fn inspection_scope(actor: &Actor) -> Condition {
    use inspection::Column as C;
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(C::DistrictId.eq(d)),
        // Wrapped in `all` so that filters added by the caller narrow it rather than widen it.
        Reach::School { school_id, .. } => Condition::all().add(
            Condition::any().add(C::SchoolId.eq(school_id)).add(
                Condition::all().add(C::SchoolId.is_null()).add(
                    C::Id.in_subquery(
                        Query::select()
                            .column(inspection_subject::Column::InspectionId)
                            .from(inspection_subject::Entity)
                            .and_where(inspection_subject::Column::SchoolId.eq(school_id))
                            .to_owned(),
                    ),
                ),
            ),
        ),
    }
}

/// An inspection the caller sees, or 404.
pub async fn load_inspection(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> DomainResult<inspection::Model> {
    inspection::Entity::find_by_id(id)
        .filter(inspection_scope(actor))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("inspection"))
}

/// The caller's reach over findings, as SQL: whose rows it sees (a teacher: their own).
pub fn finding_scope(actor: &Actor) -> Condition {
    use inspection_finding::Column as C;
    match actor.reach() {
        Reach::Everything => Condition::all(),
        Reach::District(d) => Condition::all().add(C::DistrictId.eq(d)),
        Reach::School { school_id, .. } if actor.role == Role::SchoolAdmin => {
            Condition::all().add(C::SchoolId.eq(school_id))
        }
        Reach::School { school_id, .. } => {
            Condition::all().add(C::SchoolId.eq(school_id)).add(C::TeacherId.eq(actor.teacher_id.unwrap_or(-1)))
        }
    }
}

/// A finding whose row the caller sees, or 404.
pub async fn load_finding(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<inspection_finding::Model> {
    inspection_finding::Entity::find_by_id(id)
        .filter(finding_scope(actor))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("inspection finding"))
}

/// The schools an inspection may cover: its own, or the district's live schools.
pub async fn covered_schools(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
) -> DomainResult<Vec<i64>> {
    if let Some(s) = school_id {
        return Ok(vec![s]);
    }
    Ok(school::Entity::find()
        .select_only()
        .column(school::Column::Id)
        .filter(school::Column::DistrictId.eq(district_id))
        .filter(school::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await?)
}

/// A teacher to inspect: `(teacher, school, group reported under)`.
pub type Subject = (i64, i64, Option<i64>);

/// The teachers named directly and through groups, each once, within `schools`; the ids that
/// name nothing there are answered as field errors (`teacher_ids[i]`, `group_ids[i]`).
pub async fn resolve_subjects(
    db: &impl ConnectionTrait,
    schools: &[i64],
    teacher_ids: &[i64],
    group_ids: &[i64],
    on: NaiveDate,
) -> DomainResult<(Vec<Subject>, Vec<FieldError>)> {
    let live = Condition::all()
        .add(teacher::Column::ArchivedAt.is_null())
        .add(teacher::Column::Status.is_in([TeacherStatus::Active, TeacherStatus::OnLeave]))
        .add(teacher::Column::SchoolId.is_in(schools.iter().copied()));
    let named: Vec<(i64, i64)> = teacher::Entity::find()
        .select_only()
        .columns([teacher::Column::Id, teacher::Column::SchoolId])
        .filter(live.clone().add(teacher::Column::Id.is_in(teacher_ids.iter().copied())))
        .into_tuple()
        .all(db)
        .await?;
    let groups: Vec<i64> = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .filter(group::Column::Id.is_in(group_ids.iter().copied()))
        .filter(group::Column::SchoolId.is_in(schools.iter().copied()))
        .filter(group::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut errors = Vec::new();
    for (i, id) in teacher_ids.iter().enumerate() {
        if !named.iter().any(|(t, _)| t == id) {
            errors.push(FieldError::new(format!("teacher_ids[{i}]"), "no such teacher in the inspected schools"));
        }
    }
    for (i, id) in group_ids.iter().enumerate() {
        if !groups.contains(id) {
            errors.push(FieldError::new(format!("group_ids[{i}]"), "no such group in the inspected schools"));
        }
    }
    let members: Vec<(i64, i64, i64)> = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::TeacherId)
        .column(teacher::Column::SchoolId)
        .column(group_membership::Column::GroupId)
        .join(
            sea_orm::JoinType::InnerJoin,
            group_membership::Entity::belongs_to(teacher::Entity)
                .from(group_membership::Column::TeacherId)
                .to(teacher::Column::Id)
                .into(),
        )
        .filter(live)
        .filter(group_membership::Column::GroupId.is_in(groups.iter().copied()))
        .filter(live_membership(on))
        .filter(group_membership::Column::Since.lte(on))
        .into_tuple()
        .all(db)
        .await?;
    let mut subjects: BTreeMap<i64, (i64, Option<i64>)> = BTreeMap::new();
    for (teacher, school, group) in members {
        subjects.entry(teacher).or_insert((school, Some(group)));
    }
    let direct: Vec<i64> = named.iter().map(|(t, _)| *t).filter(|t| !subjects.contains_key(t)).collect();
    let research = research_groups(db, &direct).await?;
    for (teacher, school) in named {
        subjects.entry(teacher).or_insert((school, research.get(&teacher).copied()));
    }
    Ok((subjects.into_iter().map(|(t, (s, g))| (t, s, g)).collect(), errors))
}

/// Each teacher's research group (教研组; the lowest id when several), to report them under.
async fn research_groups(db: &impl ConnectionTrait, teachers: &[i64]) -> DomainResult<HashMap<i64, i64>> {
    if teachers.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::TeacherId)
        .column_as(group_membership::Column::GroupId.min(), "group_id")
        .join(
            sea_orm::JoinType::InnerJoin,
            group_membership::Entity::belongs_to(group::Entity)
                .from(group_membership::Column::GroupId)
                .to(group::Column::Id)
                .into(),
        )
        .filter(group_membership::Column::TeacherId.is_in(teachers.iter().copied()))
        .filter(group_membership::Column::ArchivedAt.is_null())
        .filter(group_membership::Column::Until.is_null())
        .filter(group::Column::Kind.eq(GroupKind::Research))
        .filter(group::Column::ArchivedAt.is_null())
        .group_by(group_membership::Column::TeacherId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// A teacher inspected, with the names the form shows.
#[derive(Debug, Clone)]
pub struct SubjectRow {
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_id: i64,
    pub school_name: String,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
}

/// `AND <subject alias>.<column> = ?` for the rows the caller sees.
fn push_row_scope(sql: &mut Sql, alias: &str, rows: RowScope) {
    match rows {
        RowScope::All => {}
        RowScope::School(s) => {
            sql.push(&format!(" AND {alias}.school_id = ")).bind(s);
        }
        RowScope::Teacher(t) => {
            sql.push(&format!(" AND {alias}.teacher_id = ")).bind(t);
        }
    }
}

/// The inspected teachers whose rows the caller sees, by school, group and name.
pub async fn subjects(db: &impl ConnectionTrait, inspection_id: i64, rows: RowScope) -> DomainResult<Vec<SubjectRow>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT s.teacher_id, t.name, s.school_id, sc.name, s.group_id, g.name \
         FROM inspection_subjects s JOIN teachers t ON t.id = s.teacher_id JOIN schools sc ON sc.id = s.school_id \
         LEFT JOIN groups g ON g.id = s.group_id WHERE s.inspection_id = ",
    )
    .bind(inspection_id);
    push_row_scope(&mut sql, "s", rows);
    sql.push(" ORDER BY s.school_id, s.group_id, s.teacher_id");
    let found = db.query_all_raw(sql.into_statement()).await?;
    found
        .iter()
        .map(|r| {
            Ok(SubjectRow {
                teacher_id: r.try_get_by_index(0)?,
                teacher_name: r.try_get_by_index(1)?,
                school_id: r.try_get_by_index(2)?,
                school_name: r.try_get_by_index(3)?,
                group_id: r.try_get_by_index(4)?,
                group_name: r.try_get_by_index(5)?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(DomainError::from)
}

/// What the records show in the inspection's period, for every inspected teacher the caller
/// sees and every counted kind of work the checklist names: one statement for observations and
/// one for records, whatever the number of teachers.
pub async fn found_work(
    db: &impl ConnectionTrait,
    inspection: &inspection::Model,
    items: &[ChecklistItem],
    rows: RowScope,
) -> DomainResult<HashMap<(i64, CountedWork), Vec<WorkRef>>> {
    let counted: Vec<CountedWork> = items.iter().filter_map(|i| i.counts).collect();
    let mut out: HashMap<(i64, CountedWork), Vec<WorkRef>> = HashMap::new();
    let backend = db.get_database_backend();
    if counted.contains(&CountedWork::Observations) {
        let mut sql = Sql::new(backend);
        sql.push(
            "SELECT s.teacher_id, o.id, COALESCE(o.lesson_title, o.subject), o.observed_on \
             FROM inspection_subjects s JOIN observations o ON o.observer_teacher_id = s.teacher_id \
             WHERE o.archived_at IS NULL AND s.inspection_id = ",
        )
        .bind(inspection.id)
        .push(" AND o.observed_on >= ")
        .bind(inspection.period_start)
        .push(" AND o.observed_on <= ")
        .bind(inspection.period_end);
        push_row_scope(&mut sql, "s", rows);
        sql.push(" ORDER BY s.teacher_id, o.observed_on, o.id");
        for r in db.query_all_raw(sql.into_statement()).await? {
            let teacher: i64 = r.try_get_by_index(0)?;
            let work = WorkRef {
                source: "observation".into(),
                id: r.try_get_by_index(1)?,
                title: r.try_get_by_index(2)?,
                date: r.try_get_by_index(3)?,
            };
            out.entry((teacher, CountedWork::Observations)).or_default().push(work);
        }
    }
    let kinds: Vec<(CountedWork, &'static str)> =
        counted.iter().filter_map(|c| c.record_kind().map(|k| (*c, k.code()))).collect();
    if !kinds.is_empty() {
        let mut sql = Sql::new(backend);
        sql.push(
            "SELECT s.teacher_id, r.kind, r.id, r.title, r.written_on \
             FROM inspection_subjects s JOIN records r ON r.author_teacher_id = s.teacher_id \
             WHERE r.archived_at IS NULL AND s.inspection_id = ",
        )
        .bind(inspection.id)
        .push(" AND r.written_on >= ")
        .bind(inspection.period_start)
        .push(" AND r.written_on <= ")
        .bind(inspection.period_end)
        .push(" AND r.kind IN (");
        for (i, (_, code)) in kinds.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(*code);
        }
        sql.push(")");
        push_row_scope(&mut sql, "s", rows);
        sql.push(" ORDER BY s.teacher_id, r.written_on, r.id");
        for r in db.query_all_raw(sql.into_statement()).await? {
            let teacher: i64 = r.try_get_by_index(0)?;
            let kind: String = r.try_get_by_index(1)?;
            let Some((counted, _)) = kinds.iter().find(|(_, code)| *code == kind) else { continue };
            let work = WorkRef {
                source: "record".into(),
                id: r.try_get_by_index(2)?,
                title: r.try_get_by_index(3)?,
                date: r.try_get_by_index(4)?,
            };
            out.entry((teacher, *counted)).or_default().push(work);
        }
    }
    Ok(out)
}

/// How many inspected teachers' rows the caller sees.
pub async fn subject_count(db: &impl ConnectionTrait, inspection_id: i64, rows: RowScope) -> DomainResult<u64> {
    let mut cond = Condition::all().add(inspection_subject::Column::InspectionId.eq(inspection_id));
    match rows {
        RowScope::All => {}
        RowScope::School(s) => cond = cond.add(inspection_subject::Column::SchoolId.eq(s)),
        RowScope::Teacher(t) => cond = cond.add(inspection_subject::Column::TeacherId.eq(t)),
    }
    use sea_orm::PaginatorTrait;
    Ok(inspection_subject::Entity::find().filter(cond).count(db).await?)
}

/// The subject row of one teacher of an inspection, if inspected.
pub async fn subject_of(
    db: &impl ConnectionTrait,
    inspection_id: i64,
    teacher_id: i64,
) -> DomainResult<Option<inspection_subject::Model>> {
    Ok(inspection_subject::Entity::find()
        .filter(inspection_subject::Column::InspectionId.eq(inspection_id))
        .filter(inspection_subject::Column::TeacherId.eq(teacher_id))
        .one(db)
        .await?)
}

/// Inspections of the teacher (a filter of the list).
pub fn inspecting_teacher(teacher_id: i64) -> Condition {
    Condition::all().add(
        inspection::Column::Id.in_subquery(
            Query::select()
                .column(inspection_subject::Column::InspectionId)
                .from(inspection_subject::Entity)
                .and_where(inspection_subject::Column::TeacherId.eq(teacher_id))
                .to_owned(),
        ),
    )
}
