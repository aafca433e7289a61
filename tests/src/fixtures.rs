//! A small world written straight into the database, so that each test starts from the same
//! organisation without depending on the endpoints it is not about:
//!
//! - district 1 (`测试县`) with zone `东片`, school A (lead school) and school B, a semester;
//! - district 2 (`邻县`) with school C;
//! - in A: teachers `teacher_a` and `leader_a` (who leads the 语文 research group `group_a`);
//!   in B: `teacher_b` and group `group_b`; in C: `teacher_c`;
//! - an account per role: district admins of both districts, school admins of A and B, the
//!   group leader and teacher of A, the teacher of B; all with [`crate::PASSWORD`].

use std::sync::OnceLock;

use chrono::{NaiveDate, Utc};
use entities::enums::*;
use entities::{activity, district, group, group_membership, observation, school, semester, teacher, user, zone};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection, EntityTrait, Set};

use crate::{TestApp, PASSWORD};

/// Ids and tokens of the fixture world.
#[derive(Debug, Clone)]
pub struct World {
    pub district: i64,
    pub other_district: i64,
    pub zone: i64,
    pub school_a: i64,
    pub school_b: i64,
    pub school_c: i64,
    pub semester: i64,
    pub teacher_a: i64,
    pub leader_a: i64,
    pub teacher_b: i64,
    pub teacher_c: i64,
    pub group_a: i64,
    pub group_b: i64,
    pub tokens: Tokens,
}

