//! Migrations that change how versions are taken must keep the change log's order across their
//! `up` and `down`: every write after either takes a version above every version before; one
//! that rebuilds tables must keep their rows, ids and triggers.

use entities::{change_log, record, record_coauthor};
use jiaoyan_tests::fixtures::{new_teacher, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;

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

/// How many migrations come after the one named `name`: rolling back that many leaves it the
/// newest applied, whatever migrations are added later.
fn after(name: &str) -> u32 {
    let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
    let at = names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no migration {name}: {names:?}"));
    (names.len() - at - 1) as u32
}

/// Every migration after 4 rolled back (among them 10, the audit trail; 9, login lockouts; 8, pair days; 7, work
/// between semesters; 6, the school a teacher left; 5, versions from a sequence on PostgreSQL)
/// and applied again.
async fn versions_keep_rising_across_the_change_sequence_migration(app: TestApp) {
    let w = World::build(&app).await;
    let before = version_of_teacher(&app, new_teacher(&app.db, w.school_a, "迁移前").await).await;
    Migrator::down(&app.db, Some(after("m20261201_000004_district_sync"))).await.unwrap();
    let between = version_of_teacher(&app, new_teacher(&app.db, w.school_a, "回退后").await).await;
    Migrator::up(&app.db, None).await.unwrap();
    let after = version_of_teacher(&app, new_teacher(&app.db, w.school_a, "重新迁移后").await).await;
    assert!(before < between && between < after, "{before} < {between} < {after}");
    assert_eq!(api::changes::newest_version(&app.db).await.unwrap(), after);
}

/// The change-log version of a record.
async fn version_of_record(app: &TestApp, id: i64) -> i64 {
    change_log::Entity::find()
        .select_only()
        .column(change_log::Column::ChangeVersion)
        .filter(change_log::Column::ResourceType.eq("records"))
        .filter(change_log::Column::ResourceId.eq(id))
        .into_tuple()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Migration 7 lets records and observations have no semester; on SQLite it rebuilds both tables.
/// Their rows, co-authors, ids and change-log triggers survive it both ways, and its rollback
/// refuses while a record lies between semesters.
async fn records_survive_the_work_between_semesters_migration(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.tokens.teacher_a;
    let record = |day: &str| {
        json!({"kind": "reflection", "title": "反思", "body": "识字教学", "written_on": day,
            "coauthor_teacher_ids": [w.leader_a]})
    };
    let kept = app.post(t, "/api/v1/records", record("2026-10-20")).await.expect(201).body;
    let kept_id = kept["id"].as_i64().unwrap();
    let observed = json!({"observed_teacher_id": w.leader_a, "observed_on": "2026-10-21", "subject": "语文",
        "lesson_kind": "ordinary"});
    let observation = app.post(t, "/api/v1/observations", observed).await.expect(201).body["id"].as_i64().unwrap();
    let holiday = app.post(t, "/api/v1/records", record("2026-08-15")).await.expect(201).body;
    assert_eq!(holiday["semester_id"], Value::Null);
    let holiday_id = holiday["id"].as_i64().unwrap();

    // The pairs' days (the migration after it) and every later one roll back first.
    Migrator::down(&app.db, Some(after("m20261205_000007_work_between_semesters"))).await.unwrap();
    let refused = Migrator::down(&app.db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 records are dated outside every semester"), "{refused}");
    // Removed by hand (the co-author first), the holiday record leaves its id behind.
    record_coauthor::Entity::delete_many()
        .filter(record_coauthor::Column::RecordId.eq(holiday_id))
        .exec(&app.db)
        .await
        .unwrap();
    record::Entity::delete_by_id(holiday_id).exec(&app.db).await.unwrap();
    Migrator::down(&app.db, Some(1)).await.unwrap();
    Migrator::up(&app.db, None).await.unwrap();

    let read = app.get(t, &format!("/api/v1/records/{kept_id}")).await.expect(200).body;
    assert_eq!(read, kept, "the record and its co-author are kept");
    app.get(t, &format!("/api/v1/observations/{observation}")).await.expect(200);
    // The triggers are back: a change takes a new version.
    let before = version_of_record(&app, kept_id).await;
    app.patch(t, &format!("/api/v1/records/{kept_id}"), json!({"title": "再反思"})).await.expect(200);
    assert!(version_of_record(&app, kept_id).await > before);
    // Ids are never reused, not even the one removed before the rebuild.
    let next = app.post(t, "/api/v1/records", record("2026-08-16")).await.expect(201).body;
    assert!(next["id"].as_i64().unwrap() > holiday_id, "{next}");
    assert_eq!(next["semester_id"], Value::Null);
}

on_both_backends!(
    versions_keep_rising_across_the_change_sequence_migration,
    records_survive_the_work_between_semesters_migration
);
