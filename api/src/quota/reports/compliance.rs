//! Compliance per teacher (教研常规考核情况表) for a school, a zone or the district: one row per
//! teacher, for each rule that measures anyone a column with `actual/required` and one with the
//! status, and the teacher's count of each status; plus a table of the rules with their totals.
//! Built on the checks engine, so the report and `GET /quota-checks` cannot disagree.

use std::collections::BTreeMap;

use actix_web::{get, HttpResponse};
use chrono::NaiveDate;
use entities::school;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::table::{respond, Bilingual, Cell, Column, Lang, Output, Report, ReportFormat, Table};
use crate::auth::Actor;
use crate::clock::today;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::quota::checks::audience::Selection;
use crate::quota::checks::engine::RuleRef;
use crate::quota::checks::kept::Brief;
use crate::quota::checks::service::{check, Request};
use crate::quota::evaluate::Status;
use crate::quota::rules::SubjectType;
use crate::state::State;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(compliance_report);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// Default: the semester of the caller's district containing `as_of` (a 422 on `semester_id`
    /// when none does, or for an installation administrator, who has no district).
    pub semester_id: Option<i64>,
    /// Default today (UTC+8).
    pub as_of: Option<NaiveDate>,
    /// One school (school administrators: their own); none: the caller's whole reach.
    pub school_id: Option<i64>,
    /// One zone (district administrators).
    pub zone_id: Option<i64>,
    pub format: Option<ReportFormat>,
    pub lang: Option<Lang>,
    /// The table a CSV holds: `compliance` (default) or `rules`.
    pub table: Option<String>,
}

/// A status as a reader of the report says it.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Met, Lang::En) => "met",
        (Status::Short, Lang::En) => "short",
        (Status::AtRisk, Lang::En) => "at risk",
        (Status::OnTrack, Lang::En) => "on track",
        (Status::Met, Lang::Zh) => "达标",
        (Status::Short, Lang::Zh) => "未达标",
        (Status::AtRisk, Lang::Zh) => "有风险",
        (Status::OnTrack, Lang::Zh) => "进度正常",
    }
}

/// `7`, `7.5`, `0.96`: no trailing zeros, at most two decimals.
pub fn number(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

const STATUSES: [Status; 4] = [Status::Met, Status::OnTrack, Status::AtRisk, Status::Short];

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::OnTrack => "on_track",
        Status::AtRisk => "at_risk",
        Status::Short => "short",
    }
}

