//! `academicSessions.csv`: terms and semesters as semesters.

use super::*;

pub(super) fn sessions(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        match cells.text("type").as_deref() {
            Some("term" | "semester") => {}
            None if deleted => {}
            Some("schoolYear" | "gradingPeriod") => {
                skip(import, table.file);
                continue;
            }
            Some(other) => {
                cells.fail(
                    "type",
                    format!("{other:?} is not one of term, semester (imported), schoolYear, gradingPeriod (skipped)"),
                );
                continue;
            }
            None => {
                cells.fail("type", "is required");
                continue;
            }
        }
        let semester = SyncSemester {
            sourced_id: cells.required("sourcedId", false).unwrap_or_default(),
            status,
            name: cells.required("title", deleted),
            school_year: cells.required("schoolYear", deleted).map(|y| school_year(&y)),
            start_date: cells.required("startDate", deleted).and(cells.date("startDate")),
            end_date: cells.required("endDate", deleted).and(cells.date("endDate")),
            holidays: holidays(&mut cells),
        };
        import.sources.semesters.push(source(&cells, vec![]));
        import.batch.semesters.push(semester);
    }
}

/// OneRoster's `schoolYear` is the year the school year ends: `2027` is `2026-2027`.
pub(super) fn school_year(value: &str) -> String {
    match value.parse::<i32>() {
        Ok(end) if value.len() == 4 => format!("{}-{end}", end - 1),
        _ => value.to_string(),
    }
}

/// `name:start:end`, e.g. `国庆节:2026-10-01:2026-10-07;元旦:2027-01-01:2027-01-01`.
pub(super) fn holidays(cells: &mut Cells) -> Vec<Holiday> {
    let Some(value) = cells.text("holidays") else { return Vec::new() };
    let mut holidays = Vec::new();
    for item in value.split([';', '；']).map(str::trim).filter(|i| !i.is_empty()) {
        let mut parts = item.rsplitn(3, [':', '：']).map(str::trim);
        let (end, start, name) = (parts.next(), parts.next(), parts.next());
        match (name, start.and_then(parse_date), end.and_then(parse_date)) {
            (Some(name), Some(start), Some(end)) if !name.is_empty() => {
                holidays.push(Holiday { name: name.to_string(), start, end })
            }
            _ => cells.fail("holidays", format!("{item:?} is not name:start:end (国庆节:2026-10-01:2026-10-07)")),
        }
    }
    holidays
}
