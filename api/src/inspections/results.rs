//! Results of an inspection per teacher, per group and per school (JSON, CSV, XLSX with Chinese
//! headers), and the grades of a period for the semester appraisal.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use entities::enums::{FindingStatus, InspectionGrade, InspectionKind};
use entities::{inspection, inspection_finding};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

use super::form::build_form;
use super::queries::load_inspection;
use super::rules::{items_of, row_scope, ChecklistItem, RowScope};
use super::views::{FormView, ResultsQuery};
use crate::auth::Actor;
use crate::domain::{DomainError, DomainResult};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::oneroster::sql::Sql;
use crate::quota::reports::table::{respond, Bilingual, Cell, Column, Output, Report, Table};
use crate::state::State;

/// 优/良/合格/待改进.
pub fn grade_label(grade: InspectionGrade) -> &'static str {
    match grade {
        InspectionGrade::Excellent => "优",
        InspectionGrade::Good => "良",
        InspectionGrade::Pass => "合格",
        InspectionGrade::NeedsImprovement => "待改进",
    }
}

fn teachers_table(form: &FormView, open_findings: &HashMap<i64, i64>) -> Table {
    let mut table = Table::new(
        "teachers",
        Bilingual::new("Results per teacher", "教师检查结果"),
        vec![
            Column::new("teacher_id", "Teacher id", "教师编号"),
            Column::new("teacher", "Teacher", "教师"),
            Column::new("group", "Group", "教研组"),
            Column::new("item", "Item", "检查项目"),
            Column::new("found", "Found in records", "记录数"),
            Column::new("required", "Required", "要求数"),
            Column::new("grade", "Grade", "等级"),
            Column::new("points", "Points", "得分"),
            Column::new("comment", "Comment", "评语"),
            Column::new("open_findings", "Open findings", "待整改"),
        ],
    );
    for t in &form.teachers {
        for (item, entry) in form.items.iter().zip(&t.entries) {
            table.push(vec![
                t.teacher_id.into(),
                t.teacher_name.as_str().into(),
                t.group_name.clone().map_or(Cell::Empty, Cell::Text),
                item.name.as_str().into(),
                entry.found.as_ref().map_or(Cell::Empty, |f| Cell::Integer(i64::try_from(f.count).unwrap_or(0))),
                item.required_count.map_or(Cell::Empty, |n| Cell::Integer(n.into())),
                entry.grade.map_or(Cell::Empty, |g| grade_label(g).into()),
                entry.points.map_or(Cell::Empty, Cell::Number),
                entry.comment.clone().map_or(Cell::Empty, Cell::Text),
                open_findings.get(&t.teacher_id).copied().unwrap_or(0).into(),
            ]);
        }
    }
    table
}

/// The aggregate of one item over a group's or a school's teachers, from SQL.
struct Aggregate {
    school: String,
    group: Option<String>,
    item_key: String,
    graded: i64,
    by_grade: [i64; 4],
    average: Option<f64>,
}

/// Grades per item over each group's (`by_group`) or each school's teachers, in one statement.
/// The average is of the points, or of the grades' values (优 4, 良 3, 合格 2, 待改进 1).
async fn aggregates(
    db: &impl ConnectionTrait,
    inspection_id: i64,
    rows: RowScope,
    by_group: bool,
) -> DomainResult<Vec<Aggregate>> {
    let group_cols = if by_group { ", s.group_id, gr.name" } else { "" };
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!(
        "SELECT sc.name{gn}, g.item_key, COUNT(*), \
           SUM(CASE WHEN g.grade = 'excellent' THEN 1 ELSE 0 END), SUM(CASE WHEN g.grade = 'good' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN g.grade = 'pass' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN g.grade = 'needs_improvement' THEN 1 ELSE 0 END), \
           AVG(COALESCE(g.points, CASE g.grade WHEN 'excellent' THEN 4.0 WHEN 'good' THEN 3.0 WHEN 'pass' THEN 2.0 \
                                              WHEN 'needs_improvement' THEN 1.0 END)) \
         FROM inspection_grades g \
         JOIN inspection_subjects s ON s.inspection_id = g.inspection_id AND s.teacher_id = g.teacher_id \
         JOIN schools sc ON sc.id = s.school_id LEFT JOIN groups gr ON gr.id = s.group_id \
         WHERE g.inspection_id = ",
        gn = if by_group { ", gr.name" } else { "" },
    ))
    .bind(inspection_id);
    if let RowScope::School(s) = rows {
        sql.push(" AND s.school_id = ").bind(s);
    }
    sql.push(&format!(
        " GROUP BY s.school_id, sc.name{group_cols}, g.item_key ORDER BY s.school_id{o}, g.item_key",
        o = if by_group { ", s.group_id" } else { "" }
    ));
    let mut out = Vec::new();
    for r in db.query_all_raw(sql.into_statement()).await? {
        let mut i = 0;
        let mut next = || {
            i += 1;
            i - 1
        };
        let school: String = r.try_get_by_index(next())?;
        let group: Option<String> = if by_group { r.try_get_by_index(next())? } else { None };
        out.push(Aggregate {
            school,
            group,
            item_key: r.try_get_by_index(next())?,
            graded: r.try_get_by_index(next())?,
            by_grade: [
                r.try_get_by_index(next())?,
                r.try_get_by_index(next())?,
                r.try_get_by_index(next())?,
                r.try_get_by_index(next())?,
            ],
            average: r.try_get_by_index(next())?,
        });
    }
    Ok(out)
}

