//! A semester of a district's calendar, with its week numbering and holidays.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "semesters")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    /// School year the semester belongs to, e.g. `2026-2027`.
    pub school_year: String,
    pub start_date: Date,
    pub end_date: Date,
    /// Monday of teaching week 1.
    pub week1_start: Date,
    /// JSON array of `{name, start, end}` holiday ranges.
    pub holidays: Json,
    /// The id the district's own system knows the row by (OneRoster `sourcedId`); unique.
    pub sourced_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the row is archived (soft-deleted); history keeps pointing at it.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
