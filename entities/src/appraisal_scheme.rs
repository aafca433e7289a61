//! An appraisal scheme (考核方案) of a school, or of a district for all its schools, for one
//! semester or one school year. `spec` holds the appraisal core's scoring
//! (`jiaoyan_appraisal::scheme::SchemeSpec`) as JSON; `status` is `draft` until the first
//! publication, then `published` (the scoring no longer changes).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisal_schemes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// `None`: a district scheme, appraising every school of the district.
    pub school_id: Option<i64>,
    /// The semester appraised; `None` for a school-year scheme.
    pub semester_id: Option<i64>,
    /// The school year appraised (`2026-2027`); `None` for a semester scheme.
    pub school_year: Option<String>,
    pub name: String,
    pub status: String,
    pub spec: Json,
    /// The newest published version; 0 before the first publication.
    pub published_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
