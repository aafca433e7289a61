//! The quota reports (docs/API-DESIGN.md, "Reports") over HTTP on both databases: a small world with known activities,
//! attendance, lessons, observations, records and a mentorship pair; the group report, the school
//! and district summaries and the zone teacher statistics give exact numbers as JSON, and the same
//! numbers (with Chinese headers by `lang=zh`) as CSV and XLSX read back with `csv` and
//! `calamine`; who may read each; 422 for an unknown format or table.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::{NaiveDate, Utc};
use entities::enums::*;
use entities::{activity, activity_lesson, activity_participant, mentorship, observation, record, research_topic};
use jiaoyan_tests::fixtures::{activity_row, date, observation_row, World};
use jiaoyan_tests::{json, on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection, EntityTrait, Set};
use serde_json::Value;

on_both_backends!(
    group_report_counts_held_activities_attendance_topics_and_open_lessons,
    school_and_district_summaries_count_the_scope,
    excellent_groups_rank_by_rule_compliance_too,
    teacher_statistics_of_a_zone_match_the_school_statistics,
    exports_hold_the_json_numbers_with_chinese_headers,
    reports_are_read_by_their_scope_only,
    unknown_formats_and_tables_are_422,
);

const AS_OF: &str = "2026-12-01";

async fn group_activity(
    db: &DatabaseConnection,
    w: &World,
    kind: ActivityType,
    modality: Modality,
    status: ActivityStatus,
    on: NaiveDate,
    archived: bool,
) -> i64 {
    activity::ActiveModel {
        school_id: Set(Some(w.school_a)),
        organiser_kind: Set(OrganiserKind::Group),
        group_id: Set(Some(w.group_a)),
        activity_type: Set(kind),
        modality: Set(modality),
        status: Set(status),
        date: Set(Some(on)),
        title: Set(format!("{} {}", kind.code(), on)),
        archived_at: Set(archived.then(Utc::now)),
        ..activity_row(w.district, w.semester)
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

async fn participant(
    db: &DatabaseConnection,
    activity_id: i64,
    teacher_id: i64,
    expected: bool,
    status: AttendanceStatus,
) {
    let now = Utc::now();
    activity_participant::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id),
        teacher_id: Set(teacher_id),
        expected: Set(expected),
        status: Set(status),
        leave_reason: Set(None),
        signed_in_at: Set(None),
        recorded_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
}

async fn lesson(db: &DatabaseConnection, activity_id: i64, teacher_id: i64, kind: LessonKind, title: &str) {
    let now = Utc::now();
    activity_lesson::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id),
        position: Set(1),
        teacher_id: Set(teacher_id),
        subject: Set("语文".into()),
        grade: Set(Some(3)),
        class_name: Set(None),
        lesson_kind: Set(kind),
        title: Set(Some(title.into())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
}

async fn observe(
    db: &DatabaseConnection,
    w: &World,
    observer: (i64, i64),
    observed: i64,
    on: NaiveDate,
    archived: bool,
) {
    observation::ActiveModel {
        archived_at: Set(archived.then(Utc::now)),
        ..observation_row(w.district, w.semester, observer, observed, on)
    }
    .insert(db)
    .await
    .unwrap();
}

#[allow(clippy::too_many_arguments)]
async fn record_of(
    db: &DatabaseConnection,
    w: &World,
    author: i64,
    kind: RecordKind,
    on: NaiveDate,
    hours: Option<f64>,
    award: Option<(Level, AwardRank)>,
    archived: bool,
) {
    let now = Utc::now();
    record::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        school_id: Set(w.school_a),
        author_teacher_id: Set(author),
        semester_id: Set(Some(w.semester)),
        kind: Set(kind),
        title: Set(format!("{} {}", kind.code(), on)),
        body: Set(None),
        attachment_url: Set(None),
        written_on: Set(on),
        word_count: Set(0),
        hours: Set(hours),
        lesson_plan_form: Set(None),
        project_level: Set(None),
        project_stage: Set(None),
        award_level: Set(award.map(|a| a.0)),
        award_rank: Set(award.map(|a| a.1)),
        activity_id: Set(None),
        observation_id: Set(None),
        task_id: Set(None),
        due_on: Set(None),
        submitted_on: Set(on),
        late: Set(false),
        created_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(archived.then(Utc::now)),
    }
    .insert(db)
    .await
    .unwrap();
}

