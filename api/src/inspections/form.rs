//! The inspection form: the grades so far and what the records show, per teacher and item.

use std::collections::HashMap;

use entities::{inspection, inspection_grade};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::queries::{found_work, subjects};
use super::rules::{items_of, RowScope};
use super::views::{FormEntry, FormView, Found, TeacherForm};
use crate::domain::DomainResult;

/// The form of the teachers whose rows `rows` shows: four statements (teachers, grades,
/// observations, records) whatever their number.
pub async fn build_form(
    db: &impl ConnectionTrait,
    found: &inspection::Model,
    rows: RowScope,
) -> DomainResult<FormView> {
    let items = items_of(&found.items);
    let teachers = subjects(db, found.id, rows).await?;
    let mut grades: HashMap<(i64, String), inspection_grade::Model> = HashMap::new();
    let mut query = inspection_grade::Entity::find().filter(inspection_grade::Column::InspectionId.eq(found.id));
    if let RowScope::Teacher(t) = rows {
        query = query.filter(inspection_grade::Column::TeacherId.eq(t));
    }
    for g in query.all(db).await? {
        grades.insert((g.teacher_id, g.item_key.clone()), g);
    }
    let work = found_work(db, found, &items, rows).await?;
    let teachers = teachers
        .into_iter()
        .map(|t| {
            let entries = items
                .iter()
                .map(|item| {
                    let grade = grades.remove(&(t.teacher_id, item.key.clone()));
                    let found = item.counts.map(|counts| {
                        let list = work.get(&(t.teacher_id, counts)).cloned().unwrap_or_default();
                        Found {
                            count: list.len(),
                            required_count: item.required_count,
                            meets_required: item.required_count.map(|n| list.len() >= usize::try_from(n).unwrap_or(0)),
                            work: list,
                        }
                    });
                    FormEntry {
                        item_key: item.key.clone(),
                        grade: grade.as_ref().and_then(|g| g.grade),
                        points: grade.as_ref().and_then(|g| g.points),
                        comment: grade.and_then(|g| g.comment),
                        found,
                    }
                })
                .collect();
            TeacherForm {
                teacher_id: t.teacher_id,
                teacher_name: t.teacher_name,
                school_id: t.school_id,
                group_id: t.group_id,
                group_name: t.group_name,
                entries,
            }
        })
        .collect();
    Ok(FormView {
        inspection_id: found.id,
        period_start: found.period_start,
        period_end: found.period_end,
        items,
        teachers,
    })
}
