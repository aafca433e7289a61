//! The lessons taught at an activity (activity_lessons): validated as a whole list, stored in
//! order, replaced whole by a PATCH.

use std::collections::HashMap;

use entities::activity_lesson;
use entities::enums::LessonKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::views::LessonInput;
use crate::domain::DomainResult;
use crate::resource::now;
use crate::validate::Checks;

/// The most lessons one activity lists (a 赛课 day has many, but not more).
pub const MAX_LESSONS: usize = 20;

/// A lesson after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanLesson {
    pub teacher_id: i64,
    pub subject: String,
    pub grade: Option<i32>,
    pub class_name: Option<String>,
    pub lesson_kind: LessonKind,
    pub title: Option<String>,
}

/// Validates the list, naming each bad field by its path (`lessons[1].grade`). Teachers are
/// checked separately (they need the database).
pub fn clean_lessons(checks: &mut Checks, lessons: &[LessonInput]) -> Vec<CleanLesson> {
    if lessons.len() > MAX_LESSONS {
        checks.fail("lessons", format!("at most {MAX_LESSONS} lessons"));
    }
    lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let subject = checks.text(&format!("lessons[{i}].subject"), &l.subject, 32);
            if let Some(grade) = l.grade {
                checks.ensure((1..=6).contains(&grade), format!("lessons[{i}].grade"), "must be 1 to 6");
            }
            CleanLesson {
                teacher_id: l.teacher_id,
                subject,
                grade: l.grade,
                class_name: checks.optional_text(&format!("lessons[{i}].class_name"), l.class_name.as_deref(), 32),
                lesson_kind: l.lesson_kind,
                title: checks.optional_text(&format!("lessons[{i}].title"), l.title.as_deref(), 200),
            }
        })
        .collect()
}

/// Replaces the activity's lessons with `lessons`, in order.
pub async fn replace_lessons(db: &impl ConnectionTrait, activity_id: i64, lessons: &[CleanLesson]) -> DomainResult<()> {
    activity_lesson::Entity::delete_many().filter(activity_lesson::Column::ActivityId.eq(activity_id)).exec(db).await?;
    let at = now();
    for (position, l) in lessons.iter().enumerate() {
        activity_lesson::ActiveModel {
            activity_id: Set(activity_id),
            position: Set(position as i32),
            teacher_id: Set(l.teacher_id),
            subject: Set(l.subject.clone()),
            grade: Set(l.grade),
            class_name: Set(l.class_name.clone()),
            lesson_kind: Set(l.lesson_kind),
            title: Set(l.title.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The lessons of the given activities, by activity.
pub async fn lessons_of(
    db: &impl ConnectionTrait,
    activity_ids: &[i64],
) -> DomainResult<HashMap<i64, Vec<activity_lesson::Model>>> {
    let mut by_activity: HashMap<i64, Vec<activity_lesson::Model>> = HashMap::new();
    if activity_ids.is_empty() {
        return Ok(by_activity);
    }
    let rows = activity_lesson::Entity::find()
        .filter(activity_lesson::Column::ActivityId.is_in(activity_ids.iter().copied()))
        .order_by_asc(activity_lesson::Column::Position)
        .order_by_asc(activity_lesson::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        by_activity.entry(row.activity_id).or_default().push(row);
    }
    Ok(by_activity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(grade: Option<i32>) -> LessonInput {
        LessonInput {
            teacher_id: 1,
            subject: " 语文 ".into(),
            grade,
            class_name: None,
            lesson_kind: LessonKind::Research,
            title: None,
        }
    }

    #[test]
    fn lessons_are_trimmed_bounded_and_named_by_path() {
        let mut checks = Checks::new();
        let clean = clean_lessons(&mut checks, &[lesson(Some(2)), lesson(Some(7))]);
        assert_eq!(clean[0].subject, "语文");
        let problem = checks.finish().unwrap_err().problem();
        let fields: Vec<_> = problem.errors.unwrap().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["lessons[1].grade"]);
        let mut checks = Checks::new();
        clean_lessons(&mut checks, &vec![lesson(None); MAX_LESSONS + 1]);
        assert!(!checks.is_empty());
    }
}
