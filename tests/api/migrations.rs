//! Migrations that change how versions are taken must keep the change log's order across their
//! `up` and `down`: every write after either takes a version above every version before.

use entities::change_log;
use jiaoyan_tests::fixtures::{new_teacher, World};
use jiaoyan_tests::{on_both_backends, TestApp};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

/// Only the version column: the log's other columns differ between the migrations.
async fn version_of_teacher(app: &TestApp, id: i64) -> i64 {
    change_log::Entity::find()
        .select_only()
        .column(change_log::Column::ChangeVersion)
        .filter(change_log::Column::ResourceType.eq("teachers"))
        .filter(change_log::Column::ResourceId.eq(id))
        .into_tuple()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Migrations 6 (the school a teacher left) and 5 (versions from a sequence on PostgreSQL) rolled
/// back and applied again.
async fn versions_keep_rising_across_the_change_sequence_migration(app: TestApp) {
    let w = World::build(&app).await;
    let before = version_of_teacher(&app, new_teacher(&app.db, w.school_a, "迁移前").await).await;
    Migrator::down(&app.db, Some(2)).await.unwrap();
    let between = version_of_teacher(&app, new_teacher(&app.db, w.school_a, "回退后").await).await;
    Migrator::up(&app.db, None).await.unwrap();
    let after = version_of_teacher(&app, new_teacher(&app.db, w.school_a, "重新迁移后").await).await;
    assert!(before < between && between < after, "{before} < {between} < {after}");
    assert_eq!(api::changes::newest_version(&app.db).await.unwrap(), after);
}

on_both_backends!(versions_keep_rising_across_the_change_sequence_migration);
