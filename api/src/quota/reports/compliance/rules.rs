//! The compliance report's tables from the checks' results: pure, no database.

use std::collections::BTreeMap;

use crate::quota::checks::engine::RuleRef;
use crate::quota::checks::kept::Brief;
use crate::quota::evaluate::Status;
use crate::quota::reports::table::{Bilingual, Cell, Column, Lang, Table};
use crate::quota::rules::SubjectType;

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

    let compliance = compliance_table(&teachers, &rules, school_names, lang);
    let rules_table = rules_table(&rules, &teachers);
    vec![compliance, rules_table]
}

/// The key of a rule's columns: `rule_<id>`, or `draft_<index>`.
fn key(r: &RuleRef) -> String {
    match r.id {
        Some(id) => format!("rule_{id}"),
        None => format!("draft_{}", r.index.unwrap_or_default()),
    }
}

/// One row per teacher, in the checks' order (by teacher name): for each rule actual/required and
/// status, then the teacher's count of each status.
fn compliance_table(teachers: &[&Brief], rules: &[RuleRef], school_names: &BTreeMap<i64, String>, lang: Lang) -> Table {
    let mut columns = vec![Column::new("school", "School", "学校"), Column::new("teacher", "Teacher", "教师")];
    for r in rules {
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
    for item in teachers {
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
        for r in rules {
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
    compliance
}

/// The rules with the teachers each measures and their counts per status.
fn rules_table(rules: &[RuleRef], teachers: &[&Brief]) -> Table {
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
    let mut table = Table::new("rules", Bilingual::new("Rules", "考核规则"), rule_columns);
    for r in rules {
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
        table.push(row);
    }
    table
}