/// Access tokens, one per account.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub root: String,
    pub district_admin: String,
    pub other_district_admin: String,
    pub admin_a: String,
    pub admin_b: String,
    pub leader_a: String,
    pub teacher_a: String,
    pub teacher_b: String,
}

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| api::auth::password::hash(PASSWORD).unwrap()).clone()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn new_district(db: &DatabaseConnection, name: &str) -> i64 {
    let now = Utc::now();
    district::ActiveModel {
        id: NotSet,
        name: Set(name.into()),
        code: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

pub async fn new_school(db: &DatabaseConnection, district_id: i64, zone_id: Option<i64>, name: &str) -> i64 {
    let now = Utc::now();
    school::ActiveModel {
        id: NotSet,
        district_id: Set(district_id),
        zone_id: Set(zone_id),
        name: Set(name.into()),
        tier: Set(SchoolTier::TownshipCentral),
        code: Set(None),
        address: Set(None),
        sourced_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

/// A teacher of `school_id`. Only the id is read back, so that it also works on a schema rolled
/// back to before the teachers' days (migration 8).
pub async fn new_teacher(db: &DatabaseConnection, school_id: i64, name: &str) -> i64 {
    let now = Utc::now();
    let row = teacher::ActiveModel {
        id: NotSet,
        school_id: Set(school_id),
        name: Set(name.into()),
        gender: Set(Some(Gender::Female)),
        birth_date: Set(Some(date(1990, 5, 1))),
        teaching_start_year: Set(Some(2012)),
        degree: Set(Some(Degree::Bachelor)),
        employment_type: Set(EmploymentType::Permanent),
        professional_title: Set(Some(ProfessionalTitle::First)),
        status: Set(TeacherStatus::Active),
        external_id: Set(None),
        joined_on: NotSet,
        left_on: NotSet,
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    };
    teacher::Entity::insert(row).exec(db).await.unwrap().last_insert_id
}

pub async fn new_user(
    db: &DatabaseConnection,
    username: &str,
    role: Role,
    district_id: Option<i64>,
    school_id: Option<i64>,
    teacher_id: Option<i64>,
) -> i64 {
    let now = Utc::now();
    user::ActiveModel {
        id: NotSet,
        username: Set(username.into()),
        password_hash: Set(password_hash()),
        role: Set(role),
        district_id: Set(district_id),
        school_id: Set(school_id),
        teacher_id: Set(teacher_id),
        display_name: Set(None),
        disabled: Set(false),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

pub async fn new_group(
    db: &DatabaseConnection,
    district_id: i64,
    school_id: Option<i64>,
    kind: GroupKind,
    name: &str,
    leader: Option<i64>,
) -> i64 {
    let now = Utc::now();
    group::ActiveModel {
        id: NotSet,
        district_id: Set(district_id),
        school_id: Set(school_id),
        kind: Set(kind),
        name: Set(name.into()),
        subject: Set(Some("语文".into())),
        grade_band: Set(None),
        parent_id: Set(None),
        leader_teacher_id: Set(leader),
        description: Set(None),
        sourced_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

pub async fn new_membership(db: &DatabaseConnection, group_id: i64, teacher_id: i64, role: MemberRole) -> i64 {
    let now = Utc::now();
    group_membership::ActiveModel {
        id: NotSet,
        group_id: Set(group_id),
        teacher_id: Set(teacher_id),
        role: Set(role),
        since: Set(date(2026, 9, 1)),
        until: Set(None),
        sourced_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let db = &app.db;
        let now = Utc::now();
        let d1 = new_district(db, "测试县").await;
        let d2 = new_district(db, "邻县").await;
        let zone = zone::ActiveModel {
            id: NotSet,
            district_id: Set(d1),
            name: Set("东片".into()),
            lead_school_id: Set(None),
            sourced_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
        }
        .insert(db)
        .await
        .unwrap();
        let school_a = new_school(db, d1, Some(zone.id), "甲小学").await;
        let school_b = new_school(db, d1, Some(zone.id), "乙小学").await;
        let school_c = new_school(db, d2, None, "丙小学").await;
        let zone_id = zone.id;
        let mut zone: zone::ActiveModel = zone.into();
        zone.lead_school_id = Set(Some(school_a));
        zone.update(db).await.unwrap();
        let semester = semester::ActiveModel {
            id: NotSet,
            district_id: Set(d1),
            name: Set("2026年秋季学期".into()),
            school_year: Set("2026-2027".into()),
            start_date: Set(date(2026, 9, 1)),
            end_date: Set(date(2027, 1, 22)),
            week1_start: Set(date(2026, 8, 31)),
            holidays: Set(serde_json::json!([{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-07"}])),
            sourced_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
        }
        .insert(db)
        .await
        .unwrap()
        .id;
        let teacher_a = new_teacher(db, school_a, "王老师").await;
        let leader_a = new_teacher(db, school_a, "李组长").await;
        let teacher_b = new_teacher(db, school_b, "赵老师").await;
        let teacher_c = new_teacher(db, school_c, "钱老师").await;
        let group_a = new_group(db, d1, Some(school_a), GroupKind::Research, "甲小学语文教研组", Some(leader_a)).await;
        let group_b = new_group(db, d1, Some(school_b), GroupKind::Research, "乙小学语文教研组", Some(teacher_b)).await;
        new_membership(db, group_a, leader_a, MemberRole::Leader).await;
        new_membership(db, group_a, teacher_a, MemberRole::Member).await;
        new_membership(db, group_b, teacher_b, MemberRole::Leader).await;

        new_user(db, "dadmin", Role::DistrictAdmin, Some(d1), None, None).await;
        new_user(db, "dadmin2", Role::DistrictAdmin, Some(d2), None, None).await;
        new_user(db, "admin_a", Role::SchoolAdmin, Some(d1), Some(school_a), None).await;
        new_user(db, "admin_b", Role::SchoolAdmin, Some(d1), Some(school_b), None).await;
        new_user(db, "leader_a", Role::GroupLeader, Some(d1), Some(school_a), Some(leader_a)).await;
        new_user(db, "teacher_a", Role::Teacher, Some(d1), Some(school_a), Some(teacher_a)).await;
        new_user(db, "teacher_b", Role::Teacher, Some(d1), Some(school_b), Some(teacher_b)).await;

        let tokens = Tokens {
            root: app.root().await,
            district_admin: app.login("dadmin", PASSWORD).await,
            other_district_admin: app.login("dadmin2", PASSWORD).await,
            admin_a: app.login("admin_a", PASSWORD).await,
            admin_b: app.login("admin_b", PASSWORD).await,
            leader_a: app.login("leader_a", PASSWORD).await,
            teacher_a: app.login("teacher_a", PASSWORD).await,
            teacher_b: app.login("teacher_b", PASSWORD).await,
        };
        World {
            district: d1,
            other_district: d2,
            zone: zone_id,
            school_a,
            school_b,
            school_c,
            semester,
            teacher_a,
            leader_a,
            teacher_b,
            teacher_c,
            group_a,
            group_b,
            tokens,
        }
    }
}

/// An activity row with every column set, for tests that need an activity without going through
/// the activities API: a district draft in `semester_id`, untitled in substance. Set what the
/// test is about with struct update syntax (`activity::ActiveModel { status: Set(..), ..row }`)
/// and insert it.
pub fn activity_row(district_id: i64, semester_id: i64) -> activity::ActiveModel {
    let now = Utc::now();
    activity::ActiveModel {
        id: NotSet,
        district_id: Set(district_id),
        school_id: Set(None),
        organiser_kind: Set(OrganiserKind::District),
        group_id: Set(None),
        zone_id: Set(None),
        pairing_id: Set(None),
        host_school_id: Set(None),
        semester_id: Set(semester_id),
        activity_type: Set(ActivityType::CollectivePrep),
        title: Set("教研活动".into()),
        topic: Set(None),
        date: Set(None),
        start_time: Set(None),
        end_time: Set(None),
        start_period: Set(None),
        end_period: Set(None),
        venue: Set(None),
        meeting_url: Set(None),
        modality: Set(Modality::OnSite),
        lead_speaker_teacher_id: Set(None),
        lead_speaker_name: Set(None),
        description: Set(None),
        status: Set(ActivityStatus::Draft),
        cancel_reason: Set(None),
        slot_id: Set(None),
        generated_for: Set(None),
        minutes: Set(None),
        summary: Set(None),
        summary_due_on: Set(None),
        summary_submitted_at: Set(None),
        created_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
}

/// An observation row with every column set (an ordinary 语文 lesson without feedback), for
/// tests that need one without the observations API; set the rest as for [`activity_row`].
pub fn observation_row(
    district_id: i64,
    semester_id: i64,
    observer: (i64, i64),
    observed_teacher_id: i64,
    observed_on: NaiveDate,
) -> observation::ActiveModel {
    let now = Utc::now();
    observation::ActiveModel {
        id: NotSet,
        district_id: Set(district_id),
        semester_id: Set(Some(semester_id)),
        observer_teacher_id: Set(observer.0),
        observer_school_id: Set(observer.1),
        observed_teacher_id: Set(Some(observed_teacher_id)),
        observed_school_id: Set(None),
        observed_name: Set(None),
        observed_on: Set(observed_on),
        period: Set(None),
        subject: Set("语文".into()),
        grade: Set(None),
        class_name: Set(None),
        lesson_kind: Set(LessonKind::Ordinary),
        lesson_title: Set(None),
        activity_id: Set(None),
        rubric_id: Set(None),
        scores: Set(None),
        total_score: Set(None),
        strengths: Set(serde_json::json!([])),
        weaknesses: Set(serde_json::json!([])),
        suggestions: Set(serde_json::json!([])),
        strengths_count: Set(0),
        weaknesses_count: Set(0),
        suggestions_count: Set(0),
        critique_given: Set(false),
        critique: Set(None),
        notes: Set(None),
        created_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
}
