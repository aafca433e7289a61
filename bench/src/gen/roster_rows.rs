//! Writing the roster: the district and its places (zones, schools, semesters), the teachers
//! and their profiles, the groups with their memberships, and the mentorship pairs, in that
//! order (every row refers only to rows written before it).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};
use serde_json::json;

use super::calendar::{self, autumn, spring};
use super::insert::Batch;
use super::roster::Roster;
use super::{at, row, AUTUMN_ID, DISTRICT_ID, NO_DATE, NO_I64, NO_STR, NO_TIME, SPRING_ID};

const SCHOOL_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "zone_id",
    "name",
    "tier",
    "code",
    "address",
    "sourced_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const SEMESTER_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "name",
    "school_year",
    "start_date",
    "end_date",
    "week1_start",
    "holidays",
    "sourced_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const TEACHER_COLUMNS: &[&str] = &[
    "id",
    "school_id",
    "name",
    "gender",
    "birth_date",
    "teaching_start_year",
    "degree",
    "employment_type",
    "professional_title",
    "status",
    "external_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const GROUP_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "school_id",
    "kind",
    "name",
    "subject",
    "grade_band",
    "parent_id",
    "leader_teacher_id",
    "description",
    "sourced_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const MEMBERSHIP_COLUMNS: &[&str] = &[
    "id",
    "group_id",
    "teacher_id",
    "role",
    "since",
    "until",
    "sourced_id",
    "created_at",
    "updated_at",
    "archived_at",
];
const PAIR_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "school_id",
    "mentor_teacher_id",
    "mentee_teacher_id",
    "start_semester_id",
    "end_semester_id",
    "start_date",
    "end_date",
    "agreement",
    "duties",
    "status",
    "grade_band_mismatch",
    "assessment_grade",
    "assessment_comment",
    "reward",
    "assessed_on",
    "created_at",
    "updated_at",
    "archived_at",
];

/// Writes the roster; answers its batches (one a table, in writing order).
pub(super) async fn write(db: &impl ConnectionTrait, r: &Roster) -> Result<Vec<Batch>, DbErr> {
    // Every row of the roster is stamped with the same moment, before the semester.
    let t0 = at(calendar::date(2026, 8, 25), 1, 0);
    let mut batches = places(db, r, t0).await?;
    batches.extend(teachers(db, r, t0).await?);
    batches.extend(groups(db, r, t0).await?);
    batches.push(pairs(db, r, t0).await?);
    Ok(batches)
}

/// The district, its zones and schools (then each zone's lead school) and the two semesters.
async fn places(db: &impl ConnectionTrait, r: &Roster, t0: DateTime<Utc>) -> Result<Vec<Batch>, DbErr> {
    let mut district = Batch::new("districts", &["id", "name", "code", "created_at", "updated_at", "archived_at"]);
    district.push(db, row![DISTRICT_ID, "罗田县（生成）", Some("421123-G".to_string()), t0, t0, NO_TIME]).await?;
    district.flush(db).await?;

    // Zones before schools (their lead school is set once the schools exist).
    let mut zones = Batch::new(
        "zones",
        &["id", "district_id", "name", "lead_school_id", "sourced_id", "created_at", "updated_at", "archived_at"],
    );
    for (i, (name, _)) in r.zones.iter().enumerate() {
        zones.push(db, row![i as i64 + 1, DISTRICT_ID, name.clone(), NO_I64, NO_STR, t0, t0, NO_TIME]).await?;
    }
    zones.flush(db).await?;
    let mut schools = Batch::new("schools", SCHOOL_COLUMNS);
    for s in &r.schools {
        let zone = Some(s.zone as i64 + 1);
        let (code, address) = (Some(format!("G{:04}", s.id)), Some(s.address.clone()));
        let values =
            row![s.id, DISTRICT_ID, zone, s.name.clone(), s.tier.code(), code, address, NO_STR, t0, t0, NO_TIME];
        schools.push(db, values).await?;
    }
    schools.flush(db).await?;
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "UPDATE zones SET lead_school_id = $1 WHERE id = $2",
        _ => "UPDATE zones SET lead_school_id = ? WHERE id = ?",
    };
    for (i, (_, lead)) in r.zones.iter().enumerate() {
        let values = [Value::from(r.schools[*lead].id), Value::from(i as i64 + 1)];
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    }

    let mut semesters = Batch::new("semesters", SEMESTER_COLUMNS);
    for (id, s) in [(AUTUMN_ID, autumn()), (SPRING_ID, spring())] {
        let (year, holidays) = (calendar::SCHOOL_YEAR, s.holidays_json());
        let values =
            row![id, DISTRICT_ID, s.name, year, s.start, s.end, s.week1_start, holidays, NO_STR, t0, t0, NO_TIME];
        semesters.push(db, values).await?;
    }
    semesters.flush(db).await?;
    Ok(vec![district, zones, schools, semesters])
}

