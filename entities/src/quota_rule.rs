//! A quota rule (考核规则) of a school, or of a district for all its schools. The shape columns
//! hold the codes of the `api` crate's rule model (`quota::rules::RuleSpec`), which reads and
//! writes them; `metric` and `applies_to` hold that model's JSON.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quota_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    /// `None`: a district rule, for every school of the district.
    pub school_id: Option<i64>,
    /// Array of semester ids; empty: every semester.
    pub semester_ids: Json,
    /// The catalogue template the rule was made from, if any.
    pub template_id: Option<String>,
    pub name: String,
    pub subject_type: String,
    pub metric_kind: String,
    /// The whole metric, `{"kind": ..., filters ...}`.
    pub metric: Json,
    pub applies_to: Json,
    pub period: String,
    pub min: f64,
    pub max: Option<f64>,
    pub severity: String,
    pub family: Option<String>,
    pub priority: i32,
    pub source: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the rule is archived: it no longer applies, and old checks can still name it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