fn aggregate_table(name: &str, title: Bilingual, by_group: bool, rows: &[Aggregate], form: &FormView) -> Table {
    let mut columns = vec![Column::new("school", "School", "学校")];
    if by_group {
        columns.push(Column::new("group", "Group", "教研组"));
    }
    columns.extend([
        Column::new("item", "Item", "检查项目"),
        Column::new("graded", "Teachers graded", "已评人数"),
        Column::new("excellent", "Excellent", "优"),
        Column::new("good", "Good", "良"),
        Column::new("pass", "Pass", "合格"),
        Column::new("needs_improvement", "Needs improvement", "待改进"),
        Column::new("average", "Average", "平均分"),
    ]);
    let mut table = Table::new(name, title, columns);
    for a in rows {
        let item = form.items.iter().find(|i| i.key == a.item_key).map_or(a.item_key.clone(), |i| i.name.clone());
        let mut row: Vec<Cell> = vec![a.school.as_str().into()];
        if by_group {
            row.push(a.group.clone().map_or(Cell::Empty, Cell::Text));
        }
        row.extend([item.into(), a.graded.into()]);
        row.extend(a.by_grade.iter().map(|n| Cell::Integer(*n)));
        row.push(a.average.map_or(Cell::Empty, |x| Cell::Number((x * 100.0).round() / 100.0)));
        table.push(row);
    }
    table
}