async fn topic(db: &DatabaseConnection, w: &World, title: &str, archived: bool) {
    let now = Utc::now();
    research_topic::ActiveModel {
        id: NotSet,
        group_id: Set(w.group_a),
        semester_id: Set(w.semester),
        title: Set(title.into()),
        description: Set(Some("阅读策略".into())),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(archived.then(Utc::now)),
    }
    .insert(db)
    .await
    .unwrap();
}

/// The world of every test here (see each test for the numbers it implies).
async fn world(app: &TestApp) -> World {
    let w = World::build(app).await;
    let db = &app.db;
    let (a, l, b) = (w.teacher_a, w.leader_a, w.teacher_b);
    use ActivityStatus::*;
    use AttendanceStatus as S;
    // 1: collective prep on site, held: leader present, teacher_a late, teacher_b walks in.
    let first =
        group_activity(db, &w, ActivityType::CollectivePrep, Modality::OnSite, Held, date(2026, 9, 15), false).await;
    participant(db, first, l, true, S::Present).await;
    participant(db, first, a, true, S::Late).await;
    participant(db, first, b, false, S::Present).await;
    // 2: open lesson online, held: teacher_a gives an open lesson and is on leave for the rest.
    let second =
        group_activity(db, &w, ActivityType::OpenLesson, Modality::Online, Held, date(2026, 10, 20), false).await;
    participant(db, second, l, true, S::Present).await;
    participant(db, second, a, true, S::OnLeave).await;
    lesson(db, second, a, LessonKind::Open, "秋天").await;
    // 3: collective prep, filed: leader absent, teacher_a present; leader gives an ordinary lesson.
    let third =
        group_activity(db, &w, ActivityType::CollectivePrep, Modality::OnSite, Archived, date(2026, 11, 10), false)
            .await;
    participant(db, third, l, true, S::Absent).await;
    participant(db, third, a, true, S::Present).await;
    lesson(db, third, l, LessonKind::Ordinary, "日月潭").await;
    // Not counted: scheduled, after as_of, soft-deleted, cancelled.
    let later =
        group_activity(db, &w, ActivityType::CollectivePrep, Modality::OnSite, Scheduled, date(2026, 11, 12), false)
            .await;
    participant(db, later, l, true, S::Pending).await;
    let after = group_activity(db, &w, ActivityType::Lecture, Modality::Online, Held, date(2026, 12, 20), false).await;
    lesson(db, after, a, LessonKind::Open, "太晚").await;
    group_activity(db, &w, ActivityType::Lecture, Modality::OnSite, Held, date(2026, 10, 9), true).await;
    group_activity(db, &w, ActivityType::Lecture, Modality::OnSite, Cancelled, date(2026, 10, 9), false).await;

    // Observations: two of teacher_a on the open lesson's day (one archived one besides), one the
    // day after; teacher_a observes the leader once in time and once after as_of.
    observe(db, &w, (l, w.school_a), a, date(2026, 10, 20), false).await;
    observe(db, &w, (b, w.school_b), a, date(2026, 10, 20), false).await;
    observe(db, &w, (l, w.school_a), a, date(2026, 10, 20), true).await;
    observe(db, &w, (l, w.school_a), a, date(2026, 10, 21), false).await;
    observe(db, &w, (a, w.school_a), l, date(2026, 11, 10), false).await;
    observe(db, &w, (a, w.school_a), l, date(2026, 12, 5), false).await;

    // Records of school A: a paper, three awards, two trainings (16 hours); one archived training
    // and one award after as_of do not count.
    let d = date(2026, 10, 10);
    record_of(db, &w, a, RecordKind::Paper, d, None, None, false).await;
    record_of(db, &w, a, RecordKind::Award, d, None, Some((Level::County, AwardRank::First)), false).await;
    record_of(db, &w, l, RecordKind::Award, d, None, Some((Level::County, AwardRank::First)), false).await;
    record_of(db, &w, l, RecordKind::Award, d, None, Some((Level::City, AwardRank::Second)), false).await;
    record_of(db, &w, a, RecordKind::Training, d, Some(12.0), None, false).await;
    record_of(db, &w, l, RecordKind::Training, d, Some(4.0), None, false).await;
    record_of(db, &w, l, RecordKind::Training, d, Some(40.0), None, true).await;
    record_of(db, &w, l, RecordKind::Award, date(2026, 12, 10), None, Some((Level::City, AwardRank::First)), false)
        .await;

    topic(db, &w, "整本书阅读", false).await;
    topic(db, &w, "废弃专题", true).await;

    // The leader mentors teacher_a this semester.
    let now = Utc::now();
    let term = entities::semester::Entity::find_by_id(w.semester).one(db).await.unwrap().unwrap();
    mentorship::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        school_id: Set(w.school_a),
        mentor_teacher_id: Set(l),
        mentee_teacher_id: Set(a),
        start_semester_id: Set(w.semester),
        end_semester_id: Set(w.semester),
        start_date: Set(term.start_date),
        end_date: Set(term.end_date),
        agreement: Set(None),
        duties: Set(json!([])),
        status: Set(MentorshipStatus::Active),
        grade_band_mismatch: Set(false),
        assessment_grade: Set(None),
        assessment_comment: Set(None),
        reward: Set(None),
        assessed_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    w
}

