//! `limit`/`offset` paging and the `{items, total, limit, offset}` envelope of every list.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QuerySelect, Select};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{DomainError, DomainResult};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;

/// A validated window into a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: u64,
    pub offset: u64,
}

impl Paging {
    /// A limit above the maximum is refused rather than silently cut, so that a client never
    /// mistakes a short page for the end of the list.
    pub fn new(limit: Option<u64>, offset: Option<u64>) -> DomainResult<Paging> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(DomainError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        // The databases count rows with signed 64-bit integers (and sea-query's SQLite binding
        // panics beyond that), so larger offsets are refused here.
        let offset = offset.unwrap_or(0);
        if offset > i64::MAX as u64 {
            return Err(DomainError::invalid("offset", format!("must be at most {}", i64::MAX)));
        }
        Ok(Paging { limit, offset })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_offsets_are_bounded() {
        assert_eq!(Paging::new(None, None).unwrap(), Paging { limit: 50, offset: 0 });
        assert!(Paging::new(Some(501), None).is_err());
        assert!(Paging::new(Some(0), None).is_err());
        assert!(Paging::new(None, Some(i64::MAX as u64)).is_ok());
        assert!(Paging::new(None, Some(i64::MAX as u64 + 1)).is_err());
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows of this page, in the list's stable order.
    pub items: Vec<T>,
    /// How many rows match the filters, over all pages.
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: u64, paging: Paging) -> Self {
        Page { items, total, limit: paging.limit, offset: paging.offset }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            limit: self.limit,
            offset: self.offset,
        }
    }

    /// The ids of the page's rows, to load what belongs to them in one query.
    pub fn ids(&self, id: impl Fn(&T) -> i64) -> Vec<i64> {
        self.items.iter().map(id).collect()
    }

    /// The page's rows as [`joined`] with `children`.
    pub fn joined<C: Default, U>(
        self,
        id: impl Fn(&T) -> i64,
        children: HashMap<i64, C>,
        view: impl FnMut(T, C) -> U,
    ) -> Page<U> {
        let Page { items, total, limit, offset } = self;
        Page { items: joined(items, id, children, view).collect(), total, limit, offset }
    }
}

/// Each row with its entry of `children` (what one query loaded for all the rows, by the row's
/// id), or an empty entry when it has none.
pub fn joined<T, C: Default, U>(
    rows: impl IntoIterator<Item = T>,
    id: impl Fn(&T) -> i64,
    mut children: HashMap<i64, C>,
    mut view: impl FnMut(T, C) -> U,
) -> impl Iterator<Item = U> {
    rows.into_iter().map(move |row| {
        let mine = children.remove(&id(&row)).unwrap_or_default();
        view(row, mine)
    })
}

/// Counts and fetches one page of an already filtered and ordered query.
pub async fn fetch_page<E, C>(select: Select<E>, paging: Paging, db: &C) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let total = select.clone().count(db).await?;
    let items = select.limit(paging.limit).offset(paging.offset).all(db).await?;
    Ok(Page::new(items, total, paging))
}