/// The teachers, then their subjects, grades, posts and honours.
async fn teachers(db: &impl ConnectionTrait, r: &Roster, t0: DateTime<Utc>) -> Result<Vec<Batch>, DbErr> {
    let mut teachers = Batch::new("teachers", TEACHER_COLUMNS);
    for t in &r.teachers {
        let values = row![
            t.id,
            r.schools[t.school].id,
            t.name.clone(),
            Some(t.gender.code()),
            Some(t.birth_date),
            Some(t.teaching_start_year),
            Some(t.degree.code()),
            t.employment_type.code(),
            Some(t.title.code()),
            t.status.code(),
            Some(format!("GEN-T{:06}", t.id)),
            t0,
            t0,
            NO_TIME
        ];
        teachers.push(db, values).await?;
    }
    teachers.flush(db).await?;
    let mut subjects = Batch::new("teacher_subjects", &["teacher_id", "subject", "created_at", "updated_at"]);
    let mut grades = Batch::new("teacher_grades", &["teacher_id", "grade", "created_at", "updated_at"]);
    let mut posts = Batch::new("teacher_posts", &["teacher_id", "post", "created_at", "updated_at"]);
    let mut honours =
        Batch::new("teacher_honours", &["id", "teacher_id", "title", "level", "year", "created_at", "updated_at"]);
    let mut honour_id = 0i64;
    for t in &r.teachers {
        for s in &t.subjects {
            subjects.push(db, row![t.id, *s, t0, t0]).await?;
        }
        for g in &t.grades {
            grades.push(db, row![t.id, *g, t0, t0]).await?;
        }
        for p in &t.posts {
            posts.push(db, row![t.id, p.code(), t0, t0]).await?;
        }
        for (title, level, year) in &t.honours {
            honour_id += 1;
            honours.push(db, row![honour_id, t.id, title.code(), level.code(), *year, t0, t0]).await?;
        }
    }
    for b in [&mut subjects, &mut grades, &mut posts, &mut honours] {
        b.flush(db).await?;
    }
    Ok(vec![teachers, subjects, grades, posts, honours])
}

/// The groups, then their memberships (stamped when they began, and when they ended).
async fn groups(db: &impl ConnectionTrait, r: &Roster, t0: DateTime<Utc>) -> Result<Vec<Batch>, DbErr> {
    let mut groups = Batch::new("groups", GROUP_COLUMNS);
    for g in &r.groups {
        let values = row![
            g.id,
            DISTRICT_ID,
            g.school.map(|s| r.schools[s].id),
            g.kind.code(),
            g.name.clone(),
            g.subject.map(str::to_string),
            g.band.map(|b| b.code().to_string()),
            g.parent,
            g.leader.map(|t| r.teachers[t].id),
            NO_STR,
            NO_STR,
            t0,
            t0,
            NO_TIME
        ];
        groups.push(db, values).await?;
    }
    groups.flush(db).await?;
    let mut memberships = Batch::new("group_memberships", MEMBERSHIP_COLUMNS);
    for g in &r.groups {
        for m in &g.members {
            let stamp = at(m.since.min(calendar::date(2026, 8, 28)), 1, 0).max(t0);
            let updated = m.until.map(|u| at(u, 2, 0)).unwrap_or(stamp);
            let teacher = r.teachers[m.teacher].id;
            let values = row![m.id, g.id, teacher, m.role.code(), m.since, m.until, NO_STR, stamp, updated, NO_TIME];
            memberships.push(db, values).await?;
        }
    }
    memberships.flush(db).await?;
    Ok(vec![groups, memberships])
}

/// The mentorship pairs, all active, with the seed's agreement and duties.
async fn pairs(db: &impl ConnectionTrait, r: &Roster, t0: DateTime<Utc>) -> Result<Batch, DbErr> {
    let mut pairs = Batch::new("mentorships", PAIR_COLUMNS);
    let duties = json!([
        "每周师傅听徒弟一节课",
        "每学期指导徒弟上一节有价值的研究课",
        "每学期至少相互随堂听课2节以上",
        "学期末徒弟上一节汇报课"
    ]);
    let (autumn, spring) = (autumn(), spring());
    for p in &r.pairs {
        // One pair in seven was formed in week 7 (a new teacher arrived): judged from then on.
        let start_date = if p.id % 7 == 0 { calendar::date(2026, 10, 12) } else { autumn.start };
        let end_date = if p.whole_year { spring.end } else { autumn.end };
        let values = row![
            p.id,
            DISTRICT_ID,
            r.schools[p.school].id,
            r.teachers[p.mentor].id,
            r.teachers[p.mentee].id,
            AUTUMN_ID,
            if p.whole_year { SPRING_ID } else { AUTUMN_ID },
            start_date,
            end_date,
            Some("师徒结对协议：师傅每周听徒弟一节课，徒弟每学期上一节汇报课。".to_string()),
            duties.clone(),
            "active",
            p.band_mismatch,
            NO_STR,
            NO_STR,
            NO_STR,
            NO_DATE,
            t0,
            t0,
            NO_TIME
        ];
        pairs.push(db, values).await?;
    }
    pairs.flush(db).await?;
    Ok(pairs)
}