/// Open findings per teacher of the inspection (one grouped statement).
async fn open_findings(db: &impl ConnectionTrait, inspection_id: i64) -> DomainResult<HashMap<i64, i64>> {
    use inspection_finding::Column as F;
    let rows: Vec<(i64, i64)> = inspection_finding::Entity::find()
        .select_only()
        .column(F::TeacherId)
        .column_as(F::Id.count(), "n")
        .filter(F::InspectionId.eq(inspection_id))
        .filter(F::Status.ne(FindingStatus::Closed))
        .filter(F::ArchivedAt.is_null())
        .group_by(F::TeacherId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The results of an inspection as a report: per teacher (the caller's rows: a teacher sees
/// their own), and for administrators per group and per school.
pub async fn results_report(
    db: &impl ConnectionTrait,
    found: &inspection::Model,
    rows: RowScope,
) -> DomainResult<Report> {
    let form = build_form(db, found, rows).await?;
    let findings = open_findings(db, found.id).await?;
    let mut report = Report::new(
        Bilingual::new(format!("Inspection results: {}", found.title), format!("检查结果：{}", found.title)),
        format!("inspection-{}-results", found.id),
    )
    .meta("inspection_id", found.id)
    .meta("inspected_on", found.inspected_on)
    .meta("period_start", found.period_start)
    .meta("period_end", found.period_end);
    report.tables.push(teachers_table(&form, &findings));
    if rows.sees_aggregates() {
        let groups = aggregates(db, found.id, rows, true).await?;
        report.tables.push(aggregate_table(
            "groups",
            Bilingual::new("Results per group", "教研组检查结果"),
            true,
            &groups,
            &form,
        ));
        let schools = aggregates(db, found.id, rows, false).await?;
        report.tables.push(aggregate_table(
            "schools",
            Bilingual::new("Results per school", "学校检查结果"),
            false,
            &schools,
            &form,
        ));
    }
    Ok(report)
}

/// The results per teacher, per group and per school (JSON, or one table as CSV, or every table
/// as XLSX; `lang=zh` for Chinese headers). A teacher gets only their own rows.
#[utoipa::path(
    tag = "inspections",
    params(("id" = i64, Path, description = "Inspection id"), ResultsQuery),
    responses(
        (status = 200, description = "The results", content(
            (crate::quota::reports::table::ReportView = "application/json"),
            (inline(crate::quota::reports::table::BinaryFile) = "text/csv"),
            (inline(crate::quota::reports::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))
    )
)]
#[get("/inspections/{id}/results")]
pub async fn inspection_results(
    state: State,
    actor: Actor,
    id: web::Path<i64>,
    query: Query<ResultsQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.0;
    let found = load_inspection(state.reads(), &actor, id.into_inner()).await?;
    let report = results_report(state.reads(), &found, row_scope(&actor, found.district_id)).await?;
    respond(&report, &Output::new(query.format, query.lang, query.table))
}

/// One teacher's grade for one item of one inspection (for the semester appraisal).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemGrade {
    pub teacher_id: i64,
    pub school_id: i64,
    pub group_id: Option<i64>,
    pub inspection_id: i64,
    pub kind: InspectionKind,
    pub inspected_on: NaiveDate,
    pub item_key: String,
    pub item_name: String,
    pub grade: Option<InspectionGrade>,
    pub points: Option<f64>,
    /// The item's maximum, on a points item.
    pub max_points: Option<f64>,
}

/// Every grade given in the live inspections of a district dated `from..=to`, of the teachers
/// of `school_id` (all the district's schools when `None`), from school and district
/// inspections alike: two statements, ordered by teacher, date, inspection and item.
pub async fn grades_in_period(
    db: &impl ConnectionTrait,
    district_id: i64,
    school_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<Vec<ItemGrade>> {
    use inspection::Column as I;
    let inspections: HashMap<i64, (inspection::Model, Vec<ChecklistItem>)> = inspection::Entity::find()
        .filter(I::DistrictId.eq(district_id))
        .filter(I::ArchivedAt.is_null())
        .filter(I::InspectedOn.gte(from))
        .filter(I::InspectedOn.lte(to))
        .all(db)
        .await?
        .into_iter()
        .map(|i| {
            let items = items_of(&i.items);
            (i.id, (i, items))
        })
        .collect();
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT g.teacher_id, g.inspection_id, g.item_key, g.grade, g.points, s.school_id, s.group_id \
         FROM inspection_grades g \
         JOIN inspection_subjects s ON s.inspection_id = g.inspection_id AND s.teacher_id = g.teacher_id \
         JOIN inspections i ON i.id = g.inspection_id \
         WHERE i.archived_at IS NULL AND i.district_id = ",
    )
    .bind(district_id)
    .push(" AND i.inspected_on >= ")
    .bind(from)
    .push(" AND i.inspected_on <= ")
    .bind(to);
    if let Some(s) = school_id {
        sql.push(" AND s.school_id = ").bind(s);
    }
    sql.push(" ORDER BY g.teacher_id, i.inspected_on, g.inspection_id, g.item_key");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let inspection_id: i64 = r.try_get_by_index(1)?;
        let item_key: String = r.try_get_by_index(2)?;
        let (found, items) = inspections
            .get(&inspection_id)
            .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("grade of unknown inspection {inspection_id}")))?;
        let item = items.iter().find(|i| i.key == item_key);
        out.push(ItemGrade {
            teacher_id: r.try_get_by_index(0)?,
            school_id: r.try_get_by_index(5)?,
            group_id: r.try_get_by_index(6)?,
            inspection_id,
            kind: found.kind,
            inspected_on: found.inspected_on,
            item_name: item.map_or(item_key.clone(), |i| i.name.clone()),
            max_points: item.and_then(|i| i.max_points),
            item_key,
            grade: r.try_get_by_index(3)?,
            points: r.try_get_by_index(4)?,
        });
    }
    Ok(out)
}