/// The rows of a JSON table.
fn rows<'a>(report: &'a Value, table: &str) -> &'a Vec<Value> {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == table)
        .unwrap_or_else(|| panic!("no table {table} in {report}"))["rows"]
        .as_array()
        .unwrap()
}

pub(crate) fn table<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["tables"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap()
}

pub(crate) async fn bytes(app: &TestApp, token: &str, path: &str) -> (u16, String, String, Vec<u8>) {
    let response = app.client.get(format!("{}{}", app.base_url, path)).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    (status, content_type, disposition, response.bytes().await.unwrap().to_vec())
}

async fn group_report_counts_held_activities_attendance_topics_and_open_lessons(app: TestApp) {
    let w = world(&app).await;
    let path = format!("/api/v1/reports/groups/{}?semester_id={}&as_of={AS_OF}", w.group_a, w.semester);
    let report = app.get(&w.tokens.teacher_a, &path).await.expect(200).body;
    assert_eq!(report["group_id"], w.group_a);
    assert_eq!(report["semester_id"], w.semester);
    assert_eq!(report["as_of"], AS_OF);
    assert_eq!(
        rows(&report, "activities_by_type"),
        &vec![
            json!({"activity_type": "collective_prep", "on_site": 2, "online": 0, "total": 2}),
            json!({"activity_type": "open_lesson", "on_site": 0, "online": 1, "total": 1}),
        ]
    );
    assert_eq!(rows(&report, "rules").len(), 0, "no rule measures the group (quota_checks tests the rows)");
    let activities = rows(&report, "activities");
    let listed: Vec<(&str, i64, i64, Value)> = activities
        .iter()
        .map(|a| {
            (
                a["date"].as_str().unwrap(),
                a["expected"].as_i64().unwrap(),
                a["attended"].as_i64().unwrap(),
                a["attendance_rate"].clone(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![("2026-09-15", 2, 2, json!(1.0)), ("2026-10-20", 2, 1, json!(1.0)), ("2026-11-10", 2, 1, json!(0.5))]
    );
    // 4 attended of 6 expected, one excused: 4 / 5.
    assert_eq!(
        rows(&report, "attendance"),
        &vec![json!({"activities": 3, "expected": 6, "attended": 4, "on_leave": 1, "absent": 1, "walk_ins": 1,
            "attendance_rate": 0.8})]
    );
    assert_eq!(rows(&report, "topics"), &vec![json!({"title": "整本书阅读", "description": "阅读策略"})]);
    assert_eq!(
        rows(&report, "open_lessons"),
        &vec![
            json!({"date": "2026-10-20", "activity": "open_lesson 2026-10-20", "teacher": "王老师", "subject": "语文",
            "grade": 3, "lesson_kind": "open", "lesson_title": "秋天", "observations": 2})
        ]
    );
}

async fn school_and_district_summaries_count_the_scope(app: TestApp) {
    let w = world(&app).await;
    let query = format!("semester_id={}&as_of={AS_OF}", w.semester);
    let school = app
        .get(&w.tokens.admin_a, &format!("/api/v1/reports/schools/{}/summary?{query}", w.school_a))
        .await
        .expect(200)
        .body;
    assert_eq!(school["school_id"], w.school_a);
    assert_eq!(
        rows(&school, "schools"),
        &vec![json!({"school_id": w.school_a, "school": "甲小学", "teachers": 2, "observations": 3,
            "observations_per_teacher": 1.5, "lessons": 2, "attendance_expected": 6, "attendance_attended": 4,
            "attendance_rate": 0.8, "papers": 1, "awards": 3, "training_person_times": 2, "training_hours": 16.0,
            "training_person_days": 2.0})]
    );
    let lessons = rows(&school, "lessons");
    assert_eq!(lessons.len(), 1);
    assert_eq!(
        (&lessons[0]["subject"], &lessons[0]["open"], &lessons[0]["ordinary"], &lessons[0]["total"]),
        (&json!("语文"), &json!(1), &json!(1), &json!(2))
    );
    assert_eq!(
        rows(&school, "papers_awards"),
        &vec![
            json!({"kind": "award", "level": "city", "rank": "second", "count": 1}),
            json!({"kind": "award", "level": "county", "rank": "first", "count": 2}),
            json!({"kind": "paper", "level": null, "rank": null, "count": 1}),
        ]
    );
    assert_eq!(
        rows(&school, "mentorships"),
        &vec![
            json!({"school": "甲小学", "status": "active", "pairs": 1, "mentor_observations": 2, "mentee_observations": 1})
        ]
    );
    assert_eq!(
        rows(&school, "mentorship_pairs"),
        &vec![json!({"school": "甲小学", "mentor": "李组长", "mentee": "王老师", "status": "active",
            "mentor_observations": 2, "mentee_observations": 1})]
    );
    assert_eq!(
        rows(&school, "excellent_groups"),
        &vec![
            json!({"rank": 1, "group_id": w.group_a, "group": "甲小学语文教研组", "kind": "research", "school": "甲小学",
            "members": 2, "activities_held": 3, "lessons_given": 2, "member_records": 6, "rules_checked": null,
            "rules_in_good_standing": null, "score": 100.0})
        ]
    );
    // Ordered by name: 李组长 (U+674E) before 王老师 (U+738B).
    assert_eq!(
        rows(&school, "observations_by_teacher"),
        &vec![
            json!({"teacher_id": w.leader_a, "teacher": "李组长", "observations": 2}),
            json!({"teacher_id": w.teacher_a, "teacher": "王老师", "observations": 1}),
        ]
    );

    let district = app
        .get(&w.tokens.district_admin, &format!("/api/v1/reports/districts/{}/summary?{query}", w.district))
        .await
        .expect(200)
        .body;
    assert_eq!(district["district_id"], w.district);
    let schools = rows(&district, "schools");
    assert_eq!(schools.len(), 2);
    let b = schools.iter().find(|s| s["school_id"] == w.school_b).unwrap();
    assert_eq!(
        b,
        &json!({"school_id": w.school_b, "school": "乙小学", "teachers": 1, "observations": 1,
            "observations_per_teacher": 1.0, "lessons": 0, "attendance_expected": 0, "attendance_attended": 0,
            "attendance_rate": null, "papers": 0, "awards": 0, "training_person_times": 0, "training_hours": 0.0,
            "training_person_days": 0.0})
    );
    let a = schools.iter().find(|s| s["school_id"] == w.school_a).unwrap();
    assert_eq!(a, &rows(&school, "schools")[0]);
    let ranked: Vec<(i64, f64)> = rows(&district, "excellent_groups")
        .iter()
        .map(|g| (g["group_id"].as_i64().unwrap(), g["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(ranked, vec![(w.group_a, 100.0), (w.group_b, 0.0)]);
    assert!(district["tables"].as_array().unwrap().iter().all(|t| t["name"] != "observations_by_teacher"));
}

/// A group rule that group A misses costs it a quarter of its score (output 1, 1, 1 and
/// compliance 0); group B, with one rule met, overtakes a group with nothing to show.
async fn excellent_groups_rank_by_rule_compliance_too(app: TestApp) {
    let w = world(&app).await;
    let rule = |school: i64, name: &str, min: i64| {
        json!({"school_id": school, "name": name, "subject_type": "group", "metric": {"kind": "activities_held"},
               "period": "semester", "min": min, "severity": "required"})
    };
    app.post(&w.tokens.admin_a, "/api/v1/quota-rules", rule(w.school_a, "每学期至少开展10次教研活动", 10))
        .await
        .expect(201);
    app.post(&w.tokens.admin_b, "/api/v1/quota-rules", rule(w.school_b, "每学期可不开展活动", 0)).await.expect(201);
    let query = format!("semester_id={}&as_of={AS_OF}", w.semester);
    let district = app
        .get(&w.tokens.district_admin, &format!("/api/v1/reports/districts/{}/summary?{query}", w.district))
        .await
        .expect(200)
        .body;
    let ranked: Vec<(i64, i64, i64, f64)> = rows(&district, "excellent_groups")
        .iter()
        .map(|g| {
            let n = |key: &str| g[key].as_i64().unwrap();
            (n("group_id"), n("rules_checked"), n("rules_in_good_standing"), g["score"].as_f64().unwrap())
        })
        .collect();
    // A: activities 3/3, lessons 2/2, records per member 3/3, compliance 0/1 → 75.0.
    // B: nothing held, its one rule (min 0) met → 25.0.
    assert_eq!(ranked, vec![(w.group_a, 1, 0, 75.0), (w.group_b, 1, 1, 25.0)]);
    // The same numbers as the checks engine gives for the groups.
    let checks = app
        .get(
            &w.tokens.district_admin,
            &format!("/api/v1/quota-checks?semester_id={}&as_of={AS_OF}&group_id={}", w.semester, w.group_a),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(checks["items"][0]["status"], "at_risk");
}

async fn teacher_statistics_of_a_zone_match_the_school_statistics(app: TestApp) {
    let w = world(&app).await;
    let report = app
        .get(
            &w.tokens.district_admin,
            &format!("/api/v1/reports/teacher-statistics?zone_id={}&as_of=2026-09-01", w.zone),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(report["zone_id"], w.zone);
    assert_eq!(report["age_cutoffs"], json!([35, 50]));
    let totals = &rows(&report, "totals")[0];
    // Every fixture teacher: born 1990-05-01 (36 on the day), bachelor, first title, female.
    assert_eq!(totals["scope"], "东片");
    assert_eq!(
        (&totals["total"], &totals["age_0"], &totals["age_1"], &totals["age_2"]),
        (&json!(3), &json!(0), &json!(3), &json!(0))
    );
    assert_eq!(
        (&totals["degree_bachelor"], &totals["title_first"], &totals["gender_female"]),
        (&json!(3), &json!(3), &json!(3))
    );
    let per_school = rows(&report, "schools");
    for school in per_school {
        let id = school["school_id"].as_i64().unwrap();
        let stats = app
            .get(&w.tokens.district_admin, &format!("/api/v1/schools/{id}/statistics?as_of=2026-09-01"))
            .await
            .expect(200)
            .body;
        assert_eq!(school["total"], stats["total"]);
        for (i, band) in stats["by_age_band"].as_array().unwrap().iter().enumerate() {
            assert_eq!(school[format!("age_{i}")], band["count"]);
        }
        for (code, n) in stats["by_degree"].as_object().unwrap() {
            assert_eq!(&school[format!("degree_{code}")], n);
        }
        for (code, n) in stats["by_honour_title"].as_object().unwrap() {
            assert_eq!(&school[format!("honour_title_{code}")], n);
        }
    }
    let sum: i64 = per_school.iter().map(|s| s["total"].as_i64().unwrap()).sum();
    assert_eq!(sum, 3);
    // The district: the zone's schools (school C is another district's).
    let district = app
        .get(&w.tokens.district_admin, &format!("/api/v1/reports/teacher-statistics?district_id={}", w.district))
        .await
        .expect(200)
        .body;
    assert_eq!(rows(&district, "schools").len(), 2);
}

/// Asserts a sheet or CSV (as rows of cells) holds the JSON table: header labels, then values.
pub(crate) fn assert_same(json_table: &Value, grid: &[Vec<Data>]) {
    let labels: Vec<String> =
        json_table["columns"].as_array().unwrap().iter().map(|c| c["label"].as_str().unwrap().to_string()).collect();
    let keys: Vec<&str> =
        json_table["columns"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    let header: Vec<String> = grid[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, labels);
    let json_rows = json_table["rows"].as_array().unwrap();
    assert_eq!(grid.len() - 1, json_rows.len(), "rows of {}", json_table["name"]);
    for (row, expected) in grid[1..].iter().zip(json_rows) {
        for (i, key) in keys.iter().enumerate() {
            let cell = row.get(i).cloned().unwrap_or(Data::Empty);
            match &expected[*key] {
                Value::Null => assert!(matches!(cell, Data::Empty) || cell.to_string().is_empty(), "{key}: {cell:?}"),
                Value::Number(n) => {
                    let got = match &cell {
                        Data::Float(f) => *f,
                        Data::Int(i) => *i as f64,
                        Data::String(s) => s.parse().unwrap_or_else(|_| panic!("{key}: {s} is not a number")),
                        other => panic!("{key}: {other:?} is not a number"),
                    };
                    assert_eq!(got, n.as_f64().unwrap(), "{key}");
                }
                Value::String(s) => assert_eq!(&cell.to_string(), s, "{key}"),
                other => panic!("unexpected {other}"),
            }
        }
    }
}

pub(crate) fn csv_grid(bytes: &[u8]) -> Vec<Vec<Data>> {
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| {
            r.unwrap().iter().map(|s| if s.is_empty() { Data::Empty } else { Data::String(s.to_string()) }).collect()
        })
        .collect()
}

pub(crate) fn xlsx_sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<Data>>)> {
    assert!(bytes.starts_with(b"PK"));
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx workbook");
    workbook
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            // Rows from the top-left cell (A1), as written.
            let (height, width) = range.end().map(|(r, c)| (r as usize + 1, c as usize + 1)).unwrap_or((0, 0));
            let grid = (0..height)
                .map(|r| {
                    (0..width).map(|c| range.get_value((r as u32, c as u32)).cloned().unwrap_or(Data::Empty)).collect()
                })
                .collect();
            (name, grid)
        })
        .collect()
}

async fn exports_hold_the_json_numbers_with_chinese_headers(app: TestApp) {
    let w = world(&app).await;
    let reports = [
        format!("/api/v1/reports/groups/{}?semester_id={}&as_of={AS_OF}", w.group_a, w.semester),
        format!("/api/v1/reports/schools/{}/summary?semester_id={}&as_of={AS_OF}", w.school_a, w.semester),
        format!("/api/v1/reports/districts/{}/summary?semester_id={}&as_of={AS_OF}", w.district, w.semester),
        format!("/api/v1/reports/teacher-statistics?zone_id={}&as_of=2026-09-01", w.zone),
    ];
    let token = &w.tokens.district_admin;
    for path in reports {
        let report = app.get(token, &format!("{path}&lang=zh")).await.expect(200).body;
        let tables = report["tables"].as_array().unwrap();

        // XLSX: a sheet per table, named by its Chinese title.
        let (status, content_type, disposition, body) =
            bytes(&app, token, &format!("{path}&lang=zh&format=xlsx")).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(
            disposition.starts_with("attachment; filename=\"") && disposition.contains("filename*=UTF-8''%E"),
            "{disposition}"
        );
        let sheets = xlsx_sheets(body);
        assert_eq!(sheets.len(), tables.len(), "{path}");
        for (table, (name, grid)) in tables.iter().zip(&sheets) {
            assert_eq!(name, table["title"].as_str().unwrap());
            assert_same(table, grid);
        }

        // CSV: every table by name, and the first by default.
        for table in tables {
            let name = table["name"].as_str().unwrap();
            let (status, content_type, _, body) =
                bytes(&app, token, &format!("{path}&lang=zh&format=csv&table={name}")).await;
            assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"), "{path} {name}");
            assert_same(table, &csv_grid(&body));
        }
        let (_, _, _, first) = bytes(&app, token, &format!("{path}&lang=zh&format=csv")).await;
        assert_same(&tables[0], &csv_grid(&first));
    }

    // The Chinese headers themselves, and English by default.
    let path = format!("/api/v1/reports/schools/{}/summary?semester_id={}&as_of={AS_OF}", w.school_a, w.semester);
    let (_, _, _, zh) = bytes(&app, token, &format!("{path}&lang=zh&format=csv&table=schools")).await;
    let header: Vec<String> = csv_grid(&zh)[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..4], ["学校编号", "学校", "在岗教师数", "听课总节数"]);
    let english = app.get(token, &path).await.expect(200).body;
    assert_eq!(table(&english, "schools")["columns"][2]["label"], "Teachers");
    let zh = app.get(token, &format!("{path}&lang=zh")).await.expect(200).body;
    assert_eq!(table(&zh, "schools")["title"], "各校汇总");
    assert_eq!(zh["title"], "甲小学教研工作汇总");
}

async fn reports_are_read_by_their_scope_only(app: TestApp) {
    let w = world(&app).await;
    let t = &w.tokens;
    let q = format!("semester_id={}&as_of={AS_OF}", w.semester);
    let school_a = format!("/api/v1/reports/schools/{}/summary?{q}", w.school_a);
    app.get(&t.admin_a, &school_a).await.expect(200);
    app.get(&t.district_admin, &school_a).await.expect(200);
    app.get(&t.admin_b, &school_a).await.expect(404);
    app.get(&t.other_district_admin, &school_a).await.expect(404);
    app.get(&t.teacher_a, &school_a).await.expect(403);
    app.get(&t.leader_a, &school_a).await.expect(403);

    let district = format!("/api/v1/reports/districts/{}/summary?{q}", w.district);
    app.get(&t.admin_a, &district).await.expect(403);
    app.get(&t.other_district_admin, &district).await.expect(404);

    let group = format!("/api/v1/reports/groups/{}?{q}", w.group_a);
    app.get(&t.leader_a, &group).await.expect(200);
    app.get(&t.admin_a, &group).await.expect(200);
    app.get(&t.teacher_b, &group).await.expect(404);
    app.get(&t.admin_b, &group).await.expect(404);

    let zone = format!("/api/v1/reports/teacher-statistics?zone_id={}", w.zone);
    app.get(&t.admin_a, &zone).await.expect(403);
    app.get(&t.other_district_admin, &zone).await.expect(404);
    app.get(&t.other_district_admin, &format!("/api/v1/reports/teacher-statistics?district_id={}", w.district))
        .await
        .expect(404);
    app.call("GET", &zone, None, None).await.expect(401);
}

async fn unknown_formats_and_tables_are_422(app: TestApp) {
    let w = world(&app).await;
    let token = &w.tokens.district_admin;
    let base = format!("/api/v1/reports/schools/{}/summary?semester_id={}", w.school_a, w.semester);
    let cases = [
        (format!("{base}&format=pdf"), "format"),
        (format!("{base}&lang=fr"), "lang"),
        (format!("{base}&format=csv&table=nope"), "table"),
        (format!("{base}&colour=red"), "colour"),
        (format!("/api/v1/reports/schools/{}/summary?semester_id=999999", w.school_a), "semester_id"),
        (format!("/api/v1/reports/groups/{}?semester_id={}&format=csv&table=quota", w.group_a, w.semester), "table"),
        // Without a semester, the one containing as_of; the summer holidays lie in none.
        (format!("/api/v1/reports/groups/{}?as_of=2026-08-15", w.group_a), "semester_id"),
        ("/api/v1/reports/teacher-statistics".to_string(), "district_id"),
        (format!("/api/v1/reports/teacher-statistics?zone_id={}&district_id={}", w.zone, w.district), "zone_id"),
        (format!("/api/v1/reports/teacher-statistics?zone_id={}&age_cutoffs=50,35", w.zone), "age_cutoffs"),
    ];
    for (path, field) in cases {
        let resp = app.get(token, &path).await;
        assert_eq!(resp.status, 422, "{path}: {}", resp.body);
        assert_eq!(resp.content_type(), "application/problem+json", "{path}");
        assert!(resp.error_fields().iter().any(|f| f == field), "{path}: {:?}", resp.error_fields());
    }
}
