//! `groups.csv` and `memberships.csv`: one column per field of the sync record.

use super::*;

pub(super) fn groups(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        let group = SyncGroup {
            sourced_id: cells.required("sourced_id", false).unwrap_or_default(),
            status,
            kind: cells.required("kind", deleted).and(cells.code::<GroupKind>("kind")),
            school_sourced_id: cells.text("school_sourced_id"),
            name: cells.required("name", deleted),
            subject: cells.text("subject"),
            grade_band: cells.code::<GradeBand>("grade_band"),
            parent_sourced_id: cells.text("parent_sourced_id"),
            leader_sourced_id: cells.text("leader_sourced_id"),
            description: cells.text("description"),
        };
        import.sources.groups.push(source(&cells, vec![]));
        import.batch.groups.push(group);
    }
}

pub(super) fn memberships(table: &Table, import: &mut Import, errors: &mut Vec<FieldError>) {
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        let membership = SyncMembership {
            sourced_id: cells.required("sourced_id", false).unwrap_or_default(),
            status,
            group_sourced_id: cells.required("group_sourced_id", deleted),
            teacher_sourced_id: cells.required("teacher_sourced_id", deleted),
            role: cells.code::<MemberRole>("role"),
            since: cells.date("since"),
            until: cells.date("until"),
        };
        import.sources.memberships.push(source(&cells, vec![]));
        import.batch.memberships.push(membership);
    }
}
