//! The teacher statistics' tables from each school's figures: pure, no database.

use std::collections::BTreeMap;

use crate::org::schools::statistics::{Dimension, Figures};
use crate::quota::reports::table::{Bilingual, Cell, Column, Table};

/// The Chinese name of a figure's code (the terms of `entities::enums`' doc comments).
fn code_zh(code: &str) -> &str {
    match code {
        "secondary" => "中专/中师",
        "associate" => "大专",
        "bachelor" => "本科",
        "master" => "硕士",
        "doctorate" => "博士",
        "unranked" => "未定级",
        "third" => "三级教师",
        "second" => "二级教师",
        "first" => "一级教师",
        "senior" => "高级教师",
        "full_senior" => "正高级教师",
        "permanent" => "正式/在编",
        "contract" => "合同",
        "support" => "支教",
        "part_time" => "兼职",
        "male" => "男",
        "female" => "女",
        "school" => "校级",
        "district" => "区级",
        "county" => "县级",
        "city" => "市级",
        "province" => "省级",
        "national" => "国家级",
        "renowned_teacher" => "名师",
        "subject_leader" => "学科带头人",
        "backbone_teacher" => "骨干教师",
        "rising_star" => "教坛新秀",
        "teaching_expert" => "教学能手",
        "unknown" => "未填",
        other => other,
    }
}

/// The figures' maps in column order: key prefix, English and Chinese group names.
fn groups(f: &Figures) -> [(&'static str, &'static str, &'static str, &BTreeMap<String, u64>); 6] {
    [
        ("degree", "Degree", "学历", f.codes(Dimension::Degree)),
        ("title", "Professional title", "职称", f.codes(Dimension::ProfessionalTitle)),
        ("employment", "Employment", "用工", f.codes(Dimension::EmploymentType)),
        ("gender", "Gender", "性别", f.codes(Dimension::Gender)),
        ("honour_level", "Honour level", "荣誉级别", f.codes(Dimension::HonourLevel)),
        ("honour_title", "Honour title", "荣誉称号", f.codes(Dimension::HonourTitle)),
    ]
}

/// The figure columns, laid out from the totals (so an `unknown` column appears when any school
/// has teachers with the value missing).
pub fn figure_columns(totals: &Figures) -> Vec<Column> {
    let mut columns = vec![Column::new("total", "Teachers", "教师总数")];
    for (i, band) in totals.by_age_band.iter().enumerate() {
        columns.push(Column::new(format!("age_{i}"), format!("Age {}", band.label), format!("{}岁", band.label)));
    }
    columns.push(Column::new("age_unknown", "Age unknown", "年龄未填"));
    for (prefix, en, zh, map) in groups(totals) {
        for code in map.keys() {
            columns.push(Column::new(
                format!("{prefix}_{code}"),
                format!("{en}: {code}"),
                format!("{zh}：{}", code_zh(code)),
            ));
        }
    }
    columns
}

/// One row of figures, in the order of [`figure_columns`] built from `layout`.
pub fn figure_cells(f: &Figures, layout: &Figures) -> Vec<Cell> {
    let mut cells: Vec<Cell> = vec![f.total.into()];
    cells.extend(f.by_age_band.iter().map(|b| Cell::from(b.count)));
    cells.push(f.unknown_age.into());
    for ((_, _, _, map), (_, _, _, layout)) in groups(f).into_iter().zip(groups(layout)) {
        cells.extend(layout.keys().map(|code| Cell::from(map.get(code).copied().unwrap_or(0))));
    }
    cells
}

/// The report's two tables from the figures of each school.
pub fn tables(
    scope_name: &str,
    schools: &[(i64, String)],
    per_school: &BTreeMap<i64, Figures>,
    cutoffs: &[u32],
) -> Vec<Table> {
    let mut totals = Figures::zero(cutoffs);
    for f in per_school.values() {
        totals.add(f);
    }
    let figure_columns = figure_columns(&totals);
    let mut total_table = Table::new(
        "totals",
        Bilingual::new("Teacher statistics", "教师队伍情况"),
        [vec![Column::new("scope", "Zone or district", "范围")], figure_columns.clone()].concat(),
    );
    total_table.push([vec![Cell::from(scope_name)], figure_cells(&totals, &totals)].concat());
    let mut school_table = Table::new(
        "schools",
        Bilingual::new("Teacher statistics per school", "各校教师队伍情况"),
        [
            vec![Column::new("school_id", "School id", "学校编号"), Column::new("school", "School", "学校")],
            figure_columns,
        ]
        .concat(),
    );
    for (id, name) in schools {
        let f = per_school.get(id).cloned().unwrap_or_else(|| Figures::zero(cutoffs));
        school_table.push([vec![Cell::from(*id), Cell::from(name.as_str())], figure_cells(&f, &totals)].concat());
    }
    vec![total_table, school_table]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_sum_the_schools_and_rows_share_the_columns() {
        let cutoffs = [35, 50];
        let mut a = Figures::zero(&cutoffs);
        a.total = 3;
        a.by_age_band[0].count = 2;
        a.unknown_age = 1;
        *a.codes_mut(Dimension::Degree).get_mut("bachelor").unwrap() = 3;
        let mut b = Figures::zero(&cutoffs);
        b.total = 1;
        b.by_age_band[2].count = 1;
        b.codes_mut(Dimension::Degree).insert("unknown".into(), 1);
        let per_school = BTreeMap::from([(1, a), (2, b)]);
        let schools = vec![(1, "甲".to_string()), (2, "乙".to_string()), (3, "丙".to_string())];
        let tables = tables("东片", &schools, &per_school, &cutoffs);
        let (totals, rows) = (&tables[0], &tables[1]);
        let at = |t: &Table, row: usize, key: &str| {
            let i = t.columns.iter().position(|c| c.key == key).unwrap_or_else(|| panic!("no column {key}"));
            t.rows[row][i].clone()
        };
        assert_eq!(at(totals, 0, "total"), Cell::Integer(4));
        assert_eq!(at(totals, 0, "age_0"), Cell::Integer(2));
        assert_eq!(at(totals, 0, "age_2"), Cell::Integer(1));
        assert_eq!(at(totals, 0, "age_unknown"), Cell::Integer(1));
        assert_eq!(at(totals, 0, "degree_bachelor"), Cell::Integer(3));
        assert_eq!(at(totals, 0, "degree_unknown"), Cell::Integer(1));
        assert_eq!(at(rows, 0, "degree_unknown"), Cell::Integer(0));
        assert_eq!(at(rows, 2, "total"), Cell::Integer(0));
        assert_eq!(rows.rows.len(), 3);
        let header = totals.columns.iter().find(|c| c.key == "degree_bachelor").unwrap();
        assert_eq!(header.header.zh, "学历：本科");
        assert_eq!(totals.columns.iter().find(|c| c.key == "age_1").unwrap().header.zh, "35–49岁");
    }
}
