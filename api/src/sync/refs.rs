//! References between records by `sourced_id`: a teacher's school, a group's parent and leader,
//! a membership's group and teacher. Resolved against the database in bulk, with the rows the
//! batch created so far remembered, so that a record may name one created earlier in the batch.

use std::collections::{HashMap, HashSet};

use entities::{group, school, teacher, zone};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::batch::{load_by_sourced_id, Sync, CHUNK};
use crate::domain::DomainResult;

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
    pub async fn preload(&mut self, txn: &DatabaseTransaction, kind: Kind, ids: &[&str]) -> DomainResult<()> {
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

    pub async fn get(&mut self, txn: &DatabaseTransaction, kind: Kind, id: &str) -> DomainResult<Option<Ref>> {
        self.preload(txn, kind, &[id]).await?;
        Ok(self.known.get(&(kind, id.to_string())).copied().flatten())
    }
}

impl From<&zone::Model> for Ref {
    /// A zone belongs to its district (no school).
    fn from(z: &zone::Model) -> Ref {
        Ref { id: z.id, district_id: z.district_id, school_id: None, live: z.archived_at.is_none() }
    }
}

impl From<&school::Model> for Ref {
    /// A school belongs to itself.
    fn from(s: &school::Model) -> Ref {
        Ref { id: s.id, district_id: s.district_id, school_id: Some(s.id), live: s.archived_at.is_none() }
    }
}

impl From<&group::Model> for Ref {
    /// A group belongs to its school, a district team to no school.
    fn from(g: &group::Model) -> Ref {
        Ref { id: g.id, district_id: g.district_id, school_id: g.school_id, live: g.archived_at.is_none() }
    }
}

/// The references of rows loaded by sourced_id.
fn refs_of<M>(rows: HashMap<String, M>) -> Vec<(String, Ref)>
where
    for<'m> &'m M: Into<Ref>,
{
    rows.into_iter().map(|(sourced_id, row)| (sourced_id, (&row).into())).collect()
}

async fn load(txn: &DatabaseTransaction, kind: Kind, ids: &[&str]) -> DomainResult<Vec<(String, Ref)>> {
    Ok(match kind {
        Kind::Zone => refs_of(
            load_by_sourced_id::<zone::Entity>(txn, zone::Column::SourcedId, ids, |z| z.sourced_id.as_deref()).await?,
        ),
        Kind::School => refs_of(
            load_by_sourced_id::<school::Entity>(txn, school::Column::SourcedId, ids, |s| s.sourced_id.as_deref())
                .await?,
        ),
        Kind::Group => refs_of(
            load_by_sourced_id::<group::Entity>(txn, group::Column::SourcedId, ids, |g| g.sourced_id.as_deref())
                .await?,
        ),
        Kind::Teacher => {
            let teachers = load_by_sourced_id::<teacher::Entity>(txn, teacher::Column::ExternalId, ids, |t| {
                t.external_id.as_deref()
            })
            .await?;
            let districts = districts_of_schools(txn, teachers.values().map(|t| t.school_id)).await?;
            teachers
                .into_iter()
                .filter_map(|(sourced_id, t)| Some((sourced_id, teacher_ref(&t, *districts.get(&t.school_id)?))))
                .collect()
        }
    })
}

/// A teacher belongs to their school, of the district `district_id`.
pub fn teacher_ref(t: &teacher::Model, district_id: i64) -> Ref {
    Ref { id: t.id, district_id, school_id: Some(t.school_id), live: t.archived_at.is_none() }
}

/// The district of each school.
pub async fn districts_of_schools(
    txn: &DatabaseTransaction,
    school_ids: impl Iterator<Item = i64>,
) -> DomainResult<HashMap<i64, i64>> {
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
    ) -> DomainResult<Option<Ref>> {
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

    /// As [`Sync::reference`], for a reference the record may leave out (`None`: none to check).
    pub async fn optional_reference(
        &mut self,
        resource: &'static str,
        index: usize,
        field: &str,
        kind: Kind,
        sourced_id: Option<&str>,
    ) -> DomainResult<Option<Ref>> {
        match sourced_id {
            Some(id) => self.reference(resource, index, field, kind, id).await,
            None => Ok(None),
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
