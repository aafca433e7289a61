//! Helpers every migration uses to declare tables: timestamps, restricting foreign keys and named
//! indexes. Changing one changes how *new* migrations are written, never the schema a shipped
//! migration produced, so keep their output stable.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `created_at`, `updated_at` and, for archivable (soft-deleted) tables, `archived_at`.
pub fn timestamps(table: &mut TableCreateStatement, archivable: bool) -> TableCreateStatement {
    table
        .col(timestamp_with_time_zone(Alias::new("created_at")))
        .col(timestamp_with_time_zone(Alias::new("updated_at")));
    if archivable {
        table.col(timestamp_with_time_zone_null(Alias::new("archived_at")));
    }
    table.take()
}

/// A foreign key that refuses to delete a referenced row: history is archived, never deleted.
pub fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).take()
}

/// A named index over `cols`, in order.
pub fn index(name: &str, table: impl IntoIden, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(Alias::new(*col));
    }
    if unique {
        index.unique();
    }
    index.take()
}
