//! The population of a check as subqueries: the schools, teachers and groups of a district, a
//! zone or a school. No statement binds one parameter per subject.

use entities::{group, school, teacher};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::ColumnTrait;

/// Where a check's subjects are: a district, a zone of it, or one school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub district_id: i64,
    pub within: Within,
}

/// The part of the district a check covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Within {
    /// Every school, and the district's own teams.
    District,
    /// The schools of a zone.
    Zone(i64),
    /// One school.
    School(i64),
}

impl Place {
    /// `SELECT id FROM schools WHERE …` for the place.
    pub fn schools(&self) -> SelectStatement {
        let mut q = Query::select();
        q.column(school::Column::Id).from(school::Entity).and_where(school::Column::DistrictId.eq(self.district_id));
        match self.within {
            Within::District => {}
            Within::Zone(zone) => {
                q.and_where(school::Column::ZoneId.eq(zone));
            }
            Within::School(id) => {
                q.and_where(school::Column::Id.eq(id));
            }
        }
        q
    }

    /// `SELECT id FROM teachers WHERE school_id IN (<schools>)`.
    pub fn teachers(&self) -> SelectStatement {
        let mut q = Query::select();
        q.column(teacher::Column::Id)
            .from(teacher::Entity)
            .and_where(teacher::Column::SchoolId.in_subquery(self.schools()));
        q
    }

    /// The place's groups: for the district every group of it (its teams included), else the
    /// groups of the place's schools.
    pub fn groups(&self) -> SelectStatement {
        let mut q = Query::select();
        q.column(group::Column::Id).from(group::Entity).and_where(group::Column::DistrictId.eq(self.district_id));
        if self.within != Within::District {
            q.and_where(group::Column::SchoolId.in_subquery(self.schools()));
        }
        q
    }
}
