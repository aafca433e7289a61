//! The list queries of the area (split from `queries.rs` by action): what each list endpoint
//! lists, built from the caller's scope and the query parameters, in the endpoint's order, not
//! paged.

use chrono::NaiveDate;
use entities::enums::FindingStatus;
use entities::{inspection, inspection_finding, inspection_template};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select};

use super::queries::{finding_scope, inspecting_teacher, inspection_scope, template_scope};
use super::views::{FindingFilter, InspectionFilter, TemplateFilter};
use crate::auth::Actor;
use crate::domain::DomainResult;
use crate::resource::sorted;

/// `list_templates`: the district's and the school's templates the caller may use.
pub(super) fn templates_matching(actor: &Actor, f: &TemplateFilter) -> Select<inspection_template::Entity> {
    use inspection_template::Column as C;
    let mut cond = template_scope(actor);
    if let Some(s) = f.school_id {
        cond = cond.add(sea_orm::Condition::any().add(C::SchoolId.eq(s)).add(C::SchoolId.is_null()));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(C::ArchivedAt.is_null());
    }
    inspection_template::Entity::find().filter(cond).order_by_asc(C::Id)
}

/// `list_inspections`: the school's, and the district's that inspect the school's teachers.
pub(super) fn inspections_matching(actor: &Actor, f: &InspectionFilter) -> DomainResult<Select<inspection::Entity>> {
    use inspection::Column as C;
    let mut cond = inspection_scope(actor);
    if let Some(s) = f.school_id {
        cond = cond.add(C::SchoolId.eq(s));
    }
    if let Some(k) = f.kind {
        cond = cond.add(C::Kind.eq(k));
    }
    if let Some(t) = f.teacher_id {
        cond = cond.add(inspecting_teacher(t));
    }
    if let Some(from) = f.from {
        cond = cond.add(C::InspectedOn.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(C::InspectedOn.lte(to));
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(C::ArchivedAt.is_null());
    }
    sorted(
        inspection::Entity::find().filter(cond),
        f.sort.as_deref().or(Some("inspected_on")),
        &[("inspected_on", C::InspectedOn), ("id", C::Id)],
        C::Id,
    )
}

/// `list_findings`: by due day; `overdue` as of `today`.
pub(super) fn findings_matching(
    actor: &Actor,
    f: &FindingFilter,
    today: NaiveDate,
) -> Select<inspection_finding::Entity> {
    use inspection_finding::Column as C;
    let mut cond = finding_scope(actor);
    if let Some(i) = f.inspection_id {
        cond = cond.add(C::InspectionId.eq(i));
    }
    if let Some(t) = f.teacher_id {
        cond = cond.add(C::TeacherId.eq(t));
    }
    if let Some(s) = f.school_id {
        cond = cond.add(C::SchoolId.eq(s));
    }
    if let Some(s) = f.status {
        cond = cond.add(C::Status.eq(s));
    }
    match f.overdue {
        Some(true) => cond = cond.add(C::Status.eq(FindingStatus::Open)).add(C::DueOn.lt(today)),
        Some(false) => {
            cond = cond.add(sea_orm::Condition::any().add(C::Status.ne(FindingStatus::Open)).add(C::DueOn.gte(today)))
        }
        None => {}
    }
    if !f.include_archived.unwrap_or(false) {
        cond = cond.add(C::ArchivedAt.is_null());
    }
    inspection_finding::Entity::find().filter(cond).order_by_asc(C::DueOn).order_by_asc(C::Id)
}
