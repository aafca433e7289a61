//! References between records by `sourced_id`: a teacher's school, a group's parent and leader,
//! a membership's group and teacher. Resolved against the database in bulk, with the rows the
//! batch created so far remembered, so that a record may name one created earlier in the batch.

use std::collections::{HashMap, HashSet};

use entities::{group, school, teacher, zone};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::batch::{Sync, CHUNK};
use crate::error::ApiResult;

/// The kinds of row a record may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Zone,
    School,
    Teacher,
    Group,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Zone => "zone",
            Kind::School => "school",
            Kind::Teacher => "teacher",
            Kind::Group => "group",
        }
    }
}

/// What a reference resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref {
    pub id: i64,
    pub district_id: i64,
    /// The school the row belongs to (a school's own id; none for zones and district teams).
    pub school_id: Option<i64>,
    pub live: bool,
}

/// Resolved references, by kind and sourced_id; `None` caches "no such row".
#[derive(Debug, Default)]
pub struct Refs {
    known: HashMap<(Kind, String), Option<Ref>>,
}

impl Refs {
    /// Remembers a row the batch wrote.
    pub fn remember(&mut self, kind: Kind, sourced_id: &str, r: Ref) {
        self.known.insert((kind, sourced_id.to_string()), Some(r));
    }

    /// Loads the rows of `kind` named by `ids` that are not known yet, a few queries for all.
    pub async fn preload(&mut self, txn: &DatabaseTransaction, kind: Kind, ids: &[&str]) -> ApiResult<()> {
        let missing: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !self.known.contains_key(&(kind, id.to_string())))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for chunk in missing.chunks(CHUNK) {
            for id in chunk {
                self.known.insert((kind, id.to_string()), None);
            }
            for (sourced_id, r) in load(txn, kind, chunk).await? {
                self.known.insert((kind, sourced_id), Some(r));
            }
        }
        Ok(())
    }

    pub async fn get(&mut self, txn: &DatabaseTransaction, kind: Kind, id: &str) -> ApiResult<Option<Ref>> {
        self.preload(txn, kind, &[id]).await?;
        Ok(self.known.get(&(kind, id.to_string())).copied().flatten())
    }
}

async fn load(txn: &DatabaseTransaction, kind: Kind, ids: &[&str]) -> ApiResult<Vec<(String, Ref)>> {
    let ids = ids.iter().map(|s| s.to_string());
    Ok(match kind {
        Kind::Zone => zone::Entity::find()
            .filter(zone::Column::SourcedId.is_in(ids))
            .all(txn)
            .await?
            .into_iter()
            .filter_map(|z| {
                let r = Ref { id: z.id, district_id: z.district_id, school_id: None, live: z.archived_at.is_none() };
                Some((z.sourced_id?, r))
            })
            .collect(),
        Kind::School => school::Entity::find()
            .filter(school::Column::SourcedId.is_in(ids))
            .all(txn)
            .await?
            .into_iter()
            .filter_map(|s| {
                let r =
                    Ref { id: s.id, district_id: s.district_id, school_id: Some(s.id), live: s.archived_at.is_none() };
                Some((s.sourced_id?, r))
            })
            .collect(),
        Kind::Group => group::Entity::find()
            .filter(group::Column::SourcedId.is_in(ids))
            .all(txn)
            .await?
            .into_iter()
            .filter_map(|g| {
                let r =
                    Ref { id: g.id, district_id: g.district_id, school_id: g.school_id, live: g.archived_at.is_none() };
                Some((g.sourced_id?, r))
            })
            .collect(),
        Kind::Teacher => {
            let teachers = teacher::Entity::find().filter(teacher::Column::ExternalId.is_in(ids)).all(txn).await?;
            let districts = districts_of_schools(txn, teachers.iter().map(|t| t.school_id)).await?;
            teachers
                .into_iter()
                .filter_map(|t| {
                    let r = Ref {
                        id: t.id,
                        district_id: *districts.get(&t.school_id)?,
                        school_id: Some(t.school_id),
                        live: t.archived_at.is_none(),
                    };
                    Some((t.external_id?, r))
                })
                .collect()
        }
    })
}

/// The district of each school.
pub async fn districts_of_schools(
    txn: &DatabaseTransaction,
    school_ids: impl Iterator<Item = i64>,
) -> ApiResult<HashMap<i64, i64>> {
    let ids: Vec<i64> = school_ids.collect::<HashSet<_>>().into_iter().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for s in school::Entity::find().filter(school::Column::Id.is_in(chunk.iter().copied())).all(txn).await? {
            out.insert(s.id, s.district_id);
        }
    }
    Ok(out)
}

impl Sync<'_> {
    /// Resolves the reference in `field` of record `index`: a live row of the caller's district,
    /// in a school the caller reaches (rows of no school: when the caller reaches the whole
    /// district). Records the error and returns `None` otherwise. Rows of other districts are
    /// "no such" rows, as everywhere.
    pub async fn reference(
        &mut self,
        resource: &'static str,
        index: usize,
        field: &str,
        kind: Kind,
        sourced_id: &str,
    ) -> ApiResult<Option<Ref>> {
        let found = self.refs.get(self.txn, kind, sourced_id).await?.filter(|r| r.district_id == self.district_id());
        let noun = kind.noun();
        let problem = match found {
            None => Some(format!("no such {noun} ({sourced_id}) in this district")),
            Some(r) if !r.live => Some(format!("the {noun} {sourced_id} is archived")),
            Some(r) if !self.reaches(r.school_id) => {
                Some(format!("the {noun} {sourced_id} is outside the schools you may sync"))
            }
            Some(_) => None,
        };
        match problem {
            Some(message) => {
                self.fail(resource, index, field, message);
                Ok(None)
            }
            None => Ok(found),
        }
    }

    /// Whether the caller may write rows of this school (`None`: district-level rows).
    pub fn reaches(&self, school_id: Option<i64>) -> bool {
        match school_id {
            Some(s) => self.access.reaches_school(s),
            None => self.access.whole_district(),
        }
    }

    /// An existing row with the record's sourced_id must be the caller's to change: of its
    /// district, in a school it reaches. Records the error otherwise.
    pub fn owns(&mut self, resource: &'static str, index: usize, noun: &str, r: Ref) -> bool {
        let problem = if r.district_id != self.district_id() {
            Some(format!("is the sourced_id of a {noun} of another district"))
        } else if !self.reaches(r.school_id) {
            Some(format!("is the sourced_id of a {noun} outside the schools you may sync"))
        } else {
            None
        };
        if let Some(message) = problem {
            self.fail(resource, index, "sourced_id", message);
            return false;
        }
        true
    }
}
