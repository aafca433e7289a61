//! The events that a write causes, published in that write's transaction: the district team
//! notice to a school ([`team_notices`]) and an inspection finding to correct ([`finding`]).

use entities::{inspection_finding, notice, teacher};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::outbox::{publish, Event};
use super::rules::EventKind;
use crate::domain::DomainResult;

/// Publishes the notices written for the removals `removal_ids` (in their transaction).
pub async fn team_notices(db: &impl ConnectionTrait, removal_ids: Vec<i64>) -> DomainResult<u64> {
    if removal_ids.is_empty() {
        return Ok(0);
    }
    let notices = notice::Entity::find().filter(notice::Column::TeamRemovalId.is_in(removal_ids)).all(db).await?;
    let mut written = 0;
    for n in notices {
        let event = Event {
            kind: EventKind::TeamNotice,
            key: format!("notice:{}", n.id),
            district_id: n.district_id,
            school_id: Some(n.school_id),
            teacher_id: n.teacher_id,
            title: n.title.clone(),
            body: n.body.clone(),
            data: json!({"notice_id": n.id, "kind": n.kind, "school_id": n.school_id, "teacher_id": n.teacher_id,
                "team_removal_id": n.team_removal_id}),
        };
        written += publish(db, &event).await?;
    }
    Ok(written)
}

/// Publishes a new finding to correct (in its transaction).
pub async fn finding(db: &impl ConnectionTrait, f: &inspection_finding::Model) -> DomainResult<u64> {
    let name = teacher::Entity::find_by_id(f.teacher_id).one(db).await?.map(|t| t.name).unwrap_or_default();
    let event = Event {
        kind: EventKind::FindingToCorrect,
        key: format!("finding:{}", f.id),
        district_id: f.district_id,
        school_id: Some(f.school_id),
        teacher_id: Some(f.teacher_id),
        title: format!("常规检查整改通知 (finding to correct)：{name}"),
        body: format!(
            "**{name}** 需整改 (to correct)：{}\n\n整改期限 (due)：{}{}",
            f.description,
            f.due_on,
            f.item_key.as_deref().map(|k| format!("\n\n检查项 (item)：{k}")).unwrap_or_default()
        ),
        data: json!({"finding_id": f.id, "inspection_id": f.inspection_id, "teacher_id": f.teacher_id,
            "teacher": name, "description": f.description, "due_on": f.due_on, "item_key": f.item_key}),
    };
    publish(db, &event).await
}
