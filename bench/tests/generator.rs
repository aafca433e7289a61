//! The generator on small SQLite databases: deterministic for a seed, consistent, and refusing a
//! database that already has a district.

use jiaoyan_bench::gen::{generate, GenOptions, GenSummary};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn fresh(name: &str) -> (DatabaseConnection, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("jiaoyan-bench-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gen.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let db = api::db::connect(&format!("sqlite://{}?mode=rwc", file.display())).await.unwrap();
    api::db::migrate(&db).await.unwrap();
    (db, dir)
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index(0).unwrap()
}

/// A fingerprint of the work: every observation's observer, observed, day and kind.
async fn fingerprint(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT observer_teacher_id || '/' || observed_teacher_id || '/' || observed_on || '/' || lesson_kind \
             FROM observations ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

fn small() -> GenOptions {
    GenOptions { schools: 2, teachers_per_school: 12, seed: 11, work_scale: 0.3, until: None }
}

#[tokio::test]
async fn the_same_seed_gives_the_same_county_and_the_counts_add_up() {
    let (a, dir_a) = fresh("a").await;
    let (b, dir_b) = fresh("b").await;
    let sa: GenSummary = generate(&a, &small()).await.unwrap();
    let sb = generate(&b, &small()).await.unwrap();
    assert_eq!(sa.counts, sb.counts);
    assert_eq!(fingerprint(&a).await, fingerprint(&b).await);

    assert_eq!(sa.counts["schools"], 2);
    assert_eq!(sa.counts["teachers"], 24);
    assert_eq!(sa.counts["semesters"], 2);
    assert_eq!(sa.counts["mentorships"], 8);
    for table in [
        "observations",
        "records",
        "activities",
        "activity_participants",
        "group_memberships",
        "preparations",
        "preparation_participants",
        "preparation_notes",
    ] {
        assert!(sa.counts[table] > 0, "{table} is empty");
        let n = scalar(&a, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(n as u64, sa.counts[table], "{table}");
    }
    // Feedback arrays and their counts agree; every row is in the semester and dated by `until`.
    assert_eq!(
        scalar(
            &a,
            "SELECT COUNT(*) FROM observations WHERE json_array_length(strengths) <> strengths_count \
                    OR json_array_length(weaknesses) <> weaknesses_count \
                    OR json_array_length(suggestions) <> suggestions_count"
        )
        .await,
        0
    );
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM observations WHERE observed_on > '2027-01-22'").await, 0);
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM records WHERE submitted_on < written_on").await, 0);
    // Ids start at 1 and the next insert through the service would not collide.
    assert_eq!(scalar(&a, "SELECT MIN(id) FROM observations").await, 1);
    // A different seed gives another county.
    let (c, dir_c) = fresh("c").await;
    generate(&c, &GenOptions { seed: 12, ..small() }).await.unwrap();
    assert_ne!(fingerprint(&a).await, fingerprint(&c).await);

    // A database with a district is refused.
    let err = generate(&a, &small()).await.unwrap_err();
    assert!(err.to_string().contains("empty database"), "{err}");
    for d in [dir_a, dir_b, dir_c] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[tokio::test]
async fn until_schedules_the_later_activities_and_dates_nothing_after_it() {
    let (db, dir) = fresh("until").await;
    let until = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    generate(&db, &GenOptions { until: Some(until), ..small() }).await.unwrap();
    for sql in [
        "SELECT COUNT(*) FROM observations WHERE observed_on > '2026-11-20'",
        "SELECT COUNT(*) FROM records WHERE written_on > '2026-11-20' OR submitted_on > '2026-11-20'",
        "SELECT COUNT(*) FROM activities WHERE date > '2026-11-20' AND status <> 'scheduled'",
        "SELECT COUNT(*) FROM activities WHERE date <= '2026-11-20' AND status = 'scheduled'",
    ] {
        assert_eq!(scalar(&db, sql).await, 0, "{sql}");
    }
    assert!(scalar(&db, "SELECT COUNT(*) FROM activities WHERE status = 'scheduled'").await > 0);
    let _ = std::fs::remove_dir_all(dir);
}