/// The report's tables from the checks' results (teachers only), in the checks' order. Pure.
pub fn tables(items: &[Brief], school_names: &BTreeMap<i64, String>, lang: Lang) -> Vec<Table> {
    let teachers: Vec<&Brief> = items.iter().filter(|i| i.subject.kind == SubjectType::Teacher).collect();
    let mut rules: Vec<RuleRef> = Vec::new();
    for item in &teachers {
        if !rules.iter().any(|r| r.id == item.rule.id && r.index == item.rule.index) {
            rules.push(item.rule.clone());
        }
    }
    rules.sort_by_key(|r| (r.id, r.index));
    let key = |r: &RuleRef| match r.id {
        Some(id) => format!("rule_{id}"),
        None => format!("draft_{}", r.index.unwrap_or_default()),
    };

    let mut columns = vec![Column::new("school", "School", "学校"), Column::new("teacher", "Teacher", "教师")];
    for r in &rules {
        columns.push(Column::new(key(r), format!("{} (actual/required)", r.name), format!("{}（完成/要求）", r.name)));
        columns.push(Column::new(
            format!("{}_status", key(r)),
            format!("{} status", r.name),
            format!("{}状态", r.name),
        ));
    }
    for s in STATUSES {
        columns.push(Column::new(
            status_key(s),
            format!("rules {}", status_label(s, Lang::En)),
            format!("{}项数", status_label(s, Lang::Zh)),
        ));
    }
    let mut compliance = Table::new("compliance", Bilingual::new("Compliance per teacher", "教师考核情况"), columns);

    // Rows in the checks' order (by teacher name), one per teacher.
    let mut order: Vec<i64> = Vec::new();
    let mut by_teacher: BTreeMap<i64, Vec<&Brief>> = BTreeMap::new();
    for item in &teachers {
        if !by_teacher.contains_key(&item.subject.id) {
            order.push(item.subject.id);
        }
        by_teacher.entry(item.subject.id).or_default().push(item);
    }
    for id in order {
        let own = &by_teacher[&id];
        let first = own[0];
        let school = first.subject.school_id.and_then(|s| school_names.get(&s).cloned());
        let mut row: Vec<Cell> = vec![school.into(), first.subject.name.clone().into()];
        for r in &rules {
            match own.iter().find(|i| i.rule.id == r.id && i.rule.index == r.index) {
                Some(i) => {
                    row.push(format!("{}/{}", number(i.actual), number(i.required)).into());
                    row.push(status_label(i.status, lang).into());
                }
                None => row.extend([Cell::Empty, Cell::Empty]),
            }
        }
        for s in STATUSES {
            row.push(Cell::Integer(own.iter().filter(|i| i.status == s).count() as i64));
        }
        compliance.push(row);
    }

    let mut rule_columns = vec![
        Column::new("rule_id", "Rule id", "规则编号"),
        Column::new("name", "Rule", "规则"),
        Column::new("metric", "Counts", "统计内容"),
        Column::new("period", "Per", "周期"),
        Column::new("min", "Minimum per period", "每周期最低"),
        Column::new("teachers", "Teachers measured", "考核人数"),
    ];
    for s in STATUSES {
        rule_columns.push(Column::new(status_key(s), status_label(s, Lang::En), status_label(s, Lang::Zh)));
    }
    let mut rules_table = Table::new("rules", Bilingual::new("Rules", "考核规则"), rule_columns);
    for r in &rules {
        let measured: Vec<&&Brief> = teachers.iter().filter(|i| i.rule.id == r.id && i.rule.index == r.index).collect();
        let mut row: Vec<Cell> = vec![
            r.id.into(),
            r.name.clone().into(),
            r.metric.clone().into(),
            crate::quota::store::views::code_of(&r.period).into(),
            Cell::Number(r.min),
            Cell::Integer(measured.len() as i64),
        ];
        for s in STATUSES {
            row.push(Cell::Integer(measured.iter().filter(|i| i.status == s).count() as i64));
        }
        rules_table.push(row);
    }
    vec![compliance, rules_table]
}

/// The names of the schools.
async fn school_names(db: &impl ConnectionTrait, mut ids: Vec<i64>) -> ApiResult<BTreeMap<i64, String>> {
    ids.sort();
    ids.dedup();
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

/// Compliance per teacher for a school, a zone or the caller's whole reach: each teacher's
/// actual/required and status for every rule that measures them (the same results as
/// `GET /quota-checks`), and the rules with their counts per status.
#[utoipa::path(
    tag = "reports",
    params(ComplianceQuery),
    responses(
        (status = 200, description = "The compliance report", content(
            (super::table::ReportView = "application/json"),
            (inline(super::table::BinaryFile) = "text/csv"),
            (inline(super::table::BinaryFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The caller sees the school or zone but does not administer it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such semester, school or zone in the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid parameters (format, lang, table ..., no semester containing `as_of`), naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/reports/compliance")]
async fn compliance_report(state: State, actor: Actor, query: Query<ComplianceQuery>) -> ApiResult<HttpResponse> {
    let q = query.0;
    let output = Output::new(q.format, q.lang, q.table);
    let request = Request {
        semester_id: q.semester_id,
        as_of: q.as_of.unwrap_or_else(today),
        selection: Selection { school_id: q.school_id, zone_id: q.zone_id, ..Default::default() },
        subject_type: Some(SubjectType::Teacher),
        drafts: vec![],
        include_saved: true,
    };
    let outcome = check(&state, &actor, &request).await?;
    let items = outcome.kept.briefs(&outcome.filter(Some(SubjectType::Teacher), None, None));
    let school_ids: Vec<i64> = items.iter().filter_map(|i| i.subject.school_id).collect();
    let school_names = school_names(state.reads(), school_ids).await?;
    let mut report = Report::new(
        Bilingual::new(
            format!("Compliance: {}", outcome.semester.name),
            format!("{}教研常规考核情况", outcome.semester.name),
        ),
        format!("compliance-{}", outcome.semester.id),
    )
    .meta("semester_id", outcome.semester.id)
    .meta("as_of", request.as_of);
    report.tables = tables(&items, &school_names, output.lang);
    respond(&report, &output)
}
